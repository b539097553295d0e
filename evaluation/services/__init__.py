"""Writes of the evaluation app: indicators, their targets, measurements and evidence.

Every function checks permissions, validates, and writes inside one transaction, so a
failure leaves nothing half-saved. Changes to a baseline or to a target after a period has
an approved measurement need a stated reason (MIPG.md §5), kept as the history change
reason of the changed rows. Every write to an indicator, its targets or its measurements
(every step of their review too) first locks its plan (lock order plan → indicator, plan →
measurement) and is refused when the plan is closed; on an approved plan a change of
targets, baseline or archiving needs a reason and makes a new plan version.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence
from evaluation.selectors import effective_thresholds, indicator_plan_id
from mipg.core.models import Entity, ReviewStatus
from mipg.core.permissions import require_perm
from mipg.core.review import services as review
from mipg.core.review import workflow
from planning.models import ReportingPeriod
from planning.services.versions import change, lock_open_plan, record_plan_version

VALUE_QUANTUM = Decimal("0.0001")  # the four decimal places of the value fields
PERCENT_UNIT_WORDS = ("%", "porcentaje")
BASELINE_FIELDS = ("baseline_value", "baseline_date", "baseline_horizon")
UNCHANGED = object()  # update_measurement: "argument not given"
_INDICATOR_FIELDS = frozenset(
    name
    for f in Indicator._meta.concrete_fields
    if not f.primary_key
    for name in (f.name, f.attname)
)


# --- helpers ---------------------------------------------------------------------------


def _add_error(errors, field, message):
    errors.setdefault(field, []).append(message)


def _snapshot(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def _copy_fields(target, source):
    """Reflect a saved row on the caller's instance so it is not left stale."""
    for attname, value in _snapshot(source).items():
        setattr(target, attname, value)


def _locked_period(period):
    return _("El periodo «%(label)s» está cerrado y no admite cambios de meta.") % {
        "label": period.label
    }


def _not_in_plan(label):
    return _("El periodo «%(label)s» no pertenece al plan del indicador.") % {"label": label}


# --- indicators ------------------------------------------------------------------------


def _code_taken(indicator):
    others = Indicator.objects.filter(plan_id=indicator.plan_id, code=indicator.code)
    return others.exclude(pk=indicator.pk).exists()


def _validate_indicator(indicator, *, lookups=None):
    """Field errors in Spanish for the rules the database constraints only name.
    ``lookups`` (a bulk import, see imports.py) answers the plan, code and entity questions
    from memory; its foreign keys are loaded objects, so their existence is not queried."""
    errors = {}
    exclude = lookups.loaded_foreign_keys(indicator) if lookups else None
    try:
        indicator.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors = exc.update_error_dict(errors)

    if indicator.goal_id and indicator.objective_id:
        _add_error(errors, "goal", _("Un indicador mide una meta o un objetivo, no ambos."))
    elif not indicator.goal_id and not indicator.objective_id:
        _add_error(errors, "goal", _("Indique la meta o el objetivo que mide el indicador."))
    else:
        indicator.plan_id = (lookups or _Queries).plan_id(indicator)
        if "code" not in errors and (lookups or _Queries).code_taken(indicator):
            _add_error(
                errors,
                "code",
                _("Ya existe un indicador con el código «%(code)s» en este plan.")
                % {"code": indicator.code},
            )

    if not {"semaforo_red_below", "semaforo_green_from"} & errors.keys():
        red, green = effective_thresholds(indicator, entity=lookups and lookups.entity)
        if red > green:
            _add_error(
                errors,
                "semaforo_green_from",
                _(
                    "El umbral verde (%(green)s %%) no puede ser menor que el rojo "
                    "(%(red)s %%); los vacíos toman el valor de la entidad."
                )
                % {"green": green, "red": red},
            )

    if errors:
        raise ValidationError(errors)
    if lookups:
        # The constraints (goal xor objective, thresholds, unique code) are checked above;
        # the plan set above from the lookups is loaded too (it was one query per indicator).
        exclude = lookups.loaded_foreign_keys(indicator)
        indicator.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    else:
        indicator.full_clean()


def check_indicator_fields(fields):
    """A programming error, not the user's: a field update_indicator does not know."""
    unknown = sorted(set(fields) - _INDICATOR_FIELDS)
    if unknown:
        raise TypeError(f"update_indicator() got unexpected fields: {', '.join(unknown)}")


