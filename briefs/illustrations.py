"""Abstract hero illustrations drawn with Pillow, for briefs that come without a picture (the demo).

Each drawing is decided by the brief's slug alone (same slug, same picture, on any machine):
a palette, a motif and its layout. Shapes are drawn at twice the size and scaled down, which
gives smooth edges without an antialiasing renderer. The result is saved as the brief's hero
image through the model, so it is re-encoded and gets renditions like any upload.
"""

import colorsys
import hashlib
import io
import math
import random
from dataclasses import dataclass
from functools import lru_cache

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter

SIZE = (1600, 900)
SCALE = 2  # drawn at twice the size, then scaled down: smooth edges
CREDIT = "Briefs CMS (generated illustration)"
# Which of the possible series of drawings slugs map to; this one gives the demo briefs six palettes.
SERIES = 266


@dataclass(frozen=True)
class Palette:
    name: str  # words for the alt text: "teal, sand and coral on deep blue"
    top: str
    bottom: str
    inks: tuple


PALETTES = (
    Palette("teal, sand and coral on deep blue", "#0c2233", "#1b4a63", ("#3fb8af", "#f2d6a2", "#ff8c69")),
    Palette("coral, amber and cream on plum", "#24122c", "#57284a", ("#ff7a59", "#ffc857", "#f6e7d8")),
    Palette("mint, cream and amber on forest green", "#0f2c25", "#2c5a4b", ("#9fd8b5", "#f4e9cd", "#e9a23b")),
    Palette("rose, butter and periwinkle on indigo", "#17153b", "#383494", ("#f9a8d4", "#fde68a", "#a5b4fc")),
    Palette(
        "navy, vermilion and steel blue on warm paper",
        "#f4efe6",
        "#e6dccb",
        ("#1d3557", "#e63946", "#457b9d"),
    ),
    Palette("cyan, ice and blush on slate", "#1c252e", "#3a4856", ("#7bdff2", "#c9f5ef", "#f7c6d4")),
    Palette("saffron, terracotta and ink on linen", "#f3ead9", "#e2d2b6", ("#e0a100", "#c4512b", "#22313f")),
)


def _rng(slug):
    digest = hashlib.sha256(f"{SERIES}:{slug}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _rgb(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    return tuple(int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))


def _shade(hex_colour, lightness):
    """The colour with its lightness moved by `lightness` (-1…1), for tints of one ink."""
    r, g, b = (c / 255 for c in _rgb(hex_colour))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    light = min(1, max(0, light + lightness))
    return tuple(round(c * 255) for c in colorsys.hls_to_rgb(h, light, s))


def _background(palette, rng, size):
    """A vertical gradient with a soft glow, painted small and scaled up (it has no edges)."""
    small = Image.linear_gradient("L").resize((64, 36))
    top, bottom = _rgb(palette.top), _rgb(palette.bottom)
    base = Image.merge(
        "RGB",
        [
            small.point(lambda v, a=a, b=b: round(a + (b - a) * v / 255))
            for a, b in zip(top, bottom, strict=True)
        ],
    )
    dark = sum(top) < 384
    glow = Image.new("L", (64, 36), 0)
    x, y = rng.uniform(10, 54), rng.uniform(4, 20)
    ImageDraw.Draw(glow).ellipse((x - 22, y - 22, x + 22, y + 22), fill=55 if dark else 150)
    glow = glow.filter(ImageFilter.GaussianBlur(9))
    light = Image.new("RGB", (64, 36), _rgb(palette.inks[1]) if dark else (255, 253, 248))
    return Image.composite(light, base, glow).resize(size, Image.Resampling.BICUBIC)


def _layer(size):
    return Image.new("RGBA", size, (0, 0, 0, 0))


def _orbits(palette, rng, size):
    """Rings around two or three centres, like orbits or a diagram of attention."""
    w, h = size
    layer = _layer(size)
    draw = ImageDraw.Draw(layer)
    for ink in rng.sample(palette.inks, rng.randint(2, 3)):
        cx, cy = rng.uniform(0.15, 0.85) * w, rng.uniform(0.2, 0.8) * h
        ink = _rgb(ink)
        radius = rng.uniform(0.08, 0.14) * w
        for ring in range(rng.randint(5, 9)):
            r = radius * (1 + ring * rng.uniform(0.28, 0.42))
            width = max(2, round(w * rng.choice((0.002, 0.003, 0.005))))
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(*ink, 200 - ring * 16), width=width)
        draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*ink, 215))
    return layer, "rings circling bright discs"


def _waves(palette, rng, size):
    """Layered ribbons rising and falling across the frame, like a plot of a training run."""
    w, h = size
    layer = _layer(size)
    draw = ImageDraw.Draw(layer)
    bands = rng.randint(5, 7)
    for band in range(bands):
        base = h * (0.35 + 0.6 * band / bands)
        amplitude = h * rng.uniform(0.04, 0.12)
        f1, f2 = rng.uniform(1.0, 2.5), rng.uniform(3, 6)
        p1, p2 = rng.uniform(0, math.tau), rng.uniform(0, math.tau)
        points = [
            (
                x,
                base
                + amplitude * math.sin(f1 * math.tau * x / w + p1)
                + amplitude * 0.3 * math.sin(f2 * math.tau * x / w + p2),
            )
            for x in range(0, w + 40, 40)
        ]
        ink = palette.inks[band % len(palette.inks)]
        colour = _shade(ink, -0.25 + 0.5 * band / bands)
        draw.polygon([*points, (w, h), (0, h)], fill=(*colour, 215))
    return layer, "layered ribbons rising and falling like waves"


