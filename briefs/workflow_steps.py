"""The workflow's steps and the rules that allow them.

`STEPS` says, for every step, which statuses it starts from, the status it leads to and who may
take it; `allowed_steps` is what the admin offers as buttons and bulk actions, `_check` is what
every service asks before it changes anything, and `missing_for_publication` lists what a brief
still lacks before readers may see it. Nothing here writes to the database.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from glossary.services import unapproved_terms

from . import permissions
from .models import LinkKind, Status


class WorkflowError(ValidationError):
    """A workflow step the brief's state or the user's role does not allow."""


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    sources: frozenset
    target: str
    allowed: object  # (user, brief) -> bool
    applies: object = None  # (brief) -> bool, a condition beyond the status
    unmet: str = ""  # why the step is refused when `applies` says no
    bulk_name: str = ""  # the admin's bulk action for this step ("" = none)
    bulk_label: str = ""

    def possible_from(self, brief):
        return brief.status in self.sources and (self.applies is None or bool(self.applies(brief)))


STEPS = {
    step.name: step
    for step in [
        Step(
            "submit_for_review",
            "Submit for review",
            frozenset({Status.DRAFT, Status.CHANGES_REQUESTED}),
            Status.IN_REVIEW,
            permissions.can_submit,
            bulk_name="submit_selected",
            bulk_label="Submit selected briefs for review",
        ),
        Step(
            "request_changes",
            "Request changes",
            frozenset({Status.IN_REVIEW}),
            Status.CHANGES_REQUESTED,
            permissions.can_moderate,
        ),
        Step(
            "publish",
            "Publish",
            frozenset({Status.IN_REVIEW}),
            Status.PUBLISHED,
            permissions.can_moderate,
            bulk_name="publish_selected",
            bulk_label="Publish selected briefs now",
        ),
        Step(
            "reschedule",
            "Reschedule",
            frozenset({Status.PUBLISHED}),
            Status.PUBLISHED,
            permissions.can_moderate,
            applies=lambda brief: brief.is_scheduled,
            unmet="the brief is already live; unpublish it first.",
        ),
        Step(
            "unpublish",
            "Unpublish",
            frozenset({Status.PUBLISHED}),
            Status.DRAFT,
            permissions.can_moderate,
            bulk_name="unpublish_selected",
            bulk_label="Unpublish selected briefs (back to draft)",
        ),
        Step(
            "archive",
            "Archive",
            frozenset({Status.PUBLISHED}),
            Status.ARCHIVED,
            permissions.can_moderate,
            bulk_name="archive_selected",
            bulk_label="Archive selected briefs",
        ),
        Step(
            "republish",
            "Republish",
            frozenset({Status.ARCHIVED, Status.DRAFT}),
            Status.PUBLISHED,
            permissions.can_moderate,
            applies=lambda brief: brief.first_published_at is not None,
            unmet="only a brief readers have seen before can be put back as it was.",
        ),
        Step(
            "restore",
            "Restore to draft",
            frozenset({Status.ARCHIVED}),
            Status.DRAFT,
            permissions.can_moderate,
            bulk_name="restore_selected",
            bulk_label="Restore selected archived briefs to draft",
        ),
    ]
}


def allowed_steps(user, brief):
    """The steps this user may take on this brief now, for buttons and bulk actions."""
    return [step for step in STEPS.values() if step.possible_from(brief) and step.allowed(user, brief)]


def missing_for_publication(brief):
    """Everything a brief still lacks before readers may see it, in editor's words."""
    missing = []
    if not (brief.headline or "").strip():
        missing.append("a headline")
    if not (brief.dek or "").strip():
        missing.append("a summary")
    if not brief.points.exclude(text="").exists():
        missing.append("at least one “In brief” point")
    primaries = brief.links.filter(kind=LinkKind.PRIMARY).count()
    if primaries != 1:
        missing.append(
            "exactly one primary “Read full story” link" + (f" (it has {primaries})" if primaries else "")
        )
    if brief.hero_image and not (brief.hero_alt or "").strip():
        missing.append("alt text for the image")
    if brief.hero_image and not (brief.hero_credit or "").strip():
        missing.append("a credit for the image")
    unapproved = list(unapproved_terms(brief))
    if unapproved:
        names = ", ".join(f"“{term.name}”" for term in unapproved)
        missing.append(
            f"approved definitions for its terms {names} (a moderator approves them in the glossary)"
        )
    return missing


def _check(step, user, locked):
    """Role first (a refusal reveals nothing about the brief), then the state."""
    if not step.allowed(user, locked):
        raise WorkflowError(f"You are not allowed to “{step.label.lower()}” this brief.", code="not_allowed")
    if locked.status in step.sources and not step.possible_from(locked):
        raise WorkflowError(f"“{step.label}” is not possible: {step.unmet}", code="wrong_state")
    if locked.status not in step.sources:
        last = locked.transitions.select_related("by").order_by("-at", "-id").first()
        if last is not None and last.action == step.name:
            who = (last.by.get_full_name() or last.by.get_username()) if last.by else "Someone"
            raise WorkflowError(
                f"Already done: {who} chose “{step.label.lower()}” for this brief at "
                f"{timezone.localtime(last.at):%H:%M:%S} on {timezone.localtime(last.at):%d %B %Y}. "
                "Nothing more was changed.",
                code="already_done",
            )
        allowed_from = " or ".join(sorted(str(Status(s).label).lower() for s in step.sources))
        raise WorkflowError(
            f"“{step.label}” is not possible: the brief is {locked.get_status_display().lower()}, "
            f"and this step needs it {allowed_from}.",
            code="wrong_state",
        )
