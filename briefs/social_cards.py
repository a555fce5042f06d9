"""Social cards: the 1200×630 og:image of a brief that has no hero image.

The card shows the site's name, the headline and the first "In brief" point, set in the site's
own fonts (the WOFF2 files in static/fonts/, which FreeType reads). It is drawn once per
wording: the file in storage is named by a hash of what it shows, so a card is drawn again
only when the headline or the first point changes, and the page's og:image address changes
with it (`?v=` the same hash), so sites that keep a copy fetch the new one.
"""

import hashlib
import io
import logging
from functools import cache

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont

from core.site import absolute_url
from core.text import shorten

logger = logging.getLogger(__name__)

SIZE = WIDTH, HEIGHT = 1200, 630
FOLDER = "social-cards"
DESIGN = 1  # part of each card's hash: a new design redraws every card
FONTS = settings.BASE_DIR / "static" / "fonts"
SERIF = FONTS / "newsreader-latin-600-normal.woff2"
SANS = FONTS / "public-sans-latin-wght-normal.woff2"

PAPER = (251, 250, 246)
INK = (22, 24, 29)
MUTED = (84, 89, 100)
ACCENT = (13, 97, 112)
MARGIN = 80


@cache
def _font(path, size, weight=None):
    font = ImageFont.truetype(str(path), size)
    if weight is not None:
        font.set_variation_by_axes([weight])
    return font


def _wrap(text, font, width):
    """Lines of `text` no wider than `width` in `font`, broken between words."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if not line or font.getlength(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _fit(text, font, width, max_lines):
    """At most `max_lines` lines; when text is left over, the last line ends between words with "…"."""
    lines = _wrap(text, font, width)
    if len(lines) <= max_lines:
        return lines
    last = lines[max_lines - 1]
    while " " in last and font.getlength(last + "…") > width:
        last = last.rsplit(" ", 1)[0]
    return [*lines[: max_lines - 1], last.rstrip(",;:.—–-") + "…"]


def card_text(brief, points):
    """What a card shows: the headline and the first point (the summary when there is none)."""
    first = points[0].text if points else brief.dek
    return brief.headline, shorten(first or "", 400)


def card_key(headline, point):
    text = "\0".join([str(DESIGN), settings.SITE_NAME, headline, point])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def render(headline, point, site_name=None):
    """The card as PNG bytes."""
    site_name = site_name or settings.SITE_NAME
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 16, HEIGHT), fill=ACCENT)
    text_width = WIDTH - 2 * MARGIN

    # The site's mark (three bars, as in the header) and name.
    x, y = MARGIN, 64
    for i, bar in enumerate((30, 21, 25)):
        top = y + i * 10
        draw.rounded_rectangle((x, top, x + bar, top + 5), radius=2.5, fill=ACCENT)
    label = _font(SANS, 24, 700)
    draw.text((x + 46, y + 14), site_name.upper(), font=label, fill=ACCENT, anchor="lm", spacing=0)

    # The headline: as large as fits in four lines.
    for size in (68, 62, 56, 50, 46):
        serif = _font(SERIF, size)
        lines = _wrap(headline, serif, text_width)
        if len(lines) <= 4:
            break
    lines = _fit(headline, serif, text_width, 4)
    leading = round(size * 1.12)
    y = 136
    for line in lines:
        draw.text((MARGIN, y), line, font=serif, fill=INK)
        y += leading

    # The first point, under a short rule and an "In brief" label, in what room is left.
    y += 26
    draw.rectangle((MARGIN, y, MARGIN + 64, y + 4), fill=ACCENT)
    y += 26
    draw.text((MARGIN, y), "IN BRIEF", font=_font(SANS, 20, 700), fill=ACCENT)
    y += 38
    body = _font(SANS, 29, 400)
    room = max(1, (HEIGHT - 56 - y) // 40)
    for line in _fit(point, body, text_width, min(3, room)) if point else []:
        draw.text((MARGIN, y), line, font=body, fill=MUTED)
        y += 40

    out = io.BytesIO()
    image.quantize(colors=96, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def og_image(brief, points):
    """The og:image values of a brief's card (address, size, alt text); no file is touched."""
    headline, point = card_text(brief, points)
    path = reverse("briefs:social-card", kwargs={"slug": brief.slug})
    return {
        "url": f"{absolute_url(path)}?v={card_key(headline, point)}",
        "width": WIDTH,
        "height": HEIGHT,
        "alt": f"{headline} — {settings.SITE_NAME}",
    }


def _remove_stale(brief, keep):
    try:
        _, files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        if name.startswith(f"{brief.pk}-") and f"{FOLDER}/{name}" != keep:
            default_storage.delete(f"{FOLDER}/{name}")


def card_png(brief):
    """The brief's card: read from storage, or drawn and stored when its wording is new."""
    headline, point = card_text(brief, list(brief.points.all()[:1]))
    name = f"{FOLDER}/{brief.pk}-{card_key(headline, point)}.png"
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    png = render(headline, point)
    saved = default_storage.save(name, ContentFile(png))
    if saved == name:
        _remove_stale(brief, keep=name)
    else:  # drawn at the same moment by another request: keep one copy
        default_storage.delete(saved)
    return png
