from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project wiring, installed only so that ``seed_demo`` and ``seed_scale`` are found.
    It has no models; its label leaves ``mipg`` to the ground floor (``mipg.core``)."""

    name = "mipg"
    label = "mipg_site"
    verbose_name = "MIPG"
