"""Writes of the planning app: plans, the objective → goal → action tree, reporting periods
and control interno's ratings.

Every write to a plan's content first locks the plan row (then the item), so writes inside
one plan are serialised: the sibling-weight rule (non-archived siblings sum at most 100)
and the period-overlap rule cannot be broken by two concurrent requests, and a plan being
closed cannot receive edits. Lock order everywhere: plan → tree items.

Services refresh the instance they are given (under the lock) and return it.
"""

from planning.services.periods import (  # noqa: F401
    create_period,
    create_quarterly_periods,
    lock_period,
    rate_action,
    unlock_period,
)
from planning.services.plans import (  # noqa: F401
    approve_plan,
    close_plan,
    create_plan,
    update_plan,
)
from planning.services.schedules import (  # noqa: F401
    clear_action_schedule,
    set_action_schedule,
)
from planning.services.tree import (  # noqa: F401
    archive_action,
    archive_goal,
    archive_objective,
    create_action,
    create_goal,
    create_objective,
    delete_action,
    delete_goal,
    delete_objective,
    reorder_children,
    unarchive_action,
    unarchive_goal,
    unarchive_objective,
    update_action,
    update_goal,
    update_objective,
)
