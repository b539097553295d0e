"""The historical path of ``mipg.core.roles``: migrations 0003 and 0005 of the ``mipg`` app
import ``sync_roles`` by this name, and landed migrations are never edited."""

from mipg.core.roles import sync_roles

__all__ = ["sync_roles"]
