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
    CharField,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf

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


# The budget of a plan's actions grouped as a dashboard groups them across the tree:
# by (objective, unit, funding source) and by (Decreto 612 plan, objective, unit, source).
CELL = ("action__goal__objective_id", "action__unit_id", "source_id")
PLAN_CELL = ("action__institutional_plans", *CELL)


@dataclass(frozen=True)
class FinancialProgress(TreeRollup):
    """The budget roll-up of a plan (NodeFinance nodes). ``cells``: {(objective id, unit
    id, source id): BudgetTotals}, ``plan_cells``: {(Decreto 612 plan id, objective id,
    unit id, source id): BudgetTotals} (an action counts in each of its plans) and
    ``source_names`` {source id: name}, for the groups and the budget funnel of any set of
    the actions that the cells add up to (None when not computed)."""

    year: int | None = None
    cells: dict | None = None
    plan_cells: dict | None = None
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
    their values). `names`: (a field that depends on `key`, a dict to fill with key → that
    field), read with the appropriations. Two queries (``totals_by_groups``)."""
    return totals_by_groups([(allocations, key, names)])[0]


def totals_by_groups(groupings):
    """[{key: BudgetTotals}] of each grouping (allocations, key, names) of `groupings`, in
    its order: the allocations' totals grouped by `key` (as in ``totals_by``: a field or a
    path from the allocation such as "action__goal_id", or a tuple of them) with their
    `names` (None, or as in ``totals_by``). Two queries whatever their number: the
    appropriations of every grouping united in one; their modifications and execution
    stages (one conditional sum per stage) in the other, grouped apart from the
    appropriations, since joining them would repeat each appropriation once per entry.
    A queryset of allocations that joins a many-valued relation counts each allocation
    once per value: group by that value (a Decreto 612 plan) or filter with a subquery."""
    width = max(len(_keys(key)) for _allocations, key, _names in groupings)
    appropriations, changes = [], []
    none = {f"no_{stage}": Value(None, output_field=MONEY_FIELD) for stage in STAGES[1:]}
    for index, (allocations, key, names) in enumerate(groupings):
        keys = _keys(key)
        # every grouping's rows as wide as the widest: its keys, then empty ones, typed
        # (NULLIF(0, 0): PostgreSQL takes a bare NULL in a union's first part for text)
        padding = {f"no_key_{i}": NullIf(Value(0), Value(0)) for i in range(len(keys), width)}
        tag = {"grouping": Value(index, output_field=IntegerField()), **padding}
        label = {} if names else {"no_label": Value(None, output_field=CharField())}
        appropriations.append(
            allocations.order_by()
            .values(*keys, *([names[0]] if names else []))
            .annotate(total=Sum("appropriation"), **tag, **label)
            .values_list("grouping", *keys, *padding, names[0] if names else "no_label", "total")
        )
        # (kind, grouping, *key, amounts): the net modification in the first amount. The
        # modifications (few) found by their allocations; the execution entries (many) read
        # from the allocations joined to them: one join path, not a second one to find the
        # allocations again.
        through = [f"allocation__{k}" for k in keys]
        changes.append(
            BudgetModification.objects.filter(allocation__in=allocations)
            .order_by()
            .values(*through)
            .annotate(total=Sum(signed_modification_amount()), kind=Value("m"), **tag, **none)
            .values_list("kind", "grouping", *through, *padding, "total", *none)
        )
        changes.append(
            allocations.order_by()
            .values(*keys)
            .annotate(
                kind=Value("e"),
                **tag,
                **{
                    stage: Sum("executions__amount", filter=Q(executions__stage=stage), default=0)
                    for stage in STAGES
                },
            )
            .values_list("kind", "grouping", *keys, *padding, *STAGES)
        )

    def key_of(grouping, row):
        """The key of a grouping's row (its key columns, without the empty ones)."""
        size = sizes[grouping]
        return row[0] if size == 1 else tuple(row[:size])

    sizes = [len(_keys(key)) for _allocations, key, _names in groupings]
    labels = [names[1] if names else None for _allocations, _key, names in groupings]
    # per grouping, key → its amounts in the order of AMOUNTS, filled as the rows come (a
    # plan's budget by action and source has tens of thousands of keys: one list each)
    amounts_of = [{} for _ in groupings]
    for grouping, *row in _united(appropriations):
        value = key_of(grouping, row)
        amounts_of[grouping][value] = [decimal_or_zero(row[-1]), ZERO, ZERO, ZERO, ZERO, ZERO]
        if labels[grouping] is not None:
            labels[grouping][value] = row[-2]
    no_amounts = [ZERO] * len(AMOUNTS)
    for kind, grouping, *row in _united(changes):
        value, figures = key_of(grouping, row), row[width:]
        # every key has an appropriation row (the same allocations); an empty one if not
        found = amounts_of[grouping]
        amounts = found.get(value) or found.setdefault(value, no_amounts.copy())
        if kind == "m":
            amounts[1] = decimal_or_zero(figures[0])
        else:
            amounts[2:] = map(decimal_or_zero, figures)
    return [
        {value: BudgetTotals.of_amounts(*amounts) for value, amounts in found.items()}
        for found in amounts_of
    ]


