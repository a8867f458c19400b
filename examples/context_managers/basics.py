"""A class-based context manager, what __exit__ receives, and what returning True means."""

from __future__ import annotations

from types import TracebackType


# --8<-- [start:class_based]
class Tracked:
    """Log entry and exit; suppress exceptions of the types in `suppress`, let others through."""

    def __init__(self, name: str, log: list[str], suppress: tuple[type[BaseException], ...] = ()):
        self.name = name
        self.log = log
        self.suppress = suppress

    def __enter__(self) -> Tracked:
        self.log.append(f"enter {self.name}")
        return self  # this is what `as` binds

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        outcome = "no error" if exc_type is None else f"{exc_type.__name__}: {exc}"
        self.log.append(f"exit {self.name} ({outcome})")
        # True tells the with statement "handled": the exception stops here.
        # False (or None) lets it propagate after __exit__ returns.
        return exc_type is not None and issubclass(exc_type, self.suppress)
# --8<-- [end:class_based]


# --8<-- [start:truthy_exit]
class Sloppy:
    """Broken on purpose: __exit__ returns whatever cleanup() returns."""

    def __init__(self) -> None:
        self.closed = False

    def __enter__(self) -> Sloppy:
        return self

    def cleanup(self) -> bool:
        self.closed = True
        return True  # "cleanup succeeded" ...

    def __exit__(self, *exc_info) -> bool:
        return self.cleanup()  # ... read by `with` as "exception handled": every error vanishes
# --8<-- [end:truthy_exit]
