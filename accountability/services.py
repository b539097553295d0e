"""Every write of accountability reports: create, generate (run by the Celery task),
fail, publish, withdraw, and the hash chain they keep.

Generation is idempotent: the files of generation *n* are written to a temporary folder,
moved to ``reports/<id>/<n>/`` and recorded (rows, hashes, snapshot and status) in one
transaction; a retry after a crash rewrites the same folder, so it never adds files or
chain links. Each run is an ``attempt``: a run overtaken by a newer one (a redelivered
task, a retry after the report was failed as stale) stops at its next step and records
nothing. Only a draft's own unpublished files are ever replaced; published and
withdrawn reports are never generated again.
"""

import hashlib
import json
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import outputs
from accountability.models import AccountabilityReport, ReportFile
from accountability.selectors import previous_published, report_snapshot

Status = AccountabilityReport.Status
GENERATABLE = (Status.DRAFT, Status.QUEUED, Status.GENERATING, Status.READY, Status.FAILED)
RUNNING = (Status.QUEUED, Status.GENERATING)
REPORTS_DIR = "reports"
# snapshot, HTML, PDF, open data, data package, record
STEPS = 6


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_sha256(files, previous):
    """The hash of a report: its files' names and hashes and the previous link's hash."""
    manifest = {"files": sorted([name, sha] for name, sha in files), "previous": previous}
    return hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def create_report(*, plan, periods, kind, title, by):
    """A report in the queue (the caller enqueues ``generate_report_task``)."""
    periods = list(periods)
    if not periods:
        raise ValidationError({"periods": _("Elija al menos un periodo.")})
    if any(p.plan_id != plan.pk for p in periods):
        raise ValidationError({"periods": _("Los periodos deben ser del plan elegido.")})
    report = AccountabilityReport(
        plan=plan,
        kind=kind,
        title=title,
        created_by=by,
        status=Status.QUEUED,
        progressed_at=timezone.now(),
    )
    report.full_clean()
    report.save()
    report.periods.set(periods)
    return report


@transaction.atomic
def queue_generation(report, *, by):
    """Queue a draft (new, generated or failed) again; refused once published."""
    report = AccountabilityReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in GENERATABLE:
        raise ValidationError(_("Un informe publicado o retirado no se vuelve a generar."))
    report.status, report.error, report.steps_done = Status.QUEUED, "", 0
    report.progressed_at = timezone.now()
    report.save(update_fields=["status", "error", "steps_done", "progressed_at"])
    return report


class GenerationSuperseded(Exception):
    """This run of a report's generation was overtaken: the report was failed as stale,
    queued again or taken over by a newer run. It stops and records nothing."""


def _start(report_id):
    """Mark a queued (or abandoned generating) report as generating by a new attempt.
    Returns (report, attempt), attempt None when there is nothing to do."""
    with transaction.atomic():
        report = AccountabilityReport.objects.select_for_update().get(pk=report_id)
        if report.status not in RUNNING:
            return report, None
        report.status, report.steps_done, report.steps_total = Status.GENERATING, 0, STEPS
        report.error, report.attempt = "", report.attempt + 1
        report.progressed_at = timezone.now()
        report.save(
            update_fields=[
                "status",
                "steps_done",
                "steps_total",
                "error",
                "attempt",
                "progressed_at",
            ]
        )
    return report, report.attempt


def _step(report, attempt, done):
    """Record a step done (the heartbeat); stop when another run has taken over."""
    updated = AccountabilityReport.objects.filter(
        pk=report.pk, status=Status.GENERATING, attempt=attempt
    ).update(steps_done=done, progressed_at=timezone.now())
    if not updated:
        raise GenerationSuperseded(report.pk)


def generate_report(report_id):
    """Build the snapshot and the outputs of a queued report and record them. Returns the
    report; does nothing to a report that is not waiting for generation (a duplicate or
    late delivery of the task) and stops quietly when a newer run overtakes this one. An
    exception marks the report failed with the error (unless a newer run owns it) and is
    raised again."""
    report, attempt = _start(report_id)
    if attempt is None:
        return report
    try:
        return _generate(report, attempt)
    except GenerationSuperseded:
        return AccountabilityReport.objects.get(pk=report_id)
    except Exception as exc:
        fail_report(report_id, f"{type(exc).__name__}: {exc}", attempt=attempt)
        raise


