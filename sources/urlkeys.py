"""How a URL is named in the check history, and how hosts and domains are compared.

Two spellings of one address (`HTTPS://Example.org:443/a#top` and `https://example.org/a`) are
the same link: the scheme and host are lower-cased, the default port and the fragment dropped.
The path and query are kept exactly, since servers may treat them case-sensitively.
"""

import hashlib
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidURL(ValueError):
    """Not an address the checker can name or fetch; the message is for editors."""


def idna_host(host: str) -> str:
    """The ASCII (punycode) form of a host name, lower-cased, without a trailing dot."""
    host = (host or "").strip().rstrip(".").lower()
    if not host:
        raise InvalidURL("The address has no host name.")
    if host.startswith("[") or ":" in host:
        return host.strip("[]")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise InvalidURL(f"“{host}” is not a valid host name.") from exc


def normalize_url(url: str) -> str:
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidURL("The address is malformed (check the port and brackets).") from exc
    scheme = parts.scheme.lower()
    if not scheme or not parts.hostname:
        raise InvalidURL("Enter a full address starting with https://.")
    host = idna_host(parts.hostname)
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None or port == DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def canonical_url(url: str) -> str:
    """The normalised URL, or the text as given when it cannot be parsed (checked, and refused, as is)."""
    try:
        return normalize_url(url)
    except InvalidURL:
        return (url or "").strip()


def url_hash(url: str) -> str:
    """The unique key of a URL in the history: SHA-256 of its canonical form (URLs run to 2,000+ chars)."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()


def host_key(url: str) -> str:
    """The politeness unit: one request at a time per host (host:port when the port is not the default)."""
    return urlsplit(normalize_url(url)).netloc


def normalize_domain(text: str) -> str:
    """A domain as an outlet registers it: host name only, ASCII form, no `www.`.

    Editors may paste a whole address; its host is taken.
    """
    text = (text or "").strip()
    if "://" in text:
        text = urlsplit(text).hostname or ""
    text = text.split("/", 1)[0]
    host = idna_host(text)
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    if len(labels) < 2 or not all(labels) or any(len(label) > 63 for label in labels) or len(host) > 253:
        raise InvalidURL(f"“{text}” is not a domain such as example.org.")
    if not all(label.replace("-", "").isalnum() and label.isascii() for label in labels):
        raise InvalidURL(f"“{text}” is not a domain such as example.org.")
    return host


def host_candidates(url: str) -> list[str]:
    """The domains that could own a link's host: itself and each parent with at least two labels."""
    host = idna_host(urlsplit((url or "").strip()).hostname or "")
    if host.startswith("www."):
        host = host[4:]
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
