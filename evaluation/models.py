"""Indicators (hoja de vida), targets per period, measurements and semáforo thresholds."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mipg.core.models import PERCENT_VALIDATORS, EvidenceFileBase, ReviewedFigureBase
from mipg.core.templatetags.mipg_format import measured, number
from mipg.core.trace import TraceRoute
from planning.models import GoalQuerySet, LiveQuerySet, ObjectiveQuerySet

VALUE_FIELD_KWARGS = {"max_digits": 20, "decimal_places": 4}


class IndicatorQuerySet(LiveQuerySet):
    @classmethod
    def live_q(cls, prefix=""):
        """Live indicators: not archived, and measuring a live goal or a live objective."""
        return Q(**{f"{prefix}archived": False}) & (
            Q(**{f"{prefix}goal__isnull": False}) & GoalQuerySet.live_q(f"{prefix}goal__")
            | Q(**{f"{prefix}objective__isnull": False})
            & ObjectiveQuerySet.live_q(f"{prefix}objective__")
        )


class Indicator(models.Model):
    class Type(models.TextChoices):
        EFFICACY = "efficacy", _("Eficacia")
        EFFICIENCY = "efficiency", _("Eficiencia")
        EFFECTIVENESS = "effectiveness", _("Efectividad")

    class Level(models.TextChoices):
        INPUT = "input", _("Insumo")
        PROCESS = "process", _("Proceso")
        PRODUCT = "product", _("Producto")
        RESULT = "result", _("Resultado")
        IMPACT = "impact", _("Impacto")

    class Accumulation(models.TextChoices):
        FLOW = "flow", _("Flujo")
        STOCK = "stock", _("Stock")
        CUMULATIVE = "cumulative", _("Acumulado")
        CAPACITY = "capacity", _("Capacidad")
        REDUCTION = "reduction", _("Reducción")
        ANNUAL_REDUCTION = "annual_reduction", _("Reducción anual")

    class Polarity(models.TextChoices):
        INCREASING = "increasing", _("Creciente")
        DECREASING = "decreasing", _("Decreciente")
        MAINTENANCE = "maintenance", _("Mantenimiento")

    class BaselineHorizon(models.TextChoices):
        PER_YEAR = "per_year", _("Por año")
        PER_PERIOD = "per_period", _("Por periodo")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Mensual")
        BIMONTHLY = "bimonthly", _("Bimestral")
        QUARTERLY = "quarterly", _("Trimestral")
        FOUR_MONTHLY = "four_monthly", _("Cuatrimestral")
        SEMIANNUAL = "semiannual", _("Semestral")
        ANNUAL = "annual", _("Anual")

    code = models.CharField(_("código"), max_length=20)
    name = models.CharField(_("nombre"), max_length=500)
    goal = models.ForeignKey(
        "planning.Goal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("meta medida"),
    )
    objective = models.ForeignKey(
        "planning.Objective",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("objetivo medido"),
    )
    type = models.CharField(_("tipo"), max_length=16, choices=Type.choices)
    level = models.CharField(_("nivel"), max_length=16, choices=Level.choices)
    formula = models.TextField(_("fórmula"))
    numerator_description = models.CharField(_("numerador"), max_length=500, blank=True)
    denominator_description = models.CharField(_("denominador"), max_length=500, blank=True)
    measurement_unit = models.CharField(_("unidad de medida"), max_length=100)
    accumulation = models.CharField(
        _("tipo de acumulación"), max_length=16, choices=Accumulation.choices
    )
    polarity = models.CharField(_("sentido"), max_length=16, choices=Polarity.choices)
    baseline_value = models.DecimalField(
        _("línea base"), null=True, blank=True, **VALUE_FIELD_KWARGS
    )
    baseline_date = models.DateField(_("fecha de la línea base"), null=True, blank=True)
    baseline_horizon = models.CharField(
        _("horizonte de la línea base"),
        max_length=16,
        choices=BaselineHorizon.choices,
        default=BaselineHorizon.PER_YEAR,
        help_text=_(
            "Por año: en un indicador de flujo se divide por los periodos del año "
            "(según la frecuencia) para compararla con la meta de cada periodo."
        ),
    )
    maintenance_tolerance = models.DecimalField(
        _("tolerancia (mantenimiento)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Solo indicadores de mantenimiento: distancia a la meta, en la unidad del "
            "indicador, dentro de la cual cumple por completo. Vacío: usa la de la entidad."
        ),
        **VALUE_FIELD_KWARGS,
    )
    frequency = models.CharField(_("frecuencia"), max_length=16, choices=Frequency.choices)
    data_source = models.CharField(_("fuente de datos"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "mipg.Unit",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("dependencia responsable"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("persona responsable"),
    )
    semaforo_red_below = models.DecimalField(
        _("rojo por debajo de (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Vacío: usa el valor de la entidad."),
    )
    semaforo_green_from = models.DecimalField(
        _("verde desde (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text=_("Vacío: usa el valor de la entidad."),
    )
    notes = models.TextField(_("observaciones"), blank=True)
    archived = models.BooleanField(_("archivado"), default=False)
    # The plan of the goal or objective measured, kept by the services so that the database
    # can hold the code unique in its plan (hoja de vida: "código único en su plan").
    plan = models.ForeignKey(
        "planning.StrategicPlan",
        on_delete=models.CASCADE,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("plan"),
    )
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    trace_route = TraceRoute(
        {
            "indicator": ("",),
            "goal": ("goal",),
            "objective": ("objective", "goal__objective"),
            "plan": ("objective__plan", "goal__objective__plan"),
            "serves": ("goal__serves", "goal__objective__serves", "objective__serves"),
        }
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(goal__isnull=False, objective__isnull=True)
                    | Q(goal__isnull=True, objective__isnull=False)
                ),
                name="indicator_measures_goal_xor_objective",
            ),
            models.CheckConstraint(
                condition=(
                    Q(semaforo_red_below__isnull=True)
                    | Q(semaforo_green_from__isnull=True)
                    | Q(semaforo_red_below__lte=F("semaforo_green_from"))
                ),
                name="indicator_semaforo_thresholds_ordered",
            ),
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="indicator_code_unique_in_plan",
                violation_error_message=_("Ya existe un indicador con este código en el plan."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("evaluation:indicator-detail", args=[self.pk])


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicador")
    )
    period = models.ForeignKey(
        "planning.ReportingPeriod",
        on_delete=models.CASCADE,
        related_name="indicator_targets",
        verbose_name=_("periodo"),
    )
    value = models.DecimalField(_("meta programada"), **VALUE_FIELD_KWARGS)
    history = HistoricalRecords()

    trace_route = TraceRoute(
        {**Indicator.trace_route.under("indicator").roles, "period": ("period",)}
    )

    class Meta:
        ordering = ["period__start_date"]
        verbose_name = _("meta del indicador")
        verbose_name_plural = _("metas del indicador")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="target_unique_per_period"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} · {self.period.label}: {number(self.value)}"

    @property
    def reported_text(self):
        """The value with the indicator's unit, as the review pages show it ("12,5 trámites")."""
        return measured(self.value, self.indicator.measurement_unit)


