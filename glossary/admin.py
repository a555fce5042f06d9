from django.contrib import admin
from django.db.models import Count

from search.admin import TermSearchAdminMixin

from .models import Term, TermAlias


class TermAliasInline(admin.TabularInline):
    model = TermAlias
    extra = 1


@admin.register(Term)
class TermAdmin(TermSearchAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "brief_count", "updated_at"]
    search_fields = ["name", "aliases__name", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["related_terms"]
    inlines = [TermAliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_brief_count=Count("brief_terms", distinct=True))

    @admin.display(description="Used by briefs", ordering="_brief_count")
    def brief_count(self, obj):
        return obj._brief_count
