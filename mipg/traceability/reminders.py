"""E-mail reminders of overdue reports (progress reports and measurements).

One e-mail per Responsable listing every overdue item of their units; sent with the
configured e-mail backend (console by default, SMTP by settings). The Celery beat task
``management.send_report_reminders_task`` only calls ``send_report_reminders``.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mipg.traceability.worklists import overdue_items_by_user

logger = logging.getLogger(__name__)


def reminder_message(user, items):
    """The (subject, body) of the reminder to ``user`` about ``items`` (PendingItem)."""
    count = len(items)
    subject = ngettext(
        "MIPG: tiene %(count)s reporte vencido",
        "MIPG: tiene %(count)s reportes vencidos",
        count,
    ) % {"count": count}
    lines = [
        _("Hola, %(name)s:") % {"name": user.get_full_name() or user.username},
        "",
        _(
            "Los siguientes reportes de sus dependencias ya pasaron su fecha límite y aún no se "
            "han enviado a revisión:"
        ),
        "",
    ]
    for item in items:
        kind = _("Avance de la actividad") if item.is_progress else _("Medición del indicador")
        lines.append(
            _("- %(kind)s %(code)s %(name)s · periodo %(period)s · vencía el %(due)s")
            % {
                "kind": kind,
                "code": item.subject.code,
                "name": item.subject.name,
                "period": item.period.label,
                "due": item.due_date.strftime("%d/%m/%Y"),
            }
        )
    lines += [
        "",
        _("Ingrese a MIPG, opción «Mis pendientes», para registrarlos y enviarlos."),
        "",
        _("Este es un mensaje automático; por favor no lo responda."),
    ]
    return subject, "\n".join(lines)


def send_report_reminders(*, today=None):
    """Send one reminder per Responsable with overdue items; returns how many were sent."""
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        messages = []
        for user, items in overdue_items_by_user(today=today).items():
            subject, body = reminder_message(user, items)
            messages.append(EmailMessage(subject, body, to=[user.email]))
    if not messages:
        return 0
    sent = get_connection().send_messages(messages) or 0
    logger.info("Sent %s overdue-report reminders (%s)", sent, today.isoformat())
    return sent
