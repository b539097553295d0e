"""MIPG reference framework and organisation: dimensions, policies, Decreto 612 plans,
units (dependencias), users and the entity's own settings."""

import re
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mipg.core.files import delete_after_commit
from mipg.core.permissions import sees_all_figures, unit_ids

# The longest free text (descriptions, narratives, comments, reasons) forms and the API
# accept; the TextFields themselves are unlimited in the database.
TEXT_MAX_LENGTH = 5000
PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
# GOV.CO's blue: white text on it has a contrast ratio of 5.37 to 1.
DEFAULT_ENTITY_COLOR = "#3366CC"
PORTAL_MIN_CONTRAST = 4.5
HEX_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


def white_text_contrast(color):
    """The WCAG 2.1 contrast ratio of white text on ``color`` ("#RRGGBB"): 1.05 divided
    by the colour's relative luminance plus 0.05."""

    def linear(channel):
        c = int(channel, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(color[i : i + 2]) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def validate_portal_color(value):
    if not HEX_COLOR.fullmatch(value or ""):
        raise ValidationError(_("Escriba el color en formato #RRGGBB, por ejemplo #3366CC."))
    if white_text_contrast(value) < PORTAL_MIN_CONTRAST:
        raise ValidationError(
            _(
                "El texto blanco no se leería sobre este color (contraste %(ratio)s a 1; "
                "se necesita al menos 4,5 a 1). Elija un color más oscuro."
            ),
            params={"ratio": f"{white_text_contrast(value):.2f}".replace(".", ",")},
        )


class Dimension(models.Model):
    code = models.CharField(_("código"), max_length=8, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=200)
    name_en = models.CharField(_("nombre (inglés)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("dimensión MIPG")
        verbose_name_plural = _("dimensiones MIPG")

    def __str__(self):
        return f"{self.code} {self.name_es}"


class Policy(models.Model):
    """A política de gestión y desempeño; the FURAG code is the stable key."""

    code = models.CharField(_("código FURAG"), max_length=8, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=255)
    name_en = models.CharField(_("nombre (inglés)"), max_length=255, blank=True)
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("dimensión principal"),
    )
    leader = models.CharField(_("líder de política"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("política MIPG")
        verbose_name_plural = _("políticas MIPG")

    def __str__(self):
        return f"{self.code} {self.name_es}"


class InstitutionalPlan(models.Model):
    """One of the 12 plans that Decreto 612 de 2018 integrates into the Plan de Acción."""

    code = models.CharField(_("código"), max_length=16, unique=True)
    name = models.CharField(_("nombre"), max_length=255)
    policy = models.ForeignKey(
        Policy,
        on_delete=models.PROTECT,
        related_name="institutional_plans",
        verbose_name=_("política"),
    )
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("plan institucional (Decreto 612)")
        verbose_name_plural = _("planes institucionales (Decreto 612)")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A dependencia: the organisational unit responsible for goals, actions and indicators."""

    code = models.CharField(_("código"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("dependencia superior"),
    )
    active = models.BooleanField(_("activa"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person using MIPG; belongs to one or more units. Roles are auth groups."""

    units = models.ManyToManyField(
        Unit, blank=True, related_name="members", verbose_name=_("dependencias")
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.get_full_name() or self.username


class Entity(models.Model):
    """The public entity running this installation (one row) and its defaults."""

    name = models.CharField(_("nombre"), max_length=255)
    nit = models.CharField(_("NIT"), max_length=20, blank=True)
    semaforo_red_below = models.DecimalField(
        _("rojo por debajo de (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=PERCENT_VALIDATORS,
    )
    semaforo_green_from = models.DecimalField(
        _("verde desde (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=PERCENT_VALIDATORS,
    )
    maintenance_tolerance_percent = models.DecimalField(
        _("tolerancia por omisión de los indicadores de mantenimiento, en porcentaje de la meta"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10"),
        validators=PERCENT_VALIDATORS,
        help_text=_(
            "Banda alrededor de la meta dentro de la cual un indicador de mantenimiento "
            "cumple por completo, cuando el indicador no define su propia tolerancia."
        ),
    )
    evidence_required_to_submit = models.BooleanField(
        _("exigir evidencia para enviar un reporte"), default=True
    )
    report_days_before_period = models.PositiveSmallIntegerField(
        _("días antes del inicio del periodo en que se puede reportar"), default=0
    )
    # Identity shown on the citizen portal (Resolución MinTIC 1519 de 2020, Anexo 2: the
    # entity's name, logo, contact channels and office hours in the header and footer).
    logo = models.ImageField(
        _("logo"),
        upload_to="entity/",
        blank=True,
        help_text=_("PNG o JPEG; se muestra en el encabezado del portal ciudadano."),
    )
    primary_color = models.CharField(
        _("color institucional"),
        max_length=7,
        default=DEFAULT_ENTITY_COLOR,
        validators=[validate_portal_color],
        help_text=_(
            "Color del encabezado del portal en formato #RRGGBB. Debe contrastar con el "
            "texto blanco (relación de al menos 4,5 a 1, WCAG 2.1 AA)."
        ),
    )
    address = models.CharField(_("dirección"), max_length=255, blank=True)
    phone = models.CharField(_("teléfono"), max_length=50, blank=True)
    email = models.EmailField(_("correo de contacto"), blank=True)
    office_hours = models.CharField(_("horario de atención"), max_length=255, blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entidad")
        verbose_name_plural = _("entidad")
        permissions = [
            (
                "view_all_figures",
                _("Puede ver las cifras no aprobadas y las evidencias de todas las dependencias"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(semaforo_red_below__lte=F("semaforo_green_from")),
                name="entity_semaforo_thresholds_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        """The entity row, created with the defaults when it does not exist yet."""
        entity = cls.objects.order_by("pk").first()
        if entity is None:
            entity = cls.objects.create(name="Entidad")
        return entity


class EvidenceFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The evidence ``user`` may see: every file for those who see all figures
        (mipg.core.permissions), else only the files of their own units."""
        if sees_all_figures(user):
            return self
        return self.filter(**{f"{self.model.unit_path}__in": unit_ids(user)})


class EvidenceFileBase(models.Model):
    """Common fields of an evidence file attached to a report or measurement."""

    file = models.FileField(_("archivo"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("nombre original"), max_length=255)
    size = models.PositiveBigIntegerField(_("tamaño (bytes)"), default=0)
    uploaded_by = models.ForeignKey(
        "mipg.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("cargado por")
    )
    uploaded_at = models.DateTimeField(_("cargado el"), auto_now_add=True)

    objects = EvidenceFileQuerySet.as_manager()

    # "<namespace>:evidence": the app's pages of a file are "<url_prefix>-download" and "-delete"
    url_prefix = ""
    # The lookup of the unit of the figure the file supports ("report__action__unit").
    unit_path = ""

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # A deleted row, also in a cascade that calls no service, takes its file with it
        # once the transaction commits (mipg.core.files). Connected per model so that the
        # other models keep Django's fast bulk deletes.
        post_delete.connect(
            delete_after_commit, sender=cls, dispatch_uid=f"{cls.__module__}.{cls.__qualname__}"
        )

    def __str__(self):
        return self.original_name

    def get_download_url(self):
        return reverse(f"{self.url_prefix}-download", args=[self.pk])

    def get_delete_url(self):
        return reverse(f"{self.url_prefix}-delete", args=[self.pk])


class ReviewStatus(models.TextChoices):
    """The reporting workflow shared by progress reports and measurements (MIPG.md §5)."""

    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviado")
    APPROVED = "approved", _("Aprobado")
    RETURNED = "returned", _("Devuelto")


class ReviewedFigureQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The figures ``user`` may see: all of them for those who see all figures
        (mipg.core.permissions); for the others, their own units' figures in every state
        and other units' approved ones only."""
        if sees_all_figures(user):
            return self
        own = Q(**{f"{self.model.unit_path}__in": unit_ids(user)})
        return self.filter(own | Q(status=ReviewStatus.APPROVED))


class ReviewedFigureBase(models.Model):
    """Workflow fields of a figure reported by the first line and reviewed by the second."""

    narrative = models.TextField(_("descripción del avance"), blank=True)
    status = models.CharField(
        _("estado"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "mipg.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("creado por")
    )
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        "mipg.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enviado por"),
    )
    submitted_at = models.DateTimeField(_("enviado el"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "mipg.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisado por"),
    )
    reviewed_at = models.DateTimeField(_("revisado el"), null=True, blank=True)
    review_comment = models.TextField(_("comentario de revisión"), blank=True)

    objects = ReviewedFigureQuerySet.as_manager()

    # The lookup of the unit that reports the figure ("action__unit").
    unit_path = ""
    # "<namespace>:<name>": the workflow pages of a figure (mipg/core/review/views.py) are
    # "<url_prefix>-detail", "-edit", "-submit", "-approve" and "-return"
    url_prefix = ""

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return self._figure_url("detail")

    def _figure_url(self, page):
        return reverse(f"{self.url_prefix}-{page}", args=[self.pk])

    def get_edit_url(self):
        return self._figure_url("edit")

    def get_submit_url(self):
        return self._figure_url("submit")

    def get_approve_url(self):
        return self._figure_url("approve")

    def get_return_url(self):
        return self._figure_url("return")


class ApiToken(models.Model):
    """A personal API token (Authorization: Token <key>). Only the SHA-256 of the secret is
    stored: the key is shown once, when the token is created (mipg.core.api.tokens)."""

    user = models.ForeignKey(
        "mipg.User",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("usuario"),
    )
    name = models.CharField(_("nombre"), max_length=100)
    key_hash = models.CharField(_("huella SHA-256"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefijo"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revocado el"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token de API")
        verbose_name_plural = _("tokens de API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class ImportJob(models.Model):
    """A long import queued to Celery (the Plan de Acción spreadsheet of a plan, issue #13):
    who asked, what file, how far it got (``done`` of ``total`` rows read) and its result.
    Written only by mipg.traceability.spreadsheet.jobs; the plan is kept by id because the
    ground floor knows no plan model."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("En cola")
        READING = "reading", _("Leyendo el archivo")
        SAVING = "saving", _("Guardando")
        DONE = "done", _("Terminada")
        FAILED = "failed", _("No se guardó nada")

    user = models.ForeignKey(
        "mipg.User", on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("usuario")
    )
    plan_id = models.PositiveBigIntegerField(_("plan"))
    filename = models.CharField(_("archivo"), max_length=255)
    stored_name = models.CharField(_("archivo guardado"), max_length=255, editable=False)
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("filas leídas"), default=0)
    total = models.PositiveIntegerField(_("filas"), default=0)
    # {"counts": {kind: {status: n}}, "problems": [{"row", "text"}], "errors_token": str}
    result = models.JSONField(_("resultado"), default=dict, blank=True)
    created_at = models.DateTimeField(_("creada el"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminada el"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("importación en cola")
        verbose_name_plural = _("importaciones en cola")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self):
        return self.status in {self.Status.DONE, self.Status.FAILED}
