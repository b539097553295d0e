"""Reads of the evaluation app: compliance (cumplimiento), semáforo and indicator results.

The arithmetic of MIPG.md §4 lives in small pure functions (`compliance`, `aggregate`,
`semaforo`) so it can be checked by hand; `indicator_results` and `semaforo_counts` feed
them from the database in a fixed number of queries, however many indicators there are.
Only approved measurements count (MIPG.md §5).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Q
from django.db.models.query import QuerySet
from django.utils.translation import gettext_lazy as _

from evaluation.models import Indicator, IndicatorTarget, Measurement
from mipg.core.models import Entity, ReviewStatus
from planning.models import Goal, Objective

HUNDRED = Decimal("100")
PERCENT_QUANTUM = Decimal("0.01")
VALUE_QUANTUM = Decimal("0.0001")
LAST_VALUE_ACCUMULATIONS = frozenset(
    {
        Indicator.Accumulation.STOCK,
        Indicator.Accumulation.CUMULATIVE,
        Indicator.Accumulation.REDUCTION,
    }
)


class SemaforoState(models.TextChoices):
    GREEN = "verde", _("Verde")
    YELLOW = "amarillo", _("Amarillo")
    RED = "rojo", _("Rojo")
    NO_TARGET = "sin_meta", _("Sin meta")
    NOT_REPORTED = "sin_reporte", _("Sin reporte")


@dataclass(frozen=True)
class IndicatorResult:
    """Executed value, target and raw (uncapped) compliance % of one indicator in a view."""

    executed: Decimal | None
    target: Decimal | None
    compliance: Decimal | None
    state: SemaforoState


# --- the arithmetic (pure) -------------------------------------------------------------


def _decimal(number):
    return number if number is None or isinstance(number, Decimal) else Decimal(str(number))


def is_decreasing(*, polarity, accumulation):
    return (
        polarity == Indicator.Polarity.DECREASING
        or accumulation == Indicator.Accumulation.REDUCTION
    )


def compliance(*, polarity, accumulation, executed, target, baseline):
    """Cumplimiento in %, raw (may exceed 100 or be negative), rounded to two decimals.

    - Creciente and Mantenimiento: E / P × 100.
    - Decreciente, or accumulation Reducción: (LB − E) / (LB − P) × 100, which needs a
      baseline; without one the result is None. Doing better than the target (E < P)
      gives more than 100; getting worse than the baseline (E > LB) gives a negative value.
    - A zero denominator (P = 0, or LB = P) cannot be divided by: the result is 100 when
      the target is met (E ≥ P increasing, E ≤ P decreasing) and 0 otherwise.
    - None when E or P is missing.
    """
    executed, target, baseline = _decimal(executed), _decimal(target), _decimal(baseline)
    if executed is None or target is None:
        return None
    if is_decreasing(polarity=polarity, accumulation=accumulation):
        if baseline is None:
            return None
        numerator, denominator, met = baseline - executed, baseline - target, executed <= target
    else:
        numerator, denominator, met = executed, target, executed >= target
    if denominator == 0:
        return HUNDRED if met else Decimal("0")
    return (numerator / denominator * HUNDRED).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def _mean(numbers):
    return (sum(numbers) / len(numbers)).quantize(VALUE_QUANTUM, rounding=ROUND_HALF_UP)


def aggregate(*, accumulation, series):
    """(E, P) of a cumulative view by accumulation type.

    `series` lists (target, approved executed value) per period, oldest first, for the
    periods of the plan up to and including the period of the view; either may be None.

    - Flujo: E = Σ approved values; P = Σ targets of those periods. A period without an
      approved value adds nothing to E.
    - Stock, Acumulado and Reducción: E = the latest approved value and P = the target of
      that same period. With no approved value yet, E is None and P the latest target
      (so the view reads "sin reporte" rather than "sin meta").
    - Capacidad: E = average of the approved values; P = average of the targets.

    E is None when no period has an approved value, P when no period has a target. A
    one-period series gives that period's own (E, P) for every accumulation.
    """
    series = [(_decimal(target), _decimal(executed)) for target, executed in series]
    targets = [target for target, _executed in series if target is not None]
    values = [executed for _target, executed in series if executed is not None]
    if accumulation in LAST_VALUE_ACCUMULATIONS:
        for target, executed in reversed(series):
            if executed is not None:
                return executed, target
        return None, (targets[-1] if targets else None)
    if accumulation == Indicator.Accumulation.CAPACITY:
        return (_mean(values) if values else None), (_mean(targets) if targets else None)
    return (sum(values) if values else None), (sum(targets) if targets else None)


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
    return min(max(compliance, Decimal("0")), HUNDRED)


def result_state(*, executed, target, compliance, red_below, green_from):
    """Sin meta without a target; sin reporte without an approved value; else the colour.

    A compliance that cannot be computed although both figures exist (Reducción or
    Decreciente without a baseline) reads as grey "sin meta": it cannot be judged.
    """
    if target is None:
        return SemaforoState.NO_TARGET
    if executed is None:
        return SemaforoState.NOT_REPORTED
    if compliance is None:
        return SemaforoState.NO_TARGET
    return semaforo(compliance, red_below=red_below, green_from=green_from)


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


def series_result(indicator, series, *, thresholds):
    """IndicatorResult of ``indicator`` over ``series`` ([(target, approved value), ...],
    oldest period first), banded with ``thresholds`` (red below, green from)."""
    executed, target = aggregate(accumulation=indicator.accumulation, series=series)
    percent = compliance(
        polarity=indicator.polarity,
        accumulation=indicator.accumulation,
        executed=executed,
        target=target,
        baseline=indicator.baseline_value,
    )
    red_below, green_from = thresholds
    state = result_state(
        executed=executed,
        target=target,
        compliance=percent,
        red_below=red_below,
        green_from=green_from,
    )
    return IndicatorResult(executed, target, percent, state)


def indicators_of_plan(plan):
    """Live indicators of a plan: not archived, nor under an archived goal or objective."""
    return Indicator.objects.live().filter(Q(goal__objective__plan=plan) | Q(objective__plan=plan))


def _figures_by_indicator(queryset, indicator_filter, period, cumulative, period_order):
    """{indicator_id: {period_id: value}} for the view's periods, in one query.

    Records each period's sort key (start date, id) in `period_order` on the way.
    """
    if cumulative:
        queryset = queryset.filter(
            period__plan_id=period.plan_id, period__start_date__lte=period.start_date
        )
    else:
        queryset = queryset.filter(period_id=period.pk)
    figures = {}
    rows = queryset.filter(**indicator_filter).values_list(
        "indicator_id", "period_id", "period__start_date", "value"
    )
    for indicator_id, period_id, start_date, value in rows:
        figures.setdefault(indicator_id, {})[period_id] = value
        period_order[period_id] = (start_date, period_id)
    return figures


def indicator_results(indicators, *, period, cumulative=False):
    """{indicator id: IndicatorResult} for `period`, or up to it when `cumulative`.

    The period view pairs the period's target with its approved value; the cumulative view
    aggregates the plan's periods up to and including `period` (see `aggregate`).
    `indicators` is a queryset (or a list of Indicator). Four queries: the indicators, the
    entity's default thresholds, the targets and the approved measurements.
    """
    indicator_filter = (
        # A subquery rather than a list of ids: no limit on the number of parameters.
        {"indicator__in": indicators.values("pk")} if isinstance(indicators, QuerySet) else None
    )
    indicators = list(indicators)
    if not indicators:
        return {}
    if indicator_filter is None:
        indicator_filter = {"indicator_id__in": [indicator.pk for indicator in indicators]}
    entity = Entity.current()
    period_order = {}
    targets = _figures_by_indicator(
        IndicatorTarget.objects.all(), indicator_filter, period, cumulative, period_order
    )
    approved = _figures_by_indicator(
        Measurement.objects.filter(status=ReviewStatus.APPROVED),
        indicator_filter,
        period,
        cumulative,
        period_order,
    )
    # Oldest first; periods without any figure add nothing to any aggregate.
    period_ids = sorted(period_order, key=period_order.get)

    results = {}
    for indicator in indicators:
        indicator_targets = targets.get(indicator.pk, {})
        indicator_values = approved.get(indicator.pk, {})
        results[indicator.pk] = series_result(
            indicator,
            [(indicator_targets.get(pk), indicator_values.get(pk)) for pk in period_ids],
            thresholds=effective_thresholds(indicator, entity=entity),
        )
    return results


def semaforo_counts(plan, *, period, cumulative=False):
    """{state: number of live indicators of the plan in that state}, every state present."""
    counts = dict.fromkeys(SemaforoState, 0)
    for result in indicator_results(
        indicators_of_plan(plan), period=period, cumulative=cumulative
    ).values():
        counts[result.state] += 1
    return counts
