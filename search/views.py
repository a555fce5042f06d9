from django.core.paginator import Paginator
from django.views.generic import TemplateView

from .backends import attach_snippets, is_capped, search_briefs, search_terms
from .forms import SearchForm


class SearchView(TemplateView):
    """Reader search: matching terms first, then published briefs, best match first."""

    template_name = "search/results.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SearchForm(self.request.GET or None)
        context.update(form=form, query="", terms=[], page_obj=None, briefs=[])
        if not form.is_valid() or not form.cleaned_data["q"]:
            return context
        data = form.cleaned_data
        found = search_briefs(
            data["q"], tag=data["tag"] or None, date_from=data["date_from"], date_to=data["date_to"]
        )
        page = Paginator(found, self.paginate_by).get_page(self.request.GET.get("page"))
        context.update(
            query=data["q"],
            page_obj=page,
            capped=is_capped(page.paginator.count),
            briefs=attach_snippets(page.object_list, data["q"]),
            terms=list(search_terms(data["q"])) if page.number == 1 else [],
        )
        return context
