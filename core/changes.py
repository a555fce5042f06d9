"""The one path for side effects: services say what they changed, and the apps react after commit.

A service that writes calls `record(kind, ids)` inside its transaction. When the
transaction commits, every handler an app subscribed to that kind (in its
`AppConfig.ready()`) is called with the ids: the page cache purges, the search index
refreshes, renditions and mails are queued. A rolled-back transaction (or savepoint)
drops its records with it. Outside a transaction the handlers run at once.

Nothing else starts a side effect: no model `save()` override and no signal receiver
does it behind the services' backs, so a bulk path cannot forget one, and a reader of a
service sees every consequence it has by the kinds it records.
"""

import logging
from collections import defaultdict

from django.db import DEFAULT_DB_ALIAS, transaction

logger = logging.getLogger(__name__)

# What can change. `ids` are primary keys of the named rows; ALL means "any of them".
BRIEF_CONTENT = "brief-content"  # a brief's text, points, links, terms or tags
BRIEF_VISIBILITY = "brief-visibility"  # status, publication or expiry: what readers may see
HERO_IMAGE = "hero-image"  # a brief's hero image was set, replaced or removed
RENDITIONS = "renditions"  # resized copies of a hero image were made
TERMS = "terms"  # a glossary term, its aliases or its approval
TAGS = "tags"  # a tag was renamed, merged or deleted
PEOPLE = "people"  # a person's name as readers see it (authors)
ACCESS = "access"  # a person lost a role or was deactivated: end what they were given
OUTLETS = "outlets"  # an outlet (a source's publisher) was added, renamed or removed
LINK_STATES = "link-states"  # a checked link became broken, or works again: readers see its archived copy
KINDS = (
    BRIEF_CONTENT,
    BRIEF_VISIBILITY,
    HERO_IMAGE,
    RENDITIONS,
    TERMS,
    TAGS,
    PEOPLE,
    ACCESS,
    OUTLETS,
    LINK_STATES,
)

ALL = None

_handlers = defaultdict(list)


def subscribe(kind, handler):
    """Call `handler(ids)` after each commit that recorded `kind`; `ids` is a set, or ALL (None)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of change: {kind!r}")
    if handler not in _handlers[kind]:
        _handlers[kind].append(handler)


def record(kind, ids=ALL, *, using=DEFAULT_DB_ALIAS):
    """Say that rows of `kind` changed; their handlers run when the current transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of change: {kind!r}")
    ids = ALL if ids is ALL else frozenset(ids)
    if ids is not ALL and not ids:
        return
    # One callback per record: a savepoint rolled back takes exactly its own records with it.
    transaction.on_commit(lambda: dispatch(kind, ids), using=using, robust=True)


def record_many(changes, *, using=DEFAULT_DB_ALIAS):
    """`record` for several kinds at once: {kind: ids}."""
    for kind, ids in changes.items():
        record(kind, ids, using=using)


def dispatch(kind, ids):
    """Run the handlers of one change now. A failing handler is logged; the others still run."""
    for handler in list(_handlers[kind]):
        try:
            handler(None if ids is ALL else set(ids))
        except Exception:
            logger.exception("Handler %r failed for a change of %s", handler, kind)
