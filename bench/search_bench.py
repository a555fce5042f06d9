"""Search benchmark: median and p95 of typical reader searches on a large PostgreSQL archive.

    python bench/search_bench.py                  # measure (loads the archive first if it is empty)
    python bench/search_bench.py --load-only      # only build the archive
    python bench/search_bench.py --database-url postgres://postgres@127.0.0.1:5432/briefs_searchbench

The archive lives in its own database (default `briefs_searchbench`, created when missing): 100,000
published briefs and 10,000 glossary terms of synthetic text with a Zipf-like word distribution,
loaded with bulk_create and indexed by one `update_search_vector()` pass. When the database already
holds briefs (e.g. made by `manage.py generate_briefs` followed by `manage.py rebuild_search_index`),
they are used as they are.

Two figures per query: "backend" is what `search_briefs`/`search_terms`/`attach_snippets` cost for
the first result page (count, page, snippets, terms); "page" is the whole /search/ response through
Django's test client, templates included. Then EXPLAIN ANALYZE shows which index answers a search.
"""

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/briefs_searchbench"
QUERIES = [
    "learning mechanics",
    "language model",
    '"reinforcement learning"',
    "protein structure prediction",
    "robot safety -simulation",
    "quantum or photonic",
    "benchmark",
    "interpretability neurons",
    "diffusion image generation",
    "climate forecasting",
]

TOPIC_WORDS = str.split("""
learning model models neural network networks training data dataset benchmark transformer attention
language reasoning agent agents reinforcement reward policy robot robotics safety alignment
interpretability neuron neurons circuit circuits feature features diffusion image images video
generation generative protein structure prediction biology genome medicine clinical cancer patients
climate weather forecasting energy chip chips hardware compute scaling law laws optimizer gradient
descent loss evaluation evaluations leaderboard code program programs compiler theorem proof math
mathematics physics quantum photonic materials chemistry molecule molecules drug discovery speech
audio music translation multilingual retrieval search memory context window tokens tokenizer
embedding embeddings vision multimodal sensor sensors autonomous driving navigation planning
simulation simulator synthetic privacy fairness bias audit governance policy regulation education
students teachers economics labour market survey study paper authors researchers university lab
open weights release dataset license compute cluster inference latency efficiency sparse mixture
experts distillation pruning quantization fine tuning instruction preference feedback human
""")
COMMON_WORDS = str.split("""
new study shows finds paper researchers show that the a of and to in for with on by from as at
can could may might would more most less than how why what when which who about into over under
between across after before during while without within first large small better faster cheaper
results result method methods approach approaches system systems tool tools work works used uses
using based shows shown suggests suggest argues argue proposes propose report reports team teams
""")
SYLLABLES = str.split("ka lo mi ne ra su ti vo ze pa qui tor lan mer dos fin gal hep jor kul")


def vocabulary(rng, size=20000):
    """Real words first (frequent), then invented ones (rare): Zipf-like weights over ranks."""
    words = list(dict.fromkeys(COMMON_WORDS + TOPIC_WORDS))
    while len(words) < size:
        words.append("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    words = list(dict.fromkeys(words))
    weights = [1 / (rank + 1) ** 1.05 for rank in range(len(words))]
    return words, list(itertools.accumulate(weights))


class TextMaker:
    def __init__(self, seed=6):
        self.rng = random.Random(seed)
        self.words, self.cum_weights = vocabulary(self.rng)

    def sentence(self, low, high):
        count = self.rng.randint(low, high)
        text = " ".join(self.rng.choices(self.words, cum_weights=self.cum_weights, k=count))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences, low=12, high=24):
        return " ".join(self.sentence(low, high) for _ in range(sentences))


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "briefs_cms.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()


