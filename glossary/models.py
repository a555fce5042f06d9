from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length, Lower
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from core.text import clean_line, clean_text, make_slug

DEFINITION_MAX_LENGTH = 1500


class TermStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class TermQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of which terms readers may see."""
        return self.filter(status=TermStatus.APPROVED)

    def with_name(self, name):
        """Terms whose name or alias is `name`, ignoring case."""
        name = clean_line(name)
        return self.filter(models.Q(name__iexact=name) | models.Q(aliases__name__iexact=name)).distinct()


class Term(models.Model):
    """A glossary entry readers can look up from any brief that uses it."""

    name = models.CharField(
        max_length=120,
        help_text="The term as readers see it, e.g. “learning mechanics”. Unique, ignoring case.",
    )
    slug = models.SlugField(
        max_length=140,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text=(
            "The term's address: /glossary/ followed by the slug. Generated from the name when left empty."
        ),
    )
    definition = models.TextField(
        max_length=DEFINITION_MAX_LENGTH,
        validators=[MaxLengthValidator(DEFINITION_MAX_LENGTH)],
        help_text=(
            f"Plain-language definition, at most {DEFINITION_MAX_LENGTH:,} characters. Readers see "
            "the approved wording; a change by someone who may not approve definitions waits for a "
            "moderator."
        ),
    )
    status = models.CharField(
        max_length=10,
        choices=TermStatus.choices,
        default=TermStatus.DRAFT,
        db_index=True,
        editable=False,
        help_text="Readers only see approved terms; a brief using a draft term cannot be published.",
    )
    pending_definition = models.TextField(
        "proposed definition",
        max_length=DEFINITION_MAX_LENGTH,
        validators=[MaxLengthValidator(DEFINITION_MAX_LENGTH)],
        blank=True,
        editable=False,
        help_text="A new wording waiting for a moderator; readers keep seeing the approved one.",
    )
    pending_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="proposed by",
    )
    related_terms = models.ManyToManyField(
        "self",
        blank=True,
        symmetrical=True,
        help_text="Other terms a reader of this one should look at.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name")]
        # The API's Last-Modified reads the latest save.
        indexes = [models.Index(fields=["updated_at"], name="term_updated_idx")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="glossary_term_name_unique_ci",
                violation_error_message="A term with this name already exists.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="glossary_term_name_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(definition=""), name="glossary_term_definition_not_empty"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("definition"), DEFINITION_MAX_LENGTH),
                name="glossary_term_definition_max_length",
                violation_error_message=f"A definition has at most {DEFINITION_MAX_LENGTH:,} characters.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=TermStatus.values), name="glossary_term_status_valid"
            ),
        ]
        permissions = [("approve_term", "Can approve term definitions")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("glossary:term", kwargs={"slug": self.slug})

    @property
    def is_approved(self):
        return self.status == TermStatus.APPROVED

    def clean(self):
        self.name = clean_line(self.name or "")
        self.definition = clean_text(self.definition or "")
        if not self.slug:
            self.slug = self._unique_slug()
        clash = TermAlias.objects.filter(name__iexact=self.name).exclude(term_id=self.pk)
        if self.name and clash.exists():
            raise ValidationError(
                {"name": f"“{self.name}” is already an alias of “{clash.first().term.name}”."}
            )

    def _unique_slug(self):
        base = make_slug(self.name, max_length=120, fallback="term")
        slug, n = base, 2
        while Term.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def save(self, *args, **kwargs):
        self.name = clean_line(self.name or "")
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)


class TermAlias(models.Model):
    """Another name for a term ("LLM" for "large language model"); unique across the glossary."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name = "alias"
        verbose_name_plural = "aliases"
        ordering = [Lower("name")]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="glossary_alias_name_unique_ci",
                violation_error_message="This alias is already used by another term.",
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="glossary_alias_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = clean_line(self.name or "")
        clash = Term.objects.filter(name__iexact=self.name)
        if self.term_id:
            clash = clash.exclude(pk=self.term_id)
        if self.name and clash.exists():
            raise ValidationError({"name": f"“{self.name}” is already the name of a term."})

    def save(self, *args, **kwargs):
        self.name = clean_line(self.name or "")
        super().save(*args, **kwargs)


class TermRevision(models.Model):
    """One approved wording of a term's definition; the newest is what readers see."""

    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(max_length=DEFINITION_MAX_LENGTH)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "definition revision"
        ordering = ["-approved_at", "-id"]
        get_latest_by = ["approved_at", "id"]

    def __str__(self):
        return f"{self.term}: {self.approved_at:%Y-%m-%d}"


class TermRedirect(models.Model):
    """An old address of a term (after a merge or a slug change) that redirects permanently."""

    old_slug = models.SlugField(max_length=140, unique=True, allow_unicode=True)
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.term.slug}"
