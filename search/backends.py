"""Search briefs and terms: full-text search on PostgreSQL, plain matching elsewhere.

`search_briefs` and `search_terms` are the only entry points; views, the admin
and any other service call them and never touch the backends directly. Readers'
searches start from `Brief.objects.published()`.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
)
from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.models import TaggedItem

from briefs.models import Brief
from briefs_cms.text import clean_line
from glossary.models import Term

from .models import BriefSearchEntry
from .snippets import START, STOP, from_sentinels, highlight

CONFIG = "english"
MAX_QUERY_LENGTH = 200
TERM_LIMIT = 5
# Readers' searches rank at most this many matches: the most recent ones. See PostgresBackend.briefs.
RANKED_CANDIDATES = 1000
SNIPPET_BODY_CHARS = 2000


def normalize_query(text):
    """One line of visible text, at most MAX_QUERY_LENGTH characters (no NUL, no bidi controls)."""
    return clean_line(str(text or ""))[:MAX_QUERY_LENGTH].strip()


@dataclass
class ParsedQuery:
    """Web-search syntax for the simple backend: groups joined by "or", words or "phrases", -excluded."""

    groups: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    @property
    def words(self):
        return [word for group in self.groups for word in group]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def parse_query(text):
    parsed = ParsedQuery(groups=[[]])
    for match in _TOKEN.finditer(text):
        if match.group(3) is not None:
            raw = match.group(3)
            if raw.lower() == "or":
                parsed.groups.append([])
                continue
            negated = raw.startswith("-")
        else:
            raw, negated = match.group(2), match.group(1) == "-"
        word = " ".join(_EDGE_PUNCTUATION.sub("", part) for part in raw.split())
        word = word.strip()
        if not word:
            continue
        (parsed.excluded if negated else parsed.groups[-1]).append(word)
    parsed.groups = [group for group in parsed.groups if group]
    return parsed


class PostgresBackend:
    """Stored, weighted tsvector (GIN-indexed); websearch queries; ts_rank; ts_headline snippets."""

    def query(self, text):
        return SearchQuery(text, search_type="websearch", config=CONFIG)

    def prefix_query(self, text):
        """For editors typing the start of words: every word as a prefix ("lea mech" finds "learning
        mechanics"). Built only from letters and digits, so it is always a valid tsquery."""
        words = re.findall(r"[^\W_]+", text)
        if not words:
            return None
        return SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config=CONFIG)

    def briefs(self, queryset, text, *, prefix=False, candidates=None):
        """Matches ranked by ts_rank, then newest first.

        With `candidates` (readers' searches: the search entries their filters allow), only
        the RANKED_CANDIDATES most recent matching entries are ranked. Ranking reads every
        ranked vector: a common word matches most of a 100,000-brief archive, and ranking it
        all costs hundreds of milliseconds. Finding the newest matches on the entry table
        alone is cheap either way: for a common word PostgreSQL walks the publication-time
        index and stops at the limit; for a rare one it takes the GIN index. The price is that
        for a query matching more than RANKED_CANDIDATES briefs an older headline match can
        drop out (narrowing the query or filtering by date brings it back).
        """
        query = self.prefix_query(text) if prefix else self.query(text)
        if query is None:
            return queryset.none()
        if candidates is None:
            matches = queryset.filter(search_entry__vector=query)
        else:
            newest = candidates.filter(vector=query).order_by("-published_at", "-brief_id")
            # Read once, so counting and ranking the page both work on at most this many rows;
            # passed back as one array parameter (a thousand placeholders cost more to build).
            ids = list(newest.values_list("brief_id", flat=True)[:RANKED_CANDIDATES])
            matches = queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [_id_array(ids)]))
        return matches.annotate(search_rank=SearchRank(F("search_entry__vector"), query)).order_by(
            "-search_rank", "-published_at", "-pk"
        )

    def terms(self, queryset, text, *, prefix=False):
        query = self.prefix_query(text) if prefix else self.query(text)
        if query is None:
            return queryset.none()
        return (
            queryset.filter(search_entry__vector=query)
            .annotate(search_rank=SearchRank(F("search_entry__vector"), query))
            .order_by("-search_rank", Lower("name"), "pk")
        )

    # One statement, written out: built with the ORM's expressions it cost more to compile than
    # to run. The sentinels are removed from the stored text before highlighting, so only the
    # ones ts_headline adds become <mark>.
    SNIPPET_SQL = """
        WITH query AS (SELECT websearch_to_tsquery(%(config)s::regconfig, %(text)s) AS q),
        texts AS (
            SELECT b.id,
                   translate(coalesce(b.dek, '') || E'\\n' || coalesce(e.extra, ''), %(sentinels)s, '')
                       AS summary,
                   translate(left(coalesce(b.body, ''), %(body_chars)s), %(sentinels)s, '') AS body
            FROM briefs_brief b LEFT JOIN search_briefsearchentry e ON e.brief_id = b.id
            WHERE b.id = ANY(%(ids)s::bigint[])
        )
        SELECT texts.id,
               CASE WHEN to_tsvector(%(config)s::regconfig, texts.summary) @@ query.q
                    THEN ts_headline(%(config)s::regconfig, texts.summary, query.q, %(options)s)
                    ELSE ts_headline(%(config)s::regconfig, texts.body, query.q, %(options)s)
               END
        FROM texts, query
    """
    SNIPPET_OPTIONS = (
        f'StartSel="{START}", StopSel="{STOP}", MaxWords=40, MinWords=15, '
        'MaxFragments=2, FragmentDelimiter=" … "'
    )

    def snippets(self, briefs, text):
        """ts_headline over the summary and points; over the start of the body only when they do
        not match, since highlighting a long body is what costs time."""
        params = {
            "config": CONFIG,
            "text": text,
            "sentinels": START + STOP,
            "body_chars": SNIPPET_BODY_CHARS,
            "ids": _id_array([b.pk for b in briefs]),
            "options": self.SNIPPET_OPTIONS,
        }
        with connection.cursor() as cursor:
            cursor.execute(self.SNIPPET_SQL, params)
            return {pk: from_sentinels(raw) for pk, raw in cursor.fetchall()}


