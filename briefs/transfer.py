"""Moving briefs in and out as JSON Lines: one brief per line, every status (docs/import-export.md).

`export_briefs` writes every brief. `import_briefs` reads the same format: it checks every record
before writing anything, reports each problem as `FILE:LINE: message`, and then creates or updates
briefs by slug in one transaction, so a file with a bad record changes nothing.

Import restores recorded state, status included, and so is for people who may publish: anyone else
gets new briefs as drafts and cannot overwrite a brief that has been published.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_unicode_slug
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from briefs_cms.text import clean_line, clean_text
from glossary.models import DEFINITION_MAX_LENGTH, Term

from .models import (
    DEK_MAX_LENGTH,
    HEADLINE_MAX_LENGTH,
    MAX_POINTS,
    MIN_POINTS,
    POINT_MAX_LENGTH,
    Brief,
    BriefPoint,
    BriefTerm,
    Correction,
    LinkKind,
    SourceLink,
    Status,
    validate_web_url,
)

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
TAG_MAX_LENGTH = 100
LIMITS = {
    "publisher": SourceLink._meta.get_field("publisher").max_length,
    "title": SourceLink._meta.get_field("title").max_length,
    "url": SourceLink._meta.get_field("url").max_length,
    "alt": Brief._meta.get_field("hero_alt").max_length,
    "credit": Brief._meta.get_field("hero_credit").max_length,
    "correction": Correction._meta.get_field("text").max_length,
}
PUBLISH_PERMISSION = "briefs.publish_brief"


# Export ---------------------------------------------------------------------------------------


def _when(value):
    return value.astimezone(UTC).isoformat() if value else None


def brief_record(brief):
    """One brief as a plain dict in the transfer format."""
    terms = [brief_term.term for brief_term in brief.brief_terms.all()]
    return {
        "slug": brief.slug,
        "headline": brief.headline,
        "dek": brief.dek,
        "body": brief.body,
        "status": brief.status,
        "published_at": _when(brief.published_at),
        "first_published_at": _when(brief.first_published_at),
        "content_updated_at": _when(brief.content_updated_at),
        "author": brief.author.get_username(),
        "points": [point.text for point in brief.points.all()],
        "terms": [term.slug for term in terms],
        "term_definitions": {term.slug: {"name": term.name, "definition": term.definition} for term in terms},
        "links": [
            {"kind": link.kind, "url": link.url, "publisher": link.publisher, "title": link.title}
            for link in brief.links.all()
        ],
        "tags": sorted(tag.name for tag in brief.tags.all()),
        "image": (
            {"file": brief.hero_image.name, "alt": brief.hero_alt, "credit": brief.hero_credit}
            if brief.hero_image
            else None
        ),
        "corrections": [
            {
                "text": correction.text,
                "created_at": _when(correction.created_at),
                "created_by": correction.created_by.get_username() if correction.created_by else None,
            }
            for correction in brief.corrections.all()
        ],
    }


def briefs_for_export():
    return (
        Brief.objects.order_by("created_at", "pk")
        .select_related("author")
        .prefetch_related(
            "points",
            "links",
            "tags",
            Prefetch("brief_terms", queryset=BriefTerm.objects.select_related("term")),
            Prefetch("corrections", queryset=Correction.objects.select_related("created_by")),
        )
    )


def export_briefs(stream):
    """Write every brief, any status, as one JSON object per line; returns how many."""
    count = 0
    for brief in briefs_for_export().iterator(chunk_size=200):
        stream.write(json.dumps(brief_record(brief), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


# Import: reading and checking -----------------------------------------------------------------


class ImportRefused(Exception):
    """The file has problems; nothing was written. `problems` holds one `FILE:LINE: message` each."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s); nothing was imported.")
        self.problems = problems


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    terms_created: list = field(default_factory=list)
    made_drafts: list = field(default_factory=list)
    dry_run: bool = False


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


