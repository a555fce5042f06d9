"""Multi-row changes are all or nothing: a crash midway (simulated by a patched call) leaves no trace."""

import io
import json
from unittest import mock

import pytest
from django.db import DatabaseError
from django.urls import reverse

from briefs import workflow
from briefs.models import Brief, BriefPoint, SourceLink, Status, Transition
from briefs.transfer import ImportRefused, import_briefs
from glossary.csvio import import_terms
from glossary.models import Term, TermAlias, TermRedirect
from glossary.services import merge_terms
from tests.briefs.test_workflow import brief_in
from tests.factories import BriefFactory, TermAliasFactory, TermFactory

pytestmark = pytest.mark.django_db


class Crash(RuntimeError):
    """The process dying midway, as far as the database can tell."""


def fail_on_call(target, attribute, n, error=Crash):
    """Patch `target.attribute` so its n-th call raises; earlier calls run the real code."""
    original = getattr(target, attribute)
    calls = []

    def wrapper(*args, **kwargs):
        calls.append(args)
        if len(calls) == n:
            raise error("crash")
        return original(*args, **kwargs)

    return mock.patch.object(target, attribute, wrapper)


def brief_state():
    return (
        list(
            Brief.objects.order_by("pk").values("pk", "slug", "headline", "status", "published_at", "version")
        ),
        list(BriefPoint.objects.order_by("pk").values_list("brief_id", "text")),
        list(SourceLink.objects.order_by("pk").values_list("brief_id", "url")),
        Transition.objects.count(),
    )


def test_publishing_that_fails_recording_the_transition_leaves_the_brief_in_review(
    contributor, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    brief = brief_in(Status.IN_REVIEW, contributor)
    before = brief_state()
    with (
        django_capture_on_commit_callbacks(execute=True),
        fail_on_call(Transition.objects, "create", 1),
        pytest.raises(Crash),
    ):
        workflow.publish(brief, by=moderator)
    assert brief_state() == before
    assert not Brief.objects.published().exists()
    assert mailoutbox == []


def test_a_bulk_publish_that_crashes_midway_publishes_none(client, contributor, moderator, mailoutbox):
    briefs = [brief_in(Status.IN_REVIEW, contributor) for _ in range(3)]
    before = brief_state()
    client.force_login(moderator)
    with fail_on_call(Transition.objects, "create", 2), pytest.raises(Crash):
        client.post(
            reverse("admin:briefs_brief_changelist"),
            {"action": "publish_selected", "_selected_action": [b.pk for b in briefs]},
        )
    assert brief_state() == before
    assert not Brief.objects.published().exists()
    assert mailoutbox == []


def test_a_bulk_action_still_reports_refusals_brief_by_brief(client, contributor, moderator):
    ready = brief_in(Status.IN_REVIEW, contributor)
    draft = brief_in(Status.DRAFT, contributor)
    client.force_login(moderator)
    response = client.post(
        reverse("admin:briefs_brief_changelist"),
        {"action": "publish_selected", "_selected_action": [ready.pk, draft.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Brief.objects.get(pk=ready.pk).status == Status.PUBLISHED
    assert Brief.objects.get(pk=draft.pk).status == Status.DRAFT


def record(n, **changes):
    return {
        "slug": f"imported-{n}",
        "headline": f"Imported brief {n}",
        "status": "draft",
        "points": [f"Point of brief {n}."],
        "links": [{"kind": "primary", "url": f"https://example.com/{n}", "publisher": "Example"}],
        **changes,
    }


@pytest.mark.parametrize("error", [Crash, DatabaseError])
def test_an_import_that_fails_on_the_third_record_writes_nothing(tmp_path, moderator, error):
    existing = BriefFactory(slug="imported-1", headline="Before the import")
    path = tmp_path / "briefs.jsonl"
    path.write_text("".join(json.dumps(record(n)) + "\n" for n in range(1, 5)))
    before = brief_state()
    import briefs.transfer as transfer

    expected = ImportRefused if error is DatabaseError else Crash
    with fail_on_call(transfer, "_write_record", 3, error), pytest.raises(expected):
        import_briefs(path, user=moderator)
    assert brief_state() == before
    assert Brief.objects.get(pk=existing.pk).headline == "Before the import"


def test_a_term_merge_that_fails_midway_changes_nothing(contributor):
    survivor, first, second = (
        TermFactory(name="LLM"),
        TermFactory(name="large LM"),
        TermFactory(name="big LM"),
    )
    TermAliasFactory(term=second, name="huge LM")
    brief = BriefFactory(author=contributor)
    brief.terms.add(first, second)

    def state():
        return (
            sorted(Term.objects.values_list("slug", flat=True)),
            sorted(TermAlias.objects.values_list("term__slug", "name")),
            sorted(brief.brief_terms.values_list("term__slug", flat=True)),
            TermRedirect.objects.count(),
        )

    before = state()
    with fail_on_call(TermRedirect.objects, "update_or_create", 2), pytest.raises(Crash):
        merge_terms(survivor, [first, second])
    assert state() == before


HEADER = "name,slug,definition,aliases,related\n"


def test_a_csv_term_import_that_fails_midway_writes_nothing():
    TermFactory(name="reward model", slug="reward-model", definition="Old definition.")
    text = (
        HEADER
        + "reward model,reward-model,Scores outputs.,RM,rlhf\n"
        + "RLHF,rlhf,Training from human preferences.,,\n"
        + "DPO,dpo,Direct preference optimisation.,,rlhf\n"
    )

    def state():
        return (
            sorted(Term.objects.values_list("slug", "definition")),
            sorted(TermAlias.objects.values_list("name", flat=True)),
        )

    before = state()
    import glossary.csvio as csvio

    with fail_on_call(csvio, "_save", 3), pytest.raises(Crash):
        import_terms(io.StringIO(text, newline=""))
    assert state() == before
    with fail_on_call(TermAlias.objects, "create", 1), pytest.raises(Crash):
        import_terms(io.StringIO(text, newline=""))
    assert state() == before