def ensure_database(database_url):
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load(briefs=100_000, terms=10_000, batch=5000):
    """Bulk-load a synthetic archive, then index it in one pass."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from briefs.models import Brief, BriefPoint, BriefTerm, Status
    from glossary.models import Term
    from search.indexing import update_search_vector, update_term_search_vector

    maker = TextMaker()
    rng = maker.rng
    started = time.perf_counter()
    author, _ = get_user_model().objects.get_or_create(username="benchdesk", defaults={"is_active": False})

    names = set()
    while len(names) < terms:
        names.add(" ".join(rng.choices(maker.words[:3000], k=rng.randint(1, 3))))
    Term.objects.bulk_create(
        [
            Term(name=name, slug=f"term-{i}", definition=maker.paragraph(2))
            for i, name in enumerate(sorted(names))
        ],
        batch_size=batch,
    )
    term_ids = list(Term.objects.values_list("pk", flat=True))
    tags = Tag.objects.bulk_create([Tag(name=f"topic {w}", slug=f"topic-{w}") for w in TOPIC_WORDS[:30]])
    brief_type = ContentType.objects.get_for_model(Brief)

    now = timezone.now()
    for start in range(0, briefs, batch):
        rows = []
        for i in range(start, min(start + batch, briefs)):
            published = now - dt.timedelta(minutes=rng.randint(60, 60 * 24 * 365 * 5))
            rows.append(
                Brief(
                    headline=maker.sentence(6, 12)[:200],
                    slug=f"bench-{i}",
                    dek=maker.paragraph(2),
                    body=maker.paragraph(rng.randint(3, 8)),
                    author=author,
                    status=Status.PUBLISHED,
                    published_at=published,
                    first_published_at=published,
                )
            )
        created = Brief.objects.bulk_create(rows)
        points, uses, tagged = [], [], []
        for brief in created:
            points += [
                BriefPoint(brief=brief, text=maker.sentence(10, 22)[:400], position=p)
                for p in range(rng.randint(2, 5))
            ]
            uses += [
                BriefTerm(brief=brief, term_id=term_id, position=p)
                for p, term_id in enumerate(rng.sample(term_ids, rng.randint(0, 3)))
            ]
            tagged += [
                TaggedItem(tag=tag, content_type=brief_type, object_id=brief.pk)
                for tag in rng.sample(tags, rng.randint(1, 2))
            ]
        BriefPoint.objects.bulk_create(points)
        BriefTerm.objects.bulk_create(uses)
        TaggedItem.objects.bulk_create(tagged)
        print(f"  {start + len(created):,} briefs", flush=True)
    loaded = time.perf_counter()
    update_term_search_vector()
    update_search_vector()
    indexed = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"Loaded in {loaded - started:.0f} s, indexed in {indexed - loaded:.0f} s.")


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(repeat):
    from django.core.paginator import Paginator
    from django.test import Client

    from search.backends import attach_snippets, search_briefs, search_terms

    def backend(query):
        page = Paginator(search_briefs(query), 20).get_page(1)
        attach_snippets(page.object_list, query)
        list(search_terms(query))
        return page.paginator.count

    from django.conf import settings
    from django.test.utils import override_settings

    # The page figure is a real render: a test client builds its middleware chain on its first
    # request, and this one is built without the public page cache.
    client = Client()
    without_cache = [m for m in settings.MIDDLEWARE if m != "briefs_cms.caching.PublicPageCacheMiddleware"]
    with override_settings(MIDDLEWARE=without_cache):
        client.get("/healthz")
    backend_times, page_times = [], []
    print(f"{'query':34} {'matches':>8} {'backend median':>15} {'page median':>12}")
    for query in QUERIES:
        count = backend(query)  # warm-up
        client.get("/search/", {"q": query})
        mine, pages = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            backend(query)
            t1 = time.perf_counter()
            response = client.get("/search/", {"q": query})
            t2 = time.perf_counter()
            assert response.status_code == 200
            mine.append((t1 - t0) * 1000)
            pages.append((t2 - t1) * 1000)
        backend_times += mine
        page_times += pages
        print(
            f"{query:34} {count:>8,} {statistics.median(mine):>12.1f} ms {statistics.median(pages):>9.1f} ms"
        )
    for label, values in [("backend", backend_times), ("page", page_times)]:
        print(
            f"ALL {label:8} median {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 0.95):.1f} ms over {len(values)} searches"
        )


def explain(query="protein structure prediction"):
    from django.db import connection

    from search.backends import search_briefs

    found = search_briefs(query)[:20]
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"EXPLAIN ANALYZE of the first result page for {query!r}:")
    print("\n".join(plan))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("SEARCH_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--briefs", type=int, default=100_000)
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query")
    parser.add_argument("--load-only", action="store_true")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("the benchmark needs PostgreSQL (--database-url postgres://…)")

    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    from briefs.models import Brief

    call_command("migrate", verbosity=0)
    if not Brief.objects.exists():
        print(f"Loading {args.briefs:,} briefs and {args.terms:,} terms…", flush=True)
        load(args.briefs, args.terms)
    if args.load_only:
        return
    print(f"Archive: {Brief.objects.published().count():,} published briefs.")
    print("Load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    measure(args.repeat)
    explain()


if __name__ == "__main__":
    main()
