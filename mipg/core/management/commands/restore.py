from django.core.management.base import BaseCommand, CommandError

from mipg.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restaura una copia hecha con «manage.py backup» en una base de datos vacía (nueva, o "
        "vaciada con «manage.py flush») del mismo motor y en una MEDIA_ROOT vacía. Comprueba "
        "la huella SHA-256 de cada archivo antes de escribir. Después, ejecute «manage.py "
        "migrate» si el código es más reciente que la copia."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Carpeta de la copia.")

    def handle(self, *args, **options):
        try:
            manifest = restore_backup(options["source"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Copia del {manifest['created_at']} restaurada: base de datos "
                f"{manifest['engine']} y {len(manifest['media'])} archivos."
            )
        )
