from django.contrib import admin, messages
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from . import services
from .models import Term, TermAlias, TermRedirect, TermRevision, TermStatus


class TermAliasInline(admin.TabularInline):
    model = TermAlias
    extra = 1


class TermRevisionInline(admin.TabularInline):
    model = TermRevision
    extra = 0
    can_delete = False
    fields = ["approved_at", "approved_by", "text"]
    readonly_fields = fields
    verbose_name_plural = "Approved wordings (newest first)"

    def has_add_permission(self, request, obj=None):
        return False


class TermRedirectInline(admin.TabularInline):
    model = TermRedirect
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name_plural = "Old addresses that redirect here"


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "has_proposal", "brief_count", "updated_at"]
    list_filter = ["status", ("pending_definition", admin.EmptyFieldListFilter)]
    search_fields = ["name", "aliases__name", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "pending_definition", "pending_by"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "definition", "related_terms"]}),
        ("Approval", {"fields": ["status", "pending_definition", "pending_by"]}),
    ]
    autocomplete_fields = ["related_terms"]
    inlines = [TermAliasInline, TermRedirectInline, TermRevisionInline]
    actions = ["approve_selected", "reject_proposals", "merge_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_brief_count=Count("brief_terms", distinct=True))

    @admin.display(description="Used by briefs", ordering="_brief_count")
    def brief_count(self, obj):
        return obj._brief_count

    @admin.display(description="Proposed change", boolean=True)
    def has_proposal(self, obj):
        return bool(obj.pending_definition)

    def has_approve_permission(self, request):
        return services.can_approve(request.user)

    def save_model(self, request, obj, form, change):
        services.save_term(obj, by=request.user)
        if not services.can_approve(request.user):
            if obj.status == TermStatus.DRAFT:
                self.message_user(request, "The term is a draft until a moderator approves it.")
            elif obj.pending_definition and obj.pending_by_id == request.user.pk:
                self.message_user(
                    request,
                    "Your new definition waits for a moderator's approval; readers see the approved one.",
                )

    @admin.action(description="Approve selected terms and proposed definitions", permissions=["approve"])
    def approve_selected(self, request, queryset):
        count = 0
        for term in queryset.filter(Q(status=TermStatus.DRAFT) | ~Q(pending_definition="")):
            services.approve_term(term, by=request.user)
            count += 1
        self.message_user(request, f"Approved {count} term(s).", messages.SUCCESS)

    @admin.action(description="Reject proposed definitions of selected terms", permissions=["approve"])
    def reject_proposals(self, request, queryset):
        for term in queryset.exclude(pending_definition=""):
            services.reject_pending_definition(term, by=request.user)
        self.message_user(request, "Proposed definitions rejected; approved wordings unchanged.")

    @admin.action(description="Merge selected terms into one…", permissions=["delete"])
    def merge_selected(self, request, queryset):
        terms = list(queryset.order_by("name"))
        if len(terms) < 2:
            self.message_user(request, "Select at least two terms to merge.", messages.WARNING)
            return None
        survivor_id = request.POST.get("survivor")
        if request.POST.get("confirm") and survivor_id:
            survivor = next((t for t in terms if str(t.pk) == survivor_id), None)
            if survivor is None:
                self.message_user(request, "Choose the term to keep.", messages.ERROR)
            else:
                others = [t for t in terms if t.pk != survivor.pk]
                services.merge_terms(survivor, others, by=request.user)
                names = ", ".join(f"“{t.name}”" for t in others)
                self.message_user(
                    request,
                    f"Merged {names} into “{survivor.name}”; their old addresses redirect to it.",
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge terms",
            "terms": terms,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/glossary/term/merge.html", context)

    def get_deleted_objects(self, objs, request):
        """Name the briefs that use a term, published ones first, instead of "Brief term: x"."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            from briefs.models import Brief

            briefs = Brief.objects.filter(brief_terms__term__in=list(objs)).distinct()
            published = set(briefs.published().values_list("pk", flat=True))
            protected = [
                format_html(
                    '{} brief <a href="{}">{}</a> uses this term',
                    "Published" if brief.pk in published else "Unpublished",
                    reverse("admin:briefs_brief_change", args=[brief.pk]),
                    brief.headline,
                )
                for brief in sorted(briefs, key=lambda b: (b.pk not in published, b.headline))
            ]
        return deleted, model_count, perms_needed, protected
