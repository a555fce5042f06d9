"""Readers only ever find published briefs whose time has come."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from briefs import workflow
from briefs.models import Brief, Status
from search.backends import search_briefs, search_terms
from search.models import BriefSearchEntry
from tests.factories import BriefFactory
from tests.helpers import publish_now

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": {"status": Status.DRAFT},
    "in review": {"status": Status.IN_REVIEW},
    "changes requested": {"status": Status.CHANGES_REQUESTED},
    "scheduled": {"scheduled": True},
    "archived": {
        "status": Status.ARCHIVED,
        "published_at": timezone.now() - dt.timedelta(days=2),
        "first_published_at": timezone.now() - dt.timedelta(days=2),
    },
}


@pytest.mark.parametrize("state", HIDDEN)
def test_unpublished_briefs_are_never_found(state, reindex, client):
    brief = BriefFactory(headline="Zebrafish vision model", **HIDDEN[state])
    reindex()
    assert brief not in search_briefs("zebrafish")
    assert "Zebrafish vision model" not in client.get("/search/", {"q": "zebrafish"}).text

    publish_now(brief)
    assert brief in search_briefs("zebrafish")
    assert "Zebrafish vision model" in client.get("/search/", {"q": "zebrafish"}).text


def test_a_scheduled_brief_is_found_once_its_time_comes(reindex):
    brief = BriefFactory(scheduled=True, headline="Axolotl genome")
    reindex()
    assert not search_briefs("axolotl").exists()
    later = brief.published_at + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert list(search_briefs("axolotl")) == [brief]


def test_workflow_steps_move_a_brief_in_and_out_of_search_without_reindexing(reindex, moderator, contributor):
    brief = BriefFactory(in_review=True, author=contributor, headline="Narwhal acoustics")
    reindex()
    entry = BriefSearchEntry.objects.get(brief=brief)
    assert entry.published_at is None
    assert not search_briefs("narwhal").exists()

    workflow.publish(brief, by=moderator)
    entry.refresh_from_db()
    assert entry.published_at == brief.published_at
    assert list(search_briefs("narwhal")) == [brief]

    workflow.unpublish(brief, by=moderator)
    entry.refresh_from_db()
    assert entry.published_at is None
    assert not search_briefs("narwhal").exists()


def test_a_stale_search_entry_never_shows_an_unpublished_brief(reindex, client):
    """The entry's copied time only narrows matches; `published()` decides what readers see."""
    brief = BriefFactory(published=True, headline="Pangolin scales")
    reindex()
    Brief.objects.filter(pk=brief.pk).update(status=Status.DRAFT)  # no save(), so no copy
    assert BriefSearchEntry.objects.get(brief=brief).published_at is not None
    assert not search_briefs("pangolin").exists()
    assert "Pangolin scales" not in client.get("/search/", {"q": "pangolin"}).text


def test_readers_find_approved_terms_only(reindex, client):
    from glossary.models import TermStatus
    from tests.factories import TermFactory

    TermFactory(name="okapi gait", definition="Approved wording.")
    TermFactory(name="okapi stripes", definition="Proposed wording.", status=TermStatus.DRAFT)
    reindex()
    assert [term.name for term in search_terms("okapi")] == ["okapi gait"]
    text = client.get("/search/", {"q": "okapi"}).text
    assert "Approved wording." in text and "Proposed wording." not in text
