"""Writes of the management app: budget allocations, their modifications and their
execution, and progress reports with their evidence.

Budget: every write first locks the action's plan and is refused when the plan is closed
(lock order plan → action → allocation). The allocation row is locked for every write that
touches its modifications or executions, so the cumulative invariant 0 ≤ pago ≤ obligación
≤ compromiso ≤ CDP ≤ apropiación definitiva holds under concurrent writes.

Progress reports: lock order is plan → period → action → report, so locking a period,
deleting an action and reviewing a report cannot interleave badly, and every step is
refused when the plan is closed.

Quantity-driven progress (issue #8 §2): an action may carry a product quantity target
("4 capacitaciones"). Its reports then give the cumulative quantity delivered up to the
period, never the percentage: the progress is min(100, quantity ÷ target × 100), rounded
half up to 2 decimals (``planning.models.quantity_progress``), and the report keeps the
target it was computed against. Worked example (a test in
tests/management/test_quantity_progress.py): target 4 capacitaciones, 3 delivered →
75,00 %; 5 delivered → 100,00 % (capped; the report stores progress 100 and quantity 5).
A report of an action without a target gives the progress and no quantity. Either way a
cumulative progress below the last approved one needs an explanation in the narrative.
"""

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
    ProgressEvidence,
    ProgressReport,
)
from management.selectors.budget import (
    BudgetTotals,
    allocation_totals,
    signed_modification_amount,
)
from management.selectors.physical import ZERO
from mipg.core.models import ReviewStatus
from mipg.core.permissions import require_perm
from mipg.core.review import services as review
from mipg.core.review.workflow import ensure_editable, ensure_period_open, ensure_period_started
from mipg.core.templatetags.mipg_format import quantity_progress_text
from planning.models import Action, ReportingPeriod, quantity_progress
from planning.services.versions import lock_open_plan

STAGES = list(BudgetExecution.Stage.values)
ALLOCATION_FIELDS = frozenset({"source", "year", "rubro", "appropriation", "bpin"})
_UNSET = object()


# --- Budget ------------------------------------------------------------------------------


def create_allocation(action, *, by, source, year, rubro, appropriation, bpin="", reason=""):
    """Create a budget allocation of ``action``; ``reason`` is kept as the history's change
    reason (an import's file)."""
    require_perm(by, "management.add_budgetallocation")
    with transaction.atomic():
        lock_open_plan(action)
        _lock(action)
        if action.archived:
            raise ValidationError(
                _("La actividad «%(action)s» está archivada; no admite nuevas asignaciones.")
                % {"action": action}
            )
        allocation = BudgetAllocation(action=action, source=source, year=year)
        allocation.rubro = (rubro or "").strip()
        allocation.appropriation = appropriation
        allocation.bpin = (bpin or "").strip()
        allocation._change_reason = reason or None
        return _save_allocation(allocation, by=by, changed=None)


def update_allocation(allocation, *, by, reason="", **fields):
    """Change source, year, rubro, appropriation (inicial) or BPIN. The apropiación
    definitiva may not drop below the CDP already issued, nor the year leave executions
    outside it (obligations and payments may stay in the next year)."""
    unknown = set(fields) - ALLOCATION_FIELDS
    if unknown:
        raise TypeError(f"BudgetAllocation does not accept {sorted(unknown)}")
    require_perm(by, "management.change_budgetallocation")
    with transaction.atomic():
        _lock_plan_of(allocation)
        _lock(allocation)
        for name, value in fields.items():
            if name in {"rubro", "bpin"}:
                value = (value or "").strip()
            setattr(allocation, name, value)
        allocation._change_reason = reason or None
        return _save_allocation(allocation, by=by, changed=set(fields))


def delete_allocation(allocation, *, by):
    require_perm(by, "management.delete_budgetallocation")
    with transaction.atomic():
        _lock_plan_of(allocation)
        _lock(allocation)
        for recorded, refusal in (
            (
                allocation.executions,
                _(
                    "No se puede eliminar la asignación «%(allocation)s»: tiene %(count)s "
                    "registros de ejecución."
                ),
            ),
            (
                allocation.budget_modifications,
                _(
                    "No se puede eliminar la asignación «%(allocation)s»: tiene %(count)s "
                    "modificaciones presupuestales."
                ),
            ),
        ):
            count = recorded.count()
            if count:
                raise ValidationError(refusal % {"allocation": allocation, "count": count})
        allocation._history_user = by
        allocation.delete()


