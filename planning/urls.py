from django.urls import path  # noqa: F401

from planning.views import items, periods, plans, schedules

app_name = "planning"


def _tree_item_urls(kind, prefix, child_prefix, parent_prefix, new_word):
    """create (under the parent), edit, delete, archive, unarchive and reorder of one
    level of the plan tree; ``kind`` is "objective", "goal" or "action"."""
    own = {"kind": kind}
    return [
        path(
            f"{parent_prefix}/<int:parent_pk>/{child_prefix}/{new_word}/",
            items.item_create,
            own,
            name=f"{kind}-create",
        ),
        path(f"{prefix}/<int:pk>/editar/", items.item_edit, own, name=f"{kind}-edit"),
        path(f"{prefix}/<int:pk>/eliminar/", items.item_delete, own, name=f"{kind}-delete"),
        path(f"{prefix}/<int:pk>/archivar/", items.item_archive, own, name=f"{kind}-archive"),
        path(
            f"{prefix}/<int:pk>/desarchivar/", items.item_unarchive, own, name=f"{kind}-unarchive"
        ),
        path(f"{prefix}/<int:pk>/mover/", items.item_reorder, own, name=f"{kind}-reorder"),
    ]


urlpatterns = [
    # Plans and their periods. The plan list, the plan workspace (tree), the goal and
    # action pages, the integrity report, the action list and the ratings show figures of
    # later apps: they join this URL area from mipg.traceability.urls and management.urls.
    # So does the plan's approval, refused while the integrity report has errors.
    path("planes/nuevo/", plans.plan_create, name="plan-create"),
    path("planes/<int:pk>/editar/", plans.plan_edit, name="plan-edit"),
    path("planes/<int:pk>/cerrar/", plans.plan_close, name="plan-close"),
    path("planes/<int:pk>/versiones/", plans.plan_versions, name="plan-versions"),
    path("planes/<int:pk>/periodos/", periods.period_list, name="period-list"),
    path("planes/<int:pk>/periodos/nuevo/", periods.period_create, name="period-create"),
    path("planes/<int:pk>/periodos/trimestres/", periods.period_quarters, name="period-quarters"),
    path("periodos/<int:pk>/cerrar/", periods.period_lock, name="period-lock"),
    path("periodos/<int:pk>/abrir/", periods.period_unlock, name="period-unlock"),
    *_tree_item_urls("objective", "objetivos", "objetivos", "planes", "nuevo"),
    *_tree_item_urls("goal", "metas", "metas", "objetivos", "nueva"),
    *_tree_item_urls("action", "actividades", "actividades", "metas", "nueva"),
    path(
        "actividades/<int:pk>/programacion/",
        schedules.action_schedule_edit,
        name="action-schedule",
    ),
]
