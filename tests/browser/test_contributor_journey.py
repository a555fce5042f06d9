"""A contributor writes a complete brief in the admin, previews it and submits it for review."""

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from briefs.models import Brief, LinkKind, Status

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINE = "Sparse Autoencoders Map the Features Inside a Large Language Model"
POINTS = [
    "Researchers trained sparse autoencoders on the activations of a large language model.",
    "The learned features line up with concepts people recognise, from code to cities.",
    "The method builds on deep learning tools and scales to the biggest models.",
]


def hero_png(path):
    """A real 1200×675 PNG, drawn with Pillow."""
    image = Image.new("RGB", (1200, 675), (24, 64, 112))
    draw = ImageDraw.Draw(image)
    for i in range(0, 1200, 60):
        draw.line([(i, 0), (1200 - i, 675)], fill=(80 + i // 10, 150, 200), width=6)
    image.save(path, "PNG")
    return path


def choose_autocomplete(page, row, text, option):
    """Pick `option` in the admin's autocomplete (Select2) widget of an inline `row`, by typing."""
    row.locator(".select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    page.locator(".select2-results__option", has_text=option).click()
    expect(row.locator(".select2-selection__rendered")).to_have_text(option)


def test_contributor_writes_previews_and_submits_a_brief(
    page, live_server, contributor, tmp_path, screenshot
):
    call_command("load_demo")  # the glossary the brief's terms come from
    log_in(page, live_server.url, contributor)

    page.get_by_role("rowheader", name="Briefs", exact=True).get_by_role("link").click()
    page.get_by_role("link", name="Add brief").click()
    expect(page.get_by_role("heading", name="Add brief")).to_be_visible()

    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Summary").fill(
        "Interpretability work shows what a large language model represents, one feature at a time."
    )
    page.get_by_label("Tags").fill("interpretability, language models")

    page.locator("#id_hero_image").set_input_files(hero_png(tmp_path / "sae-features.png"))
    page.get_by_label("Image alt text").fill("A grid of coloured lines standing for learned features")
    page.get_by_label("Image credit").fill("Briefs CMS illustration")

    points = page.locator("#points-group")
    for _ in POINTS[1:]:
        points.get_by_role("button", name="Add another Point").click()
    for i, text in enumerate(POINTS):
        page.locator(f"#id_points-{i}-text").fill(text)

    page.locator("#links-group").get_by_role("button", name="Add another Source link").click()
    link = page.locator("#links-0")
    link.get_by_label("Kind").select_option(label="Primary (Read full story)")
    link.get_by_label("Publisher").fill("Transformer Circuits")
    link.get_by_label("URL").fill("https://transformer-circuits.pub/2026/sae-features/")
    link.get_by_label("Title").fill("Mapping the features of a language model")

    terms = page.locator("#brief_terms-group")
    terms.get_by_role("button", name="Add another Term").click()
    choose_autocomplete(page, page.locator("#brief_terms-0"), "deep", "deep learning")

    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success").first).to_contain_text("was added successfully")
    screenshot("contributor-saved-draft")

    # The glossary panel offers the term the text mentions but the brief does not list yet.
    panel = page.locator(".terms-found")
    expect(panel).to_contain_text("large language model")
    panel.get_by_label("large language model").check()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("Attached glossary terms: “large language model”.")

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(
        page.get_by_role("img", name="A grid of coloured lines standing for learned features")
    ).to_be_visible()
    expect(page.locator(".points li")).to_have_count(3)
    expect(page.locator(".byline")).to_have_text("By Contributor 1 min read")  # no publication date yet
    expect(page.locator(".byline time")).to_have_count(0)
    expect(page.get_by_role("link", name="Read full story at Transformer Circuits →")).to_be_visible()
    screenshot("contributor-preview")
    page.go_back()

    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".workflow-panel .brief-badge")).to_have_text("In review")
    screenshot("contributor-submitted")

    brief = Brief.objects.get(headline=HEADLINE)
    assert brief.status == Status.IN_REVIEW
    assert brief.author == contributor
    assert list(brief.points.values_list("text", flat=True)) == POINTS
    assert sorted(brief.tags.names()) == ["interpretability", "language models"]
    assert [term.name for term in brief.terms.order_by("brief_terms__position")] == [
        "deep learning",
        "large language model",
    ]
    assert brief.links.get().kind == LinkKind.PRIMARY
    assert brief.hero_image and brief.hero_width == 1200
