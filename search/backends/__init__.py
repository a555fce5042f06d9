"""Search briefs and terms: full-text search on PostgreSQL, plain matching elsewhere.

`search_briefs` and `search_terms` are the only entry points; views, the admin
and any other service call them and never touch the backends directly. Readers'
searches start from `Brief.objects.published()`.
"""

import datetime as dt

from django.db import connection
from django.utils import timezone

from briefs.models import Brief
from briefs.selectors import brief_tag_items
from glossary.models import Term

from ..models import BriefSearchEntry
from ..query import MAX_QUERY_LENGTH, normalize_query, parse_query
from . import postgres
from .postgres import PostgresBackend
from .simple import SimpleBackend

__all__ = [
    "MAX_QUERY_LENGTH",
    "attach_snippets",
    "is_capped",
    "normalize_query",
    "parse_query",
    "search_briefs",
    "search_terms",
]

TERM_LIMIT = 5


def get_backend():
    return PostgresBackend() if connection.vendor == "postgresql" else SimpleBackend()


def _start_of_day(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_briefs(
    query, *, tag=None, date_from=None, date_to=None, queryset=None, prefix=False, newest_only=None
):
    """Briefs matching `query`, best first (then newest). Readers get published briefs only;
    the admin and the API pass their own `queryset`. `tag` is a tag slug; dates are inclusive days.

    Public searches on PostgreSQL (readers', and the API's with `newest_only=True`) rank the
    RANKED_CANDIDATES most recent matches (`is_capped` tells whether a count reached that cap);
    the admin's rank every match."""
    text = normalize_query(query)
    readers = queryset is None
    newest_only = readers if newest_only is None else newest_only
    now = timezone.now()
    briefs = Brief.objects.listed(now) if readers else queryset
    if not text:
        return briefs.none()
    since = _start_of_day(date_from) if date_from else None
    until = _start_of_day(date_to + dt.timedelta(days=1)) if date_to else None
    if tag:
        briefs = briefs.filter(tags__slug=tag)
    if since:
        briefs = briefs.filter(published_at__gte=since)
    if until:
        briefs = briefs.filter(published_at__lt=until)
    entries = None
    if newest_only:
        # The same filters on the search entries, so that the newest matches are found on that
        # one table; `briefs` still decides what is shown.
        entries = BriefSearchEntry.objects.visible(now)
        if not readers:
            entries = entries.filter(brief_id__in=queryset.order_by().values("pk"))
        if tag:
            entries = entries.filter(brief_id__in=brief_tag_items().filter(tag__slug=tag).values("object_id"))
        if since:
            entries = entries.filter(published_at__gte=since)
        if until:
            entries = entries.filter(published_at__lt=until)
    return get_backend().briefs(briefs, text, prefix=prefix, candidates=entries)


def is_capped(count):
    """Whether a reader search's result count is the cap rather than every match."""
    return connection.vendor == "postgresql" and count >= postgres.RANKED_CANDIDATES


def search_terms(query, *, queryset=None, limit=TERM_LIMIT, prefix=False):
    """Glossary terms matching `query` by name, alias or definition, best first; `limit=None` for all.

    Readers get approved terms only; the admin passes its own `queryset`."""
    text = normalize_query(query)
    terms = Term.objects.approved() if queryset is None else queryset
    if not text:
        return terms.none()
    found = get_backend().terms(terms, text, prefix=prefix)
    return found if limit is None else found[:limit]


def attach_snippets(briefs, query):
    """Give each brief of a result page a `snippet`: safe HTML with the matched words in <mark>."""
    briefs = list(briefs)
    text = normalize_query(query)
    if briefs and text:
        snippets = get_backend().snippets(briefs, text)
        for brief in briefs:
            brief.snippet = snippets.get(brief.pk, "")
    return briefs
