from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .admin_terms import TermSuggestionsAdminMixin
from .models import MAX_POINTS, MIN_POINTS, Brief, BriefPoint, BriefTerm, LinkKind, SourceLink


class PointFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        count = sum(
            1
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("text")
        )
        if count < MIN_POINTS:
            raise ValidationError("Add at least one “In brief” point.")
        if count > MAX_POINTS:
            raise ValidationError(
                f"A brief has at most {MAX_POINTS} “In brief” points; this one has {count}."
            )


class LinkFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        primaries = sum(
            1
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("kind") == LinkKind.PRIMARY
        )
        if primaries > 1:
            raise ValidationError("Only one link can be the primary “Read full story” link.")


class BriefPointInline(admin.TabularInline):
    model = BriefPoint
    formset = PointFormSet
    extra = 0
    min_num = MIN_POINTS
    max_num = MAX_POINTS
    fields = ["text", "position"]


class BriefTermInline(admin.TabularInline):
    model = BriefTerm
    extra = 0
    autocomplete_fields = ["term"]
    fields = ["term", "position"]


class SourceLinkInline(admin.StackedInline):
    model = SourceLink
    formset = LinkFormSet
    extra = 0
    fields = [("kind", "publisher"), "url", "title", "position"]


@admin.register(Brief)
class BriefAdmin(TermSuggestionsAdminMixin, admin.ModelAdmin):
    list_display = ["headline", "status", "published_at", "author", "updated_at"]
    list_filter = ["status", "author", "tags"]
    list_select_related = ["author"]
    search_fields = ["headline", "dek", "slug"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "published_at", "first_published_at", "created_at", "updated_at"]
    inlines = [BriefPointInline, BriefTermInline, SourceLinkInline]
    fieldsets = [
        (None, {"fields": ["headline", "slug", "dek", "tags"]}),
        ("Hero image", {"fields": ["hero_image", "hero_alt", "hero_credit"]}),
        ("Body", {"fields": ["body"], "classes": ["collapse"]}),
        (
            "Publication",
            {"fields": ["status", "published_at", "first_published_at", "created_at", "updated_at"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.slug_is_locked:
            fields.append("slug")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)
