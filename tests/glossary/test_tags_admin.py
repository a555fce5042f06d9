import pytest
from taggit.models import Tag

from briefs.tags import merge_tags
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


def test_merging_tags_moves_briefs_and_deletes_the_others():
    one = BriefFactory(tags=["LLMs"])
    both = BriefFactory(tags=["LLMs", "language models"])
    keep, drop = Tag.objects.get(name="language models"), Tag.objects.get(name="LLMs")
    merge_tags(keep, [keep, drop])
    assert list(Tag.objects.all()) == [keep]
    assert list(one.tags.names()) == ["language models"]
    assert list(both.tags.names()) == ["language models"]


def test_merge_tags_action_in_the_admin(client, editor):
    BriefFactory(tags=["LLMs", "language models"])
    ids = list(Tag.objects.values_list("pk", flat=True))
    keep = Tag.objects.get(name="LLMs")
    client.force_login(editor)
    page = client.post("/admin/taggit/tag/", {"action": "merge_into_one", "_selected_action": ids})
    assert "Choose the tag to keep" in page.content.decode()
    client.post(
        "/admin/taggit/tag/",
        {"action": "merge_into_one", "_selected_action": ids, "survivor": keep.pk, "confirm": "yes"},
    )
    assert list(Tag.objects.all()) == [keep]


def test_tag_list_shows_usage(client, editor):
    BriefFactory(tags=["safety"])
    client.force_login(editor)
    assert client.get("/admin/taggit/tag/").status_code == 200
