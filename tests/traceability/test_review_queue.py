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
from tests.builders import build_plan, submitted_measurement, submitted_report
from tests.factories import ActionFactory, ProgressReportFactory


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
    # the user's groups (navigation) and the permission checks' two (user and group perms)
    assert queries.count == 9
