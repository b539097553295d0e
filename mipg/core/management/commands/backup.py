from django.core.management.base import BaseCommand, CommandError

from mipg.core.backup import BackupError, create_backup


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
        try:
            manifest = create_backup(options["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Copia guardada en {options['output']}: base de datos {manifest['engine']} "
                f"y {len(manifest['media'])} archivos."
            )
        )
