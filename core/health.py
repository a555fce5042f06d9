"""Health for load balancers and operators, answered before host and TLS checks.

`/healthz` (containers' health checks): 200 when the database and the cache answer.
`/health/` (people and monitors): JSON naming each part — the database, the cache and the
task workers' heartbeat — with 503 when any of them is down. The worker's freshness comes
from the app that runs workers, registered with `register_check`.
"""

import json
import time

from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

HEALTH_PATHS = ("/healthz", "/health/")
_checks = {}


def register_check(name, check):
    """`check()` returns (ok: bool, detail: dict); a failure makes /health/ answer 503."""
    _checks[name] = check


def _database():
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, {"ms": round((time.monotonic() - started) * 1000, 1)}


def _cache():
    caches["default"].get("health")
    return True, {"backend": type(caches["default"]).__name__}


def report(names):
    parts, healthy = {}, True
    for name, check in names:
        try:
            ok, detail = check()
        except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
            ok, detail = False, {"error": type(error).__name__}
        parts[name] = {"ok": ok, **detail}
        healthy = healthy and ok
    return healthy, parts


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in HEALTH_PATHS:
            return self.get_response(request)
        if request.path_info == "/healthz":
            healthy, _ = report([("database", _database), ("cache", _cache)])
            response = HttpResponse("ok\n" if healthy else "unavailable\n", content_type="text/plain")
        else:
            healthy, parts = report([("database", _database), ("cache", _cache), *_checks.items()])
            body = json.dumps({"status": "ok" if healthy else "unavailable", **parts}, indent=2)
            response = HttpResponse(body, content_type="application/json")
        if not healthy:
            response.status_code = 503
            response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
