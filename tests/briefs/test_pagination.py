import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import Brief
from briefs.pagination import NoCountPaginator
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefs(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    author = BriefFactory().author
    Brief.objects.all().delete()
    for _ in range(5):
        BriefFactory(published=True, author=author)
    return Brief.objects.published().order_by("pk")


def test_a_page_costs_one_query_and_never_counts(briefs):
    paginator = NoCountPaginator(briefs, 2)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.page(2)
        assert len(page.object_list) == 2
    assert len(queries) == 1
    assert "COUNT" not in queries[0]["sql"].upper()


def test_next_and_previous_links_are_known_without_a_count(briefs):
    paginator = NoCountPaginator(briefs, 2)
    first, last = paginator.page(1), paginator.page(3)
    assert first.has_next() and not first.has_previous() and first.next_page_number() == 2
    assert not last.has_next() and last.has_previous() and len(last) == 1
    assert (last.start_index(), last.end_index()) == (5, 5)
    with pytest.raises(EmptyPage):
        last.next_page_number()


def test_a_page_past_the_end_or_not_a_number_is_invalid(briefs):
    paginator = NoCountPaginator(briefs, 2)
    with pytest.raises(EmptyPage):
        paginator.page(4)
    with pytest.raises(PageNotAnInteger):
        paginator.page("last")
    with pytest.raises(EmptyPage):
        paginator.page(0)


def test_an_empty_list_still_has_a_first_page():
    assert list(NoCountPaginator(Brief.objects.none(), 20).page(1)) == []
