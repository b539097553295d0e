"""«Mis pendientes»: what a Responsable still has to report for their units."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mipg.core.permissions import unit_ids
from mipg.core.web import paginate
from mipg.traceability.worklists import pending_for_user


@login_required
def my_pending(request):
    """Items without a report in the open periods, returned items with the reviewer's
    comment and drafts, for the units of the logged-in user; each list paginated on its own
    (?page=, ?devueltos=, ?borradores=)."""
    today = timezone.localdate()
    pending = pending_for_user(request.user, today=today)
    return render(
        request,
        "traceability/pending.html",
        {
            "pending": pending,
            "page": paginate(request, pending.to_report),
            "returned": paginate(request, pending.returned, param="devueltos"),
            "drafts": paginate(request, pending.drafts, param="borradores"),
            "today": today,
            "has_units": bool(unit_ids(request.user)),  # cached by pending_for_user
            "crumbs": [(_("Inicio"), reverse("home")), (_("Mis pendientes"), None)],
        },
    )
