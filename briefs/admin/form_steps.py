"""Workflow buttons on the brief's form: save what was typed, then take the step, in one request.

The buttons belong to the change form, so pressing one posts everything typed. The form is
saved first, under the same stale-save check and in the same transaction as the step; if the
form cannot be saved (an error, someone else's newer save, a lock) nothing is saved, the step is
not taken, and the form comes back with the input and a message that says so. Steps that take
something from readers (unpublish, archive, discard) keep their confirmation page instead.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse

from .. import pending, workflow
from ..workflow import WorkflowError
from . import step_forms

STEP = "_step"  # a workflow step of a brief that is not live
CHANGES = "_changes"  # a step of the pending changes of a live brief
CHANGE_ACTIONS = {
    "submit": ("Submit the changes for review", pending.submit_changes),
    "return": ("Send the changes back", pending.return_changes),
}


def requested(request):
    """(kind, name, label) of the step a button of the form asks for, or None."""
    if request.method != "POST":
        return None
    step = request.POST.get(STEP)
    if step in workflow.SERVICES and step not in workflow.DESTRUCTIVE:
        return STEP, step, workflow.STEPS[step].label
    action = request.POST.get(CHANGES)
    if action in CHANGE_ACTIONS:
        return CHANGES, action, CHANGE_ACTIONS[action][0]
    return None


def step_arguments(request, wanted):
    """The step's own inputs (a note, a time) as keyword arguments, or a message saying what is wrong."""
    kind, name, _ = wanted
    if (kind, name) in {(STEP, "request_changes"), (CHANGES, "return")}:
        form = step_forms.NoteForm(request.POST)
        if not form.is_valid():
            return None, " ".join(form.errors["note"])
        return {"note": form.cleaned_data["note"]}, None
    if kind == STEP and name in {"publish", "reschedule"}:
        form = step_forms.PublishForm(request.POST)
        if not form.is_valid():
            return None, " ".join(form.errors["at"])
        return {"at": form.cleaned_data["at"]}, None
    return {}, None


def refusal(label, reason=None):
    """Why a pressed button did nothing: said above the kept input."""
    why = f" {reason}" if reason else " Correct what is marked below, then press it again."
    return f"Nothing was saved and “{label}” was not taken.{why} Everything you typed is still here."


def take_after_save(request, brief, wanted):
    """Run the step on the brief just saved; the save stands even if the step is refused."""
    kind, name, label = wanted
    kwargs, _ = step_arguments(request, wanted)
    service = workflow.SERVICES[name] if kind == STEP else CHANGE_ACTIONS[name][1]
    try:
        transition = service(brief, by=request.user, **(kwargs or {}))
    except WorkflowError as error:
        why = " ".join(error.messages)
        messages.warning(request, f"“{brief}” was saved, but “{label}” was not possible: {why}")
    else:
        done = transition.note if kind == STEP and brief.is_scheduled else f"{label}: done."
        messages.success(request, f"“{brief}” was saved. {done}")
    return HttpResponseRedirect(reverse("admin:briefs_brief_change", args=[brief.pk]))
