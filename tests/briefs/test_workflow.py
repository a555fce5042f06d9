"""The workflow services: every role × every step, states, completeness, scheduling and mail."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from briefs import workflow
from briefs.models import Brief, BriefPoint, SourceLink, Status, Transition
from briefs.permissions import can_delete, can_edit, can_view
from briefs.workflow import WorkflowError
from tests.factories import BriefFactory, TermFactory, image_file

pytestmark = pytest.mark.django_db

ROLES = ["author", "other_contributor", "editor", "moderator", "superuser"]

# step -> (state it starts from, the roles allowed to take it)
MATRIX = {
    "submit_for_review": (Status.DRAFT, {"author", "editor", "moderator", "superuser"}),
    "request_changes": (Status.IN_REVIEW, {"moderator", "superuser"}),
    "publish": (Status.IN_REVIEW, {"moderator", "superuser"}),
    "unpublish": (Status.PUBLISHED, {"moderator", "superuser"}),
    "archive": (Status.PUBLISHED, {"moderator", "superuser"}),
    "restore": (Status.ARCHIVED, {"moderator", "superuser"}),
}
TARGET = {
    "submit_for_review": Status.IN_REVIEW,
    "request_changes": Status.CHANGES_REQUESTED,
    "publish": Status.PUBLISHED,
    "unpublish": Status.DRAFT,
    "archive": Status.ARCHIVED,
    "restore": Status.DRAFT,
}


def brief_in(status, author, **kwargs):
    traits = {
        Status.DRAFT: {},
        Status.IN_REVIEW: {"in_review": True},
        Status.CHANGES_REQUESTED: {"changes_requested": True},
        Status.PUBLISHED: {"published": True},
        Status.ARCHIVED: {"archived": True},
    }[status]
    return BriefFactory(author=author, **traits, **kwargs)


def actor(request, role, contributor):
    return contributor if role == "author" else request.getfixturevalue(role)


def take(step, brief, user):
    kwargs = {"note": "Please tighten the summary."} if step == "request_changes" else {}
    return workflow.SERVICES[step](brief, by=user, **kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", MATRIX)
def test_permission_matrix_through_the_services(request, contributor, step, role):
    source, allowed = MATRIX[step]
    brief = brief_in(source, contributor)
    user = actor(request, role, contributor)
    if role in allowed:
        transition = take(step, brief, user)
        brief.refresh_from_db()
        assert brief.status == TARGET[step]
        assert (transition.from_status, transition.to_status, transition.by) == (source, TARGET[step], user)
    else:
        with pytest.raises(WorkflowError, match="not allowed"):
            take(step, brief, user)
        brief.refresh_from_db()
        assert brief.status == source
        assert not Transition.objects.exists()


WRONG_STATES = [
    (step, status) for step in MATRIX for status in Status if status not in workflow.STEPS[step].sources
]


@pytest.mark.parametrize(("step", "status"), WRONG_STATES)
def test_a_step_from_the_wrong_state_is_refused_and_changes_nothing(superuser, step, status):
    brief = brief_in(status, superuser)
    version = Brief.objects.get(pk=brief.pk).version
    with pytest.raises(WorkflowError, match="is not possible"):
        take(step, brief, superuser)
    stored = Brief.objects.get(pk=brief.pk)
    assert (stored.status, stored.version) == (status, version)
    assert not Transition.objects.exists()


def test_the_author_can_resubmit_after_changes_were_requested(contributor, moderator):
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.request_changes(brief, by=moderator, note="Add the paper link.")
    workflow.submit_for_review(brief, by=contributor)
    assert brief.status == Status.IN_REVIEW
    assert list(brief.transitions.values_list("action", flat=True)) == [
        "submit_for_review",
        "request_changes",
    ]


def test_request_changes_needs_a_note(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with pytest.raises(WorkflowError, match="note"):
        workflow.request_changes(brief, by=moderator, note="  ")
    assert Brief.objects.get(pk=brief.pk).status == Status.IN_REVIEW


def test_every_transition_is_recorded_with_who_when_from_to_and_note(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    before = timezone.now()
    workflow.request_changes(brief, by=moderator, note="Shorter headline, please.")
    transition = Transition.objects.get()
    assert transition.brief == brief and transition.by == moderator
    assert transition.from_status == Status.IN_REVIEW and transition.to_status == Status.CHANGES_REQUESTED
    assert transition.note == "Shorter headline, please."
    assert transition.at >= before


def test_contributor_cannot_submit_someone_elses_brief(contributor, other_contributor):
    brief = brief_in(Status.DRAFT, other_contributor)
    with pytest.raises(WorkflowError):
        workflow.submit_for_review(brief, by=contributor)


def test_an_inactive_moderator_can_do_nothing(moderator, contributor):
    moderator.is_active = False
    moderator.save()
    with pytest.raises(WorkflowError):
        workflow.publish(brief_in(Status.IN_REVIEW, contributor), by=moderator)


# Completeness


def test_publishing_lists_everything_a_brief_is_missing_in_one_message(moderator, contributor):
    brief = BriefFactory(author=contributor, in_review=True, dek="", points=[], primary_link=False)
    with pytest.raises(WorkflowError) as excinfo:
        workflow.publish(brief, by=moderator)
    message = excinfo.value.messages[0]
    assert "a summary" in message
    assert "at least one “In brief” point" in message
    assert "exactly one primary “Read full story” link" in message
    stored = Brief.objects.get(pk=brief.pk)
    assert stored.status == Status.IN_REVIEW and stored.published_at is None
    assert not Transition.objects.exists()


def test_a_brief_with_only_secondary_links_is_missing_its_primary_link(moderator, contributor):
    brief = BriefFactory(author=contributor, in_review=True, primary_link=False)
    SourceLink.objects.create(brief=brief, kind="paper", publisher="arXiv", url="https://arxiv.org/abs/1")
    assert workflow.missing_for_publication(brief) == ["exactly one primary “Read full story” link"]


def test_an_image_needs_alt_text_and_credit_before_publication(contributor):
    brief = BriefFactory(author=contributor)
    brief.hero_image = image_file()  # not saved: the database would refuse it
    assert workflow.missing_for_publication(brief) == ["alt text for the image", "a credit for the image"]


def test_blank_points_do_not_count(contributor):
    brief = BriefFactory(author=contributor, points=[])
    BriefPoint.objects.filter(brief=brief).delete()
    assert "at least one “In brief” point" in workflow.missing_for_publication(brief)


def test_a_complete_brief_is_missing_nothing(contributor):
    assert workflow.missing_for_publication(BriefFactory(author=contributor)) == []


# Publishing and scheduling


def test_publish_now_makes_the_brief_visible_and_sets_first_published_at(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.publish(brief, by=moderator)
    assert brief.is_published
    assert brief.first_published_at == brief.published_at
    assert Brief.objects.published().filter(pk=brief.pk).exists()


def test_publishing_in_the_future_schedules_the_brief(moderator, contributor):
    at = timezone.now() + dt.timedelta(hours=3)
    brief = brief_in(Status.IN_REVIEW, contributor)
    transition = workflow.publish(brief, by=moderator, at=at)
    assert brief.status == Status.PUBLISHED and brief.is_scheduled
    assert not Brief.objects.published().filter(pk=brief.pk).exists()
    assert Brief.objects.scheduled().filter(pk=brief.pk).exists()
    assert transition.note.startswith("Scheduled for")


def test_a_scheduled_brief_appears_exactly_at_its_time_and_not_a_microsecond_before(moderator, contributor):
    at = timezone.now() + dt.timedelta(minutes=5)
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.publish(brief, by=moderator, at=at)
    assert not Brief.objects.published(now=at - dt.timedelta(microseconds=1)).filter(pk=brief.pk).exists()
    assert Brief.objects.published(now=at).filter(pk=brief.pk).exists()


def test_publishing_with_a_past_time_is_live_at_once(moderator, contributor):
    at = timezone.now() - dt.timedelta(days=1)
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.publish(brief, by=moderator, at=at)
    assert brief.is_published and brief.published_at == at


def test_republishing_keeps_the_first_publication_date(moderator, contributor):
    brief = brief_in(Status.PUBLISHED, contributor)
    first = brief.first_published_at
    workflow.unpublish(brief, by=moderator)
    workflow.submit_for_review(brief, by=contributor)
    workflow.publish(brief, by=moderator)
    assert brief.first_published_at == first
    assert brief.published_at > first


def test_unpublishing_a_scheduled_brief_that_never_went_live_unlocks_its_slug(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.publish(brief, by=moderator, at=timezone.now() + dt.timedelta(days=2))
    assert brief.slug_is_locked
    workflow.unpublish(brief, by=moderator)
    assert brief.status == Status.DRAFT and not brief.slug_is_locked


def test_a_transition_bumps_the_version_so_stale_forms_are_refused(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    version = Brief.objects.get(pk=brief.pk).version
    workflow.publish(brief, by=moderator)
    assert Brief.objects.get(pk=brief.pk).version == version + 1


# Assignment


def test_a_moderator_assigns_a_brief_in_review_with_a_due_date(moderator, contributor, superuser):
    brief = brief_in(Status.IN_REVIEW, contributor)
    due = dt.date.today() + dt.timedelta(days=2)
    workflow.assign(brief, by=superuser, to=moderator, due=due)
    stored = Brief.objects.get(pk=brief.pk)
    assert (stored.assignee, stored.review_due) == (moderator, due)
    assert Transition.objects.get().action == "assign"


@pytest.mark.parametrize("role", ["author", "editor"])
def test_only_moderators_assign(request, contributor, moderator, role):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with pytest.raises(WorkflowError, match="not allowed"):
        workflow.assign(brief, by=actor(request, role, contributor), to=moderator)
    assert Brief.objects.get(pk=brief.pk).assignee is None


def test_a_brief_can_only_be_assigned_to_a_moderator(moderator, editor, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with pytest.raises(WorkflowError, match="not a moderator"):
        workflow.assign(brief, by=moderator, to=editor)


def test_only_briefs_in_review_are_assigned(moderator, contributor):
    with pytest.raises(WorkflowError, match="in review"):
        workflow.assign(brief_in(Status.DRAFT, contributor), by=moderator, to=moderator)


# Mail


def test_the_author_gets_the_note_by_email_after_the_transaction_commits(moderator, contributor, mailoutbox):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with transaction.atomic():  # a caller's transaction, not committed yet
        workflow.request_changes(brief, by=moderator, note="Cite the paper, please.")
        assert mailoutbox == []
    (message,) = mailoutbox
    assert message.to == [contributor.email]
    assert "Cite the paper, please." in message.body
    assert f"/admin/briefs/brief/{brief.pk}/change/" in message.body


def test_a_step_whose_transaction_rolls_back_sends_no_mail(moderator, contributor, mailoutbox):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.request_changes(brief, by=moderator, note="Cite the paper, please.")
        raise RuntimeError("the caller fails after the step")
    assert mailoutbox == []
    brief.refresh_from_db()
    assert brief.status == Status.IN_REVIEW


def test_the_author_is_emailed_when_the_brief_is_published(
    moderator, contributor, django_capture_on_commit_callbacks, mailoutbox
):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(brief, by=moderator)
    assert [m.subject for m in mailoutbox] == [f"Published: {brief.headline}"]


def test_the_assignee_is_emailed(moderator, contributor, django_capture_on_commit_callbacks, mailoutbox):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(brief, by=moderator, to=moderator, due=dt.date(2030, 1, 31))
    (message,) = mailoutbox
    assert message.to == [moderator.email] and "due 31 January 2030" in message.body


def test_no_mail_is_sent_when_the_step_is_refused(
    contributor, django_capture_on_commit_callbacks, mailoutbox
):
    brief = brief_in(Status.IN_REVIEW, contributor)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        workflow.publish(brief, by=contributor)
    assert mailoutbox == []


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server is down")


def test_a_mail_that_cannot_be_delivered_is_retried_then_left_for_staff_and_never_undoes_the_step(
    settings, moderator, contributor, caplog
):
    from background.models import MailStatus, OutgoingMail

    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.request_changes(brief, by=moderator, note="Fix the dek.")
    assert Brief.objects.get(pk=brief.pk).status == Status.CHANGES_REQUESTED
    assert Transition.objects.filter(brief=brief, action="request_changes").exists()
    (kept,) = OutgoingMail.objects.all()
    assert kept.status == MailStatus.FAILED and kept.attempts == 5
    assert "SMTP server is down" in kept.last_error and kept.to == contributor.email
    assert "failed (attempt 5)" in caplog.text
    assert mail.outbox == []


# Object permissions


@pytest.mark.parametrize(
    ("role", "status", "editable"),
    [
        ("author", Status.DRAFT, True),
        ("author", Status.CHANGES_REQUESTED, True),
        ("author", Status.IN_REVIEW, False),
        ("author", Status.PUBLISHED, False),
        ("author", Status.ARCHIVED, False),
        ("other_contributor", Status.DRAFT, False),
        ("editor", Status.DRAFT, True),
        ("editor", Status.IN_REVIEW, True),
        ("editor", Status.PUBLISHED, True),
        ("editor", Status.ARCHIVED, False),
        ("moderator", Status.PUBLISHED, True),
        ("moderator", Status.ARCHIVED, False),
        ("superuser", Status.ARCHIVED, True),
    ],
)
def test_who_may_edit_a_brief(request, contributor, role, status, editable):
    brief = brief_in(status, contributor)
    assert can_edit(actor(request, role, contributor), brief) is editable


def test_contributors_see_only_their_own_briefs(contributor, other_contributor, editor):
    brief = brief_in(Status.DRAFT, other_contributor)
    assert not can_view(contributor, brief)
    assert can_view(other_contributor, brief) and can_view(editor, brief)


@pytest.mark.parametrize(
    ("role", "published", "deletable"),
    [
        ("author", False, False),
        ("editor", False, False),
        ("moderator", False, True),
        ("moderator", True, False),
        ("superuser", True, True),
    ],
)
def test_only_moderators_delete_and_only_briefs_readers_never_saw(
    request, contributor, role, published, deletable
):
    brief = brief_in(Status.PUBLISHED if published else Status.DRAFT, contributor)
    assert can_delete(actor(request, role, contributor), brief) is deletable


def test_nothing_but_the_workflow_module_sets_a_briefs_status():
    root = Path(__file__).resolve().parents[2]
    assignment = re.compile(r"\.status\s*=(?!=)|\.update\([^)]*\bstatus=")
    offenders = []
    # Term status has its own service module in glossary; this rule is about briefs.
    for app in ["briefs", "briefs_cms", "api", "search"]:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "workflow.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                # Pending changes have a review status of their own (briefs/pending.py), not the brief's.
                if assignment.search(line) and "pending.status" not in line:
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []


def test_demo_content_is_published_through_the_workflow(db):
    from django.core.management import call_command

    call_command("load_demo")
    published = Brief.objects.published()
    assert (
        published.count() == Transition.objects.filter(action="publish", to_status=Status.PUBLISHED).count()
    )
    call_command("load_demo")
    assert Transition.objects.count() == published.count()


# Rescheduling


def test_a_moderator_moves_a_scheduled_brief_to_another_time(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.publish(brief, by=moderator, at=timezone.now() + dt.timedelta(days=3))
    later = timezone.now() + dt.timedelta(days=5)
    transition = workflow.reschedule(brief, by=moderator, at=later)
    assert brief.is_scheduled and brief.published_at == later
    assert brief.first_published_at == later  # readers never saw the earlier time
    assert (transition.from_status, transition.to_status) == (Status.PUBLISHED, Status.PUBLISHED)


def test_rescheduling_without_a_time_publishes_now(moderator, contributor):
    brief = BriefFactory(author=contributor, scheduled=True)
    workflow.reschedule(brief, by=moderator)
    assert brief.is_published


def test_a_live_brief_cannot_be_rescheduled(moderator, contributor):
    brief = brief_in(Status.PUBLISHED, contributor)
    with pytest.raises(WorkflowError, match="already live"):
        workflow.reschedule(brief, by=moderator, at=timezone.now() + dt.timedelta(days=1))
    assert Brief.objects.get(pk=brief.pk).is_published


@pytest.mark.parametrize("role", ["author", "editor"])
def test_only_moderators_reschedule(request, contributor, role):
    brief = BriefFactory(author=contributor, scheduled=True)
    at = brief.published_at
    with pytest.raises(WorkflowError, match="not allowed"):
        workflow.reschedule(brief, by=actor(request, role, contributor), at=at + dt.timedelta(days=1))
    assert Brief.objects.get(pk=brief.pk).published_at == at


def test_reschedule_is_offered_only_for_scheduled_briefs(moderator, contributor):
    names = {step.name for step in workflow.allowed_steps(moderator, BriefFactory(scheduled=True))}
    assert names == {"reschedule", "unpublish", "archive"}
    names = {step.name for step in workflow.allowed_steps(moderator, BriefFactory(published=True))}
    assert names == {"unpublish", "archive"}


def test_publishing_is_refused_while_a_term_has_no_approved_definition(moderator):
    from glossary.models import TermStatus

    draft_term = TermFactory(name="grokking", status=TermStatus.DRAFT)
    brief = BriefFactory(in_review=True, terms=[draft_term])
    with pytest.raises(WorkflowError) as error:
        workflow.publish(brief, by=moderator)
    assert "“grokking”" in str(error.value)
    brief.refresh_from_db()
    assert brief.status == Status.IN_REVIEW


def test_a_step_someone_just_took_is_refused_with_who_did_it(moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    stale_copy = Brief.objects.get(pk=brief.pk)
    workflow.publish(brief, by=moderator)
    with pytest.raises(WorkflowError) as error:
        workflow.publish(stale_copy, by=moderator)
    assert error.value.code == "already_done"
    assert "Already done: Moderator chose “publish”" in error.value.messages[0]
    assert Transition.objects.filter(brief=brief, action="publish").count() == 1
