from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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
    from kombu import Connection

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


# Plans rolled up on the home page: each roll-up costs a fixed number of queries, so the
# dashboard stays bounded however many plans there are; the rest are one click away.
HOME_PLAN_LIMIT = 6


@login_required
def home(request):
    """Dashboard: the current (not closed) plans with physical and financial progress and
    their semáforo counts side by side."""
    from django.db.models import Count

    from evaluation.rollup import plan_rollup
    from evaluation.selectors import SemaforoState
    from planning.models import StrategicPlan

    current = StrategicPlan.objects.exclude(status=StrategicPlan.Status.CLOSED)
    plans = current.select_related("parent").order_by("-start_year", "name", "pk")
    cards = [
        {
            "plan": plan,
            "rollup": rollup,
            "semaforo": [
                (state.value, state.label, rollup.semaforo_counts.get(state, 0))
                for state in SemaforoState
            ],
        }
        for plan in plans[:HOME_PLAN_LIMIT]
        for rollup in [plan_rollup(plan)]
    ]
    by_status = dict(
        StrategicPlan.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "mipg/home.html",
        {
            "cards": cards,
            "current_count": by_status.get(StrategicPlan.Status.DRAFT, 0)
            + by_status.get(StrategicPlan.Status.APPROVED, 0),
            "closed_count": by_status.get(StrategicPlan.Status.CLOSED, 0),
            "limit": HOME_PLAN_LIMIT,
        },
    )


def permission_denied(request, exception=None):
    """403 page in Spanish that shows the reason given by the permission check."""
    message = str(exception) if exception and str(exception) else ""
    return render(request, "403.html", {"exception": message}, status=403)
