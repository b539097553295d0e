"""Every write of accountability reports: create, generate (run by the Celery task),
fail, publish, withdraw, and the hash chain they keep (checked by
accountability.verification); and of the citizen dialogue (questions, their moderation
and the commitments of the answers, at the end).

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
from accountability.models import AccountabilityReport, CitizenQuestion, Commitment, ReportFile
from accountability.selectors import forget_portal_state, previous_published, report_snapshot

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


def _for_update():
    """The reports locked for an update, without their snapshot (about 12 MB at 20,000
    actions): no status change reads it, and ``save()`` then writes the loaded fields
    only (or the snapshot when a generation assigned it)."""
    return AccountabilityReport.objects.select_for_update().defer("snapshot")


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
    report = _for_update().get(pk=report.pk)
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
        report = _for_update().get(pk=report_id)
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
            report = _for_update().get(pk=report.pk)
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
        report = _for_update().get(pk=report_id)
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
        for report in reports.select_for_update().defer("snapshot").order_by("pk"):
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
    list(_for_update().filter(plan_id=report.plan_id).values_list("pk", flat=True))
    report = AccountabilityReport.objects.defer("snapshot").get(pk=report.pk)
    if report.status != Status.READY:
        raise ValidationError(_("Solo se publica un informe generado."))
    previous = previous_published(report)
    report.previous_sha256 = previous.sha256 if previous else ""
    report.sha256 = manifest_sha256(
        report.files.values_list("name", "sha256"), report.previous_sha256
    )
    report.status = Status.PUBLISHED
    report.published_at, report.published_by = timezone.now(), by
    report.full_clean(exclude=["snapshot"])
    report.save()  # the loaded fields only: never the snapshot
    _portal_changed()
    return report


@transaction.atomic
def withdraw_report(report, *, reason, by):
    """published → withdrawn with its reason; the files, snapshot and chain link stay."""
    if not by.has_perm("accountability.publish_accountabilityreport"):
        raise ValidationError(_("Solo Planeación o el Administrador retiran informes."))
    report = _for_update().get(pk=report.pk)
    if report.status != Status.PUBLISHED:
        raise ValidationError(_("Solo se retira un informe publicado."))
    if not reason.strip():
        raise ValidationError({"reason": _("Escriba el motivo del retiro.")})
    report.status, report.withdrawn_reason = Status.WITHDRAWN, reason.strip()
    report.withdrawn_at = timezone.now()
    report.full_clean(exclude=["snapshot"])
    report.save()  # the loaded fields only: never the snapshot
    _portal_changed()
    return report


def _portal_changed():
    """The citizen portal shows something else: forget its cached state now and once the
    change is committed (a page built in between would have read the old state)."""
    forget_portal_state()
    transaction.on_commit(forget_portal_state)


# Citizen questions (MURC diálogo) and their commitments. Moderation is Planeación's and the
# Administrador's (the permission to change citizen questions); every change keeps its
# reason in the history.

Question = CitizenQuestion.Status
MODERATE = "accountability.change_citizenquestion"
ANSWERABLE = (Question.RECEIVED, Question.ANSWERED, Question.PUBLISHED)


def _require_moderator(by):
    if not (by.is_active and by.has_perm(MODERATE)):
        raise ValidationError(_("Solo Planeación o el Administrador moderan las preguntas."))


def question_topics(report):
    """[(code, label)] a citizen may ask about: the report's goals, then "General" ("")."""
    goals = (report.snapshot or {}).get("goals", [])
    return [(g["code"], g["name"]) for g in goals if g.get("code")] + [
        ("", str(CitizenQuestion.GENERAL_TOPIC))
    ]


@transaction.atomic
def submit_question(
    report, *, question, topic_code="", author_name="", author_email="", show_first_name=False
):
    """A citizen's question on a published report, received for moderation."""
    if report.status != Status.PUBLISHED:
        raise ValidationError(_("Solo se reciben preguntas sobre informes publicados."))
    topics = dict(question_topics(report))
    if topic_code not in topics:
        raise ValidationError({"topic": _("Elija un tema de la lista.")})
    row = CitizenQuestion(
        report=report,
        plan_id=report.plan_id,
        question=question.strip(),
        topic_code=topic_code,
        topic_label=topics[topic_code] if topic_code else "",
        author_name=author_name.strip(),
        author_email=author_email.strip(),
        show_first_name=bool(show_first_name and author_name.strip()),
    )
    row.full_clean()
    row._change_reason = "Pregunta recibida en el portal"
    row.save()
    return row


