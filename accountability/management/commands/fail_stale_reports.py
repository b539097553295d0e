"""``manage.py fail_stale_reports``: mark failed the reports whose generation stopped
progressing for MIPG_REPORT_STALE_SECONDS (a dead worker), so that they can be retried.
Celery beat runs the same service every five minutes; this is for a cron or by hand."""

from django.core.management.base import BaseCommand

from accountability.services import fail_stale_reports


class Command(BaseCommand):
    help = "Marca como fallidos los informes cuya generación dejó de avanzar."

    def handle(self, *args, **options):
        failed = fail_stale_reports()
        for report in failed:
            self.stdout.write(f"informe {report.pk} «{report.title}»: generación interrumpida")
        self.stdout.write(f"{len(failed)} informe(s) marcados como fallidos.")
