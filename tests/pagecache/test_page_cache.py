import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.generate import generate
from briefs import pending, services, workflow
from briefs.models import Status
from glossary import services as glossary_services
from pagecache.generation import current_generation, purge
from pagecache.middleware import PublicPageCacheMiddleware
from tests.briefs.admin_forms import admin_form_data
from tests.conftest import skip_or_fail
from tests.factories import BriefFactory, TermFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.pagecache.urls")]

HOME = "/"


@pytest.fixture(autouse=True)
def empty_cache(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast factories
    cache.clear()
    yield
    cache.clear()


def get(client, url, **headers):
    return client.get(url, headers=headers)


def assert_cached(client, url):
    """The page is stored on first read and then served without touching the database."""
    get(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = get(client, url)
    assert response["X-Page-Cache"] == "hit"
    assert len(queries) == 0
    return response


def publish(brief, at=None):
    """Publish as the demo and import paths do: the step records the change, the cache follows."""
    workflow.publish_imported(brief, at=at or timezone.now() - dt.timedelta(minutes=1))


def edit_in_admin(client, user, brief, **fields):
    """Change fields of the brief's admin form as an editor would, and save."""
    client.force_login(user)
    url = reverse("admin:briefs_brief_change", args=[brief.pk])
    data = admin_form_data(client.get(url))
    data.update(fields)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    client.logout()
    client.cookies.clear()


def edit_published_in_admin(client, moderator, brief, unchanged, **fields):
    """Edit a live brief in the admin: readers keep the cached page until the changes are published."""
    edit_in_admin(client, moderator, brief, **fields)
    url = brief.get_absolute_url()
    assert unchanged in assert_cached(client, url).text
    pending.publish_changes(brief, by=moderator, kind=pending.Kind.FIX)


def test_anonymous_public_page_is_served_from_the_cache_without_queries(client):
    BriefFactory(published=True, headline="Cached headline")
    first = get(client, HOME)
    assert first["X-Page-Cache"] == "miss"
    response = assert_cached(client, HOME)
    assert "Cached headline" in response.text
    assert response.content == first.content


def test_anonymous_public_response_can_be_kept_by_proxies(client):
    BriefFactory(published=True)
    response = get(client, HOME)
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
    assert response["ETag"] and response["Last-Modified"]


def test_publishing_a_brief_shows_it_on_the_cached_home_page(client):
    draft = BriefFactory(headline="Fresh news")
    assert "Fresh news" not in assert_cached(client, HOME).text
    publish(draft)
    response = get(client, HOME)
    assert response["X-Page-Cache"] == "miss"
    assert "Fresh news" in response.text


def test_unpublishing_removes_the_brief_from_cached_pages(client, moderator):
    brief = BriefFactory(published=True, headline="Soon withdrawn")
    url = brief.get_absolute_url()
    assert "Soon withdrawn" in assert_cached(client, HOME).text
    assert_cached(client, url)
    workflow.unpublish(brief, by=moderator)
    assert "Soon withdrawn" not in get(client, HOME).text
    assert get(client, url).status_code == 404


def test_editing_a_published_brief_refreshes_its_cached_page(client, superuser):
    brief = BriefFactory(published=True, headline="Old headline", points=["Old point"])
    url = brief.get_absolute_url()
    assert_cached(client, url)
    brief.headline = "New headline"
    services.save_brief(brief)
    assert "New headline" in get(client, url).text
    edit_published_in_admin(client, superuser, brief, "Old point", **{"points-0-text": "New point"})
    assert "New point" in get(client, url).text


def test_changing_a_term_definition_refreshes_pages_that_show_it(client, moderator):
    term = TermFactory(name="superposition", definition="Old definition.")
    brief = BriefFactory(published=True, terms=[term])
    assert_cached(client, brief.get_absolute_url())
    assert_cached(client, term.get_absolute_url())
    term.definition = "New definition."
    glossary_services.save_term(term, by=moderator)
    assert "New definition." in get(client, brief.get_absolute_url()).text
    assert "New definition." in get(client, term.get_absolute_url()).text


def test_adding_removing_and_renaming_tags_refreshes_cached_pages(client, superuser):
    brief = BriefFactory(published=True, headline="Tagged", tags=["safety"])
    assert "Tagged: safety" in assert_cached(client, "/x/tags/").text
    edit_published_in_admin(client, superuser, brief, "safety", tags="safety, theory")
    assert "Tagged: safety, theory" in get(client, "/x/tags/").text
    assert_cached(client, "/x/tags/")
    edit_published_in_admin(client, superuser, brief, "safety", tags="theory")
    assert "Tagged: theory" in get(client, "/x/tags/").text
    assert_cached(client, "/x/tags/")
    tag = brief.tags.get()
    client.force_login(superuser)
    url = reverse("admin:taggit_tag_change", args=[tag.pk])
    data = admin_form_data(client.get(url))
    data["name"] = "learning theory"
    assert client.post(url, data).status_code == 302
    client.logout()
    client.cookies.clear()
    assert "Tagged: learning theory" in get(client, "/x/tags/").text


def test_changing_a_source_link_refreshes_the_brief_page(client, superuser):
    brief = BriefFactory(published=True)
    url = brief.get_absolute_url()
    assert_cached(client, url)
    edit_published_in_admin(client, superuser, brief, "Read full story", **{"links-0-publisher": "Distill"})
    assert "Read full story at Distill" in get(client, url).text


def test_a_scheduled_brief_appears_on_time_despite_the_cache(client):
    now = timezone.now()
    brief = BriefFactory(headline="Scheduled story")
    publish(brief, at=now + dt.timedelta(minutes=3))
    response = get(client, HOME)
    assert "Scheduled story" not in response.text
    # Nobody may keep the page beyond the moment the brief goes live.
    s_maxage = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 170 <= s_maxage <= 180
    assert_cached(client, HOME)
    with mock.patch("django.utils.timezone.now", return_value=now + dt.timedelta(minutes=3, seconds=1)):
        response = get(client, HOME)
        assert response["X-Page-Cache"] == "miss"
        assert "Scheduled story" in response.text
        assert get(client, brief.get_absolute_url()).status_code == 200


def test_logged_in_users_are_never_served_from_the_cache(client):
    BriefFactory(published=True, headline="Public")
    assert_cached(client, HOME)
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        response = get(client, HOME)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"
    assert len(queries) > 0


def test_pages_seen_by_logged_in_users_are_never_stored(client):
    BriefFactory(published=True)
    client.force_login(UserFactory())
    get(client, HOME)
    get(client, HOME)
    client.logout()
    client.cookies.clear()
    assert get(client, HOME)["X-Page-Cache"] == "miss"


def test_no_draft_ever_comes_from_the_cache(client):
    now = timezone.now()
    hidden = [
        BriefFactory(headline="A draft"),
        BriefFactory(headline="In review", status=Status.IN_REVIEW),
        BriefFactory(headline="Archived", status=Status.ARCHIVED, published_at=now - dt.timedelta(days=1)),
        BriefFactory(headline="Scheduled", scheduled=True),
    ]
    BriefFactory(published=True, headline="Visible")
    for _ in range(2):
        home = get(client, HOME).text
        assert "Visible" in home
        for brief in hidden:
            assert brief.headline not in home
            response = get(client, brief.get_absolute_url())
            assert response.status_code == 404
            assert "X-Page-Cache" not in response
    assert get(client, "/x/tags/").text == "Visible: "


def test_previews_are_never_cached(client):
    draft = BriefFactory(headline="Draft preview")
    for _ in range(2):
        response = get(client, f"/x/preview/{draft.pk}/")
        assert "X-Page-Cache" not in response
        assert "no-store" in response["Cache-Control"]


def test_responses_that_set_cookies_are_never_stored(client):
    for _ in range(2):
        response = get(client, "/x/cookie/")
        assert "X-Page-Cache" not in response
        assert response["Cache-Control"] == "private, no-store"


def test_admin_pages_are_left_alone(client):
    response = get(client, reverse("admin:login"))
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_unchanged_page_answers_304_to_its_etag_and_date(client):
    brief = BriefFactory(published=True)
    first = get(client, HOME)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert get(client, HOME, if_none_match=etag).status_code == 304
    assert get(client, HOME, if_modified_since=modified).status_code == 304
    fresh = get(client, HOME)  # served from the cache: same validators
    assert fresh["ETag"] == etag
    brief.headline = "Changed"
    services.save_brief(brief)
    assert get(client, HOME, if_none_match=etag).status_code == 200


def test_term_and_brief_pages_answer_304(client):
    term = TermFactory()
    brief = BriefFactory(published=True, terms=[term])
    for url in (brief.get_absolute_url(), term.get_absolute_url()):
        etag = get(client, url)["ETag"]
        assert get(client, url, if_none_match=etag).status_code == 304


def test_bulk_generation_invalidates_cached_pages(client):
    assert "No briefs" in assert_cached(client, HOME).text
    generate(briefs=5, terms=6, seed=11, published_ratio=1)
    assert get(client, HOME)["X-Page-Cache"] == "miss"


def test_a_purge_starts_a_new_generation(client):
    before = current_generation()
    purge()
    assert current_generation() > before


def test_a_session_cookie_bypasses_the_cache(client, settings):
    BriefFactory(published=True)
    assert_cached(client, HOME)
    client.cookies[settings.SESSION_COOKIE_NAME] = "anything"
    assert "X-Page-Cache" not in get(client, HOME)


def test_pages_outside_the_registered_namespaces_are_not_public():
    middleware = PublicPageCacheMiddleware(lambda request: None)
    from django.test import RequestFactory

    assert not middleware.is_public_page(RequestFactory().get("/admin/"))
    assert middleware.is_public_page(RequestFactory().get("/"))


def test_invalidation_works_through_redis(client, settings):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "briefs-tests",
        }
    }
    from django.core.cache import caches

    assert "Redis" in type(caches["default"]).__name__
    caches["default"].clear()
    draft = BriefFactory(headline="Through Redis")
    assert "Through Redis" not in assert_cached(client, HOME).text
    publish(draft)
    assert "Through Redis" in get(client, HOME).text
    caches["default"].clear()


def test_the_page_cache_can_be_switched_off(settings):
    from django.core.exceptions import MiddlewareNotUsed

    settings.PUBLIC_PAGE_CACHE_ENABLED = False
    with pytest.raises(MiddlewareNotUsed):
        PublicPageCacheMiddleware(lambda request: None)


def test_renaming_an_author_refreshes_their_brief_pages_but_logging_in_does_not(client, superuser):
    brief = BriefFactory(published=True)
    url = brief.get_absolute_url()
    assert_cached(client, url)
    author = brief.author
    author.last_login = timezone.now()
    author.save(update_fields=["last_login"])
    assert get(client, url)["X-Page-Cache"] == "hit"
    client.force_login(superuser)
    change = reverse("admin:auth_user_change", args=[author.pk])
    page = client.get(change)
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and key not in ("groups", "user_permissions", "last_login", "date_joined")
    }
    data.update(first_name="Grace", last_name="Hopper", date_joined_0="2026-01-01", date_joined_1="10:00:00")
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    client.cookies.clear()
    assert "Grace Hopper" in get(client, url).text
