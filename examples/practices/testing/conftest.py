"""The example suites in this folder run against both versions of page_count.

tests/examples/practices/test_coverage_signal.py runs them with pytest.main() and reads the
outcome of each test for each version.
"""

import pytest

from practices.testing import paging, paging_v1


@pytest.fixture(params=[paging_v1.page_count, paging.page_count], ids=["first-draft", "fixed"])
def page_count(request):
    return request.param
