"""docs/best-practices/clean-code.md: one suite, two implementations, and what changed between them.

The same tests run against the tangled first version (before.calc) and the refactored one
(after.booking_total): a refactor is only a refactor if the behaviour stays the same.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from measurements import matches_recorded
from practices.clean_code import after, before
from practices.clean_code.metrics import functions_in, short_names

FOLDER = Path(after.__file__).parent
MONDAY = date(2026, 3, 2)  # any Monday: the weekend surcharge depends on the day of the week


@pytest.fixture(params=[before.calc, after.booking_total], ids=["before", "after"])
def price(request):
    """Both implementations, called positionally, the way their existing callers call them."""
    return request.param


# --- the behaviour both versions must share ---------------------------------------------------------

PRICES = [
    # (nightly rate, check-in, nights, promo code, total), worked out by hand in the comments
    pytest.param("1000", MONDAY, 1, None, "1495.00", id="one weekday night: (1000 + 300 cleaning) x 1.15 VAT"),
    pytest.param("1000", MONDAY + timedelta(days=4), 2, None, "3105.00", id="Friday and Saturday: 2 x 1200 + 300"),
    pytest.param("1000", MONDAY, 6, None, "7705.00", id="six nights: no long-stay discount yet"),
    pytest.param("1000", MONDAY, 7, None, "8004.00", id="seven nights: 7400 less 10 percent"),
    pytest.param("1000", MONDAY, 27, None, "29946.00", id="27 nights: still 10 percent"),
    pytest.param("1000", MONDAY, 28, None, "25875.00", id="28 nights: 29600 less 25 percent"),
    pytest.param("1000", MONDAY, 1, "WELCOME10", "1380.00", id="WELCOME10: 900 + 300"),
    pytest.param("400", MONDAY, 1, "FLAT500", "345.00", id="FLAT500 larger than the lodging: 0 + 300"),
    pytest.param("99.99", MONDAY, 1, None, "459.99", id="rounded half up to the cent: 459.9885"),
]


@pytest.mark.parametrize(("rate", "check_in", "nights", "code", "total"), PRICES)
def test_both_versions_charge_the_same_worked_examples(price, rate, check_in, nights, code, total):
    charged = price(Decimal(rate), check_in, check_in + timedelta(days=nights), code)
    assert charged == Decimal(total)
    assert charged.as_tuple().exponent == -2  # always to the cent, never 1495 or 1495.000


@pytest.mark.parametrize("nights", [0, -1])
def test_both_versions_refuse_a_stay_shorter_than_one_night(price, nights):
    with pytest.raises(ValueError, match=r"bad dates|at least one night"):  # before's message, after's
        price(Decimal("1000"), MONDAY, MONDAY + timedelta(days=nights))


def test_both_versions_refuse_an_unknown_promo_code(price):
    with pytest.raises(ValueError, match=r"bad code|unknown promo code"):
        price(Decimal("1000"), MONDAY, MONDAY + timedelta(days=1), "SUMMER")


def test_the_refactor_changed_no_price_in_thousands_of_combinations():
    """Every rate, weekday of arrival, length of stay (1 to 35 nights) and code: the same total."""
    rates = [Decimal("0.01"), Decimal("99.99"), Decimal("1000"), Decimal("2500.50")]
    compared = 0
    for rate in rates:
        for arrival in (MONDAY + timedelta(days=offset) for offset in range(7)):
            for nights in range(1, 36):
                for code in (None, "WELCOME10", "FLAT500"):
                    departure = arrival + timedelta(days=nights)
                    refactored = after.booking_total(rate, arrival, departure, code)
                    assert refactored == before.calc(rate, arrival, departure, code)
                    compared += 1
    assert compared == 4 * 7 * 35 * 3


def test_the_refactor_improved_the_error_message():
    with pytest.raises(ValueError, match="bad code"):
        before.calc(Decimal("1000"), MONDAY, MONDAY + timedelta(days=1), "SUMMER")
    with pytest.raises(ValueError, match="unknown promo code: 'SUMMER'"):
        after.booking_total(Decimal("1000"), MONDAY, MONDAY + timedelta(days=1), "SUMMER")


# --- what the refactor changed, measured with the ast module ------------------------------------------

def ruff_settings() -> dict:
    return tomllib.loads((FOLDER / "ruff-example.toml").read_text(encoding="utf-8"))


def test_the_measured_figures_in_the_note_come_from_both_files():
    rows = {}
    for name in ("before.py", "after.py"):
        functions = functions_in(FOLDER / name)
        hinted = sum(function.type_hinted for function in functions)
        rows[name] = [
            str(len(functions)),
            str(max(function.lines for function in functions)),
            str(max(function.complexity for function in functions)),
            f"{hinted} of {len(functions)}",
            str(len(short_names(FOLDER / name))),
        ]
    labels = [
        "Functions",
        "Longest function, in lines",
        "Highest complexity (1 + if/elif, loops, except)",
        "Functions with complete type hints",
        "Parameter and variable names shorter than three letters",
    ]
    lines = ["| Measured by `metrics.py` | `before.py` | `after.py` |", "| --- | --- | --- |"]
    lines += [f"| {label} | {rows['before.py'][i]} | {rows['after.py'][i]} |" for i, label in enumerate(labels)]
    assert matches_recorded("examples/practices/clean_code/measured/metrics.md", "\n".join(lines) + "\n")


def test_after_stays_under_the_complexity_limit_that_before_exceeds():
    limit = ruff_settings()["lint"]["mccabe"]["max-complexity"]
    assert max(function.complexity for function in functions_in(FOLDER / "before.py")) > limit
    assert max(function.complexity for function in functions_in(FOLDER / "after.py")) <= limit


def test_every_function_of_after_is_type_hinted_and_none_of_before():
    assert all(function.type_hinted for function in functions_in(FOLDER / "after.py"))
    assert not any(function.type_hinted for function in functions_in(FOLDER / "before.py"))


def test_before_names_are_the_ones_a_reader_must_decode():
    assert short_names(FOLDER / "before.py") == {"r", "d1", "d2", "c", "n", "t", "d", "i"}
    assert short_names(FOLDER / "after.py") == set()


def test_the_metrics_count_what_they_claim_to_count(tmp_path):
    """A hand-made function with a known shape, so the measuring code is tested too."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f(a, *rest, b: int = 0, **options) -> int:\n"
        "    for x in a:\n"
        "        if x and b:\n"
        "            return x\n"
        "        elif x:\n"
        "            continue\n"
        "    try:\n"
        "        return b\n"
        "    except ValueError:\n"
        "        return 0\n"
        "\n"
        "async def g(value: int) -> int:\n"
        "    return value\n",
        encoding="utf-8",
    )
    f, g = functions_in(sample)
    assert (f.name, f.lines, f.complexity, f.type_hinted) == ("f", 10, 5, False)  # for, if, elif, except
    assert (g.name, g.lines, g.complexity, g.type_hinted) == ("g", 2, 1, True)
    assert short_names(sample) == {"a", "b", "x"}  # function names are not counted