def record_execution(allocation, *, by, stage, amount, date, document_number, description=""):
    """Record a CDP, compromiso/RP, obligación or pago; a negative amount is a release.

    Obligations and payments may be dated in the year after the allocation's vigencia
    (reservas presupuestales and cuentas por pagar of year N executed in N+1)."""
    require_perm(by, "management.add_budgetexecution")
    with transaction.atomic():
        _lock_plan_of(allocation)
        _lock(allocation)
        entry = BudgetExecution(allocation=allocation, stage=stage, amount=amount, date=date)
        entry.document_number = (document_number or "").strip()
        entry.description = (description or "").strip()
        entry.created_by = by
        entry.clean_fields()
        errors = {}
        if entry.amount == 0:
            errors["amount"] = _(
                "El valor no puede ser cero; use un valor negativo para registrar una liberación."
            )
        if not _execution_year_allowed(entry.stage, entry.date.year, allocation.year):
            errors["date"] = _execution_year_message(entry.stage, allocation.year)
        return _save_entry(entry, errors, by=by, adds_to=entry.stage, amount=entry.amount)


def delete_execution(entry, *, by):
    require_perm(by, "management.delete_budgetexecution")
    refusal = _("No se puede eliminar el registro «%(document)s». %(problem)s")
    _delete_entry(entry, by=by, refusal=refusal, names={"document": entry.document_number})


def record_modification(allocation, *, by, kind, amount, date, act_number, reason):
    """Record an adición, reducción, crédito or contracrédito of the allocation's
    apropiación, dated within its vigencia. A reduction or contracrédito may not take the
    apropiación definitiva below the CDP issued."""
    require_perm(by, "management.add_budgetmodification")
    with transaction.atomic():
        _lock_plan_of(allocation)
        _lock(allocation)
        modification = BudgetModification(
            allocation=allocation, kind=kind, amount=amount, date=date, created_by=by
        )
        modification.act_number = (act_number or "").strip()
        modification.reason = (reason or "").strip()
        modification.clean_fields()
        errors = {}
        if modification.amount <= 0:
            errors["amount"] = _(
                "El valor debe ser mayor que cero; el tipo de modificación indica si suma o resta."
            )
        if modification.date.year != allocation.year:
            errors["date"] = _("La fecha debe estar dentro de la vigencia %(year)s.") % {
                "year": allocation.year
            }
        return _save_entry(
            modification, errors, by=by, adds_to="modifications", amount=modification.signed_amount
        )


def delete_modification(modification, *, by):
    """Delete a modification; refused when the apropiación definitiva without it would
    fall below the CDP issued (e.g. deleting the adición that funds a CDP)."""
    require_perm(by, "management.delete_budgetmodification")
    refusal = _("No se puede eliminar la modificación «%(modification)s». %(problem)s")
    _delete_entry(modification, by=by, refusal=refusal, names={"modification": modification})


def _save_entry(entry, errors, *, by, adds_to, amount):
    """Save a budget execution entry or modification of ``entry.allocation`` (locked by the
    caller) unless ``errors`` or the chain of totals, with ``amount`` added to the total
    ``adds_to``, refuse it."""
    if not errors:
        totals = allocation_totals(entry.allocation)
        totals = replace(totals, **{adds_to: getattr(totals, adds_to) + amount})
        problem = _chain_problem(totals)
        if problem:
            errors["amount"] = problem
    if errors:
        raise ValidationError(errors)
    return _save(entry, by=by)


def _delete_entry(entry, *, by, refusal, names):
    """Delete a budget execution entry or modification; refused, with ``refusal`` filled
    with ``names`` and the problem, when the chain of totals of its allocation without it
    would break."""
    with transaction.atomic():
        _lock_plan_of(entry.allocation)
        allocation = BudgetAllocation.objects.select_for_update().get(pk=entry.allocation_id)
        _lock(entry)
        problem = _chain_problem(allocation_totals(allocation, without=entry))
        if problem:
            raise ValidationError(refusal % {**names, "problem": problem})
        entry._history_user = by
        entry.delete()


