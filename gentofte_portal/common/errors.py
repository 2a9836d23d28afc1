"""The server-error page. While the database cannot be reached (a restart, a failover), visitors get a plain 'try
again in a moment' page with HTTP 503 and Retry-After instead of an error, and the log says why. Both pages are
rendered without the request's context processors, which would ask the database again."""

import logging
import sys

import psycopg2
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger("gentofte_portal.database")


@requires_csrf_token
def server_error(request):
    exception = sys.exc_info()[1]
    if _connection_lost(exception):
        logger.warning("Database unavailable for %s %s: %s", request.method, request.path, exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "10"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(render_to_string("500.html"))


def _connection_lost(exception) -> bool:
    """A lost or refused connection, not a query the database rejected (a bug, which stays a 500)."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = exception.__cause__
    # Class 08 is 'connection exception', 57P0x 'operator intervention' (shutdown, crash); no code: no answer at all.
    code = getattr(cause, "pgcode", None)
    return isinstance(cause, psycopg2.OperationalError) and (code is None or code[:2] in ("08", "57"))
