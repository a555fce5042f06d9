"""What search reads: one row per brief and per term, refreshed by `search.indexing`.

The rows hold the text that lives in other tables (a brief's points and term
names, a term's aliases) and, on PostgreSQL, a weighted `tsvector` with a GIN
index, so no query ever runs `to_tsvector` over the archive.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class BriefSearchEntry(models.Model):
    brief = models.OneToOneField(
        "briefs.Brief", on_delete=models.CASCADE, primary_key=True, related_name="search_entry"
    )
    extra = models.TextField(
        blank=True, help_text="The brief's points and glossary term names, as searchable text."
    )
    vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "brief search entry"
        verbose_name_plural = "brief search entries"
        indexes = [GinIndex(fields=["vector"], name="search_brief_vector_gin")]

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
