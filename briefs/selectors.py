"""Reads for the public site. Every query here starts from `Brief.objects.published()`."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from taggit.models import Tag, TaggedItem

from .models import Brief, BriefTerm, Correction, LinkKind


def published_briefs():
    """Published briefs with what list pages show (author, tags), in a fixed number of queries.

    Pages showing hero images call `attach_renditions` on the briefs they show."""
    return Brief.objects.published().select_related("author").prefetch_related("tags")


def attach_renditions(briefs):
    """Prefetch the hero renditions of the briefs that have a hero image: one query, none when
    no brief on the page has an image. Returns the briefs as a list."""
    briefs = list(briefs)
    prefetch_related_objects([brief for brief in briefs if brief.hero_image], "hero_renditions")
    return briefs


def brief_page_queryset():
    """Published briefs with everything the brief page shows, one query per relation.

    Corrections are rare: the brief carries `correction_count`, and the page reads them only
    when there are some (see `corrections_of`)."""
    corrections = Correction.objects.filter(brief=OuterRef("pk")).order_by().values("brief")
    return (
        published_briefs()
        .annotate(
            correction_count=Coalesce(
                Subquery(corrections.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0
            )
        )
        .prefetch_related(
            "points",
            "links",
            Prefetch("brief_terms", queryset=BriefTerm.objects.select_related("term")),
        )
    )


def corrections_of(brief):
    """The brief's corrections; no query when `brief_page_queryset` counted none."""
    if getattr(brief, "correction_count", None) == 0:
        return []
    return list(brief.corrections.all())


def briefs_tagged(tag):
    return published_briefs().filter(tags=tag)


def feed_briefs():
    """Published briefs with their points and links, for feeds."""
    return published_briefs().prefetch_related("points", "links")


def tags_with_counts():
    """Tags used by at least one published brief, A–Z, each with `brief_count`."""
    return (
        Tag.objects.filter(pk__in=Brief.objects.published().values("tags"))
        .annotate(brief_count=_published_tag_count())
        .order_by("name")
    )


def published_tag(slug):
    """The tag with this slug if a published brief uses it, else None: unused tags are not public."""
    return Tag.objects.filter(slug=slug, pk__in=Brief.objects.published().values("tags")).first()


def _published_tag_count():
    counts = (
        TaggedItem.objects.filter(
            tag=OuterRef("pk"),
            content_type__app_label=Brief._meta.app_label,
            content_type__model=Brief._meta.model_name,
            object_id__in=Brief.objects.published().values("pk"),
        )
        .order_by()
        .values("tag")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _shared_count(rows, group_by, ids):
    """Subquery: how many rows of `rows` (already narrowed to `ids` and the outer brief) there are."""
    if not ids:
        return Value(0, output_field=IntegerField())
    counts = rows.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@dataclass(frozen=True)
class RelatedBrief:
    brief: Brief
    shared: list  # names of shared terms, then shared tags

    @property
    def reason(self):
        return ", ".join(self.shared)


def related_briefs(brief, limit=5):
    """Up to `limit` published briefs ranked in the database: shared terms, shared tags, then recency.

    Each result says which terms and tags it shares with `brief`. Uses the brief's prefetched
    terms and tags when they are there.
    """
    terms = {bt.term_id: bt.term.name for bt in brief.brief_terms.all()}
    tags = {tag.pk: tag.name for tag in brief.tags.all()}
    term_rows = BriefTerm.objects.filter(brief=OuterRef("pk"), term_id__in=terms)
    tag_rows = TaggedItem.objects.filter(
        content_type__app_label=Brief._meta.app_label,
        content_type__model=Brief._meta.model_name,
        object_id=OuterRef("pk"),
        tag_id__in=tags,
    )
    # Only briefs sharing a term or tag, and the newest few, are ranked: ranking every published
    # brief costs a scan of the archive (~1 s at 100,000 briefs). One UNION of ids where the
    # database allows a LIMIT inside it (PostgreSQL); otherwise an OR of the three subqueries.
    published = Brief.objects.published().exclude(pk=brief.pk)
    parts = [published.order_by("-published_at", "-pk").values_list("pk")[:limit]]
    if terms:
        parts.append(BriefTerm.objects.filter(term_id__in=terms).order_by().values_list("brief_id"))
    if tags:
        tagged = TaggedItem.objects.filter(
            content_type__app_label=Brief._meta.app_label,
            content_type__model=Brief._meta.model_name,
            tag_id__in=tags,
        )
        parts.append(tagged.order_by().values_list("object_id"))
    if connection.features.supports_slicing_ordering_in_compound and len(parts) > 1:
        worth_ranking = Q(pk__in=parts[0].union(*parts[1:]))
    else:
        worth_ranking = reduce(or_, (Q(pk__in=part) for part in parts))
    candidates = (
        published.filter(worth_ranking)
        .annotate(
            shared_terms=_shared_count(term_rows, "brief", terms),
            shared_tags=_shared_count(tag_rows, "object_id", tags),
        )
        .order_by("-shared_terms", "-shared_tags", "-published_at", "-pk")
        .only("pk", "slug", "headline", "dek", "published_at")[:limit]
    )
    candidates = list(candidates)
    # Which of the brief's terms and tags each candidate shares: one query for both.
    ids = [other.pk for other in candidates]
    shared_rows = (
        BriefTerm.objects.filter(brief_id__in=ids, term_id__in=terms)
        .annotate(kind=Value("term"))
        .values_list("brief_id", "term_id", "kind")
        .order_by()
        .union(
            TaggedItem.objects.filter(
                content_type__app_label=Brief._meta.app_label,
                content_type__model=Brief._meta.model_name,
                object_id__in=ids,
                tag_id__in=tags,
            )
            .annotate(kind=Value("tag"))
            .values_list("object_id", "tag_id", "kind")
            .order_by(),
            all=True,
        )
        .order_by()
        if ids and (terms or tags)
        else []
    )
    shares = {}
    for brief_id, pk, kind in shared_rows:
        shares.setdefault((int(brief_id), kind), set()).add(pk)
    related = []
    for other in candidates:
        term_ids = shares.get((other.pk, "term"), set())
        tag_ids = shares.get((other.pk, "tag"), set())
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
