import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from taggit.models import TaggedItem

from bench.generate import generate, load_dataset
from briefs.models import Brief, BriefPoint, BriefTerm, LinkKind, SourceLink, Status

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "reference_sample.json"


def snapshot():
    return [
        (b.slug, b.headline, b.dek, b.status, b.published_at, list(b.points.values_list("text", flat=True)))
        for b in Brief.objects.order_by("slug")
    ]


def test_generated_briefs_have_the_documented_shape():
    result = generate(briefs=60, terms=30, seed=3, published_ratio=0.7)
    assert result.briefs == Brief.objects.count() == 60
    for brief in Brief.objects.prefetch_related("points", "brief_terms", "links", "tags"):
        assert 3 <= len(brief.points.all()) <= 7
        assert 2 <= len(brief.brief_terms.all()) <= 6
        assert 1 <= len(brief.tags.all()) <= 4
        assert [link.kind for link in brief.links.all()] == [LinkKind.PRIMARY]
        assert (brief.published_at is not None) == (brief.status in (Status.PUBLISHED, Status.ARCHIVED))
    published = Brief.objects.published().count()
    assert published == result.published and 20 <= published < 60
    assert Brief.objects.exclude(status=Status.PUBLISHED).exists()
    years = {d.year for d in Brief.objects.published().dates("published_at", "year")}
    assert len(years) >= 3


def test_generation_is_deterministic_for_a_seed():
    generate(briefs=25, terms=10, seed=7)
    first = snapshot()
    Brief.objects.all().delete()
    generate(briefs=25, terms=10, seed=7)
    assert snapshot() == first


def test_different_seeds_give_different_content():
    generate(briefs=10, terms=10, seed=1)
    generate(briefs=10, terms=10, seed=2)
    assert Brief.objects.count() == 20


def test_the_same_seed_is_refused_twice():
    generate(briefs=5, terms=6, seed=4)
    with pytest.raises(ValueError, match="seed 4"):
        generate(briefs=5, terms=6, seed=4)


def test_generated_briefs_work_with_the_orm_afterwards():
    generate(briefs=5, terms=6, seed=5)
    brief = Brief.objects.published().first() or Brief.objects.first()
    brief.headline = "Edited by hand"
    brief.save()
    BriefPoint.objects.create(brief=brief, text="One more point", position=9)
    assert Brief.objects.filter(headline="Edited by hand").count() == 1


def test_reference_dataset_loads_with_its_slugs_and_fields():
    data = json.loads(SAMPLE.read_text())
    result = load_dataset(SAMPLE)
    assert result.briefs == len(data["briefs"]) == Brief.objects.published().count()
    item = data["briefs"][0]
    brief = Brief.objects.get(slug=item["slug"])
    assert brief.headline == item["title"]
    assert brief.dek == item["intro"]
    assert list(brief.points.values_list("text", flat=True)) == item["bullets"]
    assert list(brief.brief_terms.values_list("term__slug", flat=True)) == item["terms"]
    assert sorted(brief.tags.names()) == sorted(item["tags"])
    assert brief.primary_link.url == item["source_url"]
    assert brief.primary_link.publisher == item["source_name"]
    assert brief.published_at.isoformat() == item["published_at"]
    assert TaggedItem.objects.count() == sum(len(b["tags"]) for b in data["briefs"])
    assert BriefTerm.objects.count() == sum(len(b["terms"]) for b in data["briefs"])
    assert SourceLink.objects.count() == len(data["briefs"])


def test_command_reports_counts_and_draws_a_progress_bar():
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_briefs", briefs=12, terms=8, seed=9, stdout=out, stderr=err)
    assert "12 briefs" in out.getvalue()
    assert "12/12" in err.getvalue()


def test_command_loads_a_dataset_file():
    call_command("generate_briefs", dataset=str(SAMPLE), stdout=io.StringIO(), stderr=io.StringIO())
    assert Brief.objects.count() == 20


def test_command_refuses_a_missing_dataset_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("generate_briefs", dataset=str(tmp_path / "nope.json"), stdout=io.StringIO())


def test_bulk_written_briefs_are_in_the_search_index():
    from search.models import BriefSearchEntry, TermSearchEntry

    result = generate(briefs=7, terms=6, seed=12)
    indexed = sorted(BriefSearchEntry.objects.values_list("brief_id", flat=True))
    assert indexed == sorted(result.brief_ids) == sorted(Brief.objects.values_list("pk", flat=True))
    assert all(BriefSearchEntry.objects.values_list("extra", flat=True))  # points and term names
    assert TermSearchEntry.objects.count() == result.terms
    assert 0 < result.index_seconds <= result.seconds
    # Each entry carries its brief's publication time exactly when the brief is published.
    for brief in Brief.objects.select_related("search_entry"):
        expected = brief.published_at if brief.status == Status.PUBLISHED else None
        assert brief.search_entry.published_at == expected


def test_generated_terms_are_approved_so_readers_see_their_pages():
    from glossary.models import Term

    generate(briefs=5, terms=6, seed=4)
    assert Term.objects.exists() and not Term.objects.exclude(status="approved").exists()
