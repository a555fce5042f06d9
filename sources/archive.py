"""Archived copies: the Wayback Machine's address for a URL.

`https://web.archive.org/web/<url>` opens the newest snapshot the Internet Archive holds, so it
can be proposed without asking the archive anything; the editor opens it before using it.
"""

from urllib.parse import urlsplit

WAYBACK_PREFIX = "https://web.archive.org/web/"


def wayback_url(url: str) -> str:
    """The Wayback Machine's address for an http(s) URL ("" for anything else)."""
    url = (url or "").strip()
    if urlsplit(url).scheme.lower() not in {"http", "https"}:
        return ""
    if is_archive_url(url):
        return url
    return WAYBACK_PREFIX + url.split("#", 1)[0]


def is_archive_url(url: str) -> bool:
    host = (urlsplit((url or "").strip()).hostname or "").lower()
    return host in {"web.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is"}
