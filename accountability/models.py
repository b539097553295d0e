"""Accountability reports (rendición de cuentas) and citizen questions. Only the models and
the read-only API exist so far: report generation and the public portal are still to be
built (see the accountability-reports and citizen-portal issues)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccountabilityReport(models.Model):
    class Kind(models.TextChoices):
        ACCOUNTABILITY = "accountability", _("Informe de rendición de cuentas")
        MANAGEMENT = "management", _("Informe de gestión")
        ACTION_PLAN = "action_plan", _("Seguimiento al plan de acción")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        QUEUED = "queued", _("En cola")
        GENERATING = "generating", _("Generando")
        READY = "ready", _("Listo")
        PUBLISHED = "published", _("Publicado")
        WITHDRAWN = "withdrawn", _("Retirado")
        FAILED = "failed", _("Falló")

    plan = models.ForeignKey(
        "planning.StrategicPlan",
        on_delete=models.PROTECT,
        related_name="accountability_reports",
        verbose_name=_("plan"),
    )
    periods = models.ManyToManyField(
        "planning.ReportingPeriod",
        related_name="accountability_reports",
        verbose_name=_("periodos cubiertos"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=255)
    summary = models.TextField(_("resumen en lenguaje claro"), blank=True)
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    html_file = models.FileField(_("HTML"), upload_to="reports/", blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="reports/", blank=True)
    data_file = models.FileField(_("datos abiertos"), upload_to="reports/", blank=True)
    snapshot = models.JSONField(_("instantánea"), null=True, blank=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("creado por"),
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generado el"), null=True, blank=True)
    published_at = models.DateTimeField(_("publicado el"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("informe de rendición de cuentas")
        verbose_name_plural = _("informes de rendición de cuentas")
        permissions = [("publish_accountabilityreport", _("Puede publicar informes"))]

    def __str__(self):
        return self.title


class CitizenQuestion(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Recibida")
        ANSWERED = "answered", _("Respondida")
        PUBLISHED = "published", _("Publicada")
        REJECTED = "rejected", _("Rechazada")

    report = models.ForeignKey(
        AccountabilityReport,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("informe"),
    )
    plan = models.ForeignKey(
        "planning.StrategicPlan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizen_questions",
        verbose_name=_("plan"),
    )
    author_name = models.CharField(_("nombre"), max_length=200, blank=True)
    author_email = models.EmailField(_("correo electrónico"), blank=True)
    question = models.TextField(_("pregunta"))
    answer = models.TextField(_("respuesta"), blank=True)
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.RECEIVED
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respondida por"),
    )
    answered_at = models.DateTimeField(_("respondida el"), null=True, blank=True)
    created_at = models.DateTimeField(_("recibida el"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pregunta ciudadana")
        verbose_name_plural = _("preguntas ciudadanas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | ~Q(answer=""),
                name="question_published_needs_answer",
            ),
        ]

    def __str__(self):
        return self.question[:80]
