"""Imports of large files queued to Celery (confirm step, more rows than the setting
IMPORT_QUEUE_ROWS): the ImportJob row (mipg.core) records how far the import got, so its
page shows it. Progress is the rows read, written as the file is read (outside the import's
transaction, so another request sees it); then "saving" while the import's one transaction
runs; then the result, or the problems and the error workbook. All or nothing still holds:
the task runs the same import_plan.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from mipg.core.models import ImportJob
from mipg.traceability.spreadsheet import uploads
from mipg.traceability.spreadsheet.errors import problem_text, write_error_workbook
from mipg.traceability.spreadsheet.importer import import_plan
from planning.models import StrategicPlan

logger = logging.getLogger(__name__)
PROBLEMS_KEPT = 200  # problems listed on the job's page; the error workbook has them all


def queue_import(plan, data, *, by):
    """The job of importing the stored upload ``data`` (uploads.load) into ``plan`` as
    ``by``; the caller enqueues import_plan_task with its id."""
    return ImportJob.objects.create(
        user=by,
        plan_id=plan.pk,
        filename=data["filename"],
        stored_name=data["name"],
        total=data.get("rows", 0),
    )


def run_import_job(job_id):
    """Run the import of job ``job_id`` and record its result; returns the job."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.finished:
        return job  # a task delivered twice (acks late) does not import twice
    plan = StrategicPlan.objects.get(pk=job.plan_id)
    _set(job, status=ImportJob.Status.READING, done=0)

    def progress(step, done):
        if step == "read":
            _set(job, done=done)
        else:
            _set(job, status=ImportJob.Status.SAVING, done=done, total=done)

    if not default_storage.exists(job.stored_name):
        _fail(job, _("El archivo ya no está disponible; súbalo de nuevo."))
        return job
    try:
        with default_storage.open(job.stored_name, "rb") as source:
            outcome = import_plan(
                plan, source, by=job.user, filename=job.filename, commit=True, progress=progress
            )
    except PermissionDenied as exc:
        _fail(job, str(exc))
        return job
    except Exception:
        # Not left "reading" for ever (its page would refresh for ever); the worker logs it.
        _fail(job, _("La importación falló por un error interno; no se guardó nada."))
        raise
    result = {
        "counts": {kind: dict(counts) for kind, counts in outcome.counts.items()},
        "problems": [
            {"row": problem.row, "text": problem_text(outcome, problem)}
            for problem in outcome.problems[:PROBLEMS_KEPT]
        ],
        "problem_count": len(outcome.problems),
        "rows": outcome.rows,
    }
    if outcome.committed:
        _finish(job, ImportJob.Status.DONE, result)
    else:
        result["errors_token"] = _error_workbook(job, plan, outcome)
        _finish(job, ImportJob.Status.FAILED, result)
    default_storage.delete(job.stored_name)
    logger.info("Import job %s of plan %s: %s", job.pk, plan.pk, job.status)
    return job


def _error_workbook(job, plan, outcome):
    """The token of the error workbook, or "" when no problem is in a row."""
    if not any(problem.row is not None for problem in outcome.problems):
        return ""
    with default_storage.open(job.stored_name, "rb") as source:
        error_file = write_error_workbook(source, outcome)
    name = f"errores-{job.filename}"
    return uploads.store(error_file, plan=plan, user=job.user, filename=name)


def _fail(job, message):
    _finish(job, ImportJob.Status.FAILED, {"problems": [{"row": None, "text": message}]})


def _set(job, **fields):
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _finish(job, status, result):
    _set(job, status=status, result=result, finished_at=timezone.now())
