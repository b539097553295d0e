"""Strategic plan → objectives → goals (metas) → actions (actividades), and reporting periods."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mipg.core.models import PERCENT_VALIDATORS
from mipg.core.trace import TraceRoute

WEIGHT_FIELD_KWARGS = {
    "max_digits": 5,
    "decimal_places": 2,
    "default": Decimal("0"),
    "validators": PERCENT_VALIDATORS,
    "help_text": _("Ponderación entre 0 y 100; las hermanas suman 100."),
}


# A product quantity (an action's target, a report's quantity delivered): up to
# 9 999 999 999,99.
QUANTITY_FIELD_KWARGS = {"max_digits": 12, "decimal_places": 2}


class TreeItemUrls:
    """The pages of an item of the plan tree, declared once: planning/urls.py names them
    "planning:<model>-<verb>" (objective, goal, action); `child_model` is the level below,
    whose creation page hangs under the item."""

    child_model = ""

    def _item_url(self, verb):
        return reverse(f"planning:{self._meta.model_name}-{verb}", args=[self.pk])

    def get_edit_url(self):
        return self._item_url("edit")

    def get_delete_url(self):
        return self._item_url("delete")

    def get_archive_url(self):
        return self._item_url("archive")

    def get_unarchive_url(self):
        return self._item_url("unarchive")

    def get_reorder_url(self):
        return self._item_url("reorder")

    def get_add_child_url(self):
        return reverse(f"planning:{self.child_model}-create", args=[self.pk])

    def get_trace_url(self):
        return reverse("trace", args=[self._meta.label_lower, self.pk])

    def get_history_url(self):
        return reverse("history", args=[self._meta.label_lower, self.pk])


class StrategicPlan(models.Model):
    class Kind(models.TextChoices):
        PEI = "pei", _("Plan Estratégico Institucional")
        ACTION = "action", _("Plan de Acción")
        DEVELOPMENT = "development", _("Plan de Desarrollo")
        OTHER = "other", _("Otro")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Borrador")
        APPROVED = "approved", _("Aprobado")
        CLOSED = "closed", _("Cerrado")

    name = models.CharField(_("nombre"), max_length=255)
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices, default=Kind.ACTION)
    description = models.TextField(_("descripción"), blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("año inicial"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("año final"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("plan al que sirve"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aprobado por"),
    )
    approved_at = models.DateTimeField(_("aprobado el"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado el"), auto_now_add=True)
    history = HistoricalRecords()

    trace_route = TraceRoute({"plan": ("",)})
    # What a planner sets, in form and API order (the parent only on creation, apart).
    writable_fields = ("name", "kind", "description", "start_year", "end_year", "parent")

    class Meta:
        ordering = ["-start_year", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("planes")
        permissions = [
            ("approve_strategicplan", _("Puede aprobar y cerrar planes")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__lte=F("end_year")), name="plan_years_ordered"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="plan_not_own_parent"),
        ]

    def __str__(self):
        return f"{self.name} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self):
        return reverse("planning:plan-detail", args=[self.pk])


def tree_item_constraints(kind, parent, *, unique_name):
    """An objective's, goal's or action's code is unique under its parent and its weight is
    between 0 and 100."""
    return [
        models.UniqueConstraint(fields=[parent, "code"], name=unique_name),
        models.CheckConstraint(
            condition=Q(weight__gte=0, weight__lte=100), name=f"{kind}_weight_0_100"
        ),
    ]


class LiveQuerySet(models.QuerySet):
    """``live()``: the rows that are in the plan, i.e. neither archived themselves nor under an
    archived ancestor. Archiving keeps the rows; every roll-up, worklist and public list
    reads only the live ones."""

    # Lookups from a row to each ancestor that has its own ``archived`` flag.
    archived_ancestors = ()

    @classmethod
    def live_q(cls, prefix=""):
        """The live rule as a Q, for a query that reaches this model through ``prefix``
        (e.g. ``"action__"`` from a budget allocation)."""
        return Q(**{f"{prefix}{path}archived": False for path in ("", *cls.archived_ancestors)})

    def live(self):
        return self.filter(self.live_q())


class TreeItemQuerySet(LiveQuerySet):
    """Objectives, goals and actions: ``live()`` and the order of the plan tree."""

    @classmethod
    def tree_order(cls):
        """Order by the position and code of each ancestor, top first, then the row's own."""
        paths = (*reversed(cls.archived_ancestors), "")
        return [f"{path}{field}" for path in paths for field in ("position", "code")]

    def in_tree_order(self):
        return self.order_by(*self.tree_order())


