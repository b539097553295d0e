import pytest
from django.contrib.auth.models import Group

from management.models import FundingSource
from mipg.core import roles
from mipg.core.models import Dimension, InstitutionalPlan, Policy


@pytest.mark.django_db
def test_reference_data_seeded_from_domain_reference():
    assert list(Dimension.objects.values_list("code", flat=True)) == [f"D{i}" for i in range(1, 8)]
    assert Policy.objects.count() == 19
    assert Policy.objects.get(code="P19").dimension.code == "D2"
    assert InstitutionalPlan.objects.count() == 12
    assert InstitutionalPlan.objects.get(code="PINAR").policy.code == "P14"
    assert FundingSource.objects.filter(code__in=["SGP", "SGR", "RP"]).count() == 3


@pytest.mark.django_db
def test_roles_created_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) == set(roles.ROLES)
    planeacion = Group.objects.get(name=roles.PLANEACION)
    names = {p.codename for p in planeacion.permissions.all()}
    assert {"review_progressreport", "change_strategicplan"} <= names
    assert "approve_strategicplan" not in names
    auditor = {p.codename for p in Group.objects.get(name=roles.CONTROL_INTERNO).permissions.all()}
    assert "rate_action" in auditor
    assert not any(n.startswith(("change_", "add_")) and "rating" not in n for n in auditor)
