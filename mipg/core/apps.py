from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor. Its models keep the app label ``mipg`` they were created with."""

    name = "mipg.core"
    label = "mipg"
    verbose_name = _("Marco MIPG")
