"""Uploaded images: only real JPEG/PNG/WebP within limits are stored, and only re-encoded."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from briefs.images import MAX_PIXELS, inspect
from briefs.models import Brief
from tests.factories import BriefFactory, UserFactory, image_file

pytestmark = pytest.mark.django_db


def upload(data, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_header_only(width, height):
    """A PNG whose header claims width×height but carries almost no data: a bomb's shape."""

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00"))
        + chunk(b"IEND", b"")
    )


def brief_with(image):
    return BriefFactory.build(author=UserFactory(), hero_image=image, hero_alt="A chart", hero_credit="Lab")


def assert_refused(image, message):
    brief = brief_with(image)
    with pytest.raises(ValidationError) as error:
        brief.full_clean()
    assert message in " ".join(error.value.message_dict["hero_image"])


def test_a_real_png_is_accepted_and_stored_under_a_generated_name():
    brief = brief_with(image_file(name="../../etc/passwd\u202e.png"))
    brief.full_clean()
    brief.save()
    name = Brief.objects.get(pk=brief.pk).hero_image.name
    assert name.startswith("heroes/") and name.endswith(".png")
    assert "passwd" not in name and ".." not in name and "\u202e" not in name
    assert (brief.hero_width, brief.hero_height) == (64, 48)


def test_svg_is_refused_whatever_its_name():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert_refused(upload(svg, "logo.png"), "not an image we can read")


def test_html_named_as_jpeg_is_refused():
    assert_refused(upload(b"<html><script>alert(1)</script></html>", "x.jpg", "image/jpeg"), "not an image")


def test_gif_and_other_formats_are_refused():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    assert_refused(upload(buffer.getvalue(), "x.gif", "image/gif"), "GIF files are not accepted")


def test_files_over_15_mb_are_refused_before_decoding():
    big = upload(b"\x89PNG" + b"\x00" * (15 * 1024 * 1024 + 1))
    assert_refused(big, "the limit is 15 MB")


def test_decompression_bomb_is_refused_from_its_header():
    assert_refused(upload(png_header_only(10_000, 10_000)), "the limit is 40 megapixels")


@pytest.mark.parametrize("side", [30_000, 60_000])
def test_a_giant_image_is_described_in_numbers(side):
    assert_refused(
        upload(png_header_only(side, side)),
        f"This image is {side:,} × {side:,} pixels; the limit is 40 megapixels",
    )


def test_a_text_file_named_jpg_is_called_what_it_is():
    assert_refused(
        upload(b"Meeting notes, not a photo.\n", "photo.jpg", "image/jpeg"),
        "“photo.jpg” is a text file, not an image we can read",
    )


def test_just_over_40_megapixels_is_refused():
    assert_refused(upload(png_header_only(8000, 5001)), "the limit is 40 megapixels")
    assert MAX_PIXELS < 8000 * 5001


def test_truncated_image_is_refused():
    data = image_file(size=(400, 300), fmt="JPEG").read()
    assert_refused(upload(data[: len(data) // 2], "cut.jpg", "image/jpeg"), "damaged or incomplete")


def test_polyglot_payload_after_the_image_is_dropped_by_reencoding():
    data = image_file().read() + b"<html><script>alert(1)</script></html>"
    brief = brief_with(upload(data))
    brief.full_clean()
    brief.save()
    stored = brief.hero_image.open("rb").read()
    assert b"<script>" not in stored
    assert inspect(io.BytesIO(stored)).format == "PNG"


def test_exif_and_gps_metadata_are_stripped():
    image = Image.new("RGB", (32, 32), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    assert b"SecretCam" in buffer.getvalue()
    brief = brief_with(upload(buffer.getvalue(), "gps.jpg", "image/jpeg"))
    brief.full_clean()
    brief.save()
    stored = brief.hero_image.open("rb").read()
    assert b"SecretCam" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_webp_is_accepted():
    brief = brief_with(image_file(name="x.webp", fmt="WEBP"))
    brief.full_clean()
    brief.save()
    assert brief.hero_image.name.endswith(".webp")
