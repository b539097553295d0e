"""Reads of django-simple-history for the history page: who changed what and when.

``history_page`` turns one page of an object's historical records into entries with the
fields that changed since the previous record, in a fixed number of queries whatever the
number of records or changes: the count, the page (plus the record just before it, to
diff the oldest one), one query per foreign-key target model to name the related objects,
and two per many-to-many field (its historical rows and the names of their targets).

``create_with_history`` and ``update_with_history`` are the writes here: the bulk
creations and changes of imports, with the history rows copied by the database instead of
built as objects.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import AutoField, IntegerField
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_app_model_primary_key_name,
    get_history_manager_for_model,
)

from mipg.core.web import PAGE_SIZE

EMPTY = "—"
# bulk_update sets each field with one CASE WHEN pk = … per row of its batch, which the
# database evaluates for every row: one batch of 25,600 allocations was 13 s of an import.
UPDATE_BATCH = 500


@dataclass
class Change:
    field: str
    label: str
    old: object
    new: object
    old_text: str = ""
    new_text: str = ""


@dataclass
class Entry:
    record: object
    kind: str  # "+", "~" or "-"
    changes: list = field(default_factory=list)

    @property
    def kind_label(self):
        return {"+": _("Creación"), "~": _("Modificación"), "-": _("Eliminación")}[self.kind]

    @property
    def reason(self):
        return self.record.history_change_reason or ""


def create_with_history(objs, model, *, by, reason):
    """``bulk_create`` the unsaved ``objs`` of ``model`` and their "+" history rows: the rows
    simple_history's ``bulk_create_with_history(objs, model, default_user=by,
    default_change_reason=reason)`` writes, but copied by the database from the rows just
    inserted (``copy_history``) instead of built and sent as one Python object per row:
    half the objects and half the data an import of 20,000 actions sends. Returns ``objs``.
    Falls back to simple_history where ``copy_history`` does not apply."""
    if not history_copies(model, by):
        return bulk_create_with_history(objs, model, default_user=by, default_change_reason=reason)
    objs = model._default_manager.bulk_create(objs)
    copy_history(model, [obj.pk for obj in objs], by=by, reason=reason, kind="+")
    return objs


def update_with_history(objs, model, names, *, by, reason, batch_size=UPDATE_BATCH):
    """Save the fields ``names`` of the changed ``objs`` of ``model`` and write the "~"
    history row each ``save()`` would (the row as saved, ``by``, ``reason``): bulk_update
    in batches, then the history copied by the database (``copy_history``); simple_history's
    ``bulk_update_with_history`` where that does not apply."""
    if not objs:
        return
    if not history_copies(model, by):
        bulk_update_with_history(
            objs,
            model,
            names,
            default_user=by,
            default_change_reason=reason,
            batch_size=batch_size,
        )
        return
    update_rows(objs, model, names, batch_size=batch_size)
    copy_history(model, [obj.pk for obj in objs], by=by, reason=reason, kind="~")


# The fields update_rows sends as arrays on PostgreSQL: their values are plain ones.
ARRAY_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DecimalField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


UNNEST_UPDATE = (
    "UPDATE {table} AS t SET {sets} FROM unnest({arrays}) AS v({names}) WHERE t.{pk} = v.{pk}"
)


def update_rows(objs, model, names, *, batch_size=UPDATE_BATCH):
    """``bulk_update(objs, names)`` without signals or history. On PostgreSQL one
    ``UPDATE … FROM unnest(array, …)`` with one array literal per column (bulk_update's
    CASE WHEN pk = … is compiled in Python and evaluated by the database per row and per
    field: 20,000 actions and 25,600 allocations were ≈ 10 s of an import); elsewhere, or
    for a field that is not a plain value, bulk_update in batches."""
    if not objs:
        return
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    plain = all(f.concrete and not f.primary_key for f in fields) and all(
        f.get_internal_type() in ARRAY_TYPES for f in [opts.pk, *fields]
    )
    if connection.vendor != "postgresql" or not plain:
        model._default_manager.bulk_update(objs, names, batch_size=batch_size)
        return
    columns = [opts.pk, *fields]
    quote = connection.ops.quote_name
    arrays = [
        [column.get_db_prep_save(getattr(obj, column.attname), connection) for obj in objs]
        for column in columns
    ]
    statement = UNNEST_UPDATE.format(
        table=quote(opts.db_table),
        sets=", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields),
        arrays=", ".join(f"%s::{c.cast_db_type(connection)}[]" for c in columns),
        names=", ".join(quote(c.column) for c in columns),
        pk=quote(opts.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, arrays)


def history_copies(model, by):
    """Whether ``copy_history`` can write the history of ``model`` for ``by``: the database
    returns the rows it inserts, there is a user (simple_history's default one comes from
    the request), history is enabled and the history model is a plain one."""
    history = get_history_manager_for_model(model).model
    return (
        by is not None
        and connection.features.can_return_rows_from_bulk_insert
        and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and not hasattr(history, "history_relation")
    )


def copy_history(model, ids, *, by, reason, kind):
    """Write one history row of type ``kind`` ("+" or "~") for each row ``ids`` of
    ``model`` as it is now in the database, as simple_history's ``bulk_history_create``
    does (every tracked field, ``by`` as the user, ``reason`` as the change reason), with
    INSERT ... SELECT: one query on PostgreSQL, a few thousand ids per query elsewhere.
    The rows share one ``history_date``, that of the call. Returns {id: history id}.
    Only where ``history_copies(model, by)``."""
    if not ids:
        return {}
    history = get_history_manager_for_model(model).model
    quote = connection.ops.quote_name
    copied = [history._meta.get_field(f.name).column for f in history.tracked_fields]
    sources = [model._meta.get_field(f.name).column for f in history.tracked_fields]
    marks = [
        history._meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    values = [connection.ops.adapt_datetimefield_value(timezone.now()), reason, kind, by.pk]
    pk = quote(model._meta.pk.column)
    history_pk = quote(history._meta.pk.column)
    copied_pk = quote(history._meta.get_field(model._meta.pk.name).column)
    statement = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({', '.join(quote(c) for c in [*copied, *marks])}) "
        f"SELECT {', '.join(quote(c) for c in sources)}, %s, %s, %s, %s "
        f"FROM {quote(model._meta.db_table)} WHERE {{where}} ORDER BY {pk} "
        f"RETURNING {copied_pk}, {history_pk}"
    )
    integer = isinstance(model._meta.pk, AutoField | IntegerField)
    if connection.vendor == "postgresql" and integer:
        # One array literal: no limit on parameters, and cheap to send.
        chunks = [(f"{pk} = ANY(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"])]
    else:
        size = (connection.features.max_query_params or 10000) - len(values)
        chunks = [
            (f"{pk} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            for chunk in (ids[start : start + size] for start in range(0, len(ids), size))
        ]
    written = {}
    with connection.cursor() as cursor:
        for where, params in chunks:
            cursor.execute(statement.format(where=where), [*values, *params])
            written.update(cursor.fetchall())
    return written


def history_records(model, pk):
    """The historical records of ``model`` row ``pk``, newest first. Raises
    simple_history's NotHistoricalModelError when ``model`` keeps no history."""
    manager = get_history_manager_for_model(model)
    return (
        manager.filter(**{get_app_model_primary_key_name(model): pk})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )


