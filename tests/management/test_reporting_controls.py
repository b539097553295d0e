"""Controls on reporting progress (MIPG.md §5), through the services, the pages and the
API: evidence is required to submit (entity setting, on by default); nobody reports for a
period that has not started (unless the entity opens it N days before); a cumulative
progress below the last approved one needs an explanation."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.services import create_measurement
from management import services
from management.models import ProgressReport
from mipg.core.models import Entity, ReviewStatus
from tests.builders import days, open_plan, pdf
from tests.factories import PeriodFactory, ProgressReportFactory, attach_evidence

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

NO_EVIDENCE = "Adjunte al menos una evidencia antes de enviar a revisión."


@pytest.fixture
def data(unit):
    return open_plan(unit)


@pytest.fixture
def draft(data, responsible):
    return ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)


def _entity(**fields):
    entity = Entity.current()
    for name, value in fields.items():
        setattr(entity, name, value)
    entity.save()
    return entity


# --- evidence required to submit -------------------------------------------------------


def test_submit_without_evidence_is_refused(draft, responsible):
    with pytest.raises(ValidationError) as exc:
        services.submit_progress_report(draft, by=responsible)
    assert exc.value.message_dict == {"file": [NO_EVIDENCE]}
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT


def test_submit_with_evidence_passes(draft, responsible):
    attach_evidence(draft)
    services.submit_progress_report(draft, by=responsible)
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.SUBMITTED


def test_submit_without_evidence_passes_when_the_entity_does_not_require_it(draft, responsible):
    _entity(evidence_required_to_submit=False)
    services.submit_progress_report(draft, by=responsible)
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.SUBMITTED


def test_submit_page_without_evidence_is_refused(client, draft, responsible):
    client.force_login(responsible)
    url = reverse("management:report-submit", args=[draft.pk])
    response = client.post(url, follow=True)
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT
    assert [str(m) for m in response.context["messages"]] == [NO_EVIDENCE]


def test_save_and_submit_form_without_evidence_shows_the_error_on_the_file(
    client, data, responsible
):
    client.force_login(responsible)
    url = reverse("management:report-create", args=[data.action.pk, data.period.pk])
    response = client.post(url, {"progress": "10", "intent": "submit"})
    assert response.context["form"].errors["file"] == [NO_EVIDENCE]
    assert not ProgressReport.objects.exists()


def test_save_and_submit_form_with_evidence_passes(client, data, responsible):
    client.force_login(responsible)
    url = reverse("management:report-create", args=[data.action.pk, data.period.pk])
    client.post(url, {"progress": "10", "intent": "submit", "file": [pdf()]})
    assert ProgressReport.objects.get().status == ReviewStatus.SUBMITTED


def test_submit_api_without_evidence_is_refused(client_for, draft, responsible):
    response = client_for(responsible).post(f"/api/v1/progress-reports/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert (response.status_code, response.json()["errors"]) == (400, {"file": [NO_EVIDENCE]})
    assert draft.status == ReviewStatus.DRAFT


# --- period not started ----------------------------------------------------------------


@pytest.fixture
def future(data):
    return PeriodFactory(plan=data.plan, label="Próximo", start_date=days(31), end_date=days(60))


NOT_STARTED = "El periodo «Próximo» aún no ha comenzado: se puede reportar desde el {date}."


def test_report_for_a_period_not_started_is_refused(data, future, responsible):
    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(data.action, future, by=responsible, progress=Decimal("5"))
    date = days(31).strftime("%d/%m/%Y")
    assert exc.value.message_dict == {"period": [NOT_STARTED.format(date=date)]}
    assert not ProgressReport.objects.exists()


def test_report_opens_report_days_before_period(data, future, responsible):
    _entity(report_days_before_period=30)
    with pytest.raises(ValidationError):
        services.create_progress_report(data.action, future, by=responsible, progress=Decimal("5"))
    _entity(report_days_before_period=31)
    report = services.create_progress_report(
        data.action, future, by=responsible, progress=Decimal("5")
    )
    assert report.period == future


def test_submit_for_a_period_not_started_is_refused(data, future, responsible):
    report = ProgressReportFactory(action=data.action, period=future, created_by=responsible)
    attach_evidence(report)
    with pytest.raises(ValidationError) as exc:
        services.submit_progress_report(report, by=responsible)
    assert list(exc.value.message_dict) == ["period"]


def test_measurement_for_a_period_not_started_is_refused(data, future, responsible):
    with pytest.raises(ValidationError) as exc:
        create_measurement(data.indicator, future, by=responsible, value=Decimal("3"))
    assert list(exc.value.message_dict) == ["period"]


def test_report_page_for_a_period_not_started_is_refused(client, data, future, responsible):
    client.force_login(responsible)
    url = reverse("management:report-create", args=[data.action.pk, future.pk])
    response = client.post(url, {"progress": "5", "intent": "draft"})
    assert not ProgressReport.objects.exists()
    assert "aún no ha comenzado" in response.content.decode()


def test_report_api_for_a_period_not_started_is_refused(client_for, data, future, responsible):
    response = client_for(responsible).post(
        "/api/v1/progress-reports/",
        {"action": data.action.pk, "period": future.pk, "progress": "5"},
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["period"])
    assert not ProgressReport.objects.exists()


# --- lower cumulative progress ---------------------------------------------------------


@pytest.fixture
def earlier(data, responsible):
    """The approved report of the previous period: 60 %."""
    period = PeriodFactory(
        plan=data.plan, label="Anterior", start_date=days(-90), end_date=days(-31)
    )
    return ProgressReportFactory(
        action=data.action,
        period=period,
        progress=Decimal("60"),
        status=ReviewStatus.APPROVED,
        created_by=responsible,
    )


LOWER = (
    "El avance acumulado (40,00 %) es menor que el último aprobado (60,00 %, periodo «Anterior»): "
    "explique el retroceso en la descripción."
)


def test_lower_progress_without_explanation_is_refused(data, earlier, responsible):
    with pytest.raises(ValidationError) as exc:
        services.create_progress_report(
            data.action, data.period, by=responsible, progress=Decimal("40")
        )
    assert exc.value.message_dict == {"narrative": [LOWER]}


def test_lower_progress_with_explanation_passes(data, earlier, responsible):
    report = services.create_progress_report(
        data.action,
        data.period,
        by=responsible,
        progress=Decimal("40"),
        narrative="Se anuló un contrato; se recalculó el avance.",
    )
    assert report.progress == Decimal("40")


def test_equal_or_higher_progress_needs_no_explanation(data, earlier, responsible):
    report = services.create_progress_report(
        data.action, data.period, by=responsible, progress=Decimal("60")
    )
    assert report.progress == Decimal("60")


def test_lower_than_an_unapproved_report_needs_no_explanation(data, earlier, responsible):
    ProgressReport.objects.filter(pk=earlier.pk).update(status=ReviewStatus.SUBMITTED)
    report = services.create_progress_report(
        data.action, data.period, by=responsible, progress=Decimal("40")
    )
    assert report.progress == Decimal("40")


def test_update_to_a_lower_progress_without_explanation_is_refused(data, earlier, responsible):
    report = ProgressReportFactory(
        action=data.action, period=data.period, progress=Decimal("70"), created_by=responsible
    )
    with pytest.raises(ValidationError) as exc:
        services.update_progress_report(report, by=responsible, progress=Decimal("40"))
    assert list(exc.value.message_dict) == ["narrative"]


def test_submit_below_a_report_approved_since_is_refused(data, earlier, responsible):
    report = ProgressReportFactory(
        action=data.action, period=data.period, progress=Decimal("40"), created_by=responsible
    )
    attach_evidence(report)
    with pytest.raises(ValidationError) as exc:
        services.submit_progress_report(report, by=responsible)
    assert exc.value.message_dict == {"narrative": [LOWER]}


def test_lower_progress_page_shows_the_error_next_to_the_narrative(
    client, data, earlier, responsible
):
    client.force_login(responsible)
    url = reverse("management:report-create", args=[data.action.pk, data.period.pk])
    response = client.post(url, {"progress": "40", "intent": "draft"})
    assert response.context["form"].errors["narrative"] == [LOWER]


def test_lower_progress_api_is_a_field_error(client_for, data, earlier, responsible):
    response = client_for(responsible).post(
        "/api/v1/progress-reports/",
        {"action": data.action.pk, "period": data.period.pk, "progress": "40"},
    )
    assert (response.status_code, response.json()["errors"]) == (400, {"narrative": [LOWER]})
