from django.urls import path  # noqa: F401

from evaluation.views import indicators, lists, measurements

app_name = "evaluation"

urlpatterns = [
    # Indicators: list with exports, hoja de vida, create/edit and targets per period.
    path("indicadores/", lists.indicator_list, name="indicator-list"),
    path("indicadores/exportar/<str:fmt>/", lists.indicator_export, name="indicator-export"),
    path("indicadores/nuevo/", indicators.indicator_create, name="indicator-create"),
    path("indicadores/<int:pk>/", indicators.indicator_detail, name="indicator-detail"),
    path("indicadores/<int:pk>/editar/", indicators.indicator_edit, name="indicator-edit"),
    path("indicadores/<int:pk>/metas/", indicators.indicator_targets, name="indicator-targets"),
    # Reporting workflow: measurements and their evidence.
    path(
        "mediciones/nueva/<int:indicator_pk>/<int:period_pk>/",
        measurements.measurement_create,
        name="measurement-create",
    ),
    path("mediciones/<int:pk>/", measurements.measurement_detail, name="measurement-detail"),
    path("mediciones/<int:pk>/editar/", measurements.measurement_edit, name="measurement-edit"),
    path("mediciones/<int:pk>/enviar/", measurements.measurement_submit, name="measurement-submit"),
    path(
        "mediciones/<int:pk>/aprobar/", measurements.measurement_approve, name="measurement-approve"
    ),
    path(
        "mediciones/<int:pk>/devolver/", measurements.measurement_return, name="measurement-return"
    ),
    path(
        "evidencias/<int:pk>/descargar/",
        measurements.evidence_download,
        name="evidence-download",
    ),
    path("evidencias/<int:pk>/eliminar/", measurements.evidence_delete, name="evidence-delete"),
]
