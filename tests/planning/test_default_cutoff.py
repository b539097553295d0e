"""The default cut-off of every page is the latest period that has started, never a future
one (MIPG.md §5); one selector for it, used by the home page, the plan workspace, the goal
and indicator pages and the API roll-up."""

import datetime

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning.models import ActionSchedule
from planning.selectors import default_cutoff, default_cutoff_period
from tests.builders import days
from tests.factories import (
    ActionFactory,
    IndicatorFactory,
    PeriodFactory,
    PlanFactory,
    ProgressReportFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan():
    plan = PlanFactory(start_year=2026, end_year=2026)
    for quarter, (start, end) in enumerate(
        [
            (D(2026, 1, 1), D(2026, 3, 31)),
            (D(2026, 4, 1), D(2026, 6, 30)),
            (D(2026, 7, 1), D(2026, 9, 30)),
            (D(2026, 10, 1), D(2026, 12, 31)),
        ],
        start=1,
    ):
        PeriodFactory(plan=plan, label=f"T{quarter}", start_date=start, end_date=end)
    return plan


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (D(2026, 5, 15), "T2"),  # T2 has started, T3 and T4 are future
        (D(2026, 7, 1), "T3"),  # starts today
        (D(2026, 6, 30), "T2"),  # the day before T3
        (D(2027, 2, 1), "T4"),  # all have ended
        (D(2025, 12, 1), "T1"),  # none has started: the first one
    ],
)
def test_default_cutoff_is_the_latest_period_started(plan, today, label):
    assert default_cutoff_period(plan, today=today).label == label
    assert default_cutoff(list(plan.periods.all()), today=today).label == label


def test_default_cutoff_without_periods_is_none():
    assert default_cutoff_period(PlanFactory()) is None


def test_workspace_defaults_to_the_period_started_not_the_future_one(client, planner):
    plan = PlanFactory()
    current = PeriodFactory(plan=plan, label="Actual", start_date=days(-10), end_date=days(20))
    PeriodFactory(plan=plan, label="Futuro", start_date=days(21), end_date=days(60))
    client.force_login(planner)
    response = client.get(plan.get_absolute_url())
    assert response.context["rollup"].period == current


def test_api_rollup_defaults_to_the_period_started(client_for, planner):
    plan = PlanFactory()
    current = PeriodFactory(plan=plan, label="Actual", start_date=days(-10), end_date=days(20))
    PeriodFactory(plan=plan, label="Futuro", start_date=days(21), end_date=days(60))
    body = client_for(planner).get(f"/api/v1/plans/{plan.pk}/rollup/").json()
    assert body["period"]["id"] == current.pk


def test_home_defaults_to_the_period_started(client, planner):
    plan = PlanFactory()
    current = PeriodFactory(plan=plan, label="Actual", start_date=days(-10), end_date=days(20))
    PeriodFactory(plan=plan, label="Futuro", start_date=days(21), end_date=days(60))
    client.force_login(planner)
    cards = client.get("/").context["cards"]
    assert [card["rollup"].period for card in cards] == [current]


def test_indicator_page_cumulative_view_ends_at_the_period_started(client, planner, unit):
    plan = PlanFactory()
    current = PeriodFactory(plan=plan, label="Actual", start_date=days(-10), end_date=days(20))
    future = PeriodFactory(plan=plan, label="Futuro", start_date=days(21), end_date=days(60))
    indicator = IndicatorFactory(goal__objective__plan=plan, goal__unit=unit)
    TargetFactory(indicator=indicator, period=current, value=10)
    TargetFactory(indicator=indicator, period=future, value=20)
    client.force_login(planner)
    response = client.get(indicator.get_absolute_url())
    assert response.context["cumulative_period"] == current


def test_goal_page_cut_off_is_the_period_started(client, planner, unit):
    plan = PlanFactory()
    PeriodFactory(plan=plan, label="Actual", start_date=days(-10), end_date=days(20))
    PeriodFactory(plan=plan, label="Futuro", start_date=days(21), end_date=days(60))
    indicator = IndicatorFactory(goal__objective__plan=plan, goal__unit=unit)
    client.force_login(planner)
    response = client.get(reverse("planning:goal-detail", args=[indicator.goal.pk]))
    assert response.context["period"].label == "Actual"


def test_action_page_cut_off_is_the_period_started(client, planner, unit):
    # Executed at the cut counts the reports up to the started period; planned is its value.
    plan = PlanFactory()
    actual = PeriodFactory(plan=plan, label="Actual", start_date=days(-10), end_date=days(20))
    future = PeriodFactory(plan=plan, label="Futuro", start_date=days(21), end_date=days(60))
    action = ActionFactory(
        goal__objective__plan=plan, start_date=days(-10), end_date=days(60), unit=unit
    )
    for period, progress in ((actual, "30"), (future, "80")):
        ProgressReportFactory(
            action=action, period=period, progress=progress, status=ReviewStatus.APPROVED
        )
    ActionSchedule.objects.create(action=action, period=actual, planned="40")
    ActionSchedule.objects.create(action=action, period=future, planned="100")
    client.force_login(planner)
    physical = client.get(reverse("planning:action-detail", args=[action.pk])).context["physical"]
    assert (physical["period"].label, physical["planned"], physical["compliance"]) == (
        "Actual",
        40,
        75,
    )