def _lock_plan_of(allocation):
    """Lock the plan of ``allocation``'s action; refused when the plan is closed."""
    plan_id = Action.objects.values_list("goal__objective__plan_id", flat=True).get(
        pk=allocation.action_id
    )
    return lock_open_plan(plan_id)


def _execution_year_allowed(stage, year, allocation_year):
    """Within the vigencia, or the next year for obligations and payments (reservas
    presupuestales and cuentas por pagar)."""
    if year == allocation_year:
        return True
    return year == allocation_year + 1 and stage in BudgetExecution.NEXT_YEAR_STAGES


def _execution_year_message(stage, allocation_year):
    if stage in BudgetExecution.NEXT_YEAR_STAGES:
        return _(
            "La fecha debe estar dentro de la vigencia %(year)s o, para reservas "
            "presupuestales y cuentas por pagar, en %(next)s."
        ) % {"year": allocation_year, "next": allocation_year + 1}
    return _("La fecha debe estar dentro de la vigencia %(year)s.") % {"year": allocation_year}


def _save_allocation(allocation, *, by, changed):
    allocation.clean_fields()
    errors = _allocation_errors(allocation, changed=changed)
    if errors:
        raise ValidationError(errors)
    return _save(allocation, by=by)


def _allocation_errors(allocation, *, changed, plan=None, duplicate=None, recorded=None):
    """The rules of an allocation after its clean_fields. A bulk import gives the ``plan``
    and whether it is a ``duplicate`` from memory, and for an existing allocation what is
    ``recorded`` against it (``_recorded_against``'s callable, read for many at once);
    read from the database otherwise."""
    errors = {}
    plan = plan or allocation.action.goal.objective.plan
    if not plan.start_year <= allocation.year <= plan.end_year:
        errors["year"] = _("La vigencia debe estar entre %(first)s y %(last)s (años del plan).") % {
            "first": plan.start_year,
            "last": plan.end_year,
        }
    if allocation.appropriation < 0:
        errors["appropriation"] = _("La apropiación no puede ser negativa.")
    if (changed is None or "source" in changed) and not allocation.source.active:
        errors["source"] = _("La fuente «%(source)s» está inactiva.") % {
            "source": allocation.source
        }
    if duplicate is None:
        duplicate = (
            BudgetAllocation.objects.filter(
                action_id=allocation.action_id,
                source_id=allocation.source_id,
                year=allocation.year,
                rubro=allocation.rubro,
            )
            .exclude(pk=allocation.pk)
            .exists()
        )
    if duplicate:
        errors["rubro"] = _(
            "Esta actividad ya tiene una asignación del rubro «%(rubro)s» con la fuente "
            "«%(source)s» en la vigencia %(year)s."
        ) % {"rubro": allocation.rubro, "source": allocation.source, "year": allocation.year}
    if allocation.pk is not None:
        recorded = recorded or _recorded_one
        totals, outside, modifications_outside = recorded(allocation, "year" not in errors)
        if "appropriation" not in errors and totals.definitive < totals.cdp:
            errors["appropriation"] = _appropriation_below_cdp(totals)
        if modifications_outside and not outside:
            errors["year"] = _(
                "%(count)s modificaciones presupuestales quedarían fuera de la vigencia %(year)s."
            ) % {"count": modifications_outside, "year": allocation.year}
        if outside:
            errors["year"] = _(
                "%(count)s registros de ejecución quedarían fuera de la vigencia %(year)s."
            ) % {"count": outside, "year": allocation.year}
    return errors


