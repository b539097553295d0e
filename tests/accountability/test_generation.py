"""Report generation (accountability.services, accountability.tasks): the snapshot equals
the dashboard at the cut-off, the outputs, idempotence, failure and immutability."""

import csv
import datetime
import io
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from accountability.models import AccountabilityReport
from accountability.selectors import report_snapshot
from accountability.services import create_report, generate_report, publish_report
from accountability.tasks import generate_report_task
from mipg.traceability.dashboard import plan_dashboard
from tests.builders import approved, build_plan, dashboard_example

pytestmark = pytest.mark.real_pdf

D = Decimal
Status = AccountabilityReport.Status


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def new_report(example, by, *, periods=None):
    return create_report(
        plan=example["plan"],
        periods=periods or [example["t1"], example["t2"]],
        kind=AccountabilityReport.Kind.ACCOUNTABILITY,
        title="Rendición de cuentas 2026-I",
        by=by,
    )


def test_generated_snapshot_equals_the_dashboard_at_the_cutoff(example, planner):
    report = generate_report(new_report(example, planner).pk)
    assert report.status == Status.READY
    assert (report.steps_done, report.steps_total) == (6, 6)
    snapshot = report.snapshot
    assert snapshot["cutoff"]["label"] == "T2"
    # The dashboard's docstring example: executed 44, planned 82, $ 4.000.000 definitive.
    assert D(snapshot["total"]["executed"]) == D(44)
    assert D(snapshot["total"]["planned"]) == D(82)
    assert D(snapshot["total"]["finance"]["definitive"]) == D(4_000_000)
    dash = plan_dashboard(example["plan"], period=example["t2"])
    assert D(snapshot["total"]["executed"]) == dash.total.executed
    assert D(snapshot["total"]["compliance"]) == dash.total.compliance
    assert [(g["code"], D(g["executed"]), D(g["planned"])) for g in snapshot["objectives"]] == [
        (dash.rollup.physical.objectives[g.key].code, g.executed, g.planned)
        for g in dash.objectives
    ]
    assert [(p["code"], D(p["executed"])) for p in snapshot["policies"]] == [
        (g.key, g.executed) for g in dash.policies
    ]
    assert [(s["source"], D(s["commitment"])) for s in snapshot["funding_sources"]] == [
        (name, totals.commitment) for name, totals in dash.funnel
    ]
    goals = {g["code"]: (D(g["executed"]), D(g["planned"])) for g in snapshot["goals"]}
    # M1: 0.5·80 + 0.5·40 = 60 of 0.5·100 + 0.5·40 = 70; M2: A3 20 of 100
    assert goals == {"M1": (D(60), D(70)), "M2": (D(20), D(100))}


def test_a_report_cut_at_the_first_period_freezes_that_cut(example, planner):
    report = generate_report(new_report(example, planner, periods=[example["t1"]]).pk)
    # T1: executed 0.3·30 + 0.3·0 + 0.4·20 = 17; planned 0.3·50 + 0.3·20 + 0.4·50 = 41
    assert D(report.snapshot["total"]["executed"]) == D(17)
    assert D(report.snapshot["total"]["planned"]) == D(41)


def test_outputs_are_written_with_their_hashes(example, planner, media_root):
    report = generate_report(new_report(example, planner).pk)
    files = {f.name: f for f in report.files.all()}
    assert set(files) >= {"informe.html", "informe.json", "datapackage.json", "metas.csv"}
    for row in files.values():
        content = (media_root / row.file.name).read_bytes()
        assert row.size == len(content)
    html = (media_root / files["informe.html"].file.name).read_text()
    assert "Al corte, el plan lleva un avance de 44,00 %" in html
    metas = list(
        csv.DictReader(io.StringIO((media_root / files["metas.csv"].file.name).read_text()))
    )
    assert [(m["codigo"], D(m["avance_ejecutado"])) for m in metas] == [("M1", 60), ("M2", 20)]
    assert (
        json.loads((media_root / files["informe.json"].file.name).read_bytes()) == report.snapshot
    )


def test_generation_twice_keeps_one_set_of_files(example, planner, media_root):
    report = new_report(example, planner)
    generate_report_task.apply(args=[report.pk]).get()
    # A late duplicate delivery does nothing.
    assert generate_report_task.apply(args=[report.pk]).get() == Status.READY
    report.refresh_from_db()
    assert report.generation == 1
    assert report.files.count() == 12  # HTML, PDF, JSON, datapackage, 8 CSV
    assert sorted(p.name for p in (media_root / "reports" / str(report.pk)).iterdir()) == ["1"]


