"""Forms of control interno's ratings: which plan and semester to rate, and the rating."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mipg.core.models import Unit
from planning.models import ActionRating, StrategicPlan

SEMESTERS = [(1, _("Primer semestre")), (2, _("Segundo semestre"))]
UNRATED = "none"


class RatingFilterForm(forms.Form):
    """GET form of the ratings page. ``resolved()`` fills the defaults: the most recent
    approved plan (else the most recent plan), the current year within the plan's years and
    the current semester."""

    plan = forms.ModelChoiceField(
        queryset=StrategicPlan.objects.order_by("-start_year", "name"),
        required=False,
        label=_("Plan"),
    )
    year = forms.IntegerField(label=_("Año"), required=False, min_value=2000, max_value=2100)
    semester = forms.TypedChoiceField(
        label=_("Semestre"), choices=SEMESTERS, coerce=int, required=False, empty_value=None
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(), required=False, label=_("Dependencia")
    )
    rating = forms.ChoiceField(
        label=_("Calificación"),
        required=False,
        choices=[("", _("Todas")), (UNRATED, _("Sin calificar")), *ActionRating.Rating.choices],
    )
    q = forms.CharField(label=_("Buscar"), required=False)

    def resolved(self, today=None):
        """(plan or None, year, semester, cleaned data) with the defaults applied."""
        today = today or timezone.localdate()
        data = {}
        if self.is_bound:
            # The valid fields count even when another one is not (its error is shown
            # beside it): a bad year must not switch the page to another plan.
            self.full_clean()
            data = self.cleaned_data
        plan = data.get("plan") or _default_plan()
        year = data.get("year") or today.year
        if plan is not None and not plan.start_year <= year <= plan.end_year:
            year = min(max(year, plan.start_year), plan.end_year)
        semester = data.get("semester") or (1 if today.month <= 6 else 2)
        return plan, year, semester, data


def _default_plan():
    plans = StrategicPlan.objects.order_by("-start_year", "name")
    return plans.filter(status=StrategicPlan.Status.APPROVED).first() or plans.first()


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Calificación"), choices=ActionRating.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Comentario"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Observaciones de la evaluación independiente (tercera línea de defensa)."),
    )
