"""Who sees reported figures (mipg.core.permissions): a Responsable sees another unit's
progress reports and measurements only once approved, and never its evidence; Planeación,
Directivo and Control Interno see everything. One rule (`visible_to`) for the pages, the
lists and exports, the trace and history pages, the API and the evidence downloads."""

import pytest
from django.urls import reverse

from evaluation import services as evaluation_services
from management import services as management_services
from management.models import ProgressReport
from mipg.core.models import ReviewStatus
from tests import builders
from tests.factories import MeasurementFactory, PeriodFactory, ProgressReportFactory

pytestmark = pytest.mark.usefixtures("media_root")

STATES = {
    "draft": ReviewStatus.DRAFT,
    "submitted": ReviewStatus.SUBMITTED,
    "returned": ReviewStatus.RETURNED,
    "approved": ReviewStatus.APPROVED,
}


@pytest.fixture
def figures(data, responsible):
    """A progress report and a measurement of `unit` in each state, each in its own period
    (labelled "Periodo-<STATE>-QX7"), each with one evidence file ("soporte-<state>.pdf")."""
    made = {}
    for name, status in STATES.items():
        period = PeriodFactory(plan=data.plan, label=f"Periodo-{name.upper()}-QX7")
        report = ProgressReportFactory(
            action=data.action, period=period, created_by=responsible, narrative=f"AV-{name}-QX7"
        )
        measurement = MeasurementFactory(
            indicator=data.indicator, period=period, created_by=responsible
        )
        report_file = management_services.add_progress_evidence(
            report, by=responsible, file=builders.pdf(f"soporte-{name}.pdf")
        )
        measurement_file = evaluation_services.add_measurement_evidence(
            measurement, by=responsible, file=builders.pdf(f"fuente-{name}.pdf")
        )
        # The state is set directly: the transitions are not what is tested here.
        type(report).objects.filter(pk=report.pk).update(status=status)
        type(measurement).objects.filter(pk=measurement.pk).update(status=status)
        made[name] = (report, measurement, report_file, measurement_file)
    return made


def _ids(response):
    return sorted(item["id"] for item in response.json()["results"])


# --- HTML ------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "returned"])
def test_responsable_of_another_unit_gets_404_for_unapproved_figures(
    client, figures, outsider, state
):
    report, measurement, report_file, measurement_file = figures[state]
    client.force_login(outsider)
    urls = [
        report.get_absolute_url(),
        measurement.get_absolute_url(),
        report_file.get_download_url(),
        measurement_file.get_download_url(),
        reverse("history", args=["management.progressreport", report.pk]),
        reverse("history", args=["evaluation.measurement", measurement.pk]),
        reverse("trace", args=["management.progressreport", report.pk]),
        reverse("trace", args=["evaluation.measurement", measurement.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)


def test_responsable_of_another_unit_sees_approved_figures_without_evidence(
    client, figures, outsider
):
    report, measurement, report_file, measurement_file = figures["approved"]
    client.force_login(outsider)
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert "AV-approved-QX7" in page.content.decode()
    assert list(page.context["evidence"]) == []
    assert page.context["history"] == []  # the review steps are the unit's work
    assert client.get(measurement.get_absolute_url()).status_code == 200
    assert client.get(report_file.get_download_url()).status_code == 404
    assert client.get(measurement_file.get_download_url()).status_code == 404
    assert (
        client.get(reverse("history", args=["management.progressreport", report.pk])).status_code
        == 404
    )


def test_responsable_of_another_unit_lists_and_exports_approved_reports_only(
    client, figures, outsider
):
    client.force_login(outsider)
    page = client.get(reverse("management:report-list")).context["page"]
    assert [report.pk for report in page.object_list] == [figures["approved"][0].pk]
    export = client.get(reverse("management:report-export", args=["csv"]))
    content = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "AV-approved-QX7" in content
    assert "AV-draft-QX7" not in content and "AV-returned-QX7" not in content


def test_responsable_of_another_unit_sees_approved_figures_on_the_item_pages(
    client, data, figures, outsider
):
    client.force_login(outsider)
    action_page = client.get(data.action.get_absolute_url())
    shown = {report.pk for _planned, report in action_page.context["reports"] if report}
    assert shown == {figures["approved"][0].pk}
    indicator_page = client.get(data.indicator.get_absolute_url())
    measured = {
        row.measurement.pk for row in indicator_page.context["rows"] if row.measurement is not None
    }
    assert measured == {figures["approved"][1].pk}
    trace = client.get(reverse("trace", args=["planning.action", data.action.pk])).content.decode()
    assert "Periodo-APPROVED-QX7" in trace and "Periodo-DRAFT-QX7" not in trace


@pytest.mark.parametrize("persona", ["responsible", "planner", "director", "auditor"])
def test_the_unit_and_the_second_and_third_lines_see_every_figure_and_its_evidence(
    client, figures, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    for report, measurement, report_file, measurement_file in figures.values():
        page = client.get(report.get_absolute_url())
        assert [e.pk for e in page.context["evidence"]] == [report_file.pk]
        assert client.get(measurement.get_absolute_url()).status_code == 200
        response = client.get(measurement_file.get_download_url())
        assert b"".join(response.streaming_content) == builders.PDF
    listed = client.get(reverse("management:report-list")).context["page"].object_list
    assert sorted(r.pk for r in listed) == sorted(f[0].pk for f in figures.values())


# --- API -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["progress-reports", "measurements"])
def test_api_hides_unapproved_figures_and_evidence_of_other_units(
    client_for, figures, outsider, kind
):
    index = 0 if kind == "progress-reports" else 1
    approved = figures["approved"][index]
    client = client_for(outsider)
    assert _ids(client.get(f"/api/v1/{kind}/")) == [approved.pk]
    for state in ("draft", "submitted", "returned"):
        figure = figures[state][index]
        assert client.get(f"/api/v1/{kind}/{figure.pk}/").status_code == 404
        assert client.get(f"/api/v1/{kind}/{figure.pk}/evidence/").status_code == 404
    detail = client.get(f"/api/v1/{kind}/{approved.pk}/").json()
    assert (detail["status"], detail["evidence"]) == ("approved", [])
    assert client.get(f"/api/v1/{kind}/{approved.pk}/evidence/").json() == []
    evidence = figures["approved"][index + 2]
    download = f"/api/v1/{kind}/{approved.pk}/evidence/{evidence.pk}/download/"
    assert client.get(download).status_code == 404


@pytest.mark.parametrize("persona", ["responsible", "planner", "director", "auditor"])
def test_api_shows_every_figure_to_the_unit_and_the_other_lines(
    client_for, figures, persona, request
):
    client = client_for(request.getfixturevalue(persona))
    reports = client.get("/api/v1/progress-reports/").json()["results"]
    assert sorted(r["id"] for r in reports) == sorted(f[0].pk for f in figures.values())
    assert all(len(r["evidence"]) == 1 for r in reports)
    assert _ids(client.get("/api/v1/measurements/")) == sorted(f[1].pk for f in figures.values())


def test_visible_to_is_the_one_rule(figures, outsider, planner):
    approved = figures["approved"][0]
    assert list(ProgressReport.objects.visible_to(outsider)) == [approved]
    assert ProgressReport.objects.visible_to(planner).count() == 4
    assert not approved.evidence.visible_to(outsider).exists()
