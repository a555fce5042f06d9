"""Hostile text stays text: on every public page, feed, JSON-LD, the API, the admin and in emails."""

import json

import html5lib
import pytest
import reversion
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs import workflow
from briefs.models import LinkKind, SourceLink, Status
from briefs.rendering import render_body
from core.structured_data import json_ld_script
from glossary.linking import TermLinker
from glossary.models import Term
from search.snippets import highlight
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermAliasFactory, TermFactory
from tests.helpers import json_ld, publish_now

SCRIPT = "<script>alert(1)</script>\"'&"
BREAKOUT = "</script><img src=x onerror=alert(1)>"
HOSTILE = f"Hostile {SCRIPT} {BREAKOUT}"
# Any of these in a response means hostile markup reached it unescaped.
RAW = ["<script>alert(1)", "<img src=x"]


def assert_inert(html, *, page=""):
    """No raw payload, and the parsed page has no script or handler the payload could have made."""
    for raw in RAW:
        assert raw not in html, f"{raw!r} unescaped on {page}"
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        assert not any(name.lower().startswith("on") for name in element.attrib), (page, element.attrib)
        if element.tag == "img":
            assert element.get("src") != "x", page
        if element.tag == "script" and element.get("type") == "application/ld+json":
            assert "<" not in element.text, page
            json.loads(element.text)  # the payload did not end the script early
        elif element.tag == "script":
            assert "alert(1)" not in (element.text or ""), page
        for value in element.attrib.values():
            assert not value.strip().lower().startswith("javascript:"), page


@pytest.fixture
def hostile(db, moderator, contributor):
    term = TermFactory(name=f"term {SCRIPT}", definition=f"Defined as {HOSTILE}.")
    TermAliasFactory(term=term, name=f"alias {BREAKOUT}")
    brief = BriefFactory(
        author=contributor,
        headline=HOSTILE,
        dek=f"Dek {HOSTILE}",
        body=f"Body {HOSTILE}\n\n[click](javascript:alert(1)) and term {SCRIPT}",
        points=[f"Point {HOSTILE} about term {SCRIPT}"],
    )
    SourceLink.objects.update_or_create(
        brief=brief,
        kind=LinkKind.PRIMARY,
        defaults={
            "url": "https://example.com/paper",
            "publisher": f"Publisher {HOSTILE}",
            "title": f"Title {BREAKOUT}",
            "position": 0,
        },
    )
    brief.terms.add(term)
    brief.tags.add(f"tag {SCRIPT}")
    publish_now(brief)
    return {"brief": brief, "term": term, "tag": brief.tags.get()}


def public_urls(hostile):
    brief, term, tag = hostile["brief"], hostile["term"], hostile["tag"]
    return [
        reverse("briefs:home"),
        brief.get_absolute_url(),
        reverse("glossary:index"),
        reverse("glossary:term", kwargs={"slug": term.slug}),
        reverse("briefs:tags"),
        reverse("briefs:tag", kwargs={"slug": tag.slug}),
        reverse("search:results") + "?q=Hostile",
        reverse("search:results") + "?q=" + SCRIPT.replace("&", "%26"),
    ]


FEEDS = ["briefs:feed-rss", "briefs:feed-atom"]


@pytest.mark.django_db
def test_hostile_text_is_escaped_on_every_public_page(client, hostile):
    for url in public_urls(hostile):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, page=url)
    detail = client.get(hostile["brief"].get_absolute_url()).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in detail  # shown as text, not dropped
    assert 'href="javascript:' not in detail


