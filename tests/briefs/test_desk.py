"""The desk on the admin index: each role sees what needs them, with counts that match the
filtered lists they link to, in a number of queries that does not grow with the archive."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from briefs import desk, workflow
from briefs.models import Brief, PendingChange, PendingStatus, Status, Transition
from glossary.models import Term, TermStatus
from tests.factories import BriefFactory, TermFactory, UserFactory

pytestmark = pytest.mark.django_db


def lists_of(user):
    found = desk.desk_for(user)
    every = [*found.contributor, *found.moderator, *found.editor]
    if found.broken_links:
        every.append(found.broken_links)
    return {item.key: item for item in every}


def headlines(desk_list):
    return [getattr(item, "headline", None) or str(item) for item in desk_list.items]


def test_a_contributor_sees_their_drafts_and_the_moderators_note(contributor, other_contributor, moderator):
    BriefFactory(headline="My draft", author=contributor)
    BriefFactory(headline="Someone else's draft", author=other_contributor)
    sent_back = BriefFactory(headline="Sent back", author=contributor, in_review=True)
    workflow.request_changes(sent_back, by=moderator, note="Cite the paper's second table.")
    lists = lists_of(contributor)
    assert set(lists) == {"drafts", "changes-requested"}
    assert headlines(lists["drafts"]) == ["My draft"] and lists["drafts"].count == 1
    (item,) = lists["changes-requested"].items
    assert item.headline == "Sent back" and item.request_note == "Cite the paper's second table."
    assert item.request_by_first == moderator.first_name


def test_a_moderator_sees_review_assignments_schedule_publication_pending_changes_and_expiry(
    moderator, contributor, superuser
):
    now = timezone.now()
    older = BriefFactory(headline="Older in review", in_review=True, submitted_at=now - dt.timedelta(days=3))
    BriefFactory(headline="Newer in review", in_review=True, submitted_at=now - dt.timedelta(hours=2))
    workflow.assign(older, by=superuser, to=moderator, due=timezone.localdate() - dt.timedelta(days=3))
    BriefFactory(headline="Goes live Friday", scheduled=True, published_at=now + dt.timedelta(days=3))
    BriefFactory(headline="Goes live next month", scheduled=True, published_at=now + dt.timedelta(days=30))
    BriefFactory(headline="Out yesterday", published=True, published_at=now - dt.timedelta(days=1))
    BriefFactory(headline="Out last month", published=True, published_at=now - dt.timedelta(days=40))
    leaving = BriefFactory(headline="Leaving soon", published=True, published_at=now - dt.timedelta(days=30))
    Brief.objects.filter(pk=leaving.pk).update(expire_at=now + dt.timedelta(days=2))
    live = BriefFactory(
        headline="Live with changes", published=True, published_at=now - dt.timedelta(days=60)
    )
    PendingChange.objects.create(
        brief=live, status=PendingStatus.IN_REVIEW, snapshot={}, created_by=contributor,
        updated_by=contributor, submitted_at=now,
    )  # fmt: skip
    lists = lists_of(moderator)
    assert headlines(lists["awaiting-review"]) == ["Older in review", "Newer in review"]
    assert headlines(lists["assigned"]) == ["Older in review"]
    assert headlines(lists["scheduled"]) == ["Goes live Friday"]
    assert "Out yesterday" in headlines(lists["published"]) and "Out last month" not in headlines(
        lists["published"]
    )
    assert headlines(lists["expiring"]) == ["Leaving soon"]
    assert [change.brief.headline for change in lists["pending-changes"].items] == ["Live with changes"]


def test_an_editor_sees_terms_awaiting_approval_and_briefs_they_worked_on(editor, contributor):
    TermFactory(name="draft term", status=TermStatus.DRAFT)
    TermFactory(name="approved term")
    Term.objects.filter(name="approved term").update(pending_definition="A better wording.")
    TermFactory(name="settled term")
    touched = BriefFactory(headline="Edited by the editor", author=contributor, in_review=True)
    Transition.objects.create(
        brief=touched, action="assign", from_status=Status.IN_REVIEW, to_status=Status.IN_REVIEW, by=editor
    )
    BriefFactory(headline="Never touched", author=contributor)
    lists = lists_of(editor)
    assert "awaiting-review" not in lists  # editors do not publish
    assert sorted(t.name for t in lists["terms"].items) == ["approved term", "draft term"]
    assert headlines(lists["touched"]) == ["Edited by the editor"]


LINKED = [
    ("drafts", "contributor"),
    ("changes-requested", "contributor"),
    ("awaiting-review", "moderator"),
    ("assigned", "moderator"),
    ("scheduled", "moderator"),
    ("published", "moderator"),
    ("expiring", "moderator"),
    ("pending-changes", "moderator"),
    ("terms", "editor"),
    ("touched", "editor"),
]


@pytest.mark.parametrize(("key", "role"), LINKED)
def test_each_count_is_the_length_of_the_list_it_links_to(request, client, key, role):
    user = request.getfixturevalue(role)
    populate(20, author=user, moderator=user)
    desk_list = lists_of(user)[key]
    assert desk_list.count > 0
    client.force_login(user)
    response = client.get(desk_list.url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == desk_list.count, desk_list.url


def test_the_index_shows_the_desk_and_keeps_the_model_list(client, moderator):
    BriefFactory(headline="Waiting for me", in_review=True)
    client.force_login(moderator)
    page = client.get(reverse("admin:index")).text
    assert "Awaiting review" in page and "Waiting for me" in page
    assert 'id="all-sections"' in page and reverse("admin:briefs_moderationqueue_changelist") in page
    assert "Times are newsroom time (UTC)" in page


def test_a_contributor_desk_has_no_review_lists(client, contributor):
    client.force_login(contributor)
    page = client.get(reverse("admin:index")).text
    assert "Your drafts" in page and "Awaiting review" not in page and "Moderation queue" not in page


def populate(n, *, author, moderator):
    """`n` briefs of every kind the desk lists, and as many terms waiting, in a few statements."""
    now = timezone.now()
    kinds = [
        {"status": Status.DRAFT},
        {"status": Status.CHANGES_REQUESTED},
        {"status": Status.IN_REVIEW, "submitted_at": now, "assignee": moderator, "review_due": now.date()},
        {"status": Status.PUBLISHED, "published_at": now + dt.timedelta(days=2)},
        {"status": Status.PUBLISHED, "published_at": now - dt.timedelta(days=1)},
        {
            "status": Status.PUBLISHED,
            "published_at": now - dt.timedelta(days=30),
            "expire_at": now + dt.timedelta(days=2),
        },
        {"status": Status.PUBLISHED, "published_at": now - dt.timedelta(days=60)},
    ]
    start = Brief.objects.count()
    briefs = Brief.objects.bulk_create(
        Brief(
            headline=f"Bulk brief {start + i}",
            slug=f"bulk-brief-{start + i}",
            author=author,
            **kinds[i % len(kinds)],
        )
        for i in range(n)
    )
    briefs = list(Brief.objects.filter(slug__startswith="bulk-brief-"))
    Transition.objects.bulk_create(
        Transition(brief=b, action="request_changes", from_status=Status.IN_REVIEW, to_status=b.status,
                   by=moderator, note="Please fix the second point.")
        for b in briefs
    )  # fmt: skip
    live = [b for b in briefs if b.status == Status.PUBLISHED and b.expire_at is None and b.is_published]
    PendingChange.objects.bulk_create(
        PendingChange(brief=b, status=PendingStatus.IN_REVIEW, snapshot={}, created_by=author,
                      updated_by=author, submitted_at=now)
        for b in live
    )  # fmt: skip
    Term.objects.bulk_create(
        Term(name=f"bulk term {start + i}", slug=f"bulk-term-{start + i}", definition="Waits.")
        for i in range(n)
    )


DESK_BUDGET = 24


@pytest.mark.parametrize("n", [1, 1000])
def test_the_desk_reads_a_fixed_number_of_queries_from_1_to_1000_briefs(
    client, superuser, django_assert_max_num_queries, n
):
    populate(n, author=superuser, moderator=superuser)
    client.force_login(superuser)
    client.get(reverse("admin:index"))  # sessions, content types: warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    print(f"desk with {n} briefs: {len(queries)} queries")
    with django_assert_max_num_queries(DESK_BUDGET):
        client.get(reverse("admin:index"))


QUEUE_BUDGET = 12


@pytest.mark.parametrize("n", [1, 1000])
def test_the_queue_reads_a_fixed_number_of_queries_from_1_to_1000_briefs(
    client, moderator, django_assert_max_num_queries, n
):
    populate(n, author=UserFactory(), moderator=moderator)
    client.force_login(moderator)
    url = reverse("admin:briefs_moderationqueue_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    print(f"queue with {n} briefs: {len(queries)} queries")
    with django_assert_max_num_queries(QUEUE_BUDGET):
        client.get(url)


def test_a_moderator_sees_the_broken_source_links_of_live_briefs(client, moderator):
    from sources.models import LinkState
    from sources.urlkeys import canonical_url, url_hash

    live = BriefFactory(headline="Its source is gone", published=True)
    url = live.links.get().url
    LinkState.objects.update_or_create(
        url_hash=url_hash(url), defaults={"url": canonical_url(url), "state": LinkState.State.BROKEN}
    )
    card = lists_of(moderator)["broken-links"]
    assert card.count == 1 and card.items[0].brief == live
    client.force_login(moderator)
    assert client.get(card.url).context["cl"].result_count == 1
    assert "Its source is gone" in client.get(reverse("admin:index")).text
