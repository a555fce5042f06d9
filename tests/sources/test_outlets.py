"""Outlets: suggested from a link's host, made from publisher text, unique by name ignoring case."""

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError

from sources.models import Outlet, OutletDomain
from sources.outlets import add_domain, outlet_for_publisher, suggest_outlet, suggest_outlets
from sources.urlkeys import InvalidURL, normalize_domain

pytestmark = pytest.mark.django_db


def outlet(name, *domains):
    made = Outlet.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), home_page=f"https://{domains[0]}/"
    )
    for domain in domains:
        OutletDomain.objects.create(outlet=made, domain=domain)
    return made


def test_a_link_is_matched_by_its_host_with_www_and_subdomains(django_assert_num_queries):
    forum = outlet("AI Alignment Forum", "alignmentforum.org")
    with django_assert_num_queries(1):
        assert suggest_outlet("https://www.alignmentforum.org/posts/abc") == forum
    assert suggest_outlet("https://alignmentforum.org/posts/abc") == forum
    assert suggest_outlet("https://forum.alignmentforum.org/x") == forum
    assert suggest_outlet("https://ALIGNMENTFORUM.org./x") == forum


def test_the_longest_registered_domain_wins():
    example = outlet("Example", "example.org")
    forum = outlet("Example Forum", "forum.example.org")
    assert suggest_outlet("https://forum.example.org/t/1") == forum
    assert suggest_outlet("https://deep.forum.example.org/t/1") == forum
    assert suggest_outlet("https://blog.example.org/p") == example


def test_no_outlet_for_unknown_hosts_or_lookalikes():
    outlet("Example", "example.org")
    assert suggest_outlet("https://notexample.org/") is None
    assert suggest_outlet("https://example.org.evil.test/") is None
    assert suggest_outlet("not a url") is None
    assert suggest_outlet("") is None


def test_many_links_are_matched_in_one_query(django_assert_num_queries):
    a = outlet("Nature", "nature.com")
    b = outlet("arXiv", "arxiv.org")
    urls = ["https://www.nature.com/articles/1", "https://arxiv.org/abs/1", "https://unknown.test/", "junk"]
    with django_assert_num_queries(1):
        found = suggest_outlets(urls)
    assert found == {urls[0]: a, urls[1]: b}


def test_international_domains_match_in_either_spelling():
    buch = outlet("Bücher", normalize_domain("bücher.de"))
    assert OutletDomain.objects.get().domain == "xn--bcher-kva.de"
    assert suggest_outlet("https://www.bücher.de/a") == buch
    assert suggest_outlet("https://xn--bcher-kva.de/a") == buch


@pytest.mark.parametrize("text", ["https://www.Example.org/path?q=1", "WWW.EXAMPLE.ORG", "example.org/"])
def test_domains_are_stored_as_host_names(text):
    assert normalize_domain(text) == "example.org"


@pytest.mark.parametrize("text", ["localhost", "exa mple.org", "", "https://", "a..b"])
def test_invalid_domains_are_refused(text):
    with pytest.raises(InvalidURL):
        normalize_domain(text)


def test_publisher_text_becomes_an_outlet_with_the_links_domain():
    made = outlet_for_publisher("  AI\u200b Alignment   Forum ", "https://www.alignmentforum.org/posts/abc")
    assert made.name == "AI Alignment Forum"
    assert made.slug == "ai-alignment-forum"
    assert made.home_page == "https://www.alignmentforum.org/"
    assert list(made.domains.values_list("domain", flat=True)) == ["alignmentforum.org"]


def test_the_same_publisher_in_another_case_is_the_same_outlet():
    first = outlet_for_publisher("Nature", "https://www.nature.com/articles/1")
    again = outlet_for_publisher("nature", "https://nature.com/articles/2")
    assert again == first
    assert Outlet.objects.count() == 1
    assert OutletDomain.objects.count() == 1


def test_a_second_domain_of_the_same_publisher_is_added():
    made = outlet_for_publisher("DeepMind", "https://deepmind.google/blog/x")
    outlet_for_publisher("DeepMind", "https://www.deepmind.com/blog/y")
    assert sorted(made.domains.values_list("domain", flat=True)) == ["deepmind.com", "deepmind.google"]


def test_a_domain_owned_by_another_outlet_is_left_there():
    nature = outlet_for_publisher("Nature", "https://www.nature.com/articles/1")
    other = outlet_for_publisher("Nature Machine Intelligence", "https://www.nature.com/natmachintell/2")
    assert other != nature
    assert not other.domains.exists()
    assert suggest_outlet("https://www.nature.com/natmachintell/3") == nature


def test_shared_hosts_are_not_attached_to_a_publisher():
    made = outlet_for_publisher("OpenAI", "https://github.com/openai/repo")
    outlet_for_publisher("Science", "https://doi.org/10.1126/science.1")
    assert not made.domains.exists()
    assert not OutletDomain.objects.exists()


def test_slugs_stay_unique():
    outlet("Lab", "lab.example")
    Outlet.objects.filter(name="Lab").update(name="Lab Old")
    made = outlet_for_publisher("Lab", "https://lab2.example/")
    assert made.slug == "lab-2"


def test_an_empty_publisher_is_named_after_the_domain():
    assert outlet_for_publisher("", "https://www.example.org/a").name == "example.org"


def test_a_link_without_a_host_is_refused():
    with pytest.raises(InvalidURL):
        outlet_for_publisher("Someone", "not a link")


def test_it_works_with_a_migrations_historical_models():
    """A data migration passes its `apps`; global apps stand in for them here."""
    made = outlet_for_publisher("arXiv", "https://arxiv.org/abs/1", apps=global_apps)
    assert suggest_outlet("https://arxiv.org/abs/2", apps=global_apps) == made


def test_outlet_names_are_unique_ignoring_case():
    outlet("Nature", "nature.com")
    with pytest.raises(ValidationError, match="already exists"):
        Outlet(name="NATURE", slug="nature-2", home_page="https://nature.com/").full_clean()


def test_add_domain_refuses_a_domain_another_outlet_has():
    a = outlet("A", "a.example")
    b = outlet("B", "b.example")
    assert add_domain(b, "www.a.example") is False
    assert add_domain(a, "a2.example") is True
    assert suggest_outlet("https://a2.example/") == a
