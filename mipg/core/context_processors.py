from mipg.core import roles


def navigation(request):
    """Role flags for the navigation bar (the server checks permissions on every view)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    names = (
        set(user.groups.values_list("name", flat=True))
        if not user.is_superuser
        else set(roles.ROLES)
    )
    return {
        "nav": {
            "is_admin": user.is_superuser or roles.ADMINISTRADOR in names,
            "is_planning": roles.PLANEACION in names or user.is_superuser,
            "is_responsible": roles.RESPONSABLE in names,
            "is_director": roles.DIRECTIVO in names,
            "is_auditor": roles.CONTROL_INTERNO in names,
            "roles": sorted(names),
        }
    }
