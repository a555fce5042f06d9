"""Readers and outlets: the brief names its outlet, outlet pages list the briefs based on it, with
feeds and a place in the sitemap; a broken primary link sends readers to its archived copy."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from briefs.models import LinkKind, SourceLink
from core import changes
from sources import policy
from sources import services as source_services
from sources.fetch import FetchResult
from sources.models import LinkState, Outlet, OutletDomain
from sources.outcomes import Outcome
from sources.urlkeys import canonical_url, url_hash
from tests.factories import BriefFactory, SourceLinkFactory

pytestmark = pytest.mark.django_db

FORUM_URL = "https://www.alignmentforum.org/posts/example"


@pytest.fixture
def forum():
    outlet = Outlet.objects.create(
        name="AI Alignment Forum", slug="ai-alignment-forum", home_page="https://www.alignmentforum.org/"
    )
    OutletDomain.objects.create(outlet=outlet, domain="alignmentforum.org")
    return outlet


def based_on(outlet, **traits):
    """A brief whose primary link comes from `outlet` (typed with another spelling, as old links were)."""
    brief = BriefFactory(primary_link=False, **traits)
    SourceLink.objects.create(
        brief=brief, kind=LinkKind.PRIMARY, url=FORUM_URL, publisher="AF", outlet=outlet
    )
    changes.record(changes.BRIEF_CONTENT, [brief.pk])
    return brief


def set_state(url, state, **fields):
    LinkState.objects.update_or_create(
        url_hash=url_hash(url), defaults={"url": canonical_url(url), "state": state, **fields}
    )


def fetched(outcome, status, at):
    return FetchResult(
        url=FORUM_URL,
        outcome=outcome,
        status_code=status,
        checked_at=at,
        chain=[{"url": FORUM_URL, "status": status}],
    )


def json_ld(response):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(found.group(1))


class TestTheBriefPage:
    def test_read_full_story_names_the_outlet_not_the_typed_text(self, client, forum):
        brief = based_on(forum, published=True)
        page = client.get(brief.get_absolute_url()).content.decode()
        assert "Read full story at AI Alignment Forum →" in page
        assert f'href="{FORUM_URL}"' in page
        assert "/sources/ai-alignment-forum/" in page

    def test_a_link_without_an_outlet_shows_the_publisher_as_typed(self, client):
        brief = BriefFactory(published=True)  # its link has no outlet
        page = client.get(brief.get_absolute_url()).content.decode()
        assert "Read full story at AI Alignment Forum →" in page

    def test_a_confirmed_broken_link_with_an_archived_copy_sends_readers_to_the_copy(self, client, forum):
        brief = based_on(forum, published=True)
        archived = "https://web.archive.org/web/2026/https://www.alignmentforum.org/posts/example"
        SourceLink.objects.filter(brief=brief).update(archive_url=archived)
        set_state(FORUM_URL, LinkState.State.BROKEN)
        page = client.get(brief.get_absolute_url()).content.decode()
        assert "Read full story at AI Alignment Forum (archived copy) →" in page
        assert f'href="{archived}"' in page
        assert "no longer available" in page

    @pytest.mark.parametrize("state", [LinkState.State.FAILING, LinkState.State.OK, LinkState.State.MOVED])
    def test_a_link_that_is_not_confirmed_broken_keeps_its_own_address(self, client, forum, state):
        brief = based_on(forum, published=True)
        SourceLink.objects.filter(brief=brief).update(archive_url="https://web.archive.org/web/x")
        set_state(FORUM_URL, state)
        page = client.get(brief.get_absolute_url()).content.decode()
        assert "(archived copy)" not in page and f'href="{FORUM_URL}"' in page

    def test_a_broken_link_without_an_archived_copy_stays_as_it_is(self, client, forum):
        brief = based_on(forum, published=True)
        set_state(FORUM_URL, LinkState.State.BROKEN)
        page = client.get(brief.get_absolute_url()).content.decode()
        assert "Read full story at AI Alignment Forum →" in page

    def test_a_page_already_seen_follows_the_checker_to_the_archived_copy_and_back(self, client, forum):
        """The page keeps what it shows between requests; the checker's verdict still reaches it."""
        brief = based_on(forum, published=True)
        archived = "https://web.archive.org/web/2026/https://www.alignmentforum.org/posts/example"
        SourceLink.objects.filter(brief=brief).update(archive_url=archived)
        changes.record(changes.BRIEF_CONTENT, [brief.pk])
        assert "(archived copy)" not in client.get(brief.get_absolute_url()).content.decode()
        rules = policy.Rules(
            broken_after_failures=2,
            broken_after=dt.timedelta(hours=1),
            recheck_ok=dt.timedelta(days=7),
            recheck_failing=dt.timedelta(hours=6),
            recheck_broken=dt.timedelta(hours=24),
        )
        start = timezone.now() - dt.timedelta(hours=3)
        for hours in (0, 2):
            source_services.record_result(
                fetched(Outcome.HTTP_ERROR, 404, start + dt.timedelta(hours=hours)), rules=rules
            )
        assert LinkState.objects.get(url_hash=url_hash(FORUM_URL)).state == LinkState.State.BROKEN
        assert "(archived copy)" in client.get(brief.get_absolute_url()).content.decode()
        source_services.record_result(fetched(Outcome.OK, 200, timezone.now()), rules=rules)
        page = client.get(brief.get_absolute_url()).content.decode()
        assert "(archived copy)" not in page and f'href="{FORUM_URL}"' in page

    def test_json_ld_names_the_source_and_its_outlet_as_publisher(self, client, forum):
        brief = based_on(forum, published=True)
        SourceLinkFactory(brief=brief, title="The paper", url="https://arxiv.org/abs/2601.00001")
        data = json_ld(client.get(brief.get_absolute_url()))
        assert data["isBasedOn"] == {
            "@type": "CreativeWork",
            "url": FORUM_URL,
            "name": "AI Alignment Forum",
            "publisher": {
                "@type": "Organization",
                "name": "AI Alignment Forum",
                "url": "https://www.alignmentforum.org/",
            },
        }
        assert data["citation"] == [
            {
                "@type": "CreativeWork",
                "url": "https://arxiv.org/abs/2601.00001",
                "name": "The paper",
                "publisher": {"@type": "Organization", "name": "arXiv"},
            }
        ]


