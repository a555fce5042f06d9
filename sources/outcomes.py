from django.db import models


class Outcome(models.TextChoices):
    """What one check found. Values are words: they are stored and read in the admin."""

    OK = "ok", "Answered"
    HTTP_ERROR = "http_error", "Error status"
    REDIRECT_LOOP = "redirect_loop", "Redirect loop"
    TOO_MANY_REDIRECTS = "too_many_redirects", "Too many redirects"
    DNS_ERROR = "dns_error", "Name does not resolve"
    REFUSED = "refused", "Connection refused"
    CONNECT_TIMEOUT = "connect_timeout", "Connection timed out"
    READ_TIMEOUT = "read_timeout", "Answer timed out"
    CONNECTION_ERROR = "connection_error", "Connection failed"
    TLS_ERROR = "tls_error", "Certificate or TLS error"
    BLOCKED = "blocked", "Refused: not a public address"
    UNSUPPORTED_SCHEME = "unsupported_scheme", "Not an http(s) link"
    INVALID_URL = "invalid_url", "Malformed address"