def _id_array(ids):
    """A PostgreSQL array literal of integer ids: one text parameter, cheap to send."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


class SimpleBackend:
    """Any other database (SQLite): case-insensitive matching of every word, headline hits first."""

    brief_fields = {"headline": 4, "dek": 2, "search_entry__extra": 2, "body": 1}
    term_fields = {"name": 4, "search_entry__aliases": 3, "definition": 1}

    def _matches(self, parsed, fields):
        def anywhere(word):
            return reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields))

        wanted = reduce(or_, (reduce(and_, (anywhere(w) for w in group)) for group in parsed.groups))
        for word in parsed.excluded:
            wanted &= ~anywhere(word)
        return wanted

    def _score(self, parsed, fields):
        scores = [
            Case(
                *(
                    When(**{f"{name}__icontains": word}, then=Value(weight))
                    for name, weight in fields.items()
                ),
                default=Value(0),
                output_field=IntegerField(),
            )
            for word in parsed.words
        ]
        return reduce(lambda a, b: a + b, scores)

    def _search(self, queryset, text, fields, ordering):
        parsed = parse_query(text)
        if not parsed.groups:
            return queryset.none()
        found = queryset.filter(self._matches(parsed, fields))
        return found.annotate(search_rank=self._score(parsed, fields)).order_by("-search_rank", *ordering)

    def briefs(self, queryset, text, *, prefix=False, candidates=None):
        return self._search(queryset, text, self.brief_fields, ["-published_at", "-pk"])

    def terms(self, queryset, text, *, prefix=False):
        return self._search(queryset, text, self.term_fields, [Lower("name"), "pk"])

    def snippets(self, briefs, text):
        words = parse_query(text).words
        rows = (
            Brief.objects.filter(pk__in=[b.pk for b in briefs])
            .order_by()
            .values_list("pk", "dek", "search_entry__extra", "body")
        )
        return {pk: highlight("\n".join(part for part in parts if part), words) for pk, *parts in rows}


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
    briefs = Brief.objects.published(now) if readers else queryset
    if not text:
        return briefs.none()
    # Filters apply twice: to the search entries, so that the newest matches are found on that
    # one table, and to the briefs, which decide what is shown.
    entries = BriefSearchEntry.objects.visible(now)
    if not readers:
        entries = entries.filter(brief_id__in=queryset.order_by().values("pk"))
    if tag:
        briefs = briefs.filter(tags__slug=tag)
        entries = entries.filter(brief_id__in=_tagged_brief_ids(tag))
    if date_from:
        since = _start_of_day(date_from)
        briefs = briefs.filter(published_at__gte=since)
        entries = entries.filter(published_at__gte=since)
    if date_to:
        until = _start_of_day(date_to + dt.timedelta(days=1))
        briefs = briefs.filter(published_at__lt=until)
        entries = entries.filter(published_at__lt=until)
    return get_backend().briefs(briefs, text, prefix=prefix, candidates=entries if newest_only else None)


def _tagged_brief_ids(tag_slug):
    return TaggedItem.objects.filter(
        tag__slug=tag_slug,
        content_type__app_label=Brief._meta.app_label,
        content_type__model=Brief._meta.model_name,
    ).values("object_id")


def is_capped(count):
    """Whether a reader search's result count is the cap rather than every match."""
    return connection.vendor == "postgresql" and count >= RANKED_CANDIDATES


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
