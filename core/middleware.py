"""Query strings cleaned before any view or the database sees them."""

from django.http import QueryDict

NUL = "\x00"


class DropNulFromQueryMiddleware:
    """NUL characters are removed from query parameters: PostgreSQL refuses them in any string.

    Views (search, glossary filter, admin filters, the API) then treat `?q=a%00b` as `?q=ab`
    instead of failing with a DataError deep inside a query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("QUERY_STRING", "")
        if NUL in raw or "%00" in raw:
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace(NUL, ""), [value.replace(NUL, "") for value in values])
            cleaned._mutable = False
            request.GET = cleaned
            request.META["QUERY_STRING"] = cleaned.urlencode(safe="/")
        return self.get_response(request)
