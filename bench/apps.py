from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark tools: the synthetic-archive generator (`manage.py generate_briefs`).

    Installed only where the `bench` folder is present (a checkout), never in the production
    image, which leaves the folder out."""

    name = "bench"
    verbose_name = "Benchmark tools"