def _keys(key):
    return (key,) if isinstance(key, str) else tuple(key)


def _united(querysets):
    first, *others = querysets
    return first.union(*others, all=True) if others else first


def by_source(totals, names):
    """[(source name, BudgetTotals)] by source name from {source id: BudgetTotals}."""
    return sorted(
        ((names.get(pk, ""), value) for pk, value in totals.items()), key=lambda row: row[0]
    )


def budget_by_source(actions, *, year=None):
    """[(source name, BudgetTotals)] of the live allocations of `actions` (a queryset), by
    source name: the budget funnel apropiación → CDP → compromiso → obligación → pago per
    funding source. Two queries (``totals_by``, the names come with the appropriations)."""
    allocations = BudgetAllocation.objects.live().filter(action__in=actions)
    if year is not None:
        allocations = allocations.filter(year=year)
    names = {}
    return by_source(totals_by(allocations, "source_id", names=("source__name", names)), names)


def plan_financial_progress(
    plan, *, year=None, tree=None, actions=True, sources=False, objective=None, among=None
):
    """Apropiación (inicial, modifications, definitiva) and execution per action, goal,
    objective and plan.

    ``year`` limits to the allocations of that vigencia (and their modifications and
    executions, those of year + 1 included: reservas and cuentas por pagar). ``tree``: the
    plan's PhysicalProgress (or any TreeRollup) when the caller has it, for the nodes'
    ids, codes, names and parents. Two queries whatever the size (five without ``tree``:
    objectives, goals and actions first): appropriations, then modifications and
    executions (``totals_by_groups``), grouped by action for the action nodes, else by
    goal in the database (``actions=False``: the same sums). With
    ``sources=True`` the same two queries also group the budget in ``cells`` and
    ``plan_cells`` (for the dashboard's groups and funnel), of the actions of ``among``
    (a queryset of actions; all the plan's when None). ``objective``: the branch of that
    objective alone (``tree``, when given, must be that branch's).
    """
    objectives, goals, action_items = _tree_skeleton(plan, tree, objective)
    allocations = BudgetAllocation.objects.live().filter(action__goal__objective__plan=plan)
    if objective is not None:
        allocations = allocations.filter(action__goal__objective=objective)
    if year is not None:
        allocations = allocations.filter(year=year)
    names = {}
    groupings = [(allocations, "action_id" if actions else "action__goal_id", None)]
    if sources:
        grouped = allocations if among is None else allocations.filter(action__in=among)
        groupings += [
            (grouped, CELL, ("source__name", names)),
            (grouped.filter(action__institutional_plans__isnull=False), PLAN_CELL, None),
        ]
    by_key, *groups = totals_by_groups(groupings)
    cells, plan_cells = groups or (None, None)
    action_nodes = {}
    if actions:
        action_nodes = _nodes(action_items, lambda pk: by_key.get(pk, EMPTY_TOTALS))
        goal_nodes = _parent_nodes(goals, action_nodes)
    else:
        goal_nodes = _nodes(goals, lambda pk: by_key.get(pk, EMPTY_TOTALS))
    objective_nodes = _parent_nodes(objectives, goal_nodes)
    plan_node = NodeFinance(
        id=plan.pk, code="", name=plan.name, **BudgetTotals.sum(objective_nodes.values()).amounts()
    )
    source_names = (
        {source_id: name for (*_cell, source_id), name in names.items()} if sources else None
    )
    return FinancialProgress(
        plan_node,
        objective_nodes,
        goal_nodes,
        action_nodes,
        year,
        cells,
        plan_cells,
        source_names,
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
    return FinancialProgress(plan_node, objective_nodes, goal_nodes, {}, year)
