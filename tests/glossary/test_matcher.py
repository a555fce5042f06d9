import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import services
from glossary.matcher import (
    SharedIndex,
    TermIndex,
    build_glossary_index,
    find_terms,
    glossary_index,
    normalise,
)
from tests.factories import TermAliasFactory, TermFactory

GLOSSARY = [
    ("transformer", 1),
    ("AI", 2),
    ("deep learning", 3),
    ("deep learning theory", 4),
    ("fine-tuning", 5),
    ("policy", 6),
    ("bias", 7),
    ("Café au lait", 8),
    ("нейронная сеть", 9),
    ("機械学習", 10),
    ("GPT-4", 11),
    ("C++", 12),
    ("learning mechanics", 13),
    ("ﬁnetuned model", 14),
    ("straße", 15),
]
INDEX = TermIndex(GLOSSARY)


def found(text, index=INDEX):
    return [(m.text, m.term_id) for m in index.find(text)]


def test_matching_ignores_case():
    assert found("Transformers and TRANSFORMER") == [("Transformers", 1), ("TRANSFORMER", 1)]


def test_only_whole_words_match():
    assert found("She said the paint was fair") == []
    assert found("AI, said Ada; (AI)") == [("AI", 2), ("AI", 2)]


def test_simple_plurals_match_the_singular_term():
    assert found("transformers, policies and biases") == [
        ("transformers", 1),
        ("policies", 6),
        ("biases", 7),
    ]
    assert found("transformerss policys") == []


def test_hyphen_and_space_variants_match():
    assert found("fine tuning, fine-tuning, Fine–Tuning and fine  tuning") == [
        ("fine tuning", 5),
        ("fine-tuning", 5),
        ("Fine–Tuning", 5),
        ("fine  tuning", 5),
    ]
    assert found("deep-learning") == [("deep-learning", 3)]


def test_longest_match_wins_on_overlap():
    assert found("A deep learning theory of deep learning") == [
        ("deep learning theory", 4),
        ("deep learning", 3),
    ]


def test_accents_and_composed_forms_match():
    decomposed = "cafe\u0301 au lait"
    assert found("Un CAFÉ AU LAIT") == [("CAFÉ AU LAIT", 8)]
    assert found(decomposed) == [(decomposed, 8)]


def test_non_latin_scripts_match():
    assert found("Это нейронная сеть.") == [("нейронная сеть", 9)]
    assert found("Нейронная Сеть") == [("Нейронная Сеть", 9)]
    # Japanese has no spaces between words: a term is found inside a sentence.
    assert found("これは機械学習です") == [("機械学習", 10)]


def test_casefold_and_compatibility_forms_match():
    assert found("STRASSE") == [("STRASSE", 15)]
    assert found("a finetuned model") == [("finetuned model", 14)]


def test_offsets_point_into_the_original_text():
    text = "Zwei STRASSE und cafe\u0301 au lait, fine  tuning."
    for match in INDEX.find(text):
        assert text[match.start : match.end] == match.text


def test_punctuation_inside_names_matches():
    assert found("GPT-4 and C++ code") == [("GPT-4", 11), ("C++", 12)]


def test_nothing_inside_urls():
    text = "See https://example.com/transformer and www.ai.org/deep-learning for AI."
    assert found(text) == [("AI", 2)]


def test_nothing_inside_inline_code():
    assert found("Run `transformer()` or <code>AI</code> or ``deep learning``, not AI") == [("AI", 2)]
    assert found("<pre>transformer\nAI</pre> AI") == [("AI", 2)]


def test_nothing_inside_existing_links():
    assert found('<a href="/x">the transformer</a> transformer') == [("transformer", 1)]
    assert found("[a transformer](https://x.org/y) transformer") == [("transformer", 1)]
    assert found('<span title="AI">text</span>') == []


def test_a_term_name_beats_another_terms_plural():
    index = TermIndex([("model", 1), ("models", 2)])
    assert found("models", index) == [("models", 2)]


def test_empty_glossary_and_text():
    assert TermIndex([]).find("anything") == []
    assert INDEX.find("") == []


def test_normalise_folds_case_dashes_and_spaces():
    assert normalise("  Fine\u2011Tuning\u00a0Run ") == "fine tuning run"


# Properties ---------------------------------------------------------------

WORDS = ["transformer", "ai", "deep", "learning", "theory", "fine", "tuning", "said", "policy", "x"]
text_strategy = st.lists(
    st.one_of(
        st.sampled_from(WORDS + ["Transformers", "AI", "-", "  ", ", ", "policies", "é", "`", "<a>", "</a>"]),
        st.text(max_size=3),
    ),
    max_size=40,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_matches_never_overlap(text):
    matches = INDEX.find(text)
    for before, after in zip(matches, matches[1:], strict=False):
        assert before.end <= after.start


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_every_match_is_a_whole_word_occurrence_of_a_term(text):
    names = {name: term_id for name, term_id in GLOSSARY}
    for match in INDEX.find(text):
        assert text[match.start : match.end] == match.text
        before = text[match.start - 1] if match.start else " "
        after = text[match.end] if match.end < len(text) else " "
        assert not re.match(r"\w", before) and not re.match(r"\w", after)
        folded = normalise(match.text)
        singulars = {folded, folded[:-1], folded[:-2], folded[:-3] + "y"}
        assert any(normalise(name) in singulars and names[name] == match.term_id for name in names)


@settings(max_examples=200, deadline=None)
@given(text_strategy)
def test_results_are_identical_on_repeated_runs(text):
    assert INDEX.find(text) == INDEX.find(text) == TermIndex(GLOSSARY).find(text)


# The glossary-wide index -------------------------------------------------


@pytest.mark.django_db
def test_glossary_index_finds_names_and_aliases():
    term = TermFactory(name="large language model")
    TermAliasFactory(term=term, name="LLM")
    assert [m.term_id for m in find_terms("LLMs are large language models")] == [term.pk, term.pk]


@pytest.mark.django_db
def test_index_is_reused_while_the_glossary_is_unchanged():
    TermFactory(name="reward model")
    assert glossary_index() is glossary_index()


@pytest.mark.django_db
def test_every_process_rebuilds_its_index_when_a_term_changes(moderator):
    """Two SharedIndex objects stand for two processes sharing Django's cache."""
    builds = []

    def counting_build():
        builds.append(1)
        return build_glossary_index()

    web, worker = SharedIndex(counting_build), SharedIndex(counting_build)
    term = TermFactory(name="sparse autoencoder")
    assert [m.term_id for m in web.get().find("a sparse autoencoder")] == [term.pk]
    assert [m.term_id for m in worker.get().find("a sparse autoencoder")] == [term.pk]
    web.get(), worker.get()
    assert len(builds) == 2

    term.name = "dictionary learning"
    services.save_term(term, by=moderator)  # in the "web" process
    assert worker.get().find("a sparse autoencoder") == []
    assert [m.term_id for m in worker.get().find("dictionary learning")] == [term.pk]
    alias = TermAliasFactory(term=term, name="SAE")
    assert [m.term_id for m in web.get().find("an SAE")] == [term.pk]
    services.remove_alias(alias)
    assert web.get().find("an SAE") == []
    assert len(builds) == 5  # once per process per version it used
