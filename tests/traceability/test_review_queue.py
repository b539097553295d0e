"""The review queue of Planeación: submitted reports and measurements, oldest first,
paginated, approve/return from the row; constant queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Indicator, Measurement
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from planning.models import Action
from tests import factories
from tests.builders import build_plan, days, submitted_measurement, submitted_report
from tests.factories import ActionFactory, ProgressReportFactory
from tests.pages import body


def ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def queued_report(data, responsible, hours, **kwargs):
    return submitted_report(data, responsible, submitted_at=ago(hours), **kwargs)


def test_review_queue_lists_reports_and_measurements_oldest_first(
    client, data, responsible, planner
):
    newer = ActionFactory(goal=data.action.goal, code="A2", name="Publicar informe")
    queued_report(data, responsible, 1, action=newer)
    queued_report(data, responsible, 5)
    submitted_measurement(data, responsible, submitted_at=ago(3), value=Decimal("8"))
    ProgressReportFactory(status=ReviewStatus.DRAFT)  # not in the queue
    client.force_login(planner)
    response = client.get(reverse("management:review-queue"))
    items = [
        (kind, figure.action.code if kind == "progress" else figure.indicator.code)
        for kind, figure in response.context["items"]
    ]
    assert items == [("progress", "A1"), ("measurement", "IND-1"), ("progress", "A2")]
    body = response.content.decode()
    assert "3 elementos enviados esperan revisión" in body
    assert body.index("Capacitar al personal") < body.index("Personas capacitadas")


def test_review_queue_approve_and_return_from_the_row(client, data, responsible, planner):
    report = queued_report(data, responsible, 2)
    client.force_login(planner)
    queue = reverse("management:review-queue") + "?page=1"
    response = client.post(
        reverse("management:report-approve", args=[report.pk]), {"next": queue}, follow=True
    )
    assert response.redirect_chain[-1][0] == queue
    assert any("aprobado" in str(m) for m in response.context["messages"])
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReviewStatus.APPROVED, planner)


def test_review_queue_ignores_foreign_next_urls(client, data, responsible, planner):
    report = queued_report(data, responsible, 2)
    client.force_login(planner)
    response = client.post(
        reverse("management:report-return", args=[report.pk]),
        {"review_comment": "Incompleto", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("management:review-queue")


def test_review_queue_paginates_25_per_page(client, data, responsible, planner):
    for i in range(27):
        action = ActionFactory(goal=data.action.goal, code=f"X{i:02d}")
        queued_report(data, responsible, 100 - i, action=action)
    client.force_login(planner)
    first = client.get(reverse("management:review-queue"))
    second = client.get(reverse("management:review-queue") + "?page=2")
    assert len(first.context["items"]) == 25
    assert [f.action.code for _, f in second.context["items"]] == ["X25", "X26"]
    assert "Página 2 de 2" in second.content.decode()


def test_review_queue_empty_state(client, planner):
    client.force_login(planner)
    body = client.get(reverse("management:review-queue")).content.decode()
    assert "No hay reportes ni mediciones pendientes de revisión." in body


def _queue_data(n):
    """build_plan(n): a third of its reports are submitted; a measurement per goal is
    submitted before them, so the first page mixes both kinds at every size."""
    plan = build_plan(n)
    user = ProgressReport.objects.filter(action__goal__objective__plan=plan).first().created_by
    ProgressReport.objects.filter(status=ReviewStatus.SUBMITTED).update(submitted_at=ago(2))
    period = plan.periods.order_by("start_date").first()
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            period=period,
            value=Decimal("3"),
            status=ReviewStatus.SUBMITTED,
            submitted_at=ago(3),  # older than the reports: first on the page
            created_by=user,
        )
        for indicator in Indicator.objects.filter(goal__objective__plan=plan)
    )
    assert Action.objects.filter(goal__objective__plan=plan).count() == n


@pytest.mark.parametrize("n", [30, 120])
def test_review_queue_query_count_is_constant(client, planner, count_queries, n):
    _queue_data(n)
    client.force_login(planner)
    with count_queries() as queries:
        response = client.get(reverse("management:review-queue"))
    kinds = {kind for kind, _ in response.context["items"]}
    assert kinds == {"progress", "measurement"}
    # build_plan's submitted reports are those of its quantity-driven actions (A0, A3, …)
    assert "0 de 4 capacitaciones (0,00 %)" in response.content.decode()
    assert response.context["page"].paginator.count > (25 if n == 120 else 20)
    # session, user, count, page of keys, reports of the page, measurements of the page,
    # the user's groups (navigation), the permission checks' two (user and group perms) and
    # the filters' choices of units and periods
    assert queries.count == 11


def queue_items(client, **params):
    response = client.get(reverse("management:review-queue"), params)
    return [
        (kind, figure.action.code if kind == "progress" else figure.indicator.code)
        for kind, figure in response.context["items"]
    ]


def test_review_queue_filters_by_kind_unit_period_and_overdue(
    client, data, responsible, planner, other_unit
):
    queued_report(data, responsible, 5)
    submitted_measurement(data, responsible, submitted_at=ago(3), value=Decimal("8"))
    elsewhere = ActionFactory(goal=data.action.goal, code="B1", unit=other_unit)
    queued_report(data, responsible, 2, action=elsewhere)
    late = factories.PeriodFactory(
        plan=data.plan,
        label="Anterior",
        start_date=days(-90),
        end_date=days(-31),
        due_date=days(-20),
    )
    queued_report(data, responsible, 1, period=late)
    client.force_login(planner)
    assert queue_items(client, kind="measurement") == [("measurement", "IND-1")]
    assert queue_items(client, unit=other_unit.pk) == [("progress", "B1")]
    assert queue_items(client, period=late.pk) == [("progress", "A1")]
    assert queue_items(client, overdue="on") == [("progress", "A1")]
    assert queue_items(client, kind="progress", unit=data.action.unit_id) == [
        ("progress", "A1"),
        ("progress", "A1"),
    ]


def test_review_queue_with_a_bad_filter_says_so_and_stays_unfiltered(
    client, data, responsible, planner
):
    queued_report(data, responsible, 5)
    client.force_login(planner)
    response = client.get(reverse("management:review-queue"), {"kind": "otra", "unit": "x"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kind", "unit"}
    assert len(response.context["items"]) == 1


def test_review_queue_filtered_query_count_is_constant(
    client, data, responsible, planner, count_queries
):
    client.force_login(planner)
    client.get(reverse("management:review-queue"))  # the session and the entity, once
    counts = []
    for n in (1, 3):
        for i in range(n):
            action = ActionFactory(goal=data.action.goal, code=f"F{n}{i}")
            queued_report(data, responsible, 2, action=action)
        with count_queries() as counted:
            client.get(reverse("management:review-queue"), {"kind": "progress", "overdue": ""})
        counts.append(counted.count)
    assert counts[0] == counts[1]


def test_approving_from_the_queue_first_shows_the_figure_being_approved(
    client, data, responsible, planner
):
    report = queued_report(data, responsible, 2, progress=Decimal("40"))
    factories.attach_evidence(report)
    client.force_login(planner)
    queue = reverse("management:review-queue")
    page = body(client.get(queue))
    confirm = reverse("management:report-approve", args=[report.pk])
    assert f'href="{confirm}?next=' in page
    response = client.get(confirm, {"next": queue})
    text = body(response)
    assert "Aprobar: " in text and "40,00 %" in text
    assert "Evidencias" in text and f'name="next" value="{queue}"' in text
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED  # looking does not approve
    client.post(confirm, {"next": queue})
    report.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED


def test_the_approval_confirmation_of_a_measurement_shows_value_and_unit(
    client, data, responsible, planner
):
    measurement = submitted_measurement(data, responsible, value=Decimal("12.5"))
    client.force_login(planner)
    text = body(client.get(reverse("evaluation:measurement-approve", args=[measurement.pk])))
    assert f"12,5 {data.indicator.measurement_unit}" in text


def test_the_approval_confirmation_is_for_reviewers_and_submitted_figures(
    client, data, responsible, planner
):
    report = queued_report(data, responsible, 2)
    client.force_login(responsible)
    assert client.get(reverse("management:report-approve", args=[report.pk])).status_code == 403
    draft = ProgressReportFactory(
        action=data.action, period=factories.PeriodFactory(plan=data.plan, label="Otro")
    )
    client.force_login(planner)
    text = body(client.get(reverse("management:report-approve", args=[draft.pk])))
    assert "Solo se aprueba lo enviado a revisión" in text
    assert ">Aprobar</button>" not in text
