"""Tag names as editors type them, normalised so "Café" and "cafe\u0301" are one tag."""

from django.core.exceptions import ValidationError
from taggit.utils import _parse_tags

from core.text import clean_line

TAG_MAX_LENGTH = 100  # taggit's column
MAX_TAGS_PER_BRIEF = 12


def normalise_tag(name: str) -> str:
    return clean_line(name)


def parse_tags(tagstring):
    """taggit's comma/quote parsing, then our text hygiene; duplicates ignoring case dropped."""
    seen, tags = set(), []
    for name in _parse_tags(tagstring or ""):
        name = normalise_tag(name)
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            tags.append(name)
    return sorted(tags, key=str.casefold)


def check_tags(names):
    """Refuse, in words, a tag list a reader could not use: too many tags, or a tag too long to store."""
    problems = []
    for name in names:
        if len(name) > TAG_MAX_LENGTH:
            problems.append(
                f"The tag “{name[:40]}…” is {len(name)} characters long; a tag has at most "
                f"{TAG_MAX_LENGTH}. Shorten it (nothing was saved)."
            )
    if len(names) > MAX_TAGS_PER_BRIEF:
        problems.append(
            f"This brief has {len(names)} tags; a brief has at most {MAX_TAGS_PER_BRIEF}, so readers can "
            "still tell what it is about. Keep the most telling ones (nothing was saved)."
        )
    if problems:
        raise ValidationError(problems, code="tags")
