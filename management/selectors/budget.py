"""Budget reads: apropiación inicial, its modifications, the apropiación definitiva and the
cumulative execution stages (CDP, compromiso, obligación, pago) as one BudgetTotals, for an
allocation, an action, the budget pages and the financial progress (ejecución presupuestal)
of a plan, computed in the database.

On the budget pages each stage is a correlated subquery rather than a join with a SUM: the
list filters join through many-valued relations (policies, Decreto 612 plans), and a join
would repeat execution rows and inflate the sums. Archived objectives, goals and actions —
and everything under an archived node — are left out of the financial progress.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce

from management.models import (
    BudgetAllocation,
    BudgetExecution,
    BudgetModification,
)
from management.selectors.physical import HUNDRED, ZERO, TreeRollup, decimal_or_zero, percent
from planning.selectors import live_items

MONEY_FIELD = DecimalField(max_digits=18, decimal_places=2)
STAGES = tuple(BudgetExecution.Stage.values)


# --- Budget totals --------------------------------------------------------------------

AMOUNTS = ("appropriation", "modifications", *STAGES)
STAGE_LABELS = dict(BudgetExecution.Stage.choices)


@dataclass(frozen=True, kw_only=True)
class BudgetTotals:
    """Apropiación inicial (``appropriation``), the net sum of its modifications
    (adiciones − reducciones + créditos − contracréditos), and the cumulative amount of each
    execution stage (releases, i.e. negative entries, included) of an allocation, an action
    or a node of the plan. Percentages and the available balance are of the apropiación
    definitiva, and percentages are ``None`` without it ("sin presupuesto")."""

    appropriation: Decimal = ZERO
    modifications: Decimal = ZERO
    cdp: Decimal = ZERO
    commitment: Decimal = ZERO
    obligation: Decimal = ZERO
    payment: Decimal = ZERO

    @classmethod
    def of(cls, allocation):
        """The totals of an allocation annotated by ``with_stage_totals``."""
        return cls(**{name: getattr(allocation, name) for name in AMOUNTS})

    @classmethod
    def sum(cls, items):
        """The totals of ``items`` (BudgetTotals or annotated allocations) added up, in one
        pass (a plan's roll-up adds up tens of thousands of them)."""
        appropriation = modifications = cdp = commitment = obligation = payment = ZERO
        for item in items:
            appropriation += item.appropriation
            modifications += item.modifications
            cdp += item.cdp
            commitment += item.commitment
            obligation += item.obligation
            payment += item.payment
        return cls.of_amounts(appropriation, modifications, cdp, commitment, obligation, payment)

    @classmethod
    def of_amounts(cls, appropriation, modifications, cdp, commitment, obligation, payment):
        """The totals of the amounts given in the order of AMOUNTS."""
        return cls(
            appropriation=appropriation,
            modifications=modifications,
            cdp=cdp,
            commitment=commitment,
            obligation=obligation,
            payment=payment,
        )

    def amounts(self):
        return {
            "appropriation": self.appropriation,
            "modifications": self.modifications,
            "cdp": self.cdp,
            "commitment": self.commitment,
            "obligation": self.obligation,
            "payment": self.payment,
        }

    @property
    def initial(self):
        """Apropiación inicial."""
        return self.appropriation

    @property
    def definitive(self):
        """Apropiación definitiva = inicial + adiciones − reducciones + créditos −
        contracréditos."""
        return self.appropriation + self.modifications

    @property
    def has_budget(self):
        return self.definitive != 0

    @property
    def available(self):
        """Apropiación definitiva − CDP: what is still free to be certified."""
        return self.definitive - self.cdp

    def ratio(self, amount):
        """``amount`` as a percentage of the apropiación definitiva; None without it."""
        if not self.definitive:
            return None
        return amount / self.definitive * HUNDRED

    @property
    def cdp_pct(self):
        return self.ratio(self.cdp)

    @property
    def commitment_pct(self):
        return self.ratio(self.commitment)

    @property
    def obligation_pct(self):
        return self.ratio(self.obligation)

    @property
    def payment_pct(self):
        return self.ratio(self.payment)

    @property
    def commitment_percent(self):
        """``commitment_pct`` rounded for display."""
        return percent(self.commitment_pct)


EMPTY_TOTALS = BudgetTotals()


@dataclass(frozen=True, kw_only=True)
class AllocationTotals(BudgetTotals):
    """The totals of one allocation, kept with it."""

    allocation: object


def _stage_total(stage):
    entries = (
        BudgetExecution.objects.filter(allocation=OuterRef("pk"), stage=stage)
        .order_by()
        .values("allocation")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(entries, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD)


def signed_modification_amount():
    """A modification's amount with its sign on the apropiación definitiva."""
    return Case(
        When(kind__in=BudgetModification.DECREASING, then=-F("amount")),
        default=F("amount"),
        output_field=MONEY_FIELD,
    )


def _modifications_total():
    modifications = (
        BudgetModification.objects.filter(allocation=OuterRef("pk"))
        .order_by()
        .values("allocation")
        .annotate(total=Sum(signed_modification_amount()))
        .values("total")
    )
    return Coalesce(
        Subquery(modifications, output_field=MONEY_FIELD), ZERO, output_field=MONEY_FIELD
    )


def with_stage_totals(allocations):
    """Annotate allocations with ``modifications`` (their net sum, 0 without any),
    ``definitive`` (apropiación definitiva), ``cdp``, ``commitment``, ``obligation`` and
    ``payment`` (cumulative sums, releases included; 0 without entries) and ``available``
    (apropiación definitiva − CDP: what is still free to be certified)."""
    allocations = allocations.annotate(
        modifications=_modifications_total(),
        **{stage: _stage_total(stage) for stage in STAGES},
    )
    return allocations.annotate(definitive=F("appropriation") + F("modifications")).annotate(
        available=F("definitive") - F("cdp")
    )


def commitment_percent(allocation):
    """Compromisos of an annotated allocation as a percentage of its apropiación
    definitiva, rounded; None without it."""
    return BudgetTotals.of(allocation).commitment_percent


def allocation_totals(allocation, *, without=None):
    """BudgetTotals of ``allocation`` as it stands in memory (its appropriation may be an
    unsaved edit) with its recorded modifications and the stage sums of its recorded
    entries, optionally leaving one entry or modification (``without``) out. Two queries."""
    entries = allocation.executions.all()
    modifications = allocation.budget_modifications.all()
    if isinstance(without, BudgetExecution):
        entries = entries.exclude(pk=without.pk)
    elif isinstance(without, BudgetModification):
        modifications = modifications.exclude(pk=without.pk)
    stages = entries.aggregate(
        **{stage: Sum("amount", filter=Q(stage=stage), default=ZERO) for stage in STAGES}
    )
    net = modifications.aggregate(total=Sum(signed_modification_amount(), default=ZERO))["total"]
    return BudgetTotals(appropriation=allocation.appropriation, modifications=net, **stages)


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


def _allocations_of(action):
    return with_stage_totals(action.allocations.select_related("source")).order_by(
        "year", "rubro", "pk"
    )


def action_allocations_with_entries(action):
    """(allocations of ``action`` with stage totals, their execution entries, with running
    totals, prefetched as ``entries`` and their modifications as ``modification_list``;
    BudgetTotals of the action). Three queries."""
    allocations = list(
        _allocations_of(action).prefetch_related(
            Prefetch("executions", queryset=executions_with_running_totals(), to_attr="entries"),
            Prefetch(
                "budget_modifications",
                queryset=BudgetModification.objects.select_related("created_by"),
                to_attr="modification_list",
            ),
        )
    )
    return allocations, BudgetTotals.sum(allocations)


def action_budget_lines(action):
    """(one AllocationTotals per allocation of ``action``, BudgetTotals of the action), in
    one query."""
    lines = [
        AllocationTotals(allocation=allocation, **BudgetTotals.of(allocation).amounts())
        for allocation in _allocations_of(action)
    ]
    return lines, BudgetTotals.sum(lines)


# --- Financial progress ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NodeFinance(BudgetTotals):
    """Budget of one node of the plan tree."""

    id: int
    code: str
    name: str
    parent_id: int | None = None


@dataclass(frozen=True)
class FinancialProgress(TreeRollup):
    """The budget roll-up of a plan (NodeFinance nodes). ``by_source``: {(action id, source
    id): BudgetTotals} and ``source_names`` {source id: name}, for the budget funnel of any
    set of the actions (None when not computed)."""

    year: int | None = None
    by_source: dict | None = None
    source_names: dict | None = None


def _tree_skeleton(plan, tree, objective=None):
    """(objectives, goals, actions) of the live tree of `plan` (or of the branch of its
    `objective`) as (id, code, name, parent id) rows in tree order: from `tree` (a
    TreeRollup whose nodes carry them, no query) or three queries."""
    if tree is not None:
        return tuple(
            [(n.id, n.code, n.name, n.parent_id) for n in nodes.values()]
            for nodes in (tree.objectives, tree.goals, tree.actions)
        )
    # only what a node keeps: a 20,000-action plan builds no full Action instances here
    fields = ("pk", "code", "name")
    objectives, goals, actions = live_items(plan, objective)
    return (
        [(*row, plan.pk) for row in objectives.values_list(*fields)],
        list(goals.values_list(*fields, "objective_id")),
        list(actions.in_tree_order().values_list(*fields, "goal_id")),
    )


def _nodes(items, totals_of):
    """{id: NodeFinance} of the (id, code, name, parent id) ``items``, each with the
    BudgetTotals ``totals_of(id)``."""
    return {
        pk: NodeFinance(id=pk, code=code, name=name, parent_id=parent_id, **totals_of(pk).amounts())
        for pk, code, name, parent_id in items
    }


def _parent_nodes(items, children):
    """NodeFinance of each of ``items`` with the summed amounts of its ``children``."""
    by_parent = defaultdict(list)
    for child in children.values():
        by_parent[child.parent_id].append(child)
    return _nodes(items, lambda pk: BudgetTotals.sum(by_parent[pk]))


def totals_by(allocations, key, *, names=None):
    """{value of `key`: BudgetTotals} of `allocations` grouped by `key`, a field of the
    allocation ("action_id", "source_id") or a tuple of them (then keyed by tuples of
    their values). Three queries: appropriations, modifications and executions (one
    conditional sum per stage) grouped apart, since joining them would repeat each
    appropriation once per execution entry. `names`: (a field that depends on `key`, a
    dict to fill with key → that field), read with the appropriations."""
    keys = (key,) if isinstance(key, str) else tuple(key)
    through = [f"allocation__{k}" for k in keys]
    label, labels = names or (keys[0], {})

    def key_of(row):
        return row[0] if len(keys) == 1 else tuple(row[: len(keys)])

    # key → its amounts in the order of AMOUNTS, filled as the rows come (a plan's budget
    # by action and source has tens of thousands of keys: one list each, no merge)
    amounts_of = {}
    for row in (
        allocations.order_by()
        .values(*keys, label)
        .annotate(total=Sum("appropriation"))
        .values_list(*keys, label, "total")
    ):
        value = key_of(row)
        amounts_of[value] = [decimal_or_zero(row[-1]), ZERO, ZERO, ZERO, ZERO, ZERO]
        labels[value] = row[-2]
    # The modifications and the execution stages in one query: (kind, *key, amounts), the
    # net modification in the first amount.
    none = {f"no_{stage}": Value(None, output_field=MONEY_FIELD) for stage in STAGES[1:]}
    modified = (
        BudgetModification.objects.filter(allocation__in=allocations)
        .order_by()
        .values(*through)
        .annotate(total=Sum(signed_modification_amount()), kind=Value("m"), **none)
        .values_list("kind", *through, "total", *none)
    )
    executed = (
        BudgetExecution.objects.filter(allocation__in=allocations)
        .order_by()
        .values(*through)
        .annotate(
            kind=Value("e"),
            **{stage: Sum("amount", filter=Q(stage=stage), default=0) for stage in STAGES},
        )
        .values_list("kind", *through, *STAGES)
    )
    no_amounts = [ZERO] * len(AMOUNTS)
    for row in modified.union(executed, all=True):
        value, figures = key_of(row[1:]), row[1 + len(keys) :]
        # every key has an appropriation row (the same allocations); an empty one if not
        amounts = amounts_of.get(value) or amounts_of.setdefault(value, no_amounts.copy())
        if row[0] == "m":
            amounts[1] = decimal_or_zero(figures[0])
        else:
            amounts[2:] = map(decimal_or_zero, figures)
    return {value: BudgetTotals.of_amounts(*amounts) for value, amounts in amounts_of.items()}


def by_source(totals, names):
    """[(source name, BudgetTotals)] by source name from {source id: BudgetTotals}."""
    return sorted(
        ((names.get(pk, ""), value) for pk, value in totals.items()), key=lambda row: row[0]
    )


def budget_by_source(actions, *, year=None):
    """[(source name, BudgetTotals)] of the live allocations of `actions` (a queryset), by
    source name: the budget funnel apropiación → CDP → compromiso → obligación → pago per
    funding source. Three queries (``totals_by``, the names come with the appropriations)."""
    allocations = BudgetAllocation.objects.live().filter(action__in=actions)
    if year is not None:
        allocations = allocations.filter(year=year)
    names = {}
    return by_source(totals_by(allocations, "source_id", names=("source__name", names)), names)


def plan_financial_progress(
    plan, *, year=None, tree=None, actions=True, sources=False, objective=None
):
    """Apropiación (inicial, modifications, definitiva) and execution per action, goal,
    objective and plan.

    ``year`` limits to the allocations of that vigencia (and their modifications and
    executions, those of year + 1 included: reservas and cuentas por pagar). ``tree``: the
    plan's PhysicalProgress (or any TreeRollup) when the caller has it, for the nodes'
    ids, codes, names and parents. Three queries whatever the size (six without ``tree``:
    objectives, goals and actions first): appropriations, modifications and executions
    grouped by action and funding source (``totals_by``). With ``actions=False``: no
    action nodes, the goals' totals grouped by goal in the database (the same sums); with
    ``sources=True`` as well, the totals by action and source are still read (``by_source``,
    for the dashboard's groups and funnel) and the goals' totals added up from them (the
    goal of each action from ``tree.action_rows``). ``objective``: the branch of that
    objective alone (``tree``, when given, must be that branch's).
    """
    objectives, goals, action_items = _tree_skeleton(plan, tree, objective)
    allocations = BudgetAllocation.objects.live().filter(action__goal__objective__plan=plan)
    if objective is not None:
        allocations = allocations.filter(action__goal__objective=objective)
    if year is not None:
        allocations = allocations.filter(year=year)
    pairs = source_names = None
    action_nodes = {}
    if actions or sources:
        names = {}
        pairs = totals_by(allocations, ("action_id", "source_id"), names=("source__name", names))
        source_names = {source_id: name for (_action_id, source_id), name in names.items()}
    if actions:
        by_action = defaultdict(list)
        for (action_id, _source_id), totals in pairs.items():
            by_action[action_id].append(totals)
        action_nodes = _nodes(action_items, lambda pk: BudgetTotals.sum(by_action.get(pk, ())))
        goal_nodes = _parent_nodes(goals, action_nodes)
    elif sources:
        goal_of = {row.id: row.goal_id for row in tree.action_rows}
        by_goal = defaultdict(list)
        for (action_id, _source_id), totals in pairs.items():
            if action_id in goal_of:
                by_goal[goal_of[action_id]].append(totals)
        goal_nodes = _nodes(goals, lambda pk: BudgetTotals.sum(by_goal.get(pk, ())))
    else:
        by_goal = totals_by(allocations, "action__goal_id")
        goal_nodes = _nodes(goals, lambda pk: by_goal.get(pk, EMPTY_TOTALS))
    objective_nodes = _parent_nodes(objectives, goal_nodes)
    plan_node = NodeFinance(
        id=plan.pk, code="", name=plan.name, **BudgetTotals.sum(objective_nodes.values()).amounts()
    )
    return FinancialProgress(
        plan_node, objective_nodes, goal_nodes, action_nodes, year, pairs, source_names
    )


def plans_financial_progress(trees, *, year=None):
    """{plan id: FinancialProgress} of several plans without action nodes, from their
    PhysicalProgress `trees` ({plan id: tree}, ``plans_physical_progress``): the figures of
    ``plan_financial_progress(plan, year=year, tree=tree, actions=False)`` in two queries
    whatever the number of plans (goal ids are unique across plans)."""
    if not trees:
        return {}
    allocations = BudgetAllocation.objects.live().filter(
        action__goal__objective__plan__in=list(trees)
    )
    if year is not None:
        allocations = allocations.filter(year=year)
    by_goal = totals_by(allocations, "action__goal_id")
    return {plan_id: _financial_tree(tree, by_goal, year) for plan_id, tree in trees.items()}


def _financial_tree(tree, by_goal, year):
    """FinancialProgress of the plan of `tree` (a TreeRollup) without action nodes, from
    the goals' totals."""
    objectives, goals, _actions = _tree_skeleton(None, tree)
    goal_nodes = _nodes(goals, lambda pk: by_goal.get(pk, EMPTY_TOTALS))
    objective_nodes = _parent_nodes(objectives, goal_nodes)
    plan_node = NodeFinance(
        id=tree.plan.id,
        code="",
        name=tree.plan.name,
        **BudgetTotals.sum(objective_nodes.values()).amounts(),
    )
    return FinancialProgress(plan_node, objective_nodes, goal_nodes, {}, year, None, None)
