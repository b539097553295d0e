"""The project's URLs. Each URL area (/planeacion/, /gestion/, /evaluacion/) is one namespace
made of the pages of the app it is named after plus the pages of higher floors that show
that app's items with figures of later apps (see docs/architecture.md)."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

import accountability.urls
import evaluation.urls
import management.urls
import planning.urls
from mipg.core.api import token_urls
from mipg.core.views import history, system
from mipg.traceability import urls as traceability_urls

admin.site.site_header = _("MIPG · Administración")
admin.site.site_title = _("MIPG")
admin.site.index_title = _("Administración del Modelo Integrado de Planeación y Gestión")


def area(prefix, namespace, *pattern_lists):
    """One URL area: the patterns of several floors under one prefix and one namespace."""
    return path(prefix, include(([p for ps in pattern_lists for p in ps], namespace)))


urlpatterns = [
    *traceability_urls.urlpatterns,
    path("cuenta/", include("django.contrib.auth.urls")),
    path("cuenta/tokens/", include(token_urls)),
    area(
        "planeacion/",
        "planning",
        planning.urls.urlpatterns,
        management.urls.planning_area,
        traceability_urls.planning_area,
    ),
    area("gestion/", "management", management.urls.urlpatterns, traceability_urls.management_area),
    area("evaluacion/", "evaluation", evaluation.urls.urlpatterns),
    area("rendicion-de-cuentas/", "accountability", accountability.urls.urlpatterns),
    area("transparencia/", "public", accountability.urls.public_urlpatterns),
    path("historial/<str:label>/<int:pk>/", history.history, name="history"),
    path("api/", include("mipg.api.urls")),
    path("healthz", system.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]


handler400 = "mipg.core.views.system.bad_request"
handler403 = "mipg.core.views.system.permission_denied"
handler500 = "mipg.core.views.system.server_error"
