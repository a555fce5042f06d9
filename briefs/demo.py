"""The demo newsroom: the seed page's brief, its "More briefs", their terms and demo accounts.

Loading is idempotent: every record is matched by its slug (or username) and
only written when it differs from the fixture, so a second run changes nothing.
Each brief without a hero image gets a drawn illustration; an image already
there is never replaced.
"""

import json
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from glossary.models import Term, TermAlias
from search.indexing import update_search_vector, update_term_search_vector

from .illustrations import add_illustration
from .models import Brief, BriefPoint, BriefTerm, SourceLink
from .workflow import publish_imported

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_content.json"
DEMO_PASSWORD = "briefs-demo-2026"  # noqa: S105 (published demo login, DEBUG only)
DEMO_ACCOUNTS = [
    # username, role group (None = superuser), full name
    ("admin", None, "Ada Admin"),
    ("moderator", "Moderator", "Mo Moderator"),
    ("editor", "Editor", "Eddie Editor"),
    ("contributor", "Contributor", "Cora Contributor"),
]
NEWSDESK = "newsdesk"


def _set(obj, **values):
    """Assign values; say whether anything changed."""
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    return changed


@transaction.atomic
def load_terms(data):
    by_name = {}
    for item in data["terms"]:
        term = Term.objects.filter(slug=item["slug"]).first() or Term(slug=item["slug"])
        if _set(term, name=item["name"], definition=item["definition"], status="approved") or not term.pk:
            term.save()
        for alias in item["aliases"]:
            if not TermAlias.objects.filter(name__iexact=alias).exists():
                TermAlias.objects.create(term=term, name=alias)
        by_name[item["name"]] = term
    for item in data["terms"]:
        term = by_name[item["name"]]
        wanted = {by_name[name].pk for name in item["related"]}
        missing = wanted - set(term.related_terms.values_list("pk", flat=True))
        if missing:
            term.related_terms.add(*missing)
    return {term.slug: term for term in by_name.values()}


def newsdesk_author():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=NEWSDESK, defaults={"first_name": "Newsdesk", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save()
    return user


@transaction.atomic
def load_briefs(data, terms):
    author = newsdesk_author()
    for item in data["briefs"]:
        brief = Brief.objects.filter(slug=item["slug"]).first() or Brief(slug=item["slug"], author=author)
        published_at = datetime.fromisoformat(item["published_at"])
        changed = _set(brief, headline=item["headline"], dek=item["dek"])
        if changed or not brief.pk:
            brief.save()
        # A drawn hero image (with alt text and credit) where the brief has none; renditions follow.
        add_illustration(brief)

        if list(brief.points.values_list("text", flat=True)) != item["points"]:
            brief.points.all().delete()
            BriefPoint.objects.bulk_create(
                BriefPoint(brief=brief, text=text, position=i) for i, text in enumerate(item["points"])
            )

        wanted_terms = [terms[slug].pk for slug in item["terms"]]
        if list(brief.brief_terms.values_list("term_id", flat=True)) != wanted_terms:
            brief.brief_terms.all().delete()
            BriefTerm.objects.bulk_create(
                BriefTerm(brief=brief, term_id=pk, position=i) for i, pk in enumerate(wanted_terms)
            )

        current_links = list(brief.links.values("kind", "publisher", "url", "title"))
        if current_links != item["links"]:
            brief.links.all().delete()
            SourceLink.objects.bulk_create(
                SourceLink(brief=brief, position=i, **link) for i, link in enumerate(item["links"])
            )

        if sorted(brief.tags.names()) != sorted(item["tags"]):
            brief.tags.set(item["tags"])

        # Last, once the brief is complete; a no-op when it is already live as of that time.
        publish_imported(brief, at=published_at, by=author)


@transaction.atomic
def create_demo_accounts():
    User = get_user_model()
    for username, role, full_name in DEMO_ACCOUNTS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": True,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role and not user.groups.filter(name=role).exists():
            user.groups.add(Group.objects.get(name=role))


def load_demo(fixture=FIXTURE):
    data = json.loads(Path(fixture).read_text(encoding="utf-8"))
    terms = load_terms(data)
    load_briefs(data, terms)
    refresh_search(data, terms)
    return data


def refresh_search(data, terms):
    """The demo briefs and terms are searchable as soon as they are loaded."""
    update_term_search_vector([term.pk for term in terms.values()])
    slugs = [item["slug"] for item in data["briefs"]]
    update_search_vector(Brief.objects.filter(slug__in=slugs).values_list("pk", flat=True))
