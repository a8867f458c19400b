"""How many pages a list needs: the first draft, with an off-by-one bug that 100% coverage misses.

Kept unfixed on purpose for docs/best-practices/test-early-test-often.md; paging.py is the fix.
"""


# --8<-- [start:page_count]
def page_count(total: int, page_size: int) -> int:
    """Pages needed to show `total` items, `page_size` per page; no items, no pages."""
    if total == 0:
        return 0
    return total // page_size + 1
    # --8<-- [end:page_count]
