"""Accountability reports (rendición de cuentas) and citizen questions.

A report freezes the approved figures of a plan at its cut-off (the last of its periods)
into ``snapshot`` and writes its outputs from it (``ReportFile``: HTML, open data, PDF),
each with its SHA-256. ``sha256`` is the hash of the report's manifest (its files' hashes
and ``previous_sha256``, the hash of the plan's previous published report): the hash
chain that ``manage.py verify_reports`` checks. Generation runs in Celery
(accountability.tasks); the statuses map the job's life: queued (pending) → generating
(running) → ready (generated) | failed, then published → withdrawn. ``progressed_at`` is
the job's heartbeat (queued, started, each step): a queued or generating report whose
heartbeat is older than ``MIPG_REPORT_STALE_SECONDS`` is failed by
``services.fail_stale_reports``. ``attempt`` numbers the runs of the job, so that a run
overtaken by a newer one (a redelivery, a retry) stops and records nothing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
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
    previous_sha256 = models.CharField(
        _("SHA-256 del informe publicado anterior"), max_length=64, blank=True, editable=False
    )
    steps_done = models.PositiveSmallIntegerField(_("pasos hechos"), default=0, editable=False)
    steps_total = models.PositiveSmallIntegerField(_("pasos"), default=0, editable=False)
    generation = models.PositiveIntegerField(_("generación"), default=0, editable=False)
    attempt = models.PositiveIntegerField(_("intento de generación"), default=0, editable=False)
    progressed_at = models.DateTimeField(
        _("último avance de la generación"), null=True, blank=True, editable=False
    )
    withdrawn_reason = models.TextField(_("motivo del retiro"), blank=True)
    withdrawn_at = models.DateTimeField(_("retirado el"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("publicado por"),
    )
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

    def get_absolute_url(self):
        return reverse("accountability:report-detail", args=[self.pk])

    @property
    def is_running(self):
        return self.status in (self.Status.QUEUED, self.Status.GENERATING)

    @property
    def is_frozen(self):
        """Published or withdrawn: its files and snapshot never change again."""
        return self.status in (self.Status.PUBLISHED, self.Status.WITHDRAWN)


class ReportFile(models.Model):
    """One output of a report's generation, with the SHA-256 of its bytes."""

    report = models.ForeignKey(
        AccountabilityReport,
        on_delete=models.PROTECT,
        related_name="files",
        verbose_name=_("informe"),
    )
    name = models.CharField(_("nombre"), max_length=100)
    file = models.FileField(_("archivo"), max_length=255)
    media_type = models.CharField(_("tipo de contenido"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"))

    class Meta:
        ordering = ["report", "name"]
        verbose_name = _("archivo de informe")
        verbose_name_plural = _("archivos de informe")
        constraints = [
            models.UniqueConstraint(fields=["report", "name"], name="report_file_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accountability:report-file", args=[self.report_id, self.name])


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
