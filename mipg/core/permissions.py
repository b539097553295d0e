"""Authorisation rules by role and unit, shared by services, HTML views and the API.

Roles grant Django permissions (see `mipg.core.roles`); reporting rights are further limited to
the units a user belongs to. Superusers pass every check.

Who sees reported figures (progress reports, measurements) and their evidence: the roles with
`SEE_ALL_FIGURES` (Planeación, Directivo, Control Interno) see everything; the others (a
Responsable) see the figures of their own units in every state and other units' figures only
once approved, and the evidence of their own units only. The querysets of the figures and
their evidence apply it (`visible_to`, mipg.core.models); `sees_unit_work` is the same rule
for one unit.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def unit_ids(user):
    """Ids of the units the user belongs to, cached on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_mipg_unit_ids", None)
    if cached is None:
        cached = frozenset(user.units.values_list("pk", flat=True))
        user._mipg_unit_ids = cached
    return cached


SEE_ALL_FIGURES = "mipg.view_all_figures"


def sees_all_figures(user):
    """Whether ``user`` sees every unit's figures in every state, and their evidence."""
    return bool(user is not None and user.is_active and user.has_perm(SEE_ALL_FIGURES))


def sees_unit_work(user, unit_id):
    """Whether ``user`` sees the unapproved figures, the review steps and the evidence of
    the unit ``unit_id``."""
    return sees_all_figures(user) or belongs_to_unit(user, unit_id)


def belongs_to_unit(user, unit_id):
    return user.is_superuser or (unit_id is not None and unit_id in unit_ids(user))


def can_report(user, *, unit_id, perm):
    """A first-line user may report figures for items of their own units only."""
    return user.is_active and user.has_perm(perm) and belongs_to_unit(user, unit_id)


def require(allowed, message=None):
    """Raise PermissionDenied with a Spanish message unless `allowed` is true."""
    if not allowed:
        raise PermissionDenied(message or _("No tiene permiso para realizar esta acción."))


def require_perm(user, perm, message=None):
    require(user is not None and user.is_active and user.has_perm(perm), message)
