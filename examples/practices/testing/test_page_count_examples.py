"""The tests written with the first draft: three examples, every line and branch covered."""


# --8<-- [start:examples]
def test_no_items_need_no_pages(page_count):
    assert page_count(0, 10) == 0


def test_a_partly_filled_last_page_counts(page_count):
    assert page_count(25, 10) == 3


def test_fewer_items_than_a_page_need_one_page(page_count):
    assert page_count(5, 10) == 1
    # --8<-- [end:examples]
