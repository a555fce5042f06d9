"""Existing publisher text becomes outlets without loss: run the migration on links written before it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sources.urlkeys import url_hash

BEFORE = [("briefs", "0011_pending_changes_and_locks"), ("sources", "0001_initial")]
AFTER = [("briefs", "0013_source_outlets")]


@pytest.fixture
def old_links(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    User = apps.get_model("auth", "User")  # noqa: N806
    Brief = apps.get_model("briefs", "Brief")  # noqa: N806
    SourceLink = apps.get_model("briefs", "SourceLink")  # noqa: N806
    author = User.objects.create(username="old-author")
    rows = [
        ("AI Alignment Forum", "https://www.alignmentforum.org/posts/a"),
        ("ai alignment forum", "https://alignmentforum.org/posts/b"),  # the same outlet in another case
        ("Alignment Forum", "https://forum.alignmentforum.org/posts/c"),  # its domain, another name
        ("arXiv", "https://arxiv.org/abs/2601.00001"),
        ("OpenAI", "https://github.com/openai/repo"),  # a shared host: no domain for OpenAI
        ("Some Blog", "https://doi.org/10.1000/xyz"),
    ]
    for i, (publisher, url) in enumerate(rows):
        brief = Brief.objects.create(headline=f"Old brief {i}", slug=f"old-{i}", author=author)
        SourceLink.objects.create(brief=brief, url=url, publisher=publisher, kind="primary")
    yield rows
    call_command("migrate", verbosity=0)  # leave the database as the other tests expect it


def test_publisher_text_becomes_outlets_and_stays_readable(old_links):
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    SourceLink = apps.get_model("briefs", "SourceLink")  # noqa: N806
    OutletDomain = apps.get_model("sources", "OutletDomain")  # noqa: N806
    links = {link.url: link for link in SourceLink.objects.select_related("outlet")}
    assert [(link.publisher, link.url) for link in links.values()] == old_links  # the text, kept as typed
    outlet = {url: link.outlet.name for url, link in links.items()}
    assert outlet == {
        "https://www.alignmentforum.org/posts/a": "AI Alignment Forum",
        "https://alignmentforum.org/posts/b": "AI Alignment Forum",
        "https://forum.alignmentforum.org/posts/c": "AI Alignment Forum",
        "https://arxiv.org/abs/2601.00001": "arXiv",
        "https://github.com/openai/repo": "OpenAI",
        "https://doi.org/10.1000/xyz": "Some Blog",
    }
    assert all(link.url_hash == url_hash(url) for url, link in links.items())
    domains = dict(OutletDomain.objects.values_list("domain", "outlet__name"))
    assert domains == {"alignmentforum.org": "AI Alignment Forum", "arxiv.org": "arXiv"}
