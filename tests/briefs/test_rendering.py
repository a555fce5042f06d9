from briefs.rendering import body_text, render_body


def test_markdown_becomes_html():
    html = render_body("Some **bold** and *italic*.\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<ul>\n<li>one</li>" in html


def test_body_headings_start_below_the_page_sections():
    html = render_body("# Top\n\n## Second\n\n### Third")
    assert "<h1" not in html and "<h2" not in html
    assert html.count("<h3>") == 3


def test_links_keep_web_addresses_and_get_a_safe_rel():
    html = render_body("[paper](https://arxiv.org/abs/1) and [bad](javascript:alert(1))")
    assert '<a href="https://arxiv.org/abs/1" rel="noopener noreferrer nofollow">paper</a>' in html
    assert "javascript" not in html


def test_raw_html_scripts_styles_images_and_handlers_are_removed():
    html = render_body(
        "<script>alert(1)</script><style>p{}</style>"
        '<img src="x" onerror="alert(1)"><p style="color:red" onclick="x()">kept text</p>'
    )
    assert "kept text" in html
    for banned in ["<script", "alert", "<style", "<img", "style=", "onclick", "onerror"]:
        assert banned not in html


def test_empty_body_renders_nothing():
    assert render_body("") == ""


def test_only_web_and_mail_links_keep_their_address():
    html = render_body("[bad](javascript:alert(1)) [good](https://example.com)")
    assert "javascript:" not in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">good</a>' in html


def test_plain_text_has_no_tags_and_decoded_entities():
    assert body_text("Fish **&** chips\n\n- one") == "Fish & chips\n\none"