def history_page(model, pk, page_number, *, per_page=PAGE_SIZE):
    """(page, entries) for one page of the history of ``model`` row ``pk``."""
    records_qs = history_records(model, pk)
    page = Paginator(records_qs, per_page).get_page(page_number)
    if not page.paginator.count:
        return page, []
    # One more record than the page holds: the one its oldest entry is compared with.
    records = list(records_qs[page.start_index() - 1 : page.end_index() + 1])
    shown = records[: page.end_index() - page.start_index() + 1]
    m2m_values = _m2m_values(records)

    entries = []
    for index, record in enumerate(shown):
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = Entry(record, record.history_type)
        if record.history_type == "~" and previous is not None:
            entry.changes = _diff(record, previous, m2m_values)
        elif record.history_type == "+" or previous is None:
            entry.changes = _initial_values(record, m2m_values)
        entries.append(entry)
    _describe(model, [change for entry in entries for change in entry.changes])
    return page, entries


def _m2m_fields(record):
    return list(getattr(type(record), "_history_m2m_fields", []) or [])


def _m2m_values(records):
    """{m2m field name: {history_id: frozenset of target ids}} for ``records``."""
    if not records:
        return {}
    history_model = type(records[0])
    values = {}
    for m2m in _m2m_fields(records[0]):
        through = getattr(history_model, m2m.name).model
        target = _through_target(through, m2m)
        rows = through.objects.filter(history__in=[r.pk for r in records]).values_list(
            "history_id", target.attname
        )
        by_record = {r.pk: set() for r in records}
        for history_id, target_id in rows:
            by_record[history_id].add(target_id)
        values[m2m.name] = {key: frozenset(ids) for key, ids in by_record.items()}
    return values


