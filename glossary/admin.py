import io
import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import Truncator

from core import changes
from core.admin_rows import LabelledRowForm, LabelledRowsFormSet
from core.text import clean_line

from . import csvio, selectors, services
from .models import Term, TermAlias, TermRedirect, TermRevision, TermStatus

DEFINITION_PREVIEW_WORDS = 12


class TermAliasInline(admin.TabularInline):
    model = TermAlias
    form, formset = LabelledRowForm, LabelledRowsFormSet
    extra = 1


class TermRevisionInline(admin.TabularInline):
    model = TermRevision
    extra = 0
    can_delete = False
    fields = ["approved_at", "approved_by", "text"]
    readonly_fields = fields
    verbose_name_plural = "Approved wordings (newest first)"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("glossary.view_term")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TermRedirectInline(admin.TabularInline):
    model = TermRedirect
    form, formset = LabelledRowForm, LabelledRowsFormSet
    extra = 0
    fields = ["old_slug", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name_plural = "Old addresses that redirect here"

    # Part of the term: whoever may change the term may manage its old addresses.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("glossary.view_term")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("glossary.change_term")

    has_change_permission = has_add_permission
    has_delete_permission = has_add_permission


MAX_IMPORT_BYTES = 2 * 1024 * 1024


class TermImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with the columns name, slug, definition, aliases (separated by ;) and "
        "related (slugs separated by ;). A row whose slug exists updates that term.",
    )


class AwaitingApprovalFilter(admin.SimpleListFilter):
    """What the desk's "Terms awaiting approval" counts: new drafts and proposed wordings."""

    title = "approval"
    parameter_name = "approval"

    def lookups(self, request, model_admin):
        return [("waiting", "Awaiting approval")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(selectors.awaiting_approval_q())
        return queryset


class TermProposalForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="The term as readers will see it.")
    definition = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1500,
        help_text="Plain language. The term stays a draft until a moderator approves it.",
    )


