"""The brief admin: every rule holds for direct HTTP requests, not only for the buttons shown."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefs import workflow
from briefs.models import Brief, Correction, PendingChange, StaffNote, Status, Transition
from tests.factories import BriefFactory, UserFactory

from .admin_forms import admin_form_data
from .test_workflow import MATRIX, ROLES, TARGET, actor, brief_in

pytestmark = pytest.mark.django_db


def change_url(brief):
    return reverse("admin:briefs_brief_change", args=[brief.pk])


def step_url(brief, step):
    return reverse("admin:briefs_brief_step", args=[brief.pk, step])


def login(client, user):
    client.force_login(user)
    return client


# The permission matrix, over HTTP


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", MATRIX)
def test_permission_matrix_through_admin_posts(request, client, contributor, step, role):
    source, allowed = MATRIX[step]
    brief = brief_in(source, contributor)
    login(client, actor(request, role, contributor))
    # "confirmed" is what the confirmation page of unpublish and archive sends.
    response = client.post(step_url(brief, step), {"note": "Please add the paper link.", "confirmed": "yes"})
    brief.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert brief.status == TARGET[step]
    else:
        assert response.status_code in {403, 404}
        assert brief.status == source
        assert not Transition.objects.exists()


def test_a_step_cannot_be_taken_with_a_get_request(client, moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    response = login(client, moderator).get(step_url(brief, "publish"))
    assert response.status_code == 405
    assert Brief.objects.get(pk=brief.pk).status == Status.IN_REVIEW


def test_a_step_from_the_wrong_state_shows_why_and_changes_nothing(client, moderator, contributor):
    brief = brief_in(Status.DRAFT, contributor)
    response = login(client, moderator).post(step_url(brief, "publish"), follow=True)
    assert "is not possible: the brief is draft" in response.text
    assert Brief.objects.get(pk=brief.pk).status == Status.DRAFT


def test_publishing_an_incomplete_brief_lists_what_is_missing(client, moderator, contributor):
    brief = BriefFactory(author=contributor, in_review=True, dek="", primary_link=False)
    response = login(client, moderator).post(step_url(brief, "publish"), follow=True)
    assert "It needs a summary; exactly one primary “Read full story” link." in response.text
    assert Brief.objects.get(pk=brief.pk).status == Status.IN_REVIEW


def test_a_moderator_schedules_from_the_change_form(client, moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    at = timezone.localtime() + dt.timedelta(days=1)
    login(client, moderator).post(step_url(brief, "publish"), {"at": at.strftime("%Y-%m-%dT%H:%M")})
    brief.refresh_from_db()
    assert brief.is_scheduled
    assert brief.published_at == at.replace(second=0, microsecond=0)


def test_unknown_step_is_a_404(client, superuser, contributor):
    brief = brief_in(Status.DRAFT, contributor)
    assert login(client, superuser).post(step_url(brief, "delete_everything")).status_code == 404


# Buttons and the change form


def step_button(step):
    """A workflow button of the change form: it saves the form, then takes the step."""
    return f'name="_step" value="{step}"'


def offers(page, brief, step):
    return step_button(step) in page or step_url(brief, step) in page


def test_buttons_show_only_the_steps_the_user_may_take(client, contributor, moderator):
    brief = brief_in(Status.DRAFT, contributor)
    page = login(client, contributor).get(change_url(brief)).text
    assert step_button("submit_for_review") in page
    assert not offers(page, brief, "publish")

    workflow.submit_for_review(brief, by=contributor)
    page = client.get(change_url(brief)).text
    assert not offers(page, brief, "submit_for_review")
    page = login(client, moderator).get(change_url(brief)).text
    assert step_button("publish") in page and step_button("request_changes") in page


def test_the_author_sees_the_change_request_note_on_the_brief(client, contributor, moderator):
    brief = brief_in(Status.IN_REVIEW, contributor)
    login(client, moderator).post(step_url(brief, "request_changes"), {"note": "Cite <b>the</b> paper."})
    page = login(client, contributor).get(change_url(brief)).text
    assert "Changes requested by" in page
    assert "Cite &lt;b&gt;the&lt;/b&gt; paper." in page


def test_request_changes_without_a_note_is_refused(client, moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    response = login(client, moderator).post(step_url(brief, "request_changes"), {"note": ""}, follow=True)
    assert "Say what needs to change" in response.text
    assert Brief.objects.get(pk=brief.pk).status == Status.IN_REVIEW


def test_the_change_form_shows_the_transition_history(client, moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    workflow.request_changes(brief, by=moderator, note="Needs a primary source.")
    page = login(client, moderator).get(change_url(brief)).text
    assert "History (1)" in page and "Needs a primary source." in page


def test_list_shows_status_badges_including_scheduled(client, moderator):
    BriefFactory(headline="Later", scheduled=True)
    BriefFactory(headline="Waiting", in_review=True)
    page = login(client, moderator).get(reverse("admin:briefs_brief_changelist")).text
    assert "brief-badge--scheduled" in page and "Scheduled for" in page
    assert '<span class="brief-badge brief-badge--in_review">In review</span>' in page
    assert "briefs/admin/workflow.css" in page
    assert 'style="' not in page.split("<body")[1].split("<svg")[0]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_brief_list_query_count_does_not_grow_with_the_number_of_briefs(client, moderator):
    login(client, moderator)
    url = reverse("admin:briefs_brief_changelist")
    BriefFactory(tags=["a"])
    one = count_queries(client, url)
    for _ in range(30):
        BriefFactory(author=UserFactory(), tags=["b"])
    assert count_queries(client, url) == one


# Object rules in the admin


def test_contributors_list_only_their_own_briefs(client, contributor, other_contributor):
    mine = BriefFactory(author=contributor, headline="Mine")
    BriefFactory(author=other_contributor, headline="Theirs")
    page = login(client, contributor).get(reverse("admin:briefs_brief_changelist")).text
    assert "Mine" in page and "Theirs" not in page
    assert change_url(mine) in page


EDIT_MATRIX = [
    (role, status)
    for role in ROLES
    for status in [
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.PUBLISHED,
        Status.ARCHIVED,
    ]
]


@pytest.mark.parametrize(("role", "status"), EDIT_MATRIX)
def test_edit_matrix_over_http_follows_the_object_rules(request, client, contributor, role, status):
    expected = (
        role == "superuser"
        or (role in {"editor", "moderator"} and status != Status.ARCHIVED)
        or (role == "author" and status in {Status.DRAFT, Status.CHANGES_REQUESTED})
    )
    brief = brief_in(status, contributor, headline="Before")
    user = actor(request, role, contributor)
    login(client, user)
    page = client.get(change_url(brief))
    data = admin_form_data(page) if page.status_code == 200 else {"headline": "After"}
    data["headline"] = "After"
    response = client.post(change_url(brief), data)
    if status == Status.PUBLISHED:
        # A published brief keeps what readers see; the edit waits as its pending changes.
        assert Brief.objects.get(pk=brief.pk).headline == "Before"
        changes = PendingChange.objects.filter(brief=brief).first()
        saved = changes is not None and changes.snapshot["headline"] == "After"
    else:
        saved = Brief.objects.get(pk=brief.pk).headline == "After"
    assert saved is expected
    if not saved:
        assert response.status_code in {302, 403}
        assert response.status_code == 403 or response.url == reverse("admin:index")


def test_contributors_are_not_shown_the_list_of_authors(client, contributor):
    BriefFactory(author=contributor)
    page = login(client, contributor).get(reverse("admin:briefs_brief_changelist"))
    assert "By author" not in page.text


def test_a_contributor_cannot_open_someone_elses_brief(client, contributor, other_contributor):
    brief = BriefFactory(author=other_contributor)
    response = login(client, contributor).get(change_url(brief))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    assert reverse("admin:index") == response.url


def test_a_contributor_cannot_edit_their_published_brief(client, contributor):
    brief = brief_in(Status.PUBLISHED, contributor)
    login(client, contributor)
    page = client.get(change_url(brief))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    data = admin_form_data(page)
    data["headline"] = "Quietly changed"
    assert client.post(change_url(brief), data).status_code == 403
    assert Brief.objects.get(pk=brief.pk).headline != "Quietly changed"


def test_a_contributor_edits_their_draft(client, contributor):
    brief = brief_in(Status.DRAFT, contributor)
    login(client, contributor)
    data = admin_form_data(client.get(change_url(brief)))
    data["headline"] = "Better headline"
    assert client.post(change_url(brief), data).status_code == 302
    assert Brief.objects.get(pk=brief.pk).headline == "Better headline"


def test_a_new_brief_belongs_to_whoever_wrote_it_and_starts_as_a_draft(client, contributor):
    login(client, contributor)
    page = client.get(reverse("admin:briefs_brief_add"))
    data = admin_form_data(page)
    data.update(
        {
            "headline": "Fresh brief",
            "dek": "A summary.",
            "points-0-text": "One point.",
            "points-0-position": "0",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "primary",
            "links-0-publisher": "arXiv",
            "links-0-url": "https://arxiv.org/abs/2601.00001",
            "links-0-position": "0",
        }
    )
    response = client.post(reverse("admin:briefs_brief_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    brief = Brief.objects.get(headline="Fresh brief")
    assert brief.author == contributor and brief.status == Status.DRAFT


@pytest.mark.parametrize(("role", "kind"), [("editor", "update"), ("moderator", "fix")])
def test_editors_and_moderators_correct_a_published_brief_through_review(
    request, client, contributor, moderator, role, kind
):
    brief = brief_in(Status.PUBLISHED, contributor)
    login(client, actor(request, role, contributor))
    data = admin_form_data(client.get(change_url(brief)))
    data["dek"] = "A corrected summary."
    assert client.post(change_url(brief), data).status_code == 302
    brief.refresh_from_db()
    assert brief.dek != "A corrected summary."  # readers still see the published version
    assert "A corrected summary." in client.get(change_url(brief)).text  # the form opens on the pending one
    login(client, moderator)
    url = reverse("admin:briefs_brief_changes", args=[brief.pk, "publish"])
    assert "A corrected summary." in client.get(url).text  # the diff against what readers see
    assert client.post(url, {"kind": kind}).status_code == 302
    brief.refresh_from_db()
    assert brief.dek == "A corrected summary." and brief.status == Status.PUBLISHED
    assert (brief.content_updated_at is not None) is (kind == "update")


def test_nobody_but_a_superuser_edits_an_archived_brief(client, moderator, contributor):
    brief = brief_in(Status.ARCHIVED, contributor)
    login(client, moderator)
    data = admin_form_data(client.get(change_url(brief)))
    data["headline"] = "Edited in the archive"
    assert client.post(change_url(brief), data).status_code == 403


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        ("author", Status.DRAFT, False),
        ("editor", Status.DRAFT, False),
        ("moderator", Status.DRAFT, True),
        ("moderator", Status.PUBLISHED, False),
        ("superuser", Status.PUBLISHED, True),
    ],
)
def test_delete_over_http(request, client, contributor, role, status, allowed):
    brief = brief_in(status, contributor)
    login(client, actor(request, role, contributor))
    response = client.post(reverse("admin:briefs_brief_delete", args=[brief.pk]), {"post": "yes"})
    assert Brief.objects.filter(pk=brief.pk).exists() is not allowed
    assert response.status_code == (302 if allowed else 403)


# Bulk actions


def run_action(client, action, briefs):
    return client.post(
        reverse("admin:briefs_brief_changelist"),
        {"action": action, "_selected_action": [b.pk for b in briefs]},
        follow=True,
    )


def test_bulk_publish_goes_through_the_service_brief_by_brief(client, moderator, contributor):
    ready = brief_in(Status.IN_REVIEW, contributor)
    draft = brief_in(Status.DRAFT, contributor)
    response = run_action(login(client, moderator), "publish_selected", [ready, draft])
    assert Brief.objects.get(pk=ready.pk).status == Status.PUBLISHED
    assert Brief.objects.get(pk=draft.pk).status == Status.DRAFT
    assert "Publish: 1 brief." in response.text
    assert "is not possible" in response.text


def test_moderation_actions_are_not_offered_to_contributors(client, contributor):
    page = login(client, contributor).get(reverse("admin:briefs_brief_changelist"))
    choices = [value for value, _ in page.context["action_form"].fields["action"].choices]
    assert "submit_selected" in choices
    assert not {"publish_selected", "archive_selected", "delete_selected"} & set(choices)


def test_a_forged_bulk_publish_by_a_contributor_does_nothing(client, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    run_action(login(client, contributor), "publish_selected", [brief])
    assert Brief.objects.get(pk=brief.pk).status == Status.IN_REVIEW


def test_a_bulk_submit_cannot_reach_someone_elses_brief(client, contributor, other_contributor):
    theirs = brief_in(Status.DRAFT, other_contributor)
    run_action(login(client, contributor), "submit_selected", [theirs])
    assert Brief.objects.get(pk=theirs.pk).status == Status.DRAFT


# Moderation queue, My briefs, assignment


def test_moderation_queue_lists_briefs_in_review_oldest_first(client, moderator):
    now = timezone.now()
    newer = BriefFactory(headline="Newer", status=Status.IN_REVIEW, submitted_at=now - dt.timedelta(hours=1))
    older = BriefFactory(headline="Older", status=Status.IN_REVIEW, submitted_at=now - dt.timedelta(days=2))
    BriefFactory(headline="Just a draft")
    page = login(client, moderator).get(reverse("admin:briefs_moderationqueue_changelist")).text
    assert page.index("Older") < page.index("Newer")
    assert "Just a draft" not in page
    assert change_url(older) in page and change_url(newer) in page
    assert "2 days ago" in page


def test_moderation_queue_filters_to_briefs_assigned_to_me(client, moderator, superuser):
    mine = BriefFactory(headline="Mine to review", in_review=True)
    BriefFactory(headline="Someone else's", in_review=True)
    workflow.assign(mine, by=superuser, to=moderator, due=dt.date(2030, 1, 2))
    url = reverse("admin:briefs_moderationqueue_changelist") + "?assigned=me"
    page = login(client, moderator).get(url).text
    assert "Mine to review" in page and "Someone else's" not in page
    assert "Wed 2 Jan 2030" in page


@pytest.mark.parametrize(
    "url_name", ["admin:briefs_moderationqueue_changelist", "admin:briefs_brief_changelist"]
)
def test_the_lists_query_count_is_the_same_with_1_and_50_briefs(
    client, moderator, django_assert_num_queries, url_name
):
    login(client, moderator)
    url = reverse(url_name)
    BriefFactory(in_review=True, author=UserFactory())
    one = count_queries(client, url)
    for _ in range(49):
        brief = BriefFactory(in_review=True, author=UserFactory(), tags=["x"])
        workflow.assign(brief, by=moderator, to=moderator, due=dt.date(2030, 1, 1))
    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def test_the_queue_is_not_for_contributors(client, contributor):
    login(client, contributor)
    assert client.get(reverse("admin:briefs_moderationqueue_changelist")).status_code == 403
    index = client.get(reverse("admin:index")).text
    assert "Moderation queue" not in index and "My briefs" in index


def test_the_admin_index_links_the_queue_and_my_briefs(client, moderator):
    index = login(client, moderator).get(reverse("admin:index")).text
    assert reverse("admin:briefs_moderationqueue_changelist") in index
    assert reverse("admin:briefs_mybrief_changelist") in index


def test_my_briefs_lists_only_mine(client, editor):
    BriefFactory(author=editor, headline="Written by me")
    BriefFactory(headline="Written by someone else")
    page = login(client, editor).get(reverse("admin:briefs_mybrief_changelist")).text
    assert "Written by me" in page and "Written by someone else" not in page


def test_a_moderator_assigns_over_http_and_the_assignee_is_emailed(
    client, moderator, superuser, contributor, mailoutbox, django_capture_on_commit_callbacks
):
    brief = brief_in(Status.IN_REVIEW, contributor)
    login(client, superuser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:briefs_brief_assign", args=[brief.pk]),
            {"assignee": moderator.pk, "due": "2030-03-04"},
        )
    brief.refresh_from_db()
    assert brief.assignee == moderator and brief.review_due == dt.date(2030, 3, 4)
    assert [m.to for m in mailoutbox] == [[moderator.email]]


def test_an_editor_cannot_assign_over_http(client, editor, moderator, contributor):
    brief = brief_in(Status.IN_REVIEW, contributor)
    response = login(client, editor).post(
        reverse("admin:briefs_brief_assign", args=[brief.pk]), {"assignee": moderator.pk}
    )
    assert response.status_code == 403
    assert Brief.objects.get(pk=brief.pk).assignee is None


# Staff notes and corrections


def test_staff_notes_record_who_wrote_them_and_never_reach_readers(client, editor):
    brief = BriefFactory(published=True)
    login(client, editor)
    data = admin_form_data(client.get(change_url(brief)))
    data.update({"staff_notes-TOTAL_FORMS": "1", "staff_notes-0-text": "Check the figure with the lab."})
    assert client.post(change_url(brief), data).status_code == 302
    note = StaffNote.objects.get()
    assert note.author == editor and note.brief == brief
    client.logout()
    assert "Check the figure with the lab." not in client.get(brief.get_absolute_url()).text


def test_a_moderator_adds_a_correction_to_a_published_brief(client, moderator):
    brief = BriefFactory(published=True)
    login(client, moderator)
    data = admin_form_data(client.get(change_url(brief)))
    data.update(
        {
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-text": "An earlier version misnamed the lab.",
            "corrections-0-created_at_0": "2026-11-28",
            "corrections-0-created_at_1": "10:00:00",
        }
    )
    assert client.post(change_url(brief), data).status_code == 302
    correction = Correction.objects.get()
    assert correction.created_by == moderator and correction.brief == brief


def test_an_editor_cannot_add_corrections(client, editor):
    brief = BriefFactory(published=True)
    login(client, editor)
    page = client.get(change_url(brief))
    assert 'name="corrections-__prefix__-text"' not in page.text
    data = admin_form_data(page)
    data.update({"corrections-TOTAL_FORMS": "1", "corrections-0-text": "Sneaky."})
    client.post(change_url(brief), data)
    assert not Correction.objects.exists()


def test_corrections_are_only_added_to_published_briefs(client, moderator):
    brief = BriefFactory(in_review=True)
    page = login(client, moderator).get(change_url(brief))
    assert (
        "corrections-TOTAL_FORMS" not in page.text
        or 'name="corrections-MAX_NUM_FORMS" value="0"' in page.text
    )


# The whole walk, as the README tells it, with the demo accounts


def test_the_demo_accounts_walk_a_brief_from_draft_to_published_and_back(client, settings):
    from django.core.management import call_command
    from django.http import HttpRequest

    from briefs.demo import DEMO_PASSWORD

    settings.DEBUG = True
    call_command("load_demo", "--accounts")

    def as_user(username):
        client.logout()
        # Login throttling needs the request a real sign-in has.
        assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD)

    as_user("contributor")
    data = admin_form_data(client.get(reverse("admin:briefs_brief_add")))
    data.update(
        {
            "headline": "Walked through the workflow",
            "dek": "A summary.",
            "points-0-text": "One point.",
            "points-0-position": "0",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "primary",
            "links-0-publisher": "arXiv",
            "links-0-url": "https://arxiv.org/abs/2601.00002",
            "links-0-position": "0",
        }
    )
    assert client.post(reverse("admin:briefs_brief_add"), data).status_code == 302
    brief = Brief.objects.get(headline="Walked through the workflow")
    client.post(step_url(brief, "submit_for_review"))

    as_user("moderator")
    queue = client.get(reverse("admin:briefs_moderationqueue_changelist")).text
    assert "Walked through the workflow" in queue
    client.post(step_url(brief, "request_changes"), {"note": "Add a second point."})

    as_user("contributor")
    assert "Add a second point." in client.get(change_url(brief)).text
    client.post(step_url(brief, "submit_for_review"))

    as_user("moderator")
    client.post(step_url(brief, "publish"))
    brief.refresh_from_db()
    assert brief.is_published
    assert client.get(brief.get_absolute_url()).status_code == 200

    assert "Readers lose this brief" in client.get(step_url(brief, "archive")).text  # asked first
    client.post(step_url(brief, "archive"), {"confirmed": "yes"})
    client.post(step_url(brief, "restore"))
    brief.refresh_from_db()
    assert brief.status == Status.DRAFT
    actions = list(brief.transitions.order_by("at", "id").values_list("action", flat=True))
    assert actions == [
        "submit_for_review",
        "request_changes",
        "submit_for_review",
        "publish",
        "archive",
        "restore",
    ]


def test_view_on_site_is_offered_only_for_live_briefs(client, moderator):
    draft = BriefFactory()
    live = BriefFactory(published=True)
    login(client, moderator)
    assert draft.get_absolute_url() not in client.get(change_url(draft)).text
    assert live.get_absolute_url() in client.get(change_url(live)).text


def test_a_moderator_reschedules_over_http_and_a_contributor_cannot(client, moderator, contributor):
    brief = BriefFactory(author=contributor, scheduled=True)
    at = timezone.localtime() + dt.timedelta(days=4)
    assert login(client, contributor).post(
        step_url(brief, "reschedule"), {"at": "2030-01-01T10:00"}
    ).status_code in {
        403,
        404,
    }
    login(client, moderator).post(step_url(brief, "reschedule"), {"at": at.strftime("%Y-%m-%dT%H:%M")})
    brief.refresh_from_db()
    assert brief.published_at == at.replace(second=0, microsecond=0)
