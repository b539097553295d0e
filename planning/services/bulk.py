"""Bulk writes of the objective → goal → action tree and of the programación, for imports
(mipg.traceability's Plan de Acción spreadsheet): the rules of the single-item services
(tree.py, schedules.py), the same permissions checked once, the plan locked once, and the
same history rows written in bulk with the import's reason as their change reason.

What differs from calling the single-item services one by one, on purpose:
- the lookups the rules need (siblings, memberships, the catalogues' existence) are read
  once per call, not once per item; foreign keys are taken as the loaded objects they are
  (the caller found them in the catalogues), so ``full_clean`` skips their existence query;
- the sibling-weight rule is checked on the state after the whole batch, so a file moving
  weight from one sibling to another is accepted whatever its row order;
- the caller records one plan version for the whole import with the changes returned.

A refused item does not stop the others: each call saves what passes and returns the
problems of the rest ({index: ValidationError}), so the caller can report every problem of
a file at once; it rolls the whole transaction back when there is any (all or nothing).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from mipg.core.history import (
    copy_history,
    create_with_history,
    history_copies,
    update_with_history,
)
from mipg.core.permissions import require_perm
from planning.models import Action, ActionSchedule, Goal, Objective, StrategicPlan
from planning.selectors import periods_of
from planning.services._base import (
    ACTION_FIELDS,
    GOAL_FIELDS,
    M2M_MODELS,
    OBJECTIVE_FIELDS,
    PARENT_FIELD,
    _assign,
)
from planning.services.schedules import schedule_values
from planning.services.tree import _action_errors, _alignment_errors, _sibling_errors
from planning.services.versions import (
    VERSIONED_ITEM_FIELDS,
    change,
    field_changes,
    lock_open_plan,
)

ALLOWED = {Objective: OBJECTIVE_FIELDS, Goal: GOAL_FIELDS, Action: ACTION_FIELDS}
# Lookup from the model to its plan, to read every sibling of the plan at once.
PLAN_PATH = {Objective: "plan", Goal: "objective__plan", Action: "goal__objective__plan"}
FOREIGN_KEYS = {
    Objective: ["plan", "serves"],
    Goal: ["objective", "unit", "serves"],
    Action: ["goal", "unit", "responsible"],
}


def loaded_foreign_keys(obj, names):
    """The foreign keys among ``names`` that are set on ``obj``: the objects the caller
    loaded. ``full_clean`` would query each one's existence; the blank ones are left to it
    (a required one left blank is its error)."""
    return [name for name in names if getattr(obj, f"{name}_id") is not None]


@dataclass
class BulkResult:
    """``saved[i]``: the saved item of write i, or None when refused (its errors in
    ``errors[i]``); ``changes``: the entries for the plan version (versions.change)."""

    saved: list
    errors: dict = field(default_factory=dict)
    changes: list = field(default_factory=list)


def import_tree_items(plan, model, writes, *, by, reason):
    """Create or update objectives, goals or actions (``model``) of ``plan``.

    ``writes`` is a list of (item, fields): an existing item and the fields that change, or
    a new unsaved item with its parent and code set and the fields of its creation (what
    create_objective / create_goal / create_action take; missing ones take the same
    defaults: a new action takes its goal's unit). Many-to-many fields go in ``fields``.
    """
    if any(item.pk is None for item, _fields in writes):
        require_perm(by, f"planning.add_{model._meta.model_name}")
    if any(item.pk is not None for item, _fields in writes):
        require_perm(by, f"planning.change_{model._meta.model_name}")
    result = BulkResult(saved=[None] * len(writes))
    if not writes:
        return result
    with transaction.atomic():
        plan = lock_open_plan(plan)
        parent_field = PARENT_FIELD[model]
        siblings = _siblings_of(plan, model)
        positions = defaultdict(int)
        for parent_id, rows in siblings.items():
            positions[parent_id] = max((row["position"] for row in rows.values()), default=0)
        memberships = _memberships(model, writes)
        befores, m2ms = {}, {}
        for index, (item, fields) in enumerate(writes):
            new = item.pk is None
            if not new:
                versioned = [name for name in VERSIONED_ITEM_FIELDS if hasattr(item, name)]
                before = {name: getattr(item, name) for name in versioned}
                befores[index] = (versioned, before, item.weight)
            m2m = _assign(item, _with_defaults(item, fields) if new else fields, ALLOWED[model])
            m2ms[index] = {name: list(values) for name, values in m2m.items()}
            # Only a new item's parent is read: an existing one's would be a query per item.
            parent = getattr(item, parent_field) if new else None
            if getattr(parent, "archived", False):
                result.errors[index] = ValidationError(
                    _("«%(parent)s» está archivado; no se le pueden agregar elementos.")
                    % {"parent": parent}
                )
                continue
            if isinstance(item.code, str):
                item.code = item.code.strip()
            try:
                item.clean_fields(exclude=loaded_foreign_keys(item, FOREIGN_KEYS[model]))
            except ValidationError as exc:
                result.errors[index] = exc
                continue
        # Taken in the order the single-item services took a file: the weights that go
        # down first, then the rest in order; each sees its siblings as they are after the
        # items taken before it (a refused one keeps its old values, or is absent if new).
        lowered = [
            index
            for index, (item, _fields) in enumerate(writes)
            if index not in result.errors
            and item.pk is not None
            and item.weight < befores[index][2]
        ]
        order = lowered + [index for index in range(len(writes)) if index not in set(lowered)]
        for index in order:
            if index in result.errors:
                continue
            item, fields = writes[index]
            changed = None if item.pk is None else set(fields)
            try:
                _validate(item, plan, changed, siblings, memberships, m2ms[index], index)
            except ValidationError as exc:
                result.errors[index] = exc
                continue
            parent_id = getattr(item, f"{parent_field}_id")
            siblings[parent_id][item.pk or ("new", index)] = {
                "code": item.code,
                "weight": item.weight,
                "archived": item.archived,
                "position": item.position,
            }
        _write(model, writes, result, befores, m2ms, positions, by=by, reason=reason)
    return result


def _with_defaults(item, fields):
    """The defaults of the single-item create services for what ``fields`` leaves out."""
    fields = dict(fields)
    if isinstance(item, Action):
        fields.setdefault("unit", None)
        if fields["unit"] is None:
            fields["unit"] = item.goal.unit
    return fields


def _siblings_of(plan, model):
    """{parent id: {pk: {code, weight, archived, position}}} of every item of ``plan``."""
    parent_field = f"{PARENT_FIELD[model]}_id"
    rows = model.objects.filter(**{PLAN_PATH[model]: plan}).values(
        "pk", parent_field, "code", "weight", "archived", "position"
    )
    siblings = defaultdict(dict)
    for row in rows:
        siblings[row.pop(parent_field)][row.pop("pk")] = row
    return siblings


def _memberships(model, writes):
    """{user id: set of unit ids} of the responsibles of the actions written."""
    if model is not Action:
        return None
    people = {item.responsible_id for item, _fields in writes if item.responsible_id}
    people |= {getattr(fields.get("responsible"), "pk", None) for _item, fields in writes} - {None}
    memberships = defaultdict(set)
    units = get_user_model().units.through.objects.filter(user_id__in=people)
    for user_id, unit_id in units.values_list("user_id", "unit_id"):
        memberships[user_id].add(unit_id)
    return memberships


def _validate(item, plan, changed, siblings, memberships, m2m, index):
    """tree._save_item's checks after its ``clean_fields``, with the lookups in memory."""
    model = type(item)
    parent_id = getattr(item, f"{PARENT_FIELD[model]}_id")
    key = item.pk or ("new", index)
    others = [
        (row["code"], row["weight"], row["archived"])
        for pk, row in siblings[parent_id].items()
        if pk != key
    ]
    errors = _sibling_errors(item, others)
    if isinstance(item, Action):
        errors.update(_action_errors(item, plan, changed, memberships))
    if isinstance(item, Objective | Goal) and (changed is None or "serves" in changed):
        errors.update(_alignment_errors(item, plan))
    for name, values in m2m.items():
        if any(getattr(value, "pk", None) is None for value in values):
            errors[name] = _("Algunos de los elementos seleccionados no existen.")
    if errors:
        raise ValidationError(errors)
    # The database's own rules (uniqueness, checks) are the ones checked above in memory,
    # and the fields were cleaned before: what full_clean adds is the model's clean().
    clean_after_fields(item)


def clean_after_fields(obj):
    """What ``full_clean(validate_unique=False, validate_constraints=False)`` adds to a
    ``clean_fields`` that passed with nothing changed since: ``obj.clean()``, its errors
    shaped as full_clean shapes them. (Cleaning 50,000 items' fields twice was 10 % of a
    20,000-action import.)"""
    try:
        obj.clean()
    except ValidationError as exc:
        raise ValidationError(exc.update_error_dict({})) from None


def _write(model, writes, result, befores, m2ms, positions, *, by, reason):
    parent_field = f"{PARENT_FIELD[model]}_id"
    created, updated, names = [], [], set()
    for index, (item, fields) in enumerate(writes):
        if index in result.errors:
            continue
        item._change_reason = reason or None
        if item.pk is None:
            parent_id = getattr(item, parent_field)
            positions[parent_id] += 1
            item.position = positions[parent_id]
            created.append((index, item))
        else:
            updated.append((index, item))
            names |= set(fields) - set(M2M_MODELS)
        result.saved[index] = item
    if created:
        create_with_history([item for _index, item in created], model, by=by, reason=reason)
        result.changes += [change(item, "created") for _index, item in created]
    if updated and names:
        items = [item for _index, item in updated]
        update_with_history(items, model, sorted(names), by=by, reason=reason)
    for index, item in updated:
        versioned, before, _weight = befores[index]
        result.changes += field_changes(item, before, versioned)
    _write_m2m(model, [*created, *updated], m2ms, by=by, reason=reason)


def _write_m2m(model, written, m2ms, *, by, reason):
    """Set the many-to-many fields as ``.set()`` would, with the history row it makes (a
    "~" row copying the new set) when the set changes."""
    history = model.history.model
    changed_items = []
    for name in M2M_MODELS:
        if not hasattr(model, name):
            continue
        through = getattr(model, name).through
        own = f"{model._meta.model_name}_id"
        other = f"{M2M_MODELS[name]._meta.model_name}_id"
        wanted = {
            item.pk: {value.pk for value in m2ms[index][name]}
            for index, item in written
            if name in m2ms[index]
        }
        current = defaultdict(set)
        rows = through.objects.filter(**{f"{own}__in": list(wanted)})
        for item_id, value_id in rows.values_list(own, other):
            current[item_id].add(value_id)
        removed = [(pk, value) for pk in wanted for value in current[pk] - wanted[pk]]
        for pk, value in removed:
            through.objects.filter(**{own: pk, other: value}).delete()
        through.objects.bulk_create(
            through(**{own: pk, other: value})
            for pk in wanted
            for value in sorted(wanted[pk] - current[pk])
        )
        changed_items += [
            item
            for _index, item in written
            if item.pk in wanted and wanted[item.pk] != current[item.pk]
        ]
    if not changed_items:
        return
    unique = list({item.pk: item for item in changed_items}.values())
    if history_copies(model, by):
        records = copy_history(model, [item.pk for item in unique], by=by, reason=reason, kind="~")
    else:
        rows = model.history.bulk_history_create(
            unique, update=True, default_user=by, default_change_reason=reason
        )
        records = {record.id: record.pk for record in rows}
    # The history rows do not carry the many-to-many sets: copy them as a save would.
    for name in M2M_MODELS:
        if not hasattr(model, name):
            continue
        m2m_history = apps.get_model(model._meta.app_label, f"{history.__name__}_{name}")
        through = getattr(model, name).through
        own = f"{model._meta.model_name}_id"
        other = f"{M2M_MODELS[name]._meta.model_name}_id"
        fields = [f.attname for f in through._meta.fields]
        by_item = defaultdict(list)
        for row in through.objects.filter(**{f"{own}__in": [item.pk for item in unique]}):
            by_item[getattr(row, own)].append({name: getattr(row, name) for name in fields})
        m2m_history.objects.bulk_create(
            m2m_history(history_id=history_id, **values)
            for item_id, history_id in records.items()
            for values in by_item[item_id]
        )


def import_action_schedules(plan, planned, *, by, reason):
    """Set the programación of several actions of ``plan``: ``planned`` maps each action to
    {period: percentage} for every period of the plan, with set_action_schedule's rules
    (schedule_values). Returns a BulkResult aligned with ``planned``'s items."""
    require_perm(by, "planning.change_action")
    items = list(planned.items())
    result = BulkResult(saved=[None] * len(items))
    if not items:
        return result
    with transaction.atomic():
        plan = lock_open_plan(plan)
        periods = list(periods_of(plan))
        # (id, planned) of every programación row of the plan, as values: 80,000 rows built
        # as models were ≈ 1 s; a model is built for the rows that change only.
        existing = defaultdict(dict)
        rows = ActionSchedule.objects.filter(action__goal__objective__plan=plan).order_by()
        for pk, action_id, period_id, planned in rows.values_list(
            "pk", "action_id", "period_id", "planned"
        ):
            existing[action_id][period_id] = (pk, planned)
        # Only an approved plan records its changes (record_plan_version): 80,000 of them
        # written as text were 5 % of an import of 20,000 actions into a draft.
        versioned = plan.status == StrategicPlan.Status.APPROVED
        created, updated = [], []
        for index, (action, values) in enumerate(items):
            try:
                checked = schedule_values(periods, values)
            except ValidationError as exc:
                result.errors[index] = exc
                continue
            for period, value in checked.items():
                pk, old = existing[action.pk].get(period.pk, (None, ""))
                if pk is not None and old == value:
                    continue
                if versioned:
                    label = f"{action} — {period.label}"
                    result.changes.append(change(label, "schedule", old, value))
                # No full_clean: ``planned`` is the only field set, and schedule_values took
                # it as a Decimal between 0 and 100 with at most 2 decimals — what its
                # field (5 digits, 2 decimals) and PERCENT_VALIDATORS check.
                if pk is None:
                    created.append((action.pk, period.pk, value))
                else:
                    updated.append(
                        ActionSchedule(
                            pk=pk, action_id=action.pk, period_id=period.pk, planned=value
                        )
                    )
            result.saved[index] = action
        if created:
            _create_schedules(created, by=by, reason=reason)
        if updated:
            update_with_history(updated, ActionSchedule, ["planned"], by=by, reason=reason)
    return result


def _create_schedules(rows, *, by, reason):
    """Insert the new programación ``rows`` ((action id, period id, planned)) with their
    history rows. On PostgreSQL one INSERT ... SELECT FROM UNNEST of three array literals
    (80,000 rows built as models and sent value by value by bulk_create were ≈ 15 % of an
    import of 20,000 actions); elsewhere create_with_history."""
    if connection.vendor != "postgresql" or not history_copies(ActionSchedule, by):
        schedules = [
            ActionSchedule(action_id=action_id, period_id=period_id, planned=planned)
            for action_id, period_id, planned in rows
        ]
        create_with_history(schedules, ActionSchedule, by=by, reason=reason)
        return
    quote = connection.ops.quote_name
    opts = ActionSchedule._meta
    columns = [opts.get_field(name).column for name in ("action", "period", "planned")]
    arrays = ["{" + ",".join(str(row[i]) for row in rows) + "}" for i in range(3)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(c) for c in columns)}) "
            "SELECT * FROM UNNEST(%s::bigint[], %s::bigint[], %s::numeric[]) "
            f"RETURNING {quote(opts.pk.column)}",
            arrays,
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    copy_history(ActionSchedule, ids, by=by, reason=reason, kind="+")
