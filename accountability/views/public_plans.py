"""The citizen portal's plans and open data (namespace "public"): each plan at its latest
published report's snapshot (tree, filters, actions and their timeline across the
published reports) and the datasets of the published reports with their metadata. Only
what the published snapshots and files say: never live figures."""

import json

from django.core.paginator import Paginator
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from accountability.forms import PlanFilterForm
from accountability.outputs import LICENSE
from accountability.selectors import (
    PLAN_PAGE_KEYS,
    action_timeline,
    latest_published_plans,
    latest_published_report,
    published_dataset,
    published_datasets,
)
from accountability.views.caching import portal_version, public_cache
from accountability.views.public import portal_render
from mipg.core.web import paginate

ACTIONS_PER_PAGE = 50
GOALS_PER_PAGE = 50
# Goals shown under each objective on the plan page; more are on the objective's page.
GOALS_INLINE = 10
INDICATORS_INLINE = 10
INDICATORS_PER_PAGE = 50
FIELD_TYPES = {
    "string": _lazy("Texto"),
    "number": _lazy("Número"),
    "integer": _lazy("Número entero"),
    "date": _lazy("Fecha"),
}
DATASETS_PER_PAGE = 20


def _crumbs(*items):
    return [(_("Transparencia"), reverse("public:home")), *items]


def _snapshot(row):
    """The snapshot parts a selector read, by their snapshot key."""
    return {key[2:]: value for key, value in row.items() if key.startswith("s_")}


def _latest_or_404(plan_id, keys=PLAN_PAGE_KEYS):
    row = latest_published_report(plan_id, keys)
    if row is None:
        raise Http404
    return row, _snapshot(row)


