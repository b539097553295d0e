"""Celery tasks of the shared layer: thin wrappers, ids in → selector/service → log."""

import logging
from collections import Counter

from celery import shared_task

from mipg.integrity import integrity_report
from planning.models import StrategicPlan

logger = logging.getLogger(__name__)


@shared_task(name="mipg.integrity_report_task")
def integrity_report_task(plan_id):
    """Count the integrity findings of a plan by kind (used by scheduled checks)."""
    plan = StrategicPlan.objects.get(pk=plan_id)
    counts = dict(Counter(finding.kind for finding in integrity_report(plan)))
    logger.info("Integrity report for plan %s: %s", plan_id, counts)
    return counts
