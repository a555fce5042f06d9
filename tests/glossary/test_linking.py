import html5lib
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils.safestring import SafeString, mark_safe

from briefs.models import Brief
from glossary.linking import TermLinker, link_terms
from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


def assert_valid_html(fragment):
    """html5lib's strict parser raises on any parse error."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(fragment)


def links_in(fragment):
    tree = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parseFragment(fragment)
    return [
        (a.get("href"), "".join(a.itertext())) for a in tree.iter("a") if a.get("class") == "term-ref__link"
    ]


def test_first_mention_links_to_the_term_page_with_its_definition():
    term = TermFactory(name="transformer", definition="A neural network built on attention.")
    result = link_terms("Transformers beat RNNs; a transformer is big.", [term])
    assert isinstance(result, SafeString)
    assert_valid_html(result)
    assert links_in(result) == [(term.get_absolute_url(), "Transformers")]
    assert 'role="tooltip"' in result and "A neural network built on attention." in result
    tip_id = f"term-tip-{term.pk}"
    assert f'aria-describedby="{tip_id}"' in result and f'id="{tip_id}"' in result


def test_aliases_link_to_their_term():
    term = TermFactory(name="large language model")
    TermAliasFactory(term=term, name="LLM")
    assert links_in(link_terms("LLMs everywhere", [term])) == [(term.get_absolute_url(), "LLMs")]


def test_plain_text_is_escaped():
    term = TermFactory(name="attention")
    result = link_terms('<script>alert("x")</script> & attention', [term])
    assert "<script>" not in result
    assert "&lt;script&gt;" in result and "&amp; " in result
    assert_valid_html(result)


@pytest.mark.parametrize("name", ["Q&A", "a<b", 'the "quoted" term', "it's", "x > y & z"])
def test_names_and_definitions_with_markup_characters_stay_escaped(name):
    term = TermFactory(name=name, definition=f'Defined with <em>tags</em> & "quotes" for {name}.')
    result = link_terms(f"Before {name} after.", [term])
    assert_valid_html(result)
    assert "<em>" not in result
    assert links_in(result) == [(term.get_absolute_url(), name)]


def test_each_term_is_linked_once_across_points_and_body():
    term = TermFactory(name="reward model")
    linker = TermLinker([term])
    first = linker.link("A reward model scores text.")
    second = linker.link("The reward model again.")
    body = linker.link(mark_safe("<p>And the reward model.</p>"))
    assert len(links_in(first)) == 1
    assert links_in(second) == [] and links_in(body) == []


def test_html_only_text_nodes_are_linked_never_inside_links_or_code():
    term = TermFactory(name="attention")
    body = mark_safe(
        '<p><a href="https://x.org/attention">attention paper</a> <code>attention()</code></p>'
        "<pre>attention</pre><p>Self-<em>attention</em> is AT&amp;T&#x27;s attention.</p>"
    )
    result = link_terms(body, [term])
    assert_valid_html(result)
    assert links_in(result) == [(term.get_absolute_url(), "attention")]
    assert '<a href="https://x.org/attention">attention paper</a>' in result
    assert "<code>attention()</code>" in result and "<pre>attention</pre>" in result
    assert '<em><span class="term-ref">' in result
    assert "AT&amp;T" in result


def test_draft_terms_are_never_linked():
    term = TermFactory(name="grokking", draft=True)
    assert links_in(link_terms("grokking happens", [term])) == []


def test_template_filter_links_a_briefs_terms_once_per_brief():
    term = TermFactory(name="grokking")
    brief = BriefFactory(points=["Grokking is late.", "Grokking again."], terms=[term])
    brief = Brief.objects.prefetch_related("brief_terms__term").get(pk=brief.pk)
    rendered = Template(
        "{% load glossary_tags %}{% for p in brief.points.all %}"
        "<p>{{ p.text|link_terms:brief }}</p>{% endfor %}"
    ).render(Context({"brief": brief}))
    assert_valid_html(rendered)
    assert links_in(rendered) == [(term.get_absolute_url(), "Grokking")]
    assert f'id="brief-{brief.pk}-term-{term.pk}"' in rendered


def test_template_filter_accepts_a_list_of_terms():
    term = TermFactory(name="grokking")
    rendered = Template("{% load glossary_tags %}{{ text|link_terms:terms }}").render(
        Context({"text": "<b>grokking</b>", "terms": [term]})
    )
    assert "&lt;b&gt;" in rendered and len(links_in(rendered)) == 1


def test_demo_seed_brief_links_learning_mechanics():
    call_command("load_demo")
    brief = Brief.objects.prefetch_related("brief_terms__term").get(
        slug="new-paper-argues-for-a-scientific-theory-of-deep-learning"
    )
    rendered = "".join(
        Template("{% load glossary_tags %}<li>{{ text|link_terms:brief }}</li>").render(
            Context({"text": point.text, "brief": brief})
        )
        for point in brief.points.all()
    )
    assert_valid_html(rendered)
    assert [text for _, text in links_in(rendered)] == ["learning mechanics"]
    assert "framework inspired by physics" in rendered
