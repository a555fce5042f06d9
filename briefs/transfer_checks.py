"""Checking one record of a brief transfer file (format: docs/import-export.md).

`check_record` returns every problem with a record as a message; it never raises, whatever JSON it
is given, so an import can report all problems of a file at once.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_unicode_slug
from django.utils import timezone

from core.text import clean_line
from glossary.models import DEFINITION_MAX_LENGTH, Term

from .models import (
    DEK_MAX_LENGTH,
    HEADLINE_MAX_LENGTH,
    MAX_POINTS,
    MIN_POINTS,
    POINT_MAX_LENGTH,
    Brief,
    Correction,
    LinkKind,
    SourceLink,
    Status,
    validate_web_url,
)
from .tagging import MAX_TAGS_PER_BRIEF, TAG_MAX_LENGTH

FIELDS = {
    "slug",
    "headline",
    "dek",
    "body",
    "status",
    "published_at",
    "first_published_at",
    "content_updated_at",
    "author",
    "points",
    "terms",
    "term_definitions",
    "links",
    "tags",
    "image",
    "corrections",
}
REQUIRED = {"slug", "headline", "status", "points"}
DATE_FIELDS = ("published_at", "first_published_at", "content_updated_at")
LINK_FIELDS = {"kind", "url", "publisher", "title"}
IMAGE_FIELDS = {"file", "alt", "credit"}
CORRECTION_FIELDS = {"text", "created_at", "created_by"}
SLUG_MAX_LENGTH = Brief._meta.get_field("slug").max_length
TERM_NAME_MAX_LENGTH = Term._meta.get_field("name").max_length
LIMITS = {
    "publisher": SourceLink._meta.get_field("publisher").max_length,
    "title": SourceLink._meta.get_field("title").max_length,
    "url": SourceLink._meta.get_field("url").max_length,
    "alt": Brief._meta.get_field("hero_alt").max_length,
    "credit": Brief._meta.get_field("hero_credit").max_length,
    "correction": Correction._meta.get_field("text").max_length,
}
PUBLISH_PERMISSION = "briefs.publish_brief"


@dataclass
class Context:
    """What checking a record needs to know about the database and the whole file."""

    user: object
    may_publish: bool
    create_terms: bool
    existing_terms: set
    term_names: dict  # lower-cased name -> slug, for every existing term
    file_terms: dict  # slug -> {"name", "definition"} gathered from every record
    existing_briefs: dict  # slug -> status
    usernames: set


def parse_when(value):
    """An ISO-8601 date-time as an aware datetime (UTC when no offset is given); ValueError if bad."""
    if not isinstance(value, str):
        raise ValueError
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def _text(record, key, problems, *, limit=None, required=False):
    value = record.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f"{key} must be text")
        return
    if required and not value.strip():
        problems.append(f"{key} is missing")
    if limit and len(value) > limit:
        problems.append(f"{key} is {len(value):,} characters; at most {limit:,}")


def _list(record, key, problems):
    value = record.get(key, [])
    if not isinstance(value, list):
        problems.append(f"{key} must be a list")
        return []
    return value


def check_record(record, context):
    """Every problem with one record, as messages; an empty list means it can be imported."""
    problems = []
    for check in (
        _check_fields,
        _check_slug,
        _check_texts,
        _check_status,
        _check_author,
        _check_points,
        _check_terms,
        _check_links,
        _check_tags,
        _check_corrections,
    ):
        check(record, context, problems)
    problems.extend(_check_image(record.get("image")))
    return problems


def _check_fields(record, context, problems):
    """Fields the format does not know, and required ones that are missing."""
    unknown = sorted(set(record) - FIELDS)
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")
    for key in sorted(REQUIRED - set(record)):
        problems.append(f"{key} is missing")


def _check_slug(record, context, problems):
    """The address: the same rules as the admin's slug field."""
    slug = record.get("slug")
    if "slug" in record:
        if not isinstance(slug, str) or not slug:
            problems.append("slug must be non-empty text")
        else:
            try:
                validate_unicode_slug(slug)
            except ValidationError:
                problems.append(f"slug {slug!r} may hold only letters, numbers, hyphens and underscores")
            if len(slug) > SLUG_MAX_LENGTH:
                problems.append(f"slug is {len(slug)} characters; at most {SLUG_MAX_LENGTH}")


