import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from briefs.models import LinkKind
from tests.factories import (
    BriefFactory,
    CorrectionFactory,
    SourceLinkFactory,
    TermFactory,
    UserFactory,
    image_file,
)

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


def test_home_lists_published_briefs(client):
    brief = BriefFactory(published=True, headline="Visible brief")
    BriefFactory(headline="Hidden draft")
    response = client.get(reverse("briefs:home"))
    assert response.status_code == 200
    assert "Visible brief" in response.text
    assert "Hidden draft" not in response.text
    assert brief.get_absolute_url() in response.text


def test_home_features_the_newest_brief_with_its_points(client):
    BriefFactory(published=True, headline="Older brief", published_at=days_ago(2))
    BriefFactory(published=True, headline="Newest brief", points=["First finding", "Second finding"])
    response = client.get("/")
    assert response.context["featured"].headline == "Newest brief"
    assert [b.headline for b in response.context["briefs"]] == ["Older brief"]
    assert "First finding" in response.text and "Second finding" in response.text


def test_home_cards_show_dek_date_tags_and_a_lazy_thumbnail(client):
    BriefFactory(published=True, headline="Newest")
    older = BriefFactory(
        published=True,
        published_at=days_ago(1),
        dek="A dek worth reading.",
        tags=["robotics"],
        hero_image=image_file(size=(80, 60)),
        hero_alt="A robot arm",
        hero_credit="Lab photo",
    )
    html = client.get("/").text
    assert "A dek worth reading." in html
    assert reverse("briefs:tag", kwargs={"slug": "robotics"}) in html
    assert f'datetime="{older.published_at.isoformat()}"' in html
    assert 'alt="A robot arm" width="80" height="60" loading="lazy"' in html


def test_home_with_no_briefs_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No briefs have been published yet." in response.text


def test_home_has_a_search_form_in_the_header(client):
    html = client.get("/").text
    assert '<form class="site-search" role="search" action="/search/" method="get">' in html
    assert '<label for="site-search-q">' in html and 'name="q"' in html


class TestPagination:
    @pytest.fixture
    def briefs(self):
        return [BriefFactory(published=True, published_at=days_ago(i)) for i in range(21)]

    def test_twenty_briefs_per_page(self, client, briefs):
        page1 = client.get("/")
        assert 1 + len(page1.context["briefs"]) == 20
        page2 = client.get("/?page=2")
        assert page2.status_code == 200
        assert [b.pk for b in page2.context["briefs"]] == [briefs[-1].pk]
        assert "featured" not in page2.context

    def test_pages_link_to_each_other_with_numbers(self, client, briefs):
        html = client.get("/").text
        assert 'href="?page=2" rel="next"' in html
        assert 'aria-current="page"><span class="visually-hidden">Page </span>1<' in html
        assert 'href="?page=1" rel="prev"' in client.get("/?page=2").text

    @pytest.mark.parametrize("page", ["3", "0", "-1", "abc", "99999999999999999999"])
    def test_a_page_out_of_range_is_not_found(self, client, briefs, page):
        assert client.get(f"/?page={page}").status_code == 404

    def test_canonical_url_names_the_page(self, client, briefs, settings):
        assert f'<link rel="canonical" href="{settings.SITE_URL}/?page=2">' in client.get("/?page=2").text
        assert f'<link rel="canonical" href="{settings.SITE_URL}/">' in client.get("/?page=1").text

    def test_last_page_by_name(self, client, briefs):
        assert client.get("/?page=last").context["page_obj"].number == 2

    def test_a_single_page_has_no_pagination(self, client):
        BriefFactory(published=True)
        assert 'class="pagination"' not in client.get("/").text


