"""Celery tasks of the management app: thin wrappers around services."""

from celery import shared_task

from management.reminders import send_report_reminders


@shared_task(name="management.send_report_reminders_task")
def send_report_reminders_task():
    """E-mail each Responsable the overdue reports of their units (scheduled daily)."""
    return send_report_reminders()
