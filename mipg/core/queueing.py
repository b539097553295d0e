"""Queue Celery tasks from the web without making the user's request depend on the broker.

``enqueue(task, *args, request=request)`` sends the task once the current transaction
commits. When the broker (or the Redis result store) does not answer, Celery gives up
within a few seconds (see the CELERY_QUEUE_* settings); the error is logged, the user's
write stays committed, and the page that asked shows a warning instead of an error page.
``/healthz`` remains the place that reports the broker down.
"""

import logging
from functools import partial

from django.contrib import messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

QUEUE_DOWN_MESSAGE = _(
    "Sus cambios se guardaron, pero la tarea en segundo plano no se pudo programar: el "
    "servicio de colas no responde. Avise al administrador del sistema."
)


def enqueue(task, *args, request=None, **kwargs):
    """Send ``task(*args, **kwargs)`` to the queue when the current transaction commits
    (at once outside a transaction). A broker that is down is logged and, when ``request``
    is given, reported to the user with a warning message; it never undoes the write."""
    transaction.on_commit(partial(_send, task, args, kwargs, request))


def _send(task, args, kwargs, request):
    try:
        task.apply_async(args, kwargs)
    except (OperationalError, RuntimeError) as exc:
        if not _is_queue_outage(exc, task):
            raise
        logger.error("Could not queue %s%r: %s", task.name, args, exc)
        if request is not None:
            messages.warning(request, QUEUE_DOWN_MESSAGE)


def _is_queue_outage(exc, task):
    """True for the errors of a broker or result store that does not answer: kombu's
    OperationalError when publishing, and the RuntimeError Celery's Redis result store
    raises (from a connection error) when it gives up reconnecting."""
    if isinstance(exc, OperationalError):
        return True
    connection_errors = getattr(task.app.backend, "connection_errors", ())
    return isinstance(exc.__cause__, connection_errors)
