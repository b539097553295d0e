from django.urls import path  # noqa: F401

from evaluation.views import indicators, lists, measurements
from mipg.core.review import views as workflow

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
    *workflow.figure_urls(measurements.MEASUREMENTS, prefix="mediciones", name="measurement"),
]