def _locked_question(question):
    return CitizenQuestion.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def answer_question(question, *, answer, by, publish=False, commitment=None):
    """Save the answer of a question (received, answered or already published); with
    ``publish`` it appears under its report. ``commitment``: an optional dict with
    ``description``, ``unit`` and ``due_date``, recorded with the answer."""
    _require_moderator(by)
    question = _locked_question(question)
    if question.status not in ANSWERABLE:
        raise ValidationError(_("Una pregunta rechazada o fusionada ya no se responde."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Escriba la respuesta.")})
    if answer != question.answer:
        question.answer, question.answered_at = answer, timezone.now()
    question.answered_by = by
    if publish:
        question.status = Question.PUBLISHED
    elif question.status == Question.RECEIVED:
        question.status = Question.ANSWERED
    question.full_clean()
    question._change_reason = "Respuesta publicada" if publish else "Respuesta guardada"
    question.save()
    if commitment:
        add_commitment(question, by=by, **commitment)
    _portal_changed()
    return question


@transaction.atomic
def reject_question(question, *, reason, by):
    """received/answered → rejected with its reason (kept for the staff, never public)."""
    _require_moderator(by)
    question = _locked_question(question)
    if question.status not in (Question.RECEIVED, Question.ANSWERED):
        raise ValidationError(_("Solo se rechaza una pregunta recibida o sin publicar."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Escriba el motivo del rechazo.")})
    question.status, question.rejection_reason = Question.REJECTED, reason
    question.full_clean()
    question._change_reason = f"Rechazada: {reason}"
    question.save()
    return question


@transaction.atomic
def merge_question(question, *, into, by):
    """Mark ``question`` a duplicate of ``into`` (same report): it is hidden from the
    portal and points to the original's answer; its own duplicates move to ``into``."""
    _require_moderator(by)
    question = _locked_question(question)
    into = _locked_question(into)
    if question.status not in (Question.RECEIVED, Question.ANSWERED):
        raise ValidationError(_("Solo se fusiona una pregunta recibida o sin publicar."))
    if into.pk == question.pk or into.report_id != question.report_id:
        raise ValidationError({"into": _("Elija otra pregunta del mismo informe.")})
    if into.status in (Question.REJECTED, Question.MERGED):
        raise ValidationError({"into": _("Elija una pregunta que no esté rechazada ni fusionada.")})
    if question.commitments.exists():
        raise ValidationError(_("Una pregunta con compromisos no se fusiona."))
    for duplicate in question.duplicates.select_for_update():
        duplicate.duplicate_of = into
        duplicate._change_reason = f"Fusionada con la pregunta {into.pk}"
        duplicate.save(update_fields=["duplicate_of"])
    question.status, question.duplicate_of = Question.MERGED, into
    question.full_clean()
    question._change_reason = f"Duplicada de la pregunta {into.pk}"
    question.save()
    return question


@transaction.atomic
def add_commitment(question, *, description, unit, due_date, by):
    """A commitment made in the answer of ``question``, pendiente."""
    _require_moderator(by)
    if question.status not in ANSWERABLE or question.report_id is None:
        raise ValidationError(_("Solo se registran compromisos en preguntas respondidas."))
    row = Commitment(
        question=question,
        report_id=question.report_id,
        unit=unit,
        description=description.strip(),
        due_date=due_date,
        created_by=by,
    )
    row.full_clean()
    row._change_reason = "Compromiso registrado en la respuesta"
    row.save()
    _portal_changed()
    return row


@transaction.atomic
def update_commitment(commitment, *, status, note, by):
    """Change a commitment's stored state (pendiente, en curso, cumplido) with a note that
    the history keeps."""
    _require_moderator(by)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if status not in Commitment.STORED_STATES:
        raise ValidationError({"status": _("Elija pendiente, en curso o cumplido.")})
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Escriba una nota sobre el avance.")})
    commitment.status = status
    commitment.full_clean()
    commitment._change_reason = note
    commitment.save()
    _portal_changed()
    return commitment
