"""Full-text search in the editors' lists: the brief and term admins search through the index.

The search app plugs itself into the admins the briefs and glossary apps register (it
re-registers them with a mixin), so those apps never import search. On PostgreSQL a
change-list search (and the term autocomplete) goes through the GIN-indexed vectors
instead of `icontains` scans; plain words match as prefixes, so "lea mech" finds
"learning mechanics" while typing, and a pasted slug finds its brief. The change list
keeps its own ordering. Elsewhere Django's own search runs.
"""

from django.contrib import admin
from django.db import connection

from briefs.models import Brief
from glossary.models import Term

from .backends import normalize_query, search_briefs, search_terms

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
    """For the brief admin: search all briefs (any status) with the backend."""

    def search_with_backend(self, queryset, text, prefix):
        return search_briefs(text, queryset=queryset, prefix=prefix)


class TermSearchAdminMixin(_SearchAdminMixin):
    """For the term admin (and the term autocomplete of the brief form)."""

    def search_with_backend(self, queryset, text, prefix):
        return search_terms(text, queryset=queryset, limit=None, prefix=prefix)


def with_index_search(model, mixin):
    """Re-register `model`'s admin with `mixin` in front of the class its app registered."""
    registered = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(registered.__name__, (mixin, registered), {}))


with_index_search(Brief, BriefSearchAdminMixin)
with_index_search(Term, TermSearchAdminMixin)
