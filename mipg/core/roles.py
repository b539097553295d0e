"""The application roles (shared/domain/MIPG.md §7) as auth groups and their permissions.

Authorisation checks in `mipg.core.permissions` combine these permissions with unit membership.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

# The unapproved figures and the evidence of every unit: Planeación, Directivo and Control
# Interno; a Responsable sees only their own units'.
from mipg.core.permissions import SEE_ALL_FIGURES

ADMINISTRADOR = "Administrador"
PLANEACION = "Planeación"
RESPONSABLE = "Responsable"
DIRECTIVO = "Directivo"
CONTROL_INTERNO = "Control Interno"
ROLES = [ADMINISTRADOR, PLANEACION, RESPONSABLE, DIRECTIVO, CONTROL_INTERNO]

# Models whose "view" permission every internal role has.
INTERNAL_MODELS = [
    "mipg.dimension",
    "mipg.policy",
    "mipg.institutionalplan",
    "mipg.unit",
    "mipg.entity",
    "planning.strategicplan",
    "planning.objective",
    "planning.goal",
    "planning.action",
    "planning.reportingperiod",
    "planning.actionrating",
    "management.fundingsource",
    "management.budgetallocation",
    "management.budgetexecution",
    "management.budgetmodification",
    "management.progressreport",
    "management.progressevidence",
    "evaluation.indicator",
    "evaluation.indicatortarget",
    "evaluation.measurement",
    "evaluation.measurementevidence",
    "accountability.accountabilityreport",
    "accountability.citizenquestion",
]


def _crud(model, actions=("add", "change", "delete", "view")):
    app, name = model.split(".")
    return [f"{app}.{action}_{name}" for action in actions]


def _view_all():
    return [perm for model in INTERNAL_MODELS for perm in _crud(model, ("view",))]


ROLE_PERMISSIONS = {
    # Administrador gets every permission (see sync_roles).
    ADMINISTRADOR: None,
    PLANEACION: sorted(
        set(
            _view_all()
            + _crud("planning.strategicplan")
            + _crud("planning.objective")
            + _crud("planning.goal")
            + _crud("planning.action")
            + _crud("planning.reportingperiod")
            + _crud("management.budgetallocation")
            + _crud("management.budgetexecution")
            + _crud("management.budgetmodification")
            + _crud("evaluation.indicator")
            + _crud("evaluation.indicatortarget")
            + _crud("accountability.accountabilityreport")
            + _crud("accountability.citizenquestion")
            + [
                "management.change_progressreport",
                "management.review_progressreport",
                "evaluation.change_measurement",
                "evaluation.review_measurement",
                "accountability.publish_accountabilityreport",
                SEE_ALL_FIGURES,
            ]
        )
    ),
    RESPONSABLE: sorted(
        set(
            _view_all()
            + _crud("management.progressreport", ("add", "change"))
            + _crud("management.progressevidence", ("add", "delete"))
            + _crud("evaluation.measurement", ("add", "change"))
            + _crud("evaluation.measurementevidence", ("add", "delete"))
            + ["management.submit_progressreport", "evaluation.submit_measurement"]
        )
    ),
    DIRECTIVO: sorted(set(_view_all() + ["planning.approve_strategicplan", SEE_ALL_FIGURES])),
    CONTROL_INTERNO: sorted(
        set(
            _view_all()
            + _crud("planning.actionrating", ("add", "change"))
            + ["planning.rate_action", SEE_ALL_FIGURES]
        )
    ),
}


def sync_roles(apps=None, *, strict=True):
    """Create the role groups and set their permissions. Idempotent.

    `apps` is the migration app registry when called from a migration; there, permissions
    of models that do not exist yet at that point of the history are skipped.
    """
    registry = apps or global_apps
    for app_config in registry.get_app_configs():
        if apps is not None:
            # Migration registries leave models_module unset, which create_permissions
            # reads as "no models here".
            app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=registry)

    Group = registry.get_model("auth", "Group")
    Permission = registry.get_model("auth", "Permission")
    all_permissions = Permission.objects.select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in all_permissions}
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        if names is None:
            group.permissions.set(list(by_name.values()))
            continue
        missing = sorted(set(names) - set(by_name))
        if missing and strict:
            raise LookupError(f"Role {role!r} names unknown permissions: {missing}")
        group.permissions.set([by_name[name] for name in names if name in by_name])
