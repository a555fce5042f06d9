import pytest

from search.indexing import rebuild_search_index


@pytest.fixture
def reindex(db):
    """Refresh every search entry, as the admin and the loaders do after saving."""
    return rebuild_search_index
