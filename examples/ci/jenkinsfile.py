"""Read the structure of a declarative Jenkinsfile without Jenkins, and check its rules.

Jenkins is the only program that fully understands a Jenkinsfile (it is Groovy). What the CI/CD
note claims about examples/ci/Jenkinsfile is structural, though: the stages and their order, which
stages only run on main, where the approval is, where secrets come from. A brace-aware reader
of the file is enough for that:

- `tokenize` turns the text into strings, words, punctuation and line breaks, skipping comments,
  so that a `{` inside a string or a comment never counts as a block;
- `parse` builds a tree of blocks (`head { body }`) and statements;
- `stages`, `when_statements`, ... answer questions about the tree;
- `problems` applies the rules the note states and names the line of each breach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class JenkinsfileError(ValueError):
    """The text is not something this reader understands, with the line where it stopped."""


# --8<-- [start:tokens]
@dataclass(frozen=True)
class Token:
    kind: str  # "string", "word", "punct" or "newline"
    text: str  # a string token keeps its quotes: 'x', "x", '''x''' or """x"""
    line: int


PUNCTUATION = "{}()[],:"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, line = 0, 1
    while i < len(text):
        char = text[i]
        if char == "\n":
            tokens.append(Token("newline", "\n", line))
            line += 1
            i += 1
        elif char in " \t\r":
            i += 1
        elif text.startswith("//", i):  # a comment runs to the end of the line
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise JenkinsfileError(f"line {line}: comment never closed")
            line += text.count("\n", i, end)
            i = end + 2
        elif char in "'\"":
            end = string_end(text, i, line)
            tokens.append(Token("string", text[i:end], line))
            line += text.count("\n", i, end)
            i = end
        elif char in PUNCTUATION:
            tokens.append(Token("punct", char, line))
            i += 1
        else:  # a word: anything up to a space, a quote or punctuation (`docker.image`, `->`, `=`)
            start = i
            while i < len(text) and text[i] not in " \t\r\n'\"" + PUNCTUATION and not text.startswith("//", i):
                i += 1
            tokens.append(Token("word", text[start:i], line))
    return tokens


def string_end(text: str, start: int, line: int) -> int:
    """Index just after the string that starts at `start`; `${...}` in double quotes may hold braces."""
    quote = text[start] * 3 if text.startswith(text[start] * 3, start) else text[start]
    i, depth = start + len(quote), 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if quote[0] == '"' and text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if depth and text[i] == "}":
            depth -= 1
        elif not depth and text.startswith(quote, i):
            return i + len(quote)
        elif text[i] == "\n" and len(quote) == 1:
            break
        i += 1
    raise JenkinsfileError(f"line {line}: string never closed")
# --8<-- [end:tokens]


# --8<-- [start:tree]
@dataclass
class Statement:
    tokens: list[Token]

    @property
    def line(self) -> int:
        return self.tokens[0].line

    @property
    def text(self) -> str:
        return " ".join(token.text for token in self.tokens)


@dataclass
class Block:
    head: list[Token]  # what comes before `{`: `stage ( 'Test' )`, `when`, `withCredentials ( [ ... ] )`
    line: int
    items: list[Block | Statement] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.head[0].text if self.head else ""

    @property
    def head_text(self) -> str:
        return " ".join(token.text for token in self.head)

    @property
    def label(self) -> str | None:
        """The first string argument: 'Deploy' for `stage('Deploy')`."""
        strings = [token.text for token in self.head if token.kind == "string"]
        return strings[0].strip("'\"") if strings else None

    def blocks(self, name: str | None = None) -> list[Block]:
        return [item for item in self.items if isinstance(item, Block) and name in (None, item.name)]

    def block(self, name: str) -> Block | None:
        found = self.blocks(name)
        return found[0] if found else None

    def statements(self) -> list[Statement]:
        return [item for item in self.items if isinstance(item, Statement)]

    def walk(self):
        """This block and every block inside it, depth first, in file order."""
        yield self
        for child in self.blocks():
            yield from child.walk()


def parse(text: str) -> Block:
    """The whole file as a block with no head; raises JenkinsfileError on unbalanced brackets."""
    tokens = tokenize(text)
    root, position = parse_items(tokens, 0, Block([], 1))
    if position < len(tokens):
        raise JenkinsfileError(f"line {tokens[position].line}: '}}' without a matching '{{'")
    return root


def parse_items(tokens: list[Token], position: int, block: Block) -> tuple[Block, int]:
    current: list[Token] = []
    depth = 0  # open ( and [ in the current statement: a line break inside them does not end it
    while position < len(tokens):
        token = tokens[position]
        if token.text == "}" and token.kind == "punct":
            if depth:
                raise JenkinsfileError(f"line {token.line}: '}}' inside an unclosed bracket")
            if current:
                block.items.append(Statement(current))
            return block, position
        if token.text == "{" and token.kind == "punct":
            if depth:
                raise JenkinsfileError(f"line {token.line}: a block inside brackets is not supported")
            header_line = current[0].line if current else token.line
            child, position = parse_items(tokens, position + 1, Block(current, header_line))
            if position >= len(tokens):
                raise JenkinsfileError(f"line {child.line}: '{{' is never closed")
            block.items.append(child)
            current = []
        elif token.kind == "newline":
            if current and not depth:
                block.items.append(Statement(current))
                current = []
        else:
            if token.kind == "punct" and token.text in "([":
                depth += 1
            elif token.kind == "punct" and token.text in ")]":
                depth -= 1
                if depth < 0:
                    raise JenkinsfileError(f"line {token.line}: '{token.text}' without a matching opening bracket")
            current.append(token)
        position += 1
    if block.head and position >= len(tokens):
        return block, position
    if current:
        block.items.append(Statement(current))
    if depth:
        raise JenkinsfileError(f"line {current[0].line}: bracket never closed")
    return block, position
# --8<-- [end:tree]


# --8<-- [start:stages]
@dataclass
class Stage:
    name: str
    block: Block
    parents: list[Block]  # the enclosing stage blocks, outermost first

    @property
    def line(self) -> int:
        return self.block.line


def pipeline_block(root: Block) -> Block:
    found = root.block("pipeline")
    if found is None:
        raise JenkinsfileError("no `pipeline { }` block: not a declarative Pipeline")
    return found


def stages(root: Block) -> list[Stage]:
    """The stages that do the work (those without nested stages), in the order they run."""
    found: list[Stage] = []

    def visit(container: Block, parents: list[Block]) -> None:
        for stage in container.blocks("stage"):
            nested = stage.block("stages")
            if nested is None:
                found.append(Stage(stage.label or "", stage, parents))
            else:
                visit(nested, [*parents, stage])

    stages_block = pipeline_block(root).block("stages")
    if stages_block is not None:
        visit(stages_block, [])
    return found


def when_statements(stage: Stage) -> list[str]:
    """The `when` conditions of a stage and of every stage around it."""
    conditions = []
    for block in [*stage.parents, stage.block]:
        when = block.block("when")
        if when is not None:
            conditions += [statement.text for statement in when.statements()]
    return conditions


def only_on_main(stage: Stage) -> bool:
    return any(re.fullmatch(r"branch ['\"]main['\"]", condition) for condition in when_statements(stage))
# --8<-- [end:stages]


def shell_steps(block: Block) -> list[Statement]:
    """Every `sh` step inside a block, nested blocks included."""
    return [statement for inner in block.walk() for statement in inner.statements() if statement.tokens[0].text == "sh"]


def secret_variables(root: Block) -> dict[str, int]:
    """Names bound to credentials, with the line that binds them: withCredentials and credentials()."""
    names: dict[str, int] = {}
    for block in root.walk():
        if block.name == "withCredentials":
            for match in re.finditer(r"(?:variable|Variable) : ['\"](\w+)['\"]", block.head_text):
                names[match.group(1)] = block.line
        if block.name == "environment":
            for statement in block.statements():
                match = re.fullmatch(r"(\w+) = credentials \( ['\"][\w.-]+['\"] \)", statement.text)
                if match:
                    for suffix in ("", "_USR", "_PSW"):
                        names[match.group(1) + suffix] = statement.line
    return names


# --8<-- [start:problems]
INTERPOLATED = r"\$(?:\{(?:env\.)?NAME\}|NAME\b)"  # $NAME, ${NAME} or ${env.NAME}


def problems(text: str) -> list[str]:
    """Every breach of the note's rules, as 'line N: what is wrong'."""
    root = parse(text)
    pipeline = pipeline_block(root)
    found: list[str] = []
    all_stages = stages(root)
    secrets = secret_variables(root)

    if not all_stages:
        found.append(f"line {pipeline.line}: the pipeline has no stages")
    for stage in all_stages:
        guarded = only_on_main(stage)
        if re.match(r"(push|deploy|release)\b", stage.name, re.IGNORECASE) and not guarded:
            found.append(f"line {stage.line}: stage '{stage.name}' runs on every branch: add when {{ branch 'main' }}")
        if stage.name.lower().startswith("deploy"):
            input_directive = stage.block.block("input")
            steps = stage.block.block("steps")
            step_names = [statement.tokens[0].text for statement in (steps.statements() if steps else [])]
            input_step_first = bool(step_names) and step_names[0] == "input"
            if input_directive is None and not input_step_first:
                found.append(
                    f"line {stage.line}: stage '{stage.name}' deploys without an input (manual approval) first"
                )
            if input_directive is not None and guarded and "beforeInput true" not in when_statements(stage):
                found.append(f"line {stage.line}: stage '{stage.name}' asks for approval before checking its branch: "
                             "add beforeInput true to its when block")
        if re.match(r"push\b", stage.name, re.IGNORECASE):
            bindings = [block for block in stage.block.walk() if block.name == "withCredentials"]
            environment = stage.block.block("environment")
            from_environment = environment and "credentials (" in " ".join(s.text for s in environment.statements())
            if not bindings and not from_environment:
                found.append(
                    f"line {stage.line}: stage '{stage.name}' pushes without credentials from the credentials store"
                )

    for step in shell_steps(root):
        for token in step.tokens:
            if token.kind != "string":
                continue
            if token.text.startswith('"'):  # Groovy interpolates "..." and """...""" before the shell runs
                for name in secrets:
                    if re.search(INTERPOLATED.replace("NAME", name), token.text):
                        found.append(f"line {token.line}: secret {name} is interpolated by Groovy: "
                                     "use single quotes and let the shell expand it")
            if re.search(r"--password[ =](?!-stdin)[^\s$\"']|\s-p\s+[^\s$\"'-]", token.text):
                found.append(f"line {token.line}: a password written into the Jenkinsfile: use withCredentials")

    post = pipeline.block("post")
    if post is None or not ({"failure", "always"} & {block.name for block in post.blocks()}):
        found.append(f"line {pipeline.line}: no post {{ failure {{ }} }} (or always) for a failed build")
    return found
# --8<-- [end:problems]
