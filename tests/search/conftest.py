import pytest
from django.core.cache import cache

from search.indexing import rebuild_search_index


@pytest.fixture
def reindex(db):
    """Refresh every search entry, as the admin and the loaders do after saving."""
    return rebuild_search_index


@pytest.fixture(autouse=True)
def fresh_cache():
    """Cached tag choices must not leak from one test to the next."""
    cache.clear()
    yield
    cache.clear()