class TestBriefPage:
    @pytest.fixture
    def brief(self):
        term = TermFactory(name="learning mechanics", definition="Physics-inspired study of training.")
        brief = BriefFactory(
            published=True,
            headline="New Paper Argues for a Theory",
            dek="A manifesto for theory.",
            body="Some **context**.\n\n<script>alert(1)</script>\n\n[bad](javascript:alert(1))",
            author=UserFactory(username="ada", first_name="Ada", last_name="Lovelace"),
            points=["Point one", "Point two"],
            terms=[term],
            tags=["theory", "AI safety"],
            hero_image=image_file(size=(120, 80)),
            hero_alt="A chalkboard of equations",
            hero_credit="Jane Doe / CC BY",
        )
        SourceLinkFactory(brief=brief, kind=LinkKind.PAPER, title="The paper", publisher="arXiv")
        SourceLinkFactory(brief=brief, kind=LinkKind.CODE, title="The code", publisher="GitHub")
        return brief

    def test_headline_dek_author_date_and_breadcrumbs(self, client, brief):
        response = client.get(brief.get_absolute_url())
        assert response.status_code == 200
        html = response.text
        assert html.count("<h1") == 1
        assert '<h1 class="brief__headline">New Paper Argues for a Theory</h1>' in html
        assert "A manifesto for theory." in html
        assert "By Ada Lovelace" in html
        assert f'<time datetime="{brief.published_at.isoformat()}">' in html
        assert 'aria-label="Breadcrumb"' in html and '<a href="/">Home</a>' in html

    def test_hero_image_has_alt_text_dimensions_and_credit(self, client, brief):
        html = client.get(brief.get_absolute_url()).text
        assert 'alt="A chalkboard of equations" width="120" height="80"' in html
        assert "<figcaption>Image: Jane Doe / CC BY</figcaption>" in html

    def test_in_brief_is_a_real_list(self, client, brief):
        html = client.get(brief.get_absolute_url()).text
        assert '<ul class="points">\n      <li>Point one</li>\n      <li>Point two</li>' in html

    def test_body_is_rendered_from_markdown_and_sanitized(self, client, brief):
        html = client.get(brief.get_absolute_url()).text
        assert "<strong>context</strong>" in html
        assert "alert(1)" not in html
        assert "javascript:" not in html

    def test_terms_are_defined_and_linked_to_their_pages(self, client, brief):
        html = client.get(brief.get_absolute_url()).text
        assert "Terms in this brief" in html
        assert '<dt><a href="/glossary/learning-mechanics/">learning mechanics</a></dt>' in html
        assert "<dd>Physics-inspired study of training.</dd>" in html

    def test_primary_link_then_other_links_grouped_by_kind(self, client, brief):
        html = client.get(brief.get_absolute_url()).text
        primary = html.index("Read full story at AI Alignment Forum →")
        assert primary < html.index("<h3>Paper</h3>") < html.index("<h3>Code</h3>")
        assert 'href="https://www.alignmentforum.org/posts/example" rel="noopener noreferrer"' in html
        assert html.count('rel="noopener noreferrer"') == 3

    def test_tags_link_to_tag_pages(self, client, brief):
        html = client.get(brief.get_absolute_url()).text
        assert '<a href="/tags/theory/">theory</a>' in html
        assert '<a href="/tags/ai-safety/">AI safety</a>' in html

    def test_corrections_are_listed_at_the_foot(self, client, brief):
        CorrectionFactory(brief=brief, text="We fixed the number of authors.")
        html = client.get(brief.get_absolute_url()).text
        assert "Corrections and updates" in html
        assert html.index("We fixed the number of authors.") > html.index("Read full story at")

    def test_no_corrections_section_without_corrections(self, client, brief):
        assert "Corrections and updates" not in client.get(brief.get_absolute_url()).text

    def test_more_briefs_say_why_they_are_related(self, client, brief):
        term = brief.terms.get()
        BriefFactory(published=True, headline="Sibling brief", terms=[term], tags=["theory"])
        html = client.get(brief.get_absolute_url()).text
        assert "More briefs" in html and "Sibling brief" in html
        assert "Shares: learning mechanics, theory" in html

    def test_head_has_description_canonical_and_social_tags(self, client, brief, settings):
        html = client.get(brief.get_absolute_url()).text
        url = settings.SITE_URL + brief.get_absolute_url()
        assert '<meta name="description" content="A manifesto for theory.">' in html
        assert f'<link rel="canonical" href="{url}">' in html
        assert f'<meta property="og:url" content="{url}">' in html
        assert '<meta property="og:type" content="article">' in html
        # The 1200×630 crop made from the hero image when it was saved.
        og = brief.hero_og_image
        assert f'<meta property="og:image" content="{settings.SITE_URL}{og.file.url}">' in html
        assert '<meta name="twitter:card" content="summary_large_image">' in html
        assert 'type="application/rss+xml"' in html and 'type="application/atom+xml"' in html

    def test_updated_date_is_shown_when_set(self, client, brief):
        brief.content_updated_at = timezone.now()
        brief.save()
        assert "Updated <time" in client.get(brief.get_absolute_url()).text

    def test_a_missing_brief_is_a_404_in_the_site_design(self, client):
        response = client.get("/briefs/no-such-brief/")
        assert response.status_code == 404
        assert "We can’t find that page" in response.text
        assert 'class="site-header"' in response.text


