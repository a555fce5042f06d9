import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from taggit.models import Tag

from briefs.models import Brief, Correction, LinkKind, SourceLink, Status
from briefs.transfer import ImportRefused, brief_record, briefs_for_export, import_briefs
from briefs.transfer_checks import FIELDS, Context, check_record
from glossary.models import Term
from tests.factories import BriefFactory, TermFactory, UserFactory, image_file

pytestmark = pytest.mark.django_db


def canonical_dump():
    """Every imported row in a comparable form: no surrogate ids, auto timestamps or version counters."""
    briefs = []
    for brief in Brief.objects.order_by("slug"):
        briefs.append(
            {
                **{
                    name: getattr(brief, name)
                    for name in (
                        "slug",
                        "headline",
                        "dek",
                        "body",
                        "status",
                        "published_at",
                        "first_published_at",
                        "content_updated_at",
                        "hero_alt",
                        "hero_credit",
                        "hero_width",
                        "hero_height",
                    )
                },  # fmt: skip
                "hero_image": brief.hero_image.name,
                "author": brief.author.username,
                "points": list(brief.points.values_list("text", flat=True)),
                "terms": list(brief.brief_terms.values_list("term__slug", flat=True)),
                "links": list(brief.links.values("kind", "url", "publisher", "title")),
                "tags": sorted(brief.tags.names()),
                "corrections": list(brief.corrections.values("text", "created_at", "created_by__username")),
            }
        )
    return {
        "briefs": briefs,
        "terms": list(Term.objects.order_by("slug").values("slug", "name", "definition")),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
    }


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def publisher(moderator):
    return moderator


@pytest.fixture
def newsroom(publisher):
    """Briefs in every status, with every optional part used somewhere."""
    writer = UserFactory(username="writer")
    now = timezone.now().replace(microsecond=123456)
    theory, scaling = TermFactory(name="learning mechanics"), TermFactory(name="scaling laws")
    rich = BriefFactory(
        published=True,
        author=writer,
        headline="Café theory of “deep learning”",
        dek="A summary\nover two lines.",
        body="Some **Markdown** with a [link](https://example.com).\n\n- one\n- two",
        points=["First", "Second", "Third"],
        terms=[scaling, theory],
        tags=["Theory", "safety"],
        hero_image=image_file(size=(80, 60)),
        hero_alt="A chart",
        hero_credit="Lab photo",
        published_at=now - dt.timedelta(days=3),
        first_published_at=now - dt.timedelta(days=4),
        content_updated_at=now - dt.timedelta(days=1),
    )
    SourceLink.objects.create(
        brief=rich, kind=LinkKind.PAPER, url="https://arxiv.org/abs/1234", publisher="arXiv", title="Paper"
    )
    Correction.objects.create(brief=rich, text="Fixed a name.", created_at=now, created_by=publisher)
    Correction.objects.create(brief=rich, text="Older note.", created_at=now - dt.timedelta(days=2))
    BriefFactory(author=writer, headline="A draft", terms=[theory], primary_link=False)
    BriefFactory(author=writer, status=Status.IN_REVIEW, tags=["safety"])
    BriefFactory(author=publisher, scheduled=True)
    BriefFactory(author=publisher, status=Status.ARCHIVED, published_at=now - dt.timedelta(days=30))
    return rich


def write_lines(path, *records):
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records), encoding="utf-8"
    )
    return path


def good_record(**changes):
    record = {
        "slug": "a-good-brief",
        "headline": "A good brief",
        "status": "draft",
        "author": "mo",
        "points": ["One point."],
        "links": [{"kind": "primary", "url": "https://example.com/story", "publisher": "Example"}],
    }
    record.update(changes)
    return {key: value for key, value in record.items() if value is not ...}


def wipe_content():
    Brief.objects.all().delete()
    Term.objects.all().delete()
    Tag.objects.all().delete()