class ObjectiveQuerySet(TreeItemQuerySet):
    pass


class GoalQuerySet(TreeItemQuerySet):
    archived_ancestors = ("objective__",)


class ActionQuerySet(TreeItemQuerySet):
    archived_ancestors = ("goal__", "goal__objective__")


class Objective(TreeItemUrls, models.Model):
    child_model = "goal"

    plan = models.ForeignKey(
        StrategicPlan,
        on_delete=models.CASCADE,
        related_name="objectives",
        verbose_name=_("plan"),
    )
    code = models.CharField(_("código"), max_length=20)
    name = models.CharField(_("nombre"), max_length=500)
    description = models.TextField(_("descripción"), blank=True)
    weight = models.DecimalField(_("ponderación"), **WEIGHT_FIELD_KWARGS)
    policies = models.ManyToManyField(
        "mipg.Policy", blank=True, related_name="objectives", verbose_name=_("políticas MIPG")
    )
    # Alignment (MIPG.md §3): the objective of the plan this one serves (``plan.parent``)
    # that this objective serves; its goals and actions serve it through it.
    serves = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_by",
        verbose_name=_("objetivo al que sirve"),
        help_text=_("Objetivo del plan al que sirve este plan (p. ej., del PEI)."),
    )
    position = models.PositiveIntegerField(_("orden"), default=0)
    archived = models.BooleanField(_("archivado"), default=False)
    history = HistoricalRecords(m2m_fields=[policies])

    objects = ObjectiveQuerySet.as_manager()

    trace_route = TraceRoute({"objective": ("",), "plan": ("plan",), "serves": ("serves",)})
    # What a planner sets, in form and API order (the parent only on creation, apart).
    writable_fields = ("code", "name", "description", "weight", "policies", "serves")

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("objetivo")
        verbose_name_plural = _("objetivos")
        constraints = tree_item_constraints(
            "objective", "plan", unique_name="objective_code_unique_in_plan"
        )

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("planning:plan-detail", args=[self.plan_id]) + f"#objetivo-{self.pk}"


class Goal(TreeItemUrls, models.Model):
    """A meta: what an objective commits to deliver."""

    child_model = "action"

    objective = models.ForeignKey(
        Objective, on_delete=models.CASCADE, related_name="goals", verbose_name=_("objetivo")
    )
    code = models.CharField(_("código"), max_length=20)
    name = models.CharField(_("nombre"), max_length=500)
    product = models.CharField(_("producto"), max_length=500, blank=True)
    weight = models.DecimalField(_("ponderación"), **WEIGHT_FIELD_KWARGS)
    unit = models.ForeignKey(
        "mipg.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="goals",
        verbose_name=_("dependencia responsable"),
    )
    # Alignment of the goal itself (MIPG.md §3): an objective of the plan this one serves
    # (``plan.parent``). Empty, the goal serves what its objective serves; set, its figures
    # go to that objective instead of its own objective's (mipg.traceability.rollup).
    serves = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="served_by_goals",
        verbose_name=_("objetivo al que sirve"),
        help_text=_(
            "Objetivo del plan al que sirve este plan (p. ej., del PEI). Vacío: sirve al mismo "
            "que su objetivo."
        ),
    )
    position = models.PositiveIntegerField(_("orden"), default=0)
    archived = models.BooleanField(_("archivado"), default=False)
    history = HistoricalRecords()

    objects = GoalQuerySet.as_manager()

    trace_route = TraceRoute(
        {
            "goal": ("",),
            "objective": ("objective",),
            "plan": ("objective__plan",),
            "serves": ("serves", "objective__serves"),  # its own alignment first
        }
    )
    # What a planner sets, in form and API order (the parent only on creation, apart).
    writable_fields = ("code", "name", "product", "weight", "unit", "serves")

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("meta")
        verbose_name_plural = _("metas")
        constraints = tree_item_constraints("goal", "objective", unique_name="goal_code_unique")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("planning:goal-detail", args=[self.pk])