class TestOutletPages:
    def test_the_outlet_page_lists_only_what_readers_may_see(self, client, forum):
        live = based_on(forum, published=True)
        hidden = [
            based_on(forum),
            based_on(forum, in_review=True),
            based_on(forum, scheduled=True),
            based_on(forum, archived=True),
            based_on(forum, published=True, expire_at=timezone.now() - dt.timedelta(minutes=1)),
        ]
        other = BriefFactory(published=True)  # no outlet
        response = client.get("/sources/ai-alignment-forum/")
        assert response.status_code == 200
        assert [brief.pk for brief in response.context["briefs"]] == [live.pk]
        page = response.content.decode()
        for brief in [*hidden, other]:
            assert brief.headline not in page

    def test_a_brief_with_a_secondary_link_from_the_outlet_is_based_on_it_too(self, client, forum):
        brief = BriefFactory(published=True)
        SourceLinkFactory(brief=brief, url="https://alignmentforum.org/posts/b", outlet=forum)
        SourceLinkFactory(brief=brief, url="https://alignmentforum.org/posts/c", outlet=forum)
        response = client.get("/sources/ai-alignment-forum/")
        assert [b.pk for b in response.context["briefs"]] == [brief.pk]  # once, not once per link

    def test_an_outlet_no_listed_brief_uses_has_no_page_and_no_feed(self, client, forum):
        based_on(forum)  # a draft
        assert client.get("/sources/ai-alignment-forum/").status_code == 404
        assert client.get("/sources/ai-alignment-forum/feed/rss/").status_code == 404
        assert client.get("/sources/nobody/").status_code == 404

    def test_the_outlet_page_is_paginated_like_other_lists(self, client, forum):
        for _ in range(21):
            based_on(forum, published=True)
        first = client.get("/sources/ai-alignment-forum/")
        assert len(first.context["briefs"]) == 20 and first.context["paginator"].count == 21
        assert len(client.get("/sources/ai-alignment-forum/?page=2").context["briefs"]) == 1
        assert client.get("/sources/ai-alignment-forum/?page=3").status_code == 404

    def test_the_index_lists_outlets_with_their_brief_counts(self, client, forum):
        based_on(forum, published=True)
        based_on(forum, published=True)
        based_on(forum)
        quiet = Outlet.objects.create(name="Quiet Journal", slug="quiet", home_page="https://quiet.example/")
        response = client.get("/sources/")
        assert [(o.name, o.brief_count) for o in response.context["outlets"]] == [("AI Alignment Forum", 2)]
        assert quiet.name not in response.content.decode()

    @pytest.mark.parametrize("kind", ["rss", "atom", "json"])
    def test_the_outlet_has_feeds_of_its_listed_briefs(self, client, forum, kind):
        live = based_on(forum, published=True)
        draft = based_on(forum)
        response = client.get(f"/sources/ai-alignment-forum/feed/{kind}/")
        assert response.status_code == 200
        body = response.content.decode()
        assert live.headline in body and draft.headline not in body
        assert "Read full story at AI Alignment Forum" in body
        assert "based on AI Alignment Forum" in body

    def test_the_outlet_page_announces_its_feeds(self, client, forum):
        based_on(forum, published=True)
        page = client.get("/sources/ai-alignment-forum/").content.decode()
        for kind in ("rss", "atom", "json"):
            assert f"/sources/ai-alignment-forum/feed/{kind}/" in page

    def test_the_sitemap_lists_outlet_pages_with_listed_briefs(self, client, forum):
        quiet = Outlet.objects.create(name="Quiet Journal", slug="quiet", home_page="https://quiet.example/")
        based_on(forum, published=True)
        sitemap = client.get("/sitemap.xml").content.decode()
        assert "/sources/ai-alignment-forum/</loc>" in sitemap
        assert f"/sources/{quiet.slug}/" not in sitemap

    def test_outlet_pages_are_cached_and_renaming_the_outlet_purges_them(
        self, client, forum, settings, superuser
    ):
        settings.PUBLIC_PAGE_CACHE_ENABLED = True
        based_on(forum, published=True)
        assert "AI Alignment Forum" in client.get("/sources/ai-alignment-forum/").content.decode()
        Outlet.objects.filter(pk=forum.pk).update(name="The Alignment Forum")  # behind the services' back
        assert "The Alignment Forum" not in client.get("/sources/ai-alignment-forum/").content.decode()
        client.force_login(superuser)
        response = client.post(
            f"/admin/sources/outlet/{forum.pk}/change/",
            {
                "name": "Alignment Forum",
                "slug": "ai-alignment-forum",
                "home_page": "https://www.alignmentforum.org/",
                "description": "",
                "domains-TOTAL_FORMS": "0",
                "domains-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        client.logout()
        page = client.get("/sources/ai-alignment-forum/").content.decode()
        assert "Alignment Forum" in page and "The Alignment Forum" not in page
