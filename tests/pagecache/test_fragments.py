"""Parts of pages kept between requests (pagecache.fragments) never outlive what they show."""

import pytest
from django.urls import reverse

from briefs import pending, services, snapshots
from glossary import services as glossary_services
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Whole pages are rendered on every request here, so only the fragments are kept."""
    settings.PUBLIC_PAGE_CACHE_ENABLED = False


def test_a_terms_new_definition_replaces_its_kept_definition_block(client, moderator):
    term = TermFactory(name="superposition", definition="Old definition.")
    BriefFactory(published=True, terms=[term])
    assert "Old definition." in client.get(term.get_absolute_url()).text
    term.definition = "New definition."
    glossary_services.save_term(term, by=moderator)
    page = client.get(term.get_absolute_url()).text
    assert "New definition." in page and "Old definition." not in page


def test_a_brief_edited_in_the_admin_shows_its_new_linked_points_once_published(client, superuser):
    term = TermFactory(name="superposition")
    brief = BriefFactory(published=True, terms=[term], points=["Old point about superposition."])
    url = brief.get_absolute_url()
    assert "Old point" in client.get(url).text
    client.force_login(superuser)
    url_admin = reverse("admin:briefs_brief_change", args=[brief.pk])
    data = admin_form_data(client.get(url_admin))
    data["points-0-text"] = "New point about superposition."
    assert client.post(url_admin, data).status_code == 302  # a live brief's edit waits for review
    client.logout()
    assert "Old point" in client.get(url).text
    pending.publish_changes(brief, by=superuser, kind=pending.Kind.FIX)
    page = client.get(url).text
    assert "New point about" in page and "Old point" not in page
    assert 'class="term-ref__link"' in page  # the new point has its term linked


def test_a_brief_saved_through_the_services_shows_its_new_body(client):
    brief = BriefFactory(published=True, body="The *old* body.")
    assert "<em>old</em>" in client.get(brief.get_absolute_url()).text
    brief.body = "The **new** body."
    services.save_brief(brief)
    page = client.get(brief.get_absolute_url()).text
    assert "<strong>new</strong>" in page and "<em>old</em>" not in page


def test_a_new_alias_of_a_term_links_it_in_kept_points(client, moderator):
    term = TermFactory(name="superposition")
    brief = BriefFactory(published=True, terms=[term], points=["Features in superposed form."])
    assert "term-ref__link" not in client.get(brief.get_absolute_url()).text
    term.aliases.create(name="superposed")
    glossary_services.save_term(term, by=moderator)
    assert "term-ref__link" in client.get(brief.get_absolute_url()).text


def test_a_brief_card_follows_its_new_headline_on_the_term_page(client):
    term = TermFactory()
    brief = BriefFactory(published=True, terms=[term], headline="Old headline", dek="A summary.")
    assert "Old headline" in client.get(term.get_absolute_url()).text
    brief.headline = "New headline"
    services.save_brief(brief)
    page = client.get(term.get_absolute_url()).text
    assert "New headline" in page and "Old headline" not in page


def test_applying_pending_changes_renders_the_stored_body_again(client):
    brief = BriefFactory(published=True, body="Before.")
    snapshot = {**snapshots.snapshot_of(brief), "body": "After, with **emphasis**."}
    snapshots.apply(brief, snapshot)
    brief.refresh_from_db()
    assert brief.body_html == "<p>After, with <strong>emphasis</strong>.</p>"
    assert brief.body_text == "After, with emphasis."
