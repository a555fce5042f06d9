"""Reads for the Content API. Every brief query starts from Brief.objects.published()."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max, Prefetch
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import TaggedItem

from briefs.models import Brief, BriefTerm, SourceLink
from core.text import clean_line
from glossary.models import Term
from search import backends


def published_briefs(*, listed=True):
    """Published briefs, newest first, with what a list item shows, in a fixed number of queries.

    Lists hold listed briefs (not expired); a brief's own answer exists as long as its page does."""
    return (
        (Brief.objects.listed() if listed else Brief.objects.published().select_related("superseded_by"))
        .annotate(updated=Coalesce("content_updated_at", "published_at"))
        .prefetch_related("tags", "hero_renditions")
        .order_by("-published_at", "-pk")
    )


def search_briefs(queryset, q):
    """The `q` filter: the site's search backend, best match first (full-text on PostgreSQL),
    ranking the most recent matches as the reader's search does."""
    return backends.search_briefs(q, queryset=queryset, newest_only=True)


def filter_briefs(queryset, *, tag=None, term=None, updated_since: datetime | None = None, q=None):
    if tag:
        queryset = queryset.filter(tags__slug=tag)
    if term:
        queryset = queryset.filter(brief_terms__term__in=Term.objects.approved().filter(slug=term))
    if updated_since:
        queryset = queryset.filter(updated__gte=updated_since)
    if q:
        queryset = search_briefs(queryset, q)
    return queryset


def brief_detail(slug):
    """One published brief with everything its page shows, or None."""
    return (
        published_briefs(listed=False)
        .select_related("author")
        .prefetch_related(
            "points",
            Prefetch("links", queryset=SourceLink.objects.select_related("outlet")),
            "corrections",
            Prefetch("brief_terms", queryset=BriefTerm.objects.select_related("term")),
        )
        .filter(slug=slug)
        .first()
    )


def glossary_terms():
    """The terms readers may see: approved ones."""
    return Term.objects.approved().order_by("slug")


def term_detail(slug, *, brief_limit=20):
    """A term with its aliases, related terms, newest published briefs using it and their count."""
    term = (
        Term.objects.approved()
        .prefetch_related(
            "aliases", Prefetch("related_terms", queryset=Term.objects.approved().order_by("slug"))
        )
        .filter(slug=slug)
        .first()
    )
    if term is not None:
        using = published_briefs().filter(brief_terms__term=term)
        term.latest_briefs = list(using[:brief_limit])
        term.brief_count = (
            using.count() if len(term.latest_briefs) == brief_limit else len(term.latest_briefs)
        )
    return term


def tag_counts():
    """Tags of published briefs with how many published briefs carry each; unused tags are left out."""
    return (
        TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(Brief),
            object_id__in=Brief.objects.listed().values("pk"),
        )
        .values(name=F("tag__name"), slug=F("tag__slug"))
        .annotate(count=Count("id"))
        .order_by("-count", "name")
    )


def content_last_modified():
    """When anything the API shows last changed: a brief saved (any status), a brief going live, a term.

    Saving covers publishing, unpublishing and edits; a scheduled brief goes live without a save, so
    publication times that have passed count too. Three single-column maximums, each read from the
    end of an index: one aggregate with a FILTER would read every brief.
    """
    stamps = {
        "saved": Brief.objects.aggregate(value=Max("updated_at"))["value"],
        "went_live": Brief.objects.filter(published_at__lte=timezone.now()).aggregate(
            value=Max("published_at")
        )["value"],
        "term": Term.objects.approved().aggregate(value=Max("updated_at"))["value"],
    }
    values = [value for value in stamps.values() if value is not None]
    return max(values) if values else None


def clean_filter(value):
    """Query-string text as the database can take it: visible characters only, spaces collapsed."""
    return clean_line(value) if value else value
