"""Admin mixins: the editors' search uses the search backend, and saving refreshes the index.

On PostgreSQL a change-list search (and the term autocomplete) goes through the
GIN-indexed vectors instead of `icontains` scans; plain words match as prefixes,
so "lea mech" finds "learning mechanics" while typing, and a pasted slug finds its
brief. The change list keeps its own ordering. Elsewhere Django's own search runs.
"""

from django.db import connection

from .backends import normalize_query, search_briefs, search_terms
from .indexing import briefs_using_terms, update_search_vector, update_term_search_vector

OPERATORS = ('"', " -", " or ")


def _wants_prefix(text):
    """Plain words match as prefixes; web-search syntax (quotes, -exclude, or) is kept as typed."""
    padded = f" {text.lower()} "
    return not any(op in padded for op in OPERATORS)


class _SearchAdminMixin:
    def search_with_backend(self, queryset, text, prefix):
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        text = normalize_query(search_term)
        if connection.vendor != "postgresql" or not text:
            found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        else:
            found, may_have_duplicates = self.search_with_backend(queryset, text, _wants_prefix(text)), False
        if not found.ordered:
            # The autocomplete paginates what this returns; a GROUP BY annotation drops Meta.ordering.
            found = found.order_by(*self.model._meta.ordering, "pk")
        return found, may_have_duplicates


class BriefSearchAdminMixin(_SearchAdminMixin):
    """For BriefAdmin: search all briefs (any status) with the backend; index after saving."""

    def search_with_backend(self, queryset, text, prefix):
        return search_briefs(text, queryset=queryset, prefix=prefix)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        update_search_vector([form.instance.pk])


class TermSearchAdminMixin(_SearchAdminMixin):
    """For TermAdmin: search terms with the backend; after saving, index the term and, when its
    name changed, the briefs that use it."""

    def search_with_backend(self, queryset, text, prefix):
        return search_terms(text, queryset=queryset, limit=None, prefix=prefix)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        term = form.instance
        update_term_search_vector([term.pk])
        if change and "name" in form.changed_data:
            update_search_vector(briefs_using_terms([term.pk]))