def baseline_needs_reason():
    return _(
        "Indique el motivo del cambio de la línea base: el indicador ya tiene mediciones aprobadas."
    )


class _Queries:
    """The lookups of _validate_indicator for a single write: from the database."""

    plan_id = staticmethod(indicator_plan_id)
    code_taken = staticmethod(_code_taken)


@transaction.atomic
def create_indicator(*, by, reason="", **fields):
    """Create an indicator (hoja de vida). It measures exactly one goal or one objective.
    On an approved plan it needs a `reason` and makes a new plan version."""
    require_perm(by, "evaluation.add_indicator")
    indicator = Indicator(**fields)
    _validate_indicator(indicator)
    plan = lock_open_plan(indicator_plan_id(indicator))
    indicator._change_reason = reason or None
    indicator._history_user = by
    indicator.save()
    record_plan_version(plan, by=by, reason=reason, changes=[change(indicator, "created")])
    return indicator


@transaction.atomic
def update_indicator(indicator, *, by, reason="", **fields):
    """Change fields of an indicator; returns the caller's instance, updated.

    Changing the baseline once the indicator has an approved measurement needs a `reason`,
    kept as the history change reason. Moving the indicator to another plan is refused
    when it already has targets or measurements, whose periods belong to the old plan.
    """
    require_perm(by, "evaluation.change_indicator")
    check_indicator_fields(fields)
    reason = (reason or "").strip()
    plan = lock_open_plan(indicator_plan_id(Indicator.objects.get(pk=indicator.pk)))
    current = Indicator.objects.select_for_update().get(pk=indicator.pk)
    before = _snapshot(current)
    old_plan_id = indicator_plan_id(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _validate_indicator(current)
    if indicator_plan_id(current) != old_plan_id:
        lock_open_plan(indicator_plan_id(current))

    after = _snapshot(current)
    if after == before:
        _copy_fields(indicator, current)
        return indicator

    errors = {}
    baseline_changed = any(before[name] != after[name] for name in BASELINE_FIELDS)
    approved = current.measurements.filter(status=ReviewStatus.APPROVED)
    if baseline_changed and not reason and approved.exists():
        _add_error(errors, "reason", baseline_needs_reason())
    if indicator_plan_id(current) != old_plan_id and (
        current.targets.exists() or current.measurements.exists()
    ):
        _add_error(
            errors,
            "goal",
            _(
                "No se puede trasladar a otro plan un indicador que ya tiene metas o "
                "mediciones en los periodos de su plan."
            ),
        )
    if errors:
        raise ValidationError(errors)

    current._change_reason = reason or None
    current._history_user = by
    current.save()
    changes = [
        change(current, name, before[name], after[name])
        for name in BASELINE_FIELDS
        if before[name] != after[name]
    ]
    if before["archived"] != after["archived"]:
        changes.append(change(current, "archived" if after["archived"] else "unarchived"))
    record_plan_version(plan, by=by, reason=reason, changes=changes)
    _copy_fields(indicator, current)
    return indicator


# --- targets ---------------------------------------------------------------------------


def _to_value(raw, field_name, model, label, errors):
    """Parse and check a figure (digits, decimals) with the model field; None stays None."""
    if raw is None:
        return None
    try:
        return model._meta.get_field(field_name).clean(raw, None)
    except ValidationError as exc:
        for message in exc.messages:
            _add_error(errors, field_name, f"{label}: {message}" if label else message)
        return None


def targets_need_reason(labels):
    return _(
        "Indique el motivo: cambia la meta de periodos con mediciones aprobadas (%(periods)s)."
    ) % {"periods": ", ".join(labels)}


def target_changes(requested, *, periods, plan_id, existing, approved, by, reason):
    """set_targets' checks of one indicator's ``requested`` {period id: value or None}:
    ``periods`` {id: ReportingPeriod}, ``existing`` {period id: its target}, ``approved``
    the period ids with an approved measurement. Returns the (period, target or None, new
    value or None) that change; raises the ValidationError (or PermissionDenied) of them."""
    errors, changes, needs_reason = {}, [], []
    for period_id, raw in requested.items():
        period = periods.get(period_id)
        if period is None or period.plan_id != plan_id:
            _add_error(errors, "period", _not_in_plan(period.label if period else period_id))
            continue
        value = _to_value(raw, "value", IndicatorTarget, period.label, errors)
        if raw is not None and value is None:
            continue
        target = existing.get(period_id)
        if (target.value if target else None) == value:
            continue
        if period.locked:
            _add_error(errors, "period", _locked_period(period))
            continue
        if target is not None and period_id in approved:
            needs_reason.append(period.label)
        changes.append((period, target, value))
    if needs_reason and not reason:
        _add_error(errors, "reason", targets_need_reason(needs_reason))
    if any(target is None for _period, target, _value in changes):
        require_perm(by, "evaluation.add_indicatortarget")
    if any(value is None for _period, _target, value in changes):
        require_perm(by, "evaluation.delete_indicatortarget")
    if errors:
        raise ValidationError(errors)
    return changes


@transaction.atomic
def set_targets(indicator, *, by, values, reason=""):
    """Set the targets (metas programadas) of an indicator for several periods at once.

    `values` maps ReportingPeriod (or its id) → Decimal, or None to delete the target.
    All or nothing: any error leaves every target as it was. Unchanged values are not
    writes, so resubmitting a locked period's value is accepted. Changing or deleting the
    target of a period with an approved measurement needs a `reason`, kept as the history
    change reason of the target. Returns {period_id: IndicatorTarget or None}.
    """
    require_perm(by, "evaluation.change_indicatortarget")
    reason = (reason or "").strip()
    plan = lock_open_plan(indicator_plan_id(Indicator.objects.get(pk=indicator.pk)))
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    plan_id = plan.pk
    requested = {getattr(period, "pk", period): value for period, value in values.items()}
    periods = ReportingPeriod.objects.in_bulk(list(requested))
    existing = {
        target.period_id: target
        for target in IndicatorTarget.objects.select_for_update().filter(
            indicator=indicator, period_id__in=list(requested)
        )
    }
    approved_periods = set(
        Measurement.objects.filter(
            indicator=indicator, period_id__in=list(requested), status=ReviewStatus.APPROVED
        ).values_list("period_id", flat=True)
    )

    changes = target_changes(
        requested,
        periods=periods,
        plan_id=plan_id,
        existing=existing,
        approved=approved_periods,
        by=by,
        reason=reason,
    )

    result = {period_id: existing.get(period_id) for period_id in requested}
    versioned = []
    for period, target, value in changes:
        old = target.value if target is not None else None
        versioned.append(change(f"{indicator} — {period.label}", "target", old, value))
        target = target or IndicatorTarget(indicator=indicator, period=period)
        target._change_reason = reason or None
        target._history_user = by
        if value is None:
            target.delete()
            result[period.pk] = None
        else:
            target.value = value
            target.full_clean(validate_unique=False)  # values were checked above
            target.save()
            result[period.pk] = target
    record_plan_version(plan, by=by, reason=reason, changes=versioned)
    return result


def set_target(indicator, period, *, by, value, reason=""):
    """Set (or with value=None delete) one period's target; see set_targets."""
    return set_targets(indicator, by=by, values={period: value}, reason=reason)[period.pk]


# --- measurements ----------------------------------------------------------------------


def is_percentage_unit(measurement_unit):
    unit = (measurement_unit or "").casefold()
    return any(word in unit for word in PERCENT_UNIT_WORDS)


def _resolve_figures(indicator, *, value, numerator, denominator):
    """(value, numerator, denominator) from what the reporter gave.

    The rule: give either the value, or the numerator and the denominator (both). With a
    numerator and a denominator the value is computed as numerator ÷ denominator, × 100
    when the indicator's unit of measure contains "%" or "porcentaje", rounded half-up to
    four decimals; giving a value as well is refused so the stored figures never disagree.
    """
    errors = {}
    value = _to_value(value, "value", Measurement, "", errors)
    numerator = _to_value(numerator, "numerator", Measurement, "", errors)
    denominator = _to_value(denominator, "denominator", Measurement, "", errors)
    if errors:
        raise ValidationError(errors)
    if numerator is None and denominator is None:
        if value is None:
            raise ValidationError(
                {"value": _("Indique el valor ejecutado o el numerador y el denominador.")}
            )
        return value, None, None
    if numerator is None:
        raise ValidationError({"numerator": _("Indique el numerador junto con el denominador.")})
    if denominator is None:
        raise ValidationError({"denominator": _("Indique el denominador junto con el numerador.")})
    if denominator == 0:
        raise ValidationError({"denominator": _("El denominador no puede ser cero.")})
    if value is not None:
        raise ValidationError(
            {
                "value": _(
                    "Indique el valor ejecutado o el numerador y el denominador, no ambos: "
                    "el valor se calcula a partir de ellos."
                )
            }
        )
    computed = numerator / denominator
    if is_percentage_unit(indicator.measurement_unit):
        computed *= 100
    return computed.quantize(VALUE_QUANTUM, rounding=ROUND_HALF_UP), numerator, denominator


def _lock_measurement(measurement):
    """Lock the plan (refused when closed), then the measurement; returns the locked row
    with its indicator and period."""
    lock_open_plan(measurement)
    return (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator", "period")
        .get(pk=measurement.pk)
    )


MEASUREMENTS = review.ReviewedKind(
    model=Measurement,
    name="measurement",
    subject="indicator",
    evidence_model=MeasurementEvidence,
    lock=_lock_measurement,
    not_reporter=gettext_lazy(
        "Solo los responsables de la dependencia del indicador pueden reportar sus mediciones."
    ),
    not_reviewer=gettext_lazy("Solo la oficina de planeación puede aprobar o devolver mediciones."),
    own_submission=gettext_lazy("No puede aprobar una medición que usted mismo envió."),
)


def _save_measurement(measurement, *, by):
    measurement.full_clean()
    measurement._history_user = by
    measurement.save()


def _new_measurement(indicator, plan_id, period, *, by, entity, exists, figures):
    """A checked, unsaved draft of ``indicator`` (locked; measured in plan ``plan_id``) in
    ``period`` (reloaded after locking its plan): the rules of a new measurement, in order.
    ``exists``: whether the indicator already has one in that period."""
    MEASUREMENTS.require_reporter(by, indicator, "evaluation.add_measurement")
    if indicator.archived:
        raise ValidationError(
            {"indicator": _("El indicador está archivado y no admite nuevas mediciones.")}
        )
    if period.plan_id != plan_id:
        raise ValidationError({"period": _not_in_plan(period.label)})
    workflow.ensure_period_open(period)
    workflow.ensure_period_started(period, entity=entity)
    if exists:
        raise ValidationError(
            {
                "period": _("Ya existe una medición de este indicador para el periodo «%(label)s».")
                % {"label": period.label}
            }
        )
    measurement = Measurement(indicator=indicator, period=period, created_by=by)
    measurement.value, measurement.numerator, measurement.denominator = _resolve_figures(
        indicator,
        value=figures.get("value"),
        numerator=figures.get("numerator"),
        denominator=figures.get("denominator"),
    )
    measurement.narrative = (figures.get("narrative") or "").strip()
    return measurement


@transaction.atomic
def create_measurement(
    indicator, period, *, by, value=None, numerator=None, denominator=None, narrative=""
):
    """Report, as a draft, the executed value of an indicator in a period."""
    # Locking the indicator serialises reports of the same indicator, so the "one per
    # period" check below cannot race. Lock order: plan → indicator.
    lock_open_plan(period)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    period = ReportingPeriod.objects.get(pk=period.pk)
    measurement = _new_measurement(
        indicator,
        indicator_plan_id(indicator),
        period,
        by=by,
        entity=None,
        exists=Measurement.objects.filter(indicator=indicator, period=period).exists(),
        figures={
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "narrative": narrative,
        },
    )
    _save_measurement(measurement, by=by)
    return measurement


class BulkItemErrors(Exception):
    """Items of a bulk write were refused: ``errors`` maps each failed item's position to
    its ValidationError or PermissionDenied. Nothing was saved."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


# The foreign keys create_measurements checks itself, in bulk; the denominator's
# constraint (not zero) is the rule of _resolve_figures.
_BULK_CHECKED = ["indicator", "period", "created_by", "submitted_by", "reviewed_by"]


@transaction.atomic
def create_measurements(items, *, by, submit=False):
    """Report many measurements at once, all or nothing (the API's bulk write).

    ``items``: dicts with ``indicator``, ``period`` and the figures of create_measurement
    (value, numerator, denominator, narrative). Each item follows the rules of
    create_measurement, and of submit_measurement when ``submit``, in the same order, an
    item counting as already reported once an earlier item of the batch reported it. Raises
    BulkItemErrors with every failed item. The queries do not grow with the items: the
    plans, indicators, periods and existing measurements are read (and locked) once, the
    rows and their history written in bulk.
    """
    errors, closed = {}, {}
    for plan_id in sorted({item["period"].plan_id for item in items}):
        try:
            lock_open_plan(plan_id)
        except ValidationError as error:
            closed[plan_id] = error
    indicator_ids = {item["indicator"].pk for item in items}
    indicators = (
        Indicator.objects.select_for_update(of=("self",))
        .annotate(measured_plan_id=Coalesce("objective__plan_id", "goal__objective__plan_id"))
        .in_bulk(indicator_ids)
    )
    periods = ReportingPeriod.objects.in_bulk({item["period"].pk for item in items})
    reported = set(
        Measurement.objects.filter(
            indicator_id__in=indicator_ids, period_id__in=list(periods)
        ).values_list("indicator_id", "period_id")
    )
    entity = Entity.current()
    measurements = []
    for index, item in enumerate(items):
        item = dict(item)
        indicator = indicators[item.pop("indicator").pk]
        period = periods[item.pop("period").pk]
        key = (indicator.pk, period.pk)
        try:
            if period.plan_id in closed:
                raise closed[period.plan_id]
            measurement = _new_measurement(
                indicator,
                indicator.measured_plan_id,
                period,
                by=by,
                entity=entity,
                exists=key in reported,
                figures=item,
            )
            measurement.full_clean(
                exclude=_BULK_CHECKED, validate_unique=False, validate_constraints=False
            )
        except (ValidationError, PermissionDenied) as error:
            errors[index] = error
        else:
            reported.add(key)
            measurements.append(measurement)
    if errors:
        raise BulkItemErrors(errors)
    bulk_create_with_history(measurements, Measurement, default_user=by)
    if submit:
        # submit_measurement's checks are the ones above, on the same user and periods.
        for measurement in measurements:
            workflow.mark_submitted(measurement, by=by)
        bulk_update_with_history(
            measurements,
            Measurement,
            ["status", "submitted_by", "submitted_at"],
            default_user=by,
        )
    return measurements


@transaction.atomic
def update_measurement(
    measurement,
    *,
    by,
    value=UNCHANGED,
    numerator=UNCHANGED,
    denominator=UNCHANGED,
    narrative=UNCHANGED,
):
    """Change a draft or returned measurement.

    Passing any of value/numerator/denominator replaces the figures as a whole (the ones
    not passed become empty), with the rule of create_measurement.
    """
    current = _lock_measurement(measurement)
    MEASUREMENTS.require_reporter(by, current.indicator, "evaluation.change_measurement")
    workflow.ensure_period_open(current.period)
    workflow.ensure_editable(current)
    figures = {"value": value, "numerator": numerator, "denominator": denominator}
    if any(given is not UNCHANGED for given in figures.values()):
        figures = {name: None if given is UNCHANGED else given for name, given in figures.items()}
        current.value, current.numerator, current.denominator = _resolve_figures(
            current.indicator, **figures
        )
    if narrative is not UNCHANGED:
        current.narrative = (narrative or "").strip()
    _save_measurement(current, by=by)
    _copy_fields(measurement, current)
    return measurement


def submit_measurement(measurement, *, by):
    return review.submit(measurement, kind=MEASUREMENTS, by=by)


def approve_measurement(measurement, *, by, comment=""):
    return review.approve(measurement, kind=MEASUREMENTS, by=by, comment=comment)


def return_measurement(measurement, *, by, comment):
    return review.return_(measurement, kind=MEASUREMENTS, by=by, comment=comment)


def reopen_measurement(measurement, *, by, reason):
    return review.reopen(measurement, kind=MEASUREMENTS, by=by, reason=reason)


def add_measurement_evidence(measurement, *, by, file):
    return review.add_evidence(measurement, kind=MEASUREMENTS, by=by, file=file)


def remove_measurement_evidence(evidence, *, by):
    return review.remove_evidence(evidence, kind=MEASUREMENTS, by=by)
