"""Previews by permission and share links: signed, expiring, revocable, never cached or indexed."""

import datetime as dt

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from briefs.models import ShareLink, Status
from briefs.preview import SHARE_SALT, share_url
from tests.factories import BriefFactory

from .test_workflow import brief_in

pytestmark = pytest.mark.django_db


def preview_url(brief):
    return reverse("admin:briefs_brief_preview", args=[brief.pk])


def assert_private_and_unindexed(response):
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


@pytest.mark.parametrize("status", [Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED])
def test_staff_preview_an_unpublished_brief_with_the_readers_template(client, editor, status):
    brief = brief_in(status, editor, headline="Not out yet", points=["First point"])
    client.force_login(editor)
    response = client.get(preview_url(brief))
    assert response.status_code == 200
    assert "briefs/brief_detail.html" in [t.name for t in response.templates]
    assert "Not out yet" in response.text and "First point" in response.text
    assert "Preview — not published." in response.text
    assert_private_and_unindexed(response)


def test_a_scheduled_preview_says_when_it_goes_live(client, moderator):
    brief = BriefFactory(scheduled=True)
    client.force_login(moderator)
    assert "Scheduled for" in client.get(preview_url(brief)).text


def test_a_contributor_previews_only_their_own_briefs(client, contributor, other_contributor):
    own = brief_in(Status.IN_REVIEW, contributor)
    theirs = brief_in(Status.DRAFT, other_contributor)
    client.force_login(contributor)
    assert client.get(preview_url(own)).status_code == 200
    assert client.get(preview_url(theirs)).status_code == 404


def test_the_preview_needs_a_staff_login(client):
    brief = BriefFactory()
    response = client.get(preview_url(brief))
    assert response.status_code == 302 and reverse("admin:login") in response.url


def test_the_change_form_links_to_the_preview(client, editor):
    brief = BriefFactory(author=editor)
    client.force_login(editor)
    assert preview_url(brief) in client.get(reverse("admin:briefs_brief_change", args=[brief.pk])).text


# Share links


def create_link(client, moderator, brief, days=None):
    client.force_login(moderator)
    data = {"days": days} if days else {}
    client.post(reverse("admin:briefs_brief_share", args=[brief.pk]), data)
    client.logout()
    return ShareLink.objects.latest("pk")


def test_a_moderator_shares_a_draft_that_anyone_with_the_link_can_read(client, moderator):
    brief = BriefFactory(headline="Shared draft")
    link = create_link(client, moderator, brief)
    assert link.created_by == moderator
    assert abs(link.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    response = client.get(share_url(link))
    assert response.status_code == 200
    assert "Shared draft" in response.text and "Preview — not published." in response.text
    assert_private_and_unindexed(response)


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_moderators_create_share_links(request, client, role):
    user = request.getfixturevalue(role)
    brief = BriefFactory(author=user)
    client.force_login(user)
    assert client.post(reverse("admin:briefs_brief_share", args=[brief.pk])).status_code == 403
    assert not ShareLink.objects.exists()


def test_a_tampered_link_is_a_404(client, moderator):
    link = create_link(client, moderator, BriefFactory())
    url = share_url(link)
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = signing.Signer(salt="another salt").sign_object(link.pk)
    for bad in [token[:-1] + ("A" if token[-1] != "A" else "B"), forged, "1", "not-a-token"]:
        assert client.get(reverse("briefs:shared", kwargs={"token": bad})).status_code == 404


def test_a_link_signed_for_another_brief_does_not_open_this_one(client, moderator):
    link = create_link(client, moderator, BriefFactory(headline="Shared one"))
    other = BriefFactory(headline="Never shared")
    token = signing.dumps(other.pk, salt=SHARE_SALT)  # signed, but not the share-link way
    assert client.get(reverse("briefs:shared", kwargs={"token": token})).status_code == 404
    assert "Never shared" not in client.get(share_url(link)).text


def test_an_expired_link_is_a_404(client, moderator):
    link = create_link(client, moderator, BriefFactory())
    link.expires_at = timezone.now() - dt.timedelta(seconds=1)
    link.save()
    assert client.get(share_url(link)).status_code == 404


def test_a_link_works_until_its_expiry(client, moderator):
    link = create_link(client, moderator, BriefFactory(), days=1)
    assert abs(link.expires_at - (timezone.now() + dt.timedelta(days=1))) < dt.timedelta(minutes=1)
    assert client.get(share_url(link)).status_code == 200


def test_a_revoked_link_is_a_404(client, moderator):
    brief = BriefFactory()
    link = create_link(client, moderator, brief)
    client.force_login(moderator)
    client.post(reverse("admin:briefs_brief_revoke_share", args=[brief.pk, link.pk]))
    client.logout()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert client.get(share_url(link)).status_code == 404


def test_share_links_are_listed_on_the_change_form_for_moderators(client, moderator):
    brief = BriefFactory()
    link = create_link(client, moderator, brief)
    client.force_login(moderator)
    assert share_url(link) in client.get(reverse("admin:briefs_brief_change", args=[brief.pk])).text


def test_the_public_page_of_a_draft_stays_a_404_even_with_a_share_link(client, moderator):
    brief = BriefFactory()
    create_link(client, moderator, brief)
    assert client.get(brief.get_absolute_url()).status_code == 404


def test_only_moderators_revoke_share_links(client, moderator, editor):
    brief = BriefFactory(author=editor)
    link = create_link(client, moderator, brief)
    client.force_login(editor)
    response = client.post(reverse("admin:briefs_brief_revoke_share", args=[brief.pk, link.pk]))
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
