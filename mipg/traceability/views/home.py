"""Home page: the current plans with physical and financial progress and their semáforo
counts side by side."""

from django.db.models import Count
from django.shortcuts import redirect, render

from evaluation.selectors import SemaforoState
from mipg.core import roles
from mipg.traceability.rollup import rollups_of, with_serving_flag
from planning.models import StrategicPlan

# Plans shown on the home page (rolled up together in a fixed number of queries,
# ``rollups_of``); the rest are one click away.
HOME_PLAN_LIMIT = 6


def home(request):
    """The current (not closed) plans with physical and financial progress and their
    semáforo counts side by side. A Directivo's home is the dashboard; a user who is only
    a Responsable goes to «Mis pendientes»; an anonymous visitor goes to the citizen portal
    (/transparencia/)."""
    if not request.user.is_authenticated:
        return redirect("public:home")
    if not request.user.is_superuser:
        names = set(request.user.groups.values_list("name", flat=True))
        if roles.DIRECTIVO in names:
            return redirect("dashboard")
        if names == {roles.RESPONSABLE}:
            return redirect("management:my-pending")
    current = StrategicPlan.objects.exclude(status=StrategicPlan.Status.CLOSED)
    plans = (
        with_serving_flag(current)
        .select_related("parent")
        .prefetch_related("periods")
        .order_by("-start_year", "name", "pk")
    )
    plans = list(plans[:HOME_PLAN_LIMIT])
    # the cards show each plan's totals: every plan at once, no action node built
    rollups = rollups_of(plans)
    cards = [
        {
            "plan": plan,
            "rollup": rollup,
            "semaforo": [
                (state.value, state.label, rollup.semaforo_counts.get(state, 0))
                for state in SemaforoState
            ],
        }
        for plan in plans
        for rollup in [rollups[plan.pk]]
    ]
    by_status = dict(
        StrategicPlan.objects.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return render(
        request,
        "traceability/home.html",
        {
            "cards": cards,
            "current_count": by_status.get(StrategicPlan.Status.DRAFT, 0)
            + by_status.get(StrategicPlan.Status.APPROVED, 0),
            "closed_count": by_status.get(StrategicPlan.Status.CLOSED, 0),
            "limit": HOME_PLAN_LIMIT,
        },
    )
