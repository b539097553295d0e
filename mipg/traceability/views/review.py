"""The review queue of the planning office: submitted progress reports and measurements."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from mipg.core.permissions import require
from mipg.core.web import paginate
from mipg.traceability.forms import ReviewQueueForm
from mipg.traceability.worklists import review_queue_items, review_queue_keys


@login_required
def review_queue(request):
    """Oldest first, 25 per page, filtered by kind, unit, period and overdue; each row links
    to the approval's confirmation or to return it."""
    user = request.user
    require(
        user.has_perm("management.review_progressreport")
        or user.has_perm("evaluation.review_measurement"),
        _("Solo Planeación revisa reportes y mediciones."),
    )
    form = ReviewQueueForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, review_queue_keys(**filters))
    return render(
        request,
        "traceability/review_queue.html",
        {
            "form": form,
            "filtered": bool(filters),
            "page": page,
            "items": review_queue_items(page.object_list),
            "can_review_reports": user.has_perm("management.review_progressreport"),
            "can_review_measurements": user.has_perm("evaluation.review_measurement"),
            "crumbs": [(_("Inicio"), reverse("home")), (_("Revisión"), None)],
        },
    )