def _recorded_one(allocation, year_valid):
    """(BudgetTotals, executions outside the year, modifications outside the year) of
    ``allocation`` as it stands in memory, read from the database. The counts are checked
    only for a valid year (a lookup on year 0 is an error in the database): 0 otherwise."""
    totals = allocation_totals(allocation)
    if not year_valid:
        return totals, 0, 0
    outside = (
        allocation.executions.exclude(date__year=allocation.year)
        .exclude(stage__in=BudgetExecution.NEXT_YEAR_STAGES, date__year=allocation.year + 1)
        .count()
    )
    modifications_outside = allocation.budget_modifications.exclude(
        date__year=allocation.year
    ).count()
    return totals, outside, modifications_outside


def _recorded_against(allocation_ids):
    """``_allocation_errors``' ``recorded`` for many existing allocations: their executions'
    stage sums and their modifications' net read in two aggregate queries grouped by
    allocation and year, then the same figures as ``_recorded_one`` computed in memory."""
    stages = defaultdict(lambda: defaultdict(lambda: ZERO))  # id → stage → sum
    executions = defaultdict(list)  # id → [(stage, year, count)]
    rows = (
        BudgetExecution.objects.filter(allocation_id__in=allocation_ids)
        .order_by()
        .values("allocation_id", "stage", year=ExtractYear("date"))
        .annotate(total=Sum("amount"), count=Count("pk"))
    )
    for row in rows:
        stages[row["allocation_id"]][row["stage"]] += row["total"]
        executions[row["allocation_id"]].append((row["stage"], row["year"], row["count"]))
    net = defaultdict(lambda: ZERO)
    modifications = defaultdict(list)  # id → [(year, count)]
    rows = (
        BudgetModification.objects.filter(allocation_id__in=allocation_ids)
        .order_by()
        .values("allocation_id", year=ExtractYear("date"))
        .annotate(total=Sum(signed_modification_amount()), count=Count("pk"))
    )
    for row in rows:
        net[row["allocation_id"]] += row["total"]
        modifications[row["allocation_id"]].append((row["year"], row["count"]))

    def recorded(allocation, year_valid):
        pk = allocation.pk
        totals = BudgetTotals(
            appropriation=allocation.appropriation,
            modifications=net[pk],
            **{stage: stages[pk][stage] for stage in STAGES},
        )
        if not year_valid:
            return totals, 0, 0
        year = allocation.year
        outside = sum(
            count
            for stage, date_year, count in executions[pk]
            if not _execution_year_allowed(stage, date_year, year)
        )
        modifications_outside = sum(
            count for date_year, count in modifications[pk] if date_year != year
        )
        return totals, outside, modifications_outside

    return recorded


def _appropriation_below_cdp(totals):
    if not totals.modifications:
        return _(
            "La apropiación (%(appropriation)s) no puede quedar por debajo del CDP "
            "acumulado (%(cdp)s)."
        ) % {"appropriation": _money(totals.appropriation), "cdp": _money(totals.cdp)}
    return _(
        "La apropiación definitiva (%(definitive)s = inicial %(appropriation)s más "
        "modificaciones %(modifications)s) no puede quedar por debajo del CDP acumulado "
        "(%(cdp)s)."
    ) % {
        "definitive": _money(totals.definitive),
        "appropriation": _money(totals.appropriation),
        "modifications": _money(totals.modifications),
        "cdp": _money(totals.cdp),
    }


def _chain_problem(totals):
    """Why the BudgetTotals break 0 ≤ pago ≤ obligación ≤ compromiso ≤ CDP ≤ apropiación
    definitiva, or None."""
    levels = [(_("Apropiación definitiva"), totals.definitive)]
    levels += [(BudgetExecution.Stage(stage).label, getattr(totals, stage)) for stage in STAGES]
    for label, total in levels[1:]:
        if total < 0:
            return _(
                "El acumulado de «%(stage)s» quedaría en %(total)s; una liberación no puede "
                "superar lo registrado."
            ) % {"stage": label, "total": _money(total)}
    for (previous, previous_total), (label, total) in pairwise(levels):
        if total > previous_total:
            return _(
                "El acumulado de «%(stage)s» (%(total)s) superaría al de «%(previous)s» "
                "(%(previous_total)s); debe cumplirse pago ≤ obligación ≤ compromiso ≤ CDP ≤ "
                "apropiación definitiva."
            ) % {
                "stage": label,
                "total": _money(total),
                "previous": previous,
                "previous_total": _money(previous_total),
            }
    return None


