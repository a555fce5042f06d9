"""Small helpers shared by the reader-site tests."""

import datetime as dt
import json
import re

import html5lib
from django.utils import timezone

from briefs.models import Brief, Status

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def publish_now(brief):
    """Make a brief live as a moderator's publish would, without going through the admin."""
    now = timezone.now() - dt.timedelta(minutes=1)
    Brief.objects.filter(pk=brief.pk).update(status=Status.PUBLISHED, published_at=now, first_published_at=now)
    brief.refresh_from_db()
    return brief


def json_ld(html):
    """Every JSON-LD block on the page, parsed."""
    return [json.loads(block) for block in JSON_LD.findall(html)]


def assert_valid_html(html):
    """Parse with html5lib's strict parser: any HTML5 parse error fails the test."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html)
