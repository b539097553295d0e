from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraceabilityConfig(AppConfig):
    """The traceability floor: no models of its own; its templates and Celery tasks are
    found through this app."""

    name = "mipg.traceability"
    label = "traceability"
    verbose_name = _("Trazabilidad")
