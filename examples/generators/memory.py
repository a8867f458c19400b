"""The same computation with lists at every step and with generators at every step."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


# --8<-- [start:source]
def csv_lines(count: int) -> Iterator[str]:
    """The input, produced lazily in both versions so only the pipeline differs."""
    for i in range(count):
        yield f"user{i},user{i}@example.com,{i % 80}"
# --8<-- [end:source]


# --8<-- [start:eager]
def total_adult_age_eager(lines: Iterable[str]) -> int:
    rows = [line.split(",") for line in lines]  # every row at once
    adults = [row for row in rows if int(row[2]) >= 18]  # a second list
    return sum([int(row[2]) for row in adults])  # and a third
# --8<-- [end:eager]


# --8<-- [start:lazy]
def total_adult_age_lazy(lines: Iterable[str]) -> int:
    rows = (line.split(",") for line in lines)  # one row at a time
    adults = (row for row in rows if int(row[2]) >= 18)
    return sum(int(row[2]) for row in adults)
# --8<-- [end:lazy]