def _page(request, rows):
    page = Paginator(rows, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    page.param = "page"
    return page


@require_safe
@public_cache(portal_version)
def plan_list(request):
    """The plans with a published report, each with its latest published figures."""
    plans = [{"report": row, "s": _snapshot(row)} for row in latest_published_plans()]
    return portal_render(
        request,
        "accountability/public/plan_list.html",
        {
            "plans": plans,
            "section": "plans",
            "crumbs": _crumbs((_("Planes"), None)),
        },
    )


def _matches(action, unit, policy, plan612):
    return (
        (not unit or action["unit"] == unit)
        and (not policy or policy in action["policies"])
        and (not plan612 or plan612 in action["institutional_plans"])
    )


@require_safe
@public_cache(portal_version)
def plan_detail(request, plan_id):
    """A plan at its latest published snapshot: totals, the tree of objectives and goals
    (each goal links to its actions), the indicators with their formula; with a filter,
    the matching actions in a paginated list. A version-1 snapshot (no actions) shows the
    goals with a note."""
    # The actions (the bulk of a snapshot) are read only for a filtered list, in the same
    # query as the rest, so that every figure comes from the same report.
    asked = any(request.GET.get(name) for name in PlanFilterForm.base_fields)
    report, s = _latest_or_404(plan_id, PLAN_PAGE_KEYS + (("actions",) if asked else ()))
    has_actions = s.get("version", 1) >= 2
    form = PlanFilterForm(request.GET or None, snapshot=s)
    unit, policy, plan612 = form.selected() if has_actions else ("", "", "")
    filtered = bool(unit or policy or plan612)
    page = None
    if filtered:
        actions = s.get("actions") or {}
        rows = sorted(
            (a for a in actions.values() if _matches(a, unit, policy, plan612)),
            key=lambda a: a["order"],
        )
        page = _page(request, rows)
    goals_by_objective = {}
    for goal in s.get("goals") or []:
        goals_by_objective.setdefault(goal["objective"], []).append(goal)
    tree = [
        (
            o,
            goals_by_objective.get(o["code"], [])[:GOALS_INLINE],
            len(goals_by_objective.get(o["code"], [])),
        )
        for o in s.get("objectives") or []
    ]
    return portal_render(
        request,
        "accountability/public/plan_detail.html",
        {
            "report": report,
            "s": s,
            "plan_id": plan_id,
            "has_actions": has_actions,
            "form": form,
            "filtered": filtered,
            "page": page,
            "tree": tree,
            "indicators": (s.get("indicators") or [])[:INDICATORS_INLINE],
            "section": "plans",
            "crumbs": _crumbs(
                (_("Planes"), reverse("public:plan-list")), (s["plan"]["name"], None)
            ),
        },
    )


@require_safe
@public_cache(portal_version)
def indicator_list(request, plan_id):
    """The indicators of the plan's latest published snapshot with their semáforo and
    formula, paginated."""
    report, s = _latest_or_404(plan_id, ("plan", "cutoff", "indicators"))
    page = Paginator(s.get("indicators") or [], INDICATORS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.param = "page"
    return portal_render(
        request,
        "accountability/public/indicator_list.html",
        {
            "report": report,
            "s": s,
            "plan_id": plan_id,
            "page": page,
            "section": "plans",
            "crumbs": _crumbs(
                (_("Planes"), reverse("public:plan-list")),
                (s["plan"]["name"], reverse("public:plan-detail", args=[plan_id])),
                (_("Indicadores"), None),
            ),
        },
    )


@require_safe
@public_cache(portal_version)
def objective_detail(request, plan_id, objective_key):
    """An objective of the plan's latest published snapshot and its goals, paginated."""
    report, s = _latest_or_404(plan_id, ("version", "plan", "cutoff", "objectives", "goals"))
    objective = next((o for o in s.get("objectives") or [] if o["key"] == str(objective_key)), None)
    if objective is None:
        raise Http404
    goals = [g for g in s.get("goals") or [] if g["objective"] == objective["code"]]
    page = Paginator(goals, GOALS_PER_PAGE).get_page(request.GET.get("page"))
    page.param = "page"
    plan_url = reverse("public:plan-detail", args=[plan_id])
    return portal_render(
        request,
        "accountability/public/objective_detail.html",
        {
            "report": report,
            "s": s,
            "plan_id": plan_id,
            "objective": objective,
            "page": page,
            "has_actions": s.get("version", 1) >= 2,
            "section": "plans",
            "crumbs": _crumbs(
                (_("Planes"), reverse("public:plan-list")),
                (s["plan"]["name"], plan_url),
                (objective["label"], None),
            ),
        },
    )


@require_safe
@public_cache(portal_version)
def goal_detail(request, plan_id, goal_key):
    """A goal of the plan's latest published snapshot and its actions, paginated."""
    report, s = _latest_or_404(plan_id, ("version", "plan", "cutoff", "goals", "actions"))
    goal = next((g for g in s.get("goals") or [] if g["key"] == str(goal_key)), None)
    if goal is None:
        raise Http404
    actions = s.get("actions")
    page = None
    if actions is not None:
        rows = sorted(
            (a for a in actions.values() if a["goal"] == goal["key"]), key=lambda a: a["order"]
        )
        page = _page(request, rows)
    plan_url = reverse("public:plan-detail", args=[plan_id])
    return portal_render(
        request,
        "accountability/public/goal_detail.html",
        {
            "report": report,
            "s": s,
            "plan_id": plan_id,
            "goal": goal,
            "page": page,
            "section": "plans",
            "crumbs": _crumbs(
                (_("Planes"), reverse("public:plan-list")),
                (s["plan"]["name"], plan_url),
                (goal["label"], None),
            ),
        },
    )


@require_safe
@public_cache(portal_version)
def action_detail(request, plan_id, action_id):
    """An action in the plan's latest published snapshot and its figures in each
    published report of the plan, oldest first (the action's timeline)."""
    timeline = action_timeline(plan_id, action_id)
    if not timeline or timeline[-1]["action"] is None:
        raise Http404
    action = timeline[-1]["action"]
    plan = timeline[-1]["s_plan"]
    plan_url = reverse("public:plan-detail", args=[plan_id])
    return portal_render(
        request,
        "accountability/public/action_detail.html",
        {
            "action": action,
            "latest": timeline[-1],
            "timeline": timeline,
            "plan": plan,
            "plan_id": plan_id,
            "section": "plans",
            "crumbs": _crumbs(
                (_("Planes"), reverse("public:plan-list")),
                (plan["name"], plan_url),
                (f"{action['code']} {action['name']}", None),
            ),
        },
    )


# --- Open data ----------------------------------------------------------------------------


def _data_file_order(file):
    """datapackage.json first (it describes the rest), then the JSON, then the CSV tables."""
    return (file.name != "datapackage.json", not file.name.endswith(".json"), file.name)


@require_safe
@public_cache(portal_version)
def dataset_list(request):
    """Every published report's dataset with its files (data package, JSON, CSV)."""
    page = paginate(request, published_datasets(), DATASETS_PER_PAGE)
    for report in page.object_list:
        report.data_files = sorted(
            (f for f in report.files.all() if f.name.endswith((".csv", ".json"))),
            key=_data_file_order,
        )
    return portal_render(
        request,
        "accountability/public/dataset_list.html",
        {
            "page": page,
            "license": LICENSE,
            "section": "data",
            "crumbs": _crumbs((_("Datos abiertos"), None)),
        },
    )


def _descriptor(report):
    """The report's published datapackage.json, parsed; None when it has none."""
    row = next((f for f in report.files.all() if f.name == "datapackage.json"), None)
    if row is None:
        return None
    with row.file.open("rb") as handle:
        return json.loads(handle.read())


@require_safe
@public_cache(portal_version)
def dataset_detail(request, pk):
    """ "Acerca de los datos": the metadata of a published report's dataset (datos.gov.co
    style) and the fields of each of its tables, from its published data package."""
    report = published_dataset(pk)
    if report is None:
        raise Http404
    descriptor = _descriptor(report) or {}
    files = {f.name: f for f in report.files.all()}
    resources = [
        {
            **resource,
            "file": files.get(resource.get("path", "")),
            "fields": [
                {**f, "type_label": FIELD_TYPES.get(f.get("type"), f.get("type", ""))}
                for f in resource.get("schema", {}).get("fields", [])
            ],
        }
        for resource in descriptor.get("resources", [])
    ]
    return portal_render(
        request,
        "accountability/public/dataset_detail.html",
        {
            "report": report,
            "descriptor": descriptor,
            "resources": resources,
            "files": list(files.values()),
            "cutoff": report.s_cutoff,
            "periods": report.s_periods or [],
            "licenses": descriptor.get("licenses") or [LICENSE],
            "section": "data",
            "crumbs": _crumbs(
                (_("Datos abiertos"), reverse("public:dataset-list")), (report.title, None)
            ),
        },
    )
