"""No back door (MIPG.md §5): the admin site never edits figures, plan items or workflow
state, not even for a superuser; the Administrador keeps reference data and users."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from accountability.models import AccountabilityReport, CitizenQuestion, Commitment
from evaluation.models import Indicator, IndicatorTarget, Measurement, MeasurementEvidence
from management.models import (
    BudgetAllocation,
    BudgetExecution,
    ProgressEvidence,
    ProgressReport,
)
from mipg.core import roles
from mipg.core.models import Dimension, ReviewStatus, User
from planning.models import Action, ActionRating, Goal, Objective, ReportingPeriod, StrategicPlan
from tests.builders import open_plan, submitted_report
from tests.factories import UserFactory

READ_ONLY = [
    StrategicPlan,
    Objective,
    Goal,
    Action,
    ReportingPeriod,
    ActionRating,
    Indicator,
    IndicatorTarget,
    Measurement,
    MeasurementEvidence,
    ProgressReport,
    ProgressEvidence,
    BudgetAllocation,
    BudgetExecution,
    AccountabilityReport,
    CitizenQuestion,
    Commitment,
]


def _url(obj, action="change"):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[obj.pk])


@pytest.fixture
def approved(unit, responsible, planner):
    data = open_plan(unit)
    report = submitted_report(data, responsible, progress=Decimal("19.47"))
    report.status = ReviewStatus.APPROVED
    report.reviewed_by = planner
    report.save()
    return report


# What the Administrador keeps editing in the admin: reference data, units, the entity's
# settings, funding sources, users, groups, API tokens, and the login lockouts (deleting an
# access attempt unlocks). Citizens' questions are moderated on their staff pages only.
EDITABLE = {
    "axes.accessattempt",
    "mipg.dimension",
    "mipg.policy",
    "mipg.institutionalplan",
    "mipg.unit",
    "mipg.entity",
    "mipg.user",
    "mipg.apitoken",
    "auth.group",
    "management.fundingsource",
}


def _rights(model_admin, request):
    return (
        model_admin.has_add_permission(request, None)
        if hasattr(model_admin, "parent_model")
        else model_admin.has_add_permission(request),
        model_admin.has_change_permission(request),
        model_admin.has_delete_permission(request),
    )


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.label)
def test_admin_figures_and_plan_items_are_read_only_even_for_a_superuser(model, admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    admins = [
        admin_
        for registered in admin.site._registry.values()
        for admin_ in [registered, *registered.get_inline_instances(request)]
        if admin_.model is model
    ]
    assert admins, "shown in the admin, at least as an inline"
    assert [_rights(model_admin, request) for model_admin in admins] == [
        (False, False, False)
    ] * len(admins)


def test_admin_every_other_model_is_read_only(admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    editable = {
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if any(_rights(model_admin, request))
    }
    assert editable == EDITABLE


def test_admin_post_cannot_change_an_approved_report(client, admin_user, approved):
    client.force_login(admin_user)
    data = {
        "action": approved.action_id,
        "period": approved.period_id,
        "progress": "99.00",
        "status": ReviewStatus.APPROVED,
        "narrative": "",
        "created_by": approved.created_by_id,
    }
    response = client.post(_url(approved), data)
    approved.refresh_from_db()
    assert (response.status_code, approved.progress) == (403, Decimal("19.47"))


def test_admin_history_revert_cannot_change_an_approved_report(client, admin_user, approved):
    client.force_login(admin_user)
    version = approved.history.latest().history_id
    url = reverse("admin:management_progressreport_simple_history", args=[approved.pk, version])
    response = client.post(url, {"progress": "99.00", "status": ReviewStatus.APPROVED})
    approved.refresh_from_db()
    assert (response.status_code, approved.progress) == (403, Decimal("19.47"))


def test_admin_cannot_delete_a_report_nor_add_one(client, admin_user, approved):
    client.force_login(admin_user)
    deleted = client.post(_url(approved, "delete"), {"post": "yes"})
    added = client.get(reverse("admin:management_progressreport_add"))
    assert (deleted.status_code, added.status_code) == (403, 403)
    assert ProgressReport.objects.filter(pk=approved.pk).exists()


def test_admin_keeps_reference_data_and_users_editable(client, admin_user):
    client.force_login(admin_user)
    dimension = Dimension.objects.order_by("pk").first()
    pages = [
        _url(dimension),
        reverse("admin:mipg_unit_add"),
        _url(admin_user),
    ]
    assert [client.get(url).status_code for url in pages] == [200, 200, 200]


def test_planeacion_is_not_staff_and_cannot_enter_the_admin(client, planner):
    client.force_login(planner)
    response = client.get(reverse("admin:index"))
    assert (planner.is_staff, response.status_code) == (False, 302)


def test_admin_is_refused_to_staff_of_other_roles(client, planner):
    planner.is_staff = True
    planner.save()
    client.force_login(planner)
    response = client.get(reverse("admin:index"))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("admin:login") + "?next=" + reverse("admin:index"),
    )


def test_admin_is_open_to_the_administrador_role(client, db):
    administrador = UserFactory(username="adm2", is_staff=True, roles=[roles.ADMINISTRADOR])
    client.force_login(administrador)
    response = client.get(reverse("admin:index"))
    assert (administrador.is_superuser, response.status_code) == (False, 200)


def test_sync_roles_does_not_make_planeacion_staff(db):
    user = UserFactory(username="p2", roles=[roles.PLANEACION])
    roles.sync_roles()
    assert User.objects.get(pk=user.pk).is_staff is False
