"""Synthetic briefs at scale, and the reference data set, written with bulk inserts.

`generate()` makes realistic content that is the same for the same seed;
`load_dataset()` loads the framework-neutral JSON made by the reference
`gen_dataset.py` (title, slug, intro, bullets, terms, tags, source_url,
source_name, published_at), keeping its slugs so figures compare on the same
content. Both write briefs in chunks: every brief with its points, terms, tags
and primary link in one pass, with no per-object save().
"""

import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from briefs.demo import newsdesk_author
from briefs.models import Brief, BriefPoint, BriefTerm, LinkKind, SourceLink, Status
from briefs.reading import refresh_word_counts
from glossary.matcher import invalidate_index
from glossary.models import Term, TermStatus
from pagecache.generation import purge
from search.indexing import analyze_search_tables, update_search_vector, update_term_search_vector
from sources.outlets import outlet_for_link
from sources.urlkeys import url_hash

from .bulk import insert_rows, reserve_ids
from .generate_words import OBJECTS, PUBLISHERS, SUBJECTS, TERM_HEADS, TERM_MODIFIERS, VERBS, WORDS

CHUNK = 5000
SPAN_START = dt.datetime(2021, 1, 1, tzinfo=dt.UTC)
SPAN_SECONDS = 5 * 365 * 24 * 3600


@dataclass
class Progress:
    """A plain progress bar on stderr (nothing when `stream` is None)."""

    total: int
    label: str = "briefs"
    stream: object = field(default_factory=lambda: sys.stderr)
    done: int = 0
    started: float = field(default_factory=time.monotonic)

    def advance(self, n):
        self.done += n
        if self.stream is None:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
            f"{self.done:,}/{self.total:,} ({rate:,.0f}/s)"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


@dataclass
class BriefRow:
    """Everything one brief needs, before it gets an id."""

    headline: str
    slug: str
    dek: str
    status: str
    published_at: dt.datetime | None
    points: list
    term_ids: list
    tag_ids: list
    link: tuple  # (publisher, url)


@dataclass
class GenerationResult:
    briefs: int = 0
    published: int = 0
    terms: int = 0
    tags: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0  # of `seconds`, the search index refresh
    brief_ids: list = field(default_factory=list, repr=False)


def refresh_search_index(brief_ids):
    """Refresh the stored search vectors of bulk-written briefs (and the glossary's)."""
    update_search_vector(brief_ids)
    update_term_search_vector()
    analyze_search_tables()
    return True


def _sentence(rng, lo, hi):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _headline(rng):
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"


def _make_terms(rng, count):
    """Term rows with unique names: "sparse probe", "causal linear circuit", "sparse probe 2"…"""
    terms, seen = [], set()
    while len(terms) < count:
        name = f"{rng.choice(TERM_MODIFIERS)} {rng.choice(TERM_HEADS)}"
        if rng.random() < 0.5:
            name = f"{rng.choice(TERM_MODIFIERS)} {name}"
        base, n = name, 2
        while name in seen:
            name, n = f"{base} {n}", n + 1
        seen.add(name)
        definition = " ".join(_sentence(rng, 12, 24) for _ in range(rng.randint(1, 3)))
        terms.append(Term(name=name, slug=slugify(name), definition=definition, status=TermStatus.APPROVED))
    return terms


def _ensure_terms(terms):
    """Create the terms whose slug is new; return {slug: id} for all of them."""
    slugs = [t.slug for t in terms]
    existing = dict(Term.objects.filter(slug__in=slugs).values_list("slug", "id"))
    Term.objects.bulk_create([t for t in terms if t.slug not in existing], batch_size=2000)
    return dict(Term.objects.filter(slug__in=slugs).values_list("slug", "id"))


def _ensure_tags(names):
    """Create missing tags; return {name: id}."""
    existing = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
    new = [Tag(name=name, slug=slugify(name)) for name in names if name not in existing]
    Tag.objects.bulk_create(new, batch_size=2000)
    return dict(Tag.objects.filter(name__in=names).values_list("name", "id"))


def _write(rows, author_id, content_type_id, now, outlets):
    """Insert one chunk of briefs with all their children; return the new brief ids."""
    ids = reserve_ids(Brief, len(rows))
    insert_rows(
        Brief,
        ["id", "headline", "slug", "dek", "author", "status", "published_at", "first_published_at"]
        + ["created_at", "updated_at"],
        (
            (
                pk,
                r.headline,
                r.slug,
                r.dek,
                author_id,
                r.status,
                r.published_at,
                r.published_at if r.status in (Status.PUBLISHED, Status.ARCHIVED) else None,
                r.published_at or now,
                r.published_at or now,
            )
            for pk, r in zip(ids, rows, strict=True)
        ),
    )
    insert_rows(
        BriefPoint,
        ["brief", "text", "position"],
        ((pk, text, i) for pk, r in zip(ids, rows, strict=True) for i, text in enumerate(r.points)),
    )
    insert_rows(
        BriefTerm,
        ["brief", "term", "position"],
        ((pk, term_id, i) for pk, r in zip(ids, rows, strict=True) for i, term_id in enumerate(r.term_ids)),
    )
    # Outlets are found (or made) before the COPY starts: a query on the connection while it streams
    # rows would wait for the COPY, which waits for the rows.
    for r in rows:
        _outlet_id(outlets, *r.link)
    insert_rows(
        SourceLink,
        ["brief", "url", "publisher", "outlet", "url_hash", "kind", "position"],
        (
            (pk, r.link[1], r.link[0], outlets[r.link[0]], url_hash(r.link[1]), LinkKind.PRIMARY, 0)
            for pk, r in zip(ids, rows, strict=True)
        ),
    )
    insert_rows(
        TaggedItem,
        ["tag", "content_type", "object_id"],
        ((tag_id, content_type_id, pk) for pk, r in zip(ids, rows, strict=True) for tag_id in r.tag_ids),
    )
    return ids


