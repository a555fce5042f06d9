import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from briefs.models import Brief, LinkKind, SourceLink, Status
from tests.factories import BriefFactory, UserFactory, image_file

pytestmark = pytest.mark.django_db


def test_headline_longer_than_200_characters_is_refused_with_a_clear_message():
    brief = BriefFactory.build(headline="x" * 201, author=UserFactory())
    with pytest.raises(ValidationError) as error:
        brief.full_clean()
    assert "at most 200 characters" in str(error.value.message_dict["headline"])


def test_empty_headline_is_refused_by_the_database():
    brief = BriefFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.filter(pk=brief.pk).update(headline="")


def test_published_brief_without_a_publication_time_is_refused_by_the_database():
    brief = BriefFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.filter(pk=brief.pk).update(status=Status.PUBLISHED, published_at=None)


def test_unknown_status_is_refused_by_the_database():
    brief = BriefFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.filter(pk=brief.pk).update(status="live")


def test_hero_image_requires_alt_text_and_credit():
    brief = BriefFactory.build(author=UserFactory(), hero_image=image_file())
    with pytest.raises(ValidationError) as error:
        brief.full_clean()
    assert "Describe the image" in error.value.message_dict["hero_alt"][0]
    assert "Say who made" in error.value.message_dict["hero_credit"][0]


def test_hero_image_without_alt_is_refused_by_the_database():
    brief = BriefFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Brief.objects.filter(pk=brief.pk).update(hero_image="heroes/x.jpg")


def test_a_brief_has_at_most_one_primary_link():
    brief = BriefFactory()  # comes with a primary link
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceLink.objects.create(
            brief=brief, kind=LinkKind.PRIMARY, publisher="Other", url="https://example.com/"
        )
    SourceLink.objects.create(brief=brief, kind=LinkKind.PAPER, publisher="arXiv", url="https://arxiv.org/")
    assert brief.links.count() == 2


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/path",
        "ftp://example.com/file",
        "https://",
        "not a url",
    ],
)
def test_source_link_accepts_only_http_and_https_addresses(url):
    link = SourceLink(brief=BriefFactory(), publisher="X", url=url, kind=LinkKind.PAPER)
    with pytest.raises(ValidationError) as error:
        link.full_clean()
    assert "url" in error.value.message_dict


def test_non_http_link_is_refused_by_the_database_even_when_validation_is_bypassed():
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceLink.objects.create(
            brief=BriefFactory(), publisher="X", url="javascript:alert(1)", kind="paper"
        )


def test_points_keep_the_editors_order():
    brief = BriefFactory(points=["first", "second", "third"])
    assert list(brief.points.values_list("text", flat=True)) == ["first", "second", "third"]


def test_primary_link_is_the_read_full_story_link():
    brief = BriefFactory()
    SourceLink.objects.create(
        brief=brief, kind=LinkKind.CODE, publisher="GitHub", url="https://github.com/", position=0
    )
    assert brief.primary_link.publisher == "AI Alignment Forum"


class TestPublished:
    def test_includes_briefs_whose_time_has_come(self):
        brief = BriefFactory(published=True)
        assert list(Brief.objects.published()) == [brief]
        assert brief.is_published

    def test_excludes_drafts_reviews_changes_requested_and_archived(self):
        for status in [Status.DRAFT, Status.IN_REVIEW, Status.CHANGES_REQUESTED, Status.ARCHIVED]:
            BriefFactory(status=status, published_at=timezone.now() - dt.timedelta(days=1))
        assert not Brief.objects.published().exists()

    def test_scheduled_brief_appears_exactly_at_its_publication_time(self):
        at = timezone.now() + dt.timedelta(hours=2)
        brief = BriefFactory(status=Status.PUBLISHED, published_at=at)
        assert not Brief.objects.published(now=at - dt.timedelta(microseconds=1)).exists()
        assert list(Brief.objects.published(now=at)) == [brief]
        assert brief.is_scheduled and not brief.is_published
        assert list(Brief.objects.scheduled()) == [brief]


def test_a_correction_moves_the_briefs_updated_date_for_feeds_and_json_ld():
    from briefs.models import Correction

    brief = BriefFactory(published=True)
    correction = Correction.objects.create(brief=brief, text="An earlier version misstated a figure.")
    brief.refresh_from_db()
    assert brief.content_updated_at == correction.created_at
