"""Who may call what. Reads: the public endpoints answer everybody with the public subset
of their data (see `ApiViewSet.public_queryset`); every other read needs an internal user,
i.e. one whose role can view the model. Writes: an authenticated user whose role has the
permission the action names in `write_perms`; the services then check everything again,
unit membership included (a Responsable only reports for the units they belong to)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


def view_perm(model):
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


def is_internal(user, model):
    """Internal users read everything of `model`; the rest only its public subset."""
    return bool(user and user.is_authenticated and user.has_perm(view_perm(model)))


class ApiPermission(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if request.method in SAFE_METHODS:
            if view.action in getattr(view, "public_actions", ()):
                return True
            return is_internal(user, view.queryset.model)
        if not (user and user.is_authenticated):
            return False
        perm = getattr(view, "write_perms", {}).get(view.action)
        return perm is not None and user.has_perm(perm)
