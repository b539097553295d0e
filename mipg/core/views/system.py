"""Views of the site itself: the health probe and the 400, 403 and 500 pages."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from mipg.core.api.exceptions import error_body


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down" for a probe
        return f"error: {exc.__class__.__name__}"


def _broker_state():
    if not settings.CELERY_BROKER_URL:
        return "inline"
    try:
        # A fresh connection each time: a pooled one could hide a broker that went away.
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {exc.__class__.__name__}"


@never_cache
@require_GET
def healthz(request):
    """Liveness/readiness probe: 200 when the database and the broker answer, else 503."""
    state = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(value in ("ok", "inline") for value in state.values())
    state["status"] = "ok" if healthy else "error"
    return JsonResponse(state, status=200 if healthy else 503)


def permission_denied(request, exception=None):
    """403 page in Spanish that shows the reason given by the permission check."""
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"exception": message}, status=403)


def bad_request(request, exception):
    """400 raised before the API's views (e.g. an unknown Host header): under /api/ the
    JSON error body every API error has, elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(_("Solicitud inválida."), "bad_request"), status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    """500: under /api/ the JSON error body every API error has, elsewhere the HTML page."""
    if request.path.startswith("/api/"):
        body = error_body(
            _("Error interno del servidor; se registró para revisarlo."), "server_error"
        )
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
