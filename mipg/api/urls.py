"""/api/: version 1 of the REST API, its OpenAPI schema and documentation pages."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from accountability.api.views import AccountabilityReportViewSet, CitizenQuestionViewSet
from evaluation.api.views import IndicatorViewSet, MeasurementViewSet, TargetViewSet
from management.api.views import (
    BudgetAllocationViewSet,
    BudgetExecutionViewSet,
    BudgetModificationViewSet,
    FundingSourceViewSet,
    ProgressReportViewSet,
)
from mipg.core.api import views
from mipg.core.api.exceptions import not_found
from mipg.traceability.api.approval import PlanApprovalViewSet
from mipg.traceability.api.rollup import PlanRollupViewSet
from planning.api.views import (
    ActionViewSet,
    GoalViewSet,
    ObjectiveViewSet,
    PeriodViewSet,
    PlanViewSet,
)

app_name = "api"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("dimensions", views.DimensionViewSet, basename="dimension")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register(
    "institutional-plans", views.InstitutionalPlanViewSet, basename="institutional-plan"
)
router.register("plans", PlanViewSet, basename="plan")
router.register("plans", PlanRollupViewSet, basename="plan-rollup")
# The approval checks the integrity report (traceability floor), not planning's viewset.
router.register("plans", PlanApprovalViewSet, basename="plan-approval")
router.register("objectives", ObjectiveViewSet, basename="objective")
router.register("goals", GoalViewSet, basename="goal")
router.register("actions", ActionViewSet, basename="action")
router.register("periods", PeriodViewSet, basename="period")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("targets", TargetViewSet, basename="target")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("funding-sources", FundingSourceViewSet, basename="funding-source")
router.register("budget-allocations", BudgetAllocationViewSet, basename="budget-allocation")
router.register("budget-executions", BudgetExecutionViewSet, basename="budget-execution")
router.register("budget-modifications", BudgetModificationViewSet, basename="budget-modification")
router.register(
    "accountability-reports", AccountabilityReportViewSet, basename="accountability-report"
)
router.register("citizen-questions", CitizenQuestionViewSet, basename="citizen-question")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's script is served by its own URL (no inline script, see the CSP in
    # settings). Redoc injects its styles and starts a search worker at run time: that page
    # alone allows inline styles and blob: workers.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path(
        "redoc/",
        csp_update({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(
            SpectacularRedocView.as_view(url_name="api:schema")
        ),
        name="redoc",
    ),
    # Anything else under /api/ answers a JSON 404, never the HTML page.
    re_path(r"^.*$", not_found),
]
