"""Pages of the traceability floor. They show figures of several apps but belong to the URL
areas users know (/planeacion/, /gestion/), so they are lists that the wiring
(``mipg/urls.py``) joins to those areas' namespaces; ``urlpatterns`` are the floor's own."""

from django.urls import path

from mipg.traceability.views import (
    dashboard,
    details,
    home,
    integrity,
    pending,
    review,
    spreadsheet,
    trace,
    workspace,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("trazabilidad/<str:label>/<int:pk>/", trace.trace, name="trace"),
    path("tablero/", dashboard.dashboard, name="dashboard"),
    path("tablero/exportar.xlsx", dashboard.dashboard_export, name="dashboard-export"),
]

# /planeacion/ (namespace "planning"): the plan workspace with physical, financial and
# semáforo columns, goal and action pages, the integrity report and the plan's approval
# (refused while that report has errors).
planning_area = [
    path("planes/", workspace.plan_list, name="plan-list"),
    path("planes/<int:pk>/", workspace.plan_detail, name="plan-detail"),
    path("objetivos/<int:pk>/rama/", workspace.objective_branch, name="objective-branch"),
    path("metas/<int:pk>/rama/", workspace.goal_branch, name="goal-branch"),
    path("planes/<int:pk>/integridad/", integrity.plan_integrity, name="plan-integrity"),
    path("planes/<int:pk>/aprobar/", integrity.plan_approve, name="plan-approve"),
    path("planes/<int:pk>/explicar/", dashboard.plan_explain, name="plan-explain"),
    path("planes/<int:pk>/plan-de-accion.xlsx", spreadsheet.plan_export, name="plan-export"),
    path("planes/<int:pk>/seguimiento.xlsx", spreadsheet.plan_follow_up, name="plan-follow-up"),
    path("planes/<int:pk>/plantilla.xlsx", spreadsheet.plan_template, name="plan-template"),
    path("planes/<int:pk>/importar/", spreadsheet.plan_import, name="plan-import"),
    path(
        "planes/<int:pk>/importar/confirmar/",
        spreadsheet.plan_import_confirm,
        name="plan-import-confirm",
    ),
    path(
        "planes/<int:pk>/importar/tareas/<int:job_id>/",
        spreadsheet.plan_import_job,
        name="plan-import-job",
    ),
    path(
        "planes/<int:pk>/importar/errores/<str:token>/",
        spreadsheet.plan_import_errors,
        name="plan-import-errors",
    ),
    path("metas/<int:pk>/", details.goal_detail, name="goal-detail"),
    path("actividades/<int:pk>/", details.action_detail, name="action-detail"),
]

# /gestion/ (namespace "management"): the worklists of progress reports and measurements.
management_area = [
    path("pendientes/", pending.my_pending, name="my-pending"),
    path("revision/", review.review_queue, name="review-queue"),
]
