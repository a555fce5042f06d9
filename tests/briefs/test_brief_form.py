"""The brief form as an editor's desk: content first, rows ordered without typed numbers, a live
preview, and no lost work (a kept image, workflow buttons that save first)."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from briefs import kept_upload, workflow
from briefs.models import Brief, PendingChange, PendingStatus, ShareLink, Status
from tests.factories import BriefFactory, UserFactory, image_file
from tests.security.test_input import ADD_BRIEF, form_errors, new_brief_data

from .admin_forms import admin_form_data

pytestmark = pytest.mark.django_db


def change_url(brief):
    return reverse("admin:briefs_brief_change", args=[brief.pk])


def kept_token(html):
    match = re.search(r'name="hero_kept" value="([^"]+)"', html)
    return match and match[1]


# Content first


def test_add_brief_shows_the_content_first_and_no_empty_publication_rows(client, contributor):
    client.force_login(contributor)
    page = client.get(ADD_BRIEF).text
    order = [page.index(marker) for marker in ['id="id_headline"', 'id="id_dek"', 'id="points-group"']]
    order += [page.index(m) for m in ['id="brief_terms-group"', 'id="links-group"', 'id="id_body"']]
    order.append(page.index('id="id_hero_image"'))
    assert order == sorted(order)
    assert 'class="brief-headline' in page
    assert "Publication record" not in page and "First published" not in page.split("<body")[1]
    assert re.search(r'<textarea name="points-0-text"', page)


def test_positions_are_moved_with_buttons_never_typed(client, contributor):
    brief = BriefFactory(author=contributor, points=["First.", "Second."])
    client.force_login(contributor)
    page = client.get(change_url(brief)).text
    assert re.search(r'<input type="hidden" name="points-0-position" value="0"', page)
    assert 'name="_move" value="points-1-position:up"' in page
    assert 'type="number" name="points-0-position"' not in page


def test_the_change_form_keeps_the_publication_record_folded_and_without_empty_rows(client, moderator):
    brief = BriefFactory(published=True)
    client.force_login(moderator)
    page = client.get(change_url(brief)).text
    record = page[page.index("Publication record") - 400 :]
    assert "collapse" in record[:600]
    assert "Review due" not in page  # never set: no row for it


def test_without_javascript_a_move_button_reorders_the_rows_and_saves_nothing(client, contributor):
    brief = BriefFactory(author=contributor, points=["First.", "Second.", "Third."])
    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(brief)))
    data["points-2-text"] = "Third, edited."
    data["_move"] = "points-2-position:up"
    response = client.post(change_url(brief), data)
    assert response.status_code == 200
    page = response.text
    assert page.index("Third, edited.") < page.index("Second.")
    assert "Moved. Nothing is saved until you press Save." in page
    assert list(brief.points.values_list("text", flat=True)) == ["First.", "Second.", "Third."]

    data = admin_form_data(response)
    data["_continue"] = "1"
    client.post(change_url(brief), data)
    assert list(brief.points.values_list("text", flat=True)) == ["First.", "Third, edited.", "Second."]


def test_the_brief_form_has_no_inline_script_or_style(client, moderator):
    brief = BriefFactory(in_review=True)
    ShareLink.objects.create(brief=brief, created_by=moderator)
    client.force_login(moderator)
    body = client.get(change_url(brief)).text.split("<body")[1]
    assert 'style="' not in body.split("<svg")[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", body)
    assert " on" not in " ".join(re.findall(r"<[^>]+\bon[a-z]+=", body))


# The live preview


def test_the_live_preview_shows_what_was_typed_and_stores_nothing(client, contributor):
    brief = BriefFactory(author=contributor, headline="Saved headline", points=["Saved point."])
    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(brief)))
    data.update({"headline": "Typed headline", "points-0-text": "Typed point."})
    response = client.post(reverse("admin:briefs_brief_live_preview", args=[brief.pk]), data)
    assert response.status_code == 200
    assert "<h1" in response.text and "Typed headline" in response.text and "Typed point." in response.text
    assert "Your unsaved changes" in response.text
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    brief.refresh_from_db()
    assert brief.headline == "Saved headline"
    assert list(brief.points.values_list("text", flat=True)) == ["Saved point."]


def test_a_new_brief_previews_before_it_exists_and_is_not_created(client, contributor):
    client.force_login(contributor)
    data = new_brief_data(client, headline="Not yet a brief", **{"links-0-url": "not a url"})
    response = client.post(reverse("admin:briefs_brief_live_preview_add"), data)
    assert response.status_code == 200
    assert "Not yet a brief" in response.text
    assert not Brief.objects.exists()


def test_the_live_preview_of_a_published_brief_leaves_readers_version_alone(client, editor):
    brief = BriefFactory(published=True, headline="Live headline")
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "Edited headline"}
    response = client.post(reverse("admin:briefs_brief_live_preview", args=[brief.pk]), data)
    assert "Edited headline" in response.text
    assert Brief.objects.get(pk=brief.pk).headline == "Live headline"
    assert not PendingChange.objects.exists()


def test_the_live_preview_follows_the_view_rules(client, contributor, other_contributor):
    brief = BriefFactory(author=other_contributor)
    client.force_login(contributor)
    url = reverse("admin:briefs_brief_live_preview", args=[brief.pk])
    assert client.post(url, {"headline": "Mine now"}).status_code == 404
    client.force_login(other_contributor)
    assert client.get(url).status_code == 405


# A hero image survives a validation error


def test_an_image_chosen_on_a_refused_form_is_kept_and_saved_with_the_corrected_form(client, editor):
    client.force_login(editor)
    data = new_brief_data(client, headline="", hero_alt="A chart", hero_credit="Lab")
    data["hero_image"] = image_file(name="chart.png")
    response = client.post(ADD_BRIEF, data)
    assert response.status_code == 200 and "headline" in form_errors(response)
    token = kept_token(response.text)
    assert token
    assert "Kept from your last try: “chart.png”" in response.text

    data = admin_form_data(response) | {"headline": "Charts, kept"}
    response = client.post(ADD_BRIEF, data)
    assert response.status_code == 302, form_errors(response)
    brief = Brief.objects.get(headline="Charts, kept")
    assert brief.hero_image or brief.hero_upload  # prepared by the background, or waiting for it
    assert default_storage.listdir(kept_upload.FOLDER)[1] == []


def test_a_kept_image_token_is_personal_and_tamper_proof(client, editor):
    upload = image_file()
    token = kept_upload.keep(upload, user=editor)
    assert kept_upload.restore(token, user=editor) is not None
    assert kept_upload.restore(token, user=UserFactory()) is None
    assert kept_upload.restore(token[:-2] + "xx", user=editor) is None


def test_kept_images_nobody_can_use_any_more_are_swept(editor):
    import datetime as dt

    from django.utils import timezone

    kept_upload.keep(image_file(), user=editor)
    assert kept_upload.sweep_kept_uploads() == 0
    assert kept_upload.sweep_kept_uploads(now=timezone.now() + dt.timedelta(days=2)) == 1


# A workflow button saves first, or refuses and keeps the input


def test_submit_for_review_saves_what_was_typed_then_submits(client, contributor):
    brief = BriefFactory(author=contributor, headline="Before")
    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "Typed before submitting"}
    response = client.post(change_url(brief), {**data, "_step": "submit_for_review"}, follow=True)
    brief.refresh_from_db()
    assert brief.headline == "Typed before submitting"
    assert brief.status == Status.IN_REVIEW
    assert "was saved. Submit for review: done." in response.text


def test_a_workflow_button_on_a_form_with_errors_saves_nothing_and_takes_no_step(client, contributor):
    brief = BriefFactory(author=contributor, headline="Before")
    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "", "dek": "Typed summary."}
    response = client.post(change_url(brief), {**data, "_step": "submit_for_review"})
    assert response.status_code == 200
    assert "Nothing was saved and “Submit for review” was not taken." in response.text
    assert "Typed summary." in response.text
    brief.refresh_from_db()
    assert (brief.headline, brief.status) == ("Before", Status.DRAFT)


def test_a_workflow_button_on_a_stale_form_saves_nothing_and_takes_no_step(client, contributor, editor):
    brief = BriefFactory(author=contributor, headline="Before")
    client.force_login(contributor)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "Mine"}
    Brief.objects.filter(pk=brief.pk).update(headline="Theirs", version=brief.version + 1)
    response = client.post(change_url(brief), {**data, "_step": "submit_for_review"})
    assert response.status_code == 200
    assert "changed this brief on" in response.text and 'value="Mine"' in response.text
    brief.refresh_from_db()
    assert (brief.headline, brief.status) == ("Theirs", Status.DRAFT)


def test_request_changes_without_a_note_from_the_form_saves_nothing(client, moderator, contributor):
    brief = BriefFactory(author=contributor, in_review=True, headline="Before")
    client.force_login(moderator)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "Moderator's fix"}
    response = client.post(change_url(brief), {**data, "_step": "request_changes", "note": ""})
    assert "Say what needs to change" in response.text and "Moderator&#x27;s fix" in response.text
    brief.refresh_from_db()
    assert (brief.headline, brief.status) == ("Before", Status.IN_REVIEW)

    response = client.post(change_url(brief), {**data, "_step": "request_changes", "note": "Cite it."})
    brief.refresh_from_db()
    assert (brief.headline, brief.status) == ("Moderator's fix", Status.CHANGES_REQUESTED)


def test_a_refused_step_after_a_good_save_keeps_the_save_and_says_why(client, moderator):
    brief = BriefFactory(in_review=True, dek="", headline="Before")
    client.force_login(moderator)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "Saved anyway"}
    response = client.post(change_url(brief), {**data, "_step": "publish"}, follow=True)
    assert "was saved, but “Publish” was not possible" in response.text
    brief.refresh_from_db()
    assert (brief.headline, brief.status) == ("Saved anyway", Status.IN_REVIEW)


def test_submitting_the_changes_of_a_published_brief_saves_them_as_pending_first(client, editor):
    brief = BriefFactory(published=True, headline="Live")
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(brief))) | {"headline": "Pending headline"}
    client.post(change_url(brief), {**data, "_changes": "submit"})
    assert Brief.objects.get(pk=brief.pk).headline == "Live"
    pending = PendingChange.objects.get(brief=brief)
    assert (pending.snapshot["headline"], pending.status) == ("Pending headline", PendingStatus.IN_REVIEW)


def test_people_who_cannot_edit_still_get_the_separate_step_forms(client, contributor):
    brief = BriefFactory(author=contributor)
    workflow.submit_for_review(brief, by=contributor)
    client.force_login(contributor)
    page = client.get(change_url(brief)).text
    assert 'name="_step"' not in page


# Share links


def test_a_share_link_has_a_copy_button_and_says_when_it_expires(client, moderator):
    brief = BriefFactory(in_review=True)
    ShareLink.objects.create(brief=brief, created_by=moderator)
    client.force_login(moderator)
    page = client.get(change_url(brief)).text
    assert re.search(r'class="button workflow-copy" data-copy="http://testserver/preview/[^"]+"', page)
    assert re.search(r"expires \w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d \w+ \(in 6\xa0days", page)


def test_an_empty_new_brief_previews_without_an_error(client, contributor):
    """A draft may have neither summary nor points yet: its page still renders."""
    client.force_login(contributor)
    data = new_brief_data(client, headline="", dek="", **{"points-0-text": "", "links-TOTAL_FORMS": "0"})
    response = client.post(reverse("admin:briefs_brief_live_preview_add"), data)
    assert response.status_code == 200
    assert "(No headline yet)" in response.text


def test_the_preview_frame_opens_on_the_saved_version_and_only_in_our_own_pages(client, contributor):
    brief = BriefFactory(author=contributor, headline="Saved for the frame")
    client.force_login(contributor)
    response = client.get(reverse("admin:briefs_brief_framed_preview", args=[brief.pk]))
    assert response.status_code == 200 and "Saved for the frame" in response.text
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:briefs_brief_framed_preview", args=[brief.pk])).status_code in {403, 404}
