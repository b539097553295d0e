"""Pages of the accountability floor, joined by the wiring: ``urlpatterns`` are the staff
pages (namespace "accountability", /rendicion-de-cuentas/), ``public_urlpatterns`` the
citizen portal (namespace "public", /transparencia/, no login)."""

from django.urls import path

from accountability.views import public, public_plans, public_questions, questions, staff

urlpatterns = [
    path("", staff.report_list_view, name="report-list"),
    path("nuevo/", staff.report_create, name="report-create"),
    path("<int:pk>/", staff.report_detail, name="report-detail"),
    path("<int:pk>/reintentar/", staff.report_retry, name="report-retry"),
    path("<int:pk>/publicar/", staff.report_publish, name="report-publish"),
    path("<int:pk>/retirar/", staff.report_withdraw, name="report-withdraw"),
    path("<int:pk>/archivos/<str:name>", staff.report_file, name="report-file"),
    path("preguntas/", questions.question_list, name="question-list"),
    path("preguntas/<int:pk>/", questions.question_detail, name="question-detail"),
    path("preguntas/<int:pk>/rechazar/", questions.question_reject, name="question-reject"),
    path("preguntas/<int:pk>/fusionar/", questions.question_merge, name="question-merge"),
    path("compromisos/", questions.commitment_list_view, name="commitment-list"),
    path("compromisos/<int:pk>/", questions.commitment_update, name="commitment-update"),
]

public_urlpatterns = [
    path("", public.home, name="home"),
    path("identidad.css", public.identity_css, name="identity-css"),
    path("informes/", public.report_list, name="report-list"),
    path("informes/<int:pk>/", public.report_detail, name="report-detail"),
    path("informes/<int:pk>/archivos/<str:name>", public.report_file, name="report-file"),
    path("informes/<int:pk>/verificar/", public.report_verify, name="report-verify"),
    path("informes/<int:pk>/preguntar/", public_questions.question_ask, name="question-ask"),
    path(
        "informes/<int:pk>/pregunta-enviada/",
        public_questions.question_sent,
        name="question-sent",
    ),
    path("planes/", public_plans.plan_list, name="plan-list"),
    path("planes/<int:plan_id>/", public_plans.plan_detail, name="plan-detail"),
    path(
        "planes/<int:plan_id>/indicadores/",
        public_plans.indicator_list,
        name="plan-indicators",
    ),
    path(
        "planes/<int:plan_id>/objetivos/<int:objective_key>/",
        public_plans.objective_detail,
        name="plan-objective",
    ),
    path("planes/<int:plan_id>/metas/<int:goal_key>/", public_plans.goal_detail, name="plan-goal"),
    path(
        "planes/<int:plan_id>/actividades/<int:action_id>/",
        public_plans.action_detail,
        name="plan-action",
    ),
    path("datos-abiertos/", public_plans.dataset_list, name="dataset-list"),
    path("datos-abiertos/<int:pk>/", public_plans.dataset_detail, name="dataset-detail"),
    path("logo", public.entity_logo, name="entity-logo"),
]
