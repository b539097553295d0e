"""The review transitions of every reviewed kind of figure (MIPG.md §5): submit, approve,
return, and the evidence files attached while the figure is editable. One implementation
for progress reports and measurements.

Each app describes its kind once in a `ReviewedKind` next to its services and passes it
in (the ground imports no app). Every transition runs in one transaction: lock the rows,
check who may do it (the first line of the figure's unit submits, the planning office
reviews, never the one who submitted), refuse a locked period, move the state, full_clean,
save with the history user.

Reopening an approved figure (MIPG.md §5): the planning office only (the review
permission), with a reason, back to returned; the figure stops counting until approved
again. Submitting refuses a period that has not started and, for kinds that require it when
the entity asks (`Entity.evidence_required_to_submit`), a figure without evidence; the
kind's `check_submit` adds its own rules (e.g. a lower cumulative progress needs an
explanation).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mipg.core.evidence import validate_evidence_file
from mipg.core.files import save_with_file
from mipg.core.models import Entity
from mipg.core.permissions import can_report, require, require_perm
from mipg.core.review.workflow import (
    ensure_editable,
    ensure_period_open,
    ensure_period_started,
    ensure_transition,
    mark_approved,
    mark_reopened,
    mark_returned,
    mark_submitted,
)


@dataclass(frozen=True)
class ReviewedKind:
    """What differs between kinds of reviewed figures in the transitions."""

    model: type  # its "submit" and "review" permissions guard the transitions
    name: str  # the evidence's foreign key to the figure
    subject: str  # the figure's foreign key to what it reports on, which has the unit
    evidence_model: type
    # lock(figure): inside the transaction, lock the rows in the app's lock order and
    # return the locked figure, with `period` and `subject` loaded (may be `figure` itself).
    # It starts with the figure's plan and refuses a closed plan (the ground cannot read
    # plans): every step below goes through it.
    lock: Callable[[Any], Any]
    not_reporter: str  # PermissionDenied for users who may not report for the unit
    not_reviewer: str  # PermissionDenied for users who may not review
    own_submission: str  # PermissionDenied when the submitter tries to approve
    # Whether Entity.evidence_required_to_submit applies to this kind.
    evidence_required: bool = False
    # check_submit(figure): the kind's own rules before submitting, on the locked figure;
    # raises ValidationError.
    check_submit: Callable[[Any], None] | None = None

    def perm(self, action, model=None):
        """The Django permission "<app>.<action>_<model>" (view, add, change, submit, review,
        delete) of the figure's model, or of `model` (the evidence's)."""
        opts = (model or self.model)._meta
        return f"{opts.app_label}.{get_permission_codename(action, opts)}"

    def require_reporter(self, user, subject, perm=None):
        """Only active members of the unit of `subject` (an action, an indicator) with the
        submit permission, and `perm` when given, report figures on it."""
        require(
            (perm is None or user.has_perm(perm))
            and can_report(user, unit_id=subject.unit_id, perm=self.perm("submit")),
            self.not_reporter,
        )


def submit(figure, *, kind, by):
    """Send a draft or returned figure to the planning office for review."""
    with transaction.atomic():
        current = kind.lock(figure)
        kind.require_reporter(by, getattr(current, kind.subject))
        ensure_period_open(current.period)
        entity = Entity.current()
        ensure_period_started(current.period, entity=entity)
        ensure_transition(current, "submit")
        if (
            kind.evidence_required
            and entity.evidence_required_to_submit
            and not current.evidence.exists()
        ):
            raise ValidationError(
                {"file": _("Adjunte al menos una evidencia antes de enviar a revisión.")}
            )
        if kind.check_submit is not None:
            kind.check_submit(current)
        mark_submitted(current, by=by)
        return _save(figure, current, by=by)


def approve(figure, *, kind, by, comment=""):
    """Approve a submitted figure; from now on it counts. Not by its own submitter."""

    def mark(current):
        # Segregation of duties: whoever sent a figure may not approve it.
        require(current.submitted_by_id != by.pk, kind.own_submission)
        mark_approved(current, by=by, comment=comment or "")

    return _review(figure, kind=kind, by=by, mark=mark)


def return_(figure, *, kind, by, comment):
    """Return a submitted figure to its unit with a comment explaining why."""
    return _review(
        figure,
        kind=kind,
        by=by,
        mark=lambda current: mark_returned(current, by=by, comment=comment),
    )


def reopen(figure, *, kind, by, reason):
    """Reopen an approved figure: back to returned with the reason as review comment; it
    stops counting. The planning office only; refused in a locked period."""
    return _review(
        figure, kind=kind, by=by, mark=lambda current: mark_reopened(current, by=by, reason=reason)
    )


def _review(figure, *, kind, by, mark):
    """A reviewer's step on a figure: ``mark(current)`` on the locked current row of a
    figure of an open period, then save."""
    require_perm(by, kind.perm("review"), kind.not_reviewer)
    with transaction.atomic():
        current = kind.lock(figure)
        ensure_period_open(current.period)
        mark(current)
        return _save(figure, current, by=by)


def add_evidence(figure, *, kind, by, file):
    """Attach an evidence file to a draft or returned figure."""
    with transaction.atomic():
        current = _lock_for_evidence(figure, kind=kind, by=by, action="add")
        name = validate_evidence_file(file)
        evidence = kind.evidence_model(
            **{kind.name: current}, file=file, original_name=name, size=file.size, uploaded_by=by
        )
        evidence.full_clean()
        # The file is stored now; it is deleted again if the transaction does not commit.
        save_with_file(evidence)
        return evidence


def remove_evidence(evidence, *, kind, by):
    """Delete an evidence file of a draft or returned figure: the row now, the stored file
    once the transaction commits (mipg.core.files)."""
    with transaction.atomic():
        evidence = kind.evidence_model.objects.select_for_update().get(pk=evidence.pk)
        _lock_for_evidence(getattr(evidence, kind.name), kind=kind, by=by, action="delete")
        evidence.delete()


def _lock_for_evidence(figure, *, kind, by, action):
    current = kind.lock(figure)
    kind.require_reporter(
        by, getattr(current, kind.subject), kind.perm(action, kind.evidence_model)
    )
    ensure_period_open(current.period)
    # Evidence is part of what the planning office reviews: frozen once submitted.
    ensure_editable(current)
    return current


def _save(figure, current, *, by):
    """Save the locked row and reflect it on the caller's instance; returns the latter."""
    current.full_clean()
    current._history_user = by
    current.save()
    if current is not figure:
        for field in current._meta.concrete_fields:
            setattr(figure, field.attname, getattr(current, field.attname))
    return figure
