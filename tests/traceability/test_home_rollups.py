"""The home page rolls every current plan up at once (``rollups_of``): the figures of each
plan's own roll-up, in a number of queries that does not grow with the number of plans,
served plans included."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from mipg.traceability.rollup import rollup_of, rollups_of, with_serving_flag
from planning.models import StrategicPlan
from planning.selectors import default_cutoff
from tests import factories
from tests.builders import build_plan
from tests.traceability.test_strategic_rollup import serving_objective, serving_plan

pytestmark = pytest.mark.django_db


def served_pei(name, year, *, plan_status=StrategicPlan.Status.DRAFT):
    """A PEI (PEI-1 60, PEI-2 40) served by a Plan de Acción of `year`: O1 (50) → PEI-1
    executed 40 %, O2 (50) → PEI-2 executed 80 %, each planned 100 % at T1."""
    pei = factories.PlanFactory(name=name, kind="pei", start_year=year - 2, end_year=year + 1)
    first = factories.ObjectiveFactory(plan=pei, code="PEI-1", weight=D("60"))
    second = factories.ObjectiveFactory(plan=pei, code="PEI-2", weight=D("40"))
    plan, period = serving_plan(pei, year)
    serving_objective(plan, period, "O1", "50", first, progress="40", budget="1000", indicator="5")
    serving_objective(
        plan, period, "O2", "50", second, progress="80", budget="3000", indicator="10"
    )
    StrategicPlan.objects.filter(pk=plan.pk).update(status=plan_status)
    return pei, plan


def current_plans():
    return list(
        with_serving_flag(StrategicPlan.objects.exclude(status=StrategicPlan.Status.CLOSED))
        .prefetch_related("periods")
        .order_by("pk")
    )


def figures(rollup):
    """What a home card shows of a roll-up."""
    physical = rollup.physical.plan
    return (
        rollup.period,
        (physical.physical, physical.planned, physical.compliance, physical.state),
        rollup.financial.plan.amounts(),
        rollup.semaforo_counts,
        rollup.plan_semaforo,
    )


def test_rollups_of_gives_each_plan_its_own_rollup(db):
    pei, plan_2026 = served_pei("PEI", 2026)
    # the Plan de Acción at its own cut T2, the PEI reads it at its T1 (a second round)
    factories.PeriodFactory(
        plan=plan_2026,
        label="T2",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 6, 30),
    )
    factories.PeriodFactory(
        plan=pei,
        label="2026-T1",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
    )
    build_plan(3)
    factories.PlanFactory(name="Sin periodos")
    today = datetime.date(2026, 12, 1)
    plans = current_plans()

    rollups = rollups_of(plans, today=today)

    assert set(rollups) == {plan.pk for plan in plans}
    for plan in plans:
        single = rollup_of(
            plan,
            period=default_cutoff(plan.periods.all(), today=today),
            actions=False,
            **({"today": today} if plan.has_serving_plans else {}),
        )
        assert figures(rollups[plan.pk]) == figures(single), plan.name
    # by hand: PEI (60·40 + 40·80) / 100 = 56 %; the Plan de Acción at T2 (planned there
    # by the default spread) still executed (50·40 + 50·80) / 100 = 60 %
    assert rollups[pei.pk].physical.plan.physical == D("56")
    assert rollups[pei.pk].financial.plan.appropriation == D("4000")
    assert rollups[plan_2026.pk].physical.plan.physical == D("60")
    assert rollups[plan_2026.pk].period.label == "T2"


def test_home_queries_do_not_grow_with_the_number_of_plans(client, planner, count_queries):
    pei, plan_2026 = served_pei("PEI A", 2026, plan_status=StrategicPlan.Status.CLOSED)
    client.force_login(planner)
    client.get(reverse("home"))  # creates the Entity row once
    with count_queries() as one:
        response = client.get(reverse("home"))
    assert [card["plan"] for card in response.context["cards"]] == [pei]
    served_pei("PEI B", 2025, plan_status=StrategicPlan.Status.CLOSED)
    build_plan(3)
    with count_queries() as three:
        response = client.get(reverse("home"))
    assert len(response.context["cards"]) == 3
    assert one.count == three.count


def test_home_card_percent_is_the_plans_own_rollup(client, planner):
    pei, plan_2026 = served_pei("PEI", 2026)
    client.force_login(planner)
    cards = {card["plan"].pk: card for card in client.get(reverse("home")).context["cards"]}
    for plan in with_serving_flag(StrategicPlan.objects.filter(pk__in=cards)):
        single = rollup_of(plan, period=default_cutoff(plan.periods.all()), actions=False)
        assert figures(cards[plan.pk]["rollup"]) == figures(single)
    assert cards[pei.pk]["rollup"].physical.plan.physical == D("56")
