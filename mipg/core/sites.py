"""The admin site, open to the Administrador role only (MIPG.md §7)."""

from django.contrib import admin

from mipg.core import roles


class AdminSite(admin.AdminSite):
    """Django's admin site, entered by active staff users who are superusers or hold the
    Administrador role. Staff of other roles (Planeación works in the staff pages) get the
    admin login page, as anonymous users do."""

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (
            user.is_superuser or user.groups.filter(name=roles.ADMINISTRADOR).exists()
        )
