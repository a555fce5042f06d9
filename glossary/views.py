from django.views.generic import DetailView

from .models import Term


class TermDetailView(DetailView):
    template_name = "glossary/term_detail.html"
    context_object_name = "term"

    def get_queryset(self):
        return Term.objects.prefetch_related("aliases", "related_terms")
