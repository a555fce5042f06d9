from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.functional import SimpleLazyObject
from django.views.generic import ListView

from core.pagination import PaginatedMixin
from core.site import absolute_url
from core.structured_data import json_ld_script
from pagecache.fragments import cached_fragment

from . import selectors
from .models import Term, TermRedirect
from .structured_data import defined_term, defined_term_set


class GlossaryView(ListView):
    """Every term A–Z with a letter index, filterable with a plain GET form."""

    extra_context = {"section": "glossary"}
    template_name = "glossary/glossary.html"
    context_object_name = "terms"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:100]
        return selectors.glossary_terms(self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        terms = list(context["terms"])
        term_set = defined_term_set()
        term_set["@context"] = "https://schema.org"
        term_set["hasDefinedTerm"] = [defined_term(term) for term in terms]
        context.update(
            terms=terms,
            query=self.query,
            letters=selectors.group_by_letter(terms),
            json_ld=json_ld_script(term_set),
        )
        return context


class TermDetailView(PaginatedMixin, ListView):
    """A term with its definition, aliases, related terms and the published briefs using it."""

    extra_context = {"section": "glossary"}
    template_name = "glossary/term_detail.html"
    context_object_name = "briefs"

    def get(self, request, *args, **kwargs):
        # The term and its counts are kept between requests like its definition block: a term
        # changes only through the glossary's services, which record the change, and the count of
        # briefs using it lives no longer than the next brief going live or expiring on schedule.
        self.term = cached_fragment(
            f"term-page:{kwargs['slug']}",
            lambda: selectors.term_page(kwargs["slug"]),
            until_scheduled_change=True,
        )
        if self.term is None:
            return redirect_old_term_slug(kwargs["slug"])
        self.oldest_first = request.GET.get("order") == "oldest"
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.term_briefs(self.term, oldest_first=self.oldest_first)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count = self.term.brief_count  # counted with the term: one query fewer
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = self.term
        # Read only when the term's definition block and structured data are rendered, which the
        # page keeps between requests as fragments (see pagecache.fragments); read once for both.
        aliases = SimpleLazyObject(lambda: [alias.name for alias in term.aliases.all()])
        context.update(
            term=term,
            aliases=aliases,
            related_terms=SimpleLazyObject(lambda: list(term.related_terms.approved())),
            # The history shows only when the definition changed: no query for the many that did not.
            revisions=SimpleLazyObject(lambda: list(term.revisions.all()) if term.revision_count > 1 else []),
            oldest_first=self.oldest_first,
            canonical_url=absolute_url(term.get_absolute_url()),
            json_ld=lambda: json_ld_script(term_structured_data(term, aliases=list(aliases))),
        )
        return context


def term_structured_data(term, aliases=None):
    data = {"@context": "https://schema.org", **defined_term(term)}
    data["inDefinedTermSet"] = defined_term_set()
    if aliases is None:
        aliases = [alias.name for alias in term.aliases.all()]
    if aliases:
        data["alternateName"] = aliases
    return data


def redirect_old_term_slug(slug):
    """A merged or renamed term's old address answers 301 to its current page, else 404."""
    redirect = TermRedirect.objects.filter(old_slug=slug, term__in=Term.objects.approved()).first()
    if redirect is None:
        raise Http404("No such term.")
    return HttpResponsePermanentRedirect(redirect.term.get_absolute_url())