def test_export_then_import_into_an_empty_database_reproduces_the_content_exactly(newsroom, tmp_path):
    before = canonical_dump()
    out = tmp_path / "briefs.jsonl"
    call_command("export_briefs", str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5

    wipe_content()
    assert Brief.objects.count() == Term.objects.count() == Tag.objects.count() == 0
    call_command("import_briefs", str(out), "--create-terms", "--user", "mo")

    assert canonical_dump() == before


def test_reimporting_updates_by_slug_and_never_duplicates(newsroom, tmp_path):
    out = tmp_path / "briefs.jsonl"
    call_command("export_briefs", str(out))
    before = canonical_dump()
    for _ in range(2):
        call_command("import_briefs", str(out), "--user", "mo")
    assert canonical_dump() == before
    assert Brief.objects.count() == 5


def test_an_edited_record_updates_the_existing_brief(newsroom, tmp_path, publisher):
    record = brief_record(briefs_for_export().get(pk=newsroom.pk))
    record.update(headline="A new headline", points=["Only point"], tags=["theory"], links=[])
    result = import_briefs(write_lines(tmp_path / "one.jsonl", record), user=publisher)
    assert result.updated == [newsroom.slug] and result.created == []
    newsroom.refresh_from_db()
    assert newsroom.headline == "A new headline"
    assert list(newsroom.points.values_list("text", flat=True)) == ["Only point"]
    assert list(newsroom.tags.names()) == ["Theory"]  # tag names ignore case
    assert not newsroom.links.exists()


def test_dry_run_checks_everything_and_writes_nothing(newsroom, tmp_path):
    out = tmp_path / "briefs.jsonl"
    call_command("export_briefs", str(out))
    wipe_content()
    call_command("import_briefs", str(out), "--create-terms", "--user", "mo", "--dry-run")
    assert Brief.objects.count() == Term.objects.count() == 0


def test_import_by_someone_who_may_not_publish_brings_briefs_in_as_drafts(tmp_path, editor):
    when = "2026-01-02T03:04:05+00:00"
    path = write_lines(tmp_path / "in.jsonl", good_record(status="published", published_at=when))
    result = import_briefs(path, user=editor)
    brief = Brief.objects.get(slug="a-good-brief")
    assert brief.status == Status.DRAFT and brief.published_at is None
    assert result.made_drafts == ["a-good-brief"]


def test_import_without_a_user_brings_briefs_in_as_drafts(tmp_path, moderator):
    path = write_lines(tmp_path / "in.jsonl", good_record(status="published", published_at="2026-01-02"))
    import_briefs(path)
    assert Brief.objects.get(slug="a-good-brief").status == Status.DRAFT


def test_someone_who_may_not_publish_cannot_overwrite_a_published_brief(tmp_path, editor):
    live = BriefFactory(published=True, headline="Live")
    path = write_lines(tmp_path / "in.jsonl", good_record(slug=live.slug, headline="Replaced"))
    with pytest.raises(ImportRefused) as refused:
        import_briefs(path, user=editor)
    assert "is published; only someone who may publish can overwrite it" in refused.value.problems[0]
    live.refresh_from_db()
    assert live.headline == "Live"


def test_a_publisher_keeps_statuses_and_dates(tmp_path, moderator):
    when = "2026-01-02T03:04:05+00:00"
    path = write_lines(tmp_path / "in.jsonl", good_record(status="published", published_at=when))
    import_briefs(path, user=moderator)
    brief = Brief.objects.get(slug="a-good-brief")
    assert brief.status == Status.PUBLISHED
    assert brief.published_at == dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def test_an_unknown_author_becomes_the_importing_users_brief(tmp_path, moderator):
    import_briefs(write_lines(tmp_path / "in.jsonl", good_record(author="gone")), user=moderator)
    assert Brief.objects.get(slug="a-good-brief").author == moderator


def test_missing_terms_are_an_error_unless_told_to_create_them(tmp_path, moderator):
    record = good_record(
        terms=["new-term"], term_definitions={"new-term": {"name": "New", "definition": "Means."}}
    )
    path = write_lines(tmp_path / "in.jsonl", record)
    with pytest.raises(ImportRefused) as refused:
        import_briefs(path, user=moderator)
    assert refused.value.problems == [
        f"{path}:1: unknown term 'new-term'; import with --create-terms to add it"
    ]
    result = import_briefs(path, user=moderator, create_terms=True)
    assert result.terms_created == ["new-term"]
    assert Term.objects.get(slug="new-term").definition == "Means."


def test_creating_a_term_needs_its_definition_in_the_file(tmp_path, moderator):
    path = write_lines(tmp_path / "in.jsonl", good_record(terms=["undefined"]))
    with pytest.raises(ImportRefused) as refused:
        import_briefs(path, user=moderator, create_terms=True)
    assert (
        "term 'undefined' is new and needs a name and definition in term_definitions"
        in (refused.value.problems[0])
    )


BAD_RECORDS = [
    (good_record(headline=...), "headline is missing"),
    (good_record(headline="   "), "headline is missing"),
    (good_record(headline="x" * 201), "headline is 201 characters; at most 200"),
    (good_record(slug="has spaces"), "may hold only letters, numbers, hyphens and underscores"),
    (good_record(slug=...), "slug is missing"),
    (good_record(status="live"), "unknown status 'live'"),
    (good_record(status="published"), "a published brief needs published_at"),
    (good_record(published_at="yesterday"), "published_at 'yesterday' is not an ISO-8601 date-time"),
    (good_record(points=[]), "a brief has 1 to 10 points; this one has 0"),
    (good_record(points=[f"p{n}" for n in range(11)]), "a brief has 1 to 10 points; this one has 11"),
    (good_record(points=["x" * 401]), "point 1 is 401 characters; at most 400"),
    (good_record(dek="x" * 1201), "dek is 1,201 characters; at most 1,200"),
    (
        good_record(links=[{"kind": "primary", "url": "javascript:alert(1)", "publisher": "X"}]),
        "link 1: bad URL 'javascript:alert(1)'",
    ),
    (
        good_record(links=[{"kind": "blog", "url": "https://example.com", "publisher": "X"}]),
        "link 1: unknown kind 'blog'",
    ),
    (good_record(links=[{"url": "https://example.com"}]), "link 1: publisher is missing"),
    (
        good_record(
            links=[
                {"url": "https://a.example", "publisher": "A"},
                {"url": "https://b.example", "publisher": "B"},
            ]
        ),
        "a brief has one primary link; this one has 2",
    ),
    (good_record(tags=["x" * 101]), "tag 1 is 101 characters; at most 100"),
    (good_record(image={"file": "../../etc/passwd", "alt": "a", "credit": "b"}), "must be a path inside"),
    (
        good_record(image={"file": "heroes/missing.png", "alt": "a", "credit": "b"}),
        "is not in the media folder",
    ),
    (good_record(corrections=[{"text": "x", "created_at": "soon"}]), "correction 1: created_at 'soon'"),
    (good_record(colour="blue"), "unknown field(s): colour"),
    ("{not json", "bad JSON"),
    ("[1, 2]", "each line must be one JSON object"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_RECORDS, ids=[message for _, message in BAD_RECORDS])
def test_a_bad_record_is_reported_with_its_line_and_nothing_is_written(tmp_path, moderator, bad, message):
    path = write_lines(tmp_path / "in.jsonl", good_record(slug="fine"), "", bad)
    with pytest.raises(ImportRefused) as refused:
        import_briefs(path, user=moderator)
    assert any(p.startswith(f"{path}:3: ") and message in p for p in refused.value.problems), (
        refused.value.problems
    )
    assert not Brief.objects.exists()


def test_every_problem_in_the_file_is_reported_at_once(tmp_path, moderator, capsys):
    path = write_lines(
        tmp_path / "in.jsonl",
        good_record(headline=..., status="live"),
        good_record(slug="second", points=[]),
        good_record(slug="second"),
    )
    with pytest.raises(CommandError, match="4 problem"):
        call_command("import_briefs", str(path), "--user", "mo")
    assert capsys.readouterr().err.splitlines() == [
        f"{path}:1: headline is missing",
        f"{path}:1: unknown status 'live'; use one of "
        "draft, in_review, changes_requested, published, archived",
        f"{path}:2: a brief has 1 to 10 points; this one has 0",
        f"{path}:3: slug 'second' is already on line 2",
    ]
    assert not Brief.objects.exists()


def test_an_unknown_importing_user_is_refused(tmp_path, db):
    path = write_lines(tmp_path / "in.jsonl", good_record())
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        call_command("import_briefs", str(path), "--user", "nobody")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@given(record=st.dictionaries(st.sampled_from(sorted(FIELDS)) | st.text(max_size=8), JSON, max_size=8))
@settings(max_examples=200, deadline=None)
def test_checking_any_json_object_reports_problems_instead_of_crashing(record):
    context = Context(
        user=None,
        may_publish=False,
        create_terms=True,
        existing_terms={"known"},
        term_names={"known": "known"},
        file_terms={},
        existing_briefs={},
        usernames={"mo"},
    )
    problems = check_record(record, context)
    assert all(isinstance(problem, str) for problem in problems)
    assert problems  # no random object is a valid brief: it lacks a slug, headline, status or points


def test_without_a_user_every_author_must_have_an_account_here(tmp_path, moderator):
    path = write_lines(tmp_path / "in.jsonl", good_record(author="gone"), good_record(slug="b", author=None))
    with pytest.raises(ImportRefused) as refused:
        import_briefs(path)
    assert refused.value.problems == [
        f"{path}:1: author 'gone' has no account here; create it or import with --user to take it over",
        f"{path}:2: author is missing; name one or import with --user to make the brief theirs",
    ]
