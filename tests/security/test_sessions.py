"""Losing access ends it everywhere, and "view on site" never reveals what a person may not see."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from briefs.models import Brief, ShareLink
from glossary.models import Term
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password"


def signed_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    assert (
        client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD}).status_code
        == 302
    )
    assert client.get(reverse("admin:index")).status_code == 200
    return client


def change_user(admin_client, user, **changes):
    url = reverse("admin:auth_user_change", args=[user.pk])
    data = admin_form_data(admin_client.get(url))
    for key, value in changes.items():
        if value is False:
            data.pop(key, None)
        else:
            data[key] = value
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def admin_client(client_factory, superuser):
    client = client_factory()
    client.force_login(superuser)
    return client


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client


def test_a_deactivated_person_is_signed_out_and_reactivating_does_not_bring_the_session_back(
    client, admin_client, editor
):
    signed_in(client, editor)
    change_user(admin_client, editor, is_active=False)
    assert client.get(reverse("admin:index")).status_code == 302  # to the sign-in page
    change_user(admin_client, editor, is_active="on")
    assert client.get(reverse("admin:index")).status_code == 302


def test_taking_someone_out_of_a_role_ends_their_sessions_and_revokes_their_share_links(
    client, admin_client, moderator
):
    brief = BriefFactory(in_review=True)
    signed_in(client, moderator)
    client.post(reverse("admin:briefs_brief_share", args=[brief.pk]), {"days": "7"})
    link = ShareLink.objects.get(brief=brief)
    from briefs.preview import share_url

    outsider = client_factory_client()
    assert outsider.get(share_url(link)).status_code == 200
    change_user(admin_client, moderator, groups=False)
    assert client.get(reverse("admin:index")).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert outsider.get(share_url(link)).status_code == 404


def client_factory_client():
    from django.test import Client

    return Client()


def shortcut(obj):
    return reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(obj).pk, obj.pk])


@pytest.mark.parametrize("who", ["staff without permissions", "another contributor", "editor", "moderator"])
def test_view_on_site_never_redirects_to_a_draft(
    client, who, contributor, other_contributor, editor, moderator
):
    draft = BriefFactory(author=contributor, headline="A secret merger announcement")
    people = {
        "staff without permissions": UserFactory(username="nobody"),
        "another contributor": other_contributor,
        "editor": editor,
        "moderator": moderator,
    }
    client.force_login(people[who])
    response = client.get(shortcut(draft))
    assert response.status_code == 404
    assert draft.slug not in response.text and draft.slug not in response.get("Location", "")


def test_view_on_site_sends_those_who_may_see_a_live_brief_to_its_page(client, moderator, contributor):
    live = BriefFactory(published=True, author=contributor)
    client.force_login(moderator)
    assert client.get(shortcut(live))["Location"] == live.get_absolute_url()
    client.force_login(UserFactory(username="nobody"))
    assert client.get(shortcut(live)).status_code == 404  # no right to see briefs in the admin


def test_view_on_site_of_a_draft_term_is_a_404(client, moderator):
    draft = TermFactory(name="unannounced", draft=True)
    client.force_login(moderator)
    assert client.get(shortcut(draft)).status_code == 404
    approved = TermFactory(name="announced")
    assert client.get(shortcut(approved))["Location"] == approved.get_absolute_url()


def test_a_malformed_view_on_site_address_is_a_404(client, moderator):
    client.force_login(moderator)
    assert client.get("/admin/r/abc/1/").status_code == 404
    assert client.get(f"/admin/r/{ContentType.objects.get_for_model(Brief).pk}/x/").status_code == 404
    assert Group.objects.exists() and Term is not None
