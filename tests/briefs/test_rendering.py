from briefs.rendering import body_text, render_body


def test_markdown_becomes_html():
    assert render_body("Some **bold** and *italic*.\n\n- one\n- two") == (
        "<p>Some <strong>bold</strong> and <em>italic</em>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


def test_raw_html_scripts_and_event_handlers_never_survive():
    html = render_body('<script>alert(1)</script><img src=x onerror="alert(1)"><b onclick="x()">hi</b>')
    assert "script" not in html and "onerror" not in html and "onclick" not in html and "<img" not in html


def test_only_web_and_mail_links_keep_their_address():
    html = render_body("[bad](javascript:alert(1)) [good](https://example.com)")
    assert "javascript:" not in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">good</a>' in html


def test_plain_text_has_no_tags_and_decoded_entities():
    assert body_text("Fish **&** chips\n\n- one") == "Fish & chips\n\none"


def test_an_empty_body_renders_to_nothing():
    assert render_body("") == "" and body_text("") == ""
