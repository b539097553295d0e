"""The roll-up of a plan for dashboards, the plan tree and the API: ``plan_rollup`` (one
plan, ``plan``) and ``strategic_rollup`` (a plan served by others, ``strategic``);
``rollup_of`` picks the right one."""

from mipg.traceability.rollup.plan import (
    NodeSemaforo,
    PlanRollup,
    plan_rollup,
    plan_rollups,
    tree_semaforo,
)
from mipg.traceability.rollup.strategic import (
    rollup_of,
    rollups_of,
    strategic_rollup,
    with_serving_flag,
)

__all__ = [
    "NodeSemaforo",
    "PlanRollup",
    "plan_rollup",
    "plan_rollups",
    "rollup_of",
    "rollups_of",
    "strategic_rollup",
    "tree_semaforo",
    "with_serving_flag",
]
