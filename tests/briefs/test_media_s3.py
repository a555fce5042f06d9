"""Uploads and renditions on S3-compatible object storage (MEDIA_STORAGE=s3), against a real S3 API
server (moto's server mode) started here: real uploads and reads through django-storages and boto3."""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from briefs import services
from tests.conftest import skip_or_fail
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db
BUCKET = "briefs-media-test"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    try:
        import boto3  # noqa: F401
        import flask  # noqa: F401 - moto's server mode
        import moto.server  # noqa: F401
        import storages  # noqa: F401
    except ImportError:
        skip_or_fail("django-storages, boto3 and moto[server] are needed for the S3 media tests")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the S3 server did not start")
    yield endpoint
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3_media(settings, s3_endpoint):
    import boto3

    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}  # noqa: S106
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "testing",
                "secret_key": "testing",
                "querystring_auth": False,
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_hero_image_and_its_renditions_are_stored_in_the_bucket(s3_media, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 500), (10, 120, 200)).save(buffer, "PNG")
    brief = BriefFactory()
    with django_capture_on_commit_callbacks(execute=True):
        brief.hero_image = SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")
        brief.hero_alt, brief.hero_credit = "Blue", "Test"
        services.save_brief(brief)

    keys = {item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert brief.hero_image.name in keys
    renditions = list(brief.hero_renditions.all())
    assert len(renditions) == 7  # webp + jpeg at 480, 960, 1000, and the OpenGraph crop
    for rendition in renditions:
        assert rendition.file.name in keys
        with default_storage.open(rendition.file.name, "rb") as handle:
            image = Image.open(handle)
            image.load()
        assert image.size == (rendition.width, rendition.height)
    assert brief.hero_fallback.file.url.startswith(f"{s3_media.meta.endpoint_url}/{BUCKET}/")


def test_media_storage_setting_switches_to_s3(monkeypatch):
    env = {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": "bucket",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.com",
        "DEBUG": "1",
    }
    code = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": "briefs_cms.settings"},
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.stdout.strip() == "storages.backends.s3.S3Storage", result.stderr


def test_the_apis_image_addresses_from_the_bucket_are_not_prefixed_with_the_site(
    client, s3_media, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://briefs.example"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 400), (10, 120, 200)).save(buffer, "PNG")
    brief = BriefFactory(published=True)
    with django_capture_on_commit_callbacks(execute=True):
        brief.hero_image = SimpleUploadedFile("hero.png", buffer.getvalue(), content_type="image/png")
        brief.hero_alt, brief.hero_credit = "Blue", "Test"
        services.save_brief(brief)
    image = client.get(f"/api/v1/briefs/{brief.slug}/").json()["image"]
    bucket = f"{s3_media.meta.endpoint_url}/{BUCKET}/"
    assert image["url"].startswith(bucket)
    assert image["renditions"] and all(r["url"].startswith(bucket) for r in image["renditions"])