def _check_texts(record, context, problems):
    """Headline, summary and body within their limits."""
    if "headline" in record:
        _text(record, "headline", problems, limit=HEADLINE_MAX_LENGTH, required=True)
    _text(record, "dek", problems, limit=DEK_MAX_LENGTH)
    _text(record, "body", problems)


def _check_status(record, context, problems):
    """A known status, dates that parse, and no overwriting a live brief without the right."""
    slug = record.get("slug")
    status = record.get("status")
    if "status" in record and status not in Status.values:
        problems.append(f"unknown status {status!r}; use one of {', '.join(Status.values)}")
    for key in DATE_FIELDS:
        if record.get(key) is not None:
            try:
                parse_when(record[key])
            except ValueError:
                problems.append(f"{key} {record[key]!r} is not an ISO-8601 date-time")
    if status == Status.PUBLISHED and not record.get("published_at"):
        problems.append("a published brief needs published_at")
    if isinstance(slug, str) and not context.may_publish:
        current = context.existing_briefs.get(slug)
        if current in (Status.PUBLISHED, Status.ARCHIVED):
            problems.append(f"brief {slug!r} is {current}; only someone who may publish can overwrite it")


def _check_author(record, context, problems):
    """An author who has an account here, or --user to take the brief over."""
    author = record.get("author")
    if author is not None and not isinstance(author, str):
        problems.append("author must be a username")
    elif author is None and context.user is None:
        problems.append("author is missing; name one or import with --user to make the brief theirs")
    elif author is not None and author not in context.usernames and context.user is None:
        problems.append(
            f"author {author!r} has no account here; create it or import with --user to take it over"
        )


def _check_points(record, context, problems):
    """One to ten points of non-empty text within the limit."""
    if "points" in record:
        points = _list(record, "points", problems)
        if isinstance(record["points"], list) and not MIN_POINTS <= len(points) <= MAX_POINTS:
            problems.append(f"a brief has {MIN_POINTS} to {MAX_POINTS} points; this one has {len(points)}")
        for n, point in enumerate(points, start=1):
            if not isinstance(point, str) or not clean_line(point):
                problems.append(f"point {n} must be non-empty text")
            elif len(point) > POINT_MAX_LENGTH:
                problems.append(f"point {n} is {len(point)} characters; at most {POINT_MAX_LENGTH}")


def _check_terms(record, context, problems):
    """Terms that exist, or new ones defined in the file when --create-terms allows it."""
    definitions = record.get("term_definitions", {})
    if not isinstance(definitions, dict):
        problems.append("term_definitions must be an object keyed by term slug")
    for n, term in enumerate(_list(record, "terms", problems), start=1):
        if not isinstance(term, str):
            problems.append(f"term {n} must be a term slug")
        elif term not in context.existing_terms:
            if not context.create_terms:
                problems.append(f"unknown term {term!r}; import with --create-terms to add it")
            elif term not in context.file_terms:
                problems.append(f"term {term!r} is new and needs a name and definition in term_definitions")
    if isinstance(definitions, dict):
        problems.extend(_check_definitions(definitions, context))


