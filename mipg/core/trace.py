"""Trace up: from any plan, objective, goal, action, indicator, target, measurement,
budget allocation, budget execution or progress report up to the plan, the plans it serves,
the Decreto 612 plans, the MIPG policies and the dimensions (``trace_up``).

The ground floor knows no app: each traceable model declares how it reaches each role in a
``trace_route`` class attribute (a ``TraceRoute``, next to the model's fields), and
``trace_up`` follows it. Declaring ``trace_route`` on a model is all ``trace_up`` needs.
Trace down (everything under a plan) reads every app, so it lives on the traceability floor
(``mipg.traceability.subtree``).

A route may also declare the role ``serves``: the objective of the served plan that the item
serves (alignment, MIPG.md §3), e.g. a goal's own ``serves`` first, else its objective's. It
comes with its plan, and the chain goes through it between the item's plan and the plans
that plan serves.

Query budget of ``trace_up``: one query with ``select_related`` along the item's path to its
plan (and three levels of parent plans, and the served objective with its plan), plus one
prefetch for the objective's policies when
there is an objective and one for the action's Decreto 612 plans when there is an action.
Plan ancestors deeper than three levels cost one more query per three levels.
"""

from dataclasses import dataclass, field

from django.db.models import Model, Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from mipg.core.models import InstitutionalPlan, Policy

# Plan ancestors fetched by select_related in the same query as the item.
ANCESTOR_LEVELS = 3


@dataclass(frozen=True)
class Trace:
    """Where an object sits: its action, goal, objective, plan and the MIPG framework.

    ``item`` is the object fetched again with its whole path, so walking ``item`` (e.g.
    ``str(measurement)``) costs no further queries. Roles that do not apply are ``None``
    (an objective's trace has no goal; an indicator of an objective has no goal either).
    A role the item plays itself points to the item (``trace_up(goal).goal is item``).
    """

    item: Model
    plan: Model | None = None
    objective: Model | None = None
    goal: Model | None = None
    action: Model | None = None
    indicator: Model | None = None
    allocation: Model | None = None
    period: Model | None = None
    serves: Model | None = None  # the objective of the served plan the item serves
    plan_ancestors: list = field(default_factory=list)
    institutional_plans: list = field(default_factory=list)
    policies: list = field(default_factory=list)
    dimensions: list = field(default_factory=list)

    def chain(self):
        """[(kind label in Spanish, object), ...] from the item up to the dimensions."""
        return chain(self)


@dataclass(frozen=True)
class TraceRoute:
    """Paths (``__``-joined, "" for the item itself) from a model to each role.

    A role may have several candidate paths; the first one that is not ``None`` wins
    (an indicator reaches its objective directly or through its goal).
    """

    roles: dict
    extra: tuple = ()

    def under(self, prefix, *own_roles):
        """This route seen from a model that reaches it through ``prefix``; the roles in
        ``own_roles`` are played by that model itself."""
        roles = {
            role: tuple(_join(prefix, path) for path in paths) for role, paths in self.roles.items()
        }
        roles.update(dict.fromkeys(own_roles, ("",)))
        return TraceRoute(roles, tuple(_join(prefix, p) for p in self.extra))


def _join(*parts):
    return "__".join(p for p in parts if p)


ROLE_ORDER = ("allocation", "action", "indicator", "goal", "objective", "plan")
SERVES_LABEL = _("Objetivo al que sirve")


def _walk(obj, path):
    for attr in path.split("__") if path else ():
        obj = getattr(obj, attr)
        if obj is None:
            return None
    return obj


def route_of(model):
    """The model's TraceRoute, or None when ``trace_up`` does not follow it."""
    route = getattr(model, "trace_route", None)
    return route if isinstance(route, TraceRoute) else None


