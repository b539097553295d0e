"""A plan is approved only when its integrity report has no errors (MIPG.md §5): the
service on the traceability floor, the approval page (which lists the errors) and the API
all refuse it; warnings do not block."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mipg.traceability.approval import approve_plan_checked
from planning.models import Action, StrategicPlan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """A draft plan whose goal has two actions weighted 60 + 60 (error) and an action
    outside 2026 (error); no budget (a warning only)."""
    plan = factories.PlanFactory(name="Plan 2026", start_year=2026, end_year=2026)
    period = factories.PeriodFactory(plan=plan, label="S1")
    goal = factories.GoalFactory(objective__plan=plan, objective__code="O1", code="M1")
    factories.ActionFactory(goal=goal, code="A1", weight=Decimal("60"))
    factories.ActionFactory(
        goal=goal, code="A2", weight=Decimal("60"), end_date=datetime.date(2027, 2, 1)
    )
    indicator = factories.IndicatorFactory(goal=goal, code="I1")
    factories.TargetFactory(indicator=indicator, period=period)
    return plan


ERRORS = [
    "No se puede aprobar el plan «Plan 2026»: su informe de integridad tiene 2 error(es).",
    "Las ponderaciones de las actividades de «M1",
    "Las fechas de la actividad «A2",
]


def _starts(messages, prefixes):
    return len(messages) == len(prefixes) and all(
        message.startswith(prefix) for message, prefix in zip(messages, prefixes, strict=True)
    )


def _fix(plan):
    """Weights 60 + 40, dates inside 2026: only warnings remain."""
    Action.objects.filter(goal__objective__plan=plan, code="A2").update(
        weight=Decimal("40"), end_date=datetime.date(2026, 12, 31)
    )


def test_approval_with_integrity_errors_is_refused_listing_them(plan, director):
    with pytest.raises(ValidationError) as exc:
        approve_plan_checked(plan, by=director)
    assert _starts(exc.value.messages, ERRORS), exc.value.messages
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.DRAFT


def test_approval_with_warnings_only_passes(plan, director):
    _fix(plan)
    approve_plan_checked(plan, by=director)
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (StrategicPlan.Status.APPROVED, director)


def test_approval_page_lists_the_blocking_errors_and_offers_no_button(client, plan, director):
    client.force_login(director)
    url = reverse("planning:plan-approve", args=[plan.pk])
    assert url == f"/planeacion/planes/{plan.pk}/aprobar/"
    response = client.get(url)
    body = response.content.decode()
    assert [row["finding"].kind for row in response.context["blocking"]] == [
        "weights_not_100",
        "action_dates_outside_plan",
    ]
    assert "Las ponderaciones de las actividades de «M1" in body
    assert "Aprobar plan</button>" not in body


def test_approval_page_post_with_errors_is_refused(client, plan, director):
    client.force_login(director)
    client.post(reverse("planning:plan-approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == StrategicPlan.Status.DRAFT


def test_approval_page_approves_a_plan_without_errors(client, plan, director):
    _fix(plan)
    client.force_login(director)
    url = reverse("planning:plan-approve", args=[plan.pk])
    assert "Aprobar plan</button>" in client.get(url).content.decode()
    response = client.post(url)
    plan.refresh_from_db()
    assert (response["Location"], plan.status) == (
        plan.get_absolute_url(),
        StrategicPlan.Status.APPROVED,
    )


def test_approval_api_with_errors_is_refused_listing_them(client_for, plan, director):
    response = client_for(director).post(f"/api/v1/plans/{plan.pk}/approve/")
    plan.refresh_from_db()
    assert (response.status_code, plan.status) == (400, StrategicPlan.Status.DRAFT)
    assert _starts(sum(response.json()["errors"].values(), []), ERRORS)


def test_approval_api_without_errors_passes(client_for, plan, director):
    _fix(plan)
    response = client_for(director).post(f"/api/v1/plans/{plan.pk}/approve/")
    assert (response.status_code, response.json()["status"]) == (200, "approved")
