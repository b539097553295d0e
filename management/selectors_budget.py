"""Reads of the budget pages: allocations with their totals per execution stage.

Totals are computed in the database. Each stage is a correlated subquery rather than a
join with a SUM: the list filters join through many-valued relations (policies, Decreto
612 plans), and a join would repeat execution rows and inflate the sums.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch, Q, Subquery, Sum, Window
from django.db.models.functions import Coalesce

from management.models import BudgetAllocation, BudgetExecution
from management.selectors import HUNDRED, MONEY_FIELD, STAGES, ZERO, percent

STAGE_LABELS = dict(BudgetExecution.Stage.choices)


def _stage_total(stage):
    entries = (
        BudgetExecution.objects.filter(allocation=OuterRef("pk"), stage=stage)
        .order_by()
        .values("allocation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(entries, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def with_stage_totals(allocations):
    """Annotate allocations with ``cdp``, ``commitment``, ``obligation`` and ``payment``
    (cumulative sums, releases included; 0 without entries) and ``available``
    (apropiación − CDP: what is still free to be certified)."""
    allocations = allocations.annotate(**{stage: _stage_total(stage) for stage in STAGES})
    return allocations.annotate(available=F("appropriation") - F("cdp"))


def commitment_percent(allocation):
    """Compromisos as a percentage of the appropriation; None without appropriation."""
    if not allocation.appropriation:
        return None
    return percent(allocation.commitment / allocation.appropriation * HUNDRED)


def allocation_rows():
    """Allocations with their action (up to the plan), unit, source and stage totals."""
    return with_stage_totals(
        BudgetAllocation.objects.select_related(
            "action__unit", "action__goal__objective__plan", "source"
        ).order_by("action__goal__objective__plan_id", "action__code", "year", "rubro", "pk")
    )


def executions_with_running_totals():
    """Execution entries, oldest first, each with ``running_total``: the cumulative amount
    of its stage in its allocation up to and including that entry."""
    return (
        BudgetExecution.objects.select_related("created_by")
        .annotate(
            running_total=Window(
                Sum("amount"),
                partition_by=[F("allocation_id"), F("stage")],
                order_by=[F("date").asc(), F("pk").asc()],
            )
        )
        .order_by("date", "pk")
    )


@dataclass(frozen=True)
class BudgetTotals:
    """Totals of an action over all its allocations."""

    appropriation: Decimal
    cdp: Decimal
    commitment: Decimal
    obligation: Decimal
    payment: Decimal

    @property
    def available(self):
        return self.appropriation - self.cdp

    @property
    def commitment_percent(self):
        return commitment_percent(self)


def action_budget(action):
    """(allocations of the action with stage totals and their execution entries
    prefetched as ``entries``, BudgetTotals of the action). Three queries."""
    allocations = list(
        with_stage_totals(BudgetAllocation.objects.filter(action=action).select_related("source"))
        .prefetch_related(
            Prefetch("executions", queryset=executions_with_running_totals(), to_attr="entries")
        )
        .order_by("year", "rubro", "pk")
    )
    appropriation = BudgetAllocation.objects.filter(action=action).aggregate(
        total=Sum("appropriation", default=ZERO)
    )["total"]
    stages = BudgetExecution.objects.filter(allocation__action=action).aggregate(
        **{stage: Sum("amount", filter=Q(stage=stage), default=ZERO) for stage in STAGES}
    )
    return allocations, BudgetTotals(appropriation=appropriation, **stages)
