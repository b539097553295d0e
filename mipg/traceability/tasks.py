"""Celery tasks of the traceability floor: thin wrappers, ids in → selector/service → log.
Task names are kept from before the floors were drawn, so scheduled beats keep working."""

import logging
from collections import Counter

from celery import shared_task

from mipg.traceability.integrity import integrity_report
from mipg.traceability.reminders import send_report_reminders
from mipg.traceability.spreadsheet.jobs import run_import_job
from planning.models import StrategicPlan

logger = logging.getLogger(__name__)


@shared_task(name="mipg.integrity_report_task")
def integrity_report_task(plan_id):
    """Count the integrity findings of a plan by kind (used by scheduled checks)."""
    plan = StrategicPlan.objects.get(pk=plan_id)
    counts = dict(Counter(finding.kind for finding in integrity_report(plan)))
    logger.info("Integrity report for plan %s: %s", plan_id, counts)
    return counts


@shared_task(name="management.send_report_reminders_task")
def send_report_reminders_task():
    """E-mail each Responsable the overdue reports of their units (scheduled daily)."""
    return send_report_reminders()


@shared_task(name="mipg.traceability.import_plan_task")
def import_plan_task(job_id):
    """Import the file of an ImportJob (a large Plan de Acción workbook), recording its
    progress and result on the job."""
    return run_import_job(job_id).status
