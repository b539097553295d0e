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
overtaken by a newer one (a redelivery, a retry) stops and records nothing.

Citizens ask ``CitizenQuestion``s on published reports; Planeación answers them
(received → answered → published), rejects them with a reason, or merges duplicates
into an original. An answer may record ``Commitment``s (compromisos) of a unit."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mipg.core.models import TEXT_MAX_LENGTH

# The longest citizen question (characters): a question, not a petition (those go by PQRSD).
QUESTION_MAX_LENGTH = 2000


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
    # Not the snapshot: about 12 MB at 20,000 actions, copied again on every save
    # (generation, publication, withdrawal). It is frozen once generated, and the files'
    # hashes (``sha256``, kept in the history) already say what it was.
    history = HistoricalRecords(excluded_fields=["snapshot"])

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

    FROZEN_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)

    def file_url(self, name):
        """Where the file ``name`` of this report is downloaded: the citizen portal's
        address once published (anyone may fetch it), the staff page before."""
        if self.is_frozen:
            return reverse("public:report-file", args=[self.pk, name])
        return reverse("accountability:report-file", args=[self.pk, name])

    @property
    def is_frozen(self):
        """Published or withdrawn: its files and snapshot never change again."""
        return self.status in self.FROZEN_STATUSES


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
        MERGED = "merged", _("Fusionada con otra")

    # The topic a question is about when it is not about one of the report's goals.
    GENERAL_TOPIC = _("General")

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
    show_first_name = models.BooleanField(_("autoriza publicar su primer nombre"), default=False)
    topic_code = models.CharField(_("código de la meta"), max_length=50, blank=True)
    topic_label = models.CharField(_("tema"), max_length=300, blank=True)
    question = models.TextField(_("pregunta"), validators=[MaxLengthValidator(QUESTION_MAX_LENGTH)])
    answer = models.TextField(
        _("respuesta"), blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    rejection_reason = models.TextField(
        _("motivo del rechazo (no público)"),
        blank=True,
        validators=[MaxLengthValidator(TEXT_MAX_LENGTH)],
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicada de"),
    )
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
            models.CheckConstraint(
                condition=Q(status="merged", duplicate_of__isnull=False)
                | Q(~Q(status="merged"), duplicate_of__isnull=True),
                name="question_merged_points_to_original",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="question_rejected_needs_reason",
            ),
        ]

    def __str__(self):
        return self.question[:80]

    def get_absolute_url(self):
        return reverse("accountability:question-detail", args=[self.pk])

    @property
    def public_author(self):
        """How the portal names the author (Ley 1581 de 2012): their first name only when
        they agreed to it, "Ciudadano(a)" otherwise; never the e-mail or the full name."""
        first = self.author_name.split()[0] if self.author_name.strip() else ""
        return first if self.show_first_name and first else _("Ciudadano(a)")

    @property
    def topic(self):
        if not self.topic_code:
            return self.GENERAL_TOPIC
        return f"{self.topic_code} · {self.topic_label}" if self.topic_label else self.topic_code


class CommitmentQuerySet(models.QuerySet):
    def in_state(self, state, *, today):
        """The commitments whose ``state`` (see Commitment.state) is ``state`` on ``today``."""
        State = Commitment.State
        late = Q(due_date__lt=today) & ~Q(status=State.DONE)
        if state == State.OVERDUE:
            return self.filter(late)
        if state == State.DONE:
            return self.filter(status=State.DONE)
        return self.filter(status=state).exclude(late)


class Commitment(models.Model):
    """A compromiso made in the answer to a citizen question: what the entity will do, the
    unit in charge and by when. They feed the next improvement plans (listed per unit).

    The state is stored as pendiente, en curso or cumplido, and shown as **vencido** when
    it is not cumplido and its due date has passed (``state``): one rule, computed on
    reading, so a commitment becomes vencido the day after its due date without a job."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En curso")
        DONE = "done", _("Cumplido")
        OVERDUE = "overdue", _("Vencido")

    STORED_STATES = (State.PENDING, State.IN_PROGRESS, State.DONE)

    question = models.ForeignKey(
        CitizenQuestion,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("pregunta"),
    )
    report = models.ForeignKey(
        AccountabilityReport,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("informe"),
    )
    unit = models.ForeignKey(
        "mipg.Unit",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("dependencia responsable"),
    )
    description = models.TextField(
        _("compromiso"), validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    due_date = models.DateField(_("fecha límite"))
    status = models.CharField(
        _("estado"),
        max_length=16,
        choices=[(s.value, s.label) for s in STORED_STATES],
        default=State.PENDING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    created_at = models.DateTimeField(_("registrado el"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado el"), auto_now=True)
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("compromiso")
        verbose_name_plural = _("compromisos")

    def __str__(self):
        return self.description[:80]

    def state_on(self, today):
        if self.status != self.State.DONE and self.due_date < today:
            return self.State.OVERDUE
        return self.State(self.status)

    @property
    def state(self):
        """pendiente, en curso, cumplido, or vencido when not cumplido after its due date."""
        return self.state_on(timezone.localdate())
