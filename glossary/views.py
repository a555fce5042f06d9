from django.http import Http404, HttpResponsePermanentRedirect
from django.views.generic import DetailView

from .models import Term, TermRedirect


class TermDetailView(DetailView):
    template_name = "glossary/term_detail.html"
    context_object_name = "term"

    def get_queryset(self):
        return Term.objects.approved().prefetch_related("aliases", "related_terms", "revisions")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return redirect_old_term_slug(kwargs["slug"])


def redirect_old_term_slug(slug):
    """A merged or renamed term's old address answers 301 to its current page, else 404."""
    redirect = TermRedirect.objects.filter(old_slug=slug, term__in=Term.objects.approved()).first()
    if redirect is None:
        raise Http404("No such term.")
    return HttpResponsePermanentRedirect(redirect.term.get_absolute_url())