def read_lines(path):
    """(line number, parsed record or None, problem or None) for every non-blank line."""
    for number, raw in enumerate(Path(path).read_bytes().splitlines(), start=1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None, "not UTF-8 text"
            continue
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            yield number, None, f"bad JSON: {error.msg} (column {error.colno})"
            continue
        if not isinstance(record, dict):
            yield number, None, "each line must be one JSON object (a brief)"
            continue
        yield number, record, None


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
    unknown = sorted(set(record) - FIELDS)
    if unknown:
        problems.append(f"unknown field(s): {', '.join(unknown)}")
    for key in sorted(REQUIRED - set(record)):
        problems.append(f"{key} is missing")

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
    if "headline" in record:
        _text(record, "headline", problems, limit=HEADLINE_MAX_LENGTH, required=True)
    _text(record, "dek", problems, limit=DEK_MAX_LENGTH)
    _text(record, "body", problems)

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

    author = record.get("author")
    if author is not None and not isinstance(author, str):
        problems.append("author must be a username")
    elif author not in context.usernames and context.user is None:
        problems.append(
            f"author {author!r} has no account here; create it or import with --user to take it over"
        )

    if "points" in record:
        points = _list(record, "points", problems)
        if isinstance(record["points"], list) and not MIN_POINTS <= len(points) <= MAX_POINTS:
            problems.append(f"a brief has {MIN_POINTS} to {MAX_POINTS} points; this one has {len(points)}")
        for n, point in enumerate(points, start=1):
            if not isinstance(point, str) or not clean_line(point):
                problems.append(f"point {n} must be non-empty text")
            elif len(point) > POINT_MAX_LENGTH:
                problems.append(f"point {n} is {len(point)} characters; at most {POINT_MAX_LENGTH}")

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

    for n, tag in enumerate(_list(record, "tags", problems), start=1):
        if not isinstance(tag, str) or not clean_line(tag):
            problems.append(f"tag {n} must be non-empty text")
        elif len(tag) > TAG_MAX_LENGTH:
            problems.append(f"tag {n} is {len(tag)} characters; at most {TAG_MAX_LENGTH}")

    problems.extend(_check_image(record.get("image")))

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
    return problems


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


def build_context(records, *, user, create_terms):
    file_terms = {}
    for _, record in records:
        definitions = record.get("term_definitions")
        if isinstance(definitions, dict):
            for slug, entry in definitions.items():
                if isinstance(entry, dict):
                    file_terms.setdefault(slug, entry)
    return Context(
        user=user,
        may_publish=bool(user and user.has_perm(PUBLISH_PERMISSION)),
        create_terms=create_terms,
        existing_terms=set(Term.objects.values_list("slug", flat=True)),
        term_names={name.lower(): slug for slug, name in Term.objects.values_list("slug", "name")},
        file_terms=file_terms,
        existing_briefs=dict(Brief.objects.values_list("slug", "status")),
        usernames=set(get_user_model().objects.values_list(get_user_model().USERNAME_FIELD, flat=True)),
    )


# Import: writing ------------------------------------------------------------------------------


def import_briefs(path, *, user=None, create_terms=False, dry_run=False):
    """Check every record of the file, then create or update its briefs by slug in one transaction.

    Raises ImportRefused, listing every problem, when any record is bad; nothing is written then.
    With dry_run everything is checked and written inside a transaction that is rolled back.
    """
    name = str(path)
    problems, records, seen = [], [], {}
    for line, record, problem in read_lines(path):
        if problem:
            problems.append(f"{name}:{line}: {problem}")
        else:
            records.append((line, record))
    context = build_context(records, user=user, create_terms=create_terms)
    for line, record in records:
        slug = record.get("slug")
        if isinstance(slug, str) and slug in seen:
            problems.append(f"{name}:{line}: slug {slug!r} is already on line {seen[slug]}")
        elif isinstance(slug, str):
            seen[slug] = line
        problems.extend(f"{name}:{line}: {message}" for message in check_record(record, context))
    if problems:
        raise ImportRefused(problems)

    result = ImportResult(dry_run=dry_run)
    with transaction.atomic():
        terms = {term.slug: term for term in Term.objects.all()}
        for line, record in records:
            try:
                _write_record(record, context, terms, result)
            except (DatabaseError, ValidationError) as error:
                raise ImportRefused([f"{name}:{line}: the database refused this record: {error}"]) from error
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write_record(record, context, terms, result):
    User = get_user_model()
    slug = record["slug"]
    brief = Brief.objects.filter(slug=slug).first()
    (result.updated if brief else result.created).append(slug)
    brief = brief or Brief(slug=slug)

    author = record.get("author")
    if author in context.usernames:
        brief.author = User.objects.get_by_natural_key(author)
    elif not brief.author_id:
        brief.author = context.user

    status = record["status"]
    dates = {key: parse_when(record[key]) if record.get(key) else None for key in DATE_FIELDS}
    if not context.may_publish and status != Status.DRAFT:
        result.made_drafts.append(slug)
        status, dates = Status.DRAFT, dict.fromkeys(DATE_FIELDS)

    brief.headline = record["headline"]
    brief.dek = record.get("dek") or ""
    brief.body = record.get("body") or ""
    brief.status = status
    brief.published_at = dates["published_at"]
    brief.first_published_at = dates["first_published_at"]
    brief.content_updated_at = dates["content_updated_at"]
    image = record.get("image")
    brief.hero_image = image["file"] if image else ""
    brief.hero_alt = image["alt"] if image else ""
    brief.hero_credit = image["credit"] if image else ""
    if image:
        Brief._meta.get_field("hero_image").update_dimension_fields(brief, force=True)
    else:
        brief.hero_width = brief.hero_height = None
    brief.save()

    brief.points.all().delete()
    BriefPoint.objects.bulk_create(
        BriefPoint(brief=brief, text=clean_line(text), position=n) for n, text in enumerate(record["points"])
    )

    brief.brief_terms.all().delete()
    for n, term_slug in enumerate(record.get("terms", [])):
        if term_slug not in terms:
            entry = context.file_terms[term_slug]
            terms[term_slug] = Term.objects.create(
                slug=term_slug, name=entry["name"], definition=clean_text(entry["definition"])
            )
            result.terms_created.append(term_slug)
        BriefTerm.objects.create(brief=brief, term=terms[term_slug], position=n)

    brief.links.all().delete()
    for n, link in enumerate(record.get("links", [])):
        SourceLink.objects.create(
            brief=brief,
            kind=link.get("kind", LinkKind.PRIMARY),
            url=link["url"],
            publisher=link["publisher"],
            title=link.get("title") or "",
            position=n,
        )

    brief.tags.set([clean_line(tag) for tag in record.get("tags", [])])

    brief.corrections.all().delete()
    for correction in record.get("corrections", []):
        by = correction.get("created_by")
        Correction.objects.create(
            brief=brief,
            text=correction["text"],
            created_at=parse_when(correction["created_at"]),
            created_by=User.objects.get_by_natural_key(by) if by in context.usernames else None,
        )
