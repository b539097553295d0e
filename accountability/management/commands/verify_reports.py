"""``manage.py verify_reports``: recompute the SHA-256 of every report file and every link
of the plans' hash chains; exit non-zero naming each mismatch. The portal's verify page
runs the same checks (accountability.verification)."""

from django.core.management.base import BaseCommand, CommandError

from accountability.verification import verify_reports


class Command(BaseCommand):
    help = "Verifica los SHA-256 de los archivos de los informes y la cadena de publicación."

    def handle(self, *args, **options):
        problems = [line for check in verify_reports() for line in check.problems()]
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} discrepancia(s) en los informes.")
        self.stdout.write("Informes verificados: todo coincide.")
