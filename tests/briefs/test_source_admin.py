"""The newsroom and a brief's sources: the outlet suggested for a pasted link, the source status of
briefs, and the moderators' fixes for broken links, each tried by every role with a direct request."""

import pytest
from django.urls import reverse
from reversion.models import Version

from briefs import pending, snapshots, sourcing
from briefs.models import LinkKind, PendingChange, SourceLink, Status
from briefs.workflow import WorkflowError
from sources.models import LinkState, Outlet, OutletDomain
from sources.urlkeys import canonical_url, url_hash
from tests.briefs.admin_forms import admin_form_data
from tests.factories import BriefFactory, SourceLinkFactory

pytestmark = pytest.mark.django_db

FORUM_URL = "https://www.alignmentforum.org/posts/example"  # BriefFactory's primary link
ROLES = ["anonymous", "contributor", "editor", "moderator", "superuser"]


@pytest.fixture
def forum():
    outlet = Outlet.objects.create(
        name="AI Alignment Forum", slug="ai-alignment-forum", home_page="https://www.alignmentforum.org/"
    )
    OutletDomain.objects.create(outlet=outlet, domain="alignmentforum.org")
    return outlet


def as_role(request, client, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


def set_state(url, state, **fields):
    LinkState.objects.update_or_create(
        url_hash=url_hash(url), defaults={"url": canonical_url(url), "state": state, **fields}
    )


def change_url(brief):
    return reverse("admin:briefs_brief_change", args=[brief.pk])


def sources_url(brief):
    return reverse("admin:briefs_brief_sources", args=[brief.pk])


def link_rows(data):
    return sorted({key.split("-")[1] for key in data if key.startswith("links-") and key[6].isdigit()})


class TestOutletSuggestion:
    def test_a_pasted_link_gets_the_outlet_of_its_domain(self, client, editor, forum):
        client.force_login(editor)
        answer = client.get(
            reverse("admin:briefs_brief_suggest_outlet"), {"url": "https://forum.alignmentforum.org/posts/x"}
        ).json()
        assert answer == {
            "outlet": {"id": forum.pk, "name": "AI Alignment Forum"},
            "domain": "forum.alignmentforum.org",
        }

    def test_an_unknown_domain_gets_no_suggestion(self, client, contributor, forum):
        client.force_login(contributor)
        answer = client.get(
            reverse("admin:briefs_brief_suggest_outlet"), {"url": "https://new.example/a"}
        ).json()
        assert answer == {"outlet": None, "domain": "new.example"}

    def test_the_suggestion_is_for_the_newsroom_only(self, client, forum):
        response = client.get(reverse("admin:briefs_brief_suggest_outlet"), {"url": FORUM_URL})
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_the_inline_loads_the_suggestion_script_from_a_file(self, client, editor):
        client.force_login(editor)
        page = client.get(reverse("admin:briefs_brief_add")).content.decode()
        assert "briefs/admin/outlet-suggest.js" in page
        assert "<script>" not in page.replace("<script></script>", "")  # nothing inline (strict CSP)

    def test_without_the_script_the_server_fills_the_outlet_from_the_domain(self, client, contributor, forum):
        brief = BriefFactory(author=contributor)
        client.force_login(contributor)
        data = admin_form_data(client.get(change_url(brief)))
        (row,) = link_rows(data)
        assert not data.get(f"links-{row}-outlet")
        data[f"links-{row}-url"] = "https://www.alignmentforum.org/posts/pasted"
        response = client.post(change_url(brief), data)
        assert response.status_code == 302, response.context and response.context["errors"]
        assert brief.links.get().outlet == forum

    def test_a_typed_publisher_for_an_unknown_domain_makes_its_outlet(self, client, contributor):
        brief = BriefFactory(author=contributor)
        client.force_login(contributor)
        data = admin_form_data(client.get(change_url(brief)))
        (row,) = link_rows(data)
        data |= {f"links-{row}-url": "https://labs.example/post", f"links-{row}-publisher": "Example Labs"}
        assert client.post(change_url(brief), data).status_code == 302
        outlet = brief.links.get().outlet
        assert outlet.name == "Example Labs" and [d.domain for d in outlet.domains.all()] == ["labs.example"]

    def test_an_unknown_domain_and_no_publisher_is_a_form_error(self, client, contributor):
        brief = BriefFactory(author=contributor)
        client.force_login(contributor)
        data = admin_form_data(client.get(change_url(brief)))
        (row,) = link_rows(data)
        data |= {f"links-{row}-url": "https://labs.example/post", f"links-{row}-publisher": ""}
        response = client.post(change_url(brief), data)
        assert response.status_code == 200
        assert "No outlet is known for this address yet" in response.content.decode()
        assert not Outlet.objects.exists()


class TestPendingChangesCarryOutletsAndArchivedCopies:
    def test_a_live_briefs_new_outlet_and_archived_copy_wait_for_review(
        self, client, editor, moderator, forum
    ):
        brief = BriefFactory(published=True)
        client.force_login(editor)
        data = admin_form_data(client.get(change_url(brief)))
        (row,) = link_rows(data)
        archived = "https://web.archive.org/web/2026/" + FORUM_URL
        data |= {f"links-{row}-outlet": str(forum.pk), f"links-{row}-archive_url": archived}
        assert client.post(change_url(brief), data).status_code == 302
        live = brief.links.get()
        assert live.outlet_id is None and live.archive_url == ""  # readers see what was published
        change = PendingChange.objects.get(brief=brief)
        assert change.snapshot["links"][0]["outlet_id"] == forum.pk
        assert change.snapshot["links"][0]["archive_url"] == archived
        form = client.get(change_url(brief)).context["inline_admin_formsets"][2].formset.forms[0]
        assert form.initial["outlet"] == forum.pk  # the form reopens on the pending version
        added = [text for kind, text in pending.diff_rows(brief, change) if kind == "added"]
        assert any("AI Alignment Forum" in text for text in added)
        assert any(f"archived copy <{archived}>" in text for text in added)
        pending.publish_changes(brief, by=moderator, kind=pending.Kind.FIX)
        live = brief.links.get()
        assert live.outlet == forum and live.archive_url == archived

    def test_changes_kept_before_links_had_outlets_keep_the_outlet_when_published(self, moderator, forum):
        brief = BriefFactory(published=True)
        SourceLink.objects.filter(brief=brief).update(outlet=forum)  # as the migration left it
        snapshot = snapshots.snapshot_of(brief) | {"dek": "Changed before the outlets came."}
        for link in snapshot["links"]:
            del link["outlet_id"], link["archive_url"]
        pending.save_changes(brief, by=moderator, snapshot=snapshot)
        pending.publish_changes(brief, by=moderator, kind=pending.Kind.FIX)
        brief.refresh_from_db()
        assert brief.dek == "Changed before the outlets came." and brief.links.get().outlet == forum

    def test_an_outlet_deleted_before_publication_leaves_the_typed_name(self, moderator, forum):
        brief = BriefFactory(published=True)
        snapshot = snapshots.snapshot_of(brief)
        snapshot["links"][0]["outlet_id"] = forum.pk
        pending.save_changes(brief, by=moderator, snapshot=snapshot)
        forum.delete()
        pending.publish_changes(brief, by=moderator, kind=pending.Kind.FIX)
        link = brief.links.get()
        assert link.outlet_id is None and link.source_name == "AI Alignment Forum"


class TestSourceStatusFilter:
    @pytest.fixture
    def briefs(self):
        broken = BriefFactory(published=True, primary_link=False)
        SourceLinkFactory(brief=broken, url="https://gone.example/a", kind=LinkKind.PRIMARY)
        moved = BriefFactory(published=True, primary_link=False)
        SourceLinkFactory(brief=moved, url="https://moved.example/a", kind=LinkKind.PRIMARY)
        fine = BriefFactory(published=True, primary_link=False)
        SourceLinkFactory(brief=fine, url="https://fine.example/a", kind=LinkKind.PRIMARY)
        new = BriefFactory(published=True, primary_link=False)
        SourceLinkFactory(brief=new, url="https://new.example/a", kind=LinkKind.PRIMARY)
        set_state("https://gone.example/a", LinkState.State.BROKEN)
        set_state("HTTPS://Moved.example/a#top", LinkState.State.MOVED)  # another spelling of the link
        set_state("https://fine.example/a", LinkState.State.OK)
        return {"broken": broken, "redirected": moved, "ok": fine, "unchecked": new}

    @pytest.mark.parametrize("status", ["broken", "redirected", "ok", "unchecked"])
    def test_the_brief_list_filters_by_the_state_of_the_sources(self, client, moderator, briefs, status):
        client.force_login(moderator)
        response = client.get(reverse("admin:briefs_brief_changelist"), {"source_status": status})
        assert [b.pk for b in response.context["cl"].result_list] == [briefs[status].pk]

    def test_one_broken_link_among_working_ones_makes_the_brief_broken_not_ok(self, briefs):
        SourceLinkFactory(brief=briefs["ok"], url="https://gone.example/a")
        assert set(sourcing.briefs_by_source_status("broken")) == {briefs["broken"], briefs["ok"]}
        assert list(sourcing.briefs_by_source_status("ok")) == []


class TestTheSourcesPage:
    @pytest.mark.parametrize("role", ROLES)
    def test_who_sees_the_checks_and_who_is_offered_fixes(self, request, client, contributor, role):
        brief = BriefFactory(author=contributor)
        set_state(FORUM_URL, LinkState.State.BROKEN, last_status_code=404)
        response = as_role(request, client, role).get(sources_url(brief))
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"]
            return
        assert response.status_code == 200
        page = response.content.decode()
        assert "Broken" in page and "answered 404" in page
        assert ("Use the archived copy" in page) is (role in {"moderator", "superuser"})

    @pytest.mark.parametrize("role", ROLES)
    def test_only_moderators_mark_a_link_as_checked(self, request, client, contributor, role):
        brief = BriefFactory(author=contributor)
        set_state(FORUM_URL, LinkState.State.BROKEN, consecutive_failures=4)
        response = as_role(request, client, role).post(
            sources_url(brief), {"action": "checked", "url": FORUM_URL}
        )
        state = LinkState.objects.get()
        if role in {"moderator", "superuser"}:
            assert response.status_code == 302
            assert state.state != LinkState.State.BROKEN and state.consecutive_failures == 0
        else:
            assert response.status_code in {302, 403} and state.state == LinkState.State.BROKEN
            if role == "anonymous":
                assert "/login/" in response["Location"]
            else:
                assert response.status_code == 403

    @pytest.mark.parametrize("role", ROLES)
    def test_only_moderators_replace_a_url(self, request, client, contributor, role):
        brief = BriefFactory(author=contributor)
        new = "https://www.alignmentforum.org/posts/moved"
        as_role(request, client, role).post(
            sources_url(brief), {"action": "replace", "url": FORUM_URL, "new_url": new}
        )
        assert (brief.links.get().url == new) is (role in {"moderator", "superuser"})

    @pytest.mark.parametrize("role", ROLES)
    def test_only_moderators_use_the_archived_copy(self, request, client, contributor, role):
        brief = BriefFactory(author=contributor)
        as_role(request, client, role).post(sources_url(brief), {"action": "archive", "url": FORUM_URL})
        expected = "https://web.archive.org/web/" + FORUM_URL if role in {"moderator", "superuser"} else ""
        assert brief.links.get().archive_url == expected

    def test_the_change_form_shows_each_sources_state(self, client, moderator):
        brief = BriefFactory()
        set_state(FORUM_URL, LinkState.State.MOVED)
        page = client.force_login(moderator) or client.get(change_url(brief)).content.decode()
        assert "Moved permanently" in page and sources_url(brief) in page


class TestFixes:
    def test_replacing_the_url_of_a_live_brief_goes_through_pending_changes(self, moderator):
        brief = BriefFactory(published=True)
        new = "https://www.alignmentforum.org/posts/moved"
        assert sourcing.replace_url(brief, url=FORUM_URL, new_url=new, by=moderator) == "pending"
        assert brief.links.get().url == FORUM_URL  # readers still follow the published link
        change = PendingChange.objects.get(brief=brief)
        assert change.snapshot["links"][0]["url"] == new
        pending.publish_changes(brief, by=moderator, kind=pending.Kind.FIX)
        assert brief.links.get().url == new

    def test_a_fix_joins_the_pending_changes_already_there(self, editor, moderator):
        brief = BriefFactory(published=True)
        snapshot = snapshots.snapshot_of(brief) | {"dek": "Edited while pending."}
        pending.save_changes(brief, by=editor, snapshot=snapshot)
        sourcing.use_archived_copy(brief, url=FORUM_URL, by=moderator)
        change = PendingChange.objects.get(brief=brief)
        assert change.snapshot["dek"] == "Edited while pending."
        assert change.snapshot["links"][0]["archive_url"].startswith("https://web.archive.org/web/")

    def test_replacing_the_url_of_a_draft_changes_it_with_a_revision(self, moderator, contributor):
        brief = BriefFactory(author=contributor)
        version = brief.version
        sourcing.replace_url(brief, url=FORUM_URL, new_url="https://example.org/new", by=moderator)
        link = brief.links.get()
        assert link.url == "https://example.org/new" and link.url_hash == url_hash("https://example.org/new")
        brief.refresh_from_db()
        assert brief.version > version  # a form opened before the fix is refused, not merged
        comment = Version.objects.get_for_object(brief).first().revision.get_comment()
        assert comment.startswith("Source link moved")
        assert LinkState.objects.filter(url_hash=url_hash("https://example.org/new")).exists()

    def test_the_archived_copy_proposed_by_the_checker_is_the_default(self, moderator):
        brief = BriefFactory(published=True)
        set_state(FORUM_URL, LinkState.State.BROKEN, archive_suggestion="https://web.archive.org/web/2025/x")
        sourcing.use_archived_copy(brief, url=FORUM_URL, by=moderator)
        assert (
            PendingChange.objects.get().snapshot["links"][0]["archive_url"]
            == "https://web.archive.org/web/2025/x"
        )

    @pytest.mark.parametrize("role", ["contributor", "editor"])
    def test_the_services_refuse_everyone_but_moderators(self, request, role):
        user = request.getfixturevalue(role)
        brief = BriefFactory(author=user)
        for fix in (
            lambda: sourcing.replace_url(brief, url=FORUM_URL, new_url="https://example.org/", by=user),
            lambda: sourcing.use_archived_copy(brief, url=FORUM_URL, by=user),
            lambda: sourcing.mark_checked(brief, url=FORUM_URL, by=user),
            lambda: sourcing.check_now(brief, by=user),
        ):
            with pytest.raises(WorkflowError) as refused:
                fix()
            assert refused.value.code == "not_allowed"

    def test_a_link_the_brief_does_not_have_is_refused(self, moderator):
        brief = BriefFactory()
        with pytest.raises(WorkflowError):
            sourcing.replace_url(
                brief, url="https://elsewhere.example/", new_url="https://a.example/", by=moderator
            )

    def test_a_non_web_address_is_refused(self, moderator):
        brief = BriefFactory()
        with pytest.raises(WorkflowError):
            sourcing.replace_url(brief, url=FORUM_URL, new_url="javascript:alert(1)", by=moderator)

    def test_an_archived_brief_is_not_fixed(self, moderator):
        brief = BriefFactory(archived=True)
        with pytest.raises(WorkflowError):
            sourcing.use_archived_copy(brief, url=FORUM_URL, by=moderator)
        assert brief.links.get().archive_url == ""


class TestTheDesk:
    def test_broken_links_of_live_briefs_with_a_count_and_the_filtered_list(
        self, django_assert_num_queries, forum
    ):
        first = BriefFactory(published=True)
        second = BriefFactory(published=True, primary_link=False)
        SourceLinkFactory(brief=second, url="https://gone.example/b", kind=LinkKind.PRIMARY)
        BriefFactory(status=Status.DRAFT)  # a draft's link is broken too, but readers never see it
        set_state(FORUM_URL, LinkState.State.BROKEN)
        set_state("https://gone.example/b", LinkState.State.BROKEN)
        with django_assert_num_queries(2):
            desk = sourcing.broken_links_for_desk(limit=1)
            assert desk.items[0].brief.headline  # brief and outlet come with the links
        assert desk.count == 3 - 1 and len(desk.items) == 1 and desk.more == 1
        assert desk.url == reverse("admin:briefs_brief_changelist") + "?source_status=broken"
        assert {link.brief for link in sourcing.broken_links()} == {first, second}


def test_new_links_join_the_checkers_list(db):
    brief = BriefFactory()
    SourceLinkFactory(brief=brief, url="https://arxiv.org/abs/2601.99999")
    tracked = set(LinkState.objects.values_list("url", flat=True))
    assert {canonical_url(FORUM_URL), "https://arxiv.org/abs/2601.99999"} <= tracked


def test_links_written_in_bulk_are_tracked_by_the_periodic_task(db):
    brief = BriefFactory(primary_link=False)
    SourceLink.objects.bulk_create([SourceLink(brief=brief, url="https://bulk.example/a", publisher="Bulk")])
    assert not LinkState.objects.filter(url="https://bulk.example/a").exists()
    sourcing.track_all_links()
    assert SourceLink.objects.get().url_hash == url_hash("https://bulk.example/a")
    assert LinkState.objects.filter(url="https://bulk.example/a").exists()
