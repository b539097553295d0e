"""A generation whose worker died (accountability.services.fail_stale_reports): after
MIPG_REPORT_STALE_SECONDS without progress the report is failed with the error and the
retry button, on the page, by the command and by the periodic task; a retry, and a slow
run that comes back after being overtaken, never add files or chain links."""

import datetime
import io

import pytest
from celery.schedules import crontab
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accountability import outputs
from accountability.models import AccountabilityReport
from accountability.services import (
    _record,
    create_report,
    fail_stale_reports,
    generate_report,
    queue_generation,
)
from accountability.tasks import fail_stale_reports_task
from tests.builders import dashboard_example

Status = AccountabilityReport.Status
STALE_SECONDS = 900


@pytest.fixture(autouse=True)
def _stale_after(settings):
    settings.MIPG_REPORT_STALE_SECONDS = STALE_SECONDS
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def example(db, media_root):
    return dashboard_example()


def new_report(example, by):
    return create_report(
        plan=example["plan"],
        periods=[example["t1"], example["t2"]],
        kind=AccountabilityReport.Kind.ACCOUNTABILITY,
        title="Rendición de cuentas 2026-I",
        by=by,
    )


def stalled(report, *, seconds, status=Status.GENERATING, steps=2):
    """The report as a worker that died ``seconds`` ago, at ``steps``, leaves it."""
    AccountabilityReport.objects.filter(pk=report.pk).update(
        status=status,
        steps_done=steps,
        steps_total=6,
        attempt=1,
        progressed_at=timezone.now() - datetime.timedelta(seconds=seconds),
    )
    report.refresh_from_db()
    return report


def test_create_and_queue_record_the_heartbeat(example, planner):
    before = timezone.now()
    report = new_report(example, planner)
    assert report.progressed_at >= before
    stalled(report, seconds=5000, status=Status.FAILED)
    report = queue_generation(report, by=planner)
    assert (report.status, report.progressed_at >= before) == (Status.QUEUED, True)


def test_generation_moves_the_heartbeat_and_counts_the_attempt(example, planner):
    report = new_report(example, planner)
    queued_at = report.progressed_at
    report = generate_report(report.pk)
    assert (report.status, report.attempt) == (Status.READY, 1)
    assert report.progressed_at > queued_at


def test_a_report_without_progress_past_the_limit_is_failed(example, planner):
    report = stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    failed = fail_stale_reports()
    report.refresh_from_db()
    assert [r.pk for r in failed] == [report.pk]
    assert report.status == Status.FAILED
    assert report.error.startswith("La generación se interrumpió: no avanza desde ")
    assert "(más de 15 minutos)" in report.error
    assert report.history.first().status == Status.FAILED  # recorded in the history


def test_a_report_within_the_limit_keeps_generating(example, planner):
    report = stalled(new_report(example, planner), seconds=STALE_SECONDS - 60)
    assert fail_stale_reports() == []
    report.refresh_from_db()
    assert (report.status, report.error) == (Status.GENERATING, "")


def test_a_queued_report_never_picked_up_is_failed_too(example, planner):
    # The broker lost the message: queued for longer than the limit.
    report = stalled(new_report(example, planner), seconds=STALE_SECONDS + 1, status="queued")
    fail_stale_reports()
    report.refresh_from_db()
    assert report.status == Status.FAILED


def test_a_report_from_before_the_heartbeat_uses_its_creation_time(example, planner):
    report = new_report(example, planner)
    old = timezone.now() - datetime.timedelta(seconds=STALE_SECONDS + 1)
    AccountabilityReport.objects.filter(pk=report.pk).update(
        progressed_at=None, created_at=old, status=Status.GENERATING
    )
    fail_stale_reports()
    report.refresh_from_db()
    assert report.status == Status.FAILED


def test_ready_and_published_reports_are_never_failed(example, planner):
    report = generate_report(new_report(example, planner).pk)
    AccountabilityReport.objects.filter(pk=report.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(days=30)
    )
    assert fail_stale_reports() == []
    report.refresh_from_db()
    assert report.status == Status.READY


def test_only_the_reports_asked_for_are_failed(example, planner):
    first = stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    second = stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    assert [r.pk for r in fail_stale_reports(pks=[second.pk])] == [second.pk]
    first.refresh_from_db()
    assert first.status == Status.GENERATING


