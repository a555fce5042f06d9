"""Revisions: every admin save is kept with its related content; diff; restore; no lost edits."""

import pytest
from django.urls import reverse
from reversion.models import Version

from briefs import pending, revisions, workflow
from briefs.models import Brief, Status
from tests.factories import BriefFactory, TermFactory

from .admin_forms import admin_form_data
from .test_workflow import brief_in

pytestmark = pytest.mark.django_db


def change_url(brief):
    return reverse("admin:briefs_brief_change", args=[brief.pk])


def save_in_admin(client, brief, **changes):
    data = admin_form_data(client.get(change_url(brief)))
    data.update(changes)
    response = client.post(change_url(brief), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return data


@pytest.fixture
def edited(client, editor):
    """A brief saved once in the admin with new text, points and tags (its first state is kept too)."""
    brief = BriefFactory(author=editor, headline="First headline", points=["Old point"], tags=["theory"])
    client.force_login(editor)
    save_in_admin(
        client, brief, headline="Second <headline>", **{"points-0-text": "New point", "tags": "safety"}
    )
    return brief


def test_each_admin_save_is_a_revision_with_who_and_the_related_content(edited, editor):
    versions = list(revisions.revisions_of(edited))
    assert len(versions) == 2
    assert versions[0].revision.user == editor
    assert versions[1].revision.comment == "As it was before its first change in the admin."
    newest = "\n".join(revisions.revision_lines(versions[0]))
    oldest = "\n".join(revisions.revision_lines(versions[1]))
    assert "Second <headline>" in newest and "• New point" in newest and "Tags: safety" in newest
    assert "First headline" in oldest and "• Old point" in oldest and "Tags: theory" in oldest
    assert "Source links:\n  primary: AI Alignment Forum" in oldest


def test_revisions_keep_the_terms_of_a_brief(client, editor):
    term = TermFactory(name="grokking")
    brief = BriefFactory(author=editor, terms=[term])
    client.force_login(editor)
    save_in_admin(client, brief)
    assert "  grokking" in revisions.revision_lines(revisions.revisions_of(brief).first())


def test_the_revisions_page_lists_who_and_when(client, edited):
    page = client.get(reverse("admin:briefs_brief_revisions", args=[edited.pk])).text
    assert page.count('name="old"') == 2
    assert "Changed Headline" in page


def test_the_diff_between_two_revisions_is_readable_and_escaped(client, edited):
    new, old = revisions.revisions_of(edited)
    url = reverse("admin:briefs_brief_revision_diff", args=[edited.pk])
    page = client.get(url, {"old": old.pk, "new": new.pk}).text
    assert "<del>    First headline</del>" in page
    assert "<ins>    Second &lt;headline&gt;</ins>" in page
    assert "<del>  • Old point</del>" in page and "<ins>  • New point</ins>" in page
    assert "Second <headline>" not in page


def test_a_diff_with_a_revision_of_another_brief_is_a_404(client, edited, editor):
    other = BriefFactory(author=editor)
    save_in_admin(client, other)
    url = reverse("admin:briefs_brief_revision_diff", args=[edited.pk])
    foreign = revisions.revisions_of(other).first()
    assert (
        client.get(url, {"old": foreign.pk, "new": revisions.revisions_of(edited).first().pk}).status_code
        == 404
    )
    assert client.get(url, {"old": "x", "new": "1"}).status_code == 404


def test_restoring_brings_back_text_points_and_tags_as_a_new_revision(client, edited):
    old = revisions.revisions_of(edited).last()
    url = reverse("admin:briefs_brief_revision_restore", args=[edited.pk, old.pk])
    assert "<del>    Second &lt;headline&gt;</del>" in client.get(url).text  # confirmation shows the change
    assert client.post(url).status_code == 302
    brief = Brief.objects.get(pk=edited.pk)
    assert brief.headline == "First headline"
    assert list(brief.points.values_list("text", flat=True)) == ["Old point"]
    assert list(brief.tags.names()) == ["theory"]
    versions = revisions.revisions_of(brief)
    assert versions.count() == 3
    assert versions.first().revision.comment.startswith("Restored the revision of")


def test_restoring_a_published_brief_creates_pending_changes_readers_do_not_see(client, edited, moderator):
    old = revisions.revisions_of(edited).last()
    workflow.submit_for_review(edited, by=edited.author)
    workflow.publish(edited, by=moderator)
    published = Brief.objects.get(pk=edited.pk)
    revisions.restore_revision(Brief.objects.get(pk=edited.pk), old, by=moderator)
    restored = Brief.objects.get(pk=edited.pk)
    assert restored.status == Status.PUBLISHED
    assert restored.published_at == published.published_at
    assert restored.slug == published.slug
    assert restored.version == published.version + 1
    assert restored.headline == published.headline  # readers still see the live version
    assert pending.open_pending(restored).snapshot["headline"] == "First headline"
    pending.publish_changes(restored, by=moderator, kind=pending.Kind.FIX)
    live = Brief.objects.get(pk=edited.pk)
    assert (live.headline, live.slug, live.status) == ("First headline", published.slug, Status.PUBLISHED)


def test_restore_needs_permission_to_edit(client, contributor, other_contributor, moderator):
    brief = brief_in(Status.DRAFT, contributor, headline="Original")
    client.force_login(contributor)
    save_in_admin(client, brief, headline="Changed")
    old = revisions.revisions_of(brief).last()
    url = reverse("admin:briefs_brief_revision_restore", args=[brief.pk, old.pk])
    workflow.submit_for_review(brief, by=contributor)  # now in review: the author can no longer edit
    assert client.post(url).status_code == 403
    client.force_login(other_contributor)
    assert client.post(url).status_code == 404
    assert client.get(reverse("admin:briefs_brief_revisions", args=[brief.pk])).status_code == 404
    assert Brief.objects.get(pk=brief.pk).headline == "Changed"


def test_a_version_of_another_brief_cannot_be_restored_onto_this_one(edited, editor, client):
    other = BriefFactory(author=editor)
    save_in_admin(client, other)
    foreign = Version.objects.get_for_object(other).first()
    url = reverse("admin:briefs_brief_revision_restore", args=[edited.pk, foreign.pk])
    assert client.post(url).status_code == 404


# No lost edits


def test_the_second_of_two_concurrent_saves_is_refused_and_keeps_its_input(client, editor, moderator):
    from django.test import Client

    brief = BriefFactory(author=editor, headline="Original headline")
    first, second = Client(), Client()
    first.force_login(moderator)
    second.force_login(editor)
    form_a = admin_form_data(first.get(change_url(brief)))
    form_b = admin_form_data(second.get(change_url(brief)))

    form_a["headline"] = "Moderator's headline"
    assert first.post(change_url(brief), form_a).status_code == 302

    form_b["headline"] = "Editor's headline"
    form_b["dek"] = "Editor's careful summary."
    refused = second.post(change_url(brief), form_b)
    assert refused.status_code == 200
    message = " ".join(refused.context["adminform"].form.non_field_errors())
    assert "Mo" in message and "changed this brief on" in message and "Nothing was saved" in message
    assert 'value="Editor&#x27;s headline"' in refused.text
    assert "Editor&#x27;s careful summary." in refused.text
    assert Brief.objects.get(pk=brief.pk).headline == "Moderator's headline"

    # Having seen the message, the editor saves again on purpose.
    retry = admin_form_data(refused)
    assert retry["headline"] == "Editor's headline"
    assert second.post(change_url(brief), retry).status_code == 302
    assert Brief.objects.get(pk=brief.pk).headline == "Editor's headline"


def test_a_workflow_step_in_between_also_makes_an_open_form_stale(client, editor, moderator):
    brief = brief_in(Status.IN_REVIEW, editor)
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(brief)))
    workflow.request_changes(brief, by=moderator, note="Shorter, please.")
    form["headline"] = "Edited meanwhile"
    response = client.post(change_url(brief), form)
    assert response.status_code == 200
    assert "Mo" in " ".join(response.context["adminform"].form.non_field_errors())


def test_a_save_without_the_opened_version_is_refused(client, editor):
    brief = BriefFactory(author=editor)
    client.force_login(editor)
    form = admin_form_data(client.get(change_url(brief)))
    del form["opened_version"]
    form["headline"] = "No version"
    assert client.post(change_url(brief), form).status_code == 200
    assert Brief.objects.get(pk=brief.pk).headline != "No version"


def test_every_save_bumps_the_version():
    brief = BriefFactory()
    version = Brief.objects.get(pk=brief.pk).version
    brief.save()
    assert Brief.objects.get(pk=brief.pk).version == version + 1


def test_a_revision_whose_address_is_now_taken_is_refused_with_a_message(client, editor):
    brief = BriefFactory(author=editor, slug="shared-address", headline="Original")
    client.force_login(editor)
    save_in_admin(client, brief, slug="new-address", headline="Renamed")
    BriefFactory(slug="shared-address")
    old = revisions.revisions_of(brief).last()
    url = reverse("admin:briefs_brief_revision_restore", args=[brief.pk, old.pk])
    response = client.post(url, follow=True)
    assert "cannot be restored" in response.text
    stored = Brief.objects.get(pk=brief.pk)
    assert (stored.slug, stored.headline) == ("new-address", "Renamed")
