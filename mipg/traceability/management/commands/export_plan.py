"""`manage.py export_plan --plan ID FILE`: write a plan in the Plan de Acción layout (the
same workbook as its page's "Exportar Plan de Acción")."""

import shutil

from django.core.management.base import BaseCommand, CommandError

from mipg.traceability.spreadsheet.export import write_plan
from planning.models import StrategicPlan


class Command(BaseCommand):
    help = "Exporta un plan al formato del Plan de Acción (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", type=int, required=True)

    def handle(self, *args, file, plan, **options):
        found = StrategicPlan.objects.filter(pk=plan).first()
        if found is None:
            raise CommandError(f"No existe el plan {plan}.")
        with write_plan(found) as source, open(file, "wb") as target:
            shutil.copyfileobj(source, target)
        self.stdout.write(f"Plan «{found.name}» exportado a {file}.")
