"""CSV import and export of the glossary: name, slug, definition, aliases (;-separated), related (slugs).

An import checks every row first and writes nothing unless all are good; a row whose slug
exists updates that term instead of adding another. Exported cells that a spreadsheet would
run as a formula are prefixed with an apostrophe; the import takes that prefix off again.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import changes
from core.text import clean_line, clean_text, make_slug

from . import services
from .models import Term, TermAlias, TermRevision, TermStatus

COLUMNS = ["name", "slug", "definition", "aliases", "related"]
REQUIRED = {"name", "definition"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"


def neutralise(value: str) -> str:
    """Make a cell inert in spreadsheets: a leading =, +, -, @, tab or CR gets an apostrophe."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def restore(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def export_terms(out, terms=None) -> int:
    """Write `terms` (all by default) as CSV to the text stream `out`; returns the number of rows."""
    terms = (terms if terms is not None else Term.objects.all()).prefetch_related("aliases", "related_terms")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for term in terms.order_by("slug"):
        aliases = LIST_SEPARATOR.join(alias.name for alias in term.aliases.all())
        related = LIST_SEPARATOR.join(sorted(other.slug for other in term.related_terms.all()))
        writer.writerow(
            [neutralise(cell) for cell in (term.name, term.slug, term.definition, aliases, related)]
        )
        count += 1
    return count


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, message)

    @property
    def ok(self):
        return not self.errors


@dataclass
class _Row:
    line: int
    name: str
    slug: str
    definition: str
    aliases: list
    related: list
    term: Term | None = None


def _split(cell):
    return [clean_line(part) for part in cell.split(LIST_SEPARATOR) if clean_line(part)]


def _read(stream, report):
    try:
        reader = csv.DictReader(stream)
        header = [clean_line(h or "").lower() for h in (reader.fieldnames or [])]
        missing = REQUIRED - set(header)
        if missing:
            report.errors.append((1, f"The header row needs the columns: {', '.join(COLUMNS)}."))
            return []
        reader.fieldnames = header
        rows, line = [], reader.line_num + 1
        for record in reader:
            if None in record:
                report.errors.append((line, "This row has more cells than the header."))
            cells = {key: restore(value or "") for key, value in record.items() if key in COLUMNS}
            rows.append(
                _Row(
                    line=line,
                    name=clean_line(cells.get("name", "")),
                    slug=clean_line(cells.get("slug", "")),
                    definition=clean_text(cells.get("definition", "")),
                    aliases=_split(cells.get("aliases", "")),
                    related=_split(cells.get("related", "")),
                )
            )
            line = reader.line_num + 1
        return rows
    except (csv.Error, UnicodeDecodeError) as error:
        report.errors.append((getattr(reader, "line_num", 0) or 1, f"The file is not readable CSV: {error}"))
        return []