def _outlet_id(outlets, publisher, url):
    """Each publisher's outlet, found or made once per run (`outlets` caches them: links go in bulk)."""
    if publisher not in outlets:
        outlet = outlet_for_link(url, publisher)
        outlets[publisher] = outlet.pk if outlet else None
    return outlets[publisher]


def _write_all(rows, total, progress):
    """Write an iterable of BriefRow in chunks, in one transaction."""
    result = GenerationResult()
    author_id = newsdesk_author().pk
    content_type_id = ContentType.objects.get_for_model(Brief).pk
    now = dt.datetime.now(dt.UTC)
    outlets = {}
    chunk = []
    for row in rows:
        chunk.append(row)
        result.published += row.status == Status.PUBLISHED
        if len(chunk) >= CHUNK:
            result.brief_ids += _write(chunk, author_id, content_type_id, now, outlets)
            progress.advance(len(chunk))
            chunk = []
    if chunk:
        result.brief_ids += _write(chunk, author_id, content_type_id, now, outlets)
        progress.advance(len(chunk))
    result.briefs = len(result.brief_ids)
    refresh_word_counts(None)  # one statement for the whole archive: no list of ids to bind
    index_started = time.monotonic()
    refresh_search_index(result.brief_ids)
    result.index_seconds = time.monotonic() - index_started
    # Bulk rows record no change of their own: purge what every process holds.
    transaction.on_commit(purge)
    transaction.on_commit(invalidate_index)
    # Fresh statistics (PostgreSQL and SQLite alike), so the planner sees the new row counts right away.
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            for model in (Brief, BriefPoint, BriefTerm, SourceLink, TaggedItem, Term, Tag):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return result


def _status(rng, published_ratio):
    if rng.random() < published_ratio:
        return Status.PUBLISHED
    return rng.choice(
        (Status.DRAFT, Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED)
    )


@transaction.atomic
def generate(*, briefs, terms, seed=0, published_ratio=0.85, progress_stream=None):
    """Write `briefs` synthetic briefs using `terms` glossary terms; a seed always gives the same content."""
    started = time.monotonic()
    rng = random.Random(seed)
    if Brief.objects.filter(slug__startswith=f"g{seed}-").exists():
        raise ValueError(f"Briefs generated with seed {seed} are already in the database.")
    term_ids = list(_ensure_terms(_make_terms(rng, max(terms, 6))).values())
    tag_names = sorted({f"{rng.choice(TERM_MODIFIERS)}-{rng.choice(OBJECTS)}" for _ in range(40)})
    tag_names += [f"topic-{n}" for n in range(max(0, briefs // 50 - len(tag_names)))]
    tag_ids = list(_ensure_tags(tag_names).values())
    term_ids.sort()
    tag_ids.sort()
    # Publication times: unique, sorted, spread over five years.
    seconds = sorted(rng.sample(range(SPAN_SECONDS), briefs))

    def rows():
        for i in range(briefs):
            headline = _headline(rng)
            status = _status(rng, published_ratio)
            when = SPAN_START + dt.timedelta(seconds=seconds[i])
            publisher, base = rng.choice(PUBLISHERS)
            yield BriefRow(
                headline=headline,
                slug=f"g{seed}-{i:06d}-{slugify(headline)}"[:100],
                dek=" ".join(_sentence(rng, 10, 22) for _ in range(rng.randint(2, 3))),
                status=status,
                published_at=when if status in (Status.PUBLISHED, Status.ARCHIVED) else None,
                points=[_sentence(rng, 12, 25) for _ in range(rng.randint(3, 7))],
                term_ids=rng.sample(term_ids, rng.randint(2, 6)),
                tag_ids=rng.sample(tag_ids, rng.randint(1, 4)),
                link=(publisher, f"{base}{seed}-{i:06d}"),
            )

    result = _write_all(rows(), briefs, Progress(briefs, stream=progress_stream))
    result.terms, result.tags = len(term_ids), len(tag_ids)
    result.seconds = time.monotonic() - started
    return result


@transaction.atomic
def load_dataset(path, *, progress_stream=None):
    """Load the reference JSON data set; every brief is published at its `published_at`."""
    started = time.monotonic()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    term_ids = _ensure_terms(
        [
            Term(name=t["name"], slug=t["slug"], definition=t["definition"], status=TermStatus.APPROVED)
            for t in data["terms"]
        ]
    )
    tag_ids = _ensure_tags(sorted(set(data["tags"])))

    def rows():
        for item in data["briefs"]:
            yield BriefRow(
                headline=item["title"],
                slug=item["slug"],
                dek=item["intro"],
                status=Status.PUBLISHED,
                published_at=dt.datetime.fromisoformat(item["published_at"]),
                points=item["bullets"],
                term_ids=[term_ids[slug] for slug in item["terms"]],
                tag_ids=[tag_ids[name] for name in item["tags"]],
                link=(item["source_name"], item["source_url"]),
            )

    total = len(data["briefs"])
    result = _write_all(rows(), total, Progress(total, stream=progress_stream))
    result.terms, result.tags = len(term_ids), len(tag_ids)
    result.seconds = time.monotonic() - started
    return result
