"""Refuse query strings no view can use, before any view or the database sees them."""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"
MESSAGE = "The address contains a NUL character."


class RejectNulQueryMiddleware:
    """A NUL in a query parameter is a 400: PostgreSQL refuses it in any string, so it would fail later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.META.get("QUERY_STRING", "") or any(
            NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
