"""The task worker: django-tasks-db's worker, with a heartbeat and recovery of a dead worker's tasks.

A worker writes its heartbeat every WORKER_HEARTBEAT_SECONDS from a thread of its own, so a
long task never makes it look dead. Any worker, at start and then with every heartbeat, puts
back in the queue the tasks that a worker silent for WORKER_PRESUMED_DEAD_SECONDS was running:
a worker killed in the middle of a batch (SIGKILL, a lost machine) loses no task. Tasks are
written to be safe to run twice, so a task run again after a crash does its work once in effect.
"""

import logging
import os
import socket
import threading
import time
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def presumed_dead_before():
    return timezone.now() - timedelta(seconds=settings.WORKER_PRESUMED_DEAD_SECONDS)


def requeue_tasks_of_dead_workers():
    """Put back in the queue the running tasks whose worker has stopped beating; returns how many."""
    cutoff = presumed_dead_before()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    requeued = 0
    with transaction.atomic():
        for result in (
            DBTaskResult.objects.running().filter(started_at__lt=cutoff).select_for_update(skip_locked=True)
        ):
            if result.worker_ids and result.worker_ids[-1] in alive:
                continue
            result.status = TaskResultStatus.READY
            result.started_at = None
            result.save(update_fields=["status", "started_at"])
            requeued += 1
    if requeued:
        logger.warning("Requeued %s task(s) a stopped worker had started.", requeued)
    WorkerHeartbeat.objects.filter(seen_at__lt=timezone.now() - timedelta(days=1)).delete()
    return requeued


class Heartbeat(threading.Thread):
    def __init__(self, worker):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def beat(self):
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "backend": "database",
                "seen_at": timezone.now(),
                "tasks_run": self.worker._run_tasks,
            },
        )

    def run(self):
        while not self.stopped.is_set():
            try:
                close_old_connections()
                self.beat()
                requeue_tasks_of_dead_workers()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the worker keeps working
                logger.exception("Worker heartbeat failed")
            self.stopped.wait(settings.WORKER_HEARTBEAT_SECONDS)
        connection.close()


class HeartbeatWorker(Worker):
    def run_signals_and_loop(self):
        self.configure_signals()
        self.run()

    def run(self):
        heartbeat = Heartbeat(self)
        heartbeat.beat()
        requeue_tasks_of_dead_workers()
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stopped.set()
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()


def newest_heartbeat_age():
    """Seconds since the last worker was heard from, or None when none ever was."""
    seen = WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    return None if seen is None else max(0.0, time.time() - seen.timestamp())


def worker_health():
    """For /health/: is some task worker alive? (Tasks run as they are queued with "immediate".)"""
    if settings.TASKS_BACKEND == "immediate":
        return True, {"backend": "immediate"}
    if settings.TASKS_BACKEND == "redis":
        import django_rq
        from rq import Worker as RQWorker

        workers = RQWorker.all(connection=django_rq.get_connection("default"))
        return bool(workers), {"backend": "redis", "workers": len(workers)}
    age = newest_heartbeat_age()
    alive = WorkerHeartbeat.objects.filter(seen_at__gte=presumed_dead_before()).count()
    detail = {
        "backend": "database",
        "workers": alive,
        "last_heartbeat_seconds_ago": None if age is None else round(age, 1),
    }
    return alive > 0, detail
