"""Reads for the public site. Pages start from `Brief.objects.published()`; lists, feeds and counts
from `Brief.objects.listed()` (published and not expired)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from sources.models import LinkState, Outlet

from .models import Brief, BriefTerm, Correction, LinkKind, SourceLink, listed_q


def published_briefs():
    """Published briefs with what list pages show (cards), in a fixed number of queries."""
    return Brief.objects.listed().for_lists()


def briefs_tagged(tag):
    return published_briefs().filter(tags=tag)


def feed_briefs():
    """Published briefs with their author, tags, points and links: what a feed item says."""
    return (
        Brief.objects.listed()
        .select_related("author")
        .prefetch_related("tags", "points", Prefetch("links", SourceLink.objects.select_related("outlet")))
    )


# Outlets: a brief is based on an outlet when any of its source links comes from it.


def _listed_links_of_outlet():
    return SourceLink.objects.filter(listed_q("brief__"), outlet=OuterRef("pk"))


def outlets_with_counts():
    """Outlets of at least one listed brief, A–Z, each with `brief_count` (briefs, not links)."""
    counts = (
        _listed_links_of_outlet()
        .order_by()
        .values("outlet")
        .annotate(n=Count("brief", distinct=True))
        .values("n")
    )
    return (
        Outlet.objects.filter(Exists(_listed_links_of_outlet()))
        .annotate(brief_count=Subquery(counts, output_field=IntegerField()))
        .order_by(Lower("name"), "pk")
    )


def published_outlet(slug):
    """The outlet with this slug if a listed brief is based on it, else None: others have no page."""
    return Outlet.objects.filter(Exists(_listed_links_of_outlet()), slug=slug).first()


def briefs_from_outlet(outlet):
    """Listed briefs with a source link from `outlet`, newest first, as list cards."""
    return published_briefs().filter(pk__in=SourceLink.objects.filter(outlet=outlet).values("brief_id"))


def feed_briefs_from_outlet(outlet):
    return feed_briefs().filter(pk__in=SourceLink.objects.filter(outlet=outlet).values("brief_id"))


def corrections_log():
    """Corrections of briefs readers can open, newest first: the public record of what we got wrong."""
    return (
        Correction.objects.filter(brief__in=Brief.objects.published())
        .select_related("brief")
        .only("text", "created_at", "brief__headline", "brief__slug")
        .order_by("-created_at", "-id")
    )


def attach_renditions(briefs):
    """The hero renditions of one page's briefs that have an image: one query, none without images."""
    return Brief.objects.attach_renditions(briefs)


