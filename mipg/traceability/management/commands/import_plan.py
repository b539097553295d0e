"""`manage.py import_plan FILE --plan ID --user USERNAME [--dry-run]`: import a Plan de
Acción workbook into a plan as that user (Planeación or Administrador), all or nothing,
through the same services and rules as the page. On problems nothing is saved, they are
listed and the exit status is 1; ``--errors FILE`` also writes the error workbook."""

import os
import shutil

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from mipg.core.models import User
from mipg.traceability.spreadsheet.errors import problem_text, write_error_workbook
from mipg.traceability.spreadsheet.importer import KINDS, import_plan
from planning.models import StrategicPlan


class Command(BaseCommand):
    help = "Importa un Plan de Acción (.xlsx) a un plan: todo o nada."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", type=int, required=True)
        parser.add_argument("--user", required=True, help="Usuario de Planeación o Administrador.")
        parser.add_argument("--dry-run", action="store_true", help="Solo muestra lo que haría.")
        parser.add_argument("--errors", help="Dónde escribir el libro con los errores marcados.")

    def handle(self, *args, file, plan, user, dry_run, errors, **options):
        found = StrategicPlan.objects.filter(pk=plan).first()
        if found is None:
            raise CommandError(f"No existe el plan {plan}.")
        by = User.objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"No existe el usuario {user!r}.")
        if not os.path.exists(file):
            raise CommandError(f"No existe el archivo {file}.")
        try:
            outcome = import_plan(
                found, file, by=by, filename=os.path.basename(file), commit=not dry_run
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        for kind in KINDS:
            counts = outcome.counts[kind]
            if counts:
                self.stdout.write(
                    f"{kind}: {counts['created']} creados, {counts['updated']} actualizados, "
                    f"{counts['unchanged']} sin cambios"
                )
        if outcome.ok:
            verb = "se importaría" if dry_run else "importado"
            self.stdout.write(f"{outcome.rows} filas: {verb}.")
            return
        for problem in outcome.problems:
            where = f"Fila {problem.row}: " if problem.row else ""
            self.stderr.write(where + problem_text(outcome, problem))
        if errors and any(problem.row for problem in outcome.problems):
            with write_error_workbook(file, outcome) as source, open(errors, "wb") as target:
                shutil.copyfileobj(source, target)
        raise CommandError(f"No se guardó nada: {len(outcome.problems)} problemas.")
