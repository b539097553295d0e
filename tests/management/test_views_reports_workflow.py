"""Progress reports through the browser views: draft with evidence → submit → Planeación
returns with a comment → the reporter sees it, edits and resubmits → Planeación approves;
bad input and locked periods."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from management.models import ProgressEvidence, ProgressReport
from mipg.core.models import ReviewStatus
from tests.builders import (
    LOCKED_PERIOD,
    PDF,
    messages_of,
    open_plan,
    pdf,
    post_in_locked_period,
    submitted_report,
)
from tests.factories import PeriodFactory, ProgressReportFactory, attach_evidence

pytestmark = pytest.mark.usefixtures("media_root")


def create_url(data):
    return reverse("management:report-create", args=[data.action.pk, data.period.pk])


def test_report_workflow_end_to_end(client, data, responsible, planner, media_root):
    client.force_login(responsible)
    page = client.get(create_url(data)).content.decode()
    assert "Capacitar al personal" in page
    assert "Guardar borrador" in page and "Enviar a revisión" in page

    response = client.post(
        create_url(data),
        {"progress": "40", "narrative": "Dos talleres", "intent": "draft", "file": [pdf()]},
    )
    report = ProgressReport.objects.get()
    assert response["Location"] == reverse("management:report-detail", args=[report.pk])
    assert (report.status, report.progress, report.narrative) == (
        ReviewStatus.DRAFT,
        Decimal("40.00"),
        "Dos talleres",
    )
    evidence = report.evidence.get()
    assert evidence.original_name == "acta.pdf"
    assert (media_root / evidence.file.name).read_bytes() == PDF

    detail = client.get(report.get_absolute_url()).content.decode()
    assert "acta.pdf" in detail and "Borrador" in detail
    download = client.get(reverse("management:evidence-download", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="acta.pdf"' in download["Content-Disposition"]

    client.post(reverse("management:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED

    client.force_login(planner)
    queue = client.get(reverse("management:review-queue")).content.decode()
    assert "Capacitar al personal" in queue
    return_url = reverse("management:report-return", args=[report.pk])
    response = client.post(return_url, {"review_comment": "  "})
    assert "Explique al responsable por qué se devuelve el reporte." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED
    response = client.post(return_url, {"review_comment": "Falta la lista de asistencia."})
    assert response["Location"] == reverse("management:review-queue")
    report.refresh_from_db()
    assert (report.status, report.review_comment) == (
        ReviewStatus.RETURNED,
        "Falta la lista de asistencia.",
    )

    client.force_login(responsible)
    assert "Falta la lista de asistencia." in client.get(report.get_absolute_url()).content.decode()
    pending = client.get(reverse("management:my-pending")).content.decode()
    assert "Falta la lista de asistencia." in pending
    edit_url = reverse("management:report-edit", args=[report.pk])
    assert "Falta la lista de asistencia." in client.get(edit_url).content.decode()
    client.post(
        edit_url,
        {
            "progress": "55.5",
            "narrative": "Dos talleres y lista",
            "intent": "submit",
            "file": [pdf("asistencia.pdf")],
        },
    )
    report.refresh_from_db()
    assert (report.status, report.progress) == (ReviewStatus.SUBMITTED, Decimal("55.50"))
    assert sorted(report.evidence.values_list("original_name", flat=True)) == [
        "acta.pdf",
        "asistencia.pdf",
    ]

    client.force_login(planner)
    response = client.post(reverse("management:report-approve", args=[report.pk]))
    assert response["Location"] == reverse("management:review-queue")
    report.refresh_from_db()
    assert report.status == ReviewStatus.APPROVED
    detail = client.get(report.get_absolute_url()).content.decode()
    for label in ("Enviado", "Devuelto", "Aprobado"):
        assert label in detail
    assert (
        "Capacitar al personal"
        not in client.get(reverse("management:review-queue")).content.decode()
    )


def test_report_create_with_progress_over_100_shows_message_and_saves_nothing(
    client, data, responsible
):
    client.force_login(responsible)
    response = client.post(create_url(data), {"progress": "150", "intent": "submit"})
    assert response.status_code == 200
    assert "El avance debe estar entre 0 y 100 %." in response.context["form"].errors["progress"]
    assert ProgressReport.objects.count() == 0


def test_report_create_with_bad_file_type_saves_nothing(client, data, responsible):
    client.force_login(responsible)
    response = client.post(
        create_url(data),
        {"progress": "10", "intent": "draft", "file": [pdf("virus.exe")]},
    )
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith("virus.exe: Tipo de archivo no permitido (.exe).")
    assert ProgressReport.objects.count() == 0
    assert ProgressEvidence.objects.count() == 0


def test_report_create_reports_bad_progress_and_bad_file_together(client, data, responsible):
    client.force_login(responsible)
    response = client.post(
        create_url(data), {"progress": "150", "intent": "draft", "file": [pdf("virus.exe")]}
    )
    errors = response.context["form"].errors
    assert errors["progress"] == ["El avance debe estar entre 0 y 100 %."]
    assert errors["file"][0].startswith("virus.exe: Tipo de archivo no permitido")
    assert "vuelva a seleccionar los archivos" in response.content.decode()
    assert ProgressReport.objects.count() == 0


def test_report_create_with_too_large_file_saves_nothing(client, data, responsible, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(responsible)
    response = client.post(
        create_url(data),
        {"progress": "10", "intent": "draft", "file": [pdf(content=b"x" * 2048)]},
    )
    assert "el máximo es 1,0\xa0KB" in response.context["form"].errors["file"][0]
    assert ProgressReport.objects.count() == 0


def test_report_edit_with_bad_input_keeps_the_saved_report(client, data, responsible):
    report = ProgressReportFactory(
        action=data.action, period=data.period, created_by=responsible, progress=Decimal("20")
    )
    client.force_login(responsible)
    response = client.post(
        reverse("management:report-edit", args=[report.pk]),
        {"progress": "-5", "narrative": "cambio", "intent": "submit"},
    )
    assert "El avance debe estar entre 0 y 100 %." in response.context["form"].errors["progress"]
    report.refresh_from_db()
    assert (report.progress, report.narrative, report.status) == (
        Decimal("20.00"),
        "",
        ReviewStatus.DRAFT,
    )


def test_report_create_for_existing_report_redirects_to_its_form(client, data, responsible):
    report = ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)
    client.force_login(responsible)
    response = client.get(create_url(data))
    assert response["Location"] == reverse("management:report-edit", args=[report.pk])


def test_report_create_in_locked_period_is_refused_with_a_message(client, unit, responsible):
    data = open_plan(unit, locked=True)
    client.force_login(responsible)
    response = client.get(create_url(data), follow=True)
    assert response.redirect_chain[-1][0] == reverse("management:my-pending")
    assert LOCKED_PERIOD in messages_of(response)


def test_report_submit_after_period_locked_shows_message(client, data, responsible):
    report = ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)
    url = reverse("management:report-submit", args=[report.pk])
    assert LOCKED_PERIOD in post_in_locked_period(client, responsible, data.period, url)
    report.refresh_from_db()
    assert report.status == ReviewStatus.DRAFT
    response = client.get(reverse("management:report-edit", args=[report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    assert any("no se puede modificar" in m for m in messages_of(response))


def test_report_approve_in_locked_period_shows_message(client, data, responsible, planner):
    report = submitted_report(data, responsible)
    url = reverse("management:report-approve", args=[report.pk])
    assert LOCKED_PERIOD in post_in_locked_period(client, planner, data.period, url)
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED


def test_report_evidence_delete_asks_for_confirmation_then_removes(
    client, data, responsible, media_root, django_capture_on_commit_callbacks
):
    client.force_login(responsible)
    client.post(create_url(data), {"progress": "10", "intent": "draft", "file": [pdf()]})
    evidence = ProgressEvidence.objects.get()
    path = media_root / evidence.file.name
    url = reverse("management:evidence-delete", args=[evidence.pk])
    assert "¿Eliminar el archivo «acta.pdf»" in client.get(url).content.decode()
    assert ProgressEvidence.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("management:report-edit", args=[evidence.report_id])
    assert ProgressEvidence.objects.count() == 0
    assert not path.exists()


def test_report_save_and_submit_flash_spanish_messages(client, data, responsible):
    client.force_login(responsible)
    response = client.post(create_url(data), {"progress": "5", "intent": "draft"}, follow=True)
    assert messages_of(response) == ["Reporte de avance guardado como borrador."]
    report = ProgressReport.objects.get()
    attach_evidence(report)
    response = client.post(reverse("management:report-submit", args=[report.pk]), follow=True)
    assert messages_of(response) == ["Reporte de avance enviado a revisión."]


def test_report_form_shows_the_last_approved_cumulative_progress(client, data, responsible):
    earlier = PeriodFactory(
        plan=data.plan,
        label="Anterior",
        start_date=data.period.start_date - datetime.timedelta(days=90),
        end_date=data.period.start_date - datetime.timedelta(days=1),
    )
    ProgressReportFactory(
        action=data.action, period=earlier, progress=Decimal("35"), status=ReviewStatus.APPROVED
    )
    client.force_login(responsible)
    body = client.get(create_url(data)).content.decode()
    assert "Último avance aprobado" in body and "35,00 % (Anterior)" in body
