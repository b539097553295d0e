from django.core.management.base import BaseCommand

from mipg.core.roles import sync_roles


class Command(BaseCommand):
    help = "Crea los grupos de roles de MIPG y restablece sus permisos."

    def handle(self, *args, **options):
        sync_roles()
        self.stdout.write(self.style.SUCCESS("Roles sincronizados."))
