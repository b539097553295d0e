from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MipgConfig(AppConfig):
    name = "mipg"
    verbose_name = _("Marco MIPG")