def _generate(report, attempt):
    periods = list(report.periods.all())
    snapshot = report_snapshot(report.plan, periods, kind=report.kind, title=report.title)
    _step(report, attempt, 1)
    context = outputs.report_context(snapshot, kind_label=report.get_kind_display())
    files = {"informe.html": outputs.report_html(context)}
    _step(report, attempt, 2)
    files["informe.pdf"] = outputs.report_pdf(context)
    _step(report, attempt, 3)
    files["informe.json"] = outputs.snapshot_json(snapshot)
    for table in outputs.TABLES:
        files[f"{table.name}.csv"] = outputs.table_csv(table, snapshot)
    _step(report, attempt, 4)
    files["datapackage.json"] = outputs.datapackage(snapshot, name=f"informe-{report.pk}")
    _step(report, attempt, 5)
    return _record(report, attempt, snapshot, files)


MEDIA_TYPES = {
    ".html": "text/html",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".csv": "text/csv",
}


def _record(report, attempt, snapshot, files):
    """Write the files to a private temporary folder, then, holding the report's lock and
    only if this run still owns it, move them to ``reports/<id>/<generation>/`` and record
    rows, hashes, snapshot and status together. Two runs of the same report never share a
    folder: a run that lost the report removes only its own temporary folder."""
    root = Path(settings.MEDIA_ROOT)
    (root / REPORTS_DIR).mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root / REPORTS_DIR))
    try:
        for name, content in files.items():
            (staging / name).write_bytes(content)
        with transaction.atomic():
            report = AccountabilityReport.objects.select_for_update().get(pk=report.pk)
            if report.status != Status.GENERATING or report.attempt != attempt:
                return report
            generation = report.generation + 1
            folder = f"{REPORTS_DIR}/{report.pk}/{generation}"
            target = root / folder
            if target.exists():  # left by a crashed run: never recorded
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            staging.replace(target)
            old = list(report.files.values_list("file", flat=True))
            report.files.all().delete()
            rows = [
                ReportFile(
                    report=report,
                    name=name,
                    file=f"{folder}/{name}",
                    media_type=MEDIA_TYPES[Path(name).suffix],
                    sha256=hashlib.sha256(content).hexdigest(),
                    size=len(content),
                )
                for name, content in files.items()
            ]
            ReportFile.objects.bulk_create(rows)
            report.snapshot = snapshot
            report.generation = generation
            report.html_file = f"{folder}/informe.html"
            report.pdf_file = f"{folder}/informe.pdf"
            report.data_file = f"{folder}/datapackage.json"
            report.previous_sha256 = ""
            report.sha256 = manifest_sha256([(r.name, r.sha256) for r in rows], "")
            report.status, report.steps_done = Status.READY, STEPS
            report.generated_at = report.progressed_at = timezone.now()
            report.save()
            transaction.on_commit(lambda: _remove_folders(old))
        return report
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it was recorded


def _remove_folders(names):
    """Remove the folders of a draft's replaced generation (never a published one's)."""
    root = Path(settings.MEDIA_ROOT)
    for folder in {str(Path(name).parent) for name in names}:
        shutil.rmtree(root / folder, ignore_errors=True)


def fail_report(report_id, error, *, attempt=None):
    """Record a failed generation with its error; a retry starts it again. With
    ``attempt``, only if that run still owns the report."""
    with transaction.atomic():
        report = AccountabilityReport.objects.select_for_update().get(pk=report_id)
        if report.status not in RUNNING:
            return report
        if attempt is not None and report.attempt != attempt:
            return report
        report.status, report.error = Status.FAILED, error[:2000]
        report.save(update_fields=["status", "error"])
    return report


