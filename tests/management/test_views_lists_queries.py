"""Query counts of the lists, their exports, the indicator detail and the action budget:
the same at 3 and at 10 actions (tests/builders.build_plan)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import Indicator
from management.models import BudgetAllocation
from mipg.core.models import InstitutionalPlan, ReviewStatus
from tests import factories
from tests.builders import build_plan

pytestmark = pytest.mark.django_db


def _first_period(plan):
    return plan.periods.order_by("start_date").first()


def _list(name, **extra):
    def url(plan):
        params = {"plan": plan.pk}
        params.update({key: value(plan) for key, value in extra.items()})
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return f"{reverse(name)}?{query}"

    return url


def _export(list_name, export_name, fmt, **extra):
    """The export of the list at ``_list(list_name, **extra)``, with the same filters."""

    def url(plan):
        query = _list(list_name, **extra)(plan).split("?", 1)[1]
        return f"{reverse(export_name, kwargs={'fmt': fmt})}?{query}"

    return url


def _indicator_detail(plan):
    indicator = Indicator.objects.filter(goal__objective__plan=plan).order_by("pk").first()
    return reverse("evaluation:indicator-detail", args=[indicator.pk])


def _action_budget(plan):
    allocation = (
        BudgetAllocation.objects.filter(action__goal__objective__plan=plan).order_by("pk").first()
    )
    return reverse("management:action-budget", args=[allocation.action_id])


PERIOD = {"period": lambda plan: _first_period(plan).pk}
PAGES = {
    "action-list": _list("planning:action-list"),
    "action-list-filtered-sorted": _list(
        "planning:action-list",
        institutional_plan=lambda plan: InstitutionalPlan.objects.get(code="PETI").pk,
        ordering=lambda plan: "-weight",
    ),
    "indicator-list": _list("evaluation:indicator-list"),
    "indicator-list-period": _list("evaluation:indicator-list", **PERIOD),
    "indicator-list-semaforo": _list(
        "evaluation:indicator-list", **PERIOD, semaforo=lambda plan: "sin_reporte"
    ),
    "report-list": _list("management:report-list", status=lambda plan: "approved"),
    "allocation-list": _list("management:allocation-list"),
    "indicator-detail": _indicator_detail,
    "action-budget": _action_budget,
}
for fmt in ("csv", "xlsx"):
    PAGES[f"action-export-{fmt}"] = _export("planning:action-list", "planning:action-export", fmt)
    PAGES[f"indicator-export-{fmt}"] = _export(
        "evaluation:indicator-list", "evaluation:indicator-export", fmt, **PERIOD
    )
    PAGES[f"report-export-{fmt}"] = _export(
        "management:report-list", "management:report-export", fmt
    )
    PAGES[f"allocation-export-{fmt}"] = _export(
        "management:allocation-list", "management:allocation-export", fmt
    )


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def _count(client, url, count_queries, expected=None):
    _get(client, url)  # once before counting: the entity row is created on first use
    with count_queries(expected) as counter:
        _get(client, url)
    return counter.count


@pytest.mark.parametrize("page", PAGES.keys())
def test_query_count_does_not_grow_with_the_plan(client, planner, count_queries, page):
    client.force_login(planner)
    small = _count(client, PAGES[page](build_plan(3)), count_queries)
    _count(client, PAGES[page](build_plan(10)), count_queries, expected=small)


@pytest.mark.parametrize("page", [page for page in PAGES if page.startswith("report-")])
def test_query_count_of_the_reports_does_not_grow_for_a_responsable(
    client, responsible, count_queries, page
):
    """A Responsable's report list keeps the figures they may see (`visible_to`): the same
    count at both sizes."""
    client.force_login(responsible)
    small_plan, big_plan = build_plan(3), build_plan(10)
    small = _count(client, PAGES[page](small_plan), count_queries)
    _count(client, PAGES[page](big_plan), count_queries, expected=small)
    if page == "report-list":
        # Without the status filter, only other units' approved reports are listed: those of
        # 2 of 3 and 6 of 10 actions, two periods each (a planner sees 6 and 20).
        unfiltered = _list("management:report-list")
        shown = [_get(client, unfiltered(plan)).context["page"] for plan in (small_plan, big_plan)]
        assert [page.paginator.count for page in shown] == [4, 12]


# The plans above change the number of rows of the lists, not the rows of one action's
# budget or of one indicator's periods: these pages get their own two sizes.


def _budget_of_an_action(n, unit):
    """An action with ``n`` allocations (each from its own source) of four execution
    entries and two budget modifications, each recorded by its own user."""
    action = factories.ActionFactory(goal__unit=unit)
    for i in range(n):
        allocation = factories.AllocationFactory(
            action=action, source=factories.FundingSourceFactory(code=f"F{i}")
        )
        for stage in ("cdp", "commitment", "obligation", "payment"):
            factories.ExecutionFactory(
                allocation=allocation,
                stage=stage,
                amount=Decimal("10"),
                created_by=factories.UserFactory(),
            )
        for _ in range(2):
            factories.ModificationFactory(allocation=allocation, created_by=factories.UserFactory())
    return reverse("management:action-budget", args=[action.pk])


def _indicator_with_periods(n, unit):
    """An indicator whose plan has ``n`` periods, each with a target and an approved
    measurement submitted and reviewed by their own users."""
    indicator = factories.IndicatorFactory(goal__unit=unit)
    plan = indicator.goal.objective.plan
    for i in range(n):
        period = factories.PeriodFactory(
            plan=plan,
            start_date=datetime.date(2026, 1, 1) + datetime.timedelta(days=10 * i),
            end_date=datetime.date(2026, 1, 9) + datetime.timedelta(days=10 * i),
        )
        factories.TargetFactory(indicator=indicator, period=period)
        factories.MeasurementFactory(
            indicator=indicator,
            period=period,
            status=ReviewStatus.APPROVED,
            submitted_by=factories.UserFactory(),
            reviewed_by=factories.UserFactory(),
        )
    return reverse("evaluation:indicator-detail", args=[indicator.pk])


@pytest.mark.parametrize("build", [_budget_of_an_action, _indicator_with_periods])
def test_query_count_does_not_grow_with_the_rows_of_the_page(
    client, planner, unit, count_queries, build
):
    client.force_login(planner)
    small = _count(client, build(1, unit), count_queries)
    big_url = build(6, unit)
    _count(client, big_url, count_queries, expected=small)
    assert client.get(big_url).content.decode().count("<tr") > 6  # the rows are shown