def _through_target(through, m2m):
    """The foreign key of a historical through model that points at the m2m's targets."""
    for candidate in through._meta.fields:
        if candidate.is_relation and candidate.related_model is m2m.related_model:
            return candidate
    raise LookupError(f"No target field for {m2m.name} in {through.__name__}")


def _diff(record, previous, m2m_values):
    excluded = [m2m.name for m2m in _m2m_fields(record)]
    delta = record.diff_against(previous, excluded_fields=excluded)
    changes = [Change(c.field, "", c.old, c.new) for c in delta.changes]
    for name, by_record in m2m_values.items():
        old, new = by_record.get(previous.pk, frozenset()), by_record.get(record.pk, frozenset())
        if old != new:
            changes.append(Change(name, "", old, new))
    return changes


def _initial_values(record, m2m_values):
    changes = []
    for tracked in record.tracked_fields:
        if not tracked.editable or tracked.primary_key:
            continue
        value = getattr(record, tracked.attname)
        if value not in (None, ""):
            changes.append(Change(tracked.name, "", None, value))
    for name, by_record in m2m_values.items():
        if by_record.get(record.pk):
            changes.append(Change(name, "", frozenset(), by_record[record.pk]))
    return changes


def _describe(model, changes):
    """Fill in labels and display texts, naming related objects with one query per
    related model."""
    wanted = {}
    for change in changes:
        model_field = model._meta.get_field(change.field)
        change.label = str(capfirst(model_field.verbose_name))
        if model_field.is_relation:
            ids = wanted.setdefault(model_field.related_model, set())
            for value in (change.old, change.new):
                if isinstance(value, frozenset):
                    ids.update(value)
                elif value is not None:
                    ids.add(value)
    names = {related: _names(related, ids) for related, ids in wanted.items()}
    for change in changes:
        model_field = model._meta.get_field(change.field)
        change.old_text = _text(model_field, change.old, names)
        change.new_text = _text(model_field, change.new, names)


def _names(related, ids):
    """{pk: str(object)} of ``related`` objects, following one level of foreign keys in
    the same query (several models name themselves through one)."""
    forward = [f.name for f in related._meta.fields if f.is_relation and f.many_to_one]
    objects = related._base_manager.select_related(*forward).in_bulk(list(ids))
    return {pk: str(obj) for pk, obj in objects.items()}


def _text(model_field, value, names):
    if value is None or value == "" or value == frozenset():
        return EMPTY
    if model_field.is_relation:
        known = names.get(model_field.related_model, {})
        values = sorted(value) if isinstance(value, frozenset) else [value]
        texts = [known.get(pk, _("#%(pk)s (eliminado)") % {"pk": pk}) for pk in values]
        return ", ".join(sorted(texts))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if isinstance(value, datetime | date | Decimal | int | float):
        return formats.localize(value)
    return str(value)
