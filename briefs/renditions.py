"""Hero image renditions: WebP plus a JPEG (or PNG when transparent) fallback at a few widths.

Renditions are derived from the stored hero image: whatever sets or replaces it records a
`HERO_IMAGE` change, and after commit `refresh_renditions` rebuilds what is out of date.
Images are never upscaled; the OpenGraph copy is a centred 1200×630 crop (smaller when
the original is).
"""

import io
import logging
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from core import changes

from .models import Brief, HeroRendition, RenditionFormat, RenditionPurpose

logger = logging.getLogger(__name__)

WIDTHS = (480, 960, 1600)
OPENGRAPH_SIZE = (1200, 630)
MAX_PIXELS = 40_000_000  # refuse decompression bombs well below Pillow's default
SAVE_OPTIONS = {
    RenditionFormat.WEBP: {"format": "WEBP", "quality": 80, "method": 4},
    RenditionFormat.JPEG: {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    RenditionFormat.PNG: {"format": "PNG", "optimize": True},
}


def has_transparency(image):
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] < 255
    return image.mode == "P" and "transparency" in image.info


def _open(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, MAX_PIXELS
        try:
            with default_storage.open(name, "rb") as handle:
                image = Image.open(handle)
                image.load()
        finally:
            Image.MAX_IMAGE_PIXELS = previous
    return ImageOps.exif_transpose(image)


def _encode(image, format):
    if format == RenditionFormat.JPEG:
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if has_transparency(image) else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, **SAVE_OPTIONS[format])
    return buffer.getvalue()


def _store(brief, image, format, purpose):
    stem = f"renditions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}-{image.width}"
    name = default_storage.save(f"{stem}.{format}", ContentFile(_encode(image, format)))
    return HeroRendition(
        brief=brief,
        source=brief.hero_image.name,
        purpose=purpose,
        format=format,
        width=image.width,
        height=image.height,
        file=name,
    )


def _resized(image, width):
    if width >= image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _opengraph(image):
    """Centred crop to 1200:630, scaled down to 1200×630 when the original is larger."""
    target_w, target_h = OPENGRAPH_SIZE
    scale = min(1, image.width / target_w, image.height / target_h)
    size = (max(1, round(target_w * scale)), max(1, round(target_h * scale)))
    return ImageOps.fit(image, size, Image.Resampling.LANCZOS)


def delete_renditions(brief):
    renditions = brief.hero_renditions.all()
    _remove_files_later(list(renditions.values_list("file", flat=True)))
    renditions.delete()


def _remove_files_later(names):
    """Files go once the rows that named them are gone for good."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


def make_renditions(brief):
    """Replace the brief's renditions with fresh ones from its current hero image; return them."""
    delete_renditions(brief)
    if not brief.hero_image:
        return []
    try:
        image = _open(brief.hero_image.name)
    except (OSError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        logger.warning("No renditions for brief %s: %s", brief.pk, error)
        return []
    fallback = RenditionFormat.PNG if has_transparency(image) else RenditionFormat.JPEG
    widths = sorted({min(width, image.width) for width in WIDTHS})
    renditions = []
    for width in widths:
        resized = _resized(image, width)
        for format in (RenditionFormat.WEBP, fallback):
            renditions.append(_store(brief, resized, format, RenditionPurpose.SRCSET))
    renditions.append(_store(brief, _opengraph(image), fallback, RenditionPurpose.OPENGRAPH))
    return HeroRendition.objects.bulk_create(renditions)


def renditions_are_current(brief):
    names = set(brief.hero_renditions.values_list("source", flat=True))
    return names == ({brief.hero_image.name} if brief.hero_image else set())


def refresh_renditions(brief_ids):
    """Rebuild the renditions of these briefs where they do not match the hero image (idempotent)."""
    briefs = Brief.objects.filter(pk__in=brief_ids) if brief_ids is not None else Brief.objects.all()
    rebuilt = []
    for brief in briefs.exclude(hero_image="") if brief_ids is None else briefs:
        if not renditions_are_current(brief):
            make_renditions(brief)
            rebuilt.append(brief.pk)
    # Pages rendered meanwhile lack the new srcset.
    changes.record(changes.RENDITIONS, rebuilt)
    return rebuilt