def test_the_page_of_a_stalled_report_shows_it_failed_with_the_retry_button(
    client, planner, example
):
    report = stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    client.force_login(planner)
    response = client.get(report.get_absolute_url())
    page = response.content.decode()
    assert '<dd class="col-sm-9" id="estado"><strong>Falló</strong></dd>' in page
    assert "La generación se interrumpió: no avanza desde" in page
    assert f'action="{reverse("accountability:report-retry", args=[report.pk])}"' in page
    assert response.context["refresh_seconds"] is None


def test_the_page_of_a_report_still_progressing_keeps_refreshing(client, planner, example):
    report = stalled(new_report(example, planner), seconds=30)
    client.force_login(planner)
    response = client.get(report.get_absolute_url())
    assert response.context["refresh_seconds"] == 3
    assert response.context["report"].status == Status.GENERATING


def test_a_retry_after_a_stalled_run_writes_one_set_of_files(
    client, planner, example, media_root, django_capture_on_commit_callbacks
):
    report = stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    # The dead worker had moved its files for generation 1 but not recorded them.
    leftover = media_root / "reports" / str(report.pk) / "1"
    leftover.mkdir(parents=True)
    (leftover / "informe.html").write_bytes(b"a medias")
    fail_stale_reports()
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accountability:report-retry", args=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.generation, report.attempt) == (Status.READY, 1, 2)
    assert report.files.count() == 12
    assert sorted(p.name for p in (media_root / "reports" / str(report.pk)).iterdir()) == ["1"]
    assert [p.name for p in (media_root / "reports").iterdir()] == [str(report.pk)]
    html = report.files.get(name="informe.html")
    assert (media_root / html.file.name).read_bytes() != b"a medias"


def test_a_slow_run_overtaken_by_a_retry_records_nothing(example, planner, media_root, monkeypatch):
    """The worker was only slow: while it builds the PDF, the report is failed as stale,
    retried and generated by another run. The slow run then stops at its next step."""
    report = new_report(example, planner)
    real_pdf = outputs.report_pdf
    calls = []

    def pdf_while_overtaken(context):
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            AccountabilityReport.objects.filter(pk=report.pk).update(
                progressed_at=timezone.now() - datetime.timedelta(seconds=STALE_SECONDS + 1)
            )
            fail_stale_reports()
            queue_generation(report, by=planner)
            assert generate_report(report.pk).status == Status.READY
        return real_pdf(context)

    monkeypatch.setattr(outputs, "report_pdf", pdf_while_overtaken)
    result = generate_report(report.pk)
    assert calls == [1, 2]
    assert (result.status, result.generation, result.attempt) == (Status.READY, 1, 2)
    assert result.files.count() == 12
    assert sorted(p.name for p in (media_root / "reports").iterdir()) == [str(report.pk)]
    assert sorted(p.name for p in (media_root / "reports" / str(report.pk)).iterdir()) == ["1"]


def test_a_run_overtaken_while_recording_leaves_no_folder(example, planner, media_root):
    """A run that reaches the end after a newer one recorded the report removes only its
    own temporary folder, never the recorded one."""
    report = generate_report(new_report(example, planner).pk)
    recorded = sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*"))
    # A stale run (attempt 1 of a report now at attempt 2) tries to record.
    AccountabilityReport.objects.filter(pk=report.pk).update(status=Status.GENERATING, attempt=2)
    result = _record(report, 1, report.snapshot, {"informe.html": b"otro"})
    assert (result.status, result.generation) == (Status.GENERATING, 1)
    assert sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*")) == recorded


def test_the_command_and_the_periodic_task_fail_stalled_reports(example, planner):
    first = stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    out = io.StringIO()
    call_command("fail_stale_reports", stdout=out)
    assert out.getvalue().splitlines() == [
        f"informe {first.pk} «Rendición de cuentas 2026-I»: generación interrumpida",
        "1 informe(s) marcados como fallidos.",
    ]
    stalled(new_report(example, planner), seconds=STALE_SECONDS + 5)
    assert fail_stale_reports_task.apply().get() == 1
    assert AccountabilityReport.objects.filter(status=Status.FAILED).count() == 2


def test_celery_beat_fails_stalled_reports_every_five_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["fail-stale-reports"]
    assert entry["task"] == fail_stale_reports_task.name == "accountability.fail_stale_reports_task"
    assert entry["schedule"] == crontab(minute="*/5")
