from search.backends import MAX_QUERY_LENGTH, normalize_query, parse_query


def test_words_phrases_exclusions_and_or_groups():
    parsed = parse_query('deep "learning mechanics" -physics or theory,')
    assert parsed.groups == [["deep", "learning mechanics"], ["theory"]]
    assert parsed.excluded == ["physics"]


def test_punctuation_only_leaves_nothing_to_search():
    assert parse_query("!!! ... ---").groups == []


def test_normalize_drops_control_and_bidi_characters_and_cuts_length():
    assert normalize_query("  learn\x00ing \u202e ") == "learning"
    assert len(normalize_query("x" * 5000)) == MAX_QUERY_LENGTH
    assert normalize_query(None) == ""
