"""Purges reach every process: two gunicorn workers with per-process caches never serve a stale page."""

import pytest

from tests.servers import fetch, production_site

pytestmark = pytest.mark.django_db(transaction=True)

SLUG = "new-paper-argues-for-a-scientific-theory-of-deep-learning"


def test_a_save_in_another_process_reaches_both_warmed_workers(tmp_path):
    with production_site(tmp_path, workers=2) as site:
        url = site.url + f"briefs/{SLUG}/"
        seen = [fetch(url) for _ in range(20)]  # both workers render and cache the page
        assert all(status == 200 for status, _, _ in seen)
        assert any(headers.get("X-Page-Cache") == "hit" for _, headers, _ in seen)

        site.python(
            "from briefs.models import Brief; from briefs import services\n"
            f"b = Brief.objects.get(slug='{SLUG}'); b.headline = 'A headline saved elsewhere'\n"
            "services.save_brief(b)"
        )

        after = [fetch(url) for _ in range(10)]
        assert all("A headline saved elsewhere" in body for _, _, body in after), [
            headers.get("X-Page-Cache") for _, headers, _ in after
        ]
