from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .models import Brief, BriefTerm


def reader_briefs():
    """Published briefs with what list pages show, in a fixed number of queries."""
    return Brief.objects.published().select_related("author").prefetch_related("tags")


class HomeView(ListView):
    template_name = "briefs/home.html"
    context_object_name = "briefs"
    paginate_by = 20

    def get_queryset(self):
        return reader_briefs()


class BriefDetailView(DetailView):
    template_name = "briefs/brief_detail.html"
    context_object_name = "brief"

    def get_queryset(self):
        return reader_briefs().prefetch_related(
            "points",
            "links",
            Prefetch("brief_terms", queryset=BriefTerm.objects.select_related("term")),
        )