def test_a_failure_is_recorded_with_its_error_and_can_be_retried(example, planner, media_root):
    report = new_report(example, planner)
    report.periods.clear()  # generation needs a cut-off: it fails
    assert generate_report_task.apply(args=[report.pk]).get() == "failed"
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert "AttributeError" in report.error
    assert report.files.count() == 0


def test_published_files_never_change_with_the_live_data(example, planner, media_root):
    report = generate_report(new_report(example, planner).pk)
    report = publish_report(report, by=planner)
    before = {f.name: (media_root / f.file.name).read_bytes() for f in report.files.all()}
    a1, a2, _a3 = example["actions"]
    approved(a2, example["t1"], 10)
    a1.progress_reports.filter(period=example["t2"]).update(progress=D(100))
    report.refresh_from_db()
    after = {f.name: (media_root / f.file.name).read_bytes() for f in report.files.all()}
    assert after == before
    assert D(report.snapshot["total"]["executed"]) == D(44)
    assert report.snapshot == json.loads(before["informe.json"])


def test_dates_are_kept_as_iso_strings(example, planner):
    report = generate_report(new_report(example, planner).pk)
    assert report.snapshot["cutoff"]["end_date"] == datetime.date(2026, 6, 30).isoformat()


def test_the_data_package_passes_frictionless_validation(example, planner, media_root):
    report = generate_report(new_report(example, planner).pk)
    package = report.files.get(name="datapackage.json")
    path = media_root / package.file.name
    result = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    outcome = json.loads(result.stdout)
    assert [task["errors"] for task in outcome["tasks"]] == [[]] * 8
    assert outcome["valid"] is True
    descriptor = json.loads(path.read_bytes())
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    fields = descriptor["resources"][1]["schema"]["fields"]
    assert (fields[4]["name"], fields[4]["type"], fields[4]["title"]) == (
        "avance_ejecutado",
        "number",
        "Avance ejecutado (%)",
    )


def test_a_worker_killed_mid_task_is_redelivered_and_adds_nothing_twice(
    example, planner, media_root
):
    # What a worker killed after moving its files but before recording them leaves: the
    # report "generating" and a folder for the next generation that no row points to.
    report = new_report(example, planner)
    AccountabilityReport.objects.filter(pk=report.pk).update(status=Status.GENERATING)
    leftover = media_root / "reports" / str(report.pk) / "1"
    leftover.mkdir(parents=True)
    (leftover / "informe.html").write_bytes(b"a medias")
    # acks_late: the broker hands the same message to another worker.
    assert generate_report_task.apply(args=[report.pk]).get() == Status.READY
    report.refresh_from_db()
    assert report.generation == 1
    assert report.files.count() == 12
    html = report.files.get(name="informe.html")
    assert (media_root / html.file.name).read_bytes() != b"a medias"
    assert sorted(p.name for p in (media_root / "reports" / str(report.pk)).iterdir()) == ["1"]
    assert generate_report_task.app.tasks[generate_report_task.name].acks_late is True


@pytest.mark.parametrize("n_actions", [5, 15])
def test_the_snapshot_queries_do_not_grow_with_the_plan(db, n_actions, count_queries):
    plan = build_plan(n_actions, actions_per_goal=2)
    periods = list(plan.periods.order_by("start_date"))
    with count_queries() as queries:
        snapshot = report_snapshot(plan, periods)
    assert len(snapshot["goals"]) == -(-n_actions // 2) - 1  # one goal archived
    assert queries.count == SNAPSHOT_QUERIES


# The dashboard's queries at a cut (roll-up, groups, funnel, trend) plus the entity, the
# narratives and Control Interno's comments: the same for 5 and 15 actions.
SNAPSHOT_QUERIES = 16


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_generation_runs_on_a_real_worker(celery_worker_process, planner, settings):
    example = dashboard_example()
    report = new_report(example, planner)
    result = generate_report_task.delay(report.pk)
    assert result.get(timeout=120) == Status.READY
    report.refresh_from_db()
    assert (report.status, report.files.count()) == (Status.READY, 12)
    assert D(report.snapshot["total"]["executed"]) == D(44)
    # The worker wrote to the configured MEDIA_ROOT (it runs with the project's settings).
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "reports" / str(report.pk))