@pytest.mark.django_db
def test_json_ld_carries_the_hostile_text_without_ending_its_script(client, hostile):
    html = client.get(hostile["brief"].get_absolute_url()).text
    blocks = json_ld(html)
    article = next(b for b in blocks if b.get("@type") == "NewsArticle")
    assert article["headline"] == HOSTILE
    for block in html.split('<script type="application/ld+json">')[1:]:
        assert block.index("</script>") == len(block.split("</script>")[0])
        assert "<" not in block.split("</script>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*FEEDS, "tag-feeds", "sitemap"])
def test_feeds_and_sitemap_keep_hostile_text_as_xml_text(client, hostile, name):
    import xml.etree.ElementTree as ET

    tag = hostile["tag"]
    if name == "sitemap":
        urls = [reverse("sitemap")]
    elif name == "tag-feeds":
        urls = [reverse(f"briefs:tag-feed-{kind}", kwargs={"slug": tag.slug}) for kind in ("rss", "atom")]
    else:
        urls = [reverse(name)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        for raw in RAW:
            assert raw not in body
        root = ET.fromstring(response.content)  # noqa: S314 (our own output)
        texts = " ".join(root.itertext())
        if name != "sitemap":
            assert HOSTILE in texts  # the headline arrives as text, escaped exactly once


@pytest.mark.django_db
def test_the_api_returns_hostile_text_as_json_strings(client, hostile):
    brief, term = hostile["brief"], hostile["term"]
    for url in (
        "/api/v1/briefs/",
        f"/api/v1/briefs/{brief.slug}/",
        f"/api/v1/terms/{term.slug}/",
        "/api/v1/tags/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        json.loads(response.content)
    detail = client.get(f"/api/v1/briefs/{brief.slug}/").json()
    assert detail["headline"] == HOSTILE


# The admin


@pytest.mark.django_db
def test_hostile_text_is_escaped_in_the_admin(client, hostile, moderator):
    brief, term = hostile["brief"], hostile["term"]
    with reversion.create_revision():
        brief.headline = HOSTILE + " v2"
        brief.save()
    with reversion.create_revision():
        brief.headline = HOSTILE
        brief.save()
    versions = list(brief_versions(brief))
    client.force_login(moderator)
    urls = [
        reverse("admin:briefs_brief_changelist"),
        reverse("admin:briefs_brief_changelist") + "?q=Hostile",
        reverse("admin:briefs_brief_change", args=[brief.pk]),
        reverse("admin:briefs_brief_history", args=[brief.pk]),
        reverse("admin:briefs_brief_revisions", args=[brief.pk]),
        reverse("admin:briefs_brief_revision_diff", args=[brief.pk])
        + f"?old={versions[-1].pk}&new={versions[0].pk}",
        reverse("admin:briefs_brief_revision_restore", args=[brief.pk, versions[-1].pk]),
        reverse("admin:briefs_brief_preview", args=[brief.pk]),
        reverse("admin:glossary_term_changelist"),
        reverse("admin:glossary_term_change", args=[term.pk]),
        reverse("admin:glossary_term_history", args=[term.pk]),
        reverse("admin:taggit_tag_changelist"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(response.text, page=url)


@pytest.mark.django_db
def test_the_moderation_queue_and_the_saved_message_escape_the_headline(client, contributor, moderator):
    brief = BriefFactory(author=contributor, headline=HOSTILE, status=Status.IN_REVIEW)
    client.force_login(moderator)
    queue = client.get(reverse("admin:briefs_moderationqueue_changelist"))
    assert_inert(queue.text, page="queue")
    url = reverse("admin:briefs_brief_change", args=[brief.pk])
    data = admin_form_data(client.get(url))
    data["dek"] = "A calmer summary."
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any(escape(HOSTILE) in m for m in messages), messages  # the message names the brief, escaped
    assert_inert(response.text, page="message")  # …as text


@pytest.mark.django_db
def test_workflow_emails_are_plain_text_with_single_line_subjects(
    contributor, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    brief = BriefFactory(author=contributor, headline=HOSTILE, status=Status.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assign(brief, by=moderator, to=moderator)
        workflow.request_changes(brief, by=moderator, note=f"Fix {BREAKOUT}")
    assert len(mailoutbox) == 2
    for message in mailoutbox:
        assert message.content_subtype == "plain"
        assert not getattr(message, "alternatives", [])
        assert "\n" not in message.subject and "\r" not in message.subject
        assert HOSTILE in message.body  # plain text: shown as written, never interpreted


def brief_versions(brief):
    from briefs.revisions import revisions_of

    return revisions_of(brief)


# Fuzzing the text-to-HTML paths

FRAGMENTS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "<a href='javascript:alert(1)'>x</a>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "<svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "<style>body{}</style>",
    "<!--",
    "-->",
    "<![CDATA[",
    "&",
    "&lt;",
    "*",
    "`",
    "\n\n",
    "# ",
    "term",
    "<b",
    "<",
    ">",
    "'",
    '"',
]
TEXT = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co", "Cn")), max_size=8),
    ),
    max_size=20,
).map("".join)
FUZZ = settings(max_examples=50, deadline=None)


def assert_safe_fragment(html):
    assert "<script" not in html.lower()
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(html)
    for element in html5lib.parseFragment(html, namespaceHTMLElements=False).iter():
        if isinstance(element.tag, str):
            assert not any(name.lower().startswith("on") for name in element.attrib), html
            assert "style" not in element.attrib
            for value in element.attrib.values():
                assert "javascript:" not in value.lower().replace(" ", ""), html


@FUZZ
@given(TEXT)
def test_fuzz_render_body_is_safe(text):
    assert_safe_fragment(str(render_body(text)))


@FUZZ
@given(TEXT)
def test_fuzz_search_snippets_are_safe(text):
    words = [w for w in text.split()[:3] if w]
    assert_safe_fragment(str(highlight(text, words)))


@FUZZ
@given(st.dictionaries(st.sampled_from(["headline", "description", "name"]), TEXT, min_size=1))
def test_fuzz_json_ld_never_ends_its_script_early(data):
    html = str(json_ld_script(data))
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner
    assert json.loads(inner) == data


@pytest.mark.django_db
@FUZZ
@given(name=TEXT.filter(lambda s: s.strip() and any(c.isalnum() for c in s)), text=TEXT)
def test_fuzz_term_links_are_safe(name, text):
    Term.objects.all().delete()
    term = Term(name=name[:120], definition=f"Definition {name[:60]}", status="approved")
    try:
        term.full_clean()
    except Exception:
        return  # a name the glossary refuses never reaches a page
    term.save()
    linker = TermLinker([term])
    assert_safe_fragment(str(linker.link(f"{text} {term.name} {text}")))
    assert_safe_fragment(str(TermLinker([term]).link(render_body(f"{text} {term.name}"))))
