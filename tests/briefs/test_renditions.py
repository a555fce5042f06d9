import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from PIL import Image

from briefs import services
from briefs.models import HeroRendition
from briefs.renditions import make_renditions
from tests.factories import BriefFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(size, fmt="PNG", mode="RGB"):
    buffer = io.BytesIO()
    color = (200, 40, 40, 120) if mode == "RGBA" else (200, 40, 40)
    Image.new(mode, size, color).save(buffer, fmt)
    return SimpleUploadedFile(f"hero.{fmt.lower()}", buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def with_hero(django_capture_on_commit_callbacks, size=(2000, 1000), fmt="PNG", mode="RGB", **kwargs):
    """A brief whose hero image is set through the content service, as every editing path does."""
    brief = BriefFactory(**kwargs)
    with django_capture_on_commit_callbacks(execute=True):
        brief.hero_image = upload(size, fmt, mode)
        brief.hero_alt = "A red rectangle"
        brief.hero_credit = "Test"
        services.save_brief(brief)
    return brief


def opened(rendition):
    with default_storage.open(rendition.file.name, "rb") as handle:
        image = Image.open(handle)
        image.load()
    return image


def test_saving_a_hero_image_makes_webp_and_jpeg_renditions_at_each_width(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    srcset = {(r.format, r.width, r.height) for r in brief.hero_renditions.filter(purpose="srcset")}
    assert srcset == {(fmt, w, w // 2) for fmt in ("webp", "jpeg") for w in (480, 960, 1600)}
    for rendition in brief.hero_renditions.all():
        image = opened(rendition)
        assert image.format == rendition.format.upper()
        assert image.size == (rendition.width, rendition.height)


def test_renditions_never_upscale(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks, size=(700, 350))
    widths = sorted(set(brief.hero_renditions.filter(purpose="srcset").values_list("width", flat=True)))
    assert widths == [480, 700]
    og = brief.hero_og_image
    assert og.width <= 700 and og.height <= 350


def test_transparent_images_fall_back_to_png(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks, size=(1000, 500), mode="RGBA")
    formats = set(brief.hero_renditions.values_list("format", flat=True))
    assert formats == {"webp", "png"}
    assert opened(brief.hero_fallback).mode == "RGBA"


def test_opengraph_image_is_a_1200_by_630_crop(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks, size=(3000, 3000))
    og = brief.hero_og_image
    assert (og.width, og.height) == (1200, 630)
    assert opened(og).size == (1200, 630)


def test_replacing_the_image_replaces_the_renditions_and_their_files(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    old_files = list(brief.hero_renditions.values_list("file", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        brief.hero_image = upload((1000, 800), "JPEG")
        services.save_brief(brief)
    assert all(not default_storage.exists(name) for name in old_files)
    assert set(brief.hero_renditions.values_list("source", flat=True)) == {brief.hero_image.name}
    assert brief.hero_fallback.width == 1000  # 480, 960 and the original width


def test_removing_the_image_removes_the_renditions(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        brief.hero_image = ""
        brief.hero_alt = brief.hero_credit = ""
        services.save_brief(brief)
    assert not HeroRendition.objects.filter(brief=brief).exists()


def test_saving_without_touching_the_image_keeps_the_renditions(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    ids = set(brief.hero_renditions.values_list("pk", flat=True))
    brief.headline = "Only the headline"
    services.save_brief(brief)
    assert set(brief.hero_renditions.values_list("pk", flat=True)) == ids


def test_unreadable_image_gets_no_renditions():
    brief = BriefFactory()
    brief.hero_image.name = default_storage.save("heroes/broken.png", ContentFile(b"not an image"))
    assert make_renditions(brief) == []


def test_srcset_lists_each_width(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    srcset = brief.hero_srcset("webp")
    assert [part.rsplit(" ", 1)[1] for part in srcset.split(", ")] == ["480w", "960w", "1600w"]
    assert all(part.split(" ")[0].endswith(".webp") for part in srcset.split(", "))


def test_hero_include_renders_a_picture_with_sizes_and_dimensions(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    html = render_to_string("includes/hero_image.html", {"brief": brief})
    assert '<source type="image/webp" srcset="' in html
    assert 'width="1600" height="800"' in html
    assert 'loading="lazy"' in html and 'alt="A red rectangle"' in html
    eager = render_to_string("includes/hero_image.html", {"brief": brief, "loading": "eager"})
    assert 'loading="eager"' in eager and 'fetchpriority="high"' in eager


def test_hero_include_renders_nothing_without_an_image():
    assert render_to_string("includes/hero_image.html", {"brief": BriefFactory()}).strip() == ""


def test_deleting_a_brief_removes_its_rendition_files(django_capture_on_commit_callbacks):
    brief = with_hero(django_capture_on_commit_callbacks)
    files = list(brief.hero_renditions.values_list("file", flat=True))
    assert files and all(default_storage.exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_brief(brief)
    assert not any(default_storage.exists(name) for name in files)


def uploaded_brief(django_capture_on_commit_callbacks, **kwargs):
    """A published brief saved with a real uploaded image, renditions built as after a commit."""
    from tests.factories import image_file

    with django_capture_on_commit_callbacks(execute=True):
        return BriefFactory(
            published=True,
            hero_image=image_file(size=(1200, 800)),
            hero_alt="A blue field",
            hero_credit="Test",
            **kwargs,
        )


def test_brief_page_serves_the_renditions(client, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://briefs.example.com"
    brief = uploaded_brief(django_capture_on_commit_callbacks)
    html = client.get(brief.get_absolute_url()).text
    webp = ", ".join(f"{r.file.url} {r.width}w" for r in brief.hero_renditions_of("webp"))
    assert f'<source type="image/webp" srcset="{webp}"' in html
    assert (
        'srcset="' + brief.hero_srcset("png") + '"' in html
        or 'srcset="' + brief.hero_srcset("jpeg") + '"' in html
    )
    assert (
        'width="1200" height="800"' in html and 'loading="eager"' in html and 'fetchpriority="high"' in html
    )
    og = brief.hero_og_image
    assert f'<meta property="og:image" content="https://briefs.example.com{og.file.url}">' in html
    assert f'<meta property="og:image:width" content="{og.width}">' in html
    assert f'<meta property="og:image:height" content="{og.height}">' in html


def test_list_thumbnails_use_the_renditions_lazily(client, django_capture_on_commit_callbacks):
    newest = BriefFactory(published=True, headline="Newest, featured")
    older = uploaded_brief(
        django_capture_on_commit_callbacks, published_at=newest.published_at.replace(year=2020)
    )
    html = client.get("/").text
    card = html[html.index("brief-card--with-image") :]
    assert 'class="brief-card__image"' in card and 'loading="lazy"' in card
    assert older.hero_webp_srcset in card and 'width="1200" height="800"' in card
    tag = older.tags.first()
    if tag:
        assert older.hero_webp_srcset in client.get(f"/tags/{tag.slug}/").text


def test_list_renditions_cost_one_query(
    client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    for _ in range(3):
        uploaded_brief(django_capture_on_commit_callbacks)
    client.get("/")  # fills the per-generation caches
    with django_assert_max_num_queries(4):  # page of briefs, tags, renditions (count is cached)
        assert client.get("/?x=1").status_code == 200