# --- the tooling files the note shows -------------------------------------------------------------------

def test_the_pre_commit_config_runs_ruffs_linter_then_its_formatter():
    config = yaml.safe_load((FOLDER / "pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert repo["rev"].startswith("v") and all(part.isdigit() for part in repo["rev"][1:].split("."))
    assert [hook["id"] for hook in repo["hooks"]] == ["ruff-check", "ruff-format"]  # fixes first, then layout
    assert repo["hooks"][0]["args"] == ["--fix"]


def test_the_ruff_settings_select_the_rule_families_the_note_names():
    settings = ruff_settings()
    assert settings["line-length"] == 110
    assert settings["lint"]["select"] == ["E", "W", "F", "I", "B", "UP", "N", "SIM", "C90"]
    assert settings["lint"]["mccabe"]["max-complexity"] == 5


def ruff_executable() -> str | None:
    beside_python = Path(sys.executable).parent / "ruff"
    return str(beside_python) if beside_python.exists() else shutil.which("ruff")


@pytest.mark.skipif(ruff_executable() is None, reason="ruff is not installed in this environment")
def test_ruff_passes_after_and_flags_before():
    ruff, config = ruff_executable(), str(FOLDER / "ruff-example.toml")

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([ruff, *arguments, "--config", config], capture_output=True, text=True, check=False)

    assert run("check", str(FOLDER / "after.py")).returncode == 0
    assert run("format", "--check", str(FOLDER / "after.py"), str(FOLDER / "before.py")).returncode == 0
    flagged = run("check", "--output-format", "concise", str(FOLDER / "before.py"))
    assert flagged.returncode == 1
    codes = {match.group(1) for match in re.finditer(r"^\S+:\d+:\d+: ([A-Z]+[0-9]+) ", flagged.stdout, re.MULTILINE)}
    assert codes == {"C901", "B007", "SIM108", "E711"}
