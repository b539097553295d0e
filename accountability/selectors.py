"""Reads of the accountability floor: the snapshot a report freezes, the report lists, and
the citizen dialogue (published questions and commitments, the moderation queue).

``report_snapshot`` takes every figure from the plan dashboard
(``mipg.traceability.dashboard.plan_dashboard``, itself fed by ``rollup_of``) at the
report's cut-off, so a report says exactly what the dashboard says for that cut. Only
approved figures reach the roll-up. The snapshot is plain JSON: decimals are kept as
exact strings (``Decimal(value)`` gives the dashboard's number back), so nothing in it
depends on the live data once it is stored.

Version 2 adds the plan's actions (``actions``, keyed ``"a<id>"``: a letter first, so a
JSON path reads the key as a key and not as an array index, and a page can read one action
of every published report without loading the others), the units (``units``) and, on each
goal, the units, MIPG policies and Decreto 612 plans of its actions (the citizen portal's
filters). Version-1 snapshots have none of these; every version-1 field is computed as
before.
"""

from collections import Counter

from django.core.cache import cache
from django.db.models import Count, F, Max, OuterRef, Prefetch, Subquery
from django.db.models.fields.json import KeyTransform

from accountability.models import AccountabilityReport, CitizenQuestion, Commitment, ReportFile
from management.models import ProgressReport
from management.selectors.budget import HUNDRED, ZERO
from mipg.core.models import Entity, ReviewStatus
from mipg.traceability.dashboard import plan_dashboard
from planning.models import ActionRating, ReportingPeriod
from planning.selectors import live_actions, periods_of

SNAPSHOT_VERSION = 2
ACTION_KEY = "a{}"
AMOUNTS = (
    "appropriation",
    "modifications",
    "definitive",
    "cdp",
    "commitment",
    "obligation",
    "payment",
)


def _text(value):
    return None if value is None else str(value)


def _finance(totals):
    return {name: _text(getattr(totals, name)) for name in AMOUNTS} | {
        "commitment_pct": _text(totals.commitment_pct),
        "payment_pct": _text(totals.payment_pct),
    }


def _node_finance(node):
    """``_finance(BudgetTotals.sum([node]))`` of a goal's or an action's budget, without
    building the sum nor going through its properties (22,000 of them at 20,000
    actions): the same additions to zero, the same apropiación definitiva and ratios."""
    appropriation = ZERO + node.appropriation
    modifications = ZERO + node.modifications
    commitment = ZERO + node.commitment
    payment = ZERO + node.payment
    definitive = appropriation + modifications
    return {
        "appropriation": str(appropriation),
        "modifications": str(modifications),
        "definitive": str(definitive),
        "cdp": str(ZERO + node.cdp),
        "commitment": str(commitment),
        "obligation": str(ZERO + node.obligation),
        "payment": str(payment),
        "commitment_pct": str(commitment / definitive * HUNDRED) if definitive else None,
        "payment_pct": str(payment / definitive * HUNDRED) if definitive else None,
    }


def _group(group, *, code, name):
    return {
        "key": str(group.key),
        "code": code,
        "name": name,
        "label": str(group.label),
        "actions": group.actions,
        "planned": _text(group.planned),
        "executed": _text(group.executed),
        "compliance": _text(group.compliance),
        "state": str(group.state),
        "finance": _finance(group.finance),
    }


def _coded(group):
    """A MIPG policy or dimension: its label is "<code> <name>"."""
    return _group(group, code=str(group.key), name=str(group.label).partition(" ")[2])


def report_cutoff(periods):
    """The cut-off among a report's periods: the one that ends last."""
    return max(periods, key=lambda p: (p.end_date, p.start_date, p.pk), default=None)