def _validate(rows, report):
    by_slug = {t.slug: t for t in Term.objects.filter(slug__in=[r.slug for r in rows if r.slug])}
    file_slugs, file_names, file_aliases = {}, {}, {}
    for row in rows:
        errors = []
        if not row.name:
            errors.append("the name is empty")
        if row.slug and make_slug(row.slug, max_length=140, fallback="") != row.slug:
            errors.append(f"“{row.slug}” is not a valid slug (letters, numbers and hyphens)")
        row.term = by_slug.get(row.slug) if row.slug else None
        if row.term is None and row.name and not row.slug:
            row.term = Term.objects.filter(name__iexact=row.name).first()
        key = row.term.slug if row.term else row.slug or make_slug(row.name, max_length=120, fallback="term")
        if key in file_slugs:
            errors.append(f"the slug “{key}” is also on line {file_slugs[key]}")
        file_slugs.setdefault(key, row.line)
        if row.name.lower() in file_names:
            errors.append(f"the name “{row.name}” is also on line {file_names[row.name.lower()]}")
        file_names.setdefault(row.name.lower(), row.line)
        candidate = row.term or Term(slug=row.slug)
        candidate = Term(
            pk=candidate.pk, slug=candidate.slug or key, name=row.name, definition=row.definition
        )
        try:
            candidate.full_clean(exclude=["id", "slug"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors.extend(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
        clash = Term.objects.filter(name__iexact=row.name).exclude(pk=candidate.pk).first()
        if row.name and clash and clash.slug not in [r.slug for r in rows if r is not row]:
            errors.append(f"the name “{row.name}” belongs to the term “{clash.slug}”")
        for alias in row.aliases:
            owner = file_aliases.get(alias.lower())
            if owner:
                errors.append(f"the alias “{alias}” is also on line {owner}")
            file_aliases.setdefault(alias.lower(), row.line)
            if alias.lower() == row.name.lower():
                errors.append(f"the alias “{alias}” is the term's own name")
        report.errors.extend((row.line, msg) for msg in errors)

    names = {row.name.lower(): row for row in rows}
    slugs_in_file = {row.term.slug if row.term else row.slug for row in rows}
    known_slugs = set(
        Term.objects.filter(slug__in=[s for r in rows for s in r.related]).values_list("slug", flat=True)
    )
    for row in rows:
        own_pk = row.term.pk if row.term else None
        for alias in row.aliases:
            other_row = names.get(alias.lower())
            if other_row and other_row is not row:
                report.errors.append((row.line, f"the alias “{alias}” is the name on line {other_row.line}"))
                continue
            taken = (
                TermAlias.objects.filter(name__iexact=alias).exclude(term_id=own_pk).select_related("term")
            )
            for existing in taken:
                if existing.term.slug not in slugs_in_file:
                    report.errors.append((row.line, f"the alias “{alias}” belongs to “{existing.term.slug}”"))
            named = Term.objects.filter(name__iexact=alias).exclude(pk=own_pk).first()
            if named and named.slug not in slugs_in_file:
                report.errors.append(
                    (row.line, f"the alias “{alias}” is the name of the term “{named.slug}”")
                )
        for slug in row.related:
            if slug == (row.term.slug if row.term else row.slug):
                report.errors.append((row.line, "a term cannot be related to itself"))
            elif slug not in known_slugs and slug not in slugs_in_file:
                report.errors.append((row.line, f"the related term “{slug}” does not exist"))
    report.errors.sort(key=lambda error: error[0])


def _save(row, by):
    term = row.term or Term(slug=row.slug)
    is_new = term.pk is None
    old_definition = term.definition
    term.name, term.definition = row.name, row.definition
    if by is not None:
        services.save_term(term, by=by)
    else:
        # The command line is trusted like a moderator: imported definitions are approved.
        term.status = TermStatus.APPROVED
        term.save()
        if is_new or old_definition != term.definition:
            TermRevision.objects.create(term=term, text=term.definition, approved_at=timezone.now())
    row.term = term
    return is_new


def import_terms(stream, *, by=None) -> ImportReport:
    """Read CSV text from `stream`; with errors, nothing is written and every bad row is reported.

    `by` is the person importing (their permissions decide drafts and proposals, as in the
    admin); `None` means the command line, whose definitions are approved.
    """
    report = ImportReport()
    rows = _read(stream, report)
    if not rows and not report.errors:
        report.errors.append((1, "The file has no term rows."))
    if report.errors:
        return report
    _validate(rows, report)
    if report.errors:
        return report
    with transaction.atomic():
        for row in rows:
            if _save(row, by):
                report.created += 1
            else:
                report.updated += 1
        # Aliases after every name is saved, so one may move from one term to another.
        for row in rows:
            wanted = {alias.lower(): alias for alias in row.aliases}
            row.term.aliases.exclude(name__in=list(wanted.values())).delete()
        for row in rows:
            present = {a.lower() for a in row.term.aliases.values_list("name", flat=True)}
            for key, alias in {alias.lower(): alias for alias in row.aliases}.items():
                if key not in present:
                    TermAlias.objects.filter(name__iexact=alias).delete()
                    TermAlias.objects.create(term=row.term, name=alias)
        slugs = {t.slug: t for t in Term.objects.filter(slug__in={s for r in rows for s in r.related})}
        for row in rows:  # the file is the truth for the related terms of the terms it lists
            row.term.related_terms.clear()
        for row in rows:
            row.term.related_terms.add(*[slugs[slug] for slug in row.related])
        changes.record(changes.TERMS, [row.term.pk for row in rows])
    return report


def import_terms_from_bytes(data: bytes, *, by=None) -> ImportReport:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ImportReport(errors=[(1, "The file is not UTF-8 text; save it as “CSV UTF-8”.")])
    return import_terms(io.StringIO(text, newline=""), by=by)
