"""Keep the search entries current.

Services record what they changed (`core.changes`); after commit `search.tasks` refreshes the
entries of those briefs and terms in the background. Every function takes any
number of ids and works in chunks, so a bulk loader records its ids once for the whole
archive. Each entry keeps a copy of its brief's publication time, refreshed on every
change of visibility, so readers' search finds the newest matches on the entry table.
"""

from collections import defaultdict
from itertools import islice

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery

from briefs.models import Brief, BriefPoint, BriefTerm, Status
from glossary.models import Term, TermAlias

from .models import BriefSearchEntry, TermSearchEntry

CONFIG = "english"
CHUNK_SIZE = 2000


def _chunks(ids, size=CHUNK_SIZE):
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _uses_vectors():
    return connection.vendor == "postgresql"


def _refresh(model, ids, update_chunk):
    """Run `update_chunk` over `ids` (every row of `model` when None) in atomic chunks; count them."""
    if ids is None:
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    done = 0
    for chunk in _chunks(ids):
        with transaction.atomic():
            done += update_chunk(chunk)
    return done


def update_search_vector(brief_ids=None):
    """Refresh the search entries of these briefs (all briefs when None); returns how many."""
    return _refresh(Brief, brief_ids, _update_brief_chunk)


def publication_time(status, published_at):
    """What an entry copies: the publication time of a published (or scheduled) brief, else None."""
    return published_at if status == Status.PUBLISHED else None


def sync_publication(brief_ids):
    """Copy the briefs' publication times to their search entries (those that have one yet)."""
    rows = Brief.objects.filter(pk__in=brief_ids).values_list("pk", "status", "published_at")
    for pk, status, published_at in rows:
        BriefSearchEntry.objects.filter(brief_id=pk).update(
            published_at=publication_time(status, published_at)
        )


def _update_brief_chunk(ids):
    published = {
        pk: publication_time(status, published_at)
        for pk, status, published_at in Brief.objects.filter(pk__in=ids).values_list(
            "pk", "status", "published_at"
        )
    }
    ids = list(published)
    if not ids:
        return 0
    extra = defaultdict(list)
    points = BriefPoint.objects.filter(brief_id__in=ids).order_by("brief_id", "position", "id")
    for brief_id, text in points.values_list("brief_id", "text"):
        extra[brief_id].append(text)
    terms = BriefTerm.objects.filter(brief_id__in=ids).order_by("brief_id", "position", "id")
    for brief_id, name in terms.values_list("brief_id", "term__name"):
        extra[brief_id].append(name)
    texts = ["\n".join(extra[pk]) for pk in ids]
    if _uses_vectors():
        # One write per entry: an insert-then-update would leave a dead copy of every row.
        with connection.cursor() as cursor:
            cursor.execute(
                _BRIEF_ENTRY_SQL,
                {"config": CONFIG, "ids": ids, "extras": texts, "published": [published[pk] for pk in ids]},
            )
    else:
        BriefSearchEntry.objects.bulk_create(
            [
                BriefSearchEntry(brief_id=pk, extra=text, published_at=published[pk])
                for pk, text in zip(ids, texts, strict=True)
            ],
            update_conflicts=True,
            unique_fields=["brief"],
            update_fields=["extra", "published_at", "updated_at"],
        )
    return len(ids)


# Headline A; summary, points and term names B; the body (as plain text) C.
_BRIEF_ENTRY_SQL = f"""
    INSERT INTO {BriefSearchEntry._meta.db_table} (brief_id, extra, published_at, vector, updated_at)
    SELECT b.id, x.extra, x.published_at,
           setweight(to_tsvector(%(config)s::regconfig, coalesce(b.headline, '')), 'A')
           || setweight(to_tsvector(%(config)s::regconfig, coalesce(b.dek, '') || E'\\n' || x.extra), 'B')
           || setweight(to_tsvector(%(config)s::regconfig, coalesce(b.body_text, '')), 'C'),
           now()
    FROM unnest(%(ids)s::bigint[], %(extras)s::text[], %(published)s::timestamptz[])
         AS x(id, extra, published_at)
    JOIN {Brief._meta.db_table} b ON b.id = x.id
    ON CONFLICT (brief_id) DO UPDATE SET
        extra = EXCLUDED.extra, published_at = EXCLUDED.published_at,
        vector = EXCLUDED.vector, updated_at = EXCLUDED.updated_at
"""  # noqa: S608 (table names from the models; values are bound parameters)


def update_term_search_vector(term_ids=None):
    """Refresh the search entries of these terms (all terms when None); returns how many."""
    return _refresh(Term, term_ids, _update_term_chunk)


def _update_term_chunk(ids):
    ids = list(Term.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if not ids:
        return 0
    aliases = defaultdict(list)
    for term_id, name in TermAlias.objects.filter(term_id__in=ids).values_list("term_id", "name"):
        aliases[term_id].append(name)
    TermSearchEntry.objects.bulk_create(
        [TermSearchEntry(term_id=pk, aliases="\n".join(aliases[pk])) for pk in ids],
        update_conflicts=True,
        unique_fields=["term"],
        update_fields=["aliases", "updated_at"],
    )
    if _uses_vectors():

        def term_field(name):
            return Subquery(Term.objects.filter(pk=OuterRef("term_id")).values(name)[:1])

        TermSearchEntry.objects.filter(term_id__in=ids).update(
            vector=SearchVector(term_field("name"), "aliases", weight="A", config=CONFIG)
            + SearchVector(term_field("definition"), weight="C", config=CONFIG)
        )
    return len(ids)


def briefs_using_terms(term_ids):
    """Ids of the briefs whose vectors hold these terms' names."""
    return list(BriefTerm.objects.filter(term_id__in=term_ids).values_list("brief_id", flat=True).distinct())


def analyze_search_tables():
    """Fresh PostgreSQL statistics after a bulk refresh: readers' searches pick their plan from
    the planner's estimate of how many entries match, which needs them."""
    if _uses_vectors():
        with connection.cursor() as cursor:
            for model in (BriefSearchEntry, TermSearchEntry):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def rebuild_search_index():
    """Every brief and term, e.g. after a bulk import; returns (briefs, terms)."""
    counts = update_search_vector(), update_term_search_vector()
    analyze_search_tables()
    return counts


def refresh_publication(brief_ids):
    if brief_ids is None:
        update_search_vector()
    else:
        sync_publication(brief_ids)


def refresh_terms(term_ids):
    """A term's entry, and the entries of briefs whose text holds its name."""
    update_term_search_vector(term_ids)
    update_search_vector(None if term_ids is None else briefs_using_terms(term_ids))
