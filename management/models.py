"""Resources: budget by funding source and execution stage, and progress reports."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mipg.core.models import EvidenceFileBase, ReviewedFigureBase
from mipg.core.templatetags.mipg_format import quantity_progress_text
from mipg.core.trace import TraceRoute
from planning.models import QUANTITY_FIELD_KWARGS, Action, ActionQuerySet

MONEY_FIELD_KWARGS = {"max_digits": 18, "decimal_places": 2}


class FundingSource(models.Model):
    code = models.CharField(_("código"), max_length=20, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    active = models.BooleanField(_("activa"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fuente de financiación")
        verbose_name_plural = _("fuentes de financiación")

    def __str__(self):
        return self.name


class BudgetAllocationQuerySet(models.QuerySet):
    def live(self):
        """Allocations of live actions."""
        return self.filter(ActionQuerySet.live_q("action__"))


class BudgetAllocation(models.Model):
    """Apropiación inicial of one action, from one source, in one fiscal year; its
    modifications (BudgetModification) make the apropiación definitiva."""

    action = models.ForeignKey(
        "planning.Action",
        on_delete=models.CASCADE,
        related_name="allocations",
        verbose_name=_("actividad"),
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("fuente"),
    )
    year = models.PositiveSmallIntegerField(_("vigencia"))
    rubro = models.CharField(_("rubro presupuestal"), max_length=100)
    bpin = models.CharField(_("código BPIN"), max_length=30, blank=True)
    appropriation = models.DecimalField(_("apropiación inicial"), **MONEY_FIELD_KWARGS)
    history = HistoricalRecords()

    objects = BudgetAllocationQuerySet.as_manager()

    trace_route = TraceRoute(
        Action.trace_route.under("action", "allocation").roles, extra=("source",)
    )

    class Meta:
        ordering = ["year", "rubro"]
        verbose_name = _("asignación presupuestal")
        verbose_name_plural = _("asignaciones presupuestales")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "source", "year", "rubro"], name="allocation_unique"
            ),
            models.CheckConstraint(
                condition=Q(appropriation__gte=0), name="allocation_appropriation_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.rubro} · {self.source} · {self.year}"

    def get_absolute_url(self):
        return reverse("management:action-budget", args=[self.action_id]) + f"#asignacion-{self.pk}"


class BudgetExecution(models.Model):
    """One execution entry. A negative amount records a release or annulment.

    Cumulative invariant per allocation (checked in services):
    pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación definitiva.

    Obligations and payments may be dated in the year after the allocation's vigencia:
    commitments of year N unpaid at its end (reservas presupuestales, cuentas por pagar)
    are obligated and paid in N+1 against N's allocation.
    """

    class Stage(models.TextChoices):
        CDP = "cdp", _("CDP")
        COMMITMENT = "commitment", _("Compromiso / RP")
        OBLIGATION = "obligation", _("Obligación")
        PAYMENT = "payment", _("Pago")

    # Stages that may be recorded in the year after the allocation's vigencia.
    NEXT_YEAR_STAGES = frozenset({Stage.OBLIGATION, Stage.PAYMENT})

    allocation = models.ForeignKey(
        BudgetAllocation,
        on_delete=models.CASCADE,
        related_name="executions",
        verbose_name=_("asignación"),
    )
    stage = models.CharField(_("etapa"), max_length=16, choices=Stage.choices)
    amount = models.DecimalField(_("valor"), **MONEY_FIELD_KWARGS)
    date = models.DateField(_("fecha"))
    document_number = models.CharField(_("número de documento"), max_length=50)
    description = models.CharField(_("descripción"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "mipg.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    history = HistoricalRecords()

    trace_route = BudgetAllocation.trace_route.under("allocation")

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("registro de ejecución presupuestal")
        verbose_name_plural = _("registros de ejecución presupuestal")
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="execution_amount_not_zero"),
        ]
        indexes = [models.Index(fields=["allocation", "stage"])]

    def __str__(self):
        return f"{self.get_stage_display()} {self.document_number}"

    @property
    def carry_over_label(self):
        """What an entry dated after the allocation's vigencia executes: an obligation, a
        reserva presupuestal; a payment, a reserva or a cuenta por pagar. "" within the
        vigencia."""
        if self.date.year <= self.allocation.year:
            return ""
        if self.stage == self.Stage.OBLIGATION:
            return _("reserva presupuestal")
        return _("reserva o cuenta por pagar")


class BudgetModification(models.Model):
    """A modification of an allocation's apropiación by an administrative act.

    Apropiación definitiva = inicial + adiciones − reducciones + créditos − contracréditos;
    a reduction or contracrédito may not take it below the CDP issued (checked in services).
    """

    class Kind(models.TextChoices):
        ADDITION = "addition", _("Adición")
        REDUCTION = "reduction", _("Reducción")
        CREDIT = "credit", _("Crédito (traslado que suma)")
        COUNTER_CREDIT = "counter_credit", _("Contracrédito (traslado que resta)")

    # Kinds that lower the apropiación definitiva.
    DECREASING = frozenset({Kind.REDUCTION, Kind.COUNTER_CREDIT})

    allocation = models.ForeignKey(
        BudgetAllocation,
        on_delete=models.CASCADE,
        related_name="budget_modifications",
        verbose_name=_("asignación"),
    )
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("valor"), **MONEY_FIELD_KWARGS)
    date = models.DateField(_("fecha"))
    act_number = models.CharField(_("número del acto administrativo"), max_length=50)
    reason = models.CharField(_("motivo"), max_length=255)
    created_by = models.ForeignKey(
        "mipg.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrado por"),
    )
    history = HistoricalRecords()

    trace_route = BudgetAllocation.trace_route.under("allocation")

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("modificación presupuestal")
        verbose_name_plural = _("modificaciones presupuestales")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="modification_amount_positive"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.act_number}"

    @property
    def signed_amount(self):
        """The amount with the sign it has on the apropiación definitiva."""
        return -self.amount if self.kind in self.DECREASING else self.amount


class ProgressReport(ReviewedFigureBase):
    """Cumulative physical progress of an action at the end of a reporting period.

    For an action with a product quantity target, ``quantity`` is the cumulative quantity
    delivered up to the period and ``progress`` is computed from it against
    ``quantity_target``, the action's target when the report was last saved
    (planning.models.quantity_progress); both are None otherwise."""

    action = models.ForeignKey(
        "planning.Action",
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("actividad"),
    )
    period = models.ForeignKey(
        "planning.ReportingPeriod",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("periodo"),
    )
    progress = models.DecimalField(_("avance físico acumulado (%)"), max_digits=5, decimal_places=2)
    quantity = models.DecimalField(
        _("cantidad acumulada entregada"), null=True, blank=True, **QUANTITY_FIELD_KWARGS
    )
    quantity_target = models.DecimalField(
        _("meta de cantidad al reportar"), null=True, blank=True, **QUANTITY_FIELD_KWARGS
    )
    history = HistoricalRecords()

    trace_route = TraceRoute({**Action.trace_route.under("action").roles, "period": ("period",)})

    url_prefix = "management:report"
    unit_path = "action__unit"

    class Meta:
        ordering = ["period__start_date", "action"]
        verbose_name = _("reporte de avance")
        verbose_name_plural = _("reportes de avance")
        permissions = [
            ("submit_progressreport", _("Puede enviar reportes de avance")),
            ("review_progressreport", _("Puede aprobar o devolver reportes de avance")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="progress_unique_per_period"),
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, quantity_target__isnull=True)
                | Q(quantity__gte=0, quantity_target__gt=0),
                name="progress_quantity_with_target",
            ),
        ]
        indexes = [models.Index(fields=["action", "status"])]

    def __str__(self):
        return f"{self.action.code} · {self.period.label}"

    @property
    def progress_text(self):
        """ "3 de 4 capacitaciones (75,00 %)" for a quantity-driven report (reads the
        action's unit), else the progress ("75,00 %")."""
        unit = self.action.quantity_unit if self.quantity is not None else ""
        return quantity_progress_text(self.quantity, self.quantity_target, unit, self.progress)

    @property
    def reported_text(self):
        """The reported figure, as the review pages show it."""
        return self.progress_text


class ProgressEvidence(EvidenceFileBase):
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("reporte"),
    )

    url_prefix = "management:evidence"
    unit_path = "report__action__unit"

    class Meta:
        verbose_name = _("evidencia de avance")
        verbose_name_plural = _("evidencias de avance")
