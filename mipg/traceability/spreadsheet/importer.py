"""Import a Plan de Acción workbook into a plan, all or nothing, through the services of
the UI: planning (objectives, goals, actions, programación), evaluation (indicators and
their targets) and management (budget allocations). The same validation, permissions and
history apply; where a service asks a reason (an approved plan's versions, a changed
baseline) it is "Importación de <archivo>".

Items are found by their codes: an objective by its code in the plan, a goal by its code
under its objective, an action under its goal, an indicator in the plan, an allocation by
its action, source, year and rubro. A code seen for the first time with a name creates or
updates the item from that row; later rows with the same code only place what hangs from
it. Only what differs is written, so importing the same file twice changes nothing.

Everything runs in one transaction. Every row is tried (the services' own savepoints undo a
refused write) so that the user sees all the problems at once; if there is any, or when
only previewing, the transaction is rolled back.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluation import services as evaluation_services
from evaluation.models import Indicator, IndicatorTarget
from management import services as management_services
from management.models import BudgetAllocation
from mipg.core.permissions import require_perm
from mipg.traceability.spreadsheet import layout
from mipg.traceability.spreadsheet.catalogues import load_catalogues, user_catalogue
from mipg.traceability.spreadsheet.reading import Problem, read_sheet
from planning import services as planning_services
from planning.models import Action, ActionSchedule, Goal, Objective
from planning.selectors import periods_of
from planning.services.versions import lock_open_plan

IMPORT_PERMISSION = "planning.change_strategicplan"  # Planeación and Administrador
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
KINDS = ("objective", "goal", "action", "schedule", "indicator", "targets", "allocation")
FAILED = object()


@dataclass
class Outcome:
    """What an import did (or would do): counts per kind and status, notes per row, the
    problems, and the columns found ({key: (column number, header)})."""

    columns: dict = field(default_factory=dict)
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    notes: dict = field(default_factory=lambda: defaultdict(list))
    problems: list = field(default_factory=list)
    rows: int = 0
    committed: bool = False

    @property
    def ok(self):
        return not self.problems

    def header(self, key):
        return self.columns.get(key, (None, key))[1]


def import_plan(plan, source, *, by, filename, commit):
    """Read ``source`` (a path or file) and import it into ``plan`` as ``by``; saved only
    when ``commit`` and there is no problem. Returns the Outcome."""
    require_perm(by, IMPORT_PERMISSION, _("Solo Planeación y Administrador importan planes."))
    periods = list(periods_of(plan))
    sheet = read_sheet(source, periods, catalogues=load_catalogues(), users=user_catalogue())
    outcome = Outcome(columns=sheet.columns, problems=list(sheet.problems), rows=len(sheet.rows))
    if sheet.problems:
        return outcome
    with transaction.atomic():
        try:
            lock_open_plan(plan)
        except ValidationError as exc:
            outcome.problems += [Problem(None, None, message) for message in exc.messages]
            return outcome
        _Importer(plan, periods, by=by, filename=filename, outcome=outcome).run(sheet.rows)
        outcome.committed = commit and outcome.ok
        if not outcome.committed:
            transaction.set_rollback(True)
    return outcome


class _Importer:
    def __init__(self, plan, periods, *, by, filename, outcome):
        self.plan, self.periods, self.by, self.outcome = plan, periods, by, outcome
        self.reason = _("Importación de %(file)s") % {"file": filename}
        self.period_by_key = {f"{layout.SCHEDULE_PREFIX}{p.pk}": p for p in periods}
        self.period_by_key.update({f"{layout.TARGET_PREFIX}{p.pk}": p for p in periods})
        # Translated once: a 20,000-row file would otherwise look them up 100,000 times.
        self.status_texts = {
            CREATED: _("crea"),
            UPDATED: _("actualiza"),
            UNCHANGED: _("sin cambios"),
        }
        self.kind_names = {
            "objective": _("Objetivo"),
            "goal": _("Meta"),
            "action": _("Actividad"),
            "schedule": _("Programación"),
            "indicator": _("Indicador"),
            "targets": _("Metas del indicador"),
            "allocation": _("Presupuesto"),
        }
        self.lowered = {}  # (kind, pk) → whether its weight was lowered first
        self.defined = set()  # (kind, key) of the items already taken from a row
        self.failed = set()
        self.objectives = {
            o.code: o for o in Objective.objects.filter(plan=plan).prefetch_related("policies")
        }
        self.goals = {
            (g.objective_id, g.code): g for g in Goal.objects.filter(objective__plan=plan)
        }
        self.actions = {
            (a.goal_id, a.code): a
            for a in Action.objects.filter(goal__objective__plan=plan).prefetch_related(
                "institutional_plans"
            )
        }
        self.schedules = defaultdict(dict)
        for action_id, period_id, planned in ActionSchedule.objects.filter(
            action__goal__objective__plan=plan
        ).values_list("action_id", "period_id", "planned"):
            self.schedules[action_id][period_id] = planned
        self.indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
        self.targets = defaultdict(dict)
        for indicator_id, period_id, value in IndicatorTarget.objects.filter(
            indicator__plan=plan
        ).values_list("indicator_id", "period_id", "value"):
            self.targets[indicator_id][period_id] = value
        self.allocations = {
            (a.action_id, a.source_id, a.year, a.rubro): a
            for a in BudgetAllocation.objects.filter(action__goal__objective__plan=plan)
        }

    # --- the walk ---------------------------------------------------------------------

    def run(self, rows):
        self._lower_weights_first(rows)
        for row in rows:
            self.outcome.problems += row.problems
            self.unreadable = {(p.row, p.column) for p in row.problems}
            self.row = row
            objective = self._objective(row)
            goal = self._goal(row, objective) if objective and row.filled("goal_code") else None
            action = None
            if goal and row.filled("act_code"):
                action = self._action(row, goal)
            if row.filled("ind_code") and objective:
                measured = goal if row.filled("goal_code") else objective
                if measured:
                    self._indicator(row, measured)
            budget = any(row.filled(c.key) for c in layout.BUDGET_COLUMNS)
            if action and budget:
                self._allocation(row, action)
            self._orphans(row, budget)

    def _orphans(self, row, budget):
        """What a row gives without the level it hangs from."""
        if row.filled("act_code") and not row.filled("goal_code"):
            self._problem("goal_code", _("Indique la meta de la actividad."))
        if budget and not row.filled("act_code"):
            self._problem("act_code", _("Indique la actividad de este presupuesto."))

    def _lower_weights_first(self, rows):
        """Write first the weights that go down, so that a file moving weight from one
        sibling to another is accepted whatever its row order (non-archived siblings may
        never sum over 100, checked at each write)."""
        updates = {
            "objective": planning_services.update_objective,
            "goal": planning_services.update_goal,
            "action": planning_services.update_action,
        }
        for row in rows:
            self.row, self.unreadable = row, {(p.row, p.column) for p in row.problems}
            objective = self.objectives.get(row.get("obj_code"))
            goal = objective and self.goals.get((objective.pk, row.get("goal_code")))
            action = goal and self.actions.get((goal.pk, row.get("act_code")))
            for kind, item, prefix in (
                ("objective", objective, "obj"),
                ("goal", goal, "goal"),
                ("action", action, "act"),
            ):
                key = (kind, getattr(item, "pk", None))
                if not item or key in self.lowered or not row.filled(f"{prefix}_name"):
                    continue
                self.lowered[key] = False
                weight = row.get(f"{prefix}_weight")
                if weight is None or weight >= item.weight:
                    continue
                result = self._call(
                    kind, updates[kind], item, by=self.by, reason=self.reason, weight=weight
                )
                self.lowered[key] = result is not FAILED

    def _note(self, kind, status, label):
        self.outcome.counts[kind][status] += 1
        self.outcome.notes[self.row.number].append(f"{label}: {self.status_texts[status]}")

    def _problem(self, column, message):
        if (self.row.number, column) in self.unreadable:
            return  # the cell could not be read: its own problem says why
        self.outcome.problems.append(Problem(self.row.number, column, str(message)))

    def _call(self, kind, function, *args, **kwargs):
        """Call a service; its refusal becomes problems in the row's cells."""
        columns = layout.ERROR_COLUMNS.get(kind, {})
        try:
            return function(*args, **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, messages in exc.message_dict.items():
                    column = self._error_column(kind, name, columns)
                    for message in messages:
                        self._problem(column, message)
            else:
                for message in exc.messages:
                    self._problem(layout.CODE_COLUMNS[kind], message)
        except PermissionDenied as exc:
            self._problem(layout.CODE_COLUMNS[kind], str(exc) or _("No tiene permiso."))
        return FAILED

    def _error_column(self, kind, name, columns):
        if name.startswith("period_"):
            return f"{layout.SCHEDULE_PREFIX}{name.removeprefix('period_')}"
        if kind == "targets":
            present = [key for key in self.outcome.columns if key.startswith(layout.TARGET_PREFIX)]
            return present[0] if present else layout.CODE_COLUMNS[kind]
        return columns.get(name, layout.CODE_COLUMNS[kind])

    def _given(self, row, pairs):
        """{field: value} of the columns present in the file; a blank weight is not given."""
        return {
            name: row.get(key)
            for key, name in pairs
            if row.has(key) and not (name in layout.WEIGHTS and row.get(key) is None)
        }

    def _changes(self, item, given):
        changes = {}
        for name, value in given.items():
            if name in layout.MANY:
                current = {obj.pk for obj in getattr(item, name).all()}
                if current != {obj.pk for obj in value}:
                    changes[name] = value
                continue
            if name in layout.FOREIGN_KEYS:
                if getattr(item, f"{name}_id") != getattr(value, "pk", None):
                    changes[name] = value
                continue
            current = getattr(item, name)
            if value is None and name not in {"quantity_target", "baseline_value"}:
                value = ""
            if current != value:
                changes[name] = value
        return changes

    def _defining(self, kind, key, row, name_column):
        """Whether this row gives the fields of the item: the first with its name."""
        if (kind, key) in self.defined or not row.filled(name_column):
            return False
        self.defined.add((kind, key))
        return True

    def _missing(self, kind, column, code):
        messages = {
            "objective": _("El objetivo «%(code)s» no existe en el plan: escriba su nombre."),
            "goal": _("La meta «%(code)s» no existe en el objetivo: escriba su nombre."),
            "action": _("La actividad «%(code)s» no existe en la meta: escriba su nombre."),
            "indicator": _("El indicador «%(code)s» no existe en el plan: escriba su nombre."),
        }
        self._problem(column, messages[kind] % {"code": code})

    # --- items ------------------------------------------------------------------------

    def _item(self, kind, key, existing, name_column, create, update, given):
        """The item of ``key``: created or updated from this row when it defines it."""
        if (kind, key) in self.failed:
            return None
        item = existing.get(key)
        if not self._defining(kind, key, self.row, name_column):
            if item is None and (kind, key) not in self.defined:
                self._missing(kind, name_column, key[-1] if isinstance(key, tuple) else key)
                self.failed.add((kind, key))
            return item
        if item is None:
            result = self._call(kind, create, **given)
            status = CREATED
        else:
            changes = self._changes(item, given)
            if not changes:
                lowered = self.lowered.get((kind, item.pk))
                self._note(kind, UPDATED if lowered else UNCHANGED, self._label(kind, key))
                return item
            result = self._call(kind, update, item, **changes)
            status = UPDATED
        if result is FAILED:
            self.failed.add((kind, key))
            return None
        existing[key] = result
        self._note(kind, status, self._label(kind, key))
        return result

    def _label(self, kind, key):
        code = key[-1] if isinstance(key, tuple) else key
        return f"{self.kind_names[kind]} {code}"

    def _objective(self, row):
        code = row.get("obj_code")
        if not row.filled("obj_code"):
            self._problem("obj_code", _("Indique el código del objetivo."))
            return None
        given = self._given(row, layout.OBJECTIVE_FIELDS)

        def create(**fields):
            fields.setdefault("weight", 0)
            return planning_services.create_objective(
                self.plan, by=self.by, code=code, reason=self.reason, **fields
            )

        def update(item, **fields):
            return planning_services.update_objective(
                item, by=self.by, reason=self.reason, **fields
            )

        return self._item("objective", code, self.objectives, "obj_name", create, update, given)

    def _goal(self, row, objective):
        code = row.get("goal_code")
        given = self._given(row, layout.GOAL_FIELDS)

        def create(**fields):
            fields.setdefault("weight", 0)
            return planning_services.create_goal(
                objective, by=self.by, code=code, reason=self.reason, **fields
            )

        def update(item, **fields):
            return planning_services.update_goal(item, by=self.by, reason=self.reason, **fields)

        key = (objective.pk, code)
        return self._item("goal", key, self.goals, "goal_name", create, update, given)

    def _action(self, row, goal):
        code = row.get("act_code")
        key = (goal.pk, code)
        defining = (("action", key) not in self.defined) and row.filled("act_name")
        given = self._given(row, layout.ACTION_FIELDS)
        if given.get("unit", False) is None:
            del given["unit"]  # blank: the goal's unit, as in the form

        def create(**fields):
            fields.setdefault("weight", 0)
            fields.setdefault("start_date", None)
            fields.setdefault("end_date", None)
            if fields.get("quantity_target") is None:
                fields["quantity_target"] = None
            return planning_services.create_action(
                goal, by=self.by, code=code, reason=self.reason, **fields
            )

        def update(item, **fields):
            return planning_services.update_action(item, by=self.by, reason=self.reason, **fields)

        action = self._item("action", key, self.actions, "act_name", create, update, given)
        if action and defining:
            self._schedule(row, action)
        return action

    def _schedule(self, row, action):
        keys = [key for key in row.values if key.startswith(layout.SCHEDULE_PREFIX)]
        if not keys:
            return
        wanted = {self.period_by_key[key].pk: row.get(key) for key in keys}
        current = self.schedules.get(action.pk, {})
        label = self._label("schedule", action.code)
        if all(value is None for value in wanted.values()):
            if current:
                result = self._call(
                    "schedule",
                    planning_services.clear_action_schedule,
                    action,
                    by=self.by,
                    reason=self.reason,
                )
                if result is not FAILED:
                    self.schedules[action.pk] = {}
                    self._note("schedule", UPDATED, label)
            return
        if all(current.get(pk) == value for pk, value in wanted.items()) and set(current) <= set(
            wanted
        ):
            self._note("schedule", UNCHANGED, label)
            return
        planned = {period: wanted.get(period.pk) for period in self.periods}
        result = self._call(
            "schedule",
            planning_services.set_action_schedule,
            action,
            by=self.by,
            planned=planned,
            reason=self.reason,
        )
        if result is not FAILED:
            self.schedules[action.pk] = {p.pk: v for p, v in planned.items()}
            self._note("schedule", CREATED if not current else UPDATED, label)

    def _indicator(self, row, measured):
        code = row.get("ind_code")
        defining = (("indicator", code) not in self.defined) and row.filled("ind_name")
        given = self._given(row, layout.INDICATOR_FIELDS)
        for name in layout.CHOICES & set(given):
            given[name] = given[name].value if given[name] is not None else ""
        if isinstance(measured, Goal):
            given.update(goal=measured, objective=None)
        else:
            given.update(goal=None, objective=measured)

        def create(**fields):
            return evaluation_services.create_indicator(
                by=self.by, code=code, reason=self.reason, **fields
            )

        def update(item, **fields):
            return evaluation_services.update_indicator(
                item, by=self.by, reason=self.reason, **fields
            )

        indicator = self._item(
            "indicator", code, self.indicators, "ind_name", create, update, given
        )
        if indicator and defining:
            self._targets(row, indicator)

    def _targets(self, row, indicator):
        keys = [key for key in row.values if key.startswith(layout.TARGET_PREFIX)]
        if not keys:
            return
        current = self.targets.get(indicator.pk, {})
        values = {}
        for key in keys:
            period = self.period_by_key[key]
            value = row.get(key)
            if current.get(period.pk) != value:
                values[period.pk] = value
        label = self._label("targets", indicator.code)
        status = UPDATED if current else CREATED
        if not values:
            if current:
                self._note("targets", UNCHANGED, label)
            return
        result = self._call(
            "targets",
            evaluation_services.set_targets,
            indicator,
            by=self.by,
            values=values,
            reason=self.reason,
        )
        if result is not FAILED:
            for period_id, target in result.items():
                if target is None:
                    current.pop(period_id, None)
                else:
                    current[period_id] = target.value
            self.targets[indicator.pk] = current
            self._note("targets", status, label)

    def _allocation(self, row, action):
        source, year = row.get("bud_source"), row.get("bud_year")
        rubro = row.get("bud_rubro") or ""
        fields = {
            "appropriation": row.get("bud_appropriation"),
            "bpin": row.get("bud_bpin") or "",
        }
        key = (action.pk, getattr(source, "pk", None), year, rubro)
        label = self._label("allocation", f"{action.code} {rubro}")
        allocation = self.allocations.get(key)
        if allocation is None:
            result = self._call(
                "allocation",
                management_services.create_allocation,
                action,
                by=self.by,
                source=source,
                year=year,
                rubro=rubro,
                **fields,
            )
            status = CREATED
        else:
            changes = {
                name: value for name, value in fields.items() if getattr(allocation, name) != value
            }
            if not changes:
                self._note("allocation", UNCHANGED, label)
                return
            result = self._call(
                "allocation",
                management_services.update_allocation,
                allocation,
                by=self.by,
                **changes,
            )
            status = UPDATED
        if result is not FAILED:
            self.allocations[key] = result
            self._note("allocation", status, label)
