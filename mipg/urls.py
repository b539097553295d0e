from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from mipg import views, views_trace

admin.site.site_header = _("MIPG · Administración")
admin.site.site_title = _("MIPG")
admin.site.index_title = _("Administración del Modelo Integrado de Planeación y Gestión")

urlpatterns = [
    path("", views.home, name="home"),
    path("cuenta/", include("django.contrib.auth.urls")),
    path("cuenta/tokens/", include("mipg.api.token_urls")),
    path("planeacion/", include("planning.urls")),
    path("gestion/", include("management.urls")),
    path("evaluacion/", include("evaluation.urls")),
    path("trazabilidad/<str:label>/<int:pk>/", views_trace.trace, name="trace"),
    path("historial/<str:label>/<int:pk>/", views_trace.history, name="history"),
    path("api/", include("mipg.api.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]


handler403 = "mipg.views.permission_denied"