def _field(palette, rng, size):
    """A grid of dots whose size follows a smooth field, over one large soft disc."""
    w, h = size
    layer = _layer(size)
    draw = ImageDraw.Draw(layer)
    cx, cy, r = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h, rng.uniform(0.25, 0.38) * h
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*_rgb(palette.inks[2]), 190))
    step = w / rng.choice((28, 32, 36))
    k1, k2, k3 = rng.uniform(1, 3), rng.uniform(1, 3), rng.uniform(0, math.tau)
    ink_a, ink_b = _rgb(palette.inks[0]), _rgb(palette.inks[1])
    y = step / 2
    while y < h:
        x = step / 2
        while x < w:
            v = (math.sin(k1 * math.tau * x / w + k3) + math.cos(k2 * math.tau * y / h)) / 4 + 0.5
            dot = step * 0.42 * v
            if dot > step * 0.06:
                ink = ink_a if v > 0.5 else ink_b
                draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=(*ink, 235))
            x += step
        y += step
    return layer, "a grid of dots swelling and shrinking over a large disc"


def _network(palette, rng, size):
    """Nodes joined to their nearest neighbours: a loose neural network."""
    w, h = size
    layer = _layer(size)
    draw = ImageDraw.Draw(layer)
    nodes = [(rng.uniform(0.06, 0.94) * w, rng.uniform(0.1, 0.9) * h) for _ in range(rng.randint(22, 30))]
    line = _rgb(palette.inks[1])
    for i, (x, y) in enumerate(nodes):
        nearest = sorted(
            nodes[:i] + nodes[i + 1 :], key=lambda n, x=x, y=y: (n[0] - x) ** 2 + (n[1] - y) ** 2
        )
        for nx, ny in nearest[: rng.randint(2, 3)]:
            draw.line((x, y, nx, ny), fill=(*line, 120), width=max(2, w // 700))
    for x, y in nodes:
        ink = _rgb(rng.choice(palette.inks))
        r = rng.choice((0.006, 0.009, 0.014, 0.022)) * w
        draw.ellipse((x - r * 1.9, y - r * 1.9, x + r * 1.9, y + r * 1.9), fill=(*ink, 60))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*ink, 255))
    return layer, "glowing nodes joined by fine lines, like a neural network"


def _contours(palette, rng, size):
    """Wobbling concentric outlines, like the contour lines of a landscape of losses."""
    w, h = size
    layer = _layer(size)
    draw = ImageDraw.Draw(layer)
    for _ in range(rng.randint(2, 3)):
        cx, cy = rng.uniform(0.2, 0.8) * w, rng.uniform(0.25, 0.75) * h
        ink = rng.choice(palette.inks)
        lobes, phase = rng.randint(3, 5), rng.uniform(0, math.tau)
        rings = rng.randint(8, 12)
        for ring in range(rings, 0, -1):
            base = h * 0.045 * ring
            wobble = base * 0.18
            outline = [
                (
                    cx + (base + wobble * math.sin(lobes * a + phase + ring * 0.3)) * math.cos(a),
                    cy + (base + wobble * math.sin(lobes * a + phase + ring * 0.3)) * math.sin(a) * 0.8,
                )
                for a in (i * math.tau / 120 for i in range(121))
            ]
            colour = _shade(ink, 0.2 - 0.4 * ring / rings)
            draw.polygon(outline, fill=(*colour, 70))
            draw.line(outline, fill=(*colour, 230), width=max(2, w // 600))
    return layer, "contour lines around two or three peaks"


MOTIFS = (_orbits, _waves, _field, _network, _contours)


@dataclass(frozen=True)
class Illustration:
    image: bytes  # JPEG
    alt: str
    credit: str = CREDIT


@lru_cache(maxsize=32)
def illustration_for(slug):
    """The drawing for `slug` (a JPEG of SIZE) with its alt text; the same slug gives the same picture."""
    rng = _rng(slug)
    palette = rng.choice(PALETTES)
    motif = rng.choice(MOTIFS)
    big = (SIZE[0] * SCALE, SIZE[1] * SCALE)
    canvas = _background(palette, rng, big).convert("RGBA")
    layer, shapes = motif(palette, rng, big)
    canvas.alpha_composite(layer)
    image = canvas.convert("RGB").resize(SIZE, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True, progressive=True)
    return Illustration(image=out.getvalue(), alt=f"Abstract illustration: {shapes}, in {palette.name}.")


def add_illustration(brief):
    """Give a brief without a hero image its illustration, saved like an upload; returns whether it did.

    An image an editor chose (or removed and replaced) is never touched: only an empty field is filled.
    """
    if brief.hero_image or brief.hero_upload:
        return False
    from .services import save_brief

    drawing = illustration_for(brief.slug)
    brief.hero_image = ContentFile(drawing.image, name="illustration.jpg")
    brief.hero_alt = drawing.alt
    brief.hero_credit = drawing.credit
    save_brief(brief)
    return True
