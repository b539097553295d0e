"""Import a Plan de Acción workbook into a plan, all or nothing, through the bulk services of
the apps that own the items: planning (objectives, goals, actions, programación —
planning.services.bulk), evaluation (indicators and their targets —
evaluation.services.imports) and management (budget allocations —
management.services.imports). They apply the rules of the single-item services of the UI,
check the same permissions (once per call) and write the same history rows, with
"Importación de <archivo>" as their change reason; an approved plan gets one new version
with that reason listing every versioned change of the import.

Items are found by their codes: an objective by its code in the plan, a goal by its code
under its objective, an action under its goal, an indicator in the plan, an allocation by
its action, source, year and rubro. A code seen for the first time with a name creates or
updates the item from that row; later rows with the same code only place what hangs from
it. Only what differs is written (compared in memory), so importing the same file twice
changes nothing and writes nothing.

The file is written level by level (objectives, goals, actions and their programación,
indicators and their targets, allocations), each level in one call of its bulk service, in
one transaction. Every row is tried so that the user sees all the problems at once; an item
whose parent was refused is not tried. If there is any problem, or when only previewing,
the transaction is rolled back.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from evaluation.models import Indicator, IndicatorTarget
from evaluation.services.imports import import_indicators, import_targets
from management.models import BudgetAllocation
from management.services.imports import import_allocations
from mipg.core.permissions import require_perm
from mipg.traceability.spreadsheet import layout
from mipg.traceability.spreadsheet.catalogues import load_catalogues, user_catalogue
from mipg.traceability.spreadsheet.reading import Problem, read_sheet
from planning import services as planning_services
from planning.models import Action, ActionSchedule, Goal, Objective
from planning.selectors import periods_of
from planning.services.bulk import import_action_schedules, import_tree_items
from planning.services.versions import lock_open_plan, record_plan_version

IMPORT_PERMISSION = "planning.change_strategicplan"  # Planeación and Administrador
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
KINDS = ("objective", "goal", "action", "schedule", "indicator", "targets", "allocation")


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


def import_plan(plan, source, *, by, filename, commit, progress=None):
    """Read ``source`` (a path or file) and import it into ``plan`` as ``by``; saved only
    when ``commit`` and there is no problem. Returns the Outcome.

    ``progress``, when given, is called as ``progress(step, rows)``: "read" with the rows
    read so far, then "save" with all the rows when the writing starts (a queued import
    shows it; the writing is one transaction, whose progress no other request could see)."""
    require_perm(by, IMPORT_PERMISSION, _("Solo Planeación y Administrador importan planes."))
    periods = list(periods_of(plan))
    sheet = read_sheet(
        source,
        periods,
        catalogues=load_catalogues(),
        users=user_catalogue(),
        progress=progress and (lambda done: progress("read", done)),
    )
    outcome = Outcome(columns=sheet.columns, problems=list(sheet.problems), rows=len(sheet.rows))
    if sheet.problems:
        return outcome
    if progress:
        progress("save", outcome.rows)
    with transaction.atomic():
        try:
            lock_open_plan(plan)
            _Importer(plan, periods, by=by, filename=filename, outcome=outcome).run(sheet.rows)
        except (ValidationError, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc) or _("No tiene permiso.")]
            outcome.problems += [Problem(None, None, message) for message in messages]
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
        self.defined = set()  # (kind, key) of the items already taken from a row
        self.failed = set()
        self.unreadable = set()  # (row, column) of the cells that could not be read
        self.changes = []  # versioned changes, for one plan version
        self.objectives = {
            o.code: o for o in Objective.objects.filter(plan=plan).prefetch_related("policies")
        }
        self.goals = {
            (g.objective_id, g.code): g
            for g in Goal.objects.filter(objective__plan=plan).select_related("unit")
        }
        self.actions = {
            (a.goal_id, a.code): a
            for a in Action.objects.filter(goal__objective__plan=plan).prefetch_related(
                "institutional_plans"
            )
        }
        self.schedules = defaultdict(dict)
        for action_id, period_id, planned in (
            ActionSchedule.objects.filter(action__goal__objective__plan=plan)
            .order_by()
            .values_list("action_id", "period_id", "planned")
        ):
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
        for row in rows:
            self.outcome.problems += row.problems
            self.unreadable |= {(p.row, p.column) for p in row.problems}
        for walk in (
            self._objectives,
            self._goals,
            self._actions,
            self._indicators,
            self._allocations,
        ):
            walk(rows)
        for row in rows:
            self._orphans(row)
        record_plan_version(self.plan, by=self.by, reason=self.reason, changes=self.changes)
        # Row order, as a reader goes through the file (stable: a row's own order stays).
        self.outcome.problems.sort(key=lambda p: -1 if p.row is None else p.row)

    def _orphans(self, row):
        """What a row gives without the level it hangs from."""
        if row.filled("act_code") and not row.filled("goal_code"):
            self._problem(row, "goal_code", _("Indique la meta de la actividad."))
        budget = any(row.filled(c.key) for c in layout.BUDGET_COLUMNS)
        if budget and not row.filled("act_code"):
            self._problem(row, "act_code", _("Indique la actividad de este presupuesto."))

    def _note(self, row, kind, status, label):
        self.outcome.counts[kind][status] += 1
        self.outcome.notes[row.number].append(f"{label}: {self.status_texts[status]}")

    def _problem(self, row, column, message):
        if (row.number, column) in self.unreadable:
            return  # the cell could not be read: its own problem says why
        self.outcome.problems.append(Problem(row.number, column, str(message)))

    def _refused(self, row, kind, exc):
        """A service's refusal as problems in the row's cells."""
        columns = layout.ERROR_COLUMNS.get(kind, {})
        if isinstance(exc, PermissionDenied):
            self._problem(row, layout.CODE_COLUMNS[kind], str(exc) or _("No tiene permiso."))
        elif hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                column = self._error_column(kind, name, columns)
                for message in messages:
                    self._problem(row, column, message)
        else:
            for message in exc.messages:
                self._problem(row, layout.CODE_COLUMNS[kind], message)

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

    def _missing(self, row, kind, column, code):
        messages = {
            "objective": _("El objetivo «%(code)s» no existe en el plan: escriba su nombre."),
            "goal": _("La meta «%(code)s» no existe en el objetivo: escriba su nombre."),
            "action": _("La actividad «%(code)s» no existe en la meta: escriba su nombre."),
            "indicator": _("El indicador «%(code)s» no existe en el plan: escriba su nombre."),
        }
        self._problem(row, column, messages[kind] % {"code": code})

    def _label(self, kind, key):
        code = key[-1] if isinstance(key, tuple) else key
        return f"{self.kind_names[kind]} {code}"

    def _found(self, kind, key, existing):
        """The item of ``key`` unless it was refused (None then)."""
        return None if (kind, key) in self.failed else existing.get(key)

    # --- one level --------------------------------------------------------------------

    def _level(self, kind, rows, existing, name_column, save):
        """Walk ``rows`` (row, key, given, new) of one level: the row that defines an item
        creates it (``new()`` an unsaved item) or updates what differs; ``save(writes)``
        is the level's bulk service. Returns {key: defining row} of the items written or
        left alone."""
        writes, owners, defining = [], [], {}
        for row, key, given, new in rows:
            if (kind, key) in self.failed:
                continue
            item = existing.get(key)
            if not self._defining(kind, key, row, name_column):
                if item is None and (kind, key) not in self.defined:
                    code = key[-1] if isinstance(key, tuple) else key
                    self._missing(row, kind, name_column, code)
                    self.failed.add((kind, key))
                continue
            defining[key] = row
            if item is None:
                writes.append((new(), given))
                owners.append((row, key, CREATED))
                continue
            changes = self._changes(item, given)
            if not changes:
                self._note(row, kind, UNCHANGED, self._label(kind, key))
                continue
            writes.append((item, changes))
            owners.append((row, key, UPDATED))
        result = save(writes)
        self.changes += result.changes
        for index, (row, key, status) in enumerate(owners):
            if index in result.errors:
                self._refused(row, kind, result.errors[index])
                self.failed.add((kind, key))
                defining.pop(key, None)
                continue
            existing[key] = result.saved[index]
            self._note(row, kind, status, self._label(kind, key))
        return defining

    def _tree_save(self, model):
        def save(writes):
            return import_tree_items(self.plan, model, writes, by=self.by, reason=self.reason)

        return save

    # --- items ------------------------------------------------------------------------

    def _objectives(self, rows):
        walked = []
        for row in rows:
            if not row.filled("obj_code"):
                self._problem(row, "obj_code", _("Indique el código del objetivo."))
                continue
            code = row.get("obj_code")
            given = self._given(row, layout.OBJECTIVE_FIELDS)
            walked.append((row, code, given, self._new(Objective, plan=self.plan, code=code)))
        self._level(
            "objective",
            self._default_weights(walked, self.objectives),
            self.objectives,
            "obj_name",
            self._tree_save(Objective),
        )

    def _goals(self, rows):
        walked = []
        for row in rows:
            objective = self._found("objective", row.get("obj_code"), self.objectives)
            if not (objective and row.filled("goal_code")):
                continue
            code = row.get("goal_code")
            given = self._given(row, layout.GOAL_FIELDS)
            new = self._new(Goal, objective=objective, code=code)
            walked.append((row, (objective.pk, code), given, new))
        self._level(
            "goal",
            self._default_weights(walked, self.goals),
            self.goals,
            "goal_name",
            self._tree_save(Goal),
        )

    def _actions(self, rows):
        walked = []
        for row in rows:
            goal = self._goal_of(row)
            if not (goal and row.filled("act_code")):
                continue
            code = row.get("act_code")
            given = self._given(row, layout.ACTION_FIELDS)
            if given.get("unit", False) is None:
                del given["unit"]  # blank: the goal's unit, as in the form
            new = self._new(Action, goal=goal, code=code)
            walked.append((row, (goal.pk, code), given, new))
        defining = self._level(
            "action",
            self._default_weights(walked, self.actions),
            self.actions,
            "act_name",
            self._tree_save(Action),
        )
        self._schedules(defining)

    def _goal_of(self, row):
        objective = self._found("objective", row.get("obj_code"), self.objectives)
        if not (objective and row.filled("goal_code")):
            return None
        return self._found("goal", (objective.pk, row.get("goal_code")), self.goals)

    def _new(self, model, **fields):
        def new():
            return model(**fields)

        return new

    def _default_weights(self, walked, existing):
        """A weight not given (blank or no column) is 0 for a new item, as the single-item
        create services were given it, and left as it is for an existing one."""
        for _row, key, given, _new in walked:
            if key not in existing:
                given.setdefault("weight", 0)
        return walked

    def _schedules(self, defining):
        planned, owners = {}, []
        for key, row in defining.items():
            action = self.actions[key]
            keys = [k for k in row.values if k.startswith(layout.SCHEDULE_PREFIX)]
            if not keys:
                continue
            wanted = {self.period_by_key[k].pk: row.get(k) for k in keys}
            current = self.schedules.get(action.pk, {})
            label = self._label("schedule", action.code)
            if all(value is None for value in wanted.values()):
                if current:
                    self._clear_schedule(row, action, label)
                continue
            if all(current.get(pk) == value for pk, value in wanted.items()) and set(
                current
            ) <= set(wanted):
                self._note(row, "schedule", UNCHANGED, label)
                continue
            planned[action] = {period: wanted.get(period.pk) for period in self.periods}
            owners.append((row, action, UPDATED if current else CREATED, label))
        result = import_action_schedules(self.plan, planned, by=self.by, reason=self.reason)
        self.changes += result.changes
        for index, (row, action, status, label) in enumerate(owners):
            if index in result.errors:
                self._refused(row, "schedule", result.errors[index])
                continue
            self.schedules[action.pk] = {p.pk: v for p, v in planned[action].items()}
            self._note(row, "schedule", status, label)

    def _clear_schedule(self, row, action, label):
        """Rare (a programación emptied in the file): the single-item service."""
        try:
            with transaction.atomic():
                planning_services.clear_action_schedule(action, by=self.by, reason=self.reason)
        except (ValidationError, PermissionDenied) as exc:
            self._refused(row, "schedule", exc)
            return
        self.schedules[action.pk] = {}
        self._note(row, "schedule", UPDATED, label)

    def _indicators(self, rows):
        walked = []
        for row in rows:
            objective = self._found("objective", row.get("obj_code"), self.objectives)
            if not (row.filled("ind_code") and objective):
                continue
            measured = self._goal_of(row) if row.filled("goal_code") else objective
            if not measured:
                continue
            code = row.get("ind_code")
            given = self._given(row, layout.INDICATOR_FIELDS)
            for name in layout.CHOICES & set(given):
                given[name] = given[name].value if given[name] is not None else ""
            if isinstance(measured, Goal):
                given.update(goal=measured, objective=None)
            else:
                given.update(goal=None, objective=measured)
            new = self._new_indicator(code, given)
            walked.append((row, code, given, new))

        def save(writes):
            # A new indicator is built from all its fields: nothing more to set.
            writes = [(item, {} if item.pk is None else fields) for item, fields in writes]
            return import_indicators(self.plan, writes, by=self.by, reason=self.reason)

        defining = self._level("indicator", walked, self.indicators, "ind_name", save)
        self._targets(defining)

    def _new_indicator(self, code, given):
        def new():
            return Indicator(code=code, **given)

        return new

    def _targets(self, defining):
        values, owners = {}, []
        for code, row in defining.items():
            indicator = self.indicators[code]
            keys = [key for key in row.values if key.startswith(layout.TARGET_PREFIX)]
            if not keys:
                continue
            current = self.targets.get(indicator.pk, {})
            changed = {}
            for key in keys:
                period = self.period_by_key[key]
                value = row.get(key)
                if current.get(period.pk) != value:
                    changed[period.pk] = value
            label = self._label("targets", indicator.code)
            if not changed:
                if current:
                    self._note(row, "targets", UNCHANGED, label)
                continue
            values[indicator] = changed
            owners.append((row, indicator, UPDATED if current else CREATED, label))
        result = import_targets(self.plan, values, by=self.by, reason=self.reason)
        self.changes += result.changes
        for index, (row, indicator, status, label) in enumerate(owners):
            if index in result.errors:
                self._refused(row, "targets", result.errors[index])
                continue
            current = self.targets[indicator.pk]
            for period_id, target in result.saved[index].items():
                if target is None:
                    current.pop(period_id, None)
                else:
                    current[period_id] = target.value
            self._note(row, "targets", status, label)

    def _allocations(self, rows):
        writes, owners = [], []
        for row in rows:
            if not any(row.filled(c.key) for c in layout.BUDGET_COLUMNS):
                continue
            goal = self._goal_of(row)
            action = goal and self._found("action", (goal.pk, row.get("act_code")), self.actions)
            if not (action and row.filled("act_code")):
                continue
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
                new = BudgetAllocation(action=action, source=source, year=year, rubro=rubro)
                new.appropriation, new.bpin = fields["appropriation"], fields["bpin"]
                writes.append((new, {}))
                owners.append((row, key, CREATED, label))
                continue
            changes = {
                name: value for name, value in fields.items() if getattr(allocation, name) != value
            }
            if not changes:
                self._note(row, "allocation", UNCHANGED, label)
                continue
            writes.append((allocation, changes))
            owners.append((row, key, UPDATED, label))
        result = import_allocations(self.plan, writes, by=self.by, reason=self.reason)
        self.changes += result.changes
        for index, (row, key, status, label) in enumerate(owners):
            if index in result.errors:
                self._refused(row, "allocation", result.errors[index])
                continue
            self.allocations[key] = result.saved[index]
            self._note(row, "allocation", status, label)