def report_snapshot(plan, periods, *, kind="", title=""):
    """The frozen content of a report of ``plan`` covering ``periods`` (its cut-off is
    the last of them), as a JSON-ready dict. Queries do not grow with the plan."""
    periods = sorted(periods, key=lambda p: (p.end_date, p.start_date, p.pk))
    cutoff = report_cutoff(periods)
    plan_periods = list(periods_of(plan))
    dashboard = plan_dashboard(plan, period=cutoff, periods=plan_periods, today=cutoff.end_date)
    rollup = dashboard.rollup
    physical, financial = rollup.physical, rollup.financial
    objective_codes = {pk: node.code for pk, node in physical.objectives.items()}
    goal_actions = Counter(node.parent_id for node in physical.actions.values())
    goals = [
        {
            "key": str(pk),
            "code": node.code,
            "name": node.name,
            "label": f"{node.code} {node.name}",
            "actions": goal_actions[pk],
            "objective": objective_codes.get(node.parent_id, ""),
            "planned": _text(node.planned),
            "executed": _text(node.physical),
            "compliance": _text(node.compliance),
            "state": str(node.state),
            "finance": _node_finance(financial.goals[pk]),
        }
        for pk, node in physical.goals.items()
    ]
    indicators = [
        {
            "code": indicator.code,
            "name": indicator.name,
            "formula": indicator.formula,
            "measurement_unit": indicator.measurement_unit,
            "target": _text(result.target),
            "executed": _text(result.executed),
            "compliance": _text(result.compliance),
            "state": str(result.state.value),
            "explanation": result.explanation,
        }
        for indicator, result in sorted(dashboard.indicators, key=lambda pair: pair[0].code)
    ]
    actions = _actions(dashboard)
    _add_memberships(goals, actions)
    entity = Entity.objects.order_by("pk").first()
    return {
        "version": SNAPSHOT_VERSION,
        "entity": entity.name if entity else "",
        "plan": {"id": plan.pk, "name": plan.name},
        "kind": kind,
        "title": title,
        "periods": [p.label for p in periods],
        "cutoff": {
            "label": cutoff.label,
            "start_date": cutoff.start_date.isoformat(),
            "end_date": cutoff.end_date.isoformat(),
        },
        "total": _group(dashboard.total, code="", name=plan.name),
        "objectives": [
            _group(g, code=physical.objectives[g.key].code, name=physical.objectives[g.key].name)
            for g in dashboard.objectives
        ],
        "goals": goals,
        "dimensions": [_coded(g) for g in dashboard.dimensions],
        "policies": [_coded(g) for g in dashboard.policies],
        "institutional_plans": [
            _group(g, code=str(g.key), name=str(g.label)) for g in dashboard.institutional_plans
        ],
        "funding_sources": [
            {"source": name, **_finance(totals)} for name, totals in dashboard.funnel
        ],
        "semaforo": [
            {"state": state, "label": str(label), "count": count}
            for state, label, count in dashboard.semaforo
        ],
        "indicators": indicators,
        "trend": [
            {"period": p.label, "planned": _text(planned), "executed": _text(executed)}
            for p, planned, executed in dashboard.trend
        ],
        "units": [_group(g, code="", name=str(g.label)) for g in dashboard.units],
        "actions": actions,
        "narratives": _narratives(plan, periods),
        "control_comments": _control_comments(plan, cutoff),
    }


def _actions(dashboard):
    """{"a<id>": action} of the plan's live actions in tree order (``order``), with the
    roll-up's own figures (an action's compliance is not capped) and its unit, the MIPG
    policies of its objective and its Decreto 612 plans. No query, linear in the plan."""
    rollup = dashboard.rollup
    physical, financial = rollup.physical, rollup.financial
    facts = physical.action_facts or {}
    links = dashboard.links
    unit_names = {g.key: str(g.label) for g in dashboard.units}
    objective_codes = {pk: node.code for pk, node in physical.objectives.items()}
    actions = {}
    for order, (pk, node) in enumerate(physical.actions.items()):
        goal = physical.goals[node.parent_id]
        unit_id = facts[pk][0] if pk in facts else None
        policies = links.policies.get(goal.parent_id, ()) if links else ()
        plans = links.institutional_plans.get(pk, ()) if links else ()
        actions[ACTION_KEY.format(pk)] = {
            "key": str(pk),
            "order": order,
            "code": node.code,
            "name": node.name,
            "goal": str(goal.id),
            "goal_code": goal.code,
            "objective": objective_codes.get(goal.parent_id, ""),
            "unit": unit_names.get(unit_id, ""),
            "policies": sorted({p.code for p in policies}),
            "institutional_plans": sorted({p.code for p in plans}),
            "planned": _text(node.planned),
            "executed": _text(node.physical),
            "compliance": _text(node.compliance),
            "state": str(node.state),
            "finance": _node_finance(financial.actions[pk]),
        }
    return actions


