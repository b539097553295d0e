"""Who may use the progress-report pages: by role and by unit, on GET and on POST."""

from decimal import Decimal

import pytest
from django.urls import reverse

from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from tests.builders import pdf, submitted_report
from tests.factories import ProgressReportFactory, UserFactory

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def draft(data, responsible):
    return ProgressReportFactory(
        action=data.action, period=data.period, created_by=responsible, progress=Decimal("30")
    )


@pytest.fixture
def submitted(data, responsible):
    return submitted_report(data, responsible, progress=Decimal("30"))


FORM = {"progress": "90", "narrative": "cambiado", "intent": "submit"}


@pytest.mark.parametrize("persona", ["outsider", "auditor", "director", "planner"])
def test_report_create_is_forbidden_to_non_reporters(client, data, persona, request):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("management:report-create", args=[data.action.pk, data.period.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {**FORM, "file": [pdf()]})
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_report_create_403_page_explains_in_spanish(client, data, outsider):
    client.force_login(outsider)
    url = reverse("management:report-create", args=[data.action.pk, data.period.pk])
    body = client.get(url).content.decode()
    assert "Solo los responsables de la dependencia de la actividad" in body


@pytest.mark.parametrize("persona", ["outsider", "auditor", "director", "planner"])
def test_report_edit_and_submit_are_forbidden_to_non_reporters(client, draft, persona, request):
    client.force_login(request.getfixturevalue(persona))
    edit = reverse("management:report-edit", args=[draft.pk])
    # Another unit's Responsable does not even see the draft.
    refused = 404 if persona == "outsider" else 403
    assert client.get(edit).status_code == refused
    assert client.post(edit, FORM).status_code == refused
    assert client.post(reverse("management:report-submit", args=[draft.pk])).status_code == refused
    draft.refresh_from_db()
    assert (draft.progress, draft.status) == (Decimal("30.00"), ReviewStatus.DRAFT)


@pytest.mark.parametrize("persona", ["responsible", "outsider", "auditor", "director"])
def test_report_review_is_forbidden_to_non_reviewers(client, submitted, persona, request):
    client.force_login(request.getfixturevalue(persona))
    approve = reverse("management:report-approve", args=[submitted.pk])
    give_back = reverse("management:report-return", args=[submitted.pk])
    # Another unit's Responsable does not even see the submitted report.
    assert client.post(approve).status_code == (404 if persona == "outsider" else 403)
    assert client.get(give_back).status_code == 403
    assert client.post(give_back, {"review_comment": "No"}).status_code == 403
    assert client.get(reverse("management:review-queue")).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED


def test_report_evidence_delete_is_forbidden_to_other_units(client, data, responsible, outsider):
    client.force_login(responsible)
    client.post(
        reverse("management:report-create", args=[data.action.pk, data.period.pk]),
        {"progress": "10", "intent": "draft", "file": [pdf()]},
    )
    evidence = ProgressReport.objects.get().evidence.get()
    client.force_login(outsider)
    url = reverse("management:evidence-delete", args=[evidence.pk])
    # Another unit's evidence is not even visible.
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ProgressReport.objects.get().evidence.count() == 1


def test_planner_cannot_approve_a_report_they_submitted(client, data, admin_user):
    report = submitted_report(data, admin_user)
    client.force_login(admin_user)
    response = client.post(reverse("management:report-approve", args=[report.pk]))
    assert response.status_code == 403
    assert "No puede aprobar un reporte que usted mismo envió." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED


def test_report_detail_is_readable_by_every_internal_role_but_other_units(
    client, draft, planner, auditor, director, outsider
):
    for user in (planner, auditor, director):
        client.force_login(user)
        body = client.get(draft.get_absolute_url()).content.decode()
        assert "Capacitar al personal" in body
        assert "Enviar a revisión" not in body  # only the unit's reporters may submit
    # A Responsable of another unit sees only approved reports.
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_report_detail_is_forbidden_without_a_role(client, draft):
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 403


def test_report_pages_send_anonymous_users_to_login(client, data, submitted):
    urls = [
        reverse("management:my-pending"),
        reverse("management:review-queue"),
        reverse("management:report-create", args=[data.action.pk, data.period.pk]),
        reverse("management:report-detail", args=[submitted.pk]),
        reverse("management:report-edit", args=[submitted.pk]),
        reverse("management:report-return", args=[submitted.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (
            302,
            f"{reverse('login')}?next={url}",
        )
    for name in ("report-submit", "report-approve"):
        url = reverse(f"management:{name}", args=[submitted.pk])
        assert client.post(url)["Location"].startswith(reverse("login"))
    submitted.refresh_from_db()
    assert submitted.status == ReviewStatus.SUBMITTED
