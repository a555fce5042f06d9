"""Drafts, revisions, previews, share links and workflow steps reach only those allowed, by any URL."""

import datetime as dt

import pytest
import reversion
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from briefs.models import Brief, BriefPoint, ShareLink, StaffNote, Status, Transition
from briefs.preview import share_url
from briefs.revisions import revisions_of
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory
from tests.helpers import publish_now

pytestmark = pytest.mark.django_db

SECRET_HEADLINE = "Unannounced model beats everything"


@pytest.fixture
def draft(contributor, moderator):
    """Cora's draft with two revisions, a staff note and a live share link."""
    brief = BriefFactory(author=contributor, headline=SECRET_HEADLINE)
    for headline in (SECRET_HEADLINE + " (v1)", SECRET_HEADLINE):
        with reversion.create_revision():
            reversion.set_user(contributor)
            brief.headline = headline
            brief.save()
    StaffNote.objects.create(brief=brief, author=moderator, text="Embargoed until Monday.")
    ShareLink.objects.create(
        brief=brief, created_by=moderator, expires_at=timezone.now() + dt.timedelta(days=3)
    )
    return brief


def snapshot(brief):
    """Everything a forged request could try to change, as plain values."""
    return {
        "brief": list(Brief.objects.filter(pk=brief.pk).values()),
        "points": list(BriefPoint.objects.filter(brief=brief).values()),
        "transitions": list(Transition.objects.filter(brief=brief).values()),
        "notes": list(StaffNote.objects.filter(brief=brief).values()),
        "shares": list(ShareLink.objects.filter(brief=brief).values()),
        "versions": revisions_of(brief).count(),
        "log": LogEntry.objects.count(),
    }


def urls(brief):
    versions = list(revisions_of(brief))
    link = brief.share_links.get()
    admin = "admin:briefs_brief_"
    return {
        "change": ("GET", reverse(admin + "change", args=[brief.pk])),
        "change-post": ("POST", reverse(admin + "change", args=[brief.pk])),
        "history": ("GET", reverse(admin + "history", args=[brief.pk])),
        "revisions": ("GET", reverse(admin + "revisions", args=[brief.pk])),
        "diff": (
            "GET",
            reverse(admin + "revision_diff", args=[brief.pk])
            + f"?old={versions[-1].pk}&new={versions[0].pk}",
        ),
        "restore": ("GET", reverse(admin + "revision_restore", args=[brief.pk, versions[-1].pk])),
        "restore-post": ("POST", reverse(admin + "revision_restore", args=[brief.pk, versions[-1].pk])),
        "preview": ("GET", reverse(admin + "preview", args=[brief.pk])),
        "share": ("POST", reverse(admin + "share", args=[brief.pk])),
        "revoke": ("POST", reverse(admin + "revoke_share", args=[brief.pk, link.pk])),
        "submit": ("POST", reverse(admin + "step", args=[brief.pk, "submit_for_review"])),
        "publish": ("POST", reverse(admin + "step", args=[brief.pk, "publish"])),
        "archive": ("POST", reverse(admin + "step", args=[brief.pk, "archive"])),
        "assign": ("POST", reverse(admin + "assign", args=[brief.pk])),
        "delete": ("GET", reverse(admin + "delete", args=[brief.pk])),
        "delete-post": ("POST", reverse(admin + "delete", args=[brief.pk])),
    }


FORGED = {
    "headline": "Defaced",
    "status": Status.PUBLISHED,
    "published_at": "2020-01-01 00:00",
    "at": "2020-01-01 00:00",
    "post": "yes",
    "days": "30",
    "note": "Forged note",
    "text": "Forged",
}

# Who may not use which view of Cora's draft (None: every view). Allowed uses are tested below.
DENIED = {
    "anonymous": None,
    "other_contributor": None,
    "contributor": ["share", "revoke", "publish", "archive", "assign", "delete", "delete-post"],
    "editor": ["share", "revoke", "publish", "archive", "assign", "delete", "delete-post"],
}
ALL_URLS = [
    "change",
    "change-post",
    "history",
    "revisions",
    "diff",
    "restore",
    "restore-post",
    "preview",
    "share",
    "revoke",
    "submit",
    "publish",
    "archive",
    "assign",
    "delete",
    "delete-post",
]
CASES = [
    (role, name)
    for role in ("anonymous", "other_contributor", "contributor", "editor")
    for name in (DENIED[role] or ALL_URLS)
]


