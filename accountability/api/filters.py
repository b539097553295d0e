import django_filters
from django.utils.translation import gettext_lazy as _

from accountability.models import AccountabilityReport, CitizenQuestion
from planning.models import StrategicPlan


class AccountabilityReportFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=StrategicPlan.objects.all(), label=_("Plan"))
    kind = django_filters.ChoiceFilter(choices=AccountabilityReport.Kind.choices, label=_("Tipo"))
    status = django_filters.ChoiceFilter(
        choices=AccountabilityReport.Status.choices, label=_("Estado")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created_at"), ("published_at", "published_at"), ("title", "title")),
        label=_("Ordenar por"),
    )

    class Meta:
        model = AccountabilityReport
        fields = ["plan", "kind", "status"]


class CitizenQuestionFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(queryset=StrategicPlan.objects.all(), label=_("Plan"))
    report = django_filters.ModelChoiceFilter(
        queryset=AccountabilityReport.objects.all(), label=_("Informe")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("created_at", "created_at"), ("answered_at", "answered_at")),
        label=_("Ordenar por"),
    )

    class Meta:
        model = CitizenQuestion
        fields = ["plan", "report"]
