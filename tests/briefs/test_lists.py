"""Lists of briefs read at a glance: headline first and wide, status in words, due dates as
"3 days late", and no ✔/✖ icon standing for yes or no in any of the newsroom's lists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs import workflow
from glossary.models import Term
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def page(client, user, name, query=""):
    client.force_login(user)
    return client.get(reverse(name) + query).text


def test_the_queue_marks_overdue_in_words_not_icons(client, moderator, superuser):
    late = BriefFactory(headline="Late one", in_review=True)
    workflow.assign(late, by=superuser, to=moderator, due=timezone.localdate() - dt.timedelta(days=3))
    soon = BriefFactory(headline="Due soon", in_review=True)
    workflow.assign(soon, by=superuser, to=moderator, due=timezone.localdate() + dt.timedelta(days=2))
    html = page(client, moderator, "admin:briefs_moderationqueue_changelist")
    assert "3 days late" in html and "due in 2 days" in html and "list-time--late" in html
    assert "icon-no.svg" not in html and "icon-yes.svg" not in html
    assert "New brief" in html


def test_the_brief_list_has_a_wide_headline_and_a_status_badge(client, moderator):
    BriefFactory(headline="A headline long enough to wrap as a sentence", scheduled=True)
    html = page(client, moderator, "admin:briefs_brief_changelist")
    assert 'class="list-headline"' in html and "brief-badge--scheduled" in html
    assert "Scheduled for" in html and "UTC, in " in html


@pytest.mark.parametrize(
    "name",
    [
        "admin:briefs_brief_changelist",
        "admin:briefs_moderationqueue_changelist",
        "admin:briefs_mybrief_changelist",
        "admin:glossary_term_changelist",
        "admin:auth_user_changelist",
        "admin:sources_linkstate_changelist",
        "admin:newsletter_subscriber_changelist",
    ],
)
def test_no_list_uses_a_red_cross_for_no(client, superuser, name):
    BriefFactory(in_review=True, author=superuser)
    TermFactory(name="with a proposal")
    Term.objects.update(pending_definition="Newer words.")
    assert "icon-no.svg" not in page(client, superuser, name)


def test_the_term_list_says_a_proposal_in_words(client, superuser):
    TermFactory(name="with a proposal")
    Term.objects.update(pending_definition="Newer words.")
    assert "New wording proposed" in page(client, superuser, "admin:glossary_term_changelist")


def test_help_texts_keep_their_placeholders_and_the_tags_section_is_called_tags(client, superuser):
    html = page(client, superuser, "admin:briefs_brief_add")
    assert "/briefs//" not in html and "/briefs/ followed by the slug" in html
    assert "Read full story at  →" not in html  # no placeholder swallowed as a tag
    assert "/glossary//" not in page(client, superuser, "admin:glossary_term_add")
    index = page(client, superuser, "admin:index")
    assert ">Tags<" in index and "Taggit" not in index
