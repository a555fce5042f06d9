"""The briefs app's models, one module per concern, all importable from here.

- `brief`: the Brief itself and the limits of its text;
- `publication`: what readers may see (`published_q`, `listed_q`) and the brief queryset;
- `choices`: the fixed values the models store (workflow status, link kinds, rendition formats);
- `content`: what a brief is made of besides its own fields: points, terms, links, corrections;
- `newsroom`: the work on a brief: workflow steps, pending changes, locks, notes, share links, and
  the admin's lists of briefs;
- `renditions`: the resized copies of hero images.

The callables below are named by migrations by their dotted path (`briefs.models.hero_image_path`,
upload locations, defaults, a validator), and Django writes that path from where a function is
defined: they are defined here, so the path stays the same, and the model modules import them.
"""

import datetime as dt
import uuid
from pathlib import PurePath

import reversion
from django.conf import settings
from django.core.validators import URLValidator
from django.utils import timezone
from taggit.models import TaggedItem

SHARE_LINK_LIFETIME = dt.timedelta(days=7)


def incoming_image_path(instance, filename):
    """Where an upload waits, unserved, until the background has checked and re-encoded it."""
    return f"incoming/{uuid.uuid4().hex}{PurePath(hero_image_path(instance, filename)).suffix}"


def hero_image_path(instance, filename):
    """Store uploads under a generated name: nothing the uploader typed reaches the path."""
    suffix = PurePath(filename).suffix.lower()
    if suffix not in {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif"}:
        suffix = ".img"
    now = timezone.now()
    return f"heroes/{now:%Y/%m}/{uuid.uuid4().hex}{suffix}"


def validate_web_url(value):
    """Only absolute http(s) addresses with a host: no javascript:, data:, file: or //host tricks."""
    URLValidator(
        schemes=["http", "https"], message="Enter a full web address starting with https:// or http://."
    )(value)


def lock_expiry():
    return timezone.now() + dt.timedelta(minutes=getattr(settings, "BRIEF_LOCK_MINUTES", 30))


def share_link_expiry():
    return timezone.now() + SHARE_LINK_LIFETIME


# The model modules import the callables above, so they come after them. Their names sort in the
# order the models have always been declared in: that is the app's model order, which backups and
# new content types follow.
from .brief import (  # noqa: E402
    BODY_MAX_LENGTH,
    DEK_MAX_LENGTH,
    HEADLINE_MAX_LENGTH,
    MAX_POINTS,
    MIN_POINTS,
    POINT_MAX_LENGTH,
    Brief,
)
from .choices import LinkKind, RenditionFormat, RenditionPurpose, Status  # noqa: E402
from .content import BriefPoint, BriefTerm, Correction, SourceLink  # noqa: E402
from .newsroom import (  # noqa: E402
    OPEN_PENDING,
    BriefLock,
    ModerationQueue,
    MyBrief,
    PendingChange,
    PendingStatus,
    ShareLink,
    StaffNote,
    Transition,
)
from .publication import BriefQuerySet, listed_q, published_q  # noqa: E402
from .renditions import HeroRendition  # noqa: E402

__all__ = [
    "BODY_MAX_LENGTH",
    "DEK_MAX_LENGTH",
    "HEADLINE_MAX_LENGTH",
    "MAX_POINTS",
    "MIN_POINTS",
    "OPEN_PENDING",
    "POINT_MAX_LENGTH",
    "SHARE_LINK_LIFETIME",
    "Brief",
    "BriefLock",
    "BriefPoint",
    "BriefQuerySet",
    "BriefTerm",
    "Correction",
    "HeroRendition",
    "LinkKind",
    "ModerationQueue",
    "MyBrief",
    "PendingChange",
    "PendingStatus",
    "RenditionFormat",
    "RenditionPurpose",
    "ShareLink",
    "SourceLink",
    "StaffNote",
    "Status",
    "Transition",
    "hero_image_path",
    "incoming_image_path",
    "listed_q",
    "lock_expiry",
    "published_q",
    "share_link_expiry",
    "validate_web_url",
]

# Revisions keep a brief with everything an editor changes on its form.
reversion.register(BriefPoint)
reversion.register(SourceLink)
reversion.register(BriefTerm)
reversion.register(TaggedItem)
reversion.register(Brief, follow=["points", "links", "brief_terms", "tagged_items"])