def _route_for(obj):
    if not isinstance(obj, Model):
        raise TypeError(f"trace_up no admite objetos de tipo {type(obj).__name__}.")
    route = route_of(obj._meta.concrete_model)
    if route is None:
        raise TypeError(f"trace_up no admite objetos de tipo {type(obj).__name__}.")
    if obj.pk is None:
        raise ValueError("trace_up necesita un objeto guardado.")
    return route


def trace_up(obj):
    """The Trace of a plan, objective, goal, action, indicator, target, measurement,
    budget allocation, budget execution or progress report. TypeError for anything else.
    """
    route = _route_for(obj)
    ancestors = "__".join(["parent"] * ANCESTOR_LEVELS)
    related = {_join(path, ancestors) for path in route.roles["plan"]}
    related.update(_join(path, "plan") for path in route.roles.get("serves", ()))
    related.update(p for paths in route.roles.values() for p in paths if p)
    related.update(route.extra)
    prefetches = [
        Prefetch(
            _join(path, "policies"),
            queryset=Policy.objects.select_related("dimension"),
        )
        for path in route.roles.get("objective", ())
    ] + [
        Prefetch(
            _join(path, "institutional_plans"),
            queryset=InstitutionalPlan.objects.select_related("policy__dimension"),
        )
        for path in route.roles.get("action", ())
    ]
    model = obj._meta.concrete_model
    item = (
        model._default_manager.select_related(*sorted(related))
        .prefetch_related(*prefetches)
        .get(pk=obj.pk)
    )

    found = {}
    for role, paths in route.roles.items():
        found[role] = next(
            (value for value in (_walk(item, p) for p in paths) if value is not None), None
        )

    institutional_plans = []
    if found.get("action") is not None:
        institutional_plans = list(found["action"].institutional_plans.all())
    policies = {}
    if found.get("objective") is not None:
        policies.update((p.pk, p) for p in found["objective"].policies.all())
    policies.update((ip.policy.pk, ip.policy) for ip in institutional_plans)
    ordered_policies = sorted(policies.values(), key=lambda p: p.code)
    dimensions = {p.dimension.pk: p.dimension for p in ordered_policies}
    ordered_dimensions = sorted(dimensions.values(), key=lambda d: (d.order, d.code))

    return Trace(
        item=item,
        plan_ancestors=plan_ancestors(found["plan"]) if found.get("plan") else [],
        institutional_plans=institutional_plans,
        policies=ordered_policies,
        dimensions=ordered_dimensions,
        **found,
    )


def plan_ancestors(plan):
    """The plans ``plan`` serves, parent first. Uses the parents already cached by
    select_related and fetches ``ANCESTOR_LEVELS`` more levels per extra query."""
    ancestors = []
    seen = {plan.pk}
    current = plan
    model = type(plan)
    while current.parent_id is not None and current.parent_id not in seen:
        if not model.parent.is_cached(current):
            ancestors_path = "__".join(["parent"] * ANCESTOR_LEVELS)
            current = model.objects.select_related(ancestors_path).get(pk=current.pk)
        current = current.parent
        seen.add(current.pk)
        ancestors.append(current)
    return ancestors


def _label(obj):
    return str(capfirst(obj._meta.verbose_name))


def chain(trace):
    """The breadcrumb of a trace: [(kind label in Spanish, object), ...] from the item up
    through its allocation, action, indicator, goal, objective, plan, the objective it
    serves and the parent plans,
    then the Decreto 612 plans, policies and dimensions. Costs no queries."""
    links = [(_label(trace.item), trace.item)]
    seen = {id(trace.item)}
    for role in ROLE_ORDER:
        obj = getattr(trace, role)
        if obj is not None and id(obj) not in seen:
            links.append((_label(obj), obj))
            seen.add(id(obj))
    if trace.serves is not None:
        links.append((str(SERVES_LABEL), trace.serves))
    for obj in [
        *trace.plan_ancestors,
        *trace.institutional_plans,
        *trace.policies,
        *trace.dimensions,
    ]:
        links.append((_label(obj), obj))
    return links
