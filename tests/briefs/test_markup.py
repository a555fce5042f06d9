"""Valid HTML5, safe structured data, and nothing the Content Security Policy would block."""

import re

import pytest
from django.conf import settings

from briefs.models import LinkKind
from tests.factories import (
    BriefFactory,
    CorrectionFactory,
    SourceLinkFactory,
    TermAliasFactory,
    TermFactory,
    image_file,
)
from tests.helpers import assert_valid_html, json_ld

pytestmark = pytest.mark.django_db

HOSTILE = "</script><script>alert(1)</script> & <b>bold</b>"


@pytest.fixture
def site():
    term = TermFactory(name="learning mechanics")
    TermAliasFactory(term=term, name="LM")
    term.related_terms.add(TermFactory(name="deep learning"))
    brief = BriefFactory(
        published=True,
        headline="A theory of deep learning",
        body="Para one.\n\n## A heading\n\n- a\n- b\n\n<div style='color:red' onclick='x()'>raw</div>",
        points=["One", "Two"],
        terms=[term],
        tags=["theory"],
        hero_image=image_file(),
        hero_alt="Equations",
        hero_credit="Someone",
    )
    SourceLinkFactory(brief=brief, kind=LinkKind.CODE)
    CorrectionFactory(brief=brief)
    BriefFactory(published=True, terms=[term], tags=["theory"])
    for _ in range(21):
        BriefFactory(published=True)
    return brief, term


def main_pages(brief, term):
    return [
        "/",
        "/?page=2",
        brief.get_absolute_url(),
        "/glossary/",
        "/glossary/?q=learn",
        term.get_absolute_url(),
        "/tags/",
        "/tags/theory/",
        "/briefs/does-not-exist/",
    ]


def test_main_pages_are_valid_html5(client, site):
    for url in main_pages(*site):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_valid_html(response.text)


def test_pages_have_one_h1_a_skip_link_and_landmarks(client, site):
    for url in main_pages(*site):
        html = client.get(url).text
        assert html.count("<h1") == 1, url
        assert '<a class="skip-link" href="#main">' in html
        for landmark in ['<header class="site-header">', '<main id="main"', '<footer class="site-footer">']:
            assert landmark in html, (url, landmark)


def test_nothing_inline_that_the_content_security_policy_would_block(client, site):
    for url in main_pages(*site):
        html = client.get(url).text
        assert "style=" not in html, url
        assert "<style" not in html, url
        assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), url
        # Data (JSON-LD), or a deferred file of our own with nothing inline: no script CSP would block.
        for tag, body in re.findall(r"(<script[^>]*>)(.*?)</script>", html, re.DOTALL):
            if tag == '<script type="application/ld+json">':
                continue
            assert re.fullmatch(r'<script src="/static/js/[\w.-]+\.js" defer>', tag), (url, tag)
            assert body == "", url


def test_the_csp_header_forbids_inline_styles(client, site):
    response = client.get("/")
    assert "style-src 'self'" in response["Content-Security-Policy"]


def test_brief_page_json_ld_is_a_news_article_with_terms_and_source(client, site):
    brief, term = site
    (data,) = json_ld(client.get(brief.get_absolute_url()).text)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == brief.headline
    assert data["dateModified"] and data["datePublished"]
    (mention,) = data["mentions"]
    assert mention["@type"] == "DefinedTerm" and mention["name"] == "learning mechanics"
    assert mention["inDefinedTermSet"] == settings.SITE_URL + "/glossary/#glossary"
    assert data["isBasedOn"]["url"] == brief.primary_link.url
    assert data["image"]["url"].endswith(brief.hero_image.url)


def test_glossary_json_ld_is_one_defined_term_set(client, site):
    (data,) = json_ld(client.get("/glossary/").text)
    assert data["@type"] == "DefinedTermSet"
    assert {t["@type"] for t in data["hasDefinedTerm"]} == {"DefinedTerm"}
    assert {t["inDefinedTermSet"] for t in data["hasDefinedTerm"]} == {data["@id"]}


def test_term_page_json_ld_is_a_defined_term_in_the_set(client, site):
    _, term = site
    (data,) = json_ld(client.get(term.get_absolute_url()).text)
    assert data["@type"] == "DefinedTerm"
    assert data["alternateName"] == ["LM"]
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert data["inDefinedTermSet"]["@id"] == settings.SITE_URL + "/glossary/#glossary"


def test_a_hostile_headline_stays_escaped_in_html_and_json_ld(client):
    term = TermFactory(name=HOSTILE, definition=HOSTILE)
    brief = BriefFactory(published=True, headline=HOSTILE, dek=HOSTILE, points=[HOSTILE], terms=[term])
    BriefFactory(published=True, terms=[term])
    for url in [brief.get_absolute_url(), "/", "/glossary/", term.get_absolute_url()]:
        html = client.get(url).text
        assert "<script>alert(1)" not in html, url
        assert "<b>bold</b>" not in html, url
        assert html.count("</script>") == html.count("<script"), url
        assert_valid_html(html)
    (data,) = json_ld(client.get(brief.get_absolute_url()).text)
    assert data["headline"] == HOSTILE
    assert data["mentions"][0]["name"] == HOSTILE


def test_the_body_cannot_inject_markup(client, site):
    brief, _ = site
    html = client.get(brief.get_absolute_url()).text
    body = html.split('<div class="brief__body">')[1].split("</div>")[0]
    assert "<h3>A heading</h3>" in body and "<li>a</li>" in body
    assert "onclick" not in body and "style" not in body
