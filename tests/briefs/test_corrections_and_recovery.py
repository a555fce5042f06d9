"""The public corrections log, moderators' lists of expiring and changed briefs, and undoing a deletion."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs import pending, services, snapshots, workflow
from briefs.models import Brief, BriefPoint, Status
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def correct(brief, moderator, editor, text, **changes):
    snapshot = {**snapshots.snapshot_of(brief), **changes}
    pending.save_changes(brief, by=editor, snapshot=snapshot)
    pending.publish_changes(brief, by=moderator, kind=pending.Kind.CORRECTION, note=text)


def test_the_corrections_log_lists_published_corrections_newest_first_with_their_briefs(
    client, moderator, editor
):
    first = BriefFactory(published=True, headline="Model beats benchmark")
    second = BriefFactory(published=True, headline="Lab opens weights")
    correct(first, moderator, editor, "The benchmark is MMLU, not GSM8K.")
    correct(second, moderator, editor, "The weights are for the 7B model only.")
    response = client.get(reverse("briefs:corrections"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("The weights are for the 7B model only.") < text.index("The benchmark is MMLU")
    assert first.get_absolute_url() in text and "Lab opens weights" in text


def test_the_corrections_log_never_shows_a_brief_readers_cannot_open(client, moderator, editor):
    brief = BriefFactory(published=True, headline="Withdrawn story")
    correct(brief, moderator, editor, "A figure was wrong.")

    workflow.unpublish(brief, by=moderator)
    text = client.get(reverse("briefs:corrections")).content.decode()
    assert "A figure was wrong." not in text and "Withdrawn story" not in text
    assert "No corrections so far." in text


def test_the_corrections_log_reads_a_fixed_number_of_queries(
    client, moderator, editor, django_assert_max_num_queries
):
    for n in range(25):
        correct(BriefFactory(published=True), moderator, editor, f"Correction {n}.")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("briefs:corrections"))
    assert response.content.decode().count("corrections-log__item") == 20
    assert (
        client.get(reverse("briefs:corrections") + "?page=2").content.decode().count("corrections-log__item")
        == 5
    )


def test_the_log_is_in_the_sitemap_and_the_footer(client):
    assert b"/corrections/" in client.get("/sitemap.xml").content
    assert reverse("briefs:corrections").encode() in client.get("/").content


def test_moderators_list_briefs_that_expire_within_a_week_soonest_first(client, moderator):
    now = timezone.now()
    later = BriefFactory(published=True, headline="Leaves in six days", expire_at=now + dt.timedelta(days=6))
    sooner = BriefFactory(published=True, headline="Leaves tomorrow", expire_at=now + dt.timedelta(days=1))
    BriefFactory(published=True, headline="Leaves next month", expire_at=now + dt.timedelta(days=30))
    BriefFactory(published=True, headline="Stays")
    client.force_login(moderator)
    response = client.get(reverse("admin:briefs_brief_changelist") + "?expiry=soon")
    shown = [brief.pk for brief in response.context["cl"].result_list]
    assert shown == [sooner.pk, later.pk]


def test_moderators_find_live_briefs_with_pending_changes(client, moderator, editor):
    changed = BriefFactory(published=True)
    BriefFactory(published=True)
    pending.save_changes(changed, by=editor, snapshot={**snapshots.snapshot_of(changed), "dek": "New."})
    client.force_login(moderator)
    response = client.get(reverse("admin:briefs_brief_changelist") + "?pending=open")
    assert [brief.pk for brief in response.context["cl"].result_list] == [changed.pk]


# Deleting, and undoing it


def test_the_delete_page_says_what_readers_lose(client, moderator, superuser):
    draft = BriefFactory()
    client.force_login(moderator)
    text = client.get(reverse("admin:briefs_brief_delete", args=[draft.pk])).content.decode()
    assert "Readers never saw this brief" in text and "Recently deleted" in text
    live = BriefFactory(published=True)
    client.force_login(superuser)
    text = client.get(reverse("admin:briefs_brief_delete", args=[live.pk])).content.decode()
    assert f"Readers lose the page {live.get_absolute_url()}" in text


def test_a_deleted_brief_comes_back_in_one_step_with_its_points(client, moderator):
    brief = BriefFactory(headline="Deleted by mistake", points=["One", "Two"])
    client.force_login(moderator)
    client.post(reverse("admin:briefs_brief_delete", args=[brief.pk]), {"post": "yes"})
    assert not Brief.objects.filter(pk=brief.pk).exists()
    listing = client.get(reverse("admin:briefs_brief_deleted"))
    assert "Deleted by mistake" in listing.content.decode()
    (item,) = listing.context["deleted"]
    response = client.post(reverse("admin:briefs_brief_restore_deleted", args=[item["version"].pk]))
    assert response.status_code == 302
    restored = Brief.objects.get(pk=brief.pk)
    assert restored.headline == "Deleted by mistake" and restored.status == Status.DRAFT
    assert list(BriefPoint.objects.filter(brief=restored).values_list("text", flat=True)) == ["One", "Two"]
    assert restored.transitions.filter(action="restored").exists()


def test_a_published_brief_deleted_by_a_superuser_comes_back_as_a_draft(superuser):
    brief = BriefFactory(published=True)
    pk = brief.pk
    services.delete_brief(brief, by=superuser)
    version = services.deleted_briefs().get(object_id=str(pk))
    assert workflow.restore_deleted(version, by=superuser).status == Status.DRAFT


def test_a_restore_whose_address_was_taken_says_so_and_changes_nothing(client, moderator):
    brief = BriefFactory(headline="Same address", slug="same-address")
    pk = brief.pk
    services.delete_brief(brief, by=moderator)
    BriefFactory(slug="same-address")
    version = services.deleted_briefs().get(object_id=str(pk))
    client.force_login(moderator)
    response = client.post(reverse("admin:briefs_brief_restore_deleted", args=[version.pk]), follow=True)
    assert "now uses the address “same-address”" in response.content.decode()
    assert not Brief.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("role", ["contributor", "editor"])
def test_only_moderators_see_and_restore_deleted_briefs(request, client, moderator, role):
    brief = BriefFactory(headline="Secret draft")
    services.delete_brief(brief, by=moderator)
    version = services.deleted_briefs().get()
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("admin:briefs_brief_deleted")).status_code == 403
    assert client.post(reverse("admin:briefs_brief_restore_deleted", args=[version.pk])).status_code == 403
    assert not Brief.objects.exists()
    client.logout()
    response = client.get(reverse("admin:briefs_brief_deleted"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
