import pytest
from django.urls import reverse

from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_briefs(client):
    brief = BriefFactory(published=True, headline="Visible brief")
    BriefFactory(headline="Hidden draft")
    response = client.get(reverse("briefs:home"))
    assert response.status_code == 200
    assert "Visible brief" in response.text
    assert "Hidden draft" not in response.text
    assert brief.get_absolute_url() in response.text


def test_brief_page_shows_points_terms_and_the_source_link(client):
    term = TermFactory(name="learning mechanics")
    brief = BriefFactory(published=True, points=["Point one", "Point two"], terms=[term])
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    assert "Point one" in response.text and "Point two" in response.text
    assert "Terms in this brief" in response.text
    assert term.definition in response.text
    assert "Read full story at AI Alignment Forum →" in response.text


def test_draft_brief_is_a_404(client):
    assert client.get(BriefFactory().get_absolute_url()).status_code == 404
