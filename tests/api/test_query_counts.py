"""Each endpoint answers in a fixed number of queries, however many briefs or terms there are."""

import pytest

from tests.factories import BriefFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db

# One query per prefetch (tags, image renditions, …), one for the count and three index reads for
# Last-Modified (latest brief save, latest publication time passed, latest term save): none grows
# with the data.
BUDGET = {
    "/api/v1/briefs/": 7,
    "/api/v1/briefs/{slug}/": 10,
    "/api/v1/terms/": 5,
    "/api/v1/terms/{slug}/": 10,
    "/api/v1/tags/": 4,
}


def newsroom(size):
    terms = TermFactory.create_batch(size)
    for term in terms:
        term.related_terms.add(terms[0])
    author = UserFactory()
    briefs = [
        BriefFactory(
            published=True,
            author=author,
            terms=terms[:3],
            tags=[f"tag{n % 5}", "all"],
            points=["a", "b", "c"],
        )
        for n in range(size)
    ]
    return briefs[0], terms[0]


@pytest.mark.parametrize("size", [1, 30])
@pytest.mark.parametrize("endpoint", list(BUDGET))
def test_query_count_does_not_grow_with_the_content(client, django_assert_max_num_queries, size, endpoint):
    brief, term = newsroom(size)
    url = endpoint.replace("{slug}", brief.slug if "briefs" in endpoint else term.slug)
    with django_assert_max_num_queries(BUDGET[endpoint]) as queries:
        assert client.get(url).status_code == 200
    print(f"{endpoint} with {size}: {len(queries)} queries")