def _add_memberships(goals, actions):
    """Give each goal the units, policies and Decreto 612 plans of its actions."""
    members = {g["key"]: (set(), set(), set()) for g in goals}
    for action in actions.values():
        units, policies, plans = members[action["goal"]]
        units.add(action["unit"])
        policies.update(action["policies"])
        plans.update(action["institutional_plans"])
    for goal in goals:
        units, policies, plans = members[goal["key"]]
        goal["units"] = sorted(units)
        goal["policies"] = sorted(policies)
        goal["institutional_plans"] = sorted(plans)


def _narratives(plan, periods):
    """The approved progress narratives of the report's periods: what was done and the
    difficulties met, in the Responsables' words. One query."""
    rows = (
        ProgressReport.objects.filter(
            action__in=live_actions(plan),
            period__in=[p.pk for p in periods],
            status=ReviewStatus.APPROVED,
        )
        .exclude(narrative="")
        .order_by("action__code", "period__end_date", "pk")
        .values_list("action__code", "action__name", "period__label", "narrative")
    )
    return [
        {"action": code, "name": name, "period": label, "text": text}
        for code, name, label, text in rows
    ]


def _control_comments(plan, cutoff):
    """Control Interno's comments on the plan's actions up to the cut-off's year. One query."""
    rows = (
        ActionRating.objects.filter(action__in=live_actions(plan), year__lte=cutoff.end_date.year)
        .exclude(comment="")
        .order_by("action__code", "year", "semester", "pk")
        .values_list("action__code", "action__name", "year", "semester", "rating", "comment")
    )
    return [
        {
            "action": code,
            "name": name,
            "year": year,
            "semester": semester,
            "rating": rating,
            "text": comment,
        }
        for code, name, year, semester, rating, comment in rows
    ]


def report_list():
    """Reports for the staff list, newest first, with their plan and period range."""
    return (
        AccountabilityReport.objects.select_related("plan")
        .defer("snapshot")
        .annotate(cutoff_end=Max("periods__end_date"), file_count=Count("files", distinct=True))
        .order_by("-created_at", "-pk")
    )


def report_with_files(pk, *, snapshot=True):
    """One report with its plan, periods (calendar order) and files; without its snapshot
    (about 12 MB at 20,000 actions) when ``snapshot`` is false."""
    reports = AccountabilityReport.objects.all() if snapshot else _without_snapshot()
    return (
        reports.select_related("plan", "created_by", "published_by")
        .prefetch_related(
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("end_date", "pk")),
            Prefetch("files", queryset=ReportFile.objects.order_by("name")),
        )
        .filter(pk=pk)
        .first()
    )


def _without_snapshot():
    return AccountabilityReport.objects.defer("snapshot")


def previous_published(report):
    """The latest report of the same plan published before ``report`` (published or
    since withdrawn: it stays a link of the chain), or None; without its snapshot."""
    published = (
        _without_snapshot()
        .filter(plan_id=report.plan_id, published_at__isnull=False)
        .exclude(pk=report.pk)
    )
    if report.published_at is not None:
        published = published.filter(published_at__lt=report.published_at)
    return published.order_by("-published_at", "-pk").first()


def published_reports():
    """The reports citizens may see, newest publication first: published ones and those
    withdrawn after publication (shown with the reason). Never drafts, queued, generating,
    ready or failed ones."""
    return (
        AccountabilityReport.objects.filter(status__in=AccountabilityReport.FROZEN_STATUSES)
        .select_related("plan")
        .defer("snapshot")  # a 20,000-action plan's snapshot is about 12 MB; lists never show it
        .annotate(cutoff_end=Max("periods__end_date"))
        .order_by("-published_at", "-pk")
    )


