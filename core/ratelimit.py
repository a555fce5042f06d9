"""Per-client request limits for the costly public endpoints (search and the Content API).

Counted with django-ratelimit in the shared cache (Redis in production, so every worker
counts together), per client address as the proxy in front of us reports it. A client over
its limit gets 429 with `Retry-After` (JSON under /api/) instead of a search or a query.
nginx applies a coarser limit of its own before a request even reaches the app
(deploy/nginx.conf, `limit_req`).
"""

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django_ratelimit.core import get_usage


def client_address(group, request):
    """The client's address: REMOTE_ADDR, or the one `PROXY_COUNT` trusted proxies report."""
    hops = getattr(settings, "PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _limit_for(path):
    for prefix, rate in getattr(settings, "REQUEST_RATE_LIMITS", {}).items():
        if path.startswith(prefix) and rate:
            return prefix, rate
    return None, None


def too_many_requests(request, retry_after):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": f"Too many requests from your address; try again in {retry_after} s."}, status=429
        )
    else:
        response = TemplateResponse(request, "429.html", {"retry_after": retry_after}, status=429)
        response.render()
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RequestRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefix, rate = _limit_for(request.path_info)
        if rate is None:
            return self.get_response(request)
        usage = get_usage(request, group=f"requests:{prefix}", key=client_address, rate=rate, increment=True)
        if usage is not None and usage["should_limit"]:
            return too_many_requests(request, max(1, int(usage["time_left"])))
        return self.get_response(request)