def published_brief_count():
    """Annotation of terms: how many listed briefs use each (the glossary's count, see
    glossary.usage). Read from the term's side of the brief-term table, each use's brief tested
    by its primary key, so counting costs the term's uses, not a scan of the archive."""
    listed = Brief.objects.listed().filter(pk=OuterRef("brief_id"))
    counts = (
        BriefTerm.objects.filter(term=OuterRef("pk"))
        .filter(Exists(listed))
        .order_by()
        .values("term")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def brief_page_queryset():
    """Published briefs (expired ones too: their page stays) with their author and successor;
    `load_brief_page` adds what the page shows."""
    return Brief.objects.published().select_related("author", "superseded_by")


def load_brief_page(brief):
    """Load what the brief page shows (points, links with their check states, terms, tags, and
    corrections if any) into the caches `brief.points.all()` and the like read. Returns the brief.

    Corrections are rare and saving one sets the brief's `content_updated_at`, so a brief without
    that date has none and costs no query. Term aliases are read only when the term links are
    made (see `glossary.linking`), which the page caches."""
    terms = Prefetch("brief_terms", queryset=BriefTerm.objects.select_related("term"))
    checked = LinkState.objects.filter(url_hash=OuterRef("url_hash")).values("state")[:1]
    links = Prefetch(
        "links", queryset=SourceLink.objects.select_related("outlet").annotate(check_state=checked)
    )
    lookups = ["points", links, terms, "tags"]
    if brief.content_updated_at:
        lookups.append("corrections")
    prefetch_related_objects([brief], *lookups)
    return brief


def corrections_of(brief):
    """The brief's corrections, oldest first; none without a query when it was never corrected."""
    return list(brief.corrections.all()) if brief.content_updated_at else []


def tags_with_counts():
    """Tags used by at least one published brief, A–Z, each with `brief_count`."""
    return (
        Tag.objects.filter(pk__in=Brief.objects.listed().values("tags"))
        .annotate(brief_count=_published_tag_count())
        .order_by("name")
    )


def published_tag(slug):
    """The tag with this slug if a published brief uses it, else None: unused tags are not public.

    Read from the tag's own rows, each brief tested by its primary key, so the test costs the
    tag's uses, not a scan of the archive's tags."""
    listed = Brief.objects.listed().filter(pk=OuterRef("object_id"))
    uses = brief_tag_items().filter(tag=OuterRef("pk")).filter(Exists(listed))
    return Tag.objects.filter(Exists(uses), slug=slug).first()


def brief_tag_items():
    """Taggit's rows for briefs (its table holds the tags of every tagged model)."""
    return TaggedItem.objects.filter(
        content_type__app_label=Brief._meta.app_label, content_type__model=Brief._meta.model_name
    )


def _published_tag_count():
    counts = (
        brief_tag_items()
        .filter(tag=OuterRef("pk"), object_id__in=Brief.objects.listed().values("pk"))
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class RelatedBrief:
    brief: Brief
    shared: list  # names of shared terms, then shared tags

    @property
    def reason(self):
        return ", ".join(self.shared)


# Ranked in one statement, written out because the brief page runs it on every view and the ORM
# spent more time building the equivalent query than the database spent running it. Only briefs
# that share a term or a tag are ranked, each found through the term's or the tag's index (`+ 0`
# keeps SQLite from reading every brief's tag rows through their shared content type instead), so
# the cost follows the brief's terms and tags, not the size of the archive. Who may see a brief
# still comes from `Brief.objects.listed()`, compiled as a test of each candidate (`{listed}`).
# Each ranked brief comes back once per item it shares.
RELATED_SQL = """
    WITH shared AS (
        SELECT brief_id AS id, term_id AS item, 1 AS is_term
        FROM briefs_briefterm WHERE term_id IN ({term_ids})
        UNION ALL
        SELECT object_id, tag_id, 0
        FROM taggit_taggeditem WHERE tag_id IN ({tag_ids}) AND content_type_id + 0 = %s
    ),
    ranked AS (
        SELECT id, SUM(is_term) AS shared_terms, SUM(1 - is_term) AS shared_tags
        FROM shared WHERE id <> %s GROUP BY id
    ),
    top AS (
        SELECT b.id, b.slug, b.headline, b.dek, b.published_at, r.shared_terms, r.shared_tags
        FROM ranked r JOIN briefs_brief b ON b.id = r.id
        WHERE EXISTS ({listed})
        ORDER BY r.shared_terms DESC, r.shared_tags DESC, b.published_at DESC, b.id DESC
        LIMIT %s
    )
    SELECT top.*, shared.item, shared.is_term
    FROM top LEFT JOIN shared ON shared.id = top.id
    ORDER BY top.shared_terms DESC, top.shared_tags DESC, top.published_at DESC, top.id DESC
"""


def related_briefs(brief, limit=5):
    """Up to `limit` listed briefs ranked in the database: shared terms, shared tags, then recency.

    Each result says which terms and tags it shares with `brief`; the newest briefs fill the list
    when too few share anything. Uses the brief's prefetched terms and tags when they are there."""
    terms = {use.term_id: use.term.name for use in brief.brief_terms.all()}
    tags = {tag.pk: tag.name for tag in brief.tags.all()}
    listed = Brief.objects.listed().filter(pk=RawSQL("b.id", [])).values("pk")  # noqa: S611 (a column)
    listed_sql, listed_params = listed.query.sql_with_params()
    # An empty IN () is not valid SQL: an id no row has stands in.
    term_ids, tag_ids = list(terms) or [0], list(tags) or [0]
    sql = RELATED_SQL.format(
        term_ids=", ".join(["%s"] * len(term_ids)),
        tag_ids=", ".join(["%s"] * len(tag_ids)),
        listed=listed_sql,
    )
    params = [
        *term_ids,
        *tag_ids,
        ContentType.objects.get_for_model(Brief).pk,
        brief.pk,
        *listed_params,
        limit,
    ]
    ranked, shares = {}, {}
    for row in Brief.objects.raw(sql, params):
        ranked.setdefault(row.pk, row)
        if row.item is not None:
            shares.setdefault((row.pk, bool(row.is_term)), set()).add(int(row.item))
    if len(ranked) < limit:
        newest = Brief.objects.listed().exclude(pk__in=[brief.pk, *ranked]).order_by("-published_at", "-pk")
        for other in newest.only("slug", "headline", "dek", "published_at")[: limit - len(ranked)]:
            ranked[other.pk] = other
    related = []
    for other in ranked.values():
        term_ids, tag_ids = shares.get((other.pk, True), set()), shares.get((other.pk, False), set())
        shared = [name for pk, name in terms.items() if pk in term_ids]
        shared += sorted((name for pk, name in tags.items() if pk in tag_ids), key=str.lower)
        related.append(RelatedBrief(brief=other, shared=shared))
    return related


def links_by_kind(brief):
    """The brief's non-primary links grouped by kind, in the editor's order: [(label, [links])]."""
    groups = {}
    for link in brief.links.all():
        if link.kind != LinkKind.PRIMARY:
            groups.setdefault(link.kind, []).append(link)
    return [(LinkKind(kind).label, links) for kind, links in groups.items()]


def next_visibility_change():
    """When public pages next change without anyone saving: a scheduled brief goes live, or a listed
    one expires. One statement: each moment is read from the end of its index."""
    now = timezone.now()
    scheduled = Brief.objects.scheduled(now).order_by("published_at").values("published_at")[:1]
    expiring = (
        Brief.objects.listed(now)
        .filter(expire_at__isnull=False)
        .order_by("expire_at")
        .values("expire_at")[:1]
    )
    row = (
        Brief.objects.annotate(publication=Subquery(scheduled), expiry=Subquery(expiring))
        .values_list("publication", "expiry")
        .first()
    )
    moments = [moment for moment in (row or ()) if moment is not None]
    return min(moments) if moments else None
