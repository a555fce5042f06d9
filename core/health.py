"""`/healthz` for load balancers and container health checks: answers before host and TLS checks."""

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

HEALTH_PATH = "/healthz"


class HealthCheckMiddleware:
    """200 when the database and the cache answer, 503 otherwise; nothing else is revealed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            cache.get("healthz")
        except Exception:  # noqa: BLE001 - any failure means "not healthy"
            response = HttpResponse("unavailable\n", status=503, content_type="text/plain")
        else:
            response = HttpResponse("ok\n", content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response
