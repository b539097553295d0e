"""Control interno's ratings (third line of defence): every action of a plan with its
physical progress and the rating of a semester, and the form to rate one action.

Everyone internal may read the ratings; only holders of planning.rate_action (Control
Interno, Administrador) may rate. Ratings never touch the reported figures.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from management.models import ProgressReport
from management.selectors.physical import with_physical_progress
from mipg.core.permissions import require_perm
from mipg.core.web import apply_service_errors, crumbs_for, paginate
from planning import services
from planning.forms import UNRATED, RatingFilterForm, RatingForm
from planning.models import Action, ActionRating


def rated_actions(plan, *, year, semester, unit=None, q="", rating=""):
    """Live actions of ``plan`` with ``physical_progress`` and ``semester_ratings`` (the
    rating of that year and semester, as a list of zero or one) — two queries per page."""
    ratings = ActionRating.objects.filter(year=year, semester=semester)
    actions = Action.objects.live().filter(goal__objective__plan=plan)
    if unit is not None:
        actions = actions.filter(unit=unit)
    if q:
        actions = actions.filter(Q(code__icontains=q) | Q(name__icontains=q))
    if rating == UNRATED:
        actions = actions.exclude(Exists(ratings.filter(action=OuterRef("pk"))))
    elif rating:
        actions = actions.filter(Exists(ratings.filter(action=OuterRef("pk"), rating=rating)))
    return (
        with_physical_progress(actions)
        .select_related("unit", "goal")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=ratings.select_related("rated_by"),
                to_attr="semester_ratings",
            )
        )
        .in_tree_order()
    )


@login_required
def rating_list(request):
    require_perm(request.user, "planning.view_actionrating")
    form = RatingFilterForm(request.GET or None)
    plan, year, semester, data = form.resolved()
    page = None
    if plan is not None:
        page = paginate(
            request,
            rated_actions(
                plan,
                year=year,
                semester=semester,
                unit=data.get("unit"),
                q=(data.get("q") or "").strip(),
                rating=data.get("rating") or "",
            ),
        )
    return render(
        request,
        "management/ratings/list.html",
        {
            "form": form,
            "plan": plan,
            "year": year,
            "semester": semester,
            "page": page,
            "can_rate": request.user.has_perm("planning.rate_action"),
            "crumbs": [(_("Inicio"), reverse("home")), (_("Calificaciones"), None)],
        },
    )


@login_required
def rating_edit(request, action_pk, year, semester):
    require_perm(
        request.user, "planning.rate_action", _("Solo control interno califica actividades.")
    )
    if semester not in (1, 2):
        raise Http404(_("El semestre debe ser 1 o 2."))
    action = get_object_or_404(
        with_physical_progress(Action.objects.all()).select_related(
            "unit", "goal__objective__plan"
        ),
        pk=action_pk,
    )
    plan = action.goal.objective.plan
    # Built here, not in the template: the template would localise the year as "2.026".
    query = urlencode({"plan": plan.pk, "year": year, "semester": semester})
    back_url = f"{reverse('planning:rating-list')}?{query}"
    current = ActionRating.objects.filter(action=action, year=year, semester=semester).first()
    initial = {"rating": current.rating, "comment": current.comment} if current else None
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_action(
                action,
                by=request.user,
                year=year,
                semester=semester,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Calificación de «%(action)s» guardada (%(year)s, semestre %(semester)s).")
                % {"action": action.code, "year": year, "semester": semester},
            )
            return redirect(back_url)
    reports = (
        ProgressReport.objects.visible_to(request.user)
        .filter(action=action)
        .select_related("period")
        .order_by("period__start_date")
    )
    return render(
        request,
        "management/ratings/edit.html",
        {
            "form": form,
            "action": action,
            "plan": plan,
            "year": year,
            "semester": semester,
            "current": current,
            "reports": reports,
            "back_url": back_url,
            "crumbs": crumbs_for(action, last=_("Calificar")),
        },
    )
