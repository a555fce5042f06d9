"""Absolute addresses for mails (mails are read outside the site, so every link is absolute)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse

from . import tokens


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def unsubscribe_url(subscriber):
    token = tokens.personal_token(subscriber, tokens.UNSUBSCRIBE)
    return absolute(reverse("newsletter:unsubscribe", args=[token]))


def manage_url(subscriber):
    token = tokens.personal_token(subscriber, tokens.MANAGE)
    return absolute(reverse("newsletter:manage", args=[token]))


def confirm_url(subscriber):
    return absolute(reverse("newsletter:confirm", args=[tokens.confirm_token(subscriber)]))


def site_domain():
    return urlsplit(settings.SITE_URL).hostname or "localhost"