def match_rank(search_term):
    """0 when the name starts with what was typed, 1 when an alias does, 2 when a word of the name
    or of an alias starts with it, 3 for the rest (a match in the definition)."""
    aliases = TermAlias.objects.filter(term=OuterRef("pk"))
    word = Q(name__icontains=f" {search_term}") | Q(name__icontains=f"-{search_term}")
    return Case(
        When(name__istartswith=search_term, then=Value(0)),
        When(Exists(aliases.filter(name__istartswith=search_term)), then=Value(1)),
        When(word, then=Value(2)),
        When(Exists(aliases.filter(name__icontains=f" {search_term}")), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "status", "proposal", "brief_count", "updated_at"]
    list_filter = ["status", AwaitingApprovalFilter, ("pending_definition", admin.EmptyFieldListFilter)]
    search_fields = ["name", "aliases__name", "definition"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["status", "pending_definition", "pending_by"]
    autocomplete_fields = ["related_terms"]
    inlines = [TermAliasInline, TermRedirectInline, TermRevisionInline]
    actions = ["approve_selected", "reject_proposals", "merge_selected", "export_csv"]
    change_list_template = "admin/glossary/term/change_list.html"

    class Media:
        css = {"all": ["css/admin-term-form.css"]}
        js = ["js/unsaved-changes.js", "js/admin-labels.js"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The name at heading size and room to write the definition: the term comes first."""
        widgets = {
            "name": forms.TextInput(attrs={"class": "term-name"}),
            "definition": forms.Textarea(attrs={"rows": 6, "class": "term-definition"}),
            **kwargs.pop("widgets", {}),
        }
        return super().get_form(request, obj, change, widgets=widgets, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["name", "definition"], "classes": ["term-lead"]}),
            ("Related terms and address", {"fields": ["related_terms", "slug"]}),
        ]
        if obj is not None:  # a new term has nothing to approve yet: no empty rows
            proposal = [name for name in ("pending_definition", "pending_by") if getattr(obj, name)]
            # A proposal waiting for approval stays open; a settled record is folded away.
            folded = [] if proposal else ["collapse"]
            fieldsets.append(("Approval", {"fields": ["status", *proposal], "classes": folded}))
        return fieldsets

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="glossary_term_import"),
            path("propose/", self.admin_site.admin_view(self.propose_view), name="glossary_term_propose"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        report = None
        form = TermImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error("file", "The file is larger than 2 MB; split it.")
            else:
                report = csvio.import_terms_from_bytes(upload.read(), by=request.user)
                if report.ok:
                    self.message_user(
                        request,
                        f"Imported {report.created} new and {report.updated} updated terms.",
                        messages.SUCCESS,
                    )
                    return redirect("admin:glossary_term_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import terms from CSV",
            "opts": self.model._meta,
            "form": form,
            "report": report,
            "columns": csvio.COLUMNS,
        }
        return TemplateResponse(request, "admin/glossary/term/import.html", context)

    @admin.action(description="Export selected terms as CSV")
    def export_csv(self, request, queryset):
        out = io.StringIO()
        csvio.export_terms(out, Term.objects.filter(pk__in=queryset.values("pk")))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        filename = f"glossary-{timezone.now():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_brief_count=Count("brief_terms", distinct=True))

    @admin.display(description="Used by briefs", ordering="_brief_count")
    def brief_count(self, obj):
        return obj._brief_count

    @admin.display(description="Proposed change")
    def proposal(self, obj):
        return "New wording proposed" if obj.pending_definition else "—"

    # The term chooser (autocomplete on the brief form): the best match first, with its
    # definition and approval status, and a way to propose a term that is not there yet.

    def rank_choices(self, queryset, search_term):
        """The chooser's order, whichever search found the terms: name prefix, alias prefix, word
        start, then the rest."""
        typed = clean_line(search_term or "")
        if not typed:
            return queryset
        return queryset.annotate(match_rank=match_rank(typed)).order_by("match_rank", Lower("name"), "pk")

    def autocomplete_result(self, obj):
        """What the chooser shows of a term: its name, status and the start of its definition."""
        status = "Approved" if obj.is_approved else "Draft, awaiting approval"
        definition = Truncator(obj.definition).words(DEFINITION_PREVIEW_WORDS)
        return {
            "text": f"{obj.name} — {status} — {definition}",
            "name": obj.name,
            "status": status,
            "definition": definition,
        }

    def autocomplete_create_option(self, request, search_term, results):
        """A last choice, "Create … as a draft term", for someone who may add terms and typed a
        name no term has yet."""
        typed = clean_line(search_term or "")
        if not typed or not services.can_propose(request.user) or Term.objects.with_name(typed).exists():
            return None
        url = reverse("admin:glossary_term_propose") + "?" + urlencode({"name": typed, "_popup": 1})
        return {"id": "", "text": f"Create “{typed}” as a new draft term…", "create_url": url}

    def propose_view(self, request):
        """Propose a new term from the chooser (a popup): a draft until a moderator approves it."""
        if not services.can_propose(request.user):
            raise PermissionDenied
        form = TermProposalForm(request.POST or None, initial={"name": request.GET.get("name", "")})
        if request.method == "POST" and form.is_valid():
            try:
                data = form.cleaned_data
                name, definition = data["name"], data["definition"]
                term = services.propose_term(name=name, definition=definition, by=request.user)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                if "_popup" in request.GET or "_popup" in request.POST:
                    return TemplateResponse(
                        request,
                        "admin/popup_response.html",
                        {"popup_response_data": json.dumps({"value": str(term.pk), "obj": str(term)})},
                    )
                self.message_user(request, f"“{term}” waits for a moderator's approval.", messages.SUCCESS)
                return redirect("admin:glossary_term_change", term.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Propose a new term",
            "opts": self.model._meta,
            "form": form,
            "is_popup": "_popup" in request.GET,
        }
        return TemplateResponse(request, "admin/glossary/term/propose.html", context)

    def view_on_site(self, obj):
        """Only approved terms have a public page."""
        return obj.get_absolute_url() if obj.is_approved else None

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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # aliases and old addresses
        changes.record(changes.TERMS, [form.instance.pk])

    def delete_model(self, request, obj):
        pk = obj.pk
        super().delete_model(request, obj)
        changes.record(changes.TERMS, [pk])

    def delete_queryset(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        changes.record(changes.TERMS, pks)

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
            briefs = {brief.pk: brief for term in objs for brief in term.briefs.all()}.values()
            published = {pk for term in objs for pk in term.briefs.published().values_list("pk", flat=True)}
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
