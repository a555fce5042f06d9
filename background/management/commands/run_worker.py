from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.crypto import get_random_string


class Command(BaseCommand):
    help = (
        "Run a task worker for the configured backend (TASKS_BACKEND): database workers beat a "
        "heartbeat and take over the tasks of workers that died; run as many as the queue needs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument(
            "--interval", type=float, default=0.5, help="Seconds between looks at an empty queue."
        )
        parser.add_argument("--worker-id", default=None, help="Unique name of this worker (default: random).")

    def handle(self, *args, batch, interval, worker_id, verbosity, **options):
        backend = settings.TASKS_BACKEND
        if backend == "database":
            from background.worker import HeartbeatWorker

            if verbosity > 0:
                self.stdout.write("Task worker started (database queue).")
            HeartbeatWorker(
                queue_names=["*"],
                interval=interval,
                batch=batch,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id or get_random_string(32),
                excluded_queue_names=[],
            ).run_signals_and_loop()
        elif backend == "redis":
            from django.core.management import call_command

            # RQ's own worker, running our tasks through django-tasks-rq's job class.
            options = {"job_class": "django_tasks_rq.backend.Job", "with_scheduler": True, "burst": batch}
            if worker_id:
                options["name"] = worker_id
            call_command("rqworker", "default", **options)
        else:
            raise CommandError(
                f"TASKS_BACKEND={backend!r} runs tasks as they are queued: there is no worker."
            )
