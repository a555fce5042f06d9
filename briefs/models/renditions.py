"""The resized copies of a brief's hero image (made by `briefs.renditions`)."""

from django.db import models

from .brief import Brief
from .choices import RenditionFormat, RenditionPurpose


class HeroRendition(models.Model):
    """A resized copy of a brief's hero image, made by Pillow when the image is set or replaced."""

    brief = models.ForeignKey(Brief, on_delete=models.CASCADE, related_name="hero_renditions")
    source = models.CharField(max_length=255, help_text="The hero image file this was made from.")
    purpose = models.CharField(
        max_length=8, choices=RenditionPurpose.choices, default=RenditionPurpose.SRCSET
    )
    format = models.CharField(max_length=8, choices=RenditionFormat.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    file = models.FileField(max_length=255)

    class Meta:
        ordering = ["purpose", "format", "width"]
        constraints = [
            models.UniqueConstraint(
                fields=["brief", "purpose", "format", "width"], name="herorendition_unique"
            ),
        ]

    def __str__(self):
        return f"{self.format} {self.width}×{self.height}"
