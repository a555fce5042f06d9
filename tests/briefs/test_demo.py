import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from briefs.models import Brief, BriefPoint, BriefTerm, SourceLink
from glossary.models import Term, TermAlias

pytestmark = pytest.mark.django_db


def snapshot():
    """Every row and value of the demo content, to compare two runs."""
    rows = {}
    for model in [Brief, BriefPoint, BriefTerm, SourceLink, Term, TermAlias]:
        rows[model.__name__] = list(model.objects.order_by("pk").values())
    rows["tags"] = sorted((b.slug, tuple(sorted(b.tags.names()))) for b in Brief.objects.all())
    return rows


def test_load_demo_loads_the_seed_brief_with_its_points_term_link_and_more_briefs():
    call_command("load_demo")
    brief = Brief.objects.published().get(slug="new-paper-argues-for-a-scientific-theory-of-deep-learning")
    assert brief.points.count() == 7
    assert brief.points.first().text.startswith('A new paper titled "There Will Be a Scientific Theory')
    term = brief.terms.get()
    assert term.name == "learning mechanics"
    assert term.definition.startswith("Learning Mechanics is a framework inspired by physics")
    assert brief.primary_link.publisher == "AI Alignment Forum"
    assert Brief.objects.published().count() == 6
    assert Brief.objects.published().exclude(pk=brief.pk).filter(dek="").count() == 0


def test_load_demo_twice_changes_nothing():
    call_command("load_demo")
    before = snapshot()
    call_command("load_demo")
    assert snapshot() == before


def test_demo_accounts_are_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only created with DEBUG"):
        call_command("load_demo", "--accounts")


def test_demo_accounts_get_their_roles(settings):
    from tests.conftest import ensure_roles

    ensure_roles()  # the roles the migrations made, even after a transactional test's flush
    settings.DEBUG = True
    call_command("load_demo", "--accounts")
    from django.contrib.auth import get_user_model

    moderator = get_user_model().objects.get(username="moderator")
    assert moderator.has_perm("briefs.publish_brief")
    contributor = get_user_model().objects.get(username="contributor")
    assert not contributor.has_perm("briefs.publish_brief")
    assert contributor.check_password("briefs-demo-2026")


def test_no_migration_creates_a_user():
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()
    assert isinstance(Brief._meta.get_field("status"), models.CharField)


def test_load_demo_never_undoes_an_editors_change_and_reset_puts_it_back(superuser):
    from briefs import services

    call_command("load_demo")
    brief = Brief.objects.get(slug="new-paper-argues-for-a-scientific-theory-of-deep-learning")
    brief.headline = "A newcomer's own headline"
    services.save_brief(brief, by=superuser)
    term = Term.objects.get(slug="learning-mechanics")
    term.definition = "The newcomer's own definition."
    term.save()

    call_command("load_demo")
    brief.refresh_from_db()
    term.refresh_from_db()
    assert brief.headline == "A newcomer's own headline"
    assert term.definition == "The newcomer's own definition."

    call_command("load_demo", "--reset")
    brief.refresh_from_db()
    term.refresh_from_db()
    assert brief.headline == "New Paper Argues for a Scientific Theory of Deep Learning"
    assert term.definition.startswith("Learning Mechanics is a framework")


def test_load_demo_adds_what_is_missing():
    call_command("load_demo")
    Brief.objects.filter(slug="new-paper-argues-for-a-scientific-theory-of-deep-learning").delete()
    call_command("load_demo")
    assert Brief.objects.published().count() == 6
