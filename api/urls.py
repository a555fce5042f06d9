from django.http import JsonResponse
from django.urls import path, re_path

from .views import api


def unknown_address(request):
    return JsonResponse({"detail": f"There is nothing at {request.path}."}, status=404)


urlpatterns = [
    path("v1/", api.urls),
    # Anything else under /api/ (ending in a slash, so APPEND_SLASH still redirects) is a JSON 404.
    re_path(r"^(?:.*/)?$", unknown_address),
]
