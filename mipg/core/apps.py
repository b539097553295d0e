from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor. Its models keep the app label ``mipg`` they were created with."""

    name = "mipg.core"
    label = "mipg"
    verbose_name = _("Marco MIPG")


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of `mipg.core.sites` (Administrador only). Named
    in INSTALLED_APPS; `default = False` keeps CoreConfig the config of ``mipg.core``."""

    default = False
    default_site = "mipg.core.sites.AdminSite"