# Citizen questions and commitments.


def published_questions(report):
    """The questions the portal shows under ``report``: published ones only (never
    received, answered-but-unpublished, rejected or merged), newest answer first, with the
    number of duplicates merged into each (``similar``). One query."""
    return (
        CitizenQuestion.objects.filter(report=report, status=CitizenQuestion.Status.PUBLISHED)
        .annotate(similar=Count("duplicates"))
        .order_by("-answered_at", "-pk")
    )


def public_commitments(report):
    """The commitments of ``report`` made in published answers, with their unit. One query."""
    return (
        Commitment.objects.filter(report=report, question__status=CitizenQuestion.Status.PUBLISHED)
        .select_related("unit")
        .order_by("due_date", "pk")
    )


def report_dialogue(report):
    """The citizen dialogue of a published report for its portal page: its published
    questions and their commitments. Two queries."""
    return {
        "questions": list(published_questions(report)),
        "commitments": list(public_commitments(report)),
        "can_ask": report.status == AccountabilityReport.Status.PUBLISHED,
    }


def question_queue(*, report=None, status=None):
    """Citizen questions for the moderation queue, oldest first (first come, first
    answered), with their report and the question they duplicate."""
    rows = CitizenQuestion.objects.select_related("report", "duplicate_of").annotate(
        commitment_count=Count("commitments")
    )
    if report is not None:
        rows = rows.filter(report=report)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "pk")


def commitment_list(*, unit=None, state=None, today):
    """Commitments for the staff list, by due date, with unit, report and question; the
    input of the next improvement plans, filterable by unit and state (on ``today``)."""
    rows = Commitment.objects.select_related("unit", "report", "question")
    if unit is not None:
        rows = rows.filter(unit=unit)
    if state:
        rows = rows.in_state(state, today=today)
    return rows.order_by("due_date", "pk")


# --- The citizen portal's plans and open data (published snapshots only) ------------------

PLAN_PAGE_KEYS = (
    "version",
    "plan",
    "cutoff",
    "total",
    "objectives",
    "goals",
    "indicators",
    "units",
    "policies",
    "institutional_plans",
)


PLAN_SUMMARY_KEYS = ("plan", "cutoff", "total")


def _snapshot_keys(keys):
    """Annotations reading only ``keys`` of the snapshot (a 20,000-action plan's snapshot
    is large: a page reads the parts it shows)."""
    return {f"s_{key}": KeyTransform(key, "snapshot") for key in keys}


def _published_of(plan_id):
    return AccountabilityReport.objects.filter(
        plan_id=plan_id, status=AccountabilityReport.Status.PUBLISHED
    )


