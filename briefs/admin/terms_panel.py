"""The brief form's terms: the "Terms found in this text" panel (suggest, attach and check glossary
terms) and the chooser's script. The chooser's ranking and results come from the glossary's admin."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Max
from django.template.loader import render_to_string

from glossary.matcher import glossary_index
from glossary.models import Term

from ..models import BriefTerm

PANEL_FIELD = "terms_found"
ATTACH_FIELD = "attach_terms"


def brief_texts(brief):
    """What readers read, in reading order: headline, summary, points and body."""
    texts = [brief.headline or "", brief.dek or ""]
    if brief.pk:
        texts += [point.text for point in brief.points.all()]
    texts.append(brief.body or "")
    return texts


def term_suggestions(brief, *, texts=None, listed_ids=None):
    """(found but not listed, listed but never mentioned): two lists of terms, in text order.

    `texts` and `listed_ids` describe another version than the brief's rows (pending changes)."""
    index = glossary_index()
    counts = {}
    for text in brief_texts(brief) if texts is None else texts:
        for match in index.find(text):
            counts[match.term_id] = counts.get(match.term_id, 0) + 1
    if listed_ids is not None:
        found = Term.objects.in_bulk(listed_ids)
        listed = [found[pk] for pk in listed_ids if pk in found]
    else:
        listed = list(brief.terms.all()) if brief.pk else []
    listed_ids = {term.pk for term in listed}
    found = Term.objects.in_bulk([pk for pk in counts if pk not in listed_ids])
    suggestions = [(found[pk], counts[pk]) for pk in counts if pk in found]
    unmentioned = [term for term in listed if term.pk not in counts]
    return suggestions, unmentioned


def attach_terms(brief, terms):
    """Add terms at the end of the brief's list, skipping those already listed."""
    present = set(brief.brief_terms.values_list("term_id", flat=True))
    position = (brief.brief_terms.aggregate(last=Max("position"))["last"] or 0) + 1
    added = []
    for term in terms:
        if term.pk not in present:
            BriefTerm.objects.create(brief=brief, term=term, position=position)
            present.add(term.pk)
            position += 1
            added.append(term)
    return added


class TermSuggestionsAdminMixin:
    """The panel is a read-only field (the admin puts it in its own fieldset, PANEL_FIELD);
    its checkboxes attach terms on save."""

    terms_panel_template = "admin/briefs/includes/terms_found.html"

    @property
    def media(self):
        # The term chooser: names chosen terms briefly and proposes new ones (glossary's TermAdmin).
        return super().media + forms.Media(js=["admin/js/jquery.init.js", "glossary/admin/term-chooser.js"])

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), PANEL_FIELD]

    @admin.display(description="Glossary terms")
    def terms_found(self, obj):
        suggestions, unmentioned = term_suggestions(obj) if obj is not None else ([], [])
        return render_to_string(
            self.terms_panel_template,
            {
                "saved": obj is not None and obj.pk is not None,
                "suggestions": suggestions,
                "unmentioned": unmentioned,
                "attach_field": ATTACH_FIELD,
                "auto_attach": getattr(settings, "GLOSSARY_AUTO_ATTACH_TERMS", False),
            },
        )

    def terms_to_attach(self, request, brief, listed_ids=None, texts=None):
        """The terms the editor ticked in the panel (or all found, with auto-attach), still found in
        the text as saved."""
        suggestions, _ = term_suggestions(brief, texts=texts, listed_ids=listed_ids)
        if getattr(settings, "GLOSSARY_AUTO_ATTACH_TERMS", False):
            return [term for term, _ in suggestions]
        wanted = set(request.POST.getlist(ATTACH_FIELD))
        return [term for term, _ in suggestions if str(term.pk) in wanted]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        brief = form.instance
        added = attach_terms(brief, self.terms_to_attach(request, brief))
        if added:
            names = ", ".join(f"“{term.name}”" for term in added)
            self.message_user(request, f"Attached glossary terms: {names}.", messages.SUCCESS)
