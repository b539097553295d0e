"""Closing a period while figures wait for review is refused, listing them; reopening a
closed period needs a reason (MIPG.md §5). Service, page and API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning import services
from planning.services.periods import figures_waiting_for_review
from tests.builders import open_plan, submitted_measurement, submitted_report
from tests.factories import ProgressReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(unit):
    return open_plan(unit)


@pytest.fixture
def waiting(data, responsible):
    """A submitted report and a submitted measurement of the period; a draft, an approved
    and a returned report of other actions do not wait."""
    report = submitted_report(data, responsible)
    measurement = submitted_measurement(data, responsible, value=3)
    for status in (ReviewStatus.DRAFT, ReviewStatus.APPROVED, ReviewStatus.RETURNED):
        ProgressReportFactory(
            action__goal=data.action.goal,
            action__code=f"X-{status}",
            period=data.period,
            status=status,
        )
    return report, measurement


WAITING = [
    "No se puede cerrar el periodo «Actual»: 2 cifra(s) esperan revisión; apruébelas o "
    "devuélvalas primero.",
    "reporte de avance: A1 · Actual",
    "medición: IND-1 · Actual: 3",
]


def test_figures_waiting_for_review_lists_submitted_figures_of_every_kind(
    data, waiting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        lines = figures_waiting_for_review(data.period)
    assert lines == WAITING[1:]


def test_lock_with_figures_waiting_for_review_is_refused(data, waiting, planner):
    with pytest.raises(ValidationError) as exc:
        services.lock_period(data.period, by=planner)
    assert exc.value.messages == WAITING
    data.period.refresh_from_db()
    assert data.period.locked is False


def test_lock_once_reviewed_passes(data, waiting, planner):
    for figure in waiting:
        type(figure).objects.filter(pk=figure.pk).update(status=ReviewStatus.APPROVED)
    services.lock_period(data.period, by=planner)
    data.period.refresh_from_db()
    assert data.period.locked is True


def test_lock_page_lists_the_figures_waiting(client, data, waiting, planner):
    client.force_login(planner)
    response = client.post(reverse("planning:period-lock", args=[data.period.pk]))
    data.period.refresh_from_db()
    assert data.period.locked is False
    assert response.context["errors"] == WAITING


def test_lock_api_lists_the_figures_waiting(client_for, data, waiting, planner):
    response = client_for(planner).post(f"/api/v1/periods/{data.period.pk}/lock/")
    data.period.refresh_from_db()
    assert data.period.locked is False
    assert response.status_code == 400
    assert sum(response.json()["errors"].values(), []) == WAITING


def test_unlock_api_needs_a_reason(client_for, data, planner):
    data.period.locked = True
    data.period.save()
    client = client_for(planner)
    refused = client.post(f"/api/v1/periods/{data.period.pk}/unlock/", {})
    data.period.refresh_from_db()
    assert (refused.status_code, list(refused.json()["errors"]), data.period.locked) == (
        400,
        ["reason"],
        True,
    )
    client.post(f"/api/v1/periods/{data.period.pk}/unlock/", {"reason": "Reporte tardío"})
    data.period.refresh_from_db()
    assert data.period.locked is False
    assert data.period.history.first().history_change_reason == "Reporte tardío"
