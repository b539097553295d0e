"""Celery tasks of the accountability floor: thin wrappers, ids in → service → log."""

import logging

from celery import shared_task

from accountability.services import fail_stale_reports, generate_report

logger = logging.getLogger(__name__)


@shared_task(name="accountability.generate_report_task", acks_late=True)
def generate_report_task(report_id):
    """Generate a queued report. Late acknowledgement: a worker killed mid-task leaves the
    message to another worker, and the service makes the second run harmless. An
    exception marks the report failed with the error (the page offers a retry)."""
    try:
        report = generate_report(report_id)
    except Exception:
        logger.exception("Report %s failed", report_id)
        return "failed"
    logger.info("Report %s: %s", report_id, report.status)
    return report.status


@shared_task(name="accountability.fail_stale_reports_task")
def fail_stale_reports_task():
    """Fail the reports whose generation stopped progressing (run every few minutes)."""
    failed = fail_stale_reports()
    for report in failed:
        logger.warning("Report %s: generation stalled, marked failed", report.pk)
    return len(failed)
