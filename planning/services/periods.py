"""Reporting periods and control interno's ratings of actions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mipg.core.models import ReviewedFigureBase, ReviewStatus
from mipg.core.permissions import require_perm
from planning.models import ActionRating, ReportingPeriod
from planning.services._base import (
    QUARTERS,
    _check_year,
    _date,
    _date_errors,
    _lock,
    _lock_open_plan,
    _save,
)
from planning.services.versions import change, record_plan_version


def create_period(plan, *, by, label, start_date, end_date, due_date=None, reason=""):
    """Create a reporting period; on an approved plan it needs a `reason` and makes a new
    plan version."""
    require_perm(by, "planning.add_reportingperiod")
    with transaction.atomic():
        _lock_open_plan(plan)
        period = ReportingPeriod(plan=plan, label=(label or "").strip(), due_date=due_date)
        period.start_date, period.end_date = start_date, end_date
        period.clean_fields()
        errors = _period_errors(period, plan)
        if errors:
            raise ValidationError(errors)
        _save(period, by=by)
        record_plan_version(plan, by=by, reason=reason, changes=[change(period, "created")])
        return period


def create_quarterly_periods(plan, *, by, year, reason=""):
    """Create "T1 <year>" … "T4 <year>", each due 10 days after it ends; all or nothing. On
    an approved plan they need a `reason` and make one new plan version."""
    require_perm(by, "planning.add_reportingperiod")
    with transaction.atomic():
        _lock_open_plan(plan)
        try:
            year = int(year)
        except (TypeError, ValueError):
            raise ValidationError({"year": _("Indique un año válido.")}) from None
        _check_year(plan, year)
        periods, problems = [], []
        for quarter, (start_month, end_month, end_day) in enumerate(QUARTERS, start=1):
            start = datetime.date(year, start_month, 1)
            end = datetime.date(year, end_month, end_day)
            period = ReportingPeriod(plan=plan, label=f"T{quarter} {year}")
            period.start_date, period.end_date = start, end
            period.due_date = end + datetime.timedelta(days=10)
            for messages in _period_errors(period, plan).values():
                problems.append(f"{period.label}: {messages}")
            periods.append(period)
        if problems:
            raise ValidationError({"year": problems})
        for period in periods:
            _save(period, by=by)
        changes = [change(period, "created") for period in periods]
        record_plan_version(plan, by=by, reason=reason, changes=changes)
        return periods


def lock_period(period, *, by):
    """Close a period for reporting. Refused on a closed plan, and while figures of the
    period wait for review (MIPG.md §5), listing them: the planning office approves or
    returns them first."""
    require_perm(by, "planning.change_reportingperiod")
    with transaction.atomic():
        _lock_open_plan(period)
        _lock(period)
        if period.locked:
            raise ValidationError(
                _("El periodo «%(label)s» ya está cerrado.") % {"label": period.label}
            )
        waiting = figures_waiting_for_review(period)
        if waiting:
            raise ValidationError(
                [
                    _(
                        "No se puede cerrar el periodo «%(label)s»: %(count)s cifra(s) esperan "
                        "revisión; apruébelas o devuélvalas primero."
                    )
                    % {"label": period.label, "count": len(waiting)},
                    *waiting,
                ]
            )
        period.locked = True
        return _save(period, by=by)


def unlock_period(period, *, by, reason):
    """Reopen a period for reporting; the reason is kept in the period's history."""
    require_perm(by, "planning.change_reportingperiod")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Indique por qué se vuelve a abrir el periodo.")})
    with transaction.atomic():
        _lock_open_plan(period)
        _lock(period)
        if not period.locked:
            raise ValidationError(
                _("El periodo «%(label)s» ya está abierto.") % {"label": period.label}
            )
        period.locked = False
        period._change_reason = reason
        return _save(period, by=by)


def figures_waiting_for_review(period):
    """What of `period` waits for the planning office's review, as lines "<kind>: <figure>"
    (e.g. "reporte de avance: A1 · T1 2026"), one query per kind of figure.

    Planning may not import the apps above it (management's progress reports,
    evaluation's measurements). It finds them through Django's reverse relations of
    ReportingPeriod instead: every model derived from the ground's ReviewedFigureBase with
    a foreign key to the period is a reviewed figure of it. A new kind of reviewed figure
    is covered without touching this function."""
    lines = []
    for relation in ReportingPeriod._meta.related_objects:
        model = relation.related_model
        if not (relation.one_to_many and issubclass(model, ReviewedFigureBase)):
            continue
        # What the figure's __str__ reads: its subject and period, never its users.
        subjects = [
            field.name
            for field in model._meta.concrete_fields
            if field.many_to_one and not field.null and not field.name.endswith("_by")
        ]
        figures = (
            model._default_manager.filter(
                **{relation.field.name: period, "status": ReviewStatus.SUBMITTED}
            )
            .select_related(*subjects)
            .order_by("pk")
        )
        lines += [f"{model._meta.verbose_name}: {figure}" for figure in figures]
    return lines


def _period_errors(period, plan):
    errors = {}
    others = ReportingPeriod.objects.filter(plan=plan).exclude(pk=period.pk)
    if others.filter(label__iexact=period.label).exists():
        errors["label"] = _("Ya existe un periodo «%(label)s» en este plan.") % {
            "label": period.label
        }
    errors.update(_date_errors(period, plan))
    if period.due_date is not None and period.due_date < period.end_date:
        errors["due_date"] = _("La fecha límite de reporte no puede ser anterior al %(end)s.") % {
            "end": _date(period.end_date)
        }
    if "start_date" not in errors and "end_date" not in errors:
        clash = others.filter(
            start_date__lte=period.end_date, end_date__gte=period.start_date
        ).first()
        if clash is not None:
            errors["start_date"] = _(
                "El periodo se cruza con «%(label)s» (%(first)s – %(last)s)."
            ) % {
                "label": clash.label,
                "first": _date(clash.start_date),
                "last": _date(clash.end_date),
            }
    return errors


def rate_action(action, *, by, year, semester, rating, comment=""):
    """Create or replace control interno's rating of an action for a year and semester. A
    rating below "satisfactorio" needs a comment saying what falls short (MIPG.md §5)."""
    require_perm(by, "planning.rate_action", _("Solo control interno califica actividades."))
    with transaction.atomic():
        _lock(action)
        candidate = ActionRating(action=action, year=year, semester=semester, rating=rating)
        candidate.comment = (comment or "").strip()
        candidate.rated_by = by
        candidate.clean_fields()
        _check_year(action.goal.objective.plan, candidate.year)
        if candidate.rating != ActionRating.Rating.SATISFACTORY and not candidate.comment:
            raise ValidationError(
                {
                    "comment": _(
                        "Una calificación por debajo de «Satisfactorio» requiere un comentario."
                    )
                }
            )
        existing = ActionRating.objects.filter(
            action=action, year=candidate.year, semester=candidate.semester
        ).first()
        if existing is not None:
            existing.rating, existing.comment = candidate.rating, candidate.comment
            existing.rated_by = by
            candidate = existing
        return _save(candidate, by=by)
