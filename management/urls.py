from django.urls import path  # noqa: F401

from management.views import action_list, budget, lists, ratings, reports
from mipg.core.review import views as workflow

app_name = "management"

urlpatterns = [
    # Budget of an action, and the lists of reports and budget lines with their exports.
    path("actividades/<int:pk>/presupuesto/", budget.action_budget_page, name="action-budget"),
    path(
        "actividades/<int:action_pk>/presupuesto/nueva/",
        budget.allocation_create,
        name="allocation-create",
    ),
    path("asignaciones/<int:pk>/editar/", budget.allocation_edit, name="allocation-edit"),
    path("asignaciones/<int:pk>/eliminar/", budget.allocation_delete, name="allocation-delete"),
    path(
        "asignaciones/<int:pk>/ejecucion/nueva/",
        budget.execution_create,
        name="execution-create",
    ),
    path("ejecuciones/<int:pk>/eliminar/", budget.execution_delete, name="execution-delete"),
    path(
        "asignaciones/<int:pk>/modificacion/nueva/",
        budget.modification_create,
        name="modification-create",
    ),
    path(
        "modificaciones/<int:pk>/eliminar/",
        budget.modification_delete,
        name="modification-delete",
    ),
    path("presupuesto/", lists.allocation_list, name="allocation-list"),
    path("presupuesto/exportar/<str:fmt>/", lists.allocation_export, name="allocation-export"),
    path("reportes/", lists.report_list, name="report-list"),
    path("reportes/exportar/<str:fmt>/", lists.report_export, name="report-export"),
    # Reporting workflow: progress reports and evidence (the review queue and «Mis
    # pendientes» list measurements too: they are in mipg.traceability.urls).
    path(
        "reportes/nuevo/<int:action_pk>/<int:period_pk>/",
        reports.report_create,
        name="report-create",
    ),
    *workflow.figure_urls(reports.REPORTS, prefix="reportes", name="report"),
]

# Pages of the planning URL area (/planeacion/, namespace "planning") that show management
# figures (physical progress): the wiring joins them to planning.urls.
planning_area = [
    path("actividades/", action_list.action_list, name="action-list"),
    path("actividades/exportar/<str:fmt>/", action_list.action_export, name="action-export"),
    # Control interno's ratings.
    path("calificaciones/", ratings.rating_list, name="rating-list"),
    path(
        "calificaciones/<int:action_pk>/<int:year>/<int:semester>/",
        ratings.rating_edit,
        name="rating-edit",
    ),
]
