"""The task worker and the cost of a hero image to the editor who saves it (part of `make bench`).

1. Worker: N no-op tasks are queued in the database, then one real `manage.py run_worker` process
   runs them. Reports tasks per second (first start to last finish) and the latency from enqueue to
   start: with the worker already idle and waiting (one task at a time, as an editor's save queues
   one), and for a burst of N queued at once.
2. Saving a brief: the admin's change form is posted with and without a new 1600×1000 JPEG, as an
   editor's browser sends it, on the same database. The image is only checked and stored during the
   save; decoding, re-encoding and renditions happen in the worker. Target: with an image ≤ 1.2×
   without.

Runs on a fresh SQLite file by default, or `--database-url postgres://…` (the database is created
and migrated). Benchmarks report; they never fail.

    python bench/worker_bench.py [--tasks 500] [--saves 30] [--database-url URL]
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results-worker.json"


def configure(database_url, media_root):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="briefs_cms.settings",
        DATABASE_URL=database_url,
        DEBUG="1",
        TASKS_BACKEND="database",
        MEDIA_ROOT=media_root,
        PUBLIC_PAGE_CACHE="0",
    )
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    import logging

    logging.getLogger("django.tasks").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def start_worker():
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_worker"],
        cwd=ROOT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_all_done(ids, timeout=300):
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DBTaskResult.objects.filter(id__in=ids, finished_at__isnull=False).count() == len(ids):
            return True
        time.sleep(0.05)
    return False


def task_times(ids):
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(id__in=ids).values_list("enqueued_at", "started_at", "finished_at")
    )


def bench_worker(n):
    from bench.tasks import noop

    worker = start_worker()
    try:
        # Idle worker: one task at a time, the way a save queues one.
        time.sleep(3)
        single = []
        for _ in range(20):
            result = noop.enqueue()
            wait_all_done([result.id], timeout=30)
            ((enqueued, started, _),) = task_times([result.id])
            single.append((started - enqueued).total_seconds() * 1000)
        # A burst: N queued at once.
        ids = [noop.enqueue().id for _ in range(n)]
        wait_all_done(ids)
        rows = task_times(ids)
    finally:
        worker.terminate()
        worker.wait(10)
    first_start = min(started for _, started, _ in rows)
    last_finish = max(finished for _, _, finished in rows)
    burst_latency = sorted((started - enqueued).total_seconds() * 1000 for enqueued, started, _ in rows)
    return {
        "tasks": n,
        "tasks_per_second": round(n / (last_finish - first_start).total_seconds(), 1),
        "idle_latency_ms_median": round(statistics.median(single), 1),
        "idle_latency_ms_p95": round(sorted(single)[int(len(single) * 0.95) - 1], 1),
        "burst_latency_ms_median": round(statistics.median(burst_latency), 1),
        "burst_latency_ms_max": round(burst_latency[-1], 1),
    }


def jpeg(width=1600, height=1000):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (30, 90, 110))
    draw = ImageDraw.Draw(image)
    for i in range(0, width, 40):
        draw.line([(i, 0), (width - i, height)], fill=(200, (i * 7) % 255, 80), width=6)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def bench_saves(n):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tests.briefs.admin_forms import admin_form_data
    from tests.factories import BriefFactory

    setup_test_environment()
    user = get_user_model().objects.create_superuser("bench-editor", "bench@example.org", "x")
    client = Client()
    client.force_login(user)
    image = jpeg()
    timings = {"without_image": [], "with_image": []}
    for i in range(n):
        for kind in ("without_image", "with_image"):  # interleaved, so machine noise hits both alike
            brief = BriefFactory(author=user, headline=f"Bench brief {kind} {i}")
            url = f"/admin/briefs/brief/{brief.pk}/change/"
            data = admin_form_data(client.get(url))
            data["dek"] = f"A new summary {i}."
            if kind == "with_image":
                data["hero_image"] = SimpleUploadedFile("hero.jpg", image, content_type="image/jpeg")
                data["hero_alt"], data["hero_credit"] = "Lines on teal", "Bench"
            started = time.perf_counter()
            response = client.post(url, data)
            timings[kind].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code
    without = statistics.median(timings["without_image"][2:])
    with_image = statistics.median(timings["with_image"][2:])
    return {
        "saves_each": n,
        "image_bytes": len(image),
        "save_without_image_ms_median": round(without, 1),
        "save_with_image_ms_median": round(with_image, 1),
        "ratio": round(with_image / without, 2),
        "target_ratio": 1.2,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--saves", type=int, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefs-worker-bench-") as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        configure(url, f"{tmp}/media")
        database = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        worker = bench_worker(args.tasks)
        saves = bench_saves(args.saves)
    print(f"\nTask worker ({database}, database backend, one worker process)")
    print(f"  throughput: {worker['tasks_per_second']} tasks/s over a burst of {worker['tasks']}")
    print(
        f"  enqueue → start, idle worker: median {worker['idle_latency_ms_median']} ms, "
        f"p95 {worker['idle_latency_ms_p95']} ms"
    )
    print(
        f"  enqueue → start, burst: median {worker['burst_latency_ms_median']} ms, "
        f"last {worker['burst_latency_ms_max']} ms"
    )
    print(f"\nSaving a brief in the admin ({database}, median of {saves['saves_each']} each)")
    print(f"  without an image: {saves['save_without_image_ms_median']} ms")
    print(f"  with a new {saves['image_bytes'] // 1024} KB JPEG: {saves['save_with_image_ms_median']} ms")
    verdict = "within" if saves["ratio"] <= saves["target_ratio"] else "OVER"
    print(f"  ratio {saves['ratio']}× ({verdict} the {saves['target_ratio']}× target)")
    RESULTS.write_text(json.dumps({"database": database, "worker": worker, "saves": saves}, indent=2) + "\n")


if __name__ == "__main__":
    main()
