"""A database that has gone away is an outage, not a bug: 503 with Retry-After, never a 500.

Load balancers, CDNs and crawlers treat a 503 as "come back later"; a 500 looks like a
broken page. Views that fail because the database cannot be reached answer 503 (JSON under
/api/), and the page cache serves an older copy of a public page when it has one.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template import loader
from django.template.response import TemplateResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
OUTAGE_HEADER = "X-Database-Unavailable"


def is_database_outage(error):
    """An error that says the database cannot be reached (not a bad query)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    # SQLite under load says "database is locked": a busy database, not a lost one.
    return "database is locked" not in str(error).lower()


def is_outage_response(response):
    return response.status_code == 503 and response.has_header(OUTAGE_HEADER)


def outage_response(request):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is briefly unavailable. Please try again in a moment."}, status=503
        )
    else:
        template = loader.get_template("503.html")
        response = TemplateResponse(request, template, status=503)
        response.render()
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    response[OUTAGE_HEADER] = "1"
    return response


class DatabaseOutageMiddleware:
    """Turns a lost database connection in a view into a 503 page, logged as a warning."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.warning("Database unavailable while serving %s: %s", request.path, exception)
        return outage_response(request)


def outage_in_progress():
    """True inside an error handler when the error being handled is a database outage."""
    error = sys.exc_info()[1]
    return error is not None and is_database_outage(error)
