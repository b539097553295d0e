"""Control interno's ratings: read by every internal role, written only by Control
Interno (and administrators), per action and semester; never the figures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from mipg.core.models import ReviewStatus
from planning.models import Action, ActionRating, StrategicPlan
from tests.builders import build_plan, open_plan
from tests.factories import ActionFactory, PlanFactory, ProgressReportFactory


@pytest.fixture
def plan(db):
    return PlanFactory(
        name="Plan de Acción 2026",
        status=StrategicPlan.Status.APPROVED,
        start_year=2026,
        end_year=2026,
    )


@pytest.fixture
def action(plan, unit):
    return ActionFactory(goal__objective__plan=plan, goal__unit=unit, code="A1", name="Auditar")


def edit_url(action, year=2026, semester=1):
    return reverse("planning:rating-edit", args=[action.pk, year, semester])


def list_url(plan, **params):
    query = "&".join(f"{k}={v}" for k, v in {"plan": plan.pk, **params}.items())
    return f"{reverse('planning:rating-list')}?{query}"


def test_auditor_rates_an_action_and_sees_it_in_the_list(client, plan, action, auditor):
    ProgressReportFactory(action=action, progress=Decimal("45"), status=ReviewStatus.APPROVED)
    client.force_login(auditor)
    page = client.get(list_url(plan, year=2026, semester=1)).content.decode()
    assert "Auditar" in page and "Sin calificar" in page and "45,00 %" in page
    assert edit_url(action) in page

    assert "Auditar" in client.get(edit_url(action)).content.decode()
    response = client.post(
        edit_url(action), {"rating": "partial", "comment": "Faltan soportes de marzo."}
    )
    assert response["Location"] == list_url(plan, year=2026, semester=1)
    rating = ActionRating.objects.get()
    assert (rating.year, rating.semester, rating.rating, rating.comment, rating.rated_by) == (
        2026,
        1,
        "partial",
        "Faltan soportes de marzo.",
        auditor,
    )
    page = client.get(list_url(plan, year=2026, semester=1)).content.decode()
    assert 'text-bg-warning">Parcial</span>' in page and "Faltan soportes de marzo." in page
    # The second semester is still unrated.
    second = client.get(list_url(plan, year=2026, semester=2))
    assert [a.semester_ratings for a in second.context["page"].object_list] == [[]]

    client.post(edit_url(action), {"rating": "satisfactory", "comment": "Completo."})
    rating = ActionRating.objects.get()
    assert (rating.rating, rating.comment) == ("satisfactory", "Completo.")


def test_rating_without_a_choice_shows_message_and_saves_nothing(client, action, auditor):
    client.force_login(auditor)
    response = client.post(edit_url(action), {"comment": "sin calificación"})
    assert response.context["form"].errors["rating"] == ["Este campo es requerido."]
    assert ActionRating.objects.count() == 0


def test_rating_outside_the_plan_years_shows_message(client, action, auditor):
    client.force_login(auditor)
    response = client.post(edit_url(action, year=2030), {"rating": "partial"})
    assert response.context["form"].non_field_errors() == [
        "El año debe estar entre 2026 y 2026 (años del plan)."
    ]
    assert ActionRating.objects.count() == 0


def test_rating_below_satisfactory_without_comment_shows_the_error_on_the_comment(
    client, action, auditor
):
    client.force_login(auditor)
    response = client.post(edit_url(action), {"rating": "unsatisfactory", "comment": ""})
    assert response.context["form"].errors["comment"] == [
        "Una calificación por debajo de «Satisfactorio» requiere un comentario."
    ]
    assert ActionRating.objects.count() == 0


def test_rating_semester_other_than_1_or_2_is_404(client, action, auditor):
    client.force_login(auditor)
    assert client.get(edit_url(action, semester=3)).status_code == 404


@pytest.mark.parametrize("persona", ["responsible", "planner", "director"])
def test_rating_edit_is_forbidden_to_other_roles(client, action, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(edit_url(action)).status_code == 403
    assert client.post(edit_url(action), {"rating": "partial"}).status_code == 403
    assert ActionRating.objects.count() == 0


@pytest.mark.parametrize("persona", ["responsible", "planner", "director"])
def test_rating_list_is_read_only_for_other_roles(client, plan, action, persona, request):
    client.force_login(request.getfixturevalue(persona))
    body = client.get(list_url(plan)).content.decode()
    assert "Auditar" in body
    assert edit_url(action) not in body


def test_auditor_gets_403_on_every_figure_edit(client, action, auditor, unit):
    """Control interno reads everything but never edits figures (GET and POST)."""
    data = open_plan(unit, code="B1")
    report = ProgressReportFactory(
        action=data.action, period=data.period, status=ReviewStatus.SUBMITTED
    )
    client.force_login(auditor)
    create = reverse("management:report-create", args=[data.action.pk, data.period.pk])
    edit = reverse("management:report-edit", args=[report.pk])
    for url in (create, edit):
        assert client.get(url).status_code == 403
        assert client.post(url, {"progress": "100"}).status_code == 403
    for name in ("report-submit", "report-approve"):
        assert client.post(reverse(f"management:{name}", args=[report.pk])).status_code == 403
    assert client.get(report.get_absolute_url()).status_code == 200
    report.refresh_from_db()
    assert (report.progress, report.status) == (Decimal("50.00"), ReviewStatus.SUBMITTED)


def test_rating_list_filters_unrated_and_by_rating(client, plan, action, auditor):
    other = ActionFactory(goal=action.goal, code="A2", name="Revisar contratos")
    ActionRating.objects.create(
        action=action, year=2026, semester=1, rating="unsatisfactory", rated_by=auditor
    )
    client.force_login(auditor)
    unrated = client.get(list_url(plan, year=2026, semester=1, rating="none"))
    assert [a.code for a in unrated.context["page"].object_list] == [other.code]
    bad = client.get(list_url(plan, year=2026, semester=1, rating="unsatisfactory"))
    assert [a.code for a in bad.context["page"].object_list] == ["A1"]
    assert 'text-bg-danger">Insatisfactorio</span>' in bad.content.decode()


def test_rating_list_without_plans_shows_empty_state(client, auditor):
    client.force_login(auditor)
    assert "Aún no hay planes." in client.get(reverse("planning:rating-list")).content.decode()


def test_rating_pages_send_anonymous_users_to_login(client, action):
    for url in (reverse("planning:rating-list"), edit_url(action)):
        assert client.get(url)["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("n", [20, 90])
def test_rating_list_query_count_is_constant(client, auditor, count_queries, n):
    plan = build_plan(n)
    actions = list(Action.objects.filter(goal__objective__plan=plan)[::3])
    ActionRating.objects.bulk_create(
        ActionRating(action=a, year=2026, semester=1, rating="partial", rated_by=auditor)
        for a in actions
    )
    client.force_login(auditor)
    with count_queries() as queries:
        response = client.get(list_url(plan, year=2026, semester=1))
    rated = [a for a in response.context["page"].object_list if a.semester_ratings]
    assert rated
    # session, user, plan (form), plan choices, unit choices, count, page, ratings,
    # the user's groups (navigation) and the permission checks' two
    assert queries.count == 11


def test_rating_pages_show_the_year_unlocalised_and_cancel_keeps_the_filter(
    client, plan, action, auditor
):
    """es-CO groups thousands ("2.026"): a year so rendered reads wrong and, in the cancel
    link, is an invalid ?year= that resets the ratings page to its defaults."""
    client.force_login(auditor)
    edit = client.get(edit_url(action, semester=2)).content.decode()
    assert f'href="{list_url(plan, year=2026, semester=2).replace("&", "&amp;")}"' in edit
    assert "2026 · Segundo semestre" in edit and "2.026" not in edit
    listing = client.get(list_url(plan, year=2026, semester=2)).content.decode()
    assert "Plan de Acción 2026 · 2026 · Segundo semestre" in listing


def test_rating_list_with_a_bad_year_keeps_the_chosen_plan(client, plan, action, auditor):
    other = PlanFactory(name="Plan Estratégico", start_year=2024, end_year=2027)
    ActionFactory(goal__objective__plan=other, code="X9", name="Otra actividad")
    client.force_login(auditor)
    response = client.get(list_url(other, year=1999, semester=1))
    assert response.context["plan"] == other
    assert [a.code for a in response.context["page"].object_list] == ["X9"]
    assert response.context["form"].errors["year"]
