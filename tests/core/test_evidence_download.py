"""Evidence files are served only through the download views: to any internal user with
the view permission, as attachments with their type; never to anonymous users."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation import services as evaluation_services
from management import services as management_services
from tests import builders
from tests.factories import MeasurementFactory, ProgressReportFactory, UserFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media_url(media_root, settings):
    settings.MEDIA_URL = "/media/"


@pytest.fixture
def progress_evidence(data, responsible):
    report = ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)
    upload = SimpleUploadedFile("avance.xlsx", builders.XLSX, content_type=XLSX)
    return management_services.add_progress_evidence(report, by=responsible, file=upload)


@pytest.fixture
def measurement_evidence(data, responsible):
    measurement = MeasurementFactory(
        indicator=data.indicator, period=data.period, created_by=responsible
    )
    upload = SimpleUploadedFile("fuente.csv", b"a;b\n1;2\n", content_type="text/csv")
    return evaluation_services.add_measurement_evidence(measurement, by=responsible, file=upload)


def urls(progress_evidence, measurement_evidence):
    return [
        reverse("management:evidence-download", args=[progress_evidence.pk]),
        reverse("evaluation:evidence-download", args=[measurement_evidence.pk]),
    ]


def test_evidence_download_redirects_anonymous_users_to_login(
    client, progress_evidence, measurement_evidence
):
    for url in urls(progress_evidence, measurement_evidence):
        assert client.get(url)["Location"] == f"{reverse('login')}?next={url}"


def test_evidence_download_is_forbidden_to_users_without_a_role(
    client, progress_evidence, measurement_evidence
):
    client.force_login(UserFactory())
    for url in urls(progress_evidence, measurement_evidence):
        response = client.get(url)
        assert response.status_code == 403
        assert "No tiene permiso para descargar esta evidencia." in response.content.decode()


@pytest.mark.parametrize("persona", ["responsible", "planner", "director", "auditor"])
def test_evidence_download_serves_internal_users_as_attachment(
    client, progress_evidence, measurement_evidence, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    progress_url, measurement_url = urls(progress_evidence, measurement_evidence)
    response = client.get(progress_url)
    assert b"".join(response.streaming_content) == builders.XLSX
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="avance.xlsx"'
    assert response["Cache-Control"] == "private, no-store"
    response = client.get(measurement_url)
    assert b"".join(response.streaming_content) == b"a;b\n1;2\n"
    assert response["Content-Type"] == "text/csv"


def test_evidence_download_is_404_to_a_responsable_of_another_unit(
    client, outsider, progress_evidence, measurement_evidence
):
    client.force_login(outsider)
    for url in urls(progress_evidence, measurement_evidence):
        assert client.get(url).status_code == 404


def test_evidence_is_not_served_from_media_url(client, planner, progress_evidence):
    client.force_login(planner)
    assert client.get(f"/media/{progress_evidence.file.name}").status_code == 404


def test_evidence_download_of_a_missing_file_is_404(client, planner, progress_evidence, media_root):
    (media_root / progress_evidence.file.name).unlink()
    client.force_login(planner)
    url = reverse("management:evidence-download", args=[progress_evidence.pk])
    assert client.get(url).status_code == 404
