"""Reads of the evaluation app: compliance (cumplimiento), semáforo and indicator results.

The arithmetic of MIPG.md §4 lives in small pure functions (`compliance`, `evaluate`,
`semaforo`) so it can be checked by hand; `indicator_results` and `semaforo_counts` feed
them from the database in a fixed number of queries, however many indicators there are.
Only approved measurements count (MIPG.md §5).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.query import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator, IndicatorTarget, Measurement
from mipg.core.models import Entity, ReviewStatus
from mipg.core.templatetags.mipg_format import number, percent
from planning.models import Goal, Objective

HUNDRED = Decimal("100")
PERCENT_QUANTUM = Decimal("0.01")
VALUE_QUANTUM = Decimal("0.0001")
ZERO = Decimal("0")
Acc = Indicator.Accumulation
# The value at a cut is the one reported for the cut's period (MIPG.md §4).
AT_CUT_ACCUMULATIONS = frozenset({Acc.STOCK, Acc.CUMULATIVE, Acc.REDUCTION, Acc.ANNUAL_REDUCTION})
# Levels that measure progress from the baseline when they have one.
BASELINE_LEVEL_ACCUMULATIONS = frozenset({Acc.STOCK, Acc.CUMULATIVE})
PERIODS_PER_YEAR = {
    Indicator.Frequency.MONTHLY: 12,
    Indicator.Frequency.BIMONTHLY: 6,
    Indicator.Frequency.QUARTERLY: 4,
    Indicator.Frequency.FOUR_MONTHLY: 3,
    Indicator.Frequency.SEMIANNUAL: 2,
    Indicator.Frequency.ANNUAL: 1,
}


class SemaforoState(models.TextChoices):
    GREEN = "verde", _("Verde")
    YELLOW = "amarillo", _("Amarillo")
    RED = "rojo", _("Rojo")
    NO_TARGET = "sin_meta", _("Sin meta")
    NOT_REPORTED = "sin_reporte", _("Sin reporte")
    NO_BASELINE = "sin_linea_base", _("Sin línea base")


class Point(NamedTuple):
    """One period of a series: its target, its approved value, its label and year."""

    target: Decimal | None
    executed: Decimal | None
    label: str = ""
    year: int | None = None


@dataclass(frozen=True)
class Rule:
    """What the arithmetic needs to know about an indicator (pure data, no database)."""

    polarity: str = Indicator.Polarity.INCREASING
    accumulation: str = Acc.FLOW
    baseline: Decimal | None = None
    baseline_per_year: bool = True
    periods_per_year: int = 1
    tolerance: Decimal | None = None  # absolute, in the indicator's unit (Mantenimiento)
    tolerance_percent: Decimal = Decimal("10")  # entity default: % of the target

    @classmethod
    def of(cls, indicator, *, entity):
        return cls(
            polarity=indicator.polarity,
            accumulation=indicator.accumulation,
            baseline=_decimal(indicator.baseline_value),
            baseline_per_year=indicator.baseline_horizon != Indicator.BaselineHorizon.PER_PERIOD,
            periods_per_year=PERIODS_PER_YEAR.get(indicator.frequency, 1),
            tolerance=_decimal(indicator.maintenance_tolerance),
            tolerance_percent=_decimal(entity.maintenance_tolerance_percent),
        )


@dataclass(frozen=True)
class IndicatorResult:
    """Executed value, target and raw (uncapped) compliance % of one indicator in a view.

    ``explanation`` is the formula with the numbers plugged in; ``unreported`` the number
    of periods with a target and no approved value that counted 0; ``last_reported`` the
    (period label, value) of the latest approved value when the cut itself has none.
    """

    executed: Decimal | None
    target: Decimal | None
    compliance: Decimal | None
    state: SemaforoState
    explanation: str = ""
    unreported: int = 0
    last_reported: tuple | None = None


# --- the arithmetic (pure) -------------------------------------------------------------


def _decimal(number):
    return number if number is None or isinstance(number, Decimal) else Decimal(str(number))


def _round(value):
    return value.quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def is_decreasing(*, polarity, accumulation):
    return polarity == Indicator.Polarity.DECREASING or accumulation in (
        Acc.REDUCTION,
        Acc.ANNUAL_REDUCTION,
    )


def needs_baseline(*, polarity, accumulation):
    """Decreasing rules measure from the baseline: without one they cannot be judged."""
    return polarity != Indicator.Polarity.MAINTENANCE and is_decreasing(
        polarity=polarity, accumulation=accumulation
    )


def explained_compliance(
    *, polarity, accumulation, executed, target, baseline, tolerance=None, explain=True
):
    """(compliance %, formula with the numbers) of one (E, P): raw, two decimals. With
    ``explain=False`` the formula is "" and not built (the same compliance): pages that
    never show it (the plan tree) skip formatting every number of every indicator.

    - Mantenimiento (keep at P): 100 while |E − P| ≤ tolerance, then falling linearly to 0
      at 2 × tolerance beyond the band, on either side (overshooting is not better). A
      tolerance of None means 0.
    - Decreciente, or accumulation Reducción / Reducción anual: (LB − E) / (LB − P) with LB
      the baseline (for Reducción anual, the previous year's value V); None without it.
    - Creciente Stock / Acumulado with a baseline and P ≠ LB: (E − LB) / (P − LB), progress
      from the baseline; E / P otherwise. Source: DNP, Dirección de Seguimiento y
      Evaluación de Políticas Públicas, «Guía para la construcción y análisis de
      indicadores» (Sinergia), §3 Análisis de indicadores: 3.1 tipos de acumulación, 3.2
      Stock, 3.3 Flujo, 3.4 Acumulado, 3.5 Capacidad, 3.6 Reducción, 3.7 Reducción anual —
      the formulas as MIPG.md §4 states them (the guide's section list was checked; its
      formula pages were not at hand, so MIPG.md keeps its *(verify)* mark).
    - A zero denominator (P = 0, or LB = P) gives 100 when the target is met and 0 otherwise.
    - (None, "") when E or P is missing.
    """
    executed, target = _decimal(executed), _decimal(target)
    baseline, tolerance = _decimal(baseline), _decimal(tolerance)
    if executed is None or target is None:
        return None, ""
    if polarity == Indicator.Polarity.MAINTENANCE:
        return _maintenance(executed, target, tolerance or ZERO, explain=explain)
    if is_decreasing(polarity=polarity, accumulation=accumulation):
        if baseline is None:
            return None, ""
        numerator, denominator, met = baseline - executed, baseline - target, executed <= target
        form = "({baseline} − {executed}) / ({baseline} − {target})"
    elif (
        accumulation in BASELINE_LEVEL_ACCUMULATIONS
        and baseline is not None
        and (target != baseline)
    ):
        numerator, denominator, met = executed - baseline, target - baseline, executed >= target
        form = "({executed} − {baseline}) / ({target} − {baseline})"
    else:
        numerator, denominator, met = executed, target, executed >= target
        form = "{executed} / {target}"
    if denominator == 0:
        value = HUNDRED if met else ZERO
    else:
        value = _round(numerator / denominator * HUNDRED)
    if not explain:
        return value, ""
    text = form.format(
        executed=number(executed),
        target=number(target),
        baseline=number(baseline) if baseline is not None else "",
    )
    if denominator == 0:
        note = _("denominador 0, meta cumplida") if met else _("denominador 0, meta no cumplida")
        return value, f"{text}: {note} → {percent(value)}"
    return value, f"{text} = {percent(value)}"


def _maintenance(executed, target, tolerance, *, explain=True):
    distance = abs(executed - target)
    if distance <= tolerance:
        value = HUNDRED
    elif tolerance == 0:
        value = ZERO
    else:
        value = _round(max(ZERO, HUNDRED * (1 - (distance - tolerance) / (2 * tolerance))))
    if not explain:
        return value, ""
    gap = f"|{number(executed)} − {number(target)}| = {number(distance)}"
    if distance <= tolerance:
        text = f"{gap} ≤ {number(tolerance)}"
    elif tolerance == 0:
        text = f"{gap} > 0"
    else:
        text = (
            f"{gap}; "
            f"100 × (1 − ({number(distance)} − {number(tolerance)}) / (2 × {number(tolerance)}))"
        )
    return value, f"{text} → {percent(value)}"


def compliance(*, polarity, accumulation, executed, target, baseline, tolerance=None):
    """Cumplimiento in %, raw (may exceed 100 or be negative): see `explained_compliance`."""
    return explained_compliance(
        polarity=polarity,
        accumulation=accumulation,
        executed=executed,
        target=target,
        baseline=baseline,
        tolerance=tolerance,
        explain=False,
    )[0]


def _points(series):
    return [Point(*(_decimal(v) if i < 2 else v for i, v in enumerate(p))) for p in series]


def _tolerance(rule, target, periods=1):
    """Absolute tolerance on P's horizon: the indicator's per period (× periods summed), or
    else the entity's percentage of |P|."""
    if rule.tolerance is not None:
        return rule.tolerance * periods
    if target is None:
        return None
    return abs(target) * rule.tolerance_percent / HUNDRED


def evaluate(rule, series, *, red_below, green_from, explain=True):
    """IndicatorResult of a series of Points (oldest first, the last one is the cut).
    ``explain=False``: the same figures with an empty ``explanation`` (not built).

    - Flujo: E = Σ approved values, P = Σ targets of the periods up to the cut (a period
      with a target and no value adds 0 and is counted as unreported). A baseline stated
      per year is brought to P's horizon: LB ÷ periods per year × periods summed. Periods
      per year come from the indicator's frequency (Trimestral = 4, …), not from the plan's
      calendar, so a plan with a missing period does not change the baseline.
    - Stock, Acumulado, Reducción, Reducción anual: E and P of the cut's period only. No
      approved value there: "sin reporte", with the latest earlier value as information.
      Reducción anual compares with V, the latest approved value of an earlier year (the
      baseline when there is none).
    - Capacidad: per-period compliance averaged over the periods with a target up to the
      cut; an unreported period counts 0 and is counted.
    States: "sin meta" without a target at the cut, "sin línea base" when the rule needs a
    baseline it does not have, "sin reporte" without an approved value, else the colour.
    """
    points = _points(series)
    if rule.accumulation in AT_CUT_ACCUMULATIONS:
        return _at_cut(rule, points, red_below, green_from, explain)
    if rule.accumulation == Acc.CAPACITY:
        return _capacity(rule, points, red_below, green_from, explain)
    return _flow(rule, points, red_below, green_from, explain)


def _result(rule, executed, target, value, text, *, red_below, green_from, **extra):
    """The state, then the result. A computed value with no executed figure at the cut
    (Capacidad: unreported periods count 0) is judged by its colour."""
    if target is None:
        state = SemaforoState.NO_TARGET
    elif (
        value is None
        and rule.baseline is None
        and needs_baseline(polarity=rule.polarity, accumulation=rule.accumulation)
    ):
        state = SemaforoState.NO_BASELINE
    elif value is None:
        state = SemaforoState.NOT_REPORTED
    else:
        state = semaforo(value, red_below=red_below, green_from=green_from)
    return IndicatorResult(executed, target, value, state, text, **extra)


def _flow(rule, points, red_below, green_from, explain):
    with_target = [p for p in points if p.target is not None]
    values = [p.executed for p in points if p.executed is not None]
    executed = sum(values) if values else None
    target = sum(p.target for p in with_target) if with_target else None
    unreported = sum(1 for p in with_target if p.executed is None)
    baseline, prefix = rule.baseline, ""
    if baseline is not None and is_decreasing(
        polarity=rule.polarity, accumulation=rule.accumulation
    ):
        periods = max(len(with_target), 1)
        if rule.baseline_per_year and rule.periods_per_year != 1:
            baseline = baseline / rule.periods_per_year * periods
            if explain:
                prefix = f"LB = {number(rule.baseline)} ÷ {rule.periods_per_year}"
                prefix += f" × {periods}" if periods != 1 else ""
                prefix += f" = {number(baseline)}; "
        elif not rule.baseline_per_year and periods != 1:
            baseline = baseline * periods
            if explain:
                prefix = f"LB = {number(rule.baseline)} × {periods} = {number(baseline)}; "
    value, text = explained_compliance(
        polarity=rule.polarity,
        accumulation=rule.accumulation,
        executed=executed,
        target=target,
        baseline=baseline,
        tolerance=_tolerance(rule, target, max(len(with_target), 1)),
        explain=explain,
    )
    return _result(
        rule,
        executed,
        target,
        value,
        prefix + text if text else "",
        red_below=red_below,
        green_from=green_from,
        unreported=unreported if executed is not None else 0,
    )


def _at_cut(rule, points, red_below, green_from, explain):
    if not points:
        return _result(rule, None, None, None, "", red_below=red_below, green_from=green_from)
    cut = points[-1]
    last = next(
        ((p.label, p.executed) for p in reversed(points[:-1]) if p.executed is not None), None
    )
    baseline, prefix = rule.baseline, ""
    if rule.accumulation == Acc.ANNUAL_REDUCTION:
        previous = [
            p
            for p in points[:-1]
            if p.executed is not None
            and p.year is not None
            and cut.year is not None
            and p.year < cut.year
        ]
        if previous:
            baseline = previous[-1].executed
            if explain:
                prefix = f"V = {previous[-1].label} = {number(baseline)}; "
    value, text = explained_compliance(
        polarity=rule.polarity,
        accumulation=rule.accumulation,
        executed=cut.executed,
        target=cut.target,
        baseline=baseline,
        tolerance=_tolerance(rule, cut.target),
        explain=explain,
    )
    return _result(
        rule,
        cut.executed,
        cut.target,
        value,
        prefix + text if text else "",
        red_below=red_below,
        green_from=green_from,
        last_reported=last if cut.executed is None else None,
    )


def _capacity(rule, points, red_below, green_from, explain):
    with_target = [p for p in points if p.target is not None]
    cut = points[-1] if points else Point(None, None)
    if not with_target or all(p.executed is None for p in with_target):
        # Nothing to average: "sin meta" without targets, else "sin reporte".
        target = with_target[-1].target if with_target else None
        return _result(rule, None, target, None, "", red_below=red_below, green_from=green_from)
    parts, texts = [], []
    for point in with_target:
        if point.executed is None:
            parts.append(ZERO)
            texts.append("0 %")
            continue
        value, _text = explained_compliance(
            polarity=rule.polarity,
            accumulation=rule.accumulation,
            executed=point.executed,
            target=point.target,
            baseline=rule.baseline,
            tolerance=_tolerance(rule, point.target),
            explain=explain,
        )
        if value is None:  # a decreasing rule without baseline
            return _result(
                rule, cut.executed, cut.target, None, "", red_below=red_below, green_from=green_from
            )
        parts.append(value)
        if explain:
            texts.append(percent(value))
    average = _round(sum(parts) / len(parts))
    if not explain:
        text = ""
    elif len(parts) == 1:
        text = _text if with_target[0].executed is not None else percent(ZERO)
    else:
        text = f"({' + '.join(texts)}) / {len(parts)} = {percent(average)}"
    return _result(
        rule,
        cut.executed,
        cut.target,
        average,
        text,
        red_below=red_below,
        green_from=green_from,
        unreported=sum(1 for p in with_target if p.executed is None),
    )


def semaforo(compliance, *, red_below, green_from):
    """The colour of a compliance: verde from `green_from` up, rojo below `red_below`,
    amarillo in between (verde wins should the thresholds ever be inverted).

    For decreasing indicators this takes the compliance, never the raw value. Thresholds
    are at most 100, so capping compliance at 100 for roll-ups never changes the colour.
    """
    if compliance is None:
        raise ValueError("semaforo() needs a compliance; None means sin_meta or sin_reporte.")
    if compliance >= green_from:
        return SemaforoState.GREEN
    if compliance < red_below:
        return SemaforoState.RED
    return SemaforoState.YELLOW


def capped(compliance):
    """Compliance for weighted roll-ups: kept within 0–100 (MIPG.md §4)."""
    if compliance is None:
        return None
    return min(max(compliance, ZERO), HUNDRED)


# --- database reads --------------------------------------------------------------------


def effective_thresholds(indicator, *, entity=None):
    """(red_below, green_from) of an indicator: its own, or else the entity's defaults."""
    red, green = indicator.semaforo_red_below, indicator.semaforo_green_from
    if red is None or green is None:
        entity = entity or Entity.current()
        red = entity.semaforo_red_below if red is None else red
        green = entity.semaforo_green_from if green is None else green
    return red, green


def indicator_plan_id(indicator):
    """Id of the plan whose periods an indicator is measured in (via its goal or objective)."""
    if indicator.objective_id:
        return Objective.objects.values_list("plan_id", flat=True).get(pk=indicator.objective_id)
    return Goal.objects.values_list("objective__plan_id", flat=True).get(pk=indicator.goal_id)


def series_result(indicator, series, *, thresholds, entity=None, explain=True):
    """IndicatorResult of ``indicator`` over ``series`` (Points or (target, approved value)
    pairs, oldest period first, the cut last), banded with ``thresholds`` (red below, green
    from). The one rule behind every figure: indicator page, lists, exports, roll-ups, API.
    ``explain=False``: without the formula text (``evaluate``)."""
    red_below, green_from = thresholds
    return evaluate(
        Rule.of(indicator, entity=entity or Entity.current()),
        series,
        red_below=red_below,
        green_from=green_from,
        explain=explain,
    )


def indicators_of_plan(plan, objective=None):
    """Live indicators of a plan: not archived, nor under an archived goal or objective;
    with `objective`, only those of that objective and of its goals."""
    indicators = Indicator.objects.live().filter(
        Q(goal__objective__plan=plan) | Q(objective__plan=plan)
    )
    if objective is not None:
        indicators = indicators.filter(Q(goal__objective=objective) | Q(objective=objective))
    return indicators


def indicators_of_plans(plans):
    """Live indicators of several plans, each with ``plan_key``: its plan's id."""
    return (
        Indicator.objects.live()
        .filter(Q(goal__objective__plan__in=plans) | Q(objective__plan__in=plans))
        .annotate(plan_key=Coalesce("goal__objective__plan_id", "objective__plan_id"))
    )


def _figures_in_view(queryset, kind, indicator_filter, in_view):
    """(kind, indicator id, period id, period start, period label, plan id, value) rows of
    `queryset` (targets or measurements) for the periods `in_view` (a Q, ``_in_view``)."""
    return (
        queryset.filter(in_view, **indicator_filter)
        .order_by()
        .annotate(kind=Value(kind))
        .values_list(
            "kind",
            "indicator_id",
            "period_id",
            "period__start_date",
            "period__label",
            "period__plan_id",
            "value",
        )
    )


def _targets_and_approved(indicator_filter, in_view, period_order):
    """({indicator_id: {period_id: target}}, {indicator_id: {period_id: approved value}})
    for the periods `in_view`, in one query. Records each period's sort key (start date,
    id), label and plan id in `period_order`."""
    targets = _figures_in_view(IndicatorTarget.objects.all(), "t", indicator_filter, in_view)
    approved = _figures_in_view(
        Measurement.objects.filter(status=ReviewStatus.APPROVED), "m", indicator_filter, in_view
    )
    figures = {"t": {}, "m": {}}
    for kind, indicator_id, period_id, start_date, label, plan_id, value in targets.union(
        approved, all=True
    ):
        figures[kind].setdefault(indicator_id, {})[period_id] = value
        period_order[period_id] = (start_date, period_id, label, plan_id)
    return figures["t"], figures["m"]


PLAN_SCOPE, YEAR_SCOPE = "plan", "year"


def in_scope(points, *, scope, accumulation):
    """The points a cumulative view evaluates: all of them for the whole plan (to the cut);
    for the year of the cut, only that year's periods when they are summed or averaged
    (Flujo, Capacidad) — the at-the-cut rules read the cut and look back for V and the
    last data whatever the scope."""
    if scope != YEAR_SCOPE or accumulation in AT_CUT_ACCUMULATIONS or not points:
        return points
    year = points[-1].year
    return [point for point in points if point.year == year]


def indicator_results(
    indicators,
    *,
    period,
    cumulative=False,
    scope=PLAN_SCOPE,
    entity=None,
    explain=True,
    among=None,
):
    """{indicator id: IndicatorResult} for `period`, or up to it when `cumulative`.

    With `cumulative`, `scope` says from where: the plan's first period ("plan", the whole
    term of a multi-year plan) or the first period of the cut's year ("year").

    The period view pairs the period's target with its approved value; the cumulative view
    evaluates the plan's periods up to and including `period` (see `evaluate`).
    `indicators` is a queryset (or a list of Indicator). Three queries: the indicators, the
    entity's default thresholds (none when `entity` is given), and the targets with the
    approved measurements. ``explain=False``: the same figures without the formula text,
    for pages that never show it (``evaluate``). `among`: the queryset a list of
    `indicators` was read from (a plan's, say), to read their figures through it rather
    than through a list of thousands of ids (a query the driver must rewrite each time).
    """
    if among is None and isinstance(indicators, QuerySet):
        among = indicators
    # A subquery rather than a list of ids: no limit on the number of parameters.
    indicator_filter = {"indicator__in": among.values("pk")} if among is not None else None
    indicators = list(indicators)
    if not indicators:
        return {}
    if indicator_filter is None:
        indicator_filter = {"indicator_id__in": [indicator.pk for indicator in indicators]}
    entity = entity or Entity.current()
    # The cut's own period is always in the series, figures or not: "at the cut" rules
    # read it (never an older period in its place).
    period_order = {period.pk: (period.start_date, period.pk, period.label, period.plan_id)}
    targets, approved = _targets_and_approved(
        indicator_filter, _in_view([period], cumulative), period_order
    )
    return _results(
        indicators, period_order, targets, approved, scope=scope, entity=entity, explain=explain
    )


def indicator_results_at_cuts(indicators, cuts, *, cumulative=False, scope=PLAN_SCOPE, entity):
    """{indicator id: IndicatorResult} of indicators of several plans, each at its plan's
    cut: `indicators` carry ``plan_key`` (their plan's id, ``indicators_of_plans``) and
    `cuts` maps a plan id to its period (None: no result). The figures of
    ``indicator_results`` at each plan's period, in one query whatever the number of plans:
    the targets with the approved measurements of every plan's periods in view."""
    indicators = [i for i in indicators if cuts.get(i.plan_key) is not None]
    if not indicators:
        return {}
    periods = {period.pk: period for period in cuts.values() if period is not None}
    period_order = {pk: (p.start_date, pk, p.label, p.plan_id) for pk, p in periods.items()}
    targets, approved = _targets_and_approved(
        {"indicator_id__in": [indicator.pk for indicator in indicators]},
        _in_view(periods.values(), cumulative),
        period_order,
    )
    results = {}
    by_plan = defaultdict(list)
    for indicator in indicators:
        by_plan[indicator.plan_key].append(indicator)
    for plan_id, plan_indicators in by_plan.items():
        # each plan's series reads its own periods only, up to its cut
        own = {pk: key for pk, key in period_order.items() if key[3] == plan_id}
        results.update(
            _results(plan_indicators, own, targets, approved, scope=scope, entity=entity)
        )
    return results


def _in_view(periods, cumulative):
    """The Q on a target or measurement of the periods in view of the cuts `periods`: each
    cut's own period, or with `cumulative` its plan's periods up to it."""
    if not cumulative:
        return Q(period_id__in=[period.pk for period in periods])
    q = Q()
    for period in periods:
        q |= Q(period__plan_id=period.plan_id, period__start_date__lte=period.start_date)
    return q


def _results(indicators, period_order, targets, approved, *, scope, entity, explain=True):
    """{indicator id: IndicatorResult} of `indicators` over the periods of `period_order`
    (period id → (start date, id, label, plan id)), oldest first; periods without any figure add
    nothing to any aggregate."""
    period_ids = sorted(period_order, key=lambda pk: period_order[pk][:2])
    results = {}
    for indicator in indicators:
        indicator_targets = targets.get(indicator.pk, {})
        indicator_values = approved.get(indicator.pk, {})
        points = [
            Point(
                indicator_targets.get(pk),
                indicator_values.get(pk),
                period_order[pk][2],
                period_order[pk][0].year,
            )
            for pk in period_ids
        ]
        results[indicator.pk] = series_result(
            indicator,
            in_scope(points, scope=scope, accumulation=indicator.accumulation),
            thresholds=effective_thresholds(indicator, entity=entity),
            entity=entity,
            explain=explain,
        )
    return results


def semaforo_counts(plan, *, period, cumulative=False, scope=PLAN_SCOPE):
    """{state: number of live indicators of the plan in that state}, every state present."""
    counts = dict.fromkeys(SemaforoState, 0)
    for result in indicator_results(
        indicators_of_plan(plan), period=period, cumulative=cumulative, scope=scope
    ).values():
        counts[result.state] += 1
    return counts
