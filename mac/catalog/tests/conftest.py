import pytest

from mac.catalog import search


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    # Rolled-back test transactions can leave the same catalog signature
    # (same counts, ids and frozen time) with different rows.
    search.invalidate()