def _money(value):
    """Colombian pesos: 1200000 → "$ 1.200.000", 1500.5 → "$ 1.500,50"."""
    value = Decimal(value).quantize(Decimal("0.01"))
    integer, cents = f"{abs(value):.2f}".split(".")
    text = f"{int(integer):,}".replace(",", ".")
    if cents != "00":
        text = f"{text},{cents}"
    return f"{'-' if value < 0 else ''}$ {text}"


# --- Progress reports --------------------------------------------------------------------


def create_progress_report(action, period, *, by, progress=None, quantity=None, narrative=""):
    """Create a draft report. ``progress`` (%) for an action without a quantity target;
    ``quantity`` (the cumulative quantity delivered) for one with it, whose progress is
    computed (a given ``progress`` is then ignored)."""
    require_perm(by, "management.add_progressreport")
    PROGRESS_REPORTS.require_reporter(by, action)
    with transaction.atomic():
        lock_open_plan(period)
        _lock(period)
        _lock(action)
        ensure_period_open(period)
        ensure_period_started(period)
        goal = action.goal
        if action.archived or goal.archived or goal.objective.archived:
            raise ValidationError(
                _("La actividad «%(action)s» está archivada y no admite nuevos reportes.")
                % {"action": action}
            )
        report = ProgressReport(action=action, period=period, created_by=by)
        report.narrative = (narrative or "").strip()
        errors = _figure_errors(report, progress=progress, quantity=quantity)
        if period.plan_id != goal.objective.plan_id:
            errors["period"] = _(
                "El periodo «%(period)s» no pertenece al plan de la actividad."
            ) % {"period": period}
        elif ProgressReport.objects.filter(action=action, period=period).exists():
            errors["period"] = _(
                "Ya existe un reporte de avance de esta actividad para el periodo «%(period)s»."
            ) % {"period": period}
        if errors:
            raise ValidationError(errors)
        return _save(report, by=by)


def update_progress_report(report, *, by, progress=_UNSET, quantity=_UNSET, narrative=_UNSET):
    """Change the progress (or quantity, for an action with a quantity target) and/or the
    narrative of a draft or returned report. Saving recomputes a quantity-driven progress
    against the action's current target."""
    require_perm(by, "management.change_progressreport")
    PROGRESS_REPORTS.require_reporter(by, report.action)
    with transaction.atomic():
        _lock_report(report)
        ensure_period_open(report.period)
        ensure_editable(report)
        if narrative is not _UNSET:
            report.narrative = (narrative or "").strip()
        errors = _figure_errors(report, progress=progress, quantity=quantity)
        if errors:
            raise ValidationError(errors)
        return _save(report, by=by)


def submit_progress_report(report, *, by):
    return review.submit(report, kind=PROGRESS_REPORTS, by=by)


def approve_progress_report(report, *, by, comment=""):
    return review.approve(report, kind=PROGRESS_REPORTS, by=by, comment=comment)


def return_progress_report(report, *, by, comment):
    return review.return_(report, kind=PROGRESS_REPORTS, by=by, comment=comment)


def reopen_progress_report(report, *, by, reason):
    return review.reopen(report, kind=PROGRESS_REPORTS, by=by, reason=reason)


def add_progress_evidence(report, *, by, file):
    return review.add_evidence(report, kind=PROGRESS_REPORTS, by=by, file=file)


def remove_progress_evidence(evidence, *, by):
    return review.remove_evidence(evidence, kind=PROGRESS_REPORTS, by=by)


def _lock_report(report):
    """Lock plan, period, action and report (in that order) and reload the report in place;
    refused when the plan is closed."""
    lock_open_plan(report)
    period = ReportingPeriod.objects.select_for_update().get(pk=report.period_id)
    action = Action.objects.select_for_update().get(pk=report.action_id)
    _lock(report)
    report.period, report.action = period, action
    return report


