"""HTTP manners of the Content API: open CORS for reading, caching headers and conditional GETs."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import http_date

from .selectors import content_last_modified

API_PREFIX = "/api/"
CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified",
    "Access-Control-Max-Age": "86400",
}
# Schema and docs pages change only with a deployment: no data freshness to compute for them.
NOT_DATA = ("/api/v1/openapi.json", "/api/v1/docs")


class ContentApiMiddleware:
    """For /api/ only: answers CORS preflights, and gives successful data answers Cache-Control, an
    ETag of the body and the content's Last-Modified, turning them into 304 Not Modified when the
    client's copy is current. The operations answer HEAD themselves (django-ninja); the body of a
    HEAD answer is dropped here, after its ETag was taken."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        else:
            response = self.get_response(request)
            if request.method in ("GET", "HEAD") and response.status_code == 200:
                response = self.cacheable(request, response)
            if request.method == "HEAD" and not response.streaming:
                response.content = b""
        for name, value in CORS_HEADERS.items():
            response.headers[name] = value
        return response

    def cacheable(self, request, response):
        response.headers["Cache-Control"] = CACHE_CONTROL
        if request.path.startswith(NOT_DATA) or response.streaming:
            return response
        set_response_etag(response)
        last_modified = content_last_modified()
        if last_modified:
            response.headers["Last-Modified"] = http_date(last_modified.timestamp())
        return get_conditional_response(
            request,
            etag=response.headers["ETag"],
            last_modified=last_modified and int(last_modified.timestamp()),
            response=response,
        )
