"""Celery tasks of the accountability floor: thin wrappers, ids in → service → log."""

import logging

from celery import shared_task

from accountability.services import fail_report, generate_report

logger = logging.getLogger(__name__)


@shared_task(name="accountability.generate_report_task", acks_late=True)
def generate_report_task(report_id):
    """Generate a queued report. Late acknowledgement: a worker killed mid-task leaves the
    message to another worker, and the service makes the second run harmless. An
    exception marks the report failed with the error (the page offers a retry)."""
    try:
        report = generate_report(report_id)
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        fail_report(report_id, f"{type(exc).__name__}: {exc}")
        return "failed"
    logger.info("Report %s: %s", report_id, report.status)
    return report.status
