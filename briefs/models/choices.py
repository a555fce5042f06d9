"""The fixed values the brief models store, kept apart so the Brief and the models around it can
all use them: workflow status, link kinds, and the formats and purposes of image renditions."""

from django.db import models


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class LinkKind(models.TextChoices):
    PRIMARY = "primary", "Primary (Read full story)"
    PAPER = "paper", "Paper"
    CODE = "code", "Code"
    COVERAGE = "coverage", "Coverage"


class RenditionFormat(models.TextChoices):
    WEBP = "webp", "WebP"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class RenditionPurpose(models.TextChoices):
    SRCSET = "srcset", "Responsive width"
    OPENGRAPH = "og", "OpenGraph (1200×630)"
