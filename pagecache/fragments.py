"""Parts of public pages that rarely change, kept between requests: a brief's linked points and
body, a term's definition block, a brief's card in lists.

Each is stored in the page cache's store under the current generation, so the change that purges
cached pages (any change a service records, through `core.changes`) retires every fragment with
them: nothing else has to remember to drop one. Fragments are kept whether or not whole pages
are cached (PUBLIC_PAGE_CACHE), since they hold no visibility decision of their own: what a list
shows, and in which order, is still read from the database on every request.
"""

from django.utils.functional import SimpleLazyObject

from .generation import cache_alias, current_generation, page_cache
from .lifetimes import lifetime, page_timeout


def fragment_key(name, generation=None):
    return f"public-pages:{generation or current_generation()}:fragment:{name}"


def cached_fragment(name, build, until_scheduled_change=False):
    """The value stored as `name` in this generation; else `build()`, stored and returned.

    A fragment that holds a visibility decision (which briefs a list shows) passes
    `until_scheduled_change`: it then lives no longer than a cached page would, up to the next
    moment a brief goes live or expires on its own, and is not stored once that moment is due."""
    cache, generation = page_cache(), current_generation()
    key = fragment_key(name, generation)
    value = cache.get(key)
    if value is None:
        value = build()
        timeout = lifetime(generation) if until_scheduled_change else page_timeout()
        if timeout is not None:
            cache.set(key, value, timeout)
    return value


def fragment_context(request):
    """For Django's `{% cache %}` tag in public templates: the store, the lifetime and the current
    generation to vary on, e.g. `{% cache fragment_timeout "brief-card" brief.pk fragment_generation
    using=fragment_cache %}`. The generation is read only by a page that has such a fragment."""
    return {
        "fragment_cache": cache_alias(),
        "fragment_timeout": page_timeout(),
        "fragment_generation": SimpleLazyObject(current_generation),
    }


def cached_fragments(items, build):
    """The fragments stored under the names of `items` ({name: object}), in its order; those not
    stored yet are made at once by `build(objects)` (a list of fragments, in order) and stored."""
    cache, generation = page_cache(), current_generation()
    keys = {name: fragment_key(name, generation) for name in items}
    found = cache.get_many(keys.values())
    missing = [name for name in items if keys[name] not in found]
    if missing:
        made = dict(
            zip((keys[name] for name in missing), build([items[name] for name in missing]), strict=True)
        )
        cache.set_many(made, page_timeout())
        found.update(made)
    return [found[keys[name]] for name in items]
