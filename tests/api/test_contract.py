"""The served OpenAPI schema is the contract: real responses of every endpoint must match it.

Schemathesis reads /api/v1/openapi.json from the application in-process (WSGI, no server), then
calls every operation with generated parameters and with the slugs of real content, checking status
codes, content types and bodies against the schema, and that nothing answers with a server error.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from briefs_cms.wsgi import application
from tests.factories import BriefFactory, TermAliasFactory, TermFactory, UserFactory, image_file

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 25


@pytest.fixture(autouse=True)
def keep_the_test_connection_open():
    """Like Django's test client: the real WSGI handler would close the connection that holds the
    test's transaction after each request (PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def newsroom(db):
    """Published and unpublished content with every optional part filled in at least once."""
    author = UserFactory()
    term = TermFactory(name="learning mechanics")
    TermAliasFactory(term=term, name="LM")
    term.related_terms.add(TermFactory(name="deep learning"))
    briefs = [
        BriefFactory(
            published=True,
            author=author,
            terms=[term],
            tags=["theory", "safety"],
            body="Text with a [link](https://example.com).",
            hero_image=image_file(),
            hero_alt="A chart",
            hero_credit="Lab",
        ),
        *BriefFactory.create_batch(21, published=True, author=author, tags=["theory"]),
    ]
    BriefFactory(author=author, terms=[term], tags=["hidden"])
    return {"brief": briefs[0].slug, "term": term.slug}


# Loading the schema touches no database table, so it can happen at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def api_schema():
    return schema


@schema.parametrize()
@pytest.mark.usefixtures("newsroom")
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_answers_that_match_the_schema(case):
    case.call_and_validate()


def test_answers_about_real_content_match_the_schema(api_schema, newsroom):
    requests = [
        ("/api/v1/briefs/", {}, {}),
        ("/api/v1/briefs/", {}, {"page": 2}),
        ("/api/v1/briefs/", {}, {"tag": "theory", "q": "brief", "updated_since": "2000-01-01"}),
        ("/api/v1/briefs/", {}, {"updated_since": "not a date"}),
        ("/api/v1/briefs/{slug}/", {"slug": newsroom["brief"]}, {}),
        ("/api/v1/briefs/{slug}/", {"slug": "missing"}, {}),
        ("/api/v1/terms/", {}, {}),
        ("/api/v1/terms/{slug}/", {"slug": newsroom["term"]}, {}),
        ("/api/v1/tags/", {}, {}),
    ]
    statuses = []
    for path, path_parameters, query in requests:
        case = api_schema[path]["GET"].Case(path_parameters=path_parameters, query=query)
        response = case.call()
        case.validate_response(response)
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 400, 200, 404, 200, 200, 200]
