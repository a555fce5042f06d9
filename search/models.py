"""What search reads: one row per brief and per term, refreshed by `search.indexing`.

The rows hold the text that lives in other tables (a brief's points and term
names, a term's aliases) and, on PostgreSQL, a weighted `tsvector` with a GIN
index, so no query ever runs `to_tsvector` over the archive.

A brief's entry also carries a copy of its publication time, so that a reader's
search can filter and order its matches on this one table (see
`BriefSearchEntryQuerySet.visible`).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone


class BriefSearchEntryQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Entries of the briefs `Brief.objects.published()` returns, judged from the copied time.

        Only a shortcut for narrowing matches fast: the copy is refreshed on every save of a
        brief, and search still filters its final results through `published()`."""
        return self.filter(published_at__lte=now or timezone.now())


class BriefSearchEntry(models.Model):
    brief = models.OneToOneField(
        "briefs.Brief", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    extra = models.TextField(
        blank=True, help_text="The brief's points and glossary term names, as searchable text."
    )
    vector = SearchVectorField(null=True)
    published_at = models.DateTimeField(
        null=True,
        editable=False,
        help_text="The brief's publication time while its status is published (scheduled included).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = BriefSearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "brief search entry"
        verbose_name_plural = "brief search entries"
        indexes = [
            GinIndex(fields=["vector"], name="search_brief_vector_gin"),
            # Newest matches first: for a common word the planner walks this index and tests each
            # vector, stopping at the LIMIT, instead of reading every match.
            models.Index(
                fields=["-published_at", "-brief"],
                condition=Q(published_at__isnull=False),
                name="search_brief_published",
            ),
        ]

    def __str__(self):
        return f"Search entry for brief {self.brief_id}"


class TermSearchEntry(models.Model):
    term = models.OneToOneField(
        "glossary.Term", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    aliases = models.TextField(blank=True, help_text="The term's aliases, as searchable text.")
    vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "term search entry"
        verbose_name_plural = "term search entries"
        indexes = [GinIndex(fields=["vector"], name="search_term_vector_gin")]

    def __str__(self):
        return f"Search entry for term {self.term_id}"
