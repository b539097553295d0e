from django.core.management.base import BaseCommand

from mipg.core.backup import create_backup, summary


class Command(BaseCommand):
    help = (
        "Guarda una copia de seguridad completa en una carpeta nueva o vacía: la base de datos "
        "(pg_dump en PostgreSQL, copia en línea en SQLite) y todos los archivos de MEDIA_ROOT "
        "(evidencias e informes), con la huella SHA-256 de cada uno en manifest.json. "
        "Se restaura con «manage.py restore CARPETA»."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Carpeta de la copia (nueva o vacía).")

    def handle(self, *args, **options):
        manifest = create_backup(options["output"])
        self.stdout.write(
            self.style.SUCCESS(f"Copia guardada en {options['output']}: {summary(manifest)}.")
        )
