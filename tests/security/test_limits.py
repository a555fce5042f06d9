"""Limits on what a request may carry: a clear message in words, and nothing stored."""

import pytest
from django.urls import reverse

from briefs.models import Brief
from briefs.tagging import MAX_TAGS_PER_BRIEF
from tests.factories import BriefFactory

from .test_input import ADD_BRIEF, form_errors, new_brief_data

pytestmark = pytest.mark.django_db


def test_more_tags_than_a_brief_may_have_are_refused_with_a_message(client, editor):
    client.force_login(editor)
    tags = ", ".join(f"topic {n}" for n in range(500))
    response = client.post(ADD_BRIEF, new_brief_data(client, tags=tags))
    assert response.status_code == 200
    message = " ".join(form_errors(response)["tags"])
    assert f"This brief has 500 tags; a brief has at most {MAX_TAGS_PER_BRIEF}" in message
    assert not Brief.objects.exists()


def test_a_tag_too_long_to_store_is_refused_not_cut(client, editor):
    client.force_login(editor)
    long_tag = "t" * 150
    response = client.post(ADD_BRIEF, new_brief_data(client, tags=f"safety, {long_tag}"))
    assert response.status_code == 200
    assert "is 150 characters long; a tag has at most 100" in " ".join(form_errors(response)["tags"])
    assert not Brief.objects.exists()


def test_a_form_post_far_bigger_than_any_brief_is_refused_with_a_400_that_says_why(client, editor, settings):
    settings.DEBUG = False
    client.force_login(editor)
    response = client.post(ADD_BRIEF, new_brief_data(client, body="x" * (3 * 1024 * 1024)))
    assert response.status_code == 400
    assert "far more text than any brief needs" in response.text
    assert not Brief.objects.exists()


def test_a_long_upload_name_is_accepted_since_the_stored_name_is_generated(client, editor):
    from tests.factories import image_file

    client.force_login(editor)
    image = image_file(name="a" * 300 + ".png")
    data = new_brief_data(client, hero_alt="A chart", hero_credit="Lab")
    data["hero_image"] = image
    response = client.post(ADD_BRIEF, data)
    assert response.status_code == 302, form_errors(response)
    stored = Brief.objects.get().hero_image.name
    assert stored.startswith("heroes/") and "aaaa" not in stored


def test_a_selection_that_names_objects_by_anything_but_their_id_is_a_400(client, moderator):
    BriefFactory(in_review=True)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:briefs_brief_changelist"),
        {"action": "publish_selected", "_selected_action": ["1 OR 1=1"], "index": "0"},
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.text
    assert not Brief.objects.published().exists()


@pytest.mark.parametrize(
    ("url", "json"),
    [("/search/?q=theory", False), ("/api/v1/briefs/", True)],
)
def test_a_client_over_its_rate_gets_429_with_retry_after(client, settings, url, json):
    settings.REQUEST_RATE_LIMITS = {"/search/": "3/m", "/api/": "3/m"}
    answers = [client.get(url, REMOTE_ADDR="198.51.100.7") for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    refused = answers[3]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    if json:
        assert "Too many requests" in refused.json()["detail"]
    else:
        assert "Slow down a little" in refused.text
    # Another reader is not held back by the first one.
    assert client.get(url, REMOTE_ADDR="198.51.100.8").status_code == 200
