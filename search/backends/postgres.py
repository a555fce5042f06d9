"""PostgreSQL full-text search: stored, weighted tsvectors, websearch queries, ts_rank, ts_headline."""

import datetime as dt
import json
import re
import time

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
)
from django.db import connection
from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower

from ..models import BriefSearchEntry
from ..snippets import START, STOP, from_sentinels

CONFIG = "english"
# Readers' searches rank at most this many matches: the most recent ones. See PostgresBackend.briefs.
RANKED_CANDIDATES = 1000
SNIPPET_BODY_CHARS = 2000


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

        With `candidates` (public searches: the search entries their filters allow), only the
        RANKED_CANDIDATES most recent matching entries are ranked. Ranking reads every ranked
        vector: a common word matches most of a 100,000-brief archive, and ranking it all costs
        hundreds of milliseconds. The price is that for a query matching more than
        RANKED_CANDIDATES briefs an older headline match can drop out (narrowing the query or
        filtering by date brings it back). See `newest_matches` for how they are found.
        """
        query = self.prefix_query(text) if prefix else self.query(text)
        if query is None:
            return queryset.none()
        if candidates is None:
            return (
                queryset.filter(search_entry__vector=query)
                .annotate(search_rank=SearchRank(F("search_entry__vector"), query))
                .order_by("-search_rank", "-published_at", "-pk")
            )
        return RankedBriefs(queryset, self.newest_matches(candidates.filter(vector=query), query))

    def newest_matches(self, entries, query):
        """Brief ids of the RANKED_CANDIDATES newest `entries`, best match first; we choose the plan.

        There are two ways: walk the publication-time index from the newest entry, testing each
        vector until enough match (cheap when most entries match), or take every match from the
        GIN index and sort them (cheap when few do). PostgreSQL's planner prices testing a
        vector like any comparison, so for words of middling frequency it walks far too long
        (40 ms for a word in 6 % of briefs, against 10 ms from the index). Its estimate of the
        number of matches is good, though: the walk tests about CANDIDATES × N / M entries and
        the index path reads M matches, so we walk when M² ≥ WALK_COST × CANDIDATES × N.
        """
        matches = _estimated_rows(entries)
        if matches * matches >= WALK_COST * RANKED_CANDIDATES * _entry_count():
            ordered = entries.order_by("-published_at", "-brief_id")
        else:
            # An expression the publication-time index cannot provide: the GIN index it is.
            newest = ExpressionWrapper(F("published_at") + Value(dt.timedelta(0)), DateTimeField())
            ordered = entries.order_by(newest.desc(), "-brief_id")
        # Ranked around the LIMIT, so that only the newest matches' vectors are ranked.
        found = ordered.annotate(tsquery=query).values_list("brief_id", "published_at", "vector", "tsquery")
        sql, params = found[:RANKED_CANDIDATES].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT newest.brief_id FROM ({sql}) AS newest ORDER BY "  # noqa: S608 (the ORM's SQL, bound params)
                "ts_rank(newest.vector, newest.tsquery) DESC, newest.published_at DESC, newest.brief_id DESC",
                params,
            )
            return [row[0] for row in cursor.fetchall()]

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


# How much more a tested entry costs on the index walk than a match read from the GIN index.
WALK_COST = 2
ENTRY_COUNT_SECONDS = 600
_entry_count_cache = {}


def _estimated_rows(queryset):
    """PostgreSQL's estimate of how many rows the queryset returns (a plan, not a count)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


def _entry_count():
    """The number of brief search entries from the table statistics, re-read every ten minutes."""
    now = time.monotonic()
    cached = _entry_count_cache.get(connection.alias)
    if cached is None or now - cached[1] > ENTRY_COUNT_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT GREATEST(reltuples, 1) FROM pg_class WHERE oid = %s::regclass",
                [BriefSearchEntry._meta.db_table],
            )
            row = cursor.fetchone()
        cached = _entry_count_cache[connection.alias] = (float(row[0]) if row else 1.0, now)
    return cached[0]


def _id_array(ids):
    """A PostgreSQL array literal of integer ids: one text parameter, cheap to send."""
    return "{" + ",".join(map(str, map(int, ids))) + "}"


class RankedBriefs:
    """A public search's results on PostgreSQL: brief ids ranked on the search-entry table, and
    the briefs of a page read only when the page is sliced (a Paginator needs nothing more).

    Reading all the ranked briefs to order them would fetch a thousand rows for a page of twenty.
    What is shown and counted still goes through `queryset` (`Brief.objects.published()` and the
    filters): an entry whose copied publication time is out of date is neither shown nor counted
    (its page just has one brief fewer).
    """

    def __init__(self, queryset, ids):
        self.queryset = queryset
        self.ids = ids
        self._count = None

    def _verified(self):
        return self.queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [_id_array(self.ids)]))

    def count(self):
        if self._count is None:
            self._count = self._verified().count() if self.ids else 0
        return self._count

    def exists(self):
        return self.count() > 0

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = {brief.pk: brief for brief in self.queryset.filter(pk__in=ids)} if ids else {}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self):
        return iter(self[:])

    def first(self):
        page = self[:1]
        return page[0] if page else None
