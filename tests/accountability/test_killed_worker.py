"""A real Celery worker killed (SIGKILL) in the middle of a report's generation, on Redis
and PostgreSQL (skipped on SQLite with inline Celery; required in CI's PostgreSQL stage).

The worker (tests/accountability/report_worker.py) stalls while building the PDF; the test
kills it there. The message was never acknowledged (acks_late), so once its Redis
visibility timeout passes, a new worker takes it again and finishes the report with exactly
one set of files. If instead the job is lost, the stale check fails the report and a retry
writes one set of files: the second test."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accountability.models import AccountabilityReport
from accountability.services import create_report, fail_stale_reports, queue_generation
from accountability.tasks import generate_report_task
from tests.builders import dashboard_example

Status = AccountabilityReport.Status
# Deadlines, not sleeps: on an idle machine each test takes about 30 s (two worker start-ups
# and one generation); a loaded shared machine can need twice that.
WAIT = 90
ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker_env(celery_worker_env, tmp_path, settings):
    """The workers write the reports into this test's MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path
    return {**celery_worker_env, "MEDIA_ROOT": str(tmp_path)}


@pytest.fixture
def start_worker(worker_env):
    queue = f"pytest-killed-{os.getpid()}-{time.monotonic_ns()}"
    started = []

    def start(*, stall=False):
        command = [sys.executable, "-m", "tests.accountability.report_worker", queue]
        worker = subprocess.Popen(
            [*command, *(["--stall"] if stall else [])], env=worker_env, cwd=ROOT
        )
        started.append(worker)
        return worker

    start.queue = queue
    yield start
    for worker in started:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=20)


def new_report(planner):
    example = dashboard_example()
    return create_report(
        plan=example["plan"],
        periods=[example["t1"], example["t2"]],
        kind=AccountabilityReport.Kind.ACCOUNTABILITY,
        title="Rendición de cuentas 2026-I",
        by=planner,
    )


def wait_for(report, condition, *, seconds, worker):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        report.refresh_from_db()
        if condition(report):
            return report
        if worker.poll() is not None and worker.returncode != -signal.SIGKILL:
            pytest.fail(f"the worker exited with code {worker.returncode}")
        time.sleep(0.3)
    pytest.fail(f"after {seconds} s: {report.status}, {report.steps_done} steps, {report.error}")


def killed_at_the_pdf(start_worker, planner):
    """A report whose worker was killed while building the PDF (after the HTML: step 2)."""
    report = new_report(planner)
    first = start_worker(stall=True)
    generate_report_task.apply_async(args=[report.pk], queue=start_worker.queue)
    report = wait_for(report, lambda r: r.steps_done == 2, seconds=WAIT, worker=first)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    assert (report.status, report.attempt, report.files.count()) == (Status.GENERATING, 1, 0)
    return report


def one_set_of_files(report, media_root):
    assert (report.status, report.generation) == (Status.READY, 1)
    assert report.files.count() == 12  # HTML, PDF, JSON, datapackage, 8 CSV
    assert sorted(p.name for p in (media_root / "reports").iterdir()) == [str(report.pk)]
    assert sorted(p.name for p in (media_root / "reports" / str(report.pk)).iterdir()) == ["1"]
    pdf = report.files.get(name="informe.pdf")
    assert (media_root / pdf.file.name).read_bytes()[:5] == b"%PDF-"


def test_a_killed_worker_s_job_is_redelivered_and_finished_once(start_worker, planner, settings):
    report = killed_at_the_pdf(start_worker, planner)
    second = start_worker()
    # Redelivered after the visibility timeout: a second attempt finishes the report.
    report = wait_for(report, lambda r: r.status == Status.READY, seconds=WAIT, worker=second)
    assert report.attempt == 2
    one_set_of_files(report, Path(settings.MEDIA_ROOT))


def test_a_killed_worker_s_lost_job_is_failed_as_stale_and_retried_once(
    start_worker, planner, settings
):
    report = killed_at_the_pdf(start_worker, planner)
    # No worker takes the job back in time: the stale check fails it.
    settings.MIPG_REPORT_STALE_SECONDS = 0
    assert [r.pk for r in fail_stale_reports()] == [report.pk]
    report.refresh_from_db()
    assert report.status == Status.FAILED
    assert report.error.startswith("La generación se interrumpió")
    # The retry, and the redelivered old message after it, make one set of files.
    queue_generation(report, by=planner)
    generate_report_task.apply_async(args=[report.pk], queue=start_worker.queue)
    second = start_worker()
    report = wait_for(report, lambda r: r.status == Status.READY, seconds=WAIT, worker=second)
    time.sleep(AFTER_REDELIVERY)
    report.refresh_from_db()
    assert report.attempt == 2  # the late duplicate did nothing
    one_set_of_files(report, Path(settings.MEDIA_ROOT))


# Long enough for the killed worker's message to come back (visibility timeout and sweep)
# and be handled as a late duplicate.
AFTER_REDELIVERY = 8
