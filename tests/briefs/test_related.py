"""“More briefs”: ranked in the database by shared terms, then shared tags, then recency."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.selectors import related_briefs
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


@pytest.fixture
def terms():
    return TermFactory.create_batch(3)


def test_briefs_sharing_more_terms_come_first_then_tags_then_recency(terms):
    brief = BriefFactory(published=True, terms=terms, tags=["theory", "safety"])
    recent = BriefFactory(published=True, headline="Recent only", published_at=days_ago(1))
    one_tag = BriefFactory(published=True, headline="One tag", tags=["theory"], published_at=days_ago(5))
    two_tags = BriefFactory(
        published=True, headline="Two tags", tags=["theory", "safety"], published_at=days_ago(6)
    )
    one_term = BriefFactory(published=True, headline="One term", terms=terms[:1], published_at=days_ago(9))
    two_terms = BriefFactory(published=True, headline="Two terms", terms=terms[:2], published_at=days_ago(10))
    assert [r.brief for r in related_briefs(brief)] == [two_terms, one_term, two_tags, one_tag, recent]


def test_never_the_brief_itself_and_never_an_unpublished_one(terms):
    brief = BriefFactory(published=True, terms=terms, tags=["theory"])
    kwargs = {"terms": terms, "tags": ["theory"]}
    for state in [{}, {"in_review": True}, {"changes_requested": True}, {"scheduled": True}]:
        BriefFactory(**state, **kwargs)
    BriefFactory(archived=True, **kwargs)
    visible = BriefFactory(published=True)
    assert [r.brief for r in related_briefs(brief)] == [visible]


def test_at_most_five_by_default_and_the_limit_is_adjustable(terms):
    brief = BriefFactory(published=True, terms=terms)
    BriefFactory.create_batch(7, published=True, terms=terms[:1])
    assert len(related_briefs(brief)) == 5
    assert len(related_briefs(brief, limit=2)) == 2


def test_each_related_brief_names_the_terms_then_tags_it_shares(terms):
    a, b, _ = terms
    brief = BriefFactory(published=True, terms=[a, b], tags=["theory", "safety"])
    BriefFactory(published=True, terms=[b, a], tags=["safety", "unrelated"])
    (related,) = related_briefs(brief)
    assert related.shared == [a.name, b.name, "safety"]
    assert related.reason == f"{a.name}, {b.name}, safety"


def test_a_recent_brief_with_nothing_in_common_has_no_reason():
    brief = BriefFactory(published=True)
    BriefFactory(published=True)
    (related,) = related_briefs(brief)
    assert related.shared == []


def test_ranking_runs_in_a_fixed_number_of_queries(django_assert_max_num_queries, terms):
    brief = BriefFactory(published=True, terms=terms, tags=["theory", "safety"])
    for _ in range(30):
        BriefFactory(published=True, terms=terms, tags=["theory"])
    brief = type(brief).objects.prefetch_related("brief_terms__term", "tags").get(pk=brief.pk)
    with django_assert_max_num_queries(3):
        related = related_briefs(brief)
        assert all(r.reason for r in related)