class Action(TreeItemUrls, models.Model):
    """An actividad of the action plan."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="actions", verbose_name=_("meta")
    )
    code = models.CharField(_("código"), max_length=20)
    name = models.CharField(_("nombre"), max_length=500)
    deliverable = models.CharField(_("entregable"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "mipg.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("dependencia responsable"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("persona responsable"),
    )
    start_date = models.DateField(_("fecha de inicio"))
    end_date = models.DateField(_("fecha de fin"))
    weight = models.DecimalField(_("ponderación"), **WEIGHT_FIELD_KWARGS)
    # The product quantity of the action ("4 capacitaciones"): both or neither. When set,
    # each progress report gives the quantity delivered and its progress is computed from
    # it (quantity_progress).
    quantity_target = models.DecimalField(
        _("meta de cantidad"),
        null=True,
        blank=True,
        help_text=_(
            "Cantidad de producto que entrega la actividad, por ejemplo 4. Con meta de "
            "cantidad, el avance físico se calcula de la cantidad reportada."
        ),
        **QUANTITY_FIELD_KWARGS,
    )
    quantity_unit = models.CharField(
        _("unidad de la meta de cantidad"),
        max_length=60,
        blank=True,
        help_text=_("Por ejemplo, «capacitaciones»."),
    )
    institutional_plans = models.ManyToManyField(
        "mipg.InstitutionalPlan",
        blank=True,
        related_name="actions",
        verbose_name=_("planes del Decreto 612"),
    )
    position = models.PositiveIntegerField(_("orden"), default=0)
    archived = models.BooleanField(_("archivado"), default=False)
    history = HistoricalRecords(m2m_fields=[institutional_plans])

    objects = ActionQuerySet.as_manager()

    trace_route = Goal.trace_route.under("goal", "action")
    # What a planner sets, in form and API order (the parent only on creation, apart).
    writable_fields = (
        "code",
        "name",
        "deliverable",
        "unit",
        "responsible",
        "start_date",
        "end_date",
        "weight",
        "quantity_target",
        "quantity_unit",
        "institutional_plans",
    )

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("actividad")
        verbose_name_plural = _("actividades")
        permissions = [("rate_action", _("Puede calificar actividades (control interno)"))]
        constraints = [
            *tree_item_constraints("action", "goal", unique_name="action_code_unique"),
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="action_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(quantity_target__isnull=True, quantity_unit="")
                | (Q(quantity_target__gt=0) & ~Q(quantity_unit="")),
                name="action_quantity_target_with_unit",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("planning:action-detail", args=[self.pk])


class ReportingPeriod(models.Model):
    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("plan")
    )
    label = models.CharField(_("etiqueta"), max_length=50)
    start_date = models.DateField(_("fecha de inicio"))
    end_date = models.DateField(_("fecha de fin"))
    due_date = models.DateField(_("fecha límite de reporte"), null=True, blank=True)
    locked = models.BooleanField(_("cerrado"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "start_date"]
        verbose_name = _("periodo de reporte")
        verbose_name_plural = _("periodos de reporte")
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="period_label_unique"),
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="period_dates_ordered"
            ),
        ]

    def __str__(self):
        return self.label


class ActionRating(models.Model):
    """Control interno's rating and comment of an action for a semester (third line)."""

    class Rating(models.TextChoices):
        SATISFACTORY = "satisfactory", _("Satisfactorio")
        PARTIAL = "partial", _("Parcial")
        UNSATISFACTORY = "unsatisfactory", _("Insatisfactorio")

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("actividad")
    )
    year = models.PositiveSmallIntegerField(_("año"))
    semester = models.PositiveSmallIntegerField(
        _("semestre"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    rating = models.CharField(_("calificación"), max_length=16, choices=Rating.choices)
    comment = models.TextField(_("comentario"), blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("calificado por"),
    )
    rated_at = models.DateTimeField(_("calificado el"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "year", "semester"]
        verbose_name = _("calificación de control interno")
        verbose_name_plural = _("calificaciones de control interno")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year", "semester"], name="rating_unique_per_semester"
            ),
            models.CheckConstraint(condition=Q(semester__in=[1, 2]), name="rating_semester_1_or_2"),
        ]

    def __str__(self):
        return f"{self.action} {self.year}-S{self.semester}"


def default_planned(action, period_end):
    """The planned cumulative progress (%) of ``action`` at a period ending ``period_end``
    when the action has no programación of its own: the share of the action's duration
    elapsed at that date, counting whole days and both ends, rounded to 2 decimals.

    0 when the period ends before the action starts; 100 once it has ended. Example: an
    action from 1/1/2026 to 31/12/2026 (365 days) at the end of T1 (31/3/2026, 90 days
    elapsed) is planned at 90/365 = 24.66 %; at the end of T2 (181 days) at 49.59 %.
    """
    if period_end < action.start_date:
        return Decimal("0")
    if period_end >= action.end_date:
        return Decimal("100")
    elapsed = (period_end - action.start_date).days + 1
    duration = (action.end_date - action.start_date).days + 1
    return (Decimal(100) * elapsed / duration).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def quantity_progress(quantity, target):
    """The cumulative progress (%) of an action with a product quantity ``target`` when
    ``quantity`` has been delivered: min(100, quantity ÷ target × 100), rounded half up to
    2 decimals. 1 of 3 → 33.33; 2 of 3 → 66.67; 3 of 4 → 75.00; 5 of 4 → 100.00 (capped).
    management.services sets it on the progress reports of such actions."""
    value = Decimal(quantity) * 100 / Decimal(target)
    return min(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), Decimal("100"))


