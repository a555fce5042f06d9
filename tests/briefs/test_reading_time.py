"""Each brief shows its reading time: summary, points and body at about 230 words a minute."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.models import Brief
from briefs.reading import WORDS_PER_MINUTE, count_words, minutes_for, word_count_sql
from tests.factories import BriefFactory, TermFactory

pytestmark = pytest.mark.django_db


def words(n, word="word"):
    return " ".join([word] * n)


def test_minutes_round_up_and_never_say_zero():
    assert [minutes_for(n) for n in (0, 1, 230, 231, 460, 461)] == [1, 1, 1, 2, 2, 3]
    assert WORDS_PER_MINUTE == 230


def test_words_are_what_spaces_and_line_breaks_separate():
    assert count_words("") == 0 and count_words(None) == 0
    assert count_words("one") == 1
    assert count_words("one two\nthree") == 3


@pytest.mark.parametrize(
    "dek, points, body",
    [
        ("", [], ""),
        ("One two.", ["Three four five."], ""),
        (words(10), [words(60), words(70)], "A body\n\nwith *two* paragraphs."),
        ("Café déjà vu", ["naïve — résumé"], "x"),
    ],
)
def test_the_database_counts_the_same_words_as_python(dek, points, body):
    """The count stored after the brief's content changed (what list cards show)."""
    brief = BriefFactory(dek=dek, points=points, body=body)
    brief.refresh_from_db(fields=["word_count"])
    expected = count_words(dek) + count_words(body) + sum(count_words(p) for p in points)
    assert brief.word_count == expected


@given(st.lists(st.text(alphabet=st.sampled_from("ab \n"), max_size=30), min_size=1, max_size=3))
def test_any_text_is_counted_alike_in_sql_and_python(texts):
    brief = Brief.objects.first() or BriefFactory()
    for text in texts:
        Brief.objects.filter(pk=brief.pk).update(body=text)
        counted = (
            Brief.objects.filter(pk=brief.pk).annotate(n=word_count_sql("body")).values_list("n", flat=True)
        )
        assert counted.get() == count_words(text), repr(text)


def test_the_brief_page_says_how_long_it_takes_to_read(client):
    brief = BriefFactory(published=True, dek=words(30), points=[words(60)] * 4)
    assert '<span class="byline__time">2 min read</span>' in client.get(brief.get_absolute_url()).text


@pytest.mark.parametrize("where", ["home", "tag", "term"])
def test_cards_show_the_reading_time_without_loading_the_points(client, django_assert_max_num_queries, where):
    term = TermFactory(name="sparsity")
    BriefFactory(published=True, headline="Newest", tags=["theory"], terms=[term])
    BriefFactory(
        published=True, tags=["theory"], terms=[term], dek=words(10), points=[words(60)] * 2, body=words(600)
    )
    url = {"home": "/", "tag": "/tags/theory/", "term": term.get_absolute_url()}[where]
    with django_assert_max_num_queries(6):
        html = client.get(url).text
    assert "4 min read" in html