def _check_links(record, context, problems):
    """Links of a known kind with a web address, and one primary at most."""
    primaries = 0
    for n, link in enumerate(_list(record, "links", problems), start=1):
        if not isinstance(link, dict):
            problems.append(f"link {n} must be an object")
            continue
        if set(link) - LINK_FIELDS:
            problems.append(f"link {n}: unknown field(s): {', '.join(sorted(set(link) - LINK_FIELDS))}")
        if link.get("kind", LinkKind.PRIMARY) not in LinkKind.values:
            problems.append(
                f"link {n}: unknown kind {link.get('kind')!r}; use one of {', '.join(LinkKind.values)}"
            )
        primaries += link.get("kind", LinkKind.PRIMARY) == LinkKind.PRIMARY
        url = link.get("url")
        try:
            if not isinstance(url, str):
                raise ValidationError("missing")
            validate_web_url(url)
        except ValidationError:
            problems.append(f"link {n}: bad URL {url!r}; use a full address starting with https://")
        if isinstance(url, str) and len(url) > LIMITS["url"]:
            problems.append(f"link {n}: URL is {len(url):,} characters; at most {LIMITS['url']:,}")
        for key in ("publisher", "title"):
            sub = []
            _text(link, key, sub, limit=LIMITS[key], required=key == "publisher")
            problems.extend(f"link {n}: {message}" for message in sub)
    if primaries > 1:
        problems.append(f"a brief has one primary link; this one has {primaries}")


def _check_tags(record, context, problems):
    """At most the tags a brief may have, each non-empty and within the limit."""
    tags = _list(record, "tags", problems)
    if len(tags) > MAX_TAGS_PER_BRIEF:
        problems.append(f"{len(tags)} tags; a brief has at most {MAX_TAGS_PER_BRIEF}")
    for n, tag in enumerate(tags, start=1):
        if not isinstance(tag, str) or not clean_line(tag):
            problems.append(f"tag {n} must be non-empty text")
        elif len(tag) > TAG_MAX_LENGTH:
            problems.append(f"tag {n} is {len(tag)} characters; at most {TAG_MAX_LENGTH}")


def _check_corrections(record, context, problems):
    """Corrections with a text and a date."""
    for n, correction in enumerate(_list(record, "corrections", problems), start=1):
        if not isinstance(correction, dict):
            problems.append(f"correction {n} must be an object")
            continue
        extra = set(correction) - CORRECTION_FIELDS
        if extra:
            problems.append(f"correction {n}: unknown field(s): {', '.join(sorted(extra))}")
        sub = []
        _text(correction, "text", sub, limit=LIMITS["correction"], required=True)
        problems.extend(f"correction {n}: {message}" for message in sub)
        try:
            parse_when(correction.get("created_at"))
        except ValueError:
            problems.append(f"correction {n}: created_at {correction.get('created_at')!r} is not a date-time")


def _check_definitions(definitions, context):
    problems = []
    for slug, entry in definitions.items():
        if not isinstance(entry, dict) or set(entry) != {"name", "definition"}:
            problems.append(f"term_definitions[{slug!r}] must have exactly a name and a definition")
            continue
        name, definition = entry["name"], entry["definition"]
        if not isinstance(name, str) or not clean_line(name) or len(name) > TERM_NAME_MAX_LENGTH:
            problems.append(
                f"term_definitions[{slug!r}]: name must be 1 to {TERM_NAME_MAX_LENGTH} characters"
            )
        if (
            not isinstance(definition, str)
            or not definition.strip()
            or len(definition) > DEFINITION_MAX_LENGTH
        ):
            problems.append(
                f"term_definitions[{slug!r}]: definition must be 1 to {DEFINITION_MAX_LENGTH:,} characters"
            )
        if context.create_terms and slug not in context.existing_terms and isinstance(name, str):
            taken = context.term_names.get(clean_line(name).lower())
            if taken and taken != slug:
                problems.append(
                    f"term_definitions[{slug!r}]: the name {name!r} is already used by term {taken!r}"
                )
    return problems


def _check_image(image):
    if image is None:
        return []
    if not isinstance(image, dict) or set(image) != IMAGE_FIELDS:
        return ["image must be null or have exactly file, alt and credit"]
    problems = []
    name = image["file"]
    path = PurePosixPath(name) if isinstance(name, str) else None
    if path is None or not name or path.is_absolute() or ".." in path.parts:
        problems.append(f"image file {name!r} must be a path inside the media folder")
    elif not default_storage.exists(name):
        problems.append(f"image file {name!r} is not in the media folder; copy the media files first")
    for key in ("alt", "credit"):
        sub = []
        _text(image, key, sub, limit=LIMITS[key], required=True)
        problems.extend(f"image {message}" for message in sub)
    return problems
