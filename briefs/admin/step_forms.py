"""The forms of a brief's side pages: what each workflow step, assignment or share link asks for.

Each field says in words what was wrong, and a refused form changes nothing.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.functional import lazy

from core import timefmt

from ..models import Brief, Status
from ..pending import Kind

LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def moderators():
    """People a brief can be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_brief")
            | Q(user_permissions__codename="publish_brief")
        )
        .distinct()
        .order_by("first_name", "username")
    )


class LocalDateTimeField(forms.DateTimeField):
    """A `datetime-local` input, read in the newsroom's time zone."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def __init__(self, *, what, **kwargs):
        kwargs.setdefault("help_text", lazy(timefmt.zone_help, str)())
        super().__init__(
            required=False,
            input_formats=LOCAL_FORMATS,
            error_messages={
                "invalid": f"Enter {what} as a date and time (YYYY-MM-DD HH:MM), or leave it empty."
            },
            **kwargs,
        )


class PublishForm(forms.Form):
    at = LocalDateTimeField(what="the publication time", label="Publish at (empty: now; later: scheduled)")


class NoteForm(forms.Form):
    note = forms.CharField(
        label="What needs to change (sent to the author)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what needs to change: the note is sent to the author."},
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=moderators(),
        required=False,
        empty_label="— nobody —",
        error_messages={"invalid_choice": "Choose a moderator from the list."},
    )
    due = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": "Enter the due date as YYYY-MM-DD, or leave it empty. Nothing was changed."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = moderators()


class ShareForm(forms.Form):
    days = forms.IntegerField(
        min_value=1,
        max_value=30,
        initial=7,
        error_messages={
            "invalid": "Enter a number of days between 1 and 30.",
            "min_value": "A share link lasts at least a day.",
            "max_value": "A share link lasts at most 30 days.",
        },
    )


class ExpiryForm(forms.Form):
    expire_at = LocalDateTimeField(what="when the brief leaves the lists", label="Leaves the lists at")
    successor = forms.ModelChoiceField(
        queryset=Brief.objects.none(),
        required=False,
        label="Replaced by",
        empty_label="— no newer brief —",
        error_messages={"invalid_choice": "Choose a published brief from the list."},
    )

    def __init__(self, *args, brief, **kwargs):
        super().__init__(*args, **kwargs)
        # Published briefs only: a draft's headline (and address) is never offered here.
        self.fields["successor"].queryset = (
            Brief.objects.filter(status=Status.PUBLISHED).exclude(pk=brief.pk).order_by("-published_at")[:200]
        )


class PublishChangesForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Kind.CHOICES,
        widget=forms.RadioSelect,
        label="What readers are told",
        error_messages={"required": "Say whether this is a fix, an update or a correction."},
    )
    note = forms.CharField(
        required=False,
        max_length=1000,
        label="The correction readers read (for a correction)",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Kind.CORRECTION and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Write the correction readers will read.")
        return cleaned
