"""Outlet pages, their feeds and the index run the same number of queries for 1 brief and for 1,000."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.models import Brief, BriefPoint, LinkKind, SourceLink, Status
from sources.models import Outlet
from sources.urlkeys import url_hash
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTLET_BUDGET = 6  # as every other list page (tests/briefs/test_query_budgets.py)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_ENABLED = False


@pytest.fixture
def outlet(request):
    """An outlet with `n` published briefs (written in bulk: 1,000 through the factories takes minutes),
    each with tags, a point and a second link from another outlet."""
    n = request.param
    forum = Outlet.objects.create(name="Forum", slug="forum", home_page="https://forum.example/")
    arxiv = Outlet.objects.create(name="arXiv", slug="arxiv", home_page="https://arxiv.org/")
    author = UserFactory(username="outlet-author")
    now = timezone.now()
    briefs = Brief.objects.bulk_create(
        Brief(
            headline=f"Brief {i}",
            slug=f"brief-{i}",
            dek=f"Summary {i}.",
            author=author,
            status=Status.PUBLISHED,
            published_at=now - dt.timedelta(minutes=i + 1),
            first_published_at=now - dt.timedelta(minutes=i + 1),
        )
        for i in range(n)
    )
    BriefPoint.objects.bulk_create(BriefPoint(brief=b, text=f"Point of {b.headline}.") for b in briefs)
    links = []
    for b in briefs:
        primary, paper = f"https://forum.example/posts/{b.pk}", f"https://arxiv.org/abs/{b.pk}"
        for kind, url, source in ((LinkKind.PRIMARY, primary, forum), (LinkKind.PAPER, paper, arxiv)):
            links.append(SourceLink(brief=b, kind=kind, url=url, outlet=source, url_hash=url_hash(url)))
    SourceLink.objects.bulk_create(links)
    for b in briefs[:50]:
        b.tags.add("bulk", f"own {b.pk}")
    return forum


PAGES = [
    "/sources/forum/",
    "/sources/forum/?page=2",
    "/sources/",
    "/sources/forum/feed/rss/",
    "/sources/forum/feed/atom/",
    "/sources/forum/feed/json/",
]


@pytest.mark.parametrize("outlet", [1, 1000], indirect=True, ids=["1 brief", "1,000 briefs"])
@pytest.mark.parametrize("url", PAGES)
def test_outlet_pages_stay_within_the_list_budget(client, django_assert_max_num_queries, outlet, url):
    with django_assert_max_num_queries(OUTLET_BUDGET):
        response = client.get(url)
    only_one_page = url.endswith("page=2") and outlet.links.count() <= 20
    assert response.status_code == (404 if only_one_page else 200)


@pytest.mark.parametrize("outlet", [1000], indirect=True)
def test_the_sitemap_with_outlets_does_not_grow_with_content(client, django_assert_max_num_queries, outlet):
    with django_assert_max_num_queries(7):
        assert client.get("/sitemap.xml").status_code == 200
