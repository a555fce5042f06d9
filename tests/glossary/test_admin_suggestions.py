import pytest

from briefs.admin.terms_panel import term_suggestions
from briefs.models import Brief, BriefTerm
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def change_url(brief):
    return f"/admin/briefs/brief/{brief.pk}/change/"


def form_data(client, brief, **extra):
    """What the brief change form, as rendered for the signed-in user, posts back (plus `extra`)."""
    return admin_form_data(client.get(change_url(brief))) | extra


@pytest.fixture
def glossary():
    rlhf = TermFactory(name="reinforcement learning from human feedback")
    TermAliasFactory(term=rlhf, name="RLHF")
    return {
        "rlhf": rlhf,
        "reward model": TermFactory(name="reward model"),
        "grokking": TermFactory(name="grokking", draft=True),
        "unused": TermFactory(name="mesa-optimizer"),
    }


@pytest.fixture
def brief(glossary):
    return BriefFactory(
        headline="RLHF without a reward model",
        dek="",
        points=["Grokking appears late in training.", "Nothing else."],
        terms=[glossary["unused"]],
    )


def test_suggestions_list_terms_in_the_text_the_brief_does_not_list(brief, glossary):
    suggestions, unmentioned = term_suggestions(brief)
    assert [(term.name, count) for term, count in suggestions] == [
        ("reinforcement learning from human feedback", 1),
        ("reward model", 1),
        ("grokking", 1),
    ]
    assert unmentioned == [glossary["unused"]]


def test_brief_form_shows_the_terms_found_panel(client, superuser, brief):
    client.force_login(superuser)
    page = client.get(change_url(brief)).content.decode()
    assert "Terms found in this text" in page
    assert 'name="attach_terms"' in page
    assert "reward model" in page and "1 mention" in page
    assert "draft: a moderator must approve it" in page
    assert "never mentioned in its text" in page and "mesa-optimizer" in page


def test_ticked_terms_are_attached_on_save(client, superuser, brief, glossary):
    client.force_login(superuser)
    data = form_data(
        client, brief, attach_terms=[glossary["rlhf"].pk, glossary["reward model"].pk], _continue="1"
    )
    response = client.post(change_url(brief), data, follow=True)
    assert response.status_code == 200
    assert "Attached glossary terms" in response.content.decode()
    assert list(BriefTerm.objects.filter(brief=brief).values_list("term__name", flat=True)) == [
        "mesa-optimizer",
        "reinforcement learning from human feedback",
        "reward model",
    ]


def test_terms_not_in_the_text_cannot_be_attached_through_the_panel(client, superuser, brief, glossary):
    client.force_login(superuser)
    other = TermFactory(name="superposition")
    client.post(change_url(brief), form_data(client, brief, attach_terms=[other.pk, "junk"]))
    assert not brief.brief_terms.filter(term=other).exists()


def test_nothing_is_attached_without_a_tick_by_default(client, superuser, brief):
    client.force_login(superuser)
    client.post(change_url(brief), form_data(client, brief))
    assert brief.brief_terms.count() == 1


def test_auto_attach_setting_attaches_every_found_term(client, superuser, brief, settings):
    settings.GLOSSARY_AUTO_ATTACH_TERMS = True
    client.force_login(superuser)
    client.post(change_url(brief), form_data(client, brief))
    assert brief.brief_terms.count() == 4


def test_new_brief_form_asks_to_save_first(client, superuser):
    client.force_login(superuser)
    page = client.get("/admin/briefs/brief/add/").content.decode()
    assert "Save the brief to see which glossary terms" in page


def test_panel_sees_edits_saved_from_the_form(client, superuser, brief, glossary):
    client.force_login(superuser)
    client.post(change_url(brief), form_data(client, brief, body="Now about mesa-optimizers."))
    brief = Brief.objects.get(pk=brief.pk)
    _, unmentioned = term_suggestions(brief)
    assert unmentioned == []
