"""The catalogues of the sheet's drop-down columns, read once per export or import."""

from django.contrib.auth import get_user_model

from evaluation.models import Indicator
from management.models import FundingSource
from mipg.core.models import InstitutionalPlan, Policy, Unit
from mipg.traceability.spreadsheet.parsing import Catalogue, choices_catalogue


def user_label(user):
    return user.username


def load_catalogues():
    """{name: Catalogue} of every list column (layout.SheetColumn.catalogue)."""
    return {
        "units": Catalogue(
            Unit.objects.order_by("name"),
            keys=lambda unit: (unit.code, unit.name),
            label=lambda unit: unit.name,
        ),
        "sources": Catalogue(
            FundingSource.objects.order_by("name"),
            keys=lambda source: (source.code, source.name),
            label=lambda source: source.name,
        ),
        "policies": Catalogue(
            Policy.objects.order_by("code"),
            keys=lambda policy: (policy.code, policy.name_es, str(policy)),
        ),
        "institutional_plans": Catalogue(
            InstitutionalPlan.objects.order_by("order", "code"),
            keys=lambda plan: (plan.code, plan.name),
            label=lambda plan: plan.name,
        ),
        "types": choices_catalogue(Indicator.Type),
        "levels": choices_catalogue(Indicator.Level),
        "accumulations": choices_catalogue(Indicator.Accumulation),
        "polarities": choices_catalogue(Indicator.Polarity),
        "frequencies": choices_catalogue(Indicator.Frequency),
    }


def user_catalogue():
    """Responsables by username, e-mail or full name."""
    return Catalogue(
        get_user_model().objects.filter(is_active=True).order_by("username"),
        keys=lambda user: (user.username, user.email, user.get_full_name()),
        label=user_label,
    )
