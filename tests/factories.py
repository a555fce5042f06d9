import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from briefs.models import Brief, BriefPoint, BriefTerm, Correction, LinkKind, SourceLink, Status
from core import changes
from glossary.models import Term, TermAlias, TermStatus


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")
    is_staff = True


class RecordsChanges:
    """Factories store rows as the services would, and say so: indexes, renditions and caches follow."""

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            changes.record_many(cls.changes_of(instance))


class TermFactory(RecordsChanges, factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    @staticmethod
    def changes_of(term):
        return {changes.TERMS: [term.pk]}

    name = factory.Sequence(lambda n: f"term {n}")
    definition = factory.LazyAttribute(lambda t: f"What “{t.name}” means, in plain words.")
    status = TermStatus.APPROVED

    class Params:
        draft = factory.Trait(status=TermStatus.DRAFT)


class TermAliasFactory(RecordsChanges, factory.django.DjangoModelFactory):
    class Meta:
        model = TermAlias

    @staticmethod
    def changes_of(alias):
        return {changes.TERMS: [alias.term_id]}

    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"alias {n}")


class BriefFactory(RecordsChanges, factory.django.DjangoModelFactory):
    """A draft brief with one point and a primary link; `published=True` makes it live."""

    class Meta:
        model = Brief
        skip_postgeneration_save = True

    @staticmethod
    def changes_of(brief):
        kinds = {changes.BRIEF_CONTENT: [brief.pk], changes.BRIEF_VISIBILITY: [brief.pk]}
        if brief.hero_image:
            kinds[changes.HERO_IMAGE] = [brief.pk]
        return kinds

    headline = factory.Sequence(lambda n: f"Brief number {n}")
    dek = factory.LazyAttribute(lambda b: f"Summary of {b.headline}.")
    author = factory.SubFactory(UserFactory)
    status = Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1)),
            first_published_at=factory.SelfAttribute("published_at"),
        )
        scheduled = factory.Trait(
            status=Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1)),
        )
        in_review = factory.Trait(
            status=Status.IN_REVIEW,
            submitted_at=factory.LazyFunction(timezone.now),
        )
        changes_requested = factory.Trait(status=Status.CHANGES_REQUESTED)
        archived = factory.Trait(
            status=Status.ARCHIVED,
            published_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
            first_published_at=factory.SelfAttribute("published_at"),
        )

    @factory.post_generation
    def points(self, create, extracted, **kwargs):
        if not create:
            return
        texts = extracted if extracted is not None else [f"The main finding of {self.headline}."]
        BriefPoint.objects.bulk_create(
            BriefPoint(brief=self, text=text, position=i) for i, text in enumerate(texts)
        )

    @factory.post_generation
    def primary_link(self, create, extracted, **kwargs):
        if create and extracted is not False:
            SourceLink.objects.create(
                brief=self,
                kind=LinkKind.PRIMARY,
                publisher="AI Alignment Forum",
                url="https://www.alignmentforum.org/posts/example",
            )

    @factory.post_generation
    def terms(self, create, extracted, **kwargs):
        if create and extracted:
            BriefTerm.objects.bulk_create(
                BriefTerm(brief=self, term=term, position=i) for i, term in enumerate(extracted)
            )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def image_file(name="hero.png", size=(64, 48), fmt="PNG", color=(30, 90, 160)):
    """A real image made by Pillow, as an upload."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


class SourceLinkFactory(RecordsChanges, factory.django.DjangoModelFactory):
    """A secondary link (paper by default); the primary link comes with BriefFactory."""

    class Meta:
        model = SourceLink

    brief = factory.SubFactory(BriefFactory)
    kind = LinkKind.PAPER
    publisher = "arXiv"
    title = factory.Sequence(lambda n: f"Source document {n}")
    url = factory.Sequence(lambda n: f"https://arxiv.org/abs/2601.{n:05d}")
    position = factory.Sequence(lambda n: n + 1)

    @staticmethod
    def changes_of(link):
        return {changes.BRIEF_CONTENT: [link.brief_id]}


class CorrectionFactory(RecordsChanges, factory.django.DjangoModelFactory):
    class Meta:
        model = Correction

    @staticmethod
    def changes_of(correction):
        return {changes.BRIEF_CONTENT: [correction.brief_id]}

    brief = factory.SubFactory(BriefFactory, published=True)
    text = "An earlier version misstated the number of models compared."
