"""`manage.py create_api_token USERNAME [--name NAME]`: create a personal API token and
print its key (once) — for scripts and the CI fuzzing run; people use /cuenta/tokens/."""

from django.core.management.base import BaseCommand, CommandError

from mipg.core.api.tokens import create_api_token
from mipg.core.models import User


class Command(BaseCommand):
    help = "Crea un token de API para un usuario e imprime la clave (solo esta vez)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Línea de comandos")

    def handle(self, *args, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No existe el usuario {username!r}.")
        _token, key = create_api_token(user, name=name, by=user)
        self.stdout.write(key)
