"""Every list endpoint (and the plan roll-up) runs the same number of queries whatever the
amount of data: measured at two sizes built with tests.builders.build_plan."""

import datetime

import pytest

from accountability.models import AccountabilityReport, CitizenQuestion
from evaluation.models import Indicator, Measurement, MeasurementEvidence
from management.models import FundingSource, ProgressEvidence, ProgressReport
from mipg.core.models import Dimension, InstitutionalPlan, Policy, ReviewStatus
from planning.models import ReportingPeriod, StrategicPlan
from tests.api.resources import RESOURCES
from tests.builders import build_plan
from tests.factories import UnitFactory, UserFactory


def _grow(n_actions, step):
    """Add a plan of `n_actions` actions and rows of every other listed table."""
    plan = build_plan(n_actions)
    user = UserFactory()
    periods = list(ReportingPeriod.objects.filter(plan=plan))
    indicators = list(Indicator.objects.filter(goal__objective__plan=plan))
    measurements = Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period=period,
            value=3,
            status=ReviewStatus.APPROVED,
            created_by=user,
        )
        for indicator in indicators
        for period in periods
    )
    MeasurementEvidence.objects.bulk_create(
        MeasurementEvidence(
            measurement=m, file="evidence/m.pdf", original_name="m.pdf", uploaded_by=user
        )
        for m in measurements
    )
    ProgressEvidence.objects.bulk_create(
        ProgressEvidence(report=r, file="evidence/r.pdf", original_name="r.pdf", uploaded_by=user)
        for r in ProgressReport.objects.filter(action__goal__objective__plan=plan)
    )
    for i in range(step):
        UnitFactory()
        dimension = Dimension.objects.create(code=f"X{step}{i}", name_es="Extra")
        extra_policy = Policy.objects.create(
            code=f"X{step}{i}", name_es="Extra", dimension=dimension
        )
        InstitutionalPlan.objects.create(code=f"X{step}{i}", name="Extra", policy=extra_policy)
        FundingSource.objects.create(code=f"X{step}{i}", name="Extra")
        report = AccountabilityReport.objects.create(
            plan=plan,
            kind="accountability",
            title=f"Informe {i}",
            status=AccountabilityReport.Status.PUBLISHED,
            created_by=user,
            published_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
        )
        report.periods.set(periods)
        CitizenQuestion.objects.create(
            report=report, question="¿?", answer="Sí.", status=CitizenQuestion.Status.PUBLISHED
        )


def _measure(client, url, count_queries):
    client.get(url)  # warm-up: the user's permission cache, the entity row
    with count_queries() as counted:
        response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return counted.count, body.get("count", len(body.get("actions", [])))


@pytest.mark.parametrize("resource", RESOURCES)
def test_list_query_count_does_not_grow_with_the_data(client_for, planner, count_queries, resource):
    client = client_for(planner)
    url = f"/api/v1/{resource}/?page_size=200"
    # build_plan's first action has no unit and no budget: two actions give one of each.
    _grow(2, step=1)
    small_queries, small_rows = _measure(client, url, count_queries)
    _grow(3, step=2)
    big_queries, big_rows = _measure(client, url, count_queries)
    assert big_rows > small_rows
    assert big_queries == small_queries


def test_plan_rollup_query_count_does_not_grow(client_for, planner, count_queries):
    client = client_for(planner)
    small = build_plan(2)
    big = build_plan(4)  # its third action is archived: 3 rows against 2
    small_queries, small_rows = _measure(client, f"/api/v1/plans/{small.pk}/rollup/", count_queries)
    big_queries, big_rows = _measure(client, f"/api/v1/plans/{big.pk}/rollup/", count_queries)
    assert big_rows > small_rows
    assert big_queries == small_queries


def test_public_action_list_query_count_does_not_grow(api, count_queries):
    build_plan(1)
    StrategicPlan.objects.update(status=StrategicPlan.Status.APPROVED)
    small_queries, small_rows = _measure(api, "/api/v1/actions/?page_size=200", count_queries)
    build_plan(3)
    StrategicPlan.objects.update(status=StrategicPlan.Status.APPROVED)
    big_queries, big_rows = _measure(api, "/api/v1/actions/?page_size=200", count_queries)
    assert big_rows > small_rows
    assert big_queries == small_queries
