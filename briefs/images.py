"""Uploaded hero images: checked by what Pillow reads, not by file name, then re-encoded.

Re-encoding is what makes an upload safe to serve: it drops EXIF/GPS metadata,
anything appended after the image data (an image/HTML "polyglot"), and any
trick that relies on the original bytes. Size and pixel limits are checked from
the header, before a single pixel is decoded, so a decompression bomb costs
nothing.
"""

import io
import struct
import warnings
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError, WebPImagePlugin

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
# Pillow format name -> file suffix of the re-encoded file.
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
ACCEPTED = "Upload a JPEG, PNG or WebP image."


# Readers of each accepted format's header: size and format without decoding a pixel, and
# without Pillow's bomb check, so an oversized image can be described in numbers.
_HEADER_READERS = {
    "JPEG": JpegImagePlugin.JpegImageFile,
    "PNG": PngImagePlugin.PngImageFile,
    "WEBP": WebPImagePlugin.WebPImageFile,
}


def read_header(file):
    """(format, (width, height), frames) of an accepted image, or None when the file is not one."""
    for fmt, reader in _HEADER_READERS.items():
        file.seek(0)
        try:
            image = reader(file)
        except (SyntaxError, OSError, ValueError, EOFError, struct.error):
            continue
        return fmt, image.size, getattr(image, "n_frames", 1)
    return None


def _describe(file):
    """What a file that is not an accepted image seems to be, for the editor's message."""
    file.seek(0)
    start = file.read(512)
    if isinstance(start, str):
        start = start.encode()
    if start.lstrip().startswith((b"<svg", b"<?xml")):
        return "an SVG drawing"
    if start.startswith(b"%PDF"):
        return "a PDF document"
    if start.startswith(b"GIF8"):
        return "a GIF image"
    try:
        start.decode("utf-8")
    except UnicodeDecodeError:
        return "not an image we can read"
    return "a text file"


def _open(file):
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(file)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ValidationError(
                f"This image has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels.",
                code="too_many_pixels",
            ) from exc
        except (UnidentifiedImageError, OSError, ValueError) as exc:
            raise ValidationError(
                f"This file is not an image we can read. {ACCEPTED}", code="not_image"
            ) from exc


def inspect(file):
    """Check an upload without trusting its name; return the opened, fully decoded image."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This image is {size / 1024 / 1024:.1f} MB; the limit is {MAX_UPLOAD_BYTES // 1024 // 1024} MB.",
            code="too_large",
        )
    header = read_header(file)
    if header is None:
        name = PurePath(getattr(file, "name", "") or "").name
        what = _describe(file)
        if what == "a GIF image":
            raise ValidationError(f"GIF files are not accepted. {ACCEPTED}", code="format")
        described = " is" if what == "not an image we can read" else f" is {what},"
        raise ValidationError(
            f"“{name or 'This file'}”{described} not an image we can read (whatever its name says). "
            + ACCEPTED,
            code="not_image",
        )
    _, (width, height), frames = header
    if width * height * frames > MAX_PIXELS:
        raise ValidationError(
            f"This image is {width:,} × {height:,} pixels"
            + (f" over {frames} frames" if frames > 1 else "")
            + f"; the limit is {MAX_PIXELS // 1_000_000} megapixels. Export a smaller copy and upload that.",
            code="too_many_pixels",
        )
    image = _open(file)
    if image.format not in ALLOWED_FORMATS:
        raise ValidationError(f"{image.format or 'This'} files are not accepted. {ACCEPTED}", code="format")
    try:
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            "The image file is damaged or incomplete. Export it again and retry.", code="corrupt"
        ) from exc
    return image


def validate_hero_image(fieldfile):
    """Model-field validator: runs for every path that calls full_clean (admin, import, API)."""
    if not fieldfile or getattr(fieldfile, "_committed", True):
        return  # already stored (and so already checked)
    inspect(fieldfile.file)


def reencode(file):
    """A clean copy of an accepted upload (same format, orientation applied, no metadata) and its size."""
    image = inspect(file)
    fmt = image.format
    image = ImageOps.exif_transpose(image)  # keep what the photographer saw, drop the EXIF
    out = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88, optimize=True, progressive=True)
    elif fmt == "PNG":
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"hero{ALLOWED_FORMATS[fmt]}"), image.size


class HeroImageField(forms.ImageField):
    """The hero image's form field: the editor reads our checks' messages (size, pixels, what the file
    really is), and a long upload name is accepted, since the stored name is generated anyway."""

    NAME_KEEP = 80

    def to_python(self, data):
        if data and getattr(data, "name", None) and len(data.name) > self.NAME_KEEP:
            suffix = PurePath(data.name).suffix[:10]
            data.name = data.name[: self.NAME_KEEP - len(suffix)] + suffix
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        image = inspect(upload)
        upload.image = image
        upload.content_type = Image.MIME.get(image.format)
        upload.seek(0)
        return upload
