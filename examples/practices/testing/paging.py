"""How many pages a list needs: the fixed version of paging_v1.py."""


# --8<-- [start:page_count]
def page_count(total: int, page_size: int) -> int:
    """Pages needed to show `total` items, `page_size` per page; no items, no pages."""
    if total < 0 or page_size < 1:
        raise ValueError(f"need total >= 0 and page_size >= 1, got {total} and {page_size}")
    return (total + page_size - 1) // page_size  # division rounded up, in whole numbers
    # --8<-- [end:page_count]
