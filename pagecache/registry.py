"""What the page cache stores, and what empties it: each content app registers its pages in ready().

    pagecache.registry.cache_pages(
        "briefs",                                  # the URL namespace
        invalidated_by=[changes.BRIEF_CONTENT, changes.TAGS],
        private=["shared"],                        # URL names never cached (share links)
        next_change=selectors.next_visibility_change,  # when a page may change without a write
    )

Any change of a registered kind purges every cached page at once (see `generation`);
`next_change` bounds every lifetime, so a scheduled brief appears on time.
"""

from dataclasses import dataclass, field

from core import changes

from .generation import purge


@dataclass(frozen=True)
class Section:
    namespace: str
    private: frozenset = field(default_factory=frozenset)
    next_change: object = None  # () -> datetime | None


_sections = {}


def cache_pages(namespace, *, invalidated_by, private=(), next_change=None):
    _sections[namespace] = Section(namespace, frozenset(private), next_change)
    for kind in invalidated_by:
        changes.subscribe(kind, _purge_on_change)


def _purge_on_change(ids):
    purge()


def sections():
    return _sections


def next_change():
    """The earliest moment a registered page may change on its own (a POSIX timestamp), or None."""
    moments = [section.next_change() for section in _sections.values() if section.next_change]
    moments = [moment.timestamp() for moment in moments if moment is not None]
    return min(moments) if moments else None