class ActionSchedule(models.Model):
    """The programación of an action: its planned cumulative progress (%) at the end of a
    reporting period of its plan. Non-decreasing over the plan's periods in date order
    (checked by planning.services.schedules). A period without a row falls back to
    ``default_planned``."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="schedule", verbose_name=_("actividad")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="schedule",
        verbose_name=_("periodo de reporte"),
    )
    planned = models.DecimalField(
        _("avance programado (%)"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "period__start_date"]
        verbose_name = _("programación de la actividad")
        verbose_name_plural = _("programaciones de actividades")
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="schedule_unique_per_period"),
            models.CheckConstraint(
                condition=Q(planned__gte=0, planned__lte=100), name="schedule_planned_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.period}: {self.planned}"


class PlanVersion(models.Model):
    """A numbered modification of an approved plan (the "modificación del Plan de Acción"):
    who changed it, when, why and what changed. Written by
    ``planning.services.versions.record_plan_version`` from every write service that changes
    weights, targets, baselines, dates or items of an approved plan; one save, one version.

    ``changes`` is a list of ``{"item": str, "what": key of CHANGE_LABELS, "old": str,
    "new": str}``, the labels being translated when shown."""

    CHANGE_LABELS = {
        "weight": _("ponderación"),
        "start_date": _("fecha de inicio"),
        "end_date": _("fecha de fin"),
        "start_year": _("año inicial"),
        "end_year": _("año final"),
        "quantity_target": _("meta de cantidad"),
        "quantity_unit": _("unidad de la meta de cantidad"),
        "target": _("meta programada"),
        "schedule": _("avance programado"),
        "baseline_value": _("línea base"),
        "baseline_date": _("fecha de la línea base"),
        "baseline_horizon": _("horizonte de la línea base"),
        "created": _("creado"),
        "archived": _("archivado"),
        "unarchived": _("desarchivado"),
        "deleted": _("eliminado"),
    }

    plan = models.ForeignKey(
        StrategicPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("número"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("modificado por"),
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    reason = models.TextField(_("motivo del cambio"))
    changes = models.JSONField(_("cambios"), default=list)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("versión del plan")
        verbose_name_plural = _("versiones del plan")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_number_unique"),
        ]

    def __str__(self):
        return f"{self.plan} v{self.number}"

    def change_rows(self):
        """The changes with their translated labels, for display."""
        return [
            {**change, "label": self.CHANGE_LABELS.get(change.get("what"), change.get("what"))}
            for change in self.changes
        ]
