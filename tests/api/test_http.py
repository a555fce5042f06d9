"""How the Content API behaves over HTTP: caching, conditional requests, CORS, errors, docs."""

import pytest

from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db

DATA_ENDPOINTS = ["/api/v1/briefs/", "/api/v1/terms/", "/api/v1/tags/"]


@pytest.mark.parametrize("url", DATA_ENDPOINTS)
def test_answers_are_cacheable_and_open_to_any_origin(client, url):
    BriefFactory(published=True, tags=["x"])
    response = client.get(url, HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"] and response["Last-Modified"]


def test_a_matching_etag_gets_304_not_modified(client):
    brief = BriefFactory(published=True)
    url = f"/api/v1/briefs/{brief.slug}/"
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_a_changed_brief_gets_a_new_etag(client):
    brief = BriefFactory(published=True)
    url = f"/api/v1/briefs/{brief.slug}/"
    etag = client.get(url)["ETag"]
    brief.headline = "A corrected headline"
    brief.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_if_modified_since_the_last_change_gets_304(client):
    BriefFactory(published=True)
    last_modified = client.get("/api/v1/briefs/")["Last-Modified"]
    assert client.get("/api/v1/briefs/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert (
        client.get("/api/v1/briefs/", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code
        == 200
    )


def test_preflight_allows_reading_from_any_origin(client):
    response = client.options(
        "/api/v1/briefs/", HTTP_ORIGIN="https://partner.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"


def test_head_answers_like_get_without_a_body(client):
    BriefFactory(published=True)
    get = client.get("/api/v1/briefs/")
    head = client.head("/api/v1/briefs/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


def test_cors_is_not_opened_outside_the_api(client):
    assert "Access-Control-Allow-Origin" not in client.get("/")


def test_writing_is_not_allowed(client):
    response = client.post("/api/v1/briefs/", {})
    assert response.status_code == 405


@pytest.mark.parametrize("url", ["/api/v1/nothing-here/", "/api/", "/api/v2/briefs/"])
def test_unknown_api_addresses_are_json_404s(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("There is nothing at")


def test_openapi_schema_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/briefs/",
        "/api/v1/briefs/{slug}/",
        "/api/v1/terms/",
        "/api/v1/terms/{slug}/",
        "/api/v1/tags/",
    }


def test_docs_page_loads_its_assets_from_this_site_without_inline_scripts(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.text
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "<script>" not in html  # only external scripts and a JSON data block
