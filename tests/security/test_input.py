"""Bad input gives a clear error or a 4xx, stores nothing, and is never a 500."""

from unittest import mock

import pytest
from django.urls import reverse

from briefs.admin.brief_form import BriefAdminForm
from briefs.models import Brief, BriefPoint
from glossary.models import Term
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, TermFactory
from tests.helpers import publish_now

pytestmark = pytest.mark.django_db

ADD_BRIEF = reverse("admin:briefs_brief_add")


def new_brief_data(client, **overrides):
    data = admin_form_data(client.get(ADD_BRIEF))
    data.update(
        {
            "headline": "Fresh brief",
            "dek": "A summary.",
            "points-0-text": "One point.",
            "points-0-position": "0",
            "links-TOTAL_FORMS": "1",
            "links-0-kind": "primary",
            "links-0-publisher": "arXiv",
            "links-0-url": "https://arxiv.org/abs/2601.00001",
            "links-0-position": "0",
        }
    )
    data.update(overrides)
    return data


def form_errors(response):
    errors = dict(response.context["adminform"].form.errors)
    for inline in response.context["inline_admin_formsets"]:
        for i, form_errors in enumerate(inline.formset.errors):
            for name, messages in form_errors.items():
                errors[f"{inline.formset.prefix}-{i}-{name}"] = messages
    return errors


# Over-long fields (SQLite does not enforce lengths: the forms must)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "h" * 201),
        ("dek", "d" * 1201),
        ("points-0-text", "p" * 401),
        ("links-0-publisher", "x" * 121),
        ("slug", "s" * 101),
    ],
)
def test_an_over_long_brief_field_is_a_form_error_and_stores_nothing(client, editor, field, value):
    client.force_login(editor)
    response = client.post(ADD_BRIEF, new_brief_data(client, **{field: value}))
    assert response.status_code == 200
    errors = form_errors(response)
    assert field in errors, errors
    assert not Brief.objects.exists() and not BriefPoint.objects.exists()


def test_an_over_long_term_definition_is_a_form_error_and_stores_nothing(client, moderator):
    client.force_login(moderator)
    url = reverse("admin:glossary_term_add")
    data = admin_form_data(client.get(url))
    data.update({"name": "tokenizer", "definition": "d" * 1501})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "definition" in response.context["adminform"].form.errors
    assert not Term.objects.exists()


def test_an_over_long_edit_leaves_the_stored_brief_unchanged(client, editor):
    brief = BriefFactory(headline="Short headline")
    client.force_login(editor)
    url = reverse("admin:briefs_brief_change", args=[brief.pk])
    data = admin_form_data(client.get(url))
    data["headline"] = "h" * 201
    response = client.post(url, data)
    assert response.status_code == 200
    assert "headline" in response.context["adminform"].form.errors
    assert Brief.objects.get(pk=brief.pk).headline == "Short headline"


# Two requests taking the same slug at once


def validated_before_the_other_save():
    """The form's unique check runs before the other request's brief is saved, so it passes once."""
    original = BriefAdminForm.validate_unique
    calls = []

    def validate_unique(form):
        calls.append(form)
        if len(calls) > 1:
            original(form)

    return mock.patch.object(BriefAdminForm, "validate_unique", validate_unique)


def test_a_typed_slug_taken_concurrently_is_a_form_error_not_a_500(client, editor):
    BriefFactory(headline="Someone else's brief", slug="same-slug")
    client.force_login(editor)
    data = new_brief_data(client, slug="same-slug")
    with validated_before_the_other_save():
        response = client.post(ADD_BRIEF, data)
    assert response.status_code == 200
    assert "slug" in form_errors(response)
    assert list(Brief.objects.values_list("headline", flat=True)) == ["Someone else's brief"]


def test_a_generated_slug_taken_concurrently_is_generated_again(client, editor):
    BriefFactory(headline="Same headline", slug="same-headline")
    client.force_login(editor)
    data = new_brief_data(client, headline="Same headline", slug="")
    original = Brief.unique_slug
    calls = []

    def unique_slug(brief):
        # The first attempt picks the slug the other request is saving at the same moment.
        calls.append(brief)
        return "same-headline" if len(calls) == 1 else original(brief)

    with mock.patch.object(Brief, "unique_slug", unique_slug):
        response = client.post(ADD_BRIEF, data)
    assert response.status_code == 302, form_errors(response)
    assert len(calls) == 2
    assert sorted(Brief.objects.values_list("slug", flat=True)) == ["same-headline", "same-headline-2"]


def test_a_slug_taken_concurrently_on_edit_is_a_form_error(client, editor):
    brief = BriefFactory(headline="Mine", slug="mine")
    BriefFactory(headline="Theirs", slug="wanted")
    client.force_login(editor)
    url = reverse("admin:briefs_brief_change", args=[brief.pk])
    data = admin_form_data(client.get(url))
    data["slug"] = "wanted"
    data["headline"] = "Mine, edited"
    with validated_before_the_other_save():
        response = client.post(url, data)
    assert response.status_code == 200
    assert "slug" in form_errors(response)
    assert Brief.objects.get(pk=brief.pk).slug == "mine"
    assert Brief.objects.get(pk=brief.pk).headline == "Mine"


