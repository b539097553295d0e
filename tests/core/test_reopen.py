"""Reopening an approved figure (MIPG.md §5): the planning office only, with a reason,
back to returned; the figure stops counting. Through the services, the pages and the API
(tests/api/test_permissions.py covers the API by persona)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from evaluation.services import reopen_measurement
from management.selectors.physical import with_physical_progress
from management.services import reopen_progress_report
from mipg.core.models import ReviewStatus
from planning.models import Action
from tests.builders import messages_of, open_plan, submitted_measurement, submitted_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(unit):
    return open_plan(unit)


@pytest.fixture
def approved(data, responsible, planner):
    return submitted_report(
        data, responsible, progress=Decimal("60"), status=ReviewStatus.APPROVED, reviewed_by=planner
    )


def _progress(action):
    return with_physical_progress(Action.objects.filter(pk=action.pk)).get().physical_progress


def test_reopen_returns_the_report_with_the_reason_and_it_stops_counting(data, approved, planner):
    assert _progress(data.action) == Decimal("60")
    reopen_progress_report(approved, by=planner, reason="  El acta es de otro periodo ")
    approved.refresh_from_db()
    assert (approved.status, approved.review_comment, approved.reviewed_by) == (
        ReviewStatus.RETURNED,
        "El acta es de otro periodo",
        planner,
    )
    assert _progress(data.action) == Decimal("0")


def test_reopen_without_a_reason_is_refused(approved, planner):
    with pytest.raises(ValidationError) as exc:
        reopen_progress_report(approved, by=planner, reason="   ")
    assert exc.value.message_dict == {
        "review_comment": ["Explique por qué se reabre la cifra aprobada."]
    }
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED


@pytest.mark.parametrize("persona", ["responsible", "director", "auditor"])
def test_reopen_by_anyone_but_planning_is_refused(request, approved, persona):
    with pytest.raises(PermissionDenied):
        reopen_progress_report(approved, by=request.getfixturevalue(persona), reason="X")
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED


def test_reopen_in_a_locked_period_is_refused(data, approved, planner):
    data.period.locked = True
    data.period.save()
    with pytest.raises(ValidationError):
        reopen_progress_report(approved, by=planner, reason="X")
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED


def test_reopen_a_measurement(data, responsible, planner):
    measurement = submitted_measurement(data, responsible, status=ReviewStatus.APPROVED)
    reopen_measurement(measurement, by=planner, reason="Valor mal digitado")
    measurement.refresh_from_db()
    assert (measurement.status, measurement.review_comment) == (
        ReviewStatus.RETURNED,
        "Valor mal digitado",
    )


# --- pages -----------------------------------------------------------------------------


def test_reopen_button_shown_to_planning_on_an_approved_report(client, approved, planner):
    client.force_login(planner)
    body = client.get(approved.get_absolute_url()).content.decode()
    assert reverse("management:report-reopen", args=[approved.pk]) in body


def test_reopen_button_hidden_from_the_unit(client, approved, responsible):
    client.force_login(responsible)
    body = client.get(approved.get_absolute_url()).content.decode()
    assert reverse("management:report-reopen", args=[approved.pk]) not in body


def test_reopen_page_with_a_reason(client, approved, planner):
    client.force_login(planner)
    url = reverse("management:report-reopen", args=[approved.pk])
    response = client.post(url, {"review_comment": "Soporte ilegible"}, follow=True)
    approved.refresh_from_db()
    assert (approved.status, approved.review_comment) == (ReviewStatus.RETURNED, "Soporte ilegible")
    assert messages_of(response) == ["Cifra reabierta: vuelve a la dependencia como devuelta."]


def test_reopen_page_without_a_reason_shows_the_error_next_to_the_field(client, approved, planner):
    client.force_login(planner)
    url = reverse("management:report-reopen", args=[approved.pk])
    response = client.post(url, {"review_comment": ""})
    approved.refresh_from_db()
    assert approved.status == ReviewStatus.APPROVED
    assert response.context["form"].errors == {
        "review_comment": ["Explique por qué se reabre la cifra aprobada."]
    }


def test_reopen_page_refused_to_the_unit(client, approved, responsible):
    client.force_login(responsible)
    url = reverse("management:report-reopen", args=[approved.pk])
    response = client.post(url, {"review_comment": "Quiero cambiarlo"})
    approved.refresh_from_db()
    assert (response.status_code, approved.status) == (403, ReviewStatus.APPROVED)


def test_reopen_page_of_a_measurement(client, data, responsible, planner):
    measurement = submitted_measurement(data, responsible, status=ReviewStatus.APPROVED)
    client.force_login(planner)
    url = reverse("evaluation:measurement-reopen", args=[measurement.pk])
    client.post(url, {"review_comment": "Valor mal digitado"})
    measurement.refresh_from_db()
    assert measurement.status == ReviewStatus.RETURNED
