"""Text hygiene shared by every model: what editors type is cleaned the same way everywhere."""

import re
import unicodedata

from django.utils.text import slugify

# C0/C1 control characters (except tab/newline), zero-width characters and
# bidirectional overrides: invisible in the admin, yet able to disguise a
# headline or a slug ("Trojan Source").
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_SPACES = re.compile(r"\s+")


def strip_invisible(value: str) -> str:
    return _INVISIBLE.sub("", value)


def clean_line(value: str) -> str:
    """One line of visible text: NFC-normalised, invisible characters removed, spaces collapsed."""
    if value is None:
        return value
    value = unicodedata.normalize("NFC", strip_invisible(value))
    return _SPACES.sub(" ", value).strip()


def clean_text(value: str) -> str:
    """Multi-line text: like clean_line but keeps line breaks and paragraphs."""
    if value is None:
        return value
    value = unicodedata.normalize("NFC", strip_invisible(value)).replace("\r\n", "\n")
    lines = [re.sub(r"[ \t]+", " ", line).rstrip() for line in value.split("\n")]
    return "\n".join(lines).strip()


def make_slug(text: str, max_length: int = 80, fallback: str = "item") -> str:
    """An ASCII slug that reads well in a URL, cut at a word boundary.

    Accented Latin letters are transliterated ("Café" -> "cafe"). Text with no
    Latin letters at all (e.g. a headline in Japanese) keeps its Unicode letters
    so the slug still says something; only when nothing usable is left does the
    fallback word stand in.
    """
    text = clean_line(text or "")
    slug = slugify(text)
    if not slug:
        slug = slugify(text, allow_unicode=True)
    if len(slug) > max_length:
        cut = slug[:max_length]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug.strip("-") or fallback


_TRAILING = " \t\n,;:.-–—(«“‘"


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters of `text`, cut at a word boundary and ended with "…".

    Text that fits is returned whole. The cut falls at the last space before the limit (never in
    the middle of a word) and drops the punctuation left dangling there; one word longer than
    the limit is the only thing ever cut inside.
    """
    text = (text or "").strip()
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    if not text[len(cut)].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"))
        if space > 0:
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "…"
