"""Tag names as editors type them, normalised so "Café" and "cafe\u0301" are one tag."""

from taggit.utils import _parse_tags

from core.text import clean_line


def normalise_tag(name: str) -> str:
    return clean_line(name)[:100]


def parse_tags(tagstring):
    """taggit's comma/quote parsing, then our text hygiene; duplicates ignoring case dropped."""
    seen, tags = set(), []
    for name in _parse_tags(tagstring or ""):
        name = normalise_tag(name)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            tags.append(name)
    return sorted(tags, key=str.casefold)