def client_for(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.mark.parametrize(("role", "name"), CASES)
def test_a_view_of_someone_elses_draft_is_refused_and_changes_nothing(
    request, client, draft, moderator, role, name
):
    method, url = urls(draft)[name]
    before = snapshot(draft)
    client = client_for(request, client, role)
    data = {**FORGED, "assignee": moderator.pk}
    response = client.post(url, data) if method == "POST" else client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    elif response.status_code == 302:
        # The admin's own "doesn't exist" redirect for objects outside the user's queryset.
        assert response["Location"] in {reverse("admin:index"), urls(draft)["change"][1]}
    else:
        assert response.status_code in {403, 404}, response.status_code
    assert SECRET_HEADLINE.encode() not in response.content or role in {"contributor", "editor"}
    assert b"Embargoed until Monday" not in response.content
    assert snapshot(draft) == before


def test_the_owner_and_staff_who_may_see_the_draft_can_open_its_side_views(
    client, draft, contributor, editor
):
    for user in (contributor, editor):
        client.force_login(user)
        for name in ("change", "history", "revisions", "diff", "preview"):
            method, url = urls(draft)[name]
            assert client.get(url).status_code == 200, (user, name)


def test_a_contributors_forged_change_form_cannot_set_workflow_fields(client, draft, contributor, moderator):
    client.force_login(contributor)
    url = urls(draft)["change"][1]
    data = admin_form_data(client.get(url))
    data.update(
        {
            "headline": "Edited headline",
            "status": Status.PUBLISHED,
            "published_at": "2020-01-01 00:00:00",
            "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00",
            "first_published_at": "2020-01-01 00:00:00",
            "submitted_at": "2020-01-01 00:00:00",
            "assignee": str(moderator.pk),
            "reviewer": str(moderator.pk),
            "review_due": "2020-01-02",
            "author": str(moderator.pk),
            "version": "999",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    brief = Brief.objects.get(pk=draft.pk)
    assert brief.headline == "Edited headline"  # the allowed field changed
    assert brief.status == Status.DRAFT
    assert brief.published_at is None and brief.first_published_at is None and brief.submitted_at is None
    assert brief.assignee is None and brief.review_due is None
    assert brief.author == contributor
    assert not Transition.objects.filter(brief=brief).exists()
    assert not Brief.objects.published().exists()


def test_a_contributor_cannot_edit_or_delete_a_staff_note(client, draft, contributor):
    client.force_login(contributor)
    url = urls(draft)["change"][1]
    data = admin_form_data(client.get(url))
    prefix = next(k[: -len("-TOTAL_FORMS")] for k in data if k.endswith("-TOTAL_FORMS") and "note" in k)
    data[f"{prefix}-0-text"] = "Rewritten"
    data[f"{prefix}-0-DELETE"] = "on"
    client.post(url, data)
    assert list(StaffNote.objects.values_list("text", flat=True)) == ["Embargoed until Monday."]


def test_a_moderator_creates_and_revokes_share_links(client, draft, moderator):
    client.force_login(moderator)
    views = urls(draft)
    assert client.post(views["share"][1], {"days": "2"}).status_code == 302
    assert draft.share_links.filter(revoked_at__isnull=True).count() == 2
    assert client.post(views["revoke"][1]).status_code == 302
    assert draft.share_links.filter(revoked_at__isnull=True).count() == 1


# Previews are never cached nor indexed


def assert_private_and_unindexed(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]


def test_preview_and_share_link_responses_are_private_and_unindexed(client, draft, contributor):
    shared = client.get(share_url(draft.share_links.get()))
    assert shared.status_code == 200
    assert_private_and_unindexed(shared)
    client.force_login(contributor)
    preview = client.get(urls(draft)["preview"][1])
    assert preview.status_code == 200
    assert_private_and_unindexed(preview)


def test_a_revoked_or_expired_share_link_shows_nothing(client, draft):
    link = draft.share_links.get()
    url = share_url(link)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(url).status_code == 404
    ShareLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=1), revoked_at=timezone.now()
    )
    response = client.get(url)
    assert response.status_code == 404
    assert SECRET_HEADLINE.encode() not in response.content


def test_a_tampered_share_token_is_a_404(client, draft):
    url = share_url(draft.share_links.get())
    assert client.get(url[:-3] + "xx/").status_code == 404


# The page cache never serves a draft or a logged-in view to a reader


@pytest.mark.parametrize("cache_first", ["staff", "share"])
def test_the_page_cache_never_gives_readers_a_staff_view_or_a_draft(
    client, draft, moderator, settings, cache_first
):
    live = publish_now(BriefFactory(headline="Live brief"))
    pages = [reverse("briefs:home"), live.get_absolute_url(), reverse("search:results") + "?q=model"]
    staff = type(client)()
    staff.force_login(moderator)
    if cache_first == "share":
        assert client.get(share_url(draft.share_links.get())).status_code == 200
    for url in pages:
        staff.get(url)
    staff.get(urls(draft)["preview"][1])
    anonymous = [client.get(url) for url in pages]
    for response in anonymous:
        assert response.status_code == 200
        assert SECRET_HEADLINE.encode() not in response.content
        assert b"csrfmiddlewaretoken" not in response.content
        assert b"Log out" not in response.content
        assert b"/admin/" not in response.content
        assert "sessionid" not in response.cookies
    # A second reader request (served from the cache) shows exactly what a fresh one shows.
    again = [client.get(url) for url in pages]
    assert [r["X-Page-Cache"] for r in again] == ["hit"] * len(pages)
    assert [r.content for r in again] == [r.content for r in anonymous]
    # And a reader cannot make the draft's preview public by guessing its addresses.
    assert client.get(f"/briefs/{draft.slug}/").status_code == 404


def test_a_staff_request_is_never_served_a_cached_reader_page_with_stale_state(client, moderator):
    live = publish_now(BriefFactory(headline="Live brief"))
    reader = client.get(live.get_absolute_url())
    assert reader.status_code == 200
    staff = type(client)()
    staff.force_login(moderator)
    response = staff.get(live.get_absolute_url())
    assert response.status_code == 200
    assert response.get("X-Page-Cache") != "hit"
