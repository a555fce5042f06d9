"""Every public page runs a bounded number of queries, however much content there is."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import BriefFactory, CorrectionFactory, SourceLinkFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    """Budgets are for the pages' own work; the page cache (tested on its own) would hide it."""
    settings.PUBLIC_PAGE_CACHE_ENABLED = False


BRIEF_PAGE_BUDGET = 10
LIST_BUDGET = 6
SITEMAP_BUDGET = 7  # a query per section (briefs, terms, tags, sources) and the sessions' few


def brief_with(n):
    """A published brief with n terms, n tags, n secondary links, n corrections and n related briefs."""
    terms = TermFactory.create_batch(n)
    tags = [f"topic {i}" for i in range(n)]
    author = UserFactory(username="budget-author")
    brief = BriefFactory(published=True, terms=terms, tags=tags, author=author)
    SourceLinkFactory.create_batch(n, brief=brief)
    CorrectionFactory.create_batch(n, brief=brief)
    for i in range(n):
        BriefFactory(published=True, terms=terms[i:], tags=tags[: i + 1], author=author)
    return brief


@pytest.mark.parametrize("n", [1, 30])
def test_brief_page_budget(client, django_assert_max_num_queries, n):
    brief = brief_with(n)
    with django_assert_max_num_queries(BRIEF_PAGE_BUDGET):
        response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["terms"]) == n and len(response.context["link_groups"][0][1]) == n
    assert len(response.context["related"]) == min(n, 5)


@pytest.fixture
def many(request):
    """`n` published briefs sharing one term and one tag, each with its own tags too."""
    n = request.param
    term = TermFactory(name="budget term")
    author = UserFactory(username="list-author")
    for i in range(n):
        BriefFactory(published=True, terms=[term], tags=["bulk", f"own {i}"], author=author)
    return term


LIST_PAGES = {
    "home": lambda term: "/",
    "home, page 2": lambda term: "/?page=2",
    "tag page": lambda term: "/tags/bulk/",
    "tags list": lambda term: "/tags/",
    "glossary": lambda term: "/glossary/",
    "glossary, filtered": lambda term: "/glossary/?q=budget",
    "term page": lambda term: term.get_absolute_url(),
    "term page, oldest first": lambda term: term.get_absolute_url() + "?order=oldest",
}


@pytest.mark.parametrize("many", [1, 100], indirect=True, ids=["1 brief", "100 briefs"])
@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_page_budget(client, django_assert_max_num_queries, many, page):
    url = LIST_PAGES[page](many)
    only_one_page = url.endswith("page=2") and many.briefs.count() <= 20
    with django_assert_max_num_queries(LIST_BUDGET):
        response = client.get(url)
    assert response.status_code == (404 if only_one_page else 200)


@pytest.mark.parametrize("many", [100], indirect=True)
@pytest.mark.parametrize(
    "url",
    [
        "/feed/rss/",
        "/feed/atom/",
        "/feed/json/",
        "/tags/bulk/feed/rss/",
        "/tags/bulk/feed/json/",
        "/sitemap.xml",
    ],
)
def test_feeds_and_sitemap_do_not_grow_with_content(client, django_assert_max_num_queries, many, url):
    with django_assert_max_num_queries(SITEMAP_BUDGET if url == "/sitemap.xml" else LIST_BUDGET):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("others", [5, 60], ids=["small archive", "larger archive"])
def test_a_brief_page_seen_again_makes_one_query_whatever_the_size_of_the_archive(
    client, django_assert_max_num_queries, others
):
    """Whether the brief may be shown; its points, links, terms, tags and related briefs are kept."""
    terms = TermFactory.create_batch(3)
    brief = BriefFactory(published=True, terms=terms, tags=["shared", "own"])
    for i in range(others):
        BriefFactory(published=True, terms=terms[i % 3 :], tags=["shared", f"other {i}"])
    client.get(brief.get_absolute_url())
    with django_assert_max_num_queries(1):
        response = client.get(brief.get_absolute_url())
    assert len(response.context["related"]) == 5


@pytest.mark.parametrize("others", [5, 60], ids=["small archive", "larger archive"])
def test_a_term_page_seen_again_makes_one_query_whatever_the_size_of_the_archive(
    client, django_assert_max_num_queries, others
):
    """Its page of briefs: the term with its counts, its definition block and the cards are kept."""
    term = TermFactory()
    for i in range(others):
        BriefFactory(published=True, terms=[term], tags=["shared", f"own {i}"])
    client.get(term.get_absolute_url())
    with django_assert_max_num_queries(1):
        response = client.get(term.get_absolute_url())
    assert response.context["paginator"].count == others


def test_a_brief_page_seen_again_reads_only_whether_it_may_still_be_shown(client, django_assert_num_queries):
    """What the page shows is kept between requests (see pagecache.fragments); the brief's own
    visibility is not: it is read on every view."""
    brief = brief_with(3)
    client.get(brief.get_absolute_url())
    with django_assert_num_queries(1):
        page = client.get(brief.get_absolute_url())
    assert len(page.context["related"]) == 3 and brief.headline in page.content.decode()


def test_a_kept_brief_page_shows_a_related_brief_once_it_goes_live_on_schedule(client):
    brief = BriefFactory(published=True, tags=["shared"])
    later = BriefFactory(
        published=True, tags=["shared"], published_at=timezone.now() + dt.timedelta(minutes=2)
    )
    assert later.headline not in client.get(brief.get_absolute_url()).content.decode()
    with freeze_time(timezone.now() + dt.timedelta(minutes=3)):  # within the 5 minutes a page lives
        assert later.headline in client.get(brief.get_absolute_url()).content.decode()
