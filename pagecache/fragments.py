"""Parts of public pages that rarely change, kept between requests: a brief's linked points and
body, a term's definition block, a brief's card in lists.

Each is stored in the page cache's store under the current generation, so the change that purges
cached pages (any change a service records, through `core.changes`) retires every fragment with
them: nothing else has to remember to drop one. Fragments are kept whether or not whole pages
are cached (PUBLIC_PAGE_CACHE), since they hold no visibility decision of their own: what a list
shows, and in which order, is still read from the database on every request.
"""

from .generation import current_generation, page_cache
from .lifetimes import page_timeout


def fragment_key(name, generation=None):
    return f"public-pages:{generation or current_generation()}:fragment:{name}"


def cached_fragment(name, build):
    """The value stored as `name` in this generation; else `build()`, stored and returned."""
    cache, key = page_cache(), fragment_key(name)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, page_timeout())
    return value
