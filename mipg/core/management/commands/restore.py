from django.core.management.base import BaseCommand

from mipg.core.backup import restore_backup, summary


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
        manifest = restore_backup(options["source"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Copia del {manifest['created_at']} restaurada: {summary(manifest)}."
            )
        )
