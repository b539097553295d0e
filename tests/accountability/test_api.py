"""The reports in the API (/api/v1/accountability-reports/): each report lists its files
with name, media type, size, SHA-256 and the absolute URL of the staff file view; a draft
(and so its files) is hidden from anonymous and role-less users; bounded queries."""

import hashlib

import pytest
from django.urls import reverse

from accountability.models import AccountabilityReport, ReportFile
from accountability.services import create_report, generate_report, publish_report
from tests.builders import dashboard_example
from tests.factories import UserFactory

Status = AccountabilityReport.Status
LIST = "/api/v1/accountability-reports/"


@pytest.fixture(autouse=True)
def _inline_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def generated(example, planner, title="Rendición de cuentas 2026-I"):
    report = create_report(
        plan=example["plan"],
        periods=[example["t1"], example["t2"]],
        kind=AccountabilityReport.Kind.ACCOUNTABILITY,
        title=title,
        by=planner,
    )
    return generate_report(report.pk)


def file_url(report, name):
    """A published report's files are downloaded from the portal (no login); a draft's
    from the staff page."""
    namespace = "public" if report.is_frozen else "accountability"
    return "http://testserver" + reverse(f"{namespace}:report-file", args=[report.pk, name])


def test_a_published_report_lists_its_files_with_absolute_download_urls(api, example, planner):
    report = publish_report(generated(example, planner), by=planner)
    body = api.get(f"{LIST}{report.pk}/").json()
    rows = report.files.order_by("name")
    assert body["files"] == [
        {
            "name": row.name,
            "media_type": row.media_type,
            "size": row.size,
            "sha256": row.sha256,
            "url": file_url(report, row.name),
        }
        for row in rows
    ]
    assert [f["name"] for f in body["files"]] == [
        "actividades.csv",
        "datapackage.json",
        "dimensiones.csv",
        "fuentes_financiacion.csv",
        "indicadores.csv",
        "informe.html",
        "informe.json",
        "informe.pdf",
        "metas.csv",
        "objetivos.csv",
        "planes_decreto_612.csv",
        "politicas.csv",
    ]
    assert next(f for f in body["files"] if f["name"] == "informe.pdf")["media_type"] == (
        "application/pdf"
    )
    assert (body["html_file"], body["pdf_file"], body["data_file"]) == (
        file_url(report, "informe.html"),
        file_url(report, "informe.pdf"),
        file_url(report, "datapackage.json"),
    )


def test_the_file_url_serves_the_bytes_of_its_hash_without_login(client, api, example, planner):
    publish_report(generated(example, planner), by=planner)
    listed = api.get(LIST).json()["results"][0]["files"]
    pdf = next(f for f in listed if f["name"] == "informe.pdf")
    content = b"".join(client.get(pdf["url"].removeprefix("http://testserver")))
    assert (len(content), hashlib.sha256(content).hexdigest()) == (pdf["size"], pdf["sha256"])


def test_a_report_without_files_lists_none(client_for, example, planner):
    report = create_report(
        plan=example["plan"],
        periods=[example["t1"]],
        kind=AccountabilityReport.Kind.MANAGEMENT,
        title="En cola",
        by=planner,
    )
    body = client_for(planner).get(f"{LIST}{report.pk}/").json()
    assert (body["files"], body["html_file"], body["pdf_file"]) == ([], None, None)


@pytest.mark.parametrize("who", ["anonymous", "no role"])
def test_a_draft_s_files_are_hidden_from_who_cannot_see_drafts(
    api, client_for, example, planner, who
):
    draft = generated(example, planner, title="Borrador generado")
    published = publish_report(generated(example, planner, title="Publicado"), by=planner)
    client = api if who == "anonymous" else client_for(UserFactory(username="sin.rol"))
    listed = client.get(LIST).json()["results"]
    assert [(r["title"], len(r["files"])) for r in listed] == [("Publicado", 12)]
    assert all(f"/{draft.pk}/archivos/" not in f["url"] for r in listed for f in r["files"])
    assert client.get(f"{LIST}{draft.pk}/").json()["code"] == "not_found"
    assert published.status == Status.PUBLISHED


def test_internal_roles_see_a_draft_with_its_files(client_for, example, planner, responsible):
    draft = generated(example, planner, title="Borrador generado")
    body = client_for(responsible).get(f"{LIST}{draft.pk}/").json()
    assert (body["status"], len(body["files"])) == ("ready", 12)


def _reports_with_files(planner, plan, n):
    for i in range(n):
        report = AccountabilityReport.objects.create(
            plan=plan,
            kind="accountability",
            title=f"Informe {i}",
            status=Status.PUBLISHED,
            created_by=planner,
        )
        ReportFile.objects.bulk_create(
            ReportFile(
                report=report,
                name=name,
                file=f"reports/{report.pk}/1/{name}",
                media_type="text/csv",
                sha256="0" * 64,
                size=10,
            )
            for name in ("a.csv", "b.csv")
        )


@pytest.mark.parametrize("client_kind", ["anonymous", "internal"])
def test_the_list_with_files_runs_the_same_queries_for_1_and_3_reports(
    api, client_for, example, planner, count_queries, client_kind
):
    client = api if client_kind == "anonymous" else client_for(planner)
    counts = []
    for n in (1, 2):  # 1 report, then 3
        _reports_with_files(planner, example["plan"], n)
        client.get(LIST)  # warm-up: the user's permission cache
        with count_queries() as queries:
            body = client.get(LIST).json()
        counts.append((queries.count, len(body["results"])))
    assert [rows for _count, rows in counts] == [1, 3]
    assert counts[0][0] == counts[1][0]