def fail_stale_reports(*, pks=None):
    """Fail the queued or generating reports (of ``pks``, or all) whose generation has not
    progressed for ``MIPG_REPORT_STALE_SECONDS``: the worker died and the broker did not
    hand the job to another. Their page then shows the error and the retry button; a run
    that was only slow notices at its next step and stops. Returns the failed reports."""
    seconds = settings.MIPG_REPORT_STALE_SECONDS
    limit = timezone.now() - timedelta(seconds=seconds)
    stale = Q(progressed_at__lt=limit) | Q(progressed_at__isnull=True, created_at__lt=limit)
    reports = AccountabilityReport.objects.filter(stale, status__in=RUNNING)
    if pks is not None:
        reports = reports.filter(pk__in=pks)
    failed = []
    with transaction.atomic():
        for report in reports.select_for_update().order_by("pk"):
            last = timezone.localtime(report.progressed_at or report.created_at)
            report.status = Status.FAILED
            report.error = _(
                "La generación se interrumpió: no avanza desde {time} (más de {minutes} "
                "minutos). El proceso que la hacía se detuvo; nada quedó publicado ni a "
                "medias. Use «Reintentar»."
            ).format(time=last.strftime("%Y-%m-%d %H:%M"), minutes=seconds // 60)
            report.save(update_fields=["status", "error"])
            failed.append(report)
    return failed


@transaction.atomic
def publish_report(report, *, by):
    """generated → published, linking it to the plan's previous published report."""
    if not by.has_perm("accountability.publish_accountabilityreport"):
        raise ValidationError(_("Solo Planeación o el Administrador publican informes."))
    # Lock the plan's reports so that two publications never share a previous link.
    list(AccountabilityReport.objects.select_for_update().filter(plan_id=report.plan_id))
    report = AccountabilityReport.objects.get(pk=report.pk)
    if report.status != Status.READY:
        raise ValidationError(_("Solo se publica un informe generado."))
    previous = previous_published(report)
    report.previous_sha256 = previous.sha256 if previous else ""
    report.sha256 = manifest_sha256(
        report.files.values_list("name", "sha256"), report.previous_sha256
    )
    report.status = Status.PUBLISHED
    report.published_at, report.published_by = timezone.now(), by
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def withdraw_report(report, *, reason, by):
    """published → withdrawn with its reason; the files, snapshot and chain link stay."""
    if not by.has_perm("accountability.publish_accountabilityreport"):
        raise ValidationError(_("Solo Planeación o el Administrador retiran informes."))
    report = AccountabilityReport.objects.select_for_update().get(pk=report.pk)
    if report.status != Status.PUBLISHED:
        raise ValidationError(_("Solo se retira un informe publicado."))
    if not reason.strip():
        raise ValidationError({"reason": _("Escriba el motivo del retiro.")})
    report.status, report.withdrawn_reason = Status.WITHDRAWN, reason.strip()
    report.withdrawn_at = timezone.now()
    report.full_clean()
    report.save()
    return report


def verify_reports():
    """[message] of every mismatch between the stored hashes and the files on disk, and
    of every broken link of the plans' chains; empty when all is well."""
    root = Path(settings.MEDIA_ROOT)
    problems = []
    reports = AccountabilityReport.objects.prefetch_related("files").order_by("pk")
    for report in reports:
        if report.status not in (Status.READY, Status.PUBLISHED, Status.WITHDRAWN):
            continue
        label = f"informe {report.pk} «{report.title}»"
        for row in report.files.all():
            path = root / row.file.name
            if not path.exists():
                problems.append(f"{label}: falta el archivo {row.file.name}")
            elif file_sha256(path) != row.sha256:
                problems.append(f"{label}: el archivo {row.file.name} no coincide con su SHA-256")
        files = [(r.name, r.sha256) for r in report.files.all()]
        if manifest_sha256(files, report.previous_sha256) != report.sha256:
            problems.append(f"{label}: el SHA-256 del informe no coincide con su manifiesto")
        if report.published_at is not None:
            previous = previous_published(report)
            expected = previous.sha256 if previous else ""
            if report.previous_sha256 != expected:
                problems.append(f"{label}: el enlace con el informe publicado anterior no coincide")
    return problems
