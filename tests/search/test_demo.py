import pytest
from django.core.management import call_command

from search.backends import search_briefs, search_terms

pytestmark = pytest.mark.django_db

SEED = "new-paper-argues-for-a-scientific-theory-of-deep-learning"


def test_searching_the_demo_content_for_learning_mechanics_finds_the_seed_brief_first_and_the_term_above_it(
    client,
):
    call_command("load_demo")
    assert search_briefs("learning mechanics").first().slug == SEED
    assert search_terms("learning mechanics")[0].name == "learning mechanics"

    text = client.get("/search/", {"q": "learning mechanics"}).text
    term_at = text.index('href="/glossary/learning-mechanics/"')
    brief_at = text.index(f'href="/briefs/{SEED}/"')
    assert term_at < brief_at
    assert "<mark>" in text
