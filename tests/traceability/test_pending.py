"""«Mis pendientes»: what a Responsable still has to report, with due dates, overdue marks,
drafts and returned items; which periods count as open; constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluation.models import Measurement
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from mipg.traceability.worklists import open_periods, pending_for_user
from planning.models import Action, ReportingPeriod, StrategicPlan
from tests import factories
from tests.builders import build_plan, days, open_plan

TODAY = datetime.date(2026, 5, 15)
date = datetime.date


def codes(items):
    return [(item.subject.code, item.period.label) for item in items]


@pytest.fixture
def plan(db):
    return factories.PlanFactory(
        status=StrategicPlan.Status.APPROVED, start_year=2026, end_year=2026
    )


def quarter(plan, n, **kwargs):
    start = date(2026, 3 * n - 2, 1)
    end = date(2026, 3 * n, 30 if n in (2, 3) else 31)
    return factories.PeriodFactory(
        plan=plan,
        label=f"T{n}",
        start_date=start,
        end_date=end,
        due_date=end + datetime.timedelta(days=10),
        **kwargs,
    )


def test_open_periods_are_the_current_and_the_last_ended_unlocked_ones(plan):
    quarter(plan, 1)  # the last one ended on TODAY (T2 is running)
    t2 = quarter(plan, 2)
    quarter(plan, 3)  # future
    assert [p.label for p in open_periods(TODAY)] == ["T1", "T2"]
    assert [p.label for p in open_periods(date(2026, 8, 1))] == ["T2", "T3"]
    t2.locked = True
    t2.save()
    assert [p.label for p in open_periods(date(2026, 8, 1))] == ["T1", "T3"]


def test_open_periods_skip_plans_that_are_not_approved(plan):
    quarter(factories.PlanFactory(status=StrategicPlan.Status.DRAFT), 2)
    quarter(factories.PlanFactory(status=StrategicPlan.Status.CLOSED), 2)
    quarter(plan, 2)
    assert [p.plan_id for p in open_periods(TODAY)] == [plan.pk]


def test_pending_for_user_lists_what_needs_a_report(plan, unit, other_unit, responsible):
    t1, t2 = quarter(plan, 1), quarter(plan, 2)
    mine = factories.ActionFactory(goal__objective__plan=plan, goal__unit=unit, code="A1")
    factories.ActionFactory(goal=mine.goal, code="A2", unit=other_unit)  # another unit's
    factories.ActionFactory(
        goal=mine.goal, code="A3", start_date=date(2026, 4, 15)
    )  # not begun in T1
    factories.ActionFactory(goal=mine.goal, code="A4", archived=True)
    done = factories.ActionFactory(goal=mine.goal, code="A5")
    factories.ProgressReportFactory(action=done, period=t1, status=ReviewStatus.APPROVED)
    factories.ProgressReportFactory(action=done, period=t2, status=ReviewStatus.SUBMITTED)
    indicator = factories.TargetFactory(
        indicator__goal=mine.goal, indicator__code="IND-1", period=t1
    ).indicator
    factories.TargetFactory(indicator__goal=mine.goal, indicator__code="IND-2", period=t2)
    factories.MeasurementFactory(indicator=indicator, period=t1, status=ReviewStatus.RETURNED)

    pending = pending_for_user(responsible, today=TODAY)
    assert codes(pending.to_report) == [
        ("A1", "T1"),
        ("A1", "T2"),
        ("A3", "T2"),
        ("IND-2", "T2"),
    ]
    assert codes(pending.returned) == [("IND-1", "T1")]
    assert pending.drafts == []
    # T1 was due on 10 April: overdue on 15 May; T2 (due 10 July) is not.
    assert [item.overdue for item in pending.to_report] == [True, False, False, False]
    assert pending.overdue_count == 2


def test_pending_drafts_of_locked_periods_are_left_out(plan, unit, responsible):
    t1 = quarter(plan, 1, locked=True)
    action = factories.ActionFactory(goal__objective__plan=plan, goal__unit=unit)
    factories.ProgressReportFactory(action=action, period=t1)
    assert pending_for_user(responsible, today=TODAY).is_empty


def test_my_pending_page_shows_items_due_dates_and_comments(client, unit, other_unit, responsible):
    data = open_plan(unit)
    open_plan(other_unit, code="OTRA-UNIDAD-ACC", indicator_code="OTRA-UNIDAD-IND")
    ended = factories.PeriodFactory(
        plan=data.plan,
        label="Anterior",
        start_date=days(-90),
        end_date=days(-31),
        due_date=days(-20),
    )
    returned = factories.ProgressReportFactory(
        action=data.action,
        period=ended,
        status=ReviewStatus.RETURNED,
        review_comment="Adjunte el acta firmada.",
    )
    client.force_login(responsible)
    body = client.get(reverse("management:my-pending")).content.decode()
    assert "Adjunte el acta firmada." in body
    assert reverse("management:report-edit", args=[returned.pk]) in body
    assert reverse("management:report-create", args=[data.action.pk, data.period.pk]) in body
    assert (
        reverse("evaluation:measurement-create", args=[data.indicator.pk, data.period.pk]) in body
    )
    assert data.period.due_date.strftime("%d/%m/%Y") in body
    assert "Vencido" in body and "Tiene 1 reporte vencido." in body
    # Codes long enough not to turn up by chance in a CSRF token.
    assert "OTRA-UNIDAD-ACC" not in body and "OTRA-UNIDAD-IND" not in body


def test_my_pending_page_for_a_user_without_units(client, planner):
    client.force_login(planner)
    body = client.get(reverse("management:my-pending")).content.decode()
    assert "Usted no pertenece a ninguna dependencia" in body


def _pending_data(n, responsible):
    """build_plan(n) made approved, with periods around today, a draft and a returned
    report per ten actions and the rest of the current period still to report."""
    plan = build_plan(n)
    StrategicPlan.objects.filter(pk=plan.pk).update(status=StrategicPlan.Status.APPROVED)
    first, second = plan.periods.order_by("start_date")
    ReportingPeriod.objects.filter(pk=first.pk).update(
        start_date=days(-100), end_date=days(-10), due_date=days(-5)
    )
    ReportingPeriod.objects.filter(pk=second.pk).update(
        start_date=days(-9), end_date=days(80), due_date=days(90)
    )
    actions = Action.objects.filter(goal__objective__plan=plan)
    actions.update(start_date=days(-200))
    responsible.units.add(actions.exclude(unit=None).first().unit)
    reports = ProgressReport.objects.filter(action__goal__objective__plan=plan)
    reports.filter(period=second).exclude(action__code__endswith="0").delete()
    reports.filter(period=first, action__code__endswith="1").update(status=ReviewStatus.DRAFT)
    reports.filter(period=first, action__code__endswith="2").update(
        status=ReviewStatus.RETURNED, review_comment="Corregir"
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=target.indicator,
            period=first,
            value=Decimal("1"),
            status=ReviewStatus.RETURNED,
            review_comment="Revisar fuente",
            created_by=responsible,
        )
        for target in plan.periods.get(pk=first.pk).indicator_targets.all()[:3]
    )
    return plan


@pytest.mark.parametrize("n", [20, 80])
def test_my_pending_query_count_is_constant(client, responsible, count_queries, n):
    _pending_data(n, responsible)
    client.force_login(responsible)
    url = reverse("management:my-pending")
    with count_queries() as queries:
        response = client.get(url)
    pending = response.context["pending"]
    assert len(pending.to_report) > 5 and pending.returned and pending.drafts
    # session, user, units, periods, actions, reported pairs, targets, measured pairs,
    # editable reports, editable measurements, the user's groups (navigation)
    assert queries.count == 11


def test_my_pending_pages_drafts_apart_from_the_other_lists(client, unit, responsible):
    """30 drafts: 25 on the first page of «Borradores», 5 on ?borradores=2; the list to
    report and the returned list keep their own pages."""
    data = open_plan(unit)
    for i in range(30):
        action = factories.ActionFactory(goal=data.action.goal, code=f"BORRADOR-{i:02d}")
        factories.ProgressReportFactory(action=action, period=data.period)
    client.force_login(responsible)
    url = reverse("management:my-pending")
    first, second = client.get(url), client.get(url, {"borradores": "2"})
    assert [len(r.context["drafts"].object_list) for r in (first, second)] == [25, 5]
    assert first.context["returned"].paginator.count == 0
    assert first.context["page"].number == second.context["page"].number == 1
    assert 'href="?borradores=2"' in first.content.decode()
    shown = {item.subject.code for r in (first, second) for item in r.context["drafts"]}
    assert shown == {f"BORRADOR-{i:02d}" for i in range(30)}
