"""Turn matched text into safe HTML in which only <mark> is markup."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Private-use characters: they never reach the output, and the text they mark is escaped first.
START = "\ue000"
STOP = "\ue001"
ELLIPSIS = "…"


def from_sentinels(text):
    """Escape the whole text, then turn START/STOP into <mark> tags (PostgreSQL's ts_headline)."""
    html = escape(text or "")
    if html.count(START) != html.count(STOP):
        html = html.replace(START, "").replace(STOP, "")
    return mark_safe(html.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def highlight(text, words, *, width=240):
    """A window of `text` around the first of `words`, escaped, with every match in <mark>."""
    text = re.sub(r"\s+", " ", (text or "").replace(START, "").replace(STOP, "")).strip()
    words = sorted({w for w in words if w}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > width // 3:
        start = text.rfind(" ", 0, first.start() - width // 3) + 1
    end = len(text)
    if end - start > width:
        end = text.rfind(" ", start, start + width)
        if end <= start:
            end = start + width
    window = text[start:end]
    parts = []
    last = 0
    for match in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    html = "".join(parts)
    if start > 0:
        html = ELLIPSIS + " " + html
    if end < len(text):
        html = html + " " + ELLIPSIS
    return mark_safe(html)  # noqa: S308
