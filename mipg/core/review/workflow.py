"""The reporting workflow shared by progress reports and measurements (MIPG.md §5).

draft → submitted → approved, or submitted → returned → submitted again; the planning office
may reopen an approved figure (approved → returned, with a reason). Only approved figures
count. A locked period refuses every write; a period that has not started refuses reports
(the entity may open it `report_days_before_period` days before its start). The review services
(mipg.core.review.services) and the apps' create/update services call these helpers; they
own the transaction, the row lock and the permission checks by unit.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from mipg.core.models import Entity, ReviewStatus

EDITABLE = frozenset({ReviewStatus.DRAFT, ReviewStatus.RETURNED})

# action → (allowed source states, target state)
TRANSITIONS = {
    "submit": (EDITABLE, ReviewStatus.SUBMITTED),
    "approve": (frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.APPROVED),
    "return": (frozenset({ReviewStatus.SUBMITTED}), ReviewStatus.RETURNED),
    "reopen": (frozenset({ReviewStatus.APPROVED}), ReviewStatus.RETURNED),
}


def ensure_period_open(period):
    if period.locked:
        raise ValidationError(
            {
                "period": _("El periodo «%(label)s» está cerrado y no admite reportes.")
                % {"label": period.label}
            }
        )


def ensure_period_started(period, *, entity=None):
    """Nobody reports for a period that has not started (MIPG.md §5), unless the entity
    opens reporting `report_days_before_period` days before the start."""
    entity = entity or Entity.current()
    opens = period.start_date - datetime.timedelta(days=entity.report_days_before_period)
    if timezone.localdate() < opens:
        raise ValidationError(
            {
                "period": _(
                    "El periodo «%(label)s» aún no ha comenzado: se puede reportar desde el "
                    "%(date)s."
                )
                % {"label": period.label, "date": opens.strftime("%d/%m/%Y")}
            }
        )


def ensure_editable(figure):
    if figure.status not in EDITABLE:
        raise ValidationError(
            _("Solo se puede modificar un reporte en borrador o devuelto; este está «%(status)s».")
            % {"status": figure.get_status_display()}
        )


def ensure_transition(figure, action):
    """Refuse `action` (a key of TRANSITIONS) from the figure's state; changes nothing."""
    sources, target = TRANSITIONS[action]
    if figure.status not in sources:
        raise ValidationError(
            _("No se puede pasar de «%(current)s» a «%(target)s».")
            % {"current": figure.get_status_display(), "target": ReviewStatus(target).label}
        )


def _transition(figure, action):
    ensure_transition(figure, action)
    figure.status = TRANSITIONS[action][1]


def mark_submitted(figure, *, by):
    _transition(figure, "submit")
    figure.submitted_by = by
    figure.submitted_at = timezone.now()


def mark_approved(figure, *, by, comment=""):
    _transition(figure, "approve")
    figure.reviewed_by = by
    figure.reviewed_at = timezone.now()
    figure.review_comment = comment.strip()


def mark_returned(figure, *, by, comment):
    missing = _("Explique al responsable por qué se devuelve el reporte.")
    _mark_with_comment(figure, "return", by=by, comment=comment, missing=missing)


def mark_reopened(figure, *, by, reason):
    """Approved → returned: the figure stops counting; the reason is the review comment
    the unit reads."""
    missing = _("Explique por qué se reabre la cifra aprobada.")
    _mark_with_comment(figure, "reopen", by=by, comment=reason, missing=missing)


def _mark_with_comment(figure, transition, *, by, comment, missing):
    """A review transition that needs a comment (``missing`` says so when it is blank)."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": missing})
    _transition(figure, transition)
    figure.reviewed_by = by
    figure.reviewed_at = timezone.now()
    figure.review_comment = comment


# --- review history ------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewEvent:
    date: datetime.datetime
    user: object
    status: str
    status_label: str
    comment: str


def review_history(figure):
    """The workflow steps of a progress report or measurement (created, submitted,
    approved, returned), oldest first, from its history. One query."""
    records = figure.history.select_related("history_user").order_by("history_date", "pk")
    events = []
    previous = None
    for record in records:
        if record.status != previous:
            comment = record.review_comment if record.status in _REVIEWED else ""
            events.append(
                ReviewEvent(
                    date=record.history_date,
                    user=record.history_user,
                    status=record.status,
                    status_label=ReviewStatus(record.status).label,
                    comment=comment,
                )
            )
            previous = record.status
    return events


_REVIEWED = (ReviewStatus.APPROVED, ReviewStatus.RETURNED)
