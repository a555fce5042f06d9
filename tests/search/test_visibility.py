"""Readers only ever find published briefs whose time has come."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Status
from search.backends import search_briefs
from tests.factories import BriefFactory

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

    brief.status = Status.PUBLISHED
    brief.published_at = timezone.now() - dt.timedelta(minutes=1)
    brief.save()
    assert brief in search_briefs("zebrafish")
    assert "Zebrafish vision model" in client.get("/search/", {"q": "zebrafish"}).text


def test_a_scheduled_brief_is_found_once_its_time_comes(reindex):
    brief = BriefFactory(scheduled=True, headline="Axolotl genome")
    reindex()
    assert not search_briefs("axolotl").exists()
    brief.published_at = timezone.now() - dt.timedelta(seconds=1)
    brief.save()
    assert list(search_briefs("axolotl")) == [brief]