def latest_published_plans():
    """[dict] per plan with a published report (withdrawn ones do not count): its latest
    published report's pk, title, publication date, and the snapshot's plan, cut-off and
    total, by plan name. One query."""
    latest = (
        AccountabilityReport.objects.filter(
            plan_id=OuterRef("plan_id"), status=AccountabilityReport.Status.PUBLISHED
        )
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    rows = (
        AccountabilityReport.objects.filter(status=AccountabilityReport.Status.PUBLISHED)
        .annotate(latest=Subquery(latest))
        .filter(pk=F("latest"))
        .values("pk", "title", "published_at", "plan_id", **_snapshot_keys(PLAN_SUMMARY_KEYS))
    )
    return sorted(rows, key=lambda row: (str((row["s_plan"] or {}).get("name", "")), row["pk"]))


def latest_published_report(plan_id, keys=PLAN_PAGE_KEYS):
    """The latest published report of the plan as a dict (pk, title, published_at and
    ``s_<key>`` for each snapshot key), or None. One query."""
    return (
        _published_of(plan_id)
        .order_by("-published_at", "-pk")
        .values("pk", "title", "published_at", **_snapshot_keys(keys))
        .first()
    )


def action_timeline(plan_id, action_id):
    """[dict] of the plan's published reports, oldest first: pk, title, published_at, the
    snapshot's plan and cut-off, and the action's figures in the report (``action``; None
    when the report does not have them: a version-1 snapshot or an action added later).
    One query."""
    return list(
        _published_of(plan_id)
        .order_by("published_at", "pk")
        .values(
            "pk",
            "title",
            "published_at",
            s_cutoff=KeyTransform("cutoff", "snapshot"),
            s_plan=KeyTransform("plan", "snapshot"),
            action=KeyTransform(ACTION_KEY.format(action_id), KeyTransform("actions", "snapshot")),
        )
    )


def published_datasets():
    """The published (and withdrawn) reports as open-data datasets, newest first, with
    their files and their snapshot's plan, cut-off and periods (``s_plan``, ``s_cutoff``,
    ``s_periods``; not the whole snapshot). Two queries (reports, files)."""
    return (
        published_reports()
        .defer("snapshot")
        .annotate(**_snapshot_keys(("plan", "cutoff", "periods")))
        .prefetch_related(Prefetch("files", queryset=ReportFile.objects.order_by("name")))
    )


def published_dataset(pk):
    """A published or withdrawn report as ``published_datasets`` gives it, or None."""
    return published_datasets().filter(pk=pk).first()


PORTAL_STATE_KEY = "portal:state"
# The state is read from the cache for at most this long: publishing and withdrawing forget
# it at once (forget_portal_state); an edit of the entity's identity shows within it.
PORTAL_STATE_SECONDS = 5


def portal_state():
    """What every page of the citizen portal depends on: the latest publication and
    withdrawal times, the number of reports citizens may see (a new publication or a
    withdrawal changes them; published snapshots never change), the entity's identity and
    the latest public change of the citizen dialogue (answers, commitments). From the
    cache (no query) when there; else four queries."""
    state = cache.get(PORTAL_STATE_KEY)
    if state is None:
        state = AccountabilityReport.objects.filter(
            status__in=AccountabilityReport.FROZEN_STATUSES
        ).aggregate(published=Max("published_at"), withdrawn=Max("withdrawn_at"), count=Count("pk"))
        entity = Entity.current()
        state["identity"] = [getattr(entity, f.attname) for f in entity._meta.concrete_fields]
        state["dialogue"] = _dialogue_changed()
        cache.set(PORTAL_STATE_KEY, state, PORTAL_STATE_SECONDS)
    return state


def _dialogue_changed():
    """The latest change the portal shows of the citizen dialogue: a question saved while
    published (published, its answer edited) or any commitment change. Two queries."""
    questions = CitizenQuestion.history.filter(status=CitizenQuestion.Status.PUBLISHED)
    times = [
        questions.aggregate(last=Max("history_date"))["last"],
        Commitment.history.aggregate(last=Max("history_date"))["last"],
    ]
    return max((t for t in times if t is not None), default=None)


def forget_portal_state():
    """Make the portal read its state again (after a publication or a withdrawal)."""
    cache.delete(PORTAL_STATE_KEY)


def latest_plan_reports():
    """For each plan with a published (not withdrawn) report, its latest one with the
    plan's name, and of its snapshot only the cut-off and the plan's totals
    (``snapshot["total"]``: progress planned and executed, ``finance``), plan name order.
    One query."""
    latest = (
        AccountabilityReport.objects.filter(
            plan=OuterRef("plan"), status=AccountabilityReport.Status.PUBLISHED
        )
        .order_by("-published_at", "-pk")
        .values("pk")[:1]
    )
    return (
        AccountabilityReport.objects.filter(
            status=AccountabilityReport.Status.PUBLISHED, pk=Subquery(latest)
        )
        .select_related("plan")
        .defer("snapshot")
        .annotate(
            total=KeyTransform("total", "snapshot"), cutoff=KeyTransform("cutoff", "snapshot")
        )
        .order_by("plan__name", "plan_id")
    )