def test_brief_page_shows_points_terms_and_the_source_link(client):
    term = TermFactory(name="learning mechanics")
    brief = BriefFactory(published=True, points=["Point one", "Point two"], terms=[term])
    response = client.get(brief.get_absolute_url())
    assert response.status_code == 200
    assert "Point one" in response.text and "Point two" in response.text
    assert "Terms in this brief" in response.text
    assert term.definition in response.text
    assert "Read full story at AI Alignment Forum →" in response.text


def test_draft_brief_is_a_404(client):
    assert client.get(BriefFactory().get_absolute_url()).status_code == 404


def test_brief_detail_view_builds_everything_the_template_needs_in_its_context(rf):
    """Staff preview reuses BriefDetailView: its context must be complete on its own."""
    from briefs.views import BriefDetailView

    brief = BriefFactory(published=True, tags=["x"])
    view = BriefDetailView()
    view.setup(rf.get(brief.get_absolute_url()), slug=brief.slug)
    view.object = view.get_object()
    context = view.get_context_data(object=view.object)
    for key in ["points", "terms", "tags", "primary_link", "link_groups", "body_html", "related"]:
        assert key in context
    assert key in context and "corrections" in context and "json_ld" in context


class TestTags:
    def test_tags_list_shows_tags_with_published_counts(self, client):
        BriefFactory.create_batch(2, published=True, tags=["theory"])
        BriefFactory(published=True, tags=["robotics"])
        response = client.get(reverse("briefs:tags"))
        assert response.status_code == 200
        tags = {tag.name: tag.brief_count for tag in response.context["tags"]}
        assert tags == {"robotics": 1, "theory": 2}
        assert "2 briefs" in response.text and "1 brief<" in response.text

    def test_tag_page_lists_its_published_briefs(self, client):
        tagged = BriefFactory(published=True, headline="Tagged one", tags=["theory"])
        BriefFactory(published=True, headline="Untagged one")
        response = client.get(reverse("briefs:tag", kwargs={"slug": "theory"}))
        assert response.status_code == 200
        assert list(response.context["briefs"]) == [tagged]
        assert "Untagged one" not in response.text
        assert '<link rel="alternate" type="application/rss+xml" title="Briefs tagged “theory” (RSS)"' in (
            response.text
        )

    def test_tag_page_is_paginated(self, client):
        for i in range(21):
            BriefFactory(published=True, tags=["theory"], published_at=days_ago(i))
        assert len(client.get("/tags/theory/").context["briefs"]) == 20
        assert len(client.get("/tags/theory/?page=2").context["briefs"]) == 1
        assert client.get("/tags/theory/?page=3").status_code == 404

    def test_unknown_tag_is_a_404(self, client):
        assert client.get("/tags/nope/").status_code == 404


def test_robots_txt_points_at_the_sitemap(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_the_500_page_renders_in_the_site_design_without_a_database(rf):
    from core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert 'class="site-header"' in response.content.decode()
    assert '<a href="/glossary/">Glossary</a>' in response.content.decode()


def test_every_page_links_the_sections_feeds_and_footer(client):
    page = client.get("/").content.decode()
    sections = ["/glossary/", "/tags/", "/sources/", "/corrections/"]
    for href in [*sections, "/feed/rss/", "/feed/atom/", "/feed/json/"]:
        assert f'href="{href}"' in page, href
