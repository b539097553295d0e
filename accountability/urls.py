"""Pages of the accountability floor (namespace "accountability", joined by the wiring)."""

from django.urls import path

from accountability import views

urlpatterns = [
    path("", views.report_list_view, name="report-list"),
    path("nuevo/", views.report_create, name="report-create"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/reintentar/", views.report_retry, name="report-retry"),
    path("<int:pk>/publicar/", views.report_publish, name="report-publish"),
    path("<int:pk>/retirar/", views.report_withdraw, name="report-withdraw"),
    path("<int:pk>/archivos/<str:name>", views.report_file, name="report-file"),
]