def _figure_errors(report, *, progress, quantity):
    """Set the figures of ``report`` (``_UNSET``: keep) by the rule of its action and return
    the errors by field: with a quantity target, the quantity (required, ≥ 0) gives the
    progress; without one, the progress (0–100) is given and a quantity is refused."""
    target = report.action.quantity_target
    if target is None:
        if quantity not in (_UNSET, None, ""):
            return {
                "quantity": _(
                    "La actividad «%(action)s» no tiene meta de cantidad: reporte el avance "
                    "en porcentaje, sin cantidad."
                )
                % {"action": report.action}
            }
        report.quantity = report.quantity_target = None
        if progress is not _UNSET:
            report.progress = progress
        if report.progress in (None, ""):
            return {"progress": _("Indique el avance físico acumulado (de 0 a 100).")}
    else:
        if quantity is not _UNSET:
            report.quantity = quantity
        errors = _quantity_errors(report)
        if errors:
            return errors
        report.quantity_target = target
        report.progress = quantity_progress(report.quantity, target)
    report.clean_fields()
    return _progress_errors(report)


def _quantity_errors(report):
    """The cumulative quantity delivered: required, a number, not negative."""
    unit = report.action.quantity_unit
    if report.quantity in (None, ""):
        return {
            "quantity": _("Indique la cantidad acumulada de %(unit)s entregada hasta el periodo.")
            % {"unit": unit}
        }
    try:
        report.quantity = Decimal(str(report.quantity))
    except InvalidOperation:
        return {"quantity": _("Indique la cantidad como un número, por ejemplo 3.")}
    if not report.quantity.is_finite() or report.quantity < 0:
        return {"quantity": _("La cantidad de %(unit)s no puede ser negativa.") % {"unit": unit}}
    return {}


def _progress_errors(report):
    if not Decimal("0") <= report.progress <= Decimal("100"):
        return {"progress": _("El avance debe estar entre 0 y 100 %.")}
    return _lower_progress_errors(report)


def _lower_progress_errors(report):
    """Progress is cumulative: below the last approved report of the action (the one of
    the latest earlier period) it needs an explanation in the narrative (MIPG.md §5)."""
    if report.narrative.strip():
        return {}
    last = (
        ProgressReport.objects.filter(
            action_id=report.action_id,
            status=ReviewStatus.APPROVED,
            period__start_date__lt=report.period.start_date,
        )
        .exclude(pk=report.pk)
        .order_by("-period__start_date")
        .values_list("progress", "quantity", "quantity_target", "period__label")
        .first()
    )
    if last is None or report.progress >= last[0]:
        return {}
    progress, delivered, target, label = last
    unit = report.action.quantity_unit
    return {
        "narrative": _(
            "El avance acumulado (%(progress)s) es menor que el último aprobado "
            "(%(last)s, periodo «%(period)s»): explique el retroceso en la descripción."
        )
        % {
            "progress": report.progress_text,
            "last": quantity_progress_text(delivered, target, unit, progress),
            "period": label,
        }
    }


def _check_submit(report):
    if report.quantity_target != report.action.quantity_target:
        raise ValidationError(
            {
                "quantity": _(
                    "La meta de cantidad de la actividad cambió desde que se guardó el "
                    "reporte: edítelo y guárdelo de nuevo para recalcular su avance."
                )
            }
        )
    errors = _lower_progress_errors(report)
    if errors:
        raise ValidationError(errors)


PROGRESS_REPORTS = review.ReviewedKind(
    model=ProgressReport,
    name="report",
    subject="action",
    evidence_model=ProgressEvidence,
    lock=_lock_report,
    not_reporter=gettext_lazy(
        "Solo los responsables de la dependencia de la actividad pueden reportar su avance."
    ),
    not_reviewer=gettext_lazy("Solo Planeación revisa reportes."),
    own_submission=gettext_lazy("No puede aprobar un reporte que usted mismo envió."),
    evidence_required=True,
    check_submit=_check_submit,
)


# --- Helpers -----------------------------------------------------------------------------


def _lock(obj):
    """Lock `obj`'s row and reload it in place."""
    obj.refresh_from_db(from_queryset=type(obj)._base_manager.select_for_update())


def _save(obj, *, by):
    obj.full_clean()
    obj._history_user = by
    obj.save()
    return obj
