"""Moving briefs in and out as JSON Lines: one brief per line, every status (docs/import-export.md).

`export_briefs` writes every brief. `import_briefs` reads the same format: it checks every record
before writing anything, reports each problem as `FILE:LINE: message`, and then creates or updates
briefs by slug in one transaction, so a file with a bad record changes nothing.

Checking a record lives in transfer_checks.py. Import restores recorded state, status included,
and so is for people who may publish: anyone else gets new briefs as drafts and cannot overwrite a
brief that has been published.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.images import get_image_dimensions
from django.db import DatabaseError, transaction
from django.db.models import Prefetch

from core import changes
from core.text import clean_line, clean_text
from glossary.models import Term

from . import sourcing
from .models import Brief, BriefPoint, BriefTerm, Correction, LinkKind, SourceLink, Status
from .transfer_checks import DATE_FIELDS, Context, check_record, parse_when
from .workflow import set_imported_state

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
        slugs = result.created + result.updated
        brief_ids = list(Brief.objects.filter(slug__in=slugs).values_list("pk", flat=True))
        changes.record_many(
            {
                changes.BRIEF_CONTENT: brief_ids,
                changes.HERO_IMAGE: brief_ids,
                changes.TERMS: [terms[slug].pk for slug in result.terms_created],
            }
        )
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
    image = record.get("image")
    brief.hero_image = image["file"] if image else ""
    brief.hero_alt = image["alt"] if image else ""
    brief.hero_credit = image["credit"] if image else ""
    if image:
        brief.hero_width, brief.hero_height = get_image_dimensions(brief.hero_image)
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
            outlet=sourcing.outlet_for(link["url"], link["publisher"]),
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

    # Last, so the recorded "updated" date wins over the one the corrections just moved.
    set_imported_state(
        brief,
        status=status,
        published_at=dates["published_at"],
        first_published_at=dates["first_published_at"],
        content_updated_at=dates["content_updated_at"],
        by=context.user,
    )
