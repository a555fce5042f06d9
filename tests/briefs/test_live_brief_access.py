"""Who may take each step on a live brief, by direct request: pending changes, locks, expiry, republish.

A refused request answers 302 to the login page (anonymous), 404 or the admin's "not found"
redirect (someone who may not see the brief) or 403 (someone who may see it but not do this),
and changes nothing stored.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs import locks, pending, snapshots, workflow
from briefs.models import Brief, BriefLock, Correction, PendingChange, PendingStatus, Status, Transition
from tests.factories import BriefFactory

from .admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "other_contributor", "author", "editor", "moderator", "superuser"]
EDITORS = {"editor", "moderator", "superuser"}
MODERATORS = {"moderator", "superuser"}


def user_for(request, role):
    return (
        None if role == "anonymous" else request.getfixturevalue("contributor" if role == "author" else role)
    )


def with_changes(brief, editor, status=PendingStatus.DRAFT):
    snapshot = snapshots.snapshot_of(brief)
    snapshot["dek"] = "A pending summary."
    pending.save_changes(brief, by=editor, snapshot=snapshot)
    if status == PendingStatus.IN_REVIEW:
        pending.submit_changes(brief, by=editor)
    elif status == PendingStatus.DISCARDED:
        pending.discard_changes(brief, by=editor)
    return brief


def admin(name, brief, *args):
    return reverse(f"admin:briefs_brief_{name}", args=[brief.pk, *args])


# step -> (how to set the brief up, the request, who may take it, what shows it was taken)
def live(contributor, editor):
    return BriefFactory(author=contributor, published=True, dek="The live summary.")


def setup_pending(status):
    def setup(contributor, editor, **_):
        return with_changes(live(contributor, editor), editor, status)

    return setup


def setup_locked(contributor, editor, holder, **_):
    brief = live(contributor, editor)
    locks.take(brief, by=holder)
    return brief


def setup_archived(contributor, editor, moderator, **_):
    brief = live(contributor, editor)
    workflow.archive(brief, by=moderator)
    return brief


def pending_status(brief):
    return brief.pending_changes.order_by("-id").values_list("status", flat=True).first()


STEPS = {
    "save changes": (
        lambda contributor, editor, **_: live(contributor, editor),
        lambda b: ("change", admin("change", b), {"dek": "An unreviewed edit."}),
        EDITORS,
        lambda b: pending.open_pending(b) is not None and b.dek == "The live summary.",
    ),
    "submit changes": (
        setup_pending(PendingStatus.DRAFT),
        lambda b: ("post", admin("changes", b, "submit"), {}),
        EDITORS,
        lambda b: pending_status(b) == PendingStatus.IN_REVIEW,
    ),
    "request changes to changes": (
        setup_pending(PendingStatus.IN_REVIEW),
        lambda b: ("post", admin("changes", b, "return"), {"note": "Cite the paper."}),
        MODERATORS,
        lambda b: pending_status(b) == PendingStatus.CHANGES_REQUESTED,
    ),
    "publish changes": (
        setup_pending(PendingStatus.IN_REVIEW),
        lambda b: ("post", admin("changes", b, "publish"), {"kind": "correction", "note": "We misnamed it."}),
        MODERATORS,
        lambda b: b.dek == "A pending summary." and Correction.objects.filter(brief=b).exists(),
    ),
    "discard changes": (
        setup_pending(PendingStatus.DRAFT),
        lambda b: ("post", admin("changes", b, "discard"), {"confirmed": "yes"}),
        EDITORS,
        lambda b: pending_status(b) == PendingStatus.DISCARDED,
    ),
    "bring back discarded changes": (
        setup_pending(PendingStatus.DISCARDED),
        lambda b: ("post", admin("changes", b, "restore"), {}),
        EDITORS,
        lambda b: pending_status(b) == PendingStatus.DRAFT,
    ),
    "lock": (
        lambda contributor, editor, **_: live(contributor, editor),
        lambda b: ("post", admin("lock", b), {}),
        EDITORS,
        lambda b: BriefLock.objects.filter(brief=b).exists(),
    ),
    "break a lock": (
        setup_locked,
        lambda b: ("post", admin("break_lock", b), {"note": "Needed for a correction."}),
        MODERATORS,
        lambda b: not BriefLock.objects.filter(brief=b).exists(),
    ),
    "set expiry": (
        lambda contributor, editor, **_: live(contributor, editor),
        lambda b: (
            "post",
            admin("expiry", b),
            {"expire_at": (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")},
        ),
        MODERATORS,
        lambda b: b.expire_at is not None,
    ),
    "republish": (
        setup_archived,
        lambda b: ("post", admin("step", b, "republish"), {}),
        MODERATORS,
        lambda b: b.status == Status.PUBLISHED,
    ),
}


def stored(brief):
    return {
        "brief": list(Brief.objects.filter(pk=brief.pk).values()),
        "pending": list(PendingChange.objects.filter(brief=brief).values()),
        "locks": list(BriefLock.objects.filter(brief=brief).values()),
        "transitions": Transition.objects.filter(brief=brief).count(),
        "corrections": Correction.objects.filter(brief=brief).count(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("step", STEPS)
def test_each_step_on_a_live_brief_is_taken_only_by_those_allowed(
    request, client, contributor, editor, moderator, superuser, step, role
):
    holder = request.getfixturevalue("other_editor") if step == "break a lock" else None
    setup, make_request, allowed, taken = STEPS[step]
    brief = setup(contributor=contributor, editor=editor, moderator=moderator, holder=holder)
    kind, url, data = make_request(brief)
    if kind == "change":
        # The form as a superuser sees it, so every role sends the complete form a browser would.
        client.force_login(superuser)
        data = {**admin_form_data(client.get(url)), **data}
        client.logout()
    user = user_for(request, role)
    if user is not None:
        client.force_login(user)
    before = stored(brief)
    response = client.post(url, data)
    brief.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302, (step, role, response.status_code)
        assert taken(brief), (step, role)
        return
    assert stored(brief) == before, (step, role)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    elif role == "other_contributor":
        assert response.status_code in {302, 404}
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index")
    else:
        assert response.status_code == 403, (step, role, response.status_code)


def test_a_lock_refuses_everyone_else_with_who_holds_it_and_since_when(
    client, contributor, editor, moderator
):
    brief = live(contributor, editor)
    locks.take(brief, by=editor)
    client.force_login(moderator)
    response = client.post(admin("step", brief, "unpublish"), {"confirmed": "yes"}, follow=True)
    assert Brief.objects.get(pk=brief.pk).status == Status.PUBLISHED
    text = response.content.decode()
    assert "eddie" in text.lower() or editor.get_full_name() in text
    assert "since" in text.lower()


def test_an_expired_lock_no_longer_blocks_anyone(contributor, editor, moderator):
    brief = live(contributor, editor)
    locks.take(brief, by=editor)
    BriefLock.objects.filter(brief=brief).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    workflow.unpublish(brief, by=moderator)
    assert Brief.objects.get(pk=brief.pk).status == Status.DRAFT


def test_breaking_a_lock_is_recorded_with_who_held_it(contributor, editor, moderator):
    brief = live(contributor, editor)
    locks.take(brief, by=editor)
    locks.break_lock(brief, by=moderator, note="Correction needed now")
    note = brief.transitions.get(action="lock_broken").note
    assert "Correction needed now" in note and ("eddie" in note.lower() or editor.get_full_name() in note)
