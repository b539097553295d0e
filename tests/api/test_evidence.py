"""Evidence through the API with a token: upload (multipart) to a figure the user may
edit, through the same service and validation as the form; list the evidence of a figure;
download it streamed, with the page's permissions, never through MEDIA_URL."""

import pytest
from rest_framework.test import APIClient

from evaluation.models import MeasurementEvidence
from management.models import ProgressEvidence
from mipg.core.api.tokens import create_api_token
from mipg.core.models import ReviewStatus
from tests import builders
from tests.factories import MeasurementFactory, ProgressReportFactory

pytestmark = pytest.mark.usefixtures("media_root")


def token_client(user):
    _token, key = create_api_token(user, name="SIIF", by=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture(params=["progress-reports", "measurements"])
def figure(request, data, responsible):
    """(resource, a draft figure of `unit`, its evidence model)."""
    if request.param == "progress-reports":
        report = ProgressReportFactory(
            action=data.action, period=data.period, created_by=responsible
        )
        return request.param, report, ProgressEvidence
    measurement = MeasurementFactory(
        indicator=data.indicator, period=data.period, created_by=responsible
    )
    return request.param, measurement, MeasurementEvidence


def _upload(client, resource, pk, upload):
    return client.post(f"/api/v1/{resource}/{pk}/evidence/", {"file": upload}, format="multipart")


def test_upload_list_and_download_with_a_token(figure, responsible):
    resource, item, model = figure
    client = token_client(responsible)
    created = _upload(client, resource, item.pk, builders.upload("avance.xlsx"))
    assert created.status_code == 201
    body = created.json()
    evidence = model.objects.get()
    assert (body["id"], body["original_name"], body["size"], body["uploaded_by"]) == (
        evidence.pk,
        "avance.xlsx",
        len(builders.XLSX),
        responsible.pk,
    )
    download = f"/api/v1/{resource}/{item.pk}/evidence/{evidence.pk}/download/"
    assert body["download_url"] == f"http://testserver{download}"
    listed = client.get(f"/api/v1/{resource}/{item.pk}/evidence/").json()
    assert [e["id"] for e in listed] == [evidence.pk]
    assert [e["id"] for e in client.get(f"/api/v1/{resource}/{item.pk}/").json()["evidence"]] == [
        evidence.pk
    ]
    response = client.get(download, HTTP_ACCEPT="application/pdf")
    assert b"".join(response.streaming_content) == builders.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="avance.xlsx"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_renamed_executable_is_a_json_field_error(figure, responsible):
    resource, item, model = figure
    response = _upload(
        token_client(responsible), resource, item.pk, builders.upload("a.pdf", builders.EXE)
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"][0].startswith(
        "El contenido del archivo no corresponde a un archivo .pdf"
    )
    assert not model.objects.exists()


def test_a_missing_file_is_a_json_field_error(figure, responsible):
    resource, item, _model = figure
    response = token_client(responsible).post(
        f"/api/v1/{resource}/{item.pk}/evidence/", {}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


@pytest.mark.parametrize(("persona", "expected"), [("planner", 403), ("outsider", 404)])
def test_only_the_units_responsables_upload(figure, persona, expected, request):
    resource, item, model = figure
    client = token_client(request.getfixturevalue(persona))
    response = _upload(client, resource, item.pk, builders.upload("acta.pdf"))
    assert response.status_code == expected
    assert not model.objects.exists()


def test_a_submitted_figure_refuses_new_evidence(figure, responsible):
    resource, item, model = figure
    type(item).objects.filter(pk=item.pk).update(status=ReviewStatus.SUBMITTED)
    response = _upload(token_client(responsible), resource, item.pk, builders.upload("acta.pdf"))
    assert response.status_code == 400
    assert not model.objects.exists()


def test_anonymous_clients_may_not_list_upload_or_download(figure, api):
    resource, item, _model = figure
    assert api.get(f"/api/v1/{resource}/{item.pk}/evidence/").status_code == 401
    assert _upload(api, resource, item.pk, builders.upload("acta.pdf")).status_code == 401
    assert api.get(f"/api/v1/{resource}/{item.pk}/evidence/1/download/").status_code == 401


def test_evidence_of_another_figure_is_not_downloaded_through_this_one(data, responsible):
    first = ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)
    client = token_client(responsible)
    _upload(client, "progress-reports", first.pk, builders.upload("acta.pdf"))
    evidence = ProgressEvidence.objects.get()
    other = ProgressReportFactory(action=data.action, created_by=responsible)
    url = f"/api/v1/progress-reports/{other.pk}/evidence/{evidence.pk}/download/"
    assert client.get(url).status_code == 404


def test_evidence_list_query_count_does_not_grow(data, responsible, count_queries):
    report = ProgressReportFactory(action=data.action, period=data.period, created_by=responsible)
    client = token_client(responsible)
    url = f"/api/v1/progress-reports/{report.pk}/evidence/"
    for name, listed in (("a.pdf", 1), ("b.pdf", None), ("c.pdf", 3)):
        _upload(client, "progress-reports", report.pk, builders.upload(name))
        if listed is None:
            continue
        # the token, the user's permissions (user and group), their units, the report and
        # its visible evidence (prefetched)
        with count_queries(6):
            assert len(client.get(url).json()) == listed
