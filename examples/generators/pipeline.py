"""A lazy pipeline: each stage is a generator, and one row at a time flows through all of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


# --8<-- [start:pipeline]
def read_lines(lines: Iterable[str], log: list[str]) -> Iterator[str]:
    for line in lines:
        log.append(f"read {line!r}")
        yield line


def parse(lines: Iterable[str], log: list[str]) -> Iterator[dict[str, object]]:
    for line in lines:
        name, email, age = line.split(",")
        log.append(f"parsed {name}")
        yield {"name": name, "email": email, "age": int(age)}


def adults(rows: Iterable[dict[str, object]], log: list[str]) -> Iterator[dict[str, object]]:
    for row in rows:
        if row["age"] >= 18:
            log.append(f"kept {row['name']}")
            yield row


def adult_names(lines: Iterable[str], log: list[str]) -> Iterator[str]:
    """Chain the stages; nothing runs until the caller iterates."""
    rows = adults(parse(read_lines(lines, log), log), log)
    return (row["name"] for row in rows)
# --8<-- [end:pipeline]
