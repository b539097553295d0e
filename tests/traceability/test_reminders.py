"""Reminders of overdue reports: one Spanish e-mail per Responsable listing the overdue
items of their units; the Celery beat task only calls the service."""

import datetime
from decimal import Decimal

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone

from mipg.core import roles
from mipg.core.models import ReviewStatus
from mipg.traceability.reminders import send_report_reminders
from mipg.traceability.tasks import send_report_reminders_task
from mipg.traceability.worklists import overdue_items_by_user
from planning.models import ReportingPeriod, StrategicPlan
from tests import factories

TODAY = datetime.date(2026, 5, 15)
date = datetime.date


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def plan(db):
    return factories.PlanFactory(
        status=StrategicPlan.Status.APPROVED, start_year=2026, end_year=2026
    )


@pytest.fixture
def t1(plan):
    return factories.PeriodFactory(
        plan=plan,
        label="T1 2026",
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
        due_date=date(2026, 4, 10),
    )


@pytest.fixture
def scenario(plan, t1, unit, other_unit, responsible, outsider):
    """In `unit`: A1 without report, A2 submitted, A3 returned, IND-1 without measurement,
    IND-2 approved. In `other_unit`: B1 in draft. Nothing due in T2 (due in July) nor in a
    locked period, nor in a draft plan."""
    t2 = factories.PeriodFactory(
        plan=plan,
        label="T2 2026",
        start_date=date(2026, 4, 1),
        end_date=date(2026, 6, 30),
        due_date=date(2026, 7, 10),
    )
    locked = factories.PeriodFactory(
        plan=plan,
        label="Cerrado",
        start_date=date(2025, 10, 1),
        end_date=date(2025, 12, 31),
        due_date=date(2026, 1, 10),
        locked=True,
    )
    a1 = factories.ActionFactory(
        goal__objective__plan=plan, goal__unit=unit, code="A1", name="Capacitar"
    )
    goal = a1.goal
    a2 = factories.ActionFactory(goal=goal, code="A2")
    a3 = factories.ActionFactory(goal=goal, code="A3", name="Publicar")
    factories.ProgressReportFactory(action=a2, period=t1, status=ReviewStatus.SUBMITTED)
    factories.ProgressReportFactory(action=a3, period=t1, status=ReviewStatus.RETURNED)
    ind1 = factories.TargetFactory(
        indicator__goal=goal, indicator__code="IND-1", indicator__name="Personas", period=t1
    ).indicator
    ind2 = factories.TargetFactory(
        indicator__goal=goal, indicator__code="IND-2", period=t1
    ).indicator
    factories.TargetFactory(indicator=ind1, period=t2)
    factories.TargetFactory(indicator=ind1, period=locked)
    factories.MeasurementFactory(indicator=ind2, period=t1, status=ReviewStatus.APPROVED)
    b1 = factories.ActionFactory(goal__objective__plan=plan, goal__unit=other_unit, code="B1")
    factories.ProgressReportFactory(action=b1, period=t1, status=ReviewStatus.DRAFT)
    draft_plan = factories.PlanFactory(status=StrategicPlan.Status.DRAFT)
    factories.PeriodFactory(plan=draft_plan, due_date=date(2026, 4, 10))
    factories.ActionFactory(goal__objective__plan=draft_plan, goal__unit=unit, code="Z1")
    return {"a1": a1, "ind1": ind1}


def items_of(result):
    return {
        user.username: [(i.subject.code, i.period.label) for i in items]
        for user, items in result.items()
    }


def test_overdue_items_by_user_lists_each_responsable_items(scenario):
    assert items_of(overdue_items_by_user(today=TODAY)) == {
        "otro": [("B1", "T1 2026")],
        "responsable": [("A1", "T1 2026"), ("A3", "T1 2026"), ("IND-1", "T1 2026")],
    }


def test_overdue_items_skip_users_without_email_or_inactive_or_without_role(scenario, unit):
    factories.UserFactory(
        username="sin-correo", email="", roles=[roles.RESPONSABLE], member_of=[unit]
    )
    factories.UserFactory(
        username="inactivo", is_active=False, roles=[roles.RESPONSABLE], member_of=[unit]
    )
    factories.UserFactory(username="sin-rol", member_of=[unit])
    factories.UserFactory(username="control", roles=[roles.CONTROL_INTERNO], member_of=[unit])
    assert set(items_of(overdue_items_by_user(today=TODAY))) == {"otro", "responsable"}


def test_nothing_is_overdue_before_the_due_date(scenario):
    assert overdue_items_by_user(today=date(2026, 4, 10)) == {}


def test_send_report_reminders_sends_one_spanish_email_per_user(scenario, responsible, outsider):
    assert send_report_reminders(today=TODAY) == 2
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {responsible.email, outsider.email}
    message = by_recipient[responsible.email]
    assert message.subject == "MIPG: tiene 3 reportes vencidos"
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert "Hola, Ana Pérez" in message.body
    assert (
        "- Avance de la actividad A1 Capacitar · periodo T1 2026 · vencía el 10/04/2026"
        in message.body
    )
    assert "- Medición del indicador IND-1 Personas · periodo T1 2026" in message.body
    assert "Mis pendientes" in message.body
    assert by_recipient[outsider.email].subject == "MIPG: tiene 1 reporte vencido"


def test_send_report_reminders_without_overdue_items_sends_nothing(plan, t1, responsible):
    assert send_report_reminders(today=TODAY) == 0
    assert mail.outbox == []


def test_reminders_stop_once_the_report_is_submitted(scenario, t1, responsible):
    factories.ProgressReportFactory(action=scenario["a1"], period=t1, status=ReviewStatus.SUBMITTED)
    factories.MeasurementFactory(
        indicator=scenario["ind1"], period=t1, status=ReviewStatus.SUBMITTED, value=Decimal("1")
    )
    send_report_reminders(today=TODAY)
    message = next(m for m in mail.outbox if m.to == [responsible.email])
    assert message.subject == "MIPG: tiene 1 reporte vencido"
    assert "A3" in message.body and "A1 " not in message.body


def test_send_report_reminders_task_calls_the_service(scenario):
    # The task uses today's date: make T1 due yesterday.
    ReportingPeriod.objects.filter(label="T1 2026").update(
        due_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert send_report_reminders_task.apply().get() == 2
    assert len(mail.outbox) == 2


def test_overdue_items_query_count_is_constant(scenario, plan, unit, count_queries):
    with count_queries() as small:
        overdue_items_by_user(today=TODAY)
    goal = scenario["a1"].goal
    for i in range(15):
        factories.ActionFactory(goal=goal, code=f"N{i}")
    with count_queries() as large:
        result = overdue_items_by_user(today=TODAY)
    assert sum(len(items) for items in result.values()) == 4 + 15
    assert small.count == large.count


def test_reminders_are_scheduled_daily_at_seven_in_bogota():
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-report-reminders"]
    assert entry["task"] == "management.send_report_reminders_task"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert django_settings.CELERY_TIMEZONE == "America/Bogota"
