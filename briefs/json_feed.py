"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) beside every RSS and Atom feed.

`JSONFeed(SomeFeed)` answers with the same briefs, titles, links and item content as the
syndication feed class it is given (site-wide, per tag, per term), so the three formats can
never disagree on what a feed holds.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from core.site import absolute_url

from . import social_cards

VERSION = "https://jsonfeed.org/version/1.1"
CONTENT_TYPE = "application/feed+json; charset=utf-8"


def _rfc3339(moment):
    return moment.isoformat() if moment else None


class JSONFeed:
    """A view: the JSON Feed of what `feed_class` (a django.contrib.syndication Feed) lists."""

    def __init__(self, feed_class):
        self.feed = feed_class()

    def _value(self, name, obj):
        """A feed attribute, a method of the feed's object (a tag, a term) or of nothing."""
        value = getattr(self.feed, name)
        if not callable(value):
            return value
        return value() if obj is None else value(obj)

    def __call__(self, request, *args, **kwargs):
        return require_safe(self.respond)(request, *args, **kwargs)

    def respond(self, request, *args, **kwargs):
        obj = self.feed.get_object(request, *args, **kwargs)
        data = {
            "version": VERSION,
            "title": self._value("title", obj),
            "home_page_url": self._value("link", obj),
            "feed_url": absolute_url(request.path),
            "description": self._value("description", obj),
            "language": "en",
            "items": [self.item(brief) for brief in self._value("items", obj)],
        }
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
        return HttpResponse(body, content_type=CONTENT_TYPE)

    def item(self, brief):
        feed = self.feed
        url = feed.item_link(brief)
        item = {
            "id": url,
            "url": url,
            "title": feed.item_title(brief),
            "content_html": str(feed.item_description(brief)),
            "date_published": _rfc3339(feed.item_pubdate(brief)),
            "date_modified": _rfc3339(feed.item_updateddate(brief)),
            "authors": [{"name": feed.item_author_name(brief)}],
            "tags": feed.item_categories(brief),
        }
        if brief.dek:
            item["summary"] = brief.dek
        link = brief.primary_link
        if link:
            item["external_url"] = link.url
        if brief.hero_image:
            item["image"] = absolute_url(brief.hero_image.url)
        else:
            item["image"] = social_cards.og_image(brief, list(brief.points.all()))["url"]
        return item
