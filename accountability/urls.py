"""Pages of the accountability floor, joined by the wiring: ``urlpatterns`` are the staff
pages (namespace "accountability", /rendicion-de-cuentas/), ``public_urlpatterns`` the
citizen portal (namespace "public", /transparencia/, no login)."""

from django.urls import path

from accountability.views import public, staff

urlpatterns = [
    path("", staff.report_list_view, name="report-list"),
    path("nuevo/", staff.report_create, name="report-create"),
    path("<int:pk>/", staff.report_detail, name="report-detail"),
    path("<int:pk>/reintentar/", staff.report_retry, name="report-retry"),
    path("<int:pk>/publicar/", staff.report_publish, name="report-publish"),
    path("<int:pk>/retirar/", staff.report_withdraw, name="report-withdraw"),
    path("<int:pk>/archivos/<str:name>", staff.report_file, name="report-file"),
]

public_urlpatterns = [
    path("", public.home, name="home"),
    path("identidad.css", public.identity_css, name="identity-css"),
    path("informes/", public.report_list, name="report-list"),
    path("informes/<int:pk>/", public.report_detail, name="report-detail"),
    path("informes/<int:pk>/archivos/<str:name>", public.report_file, name="report-file"),
    path("logo", public.entity_logo, name="entity-logo"),
]
