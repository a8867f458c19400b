"""What `yield` does: a generator function's body runs only as values are asked for."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


# --8<-- [start:countdown]
def countdown(start: int, log: list[str]) -> Iterator[int]:
    """Yield start, start - 1, ..., 1, writing to `log` each time the body runs."""
    log.append("body started")
    current = start
    while current > 0:
        log.append(f"about to yield {current}")
        yield current  # pause here; resume on the next next()
        current -= 1
    log.append("body finished")  # then StopIteration ends the loop
# --8<-- [end:countdown]


# --8<-- [start:cleanup]
def numbered(lines: Iterable[str], log: list[str]) -> Iterator[str]:
    """Yield 'n: line'; the finally block runs when the consumer stops early too."""
    try:
        for number, line in enumerate(lines, start=1):
            yield f"{number}: {line}"
    finally:
        log.append("cleanup ran")
# --8<-- [end:cleanup]


# --8<-- [start:expressions]
def squares_list(numbers: Iterable[int]) -> list[int]:
    return [n * n for n in numbers]  # list comprehension: every square now


def squares_lazy(numbers: Iterable[int]) -> Iterator[int]:
    return (n * n for n in numbers)  # generator expression: one square per next()
# --8<-- [end:expressions]


# --8<-- [start:yield_from]
def flatten(pages: Iterable[Iterable[str]]) -> Iterator[str]:
    """Yield the items of each page in turn: `yield from` delegates to the inner iterable."""
    for page in pages:
        yield from page
# --8<-- [end:yield_from]