# Malformed query strings on public pages and the API


@pytest.fixture
def site(db):
    brief = publish_now(BriefFactory(headline="A public brief"))
    brief.tags.add("Robotics")
    term = TermFactory(name="tokenizer")
    return {
        "home": reverse("briefs:home"),
        "brief": brief.get_absolute_url(),
        "tag": reverse("briefs:tag", kwargs={"slug": "robotics"}),
        "tags": reverse("briefs:tags"),
        "glossary": reverse("glossary:index"),
        "term": reverse("glossary:term", kwargs={"slug": term.slug}),
        "search": reverse("search:results"),
        "feed": reverse("briefs:feed-rss"),
        "api": "/api/v1/briefs/",
        "api_terms": "/api/v1/terms/",
    }


BAD_QUERIES = [
    "page=abc",
    "page=1e9",
    "page=-1",
    "page=0",
    "page=99999999999999999999999",
    "order=x",
    "ordering=author__password",
    "ordering=-author__password",
    "sort=author__password",
    "q=%00",
    "q=%00%00abc",
    "q=" + "a" * 5000,
    "q=%ff%fe",
    "q=a&q=b&page=1&page=2",
    "tag=%00",
    "updated_since=not-a-date",
    "updated_since=2026-13-45",
    "date=2026-02-30",
    "year=abc&month=13",
    "%zz=1",
    "q=%22unbalanced&q=(",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize(
    "page", ["home", "brief", "tag", "tags", "glossary", "term", "search", "feed", "api", "api_terms"]
)
def test_malformed_query_strings_are_a_4xx_or_ignored_never_a_500(client, site, page, query):
    response = client.get(f"{site[page]}?{query}")
    assert response.status_code < 500
    assert response.status_code in {200, 301, 302, 400, 404}


def test_api_ignores_ordering_by_a_relation(client, django_user_model):
    # Authors whose password hashes sort the opposite way to publication: the order must not follow them.
    older = publish_now(BriefFactory(headline="Older", author__username="zed"))
    newer = publish_now(BriefFactory(headline="Newer", author__username="amy"))
    Brief.objects.filter(pk=older.pk).update(published_at=newer.published_at.replace(year=2020))
    expected = [b["slug"] for b in client.get("/api/v1/briefs/").json()["results"]]
    for ordering in ("author__password", "-author__password", "author__username"):
        response = client.get(f"/api/v1/briefs/?ordering={ordering}")
        assert response.status_code in {200, 400}
        if response.status_code == 200:
            assert [b["slug"] for b in response.json()["results"]] == expected
    assert "password" not in client.get("/api/v1/briefs/?ordering=author__password").content.decode()


def test_public_list_ignores_ordering_by_a_relation(client, site):
    plain = client.get(site["home"]).content
    assert client.get(site["home"] + "?ordering=author__password").content == plain


# Invalid dates and ids in the admin's workflow forms


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("due", "2026-02-30"),
        ("due", "next week"),
        ("due", "2026-13-01"),
        ("assignee", "abc"),
        ("assignee", "1 OR 1=1"),
        ("assignee", "999999"),
    ],
)
def test_a_bad_assignment_is_refused_and_changes_nothing(client, moderator, contributor, field, value):
    brief = BriefFactory(author=contributor, in_review=True)
    client.force_login(moderator)
    data = {"assignee": str(moderator.pk), "due": "2026-12-01", field: value}
    response = client.post(reverse("admin:briefs_brief_assign", args=[brief.pk]), data)
    assert response.status_code in {302, 400, 404}
    brief.refresh_from_db()
    assert brief.assignee is None and brief.review_due is None


@pytest.mark.parametrize("at", ["2026-02-30T10:00", "tomorrow", "2026-01-01T25:00", "\x00"])
def test_a_bad_publication_time_is_refused_and_changes_nothing(client, moderator, contributor, at):
    brief = BriefFactory(author=contributor, in_review=True)
    client.force_login(moderator)
    response = client.post(reverse("admin:briefs_brief_step", args=[brief.pk, "publish"]), {"at": at})
    assert response.status_code in {302, 400}
    assert Brief.objects.get(pk=brief.pk).status == "in_review"


@pytest.mark.parametrize(
    "query", ["q=%00", "q=a%00b", "o=999", "o=abc", "status__exact=%00", "p=abc", "all=x"]
)
@pytest.mark.parametrize(
    "name",
    [
        "admin:briefs_brief_changelist",
        "admin:briefs_moderationqueue_changelist",
        "admin:glossary_term_changelist",
        "admin:taggit_tag_changelist",
    ],
)
def test_admin_lists_never_fail_on_a_malformed_query(client, moderator, name, query):
    BriefFactory()
    client.force_login(moderator)
    assert client.get(f"{reverse(name)}?{query}").status_code in {200, 302, 400}


def test_a_nul_in_the_query_string_is_dropped(client):
    TermFactory(name="tokenizer")
    TermFactory(name="sparse autoencoder")
    response = client.get("/glossary/?q=token%00izer")
    assert response.status_code == 200
    assert "tokenizer" in response.text and "sparse autoencoder" not in response.text
