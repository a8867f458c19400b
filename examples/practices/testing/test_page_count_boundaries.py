"""The tests that find the bug: values at the edges of each page, and a property over many inputs."""

import pytest


# --8<-- [start:boundaries]
@pytest.mark.parametrize(
    ("total", "pages"),
    [(0, 0), (1, 1), (9, 1), (10, 1), (11, 2), (19, 2), (20, 2), (21, 3)],
)
def test_page_count_at_the_edges_of_a_page(page_count, total, pages):
    assert page_count(total, 10) == pages


def test_every_item_fits_and_no_page_is_empty(page_count):
    """A property: for any list, the pages hold every item, and the last page holds at least one."""
    for page_size in range(1, 13):
        for total in range(0, 200):
            pages = page_count(total, page_size)
            assert pages * page_size >= total  # every item fits
            assert (pages - 1) * page_size < total or pages == 0  # the last page is not empty
            # --8<-- [end:boundaries]