class Measurement(ReviewedFigureBase):
    """The executed value of an indicator in a period (directly or numerator/denominator)."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="measurements",
        verbose_name=_("indicador"),
    )
    period = models.ForeignKey(
        "planning.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("periodo"),
    )
    value = models.DecimalField(_("valor ejecutado"), **VALUE_FIELD_KWARGS)
    numerator = models.DecimalField(_("numerador"), null=True, blank=True, **VALUE_FIELD_KWARGS)
    denominator = models.DecimalField(_("denominador"), null=True, blank=True, **VALUE_FIELD_KWARGS)
    history = HistoricalRecords()

    trace_route = TraceRoute(
        {**Indicator.trace_route.under("indicator").roles, "period": ("period",)}
    )

    url_prefix = "evaluation:measurement"
    unit_path = "indicator__unit"

    class Meta:
        ordering = ["period__start_date", "indicator"]
        verbose_name = _("medición")
        verbose_name_plural = _("mediciones")
        permissions = [
            ("submit_measurement", _("Puede enviar mediciones")),
            ("review_measurement", _("Puede aprobar o devolver mediciones")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"], name="measurement_unique_per_period"
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | ~Q(denominator=0),
                name="measurement_denominator_not_zero",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "status"])]

    def __str__(self):
        return f"{self.indicator.code} · {self.period.label}: {number(self.value)}"

    @property
    def reported_text(self):
        """The value with the indicator's unit, as the review pages show it ("12,5 trámites")."""
        return measured(self.value, self.indicator.measurement_unit)


class MeasurementEvidence(EvidenceFileBase):
    measurement = models.ForeignKey(
        Measurement,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("medición"),
    )

    url_prefix = "evaluation:evidence"
    unit_path = "measurement__indicator__unit"

    class Meta:
        verbose_name = _("evidencia de medición")
        verbose_name_plural = _("evidencias de medición")
