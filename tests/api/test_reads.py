"""Reads: what anonymous clients see, filters, ordering and pagination."""

import pytest

from accountability.models import AccountabilityReport, CitizenQuestion
from planning.models import StrategicPlan
from tests.factories import ActionFactory, GoalFactory, ObjectiveFactory, UnitFactory


def _names(response, key="name"):
    return [item[key] for item in response.json()["results"]]


@pytest.fixture
def public_tree(scenario, planner):
    """An approved plan with a live action and an archived one, approved by `planner`, and
    a responsible person on the live action."""
    plan = scenario.public_plan
    plan.approved_by = planner
    plan.save()
    objective = ObjectiveFactory(plan=plan, code="OP")
    goal = GoalFactory(objective=objective, code="MP")
    visible = ActionFactory(goal=goal, code="VISIBLE", weight=10, responsible=planner)
    ActionFactory(goal=goal, code="ARCHIVADA", weight=10, archived=True)
    return visible


def test_anonymous_sees_the_published_plan_without_people(api, public_tree, planner):
    plan = api.get(f"/api/v1/plans/{public_tree.goal.objective.plan_id}/").json()
    assert plan["status"] == "approved"
    assert plan["approved_by"] is None
    actions = api.get("/api/v1/actions/").json()["results"]
    assert [a["code"] for a in actions] == ["VISIBLE"]
    assert actions[0]["responsible"] is None


def test_internal_users_see_people_and_archived_items(client_for, public_tree, auditor, planner):
    client = client_for(auditor)
    plan = client.get(f"/api/v1/plans/{public_tree.goal.objective.plan_id}/").json()
    assert plan["approved_by"] == planner.pk
    codes = set(_names(client.get("/api/v1/actions/?archived=true"), "code"))
    assert codes == {"ARCHIVADA"}
    visible = client.get(f"/api/v1/actions/{public_tree.pk}/").json()
    assert visible["responsible"] == planner.pk


def test_anonymous_gets_404_for_a_draft_plan_and_its_actions(api, scenario):
    assert api.get(f"/api/v1/plans/{scenario.plan.pk}/").status_code == 404
    assert api.get(f"/api/v1/actions/{scenario.action.pk}/").status_code == 404
    assert api.get("/api/v1/goals/").json()["count"] == 0


def test_anonymous_reads_reference_data(api, db):
    assert [d["code"] for d in api.get("/api/v1/dimensions/").json()["results"]] == [
        f"D{i}" for i in range(1, 8)
    ]
    assert api.get("/api/v1/policies/?dimension=1").json()["count"] >= 2
    assert api.get("/api/v1/institutional-plans/").json()["count"] == 12
    assert api.get("/api/v1/funding-sources/").json()["count"] >= 1


def test_anonymous_may_not_trace_or_roll_up(api, public_tree):
    plan_id = public_tree.goal.objective.plan_id
    assert api.get(f"/api/v1/actions/{public_tree.pk}/trace/").status_code == 401
    assert api.get(f"/api/v1/plans/{plan_id}/rollup/").status_code == 401


@pytest.fixture
def reports(scenario, planner):
    def report(title, status):
        return AccountabilityReport.objects.create(
            plan=scenario.plan,
            kind="accountability",
            title=title,
            status=status,
            created_by=planner,
        )

    published = report("Rendición 2026", AccountabilityReport.Status.PUBLISHED)
    report("Borrador", AccountabilityReport.Status.DRAFT)
    CitizenQuestion.objects.create(
        report=published,
        author_name="Ana Ciudadana",
        author_email="ana@example.org",
        question="¿Cuándo abre el centro de salud?",
        answer="En marzo.",
        status=CitizenQuestion.Status.PUBLISHED,
    )
    CitizenQuestion.objects.create(question="Sin responder", status=CitizenQuestion.Status.RECEIVED)
    return published


def test_accountability_reports_published_for_everyone_all_for_internal_users(
    api, client_for, reports, auditor
):
    assert _names(api.get("/api/v1/accountability-reports/"), "title") == ["Rendición 2026"]
    internal = client_for(auditor).get("/api/v1/accountability-reports/?ordering=title")
    assert _names(internal, "title") == ["Borrador", "Rendición 2026"]


def test_citizen_questions_only_published_and_without_author_data(
    api, client_for, reports, auditor
):
    for client in (api, client_for(auditor)):
        results = client.get("/api/v1/citizen-questions/").json()["results"]
        assert [q["question"] for q in results] == ["¿Cuándo abre el centro de salud?"]
        assert "author_email" not in results[0] and "author_name" not in results[0]
        assert results[0]["answer"] == "En marzo."


def test_actions_of_a_plan_with_the_html_lists_filters(client_for, scenario, planner):
    other_plan_action = ActionFactory(code="OTRA")
    client = client_for(planner)
    codes = _names(client.get(f"/api/v1/actions/?plan={scenario.plan.pk}"), "code")
    assert codes == ["A1"]
    assert other_plan_action.code not in codes
    assert _names(client.get("/api/v1/actions/?q=OTR"), "code") == ["OTRA"]


def test_ordering_and_descending_ordering(client_for, planner, db):
    for code in ("B", "C", "A"):
        UnitFactory(code=code)
    client = client_for(planner)
    assert _names(client.get("/api/v1/units/?ordering=code"), "code") == ["A", "B", "C"]
    assert _names(client.get("/api/v1/units/?ordering=-code"), "code") == ["C", "B", "A"]


def test_pagination_with_page_size_from_1_to_200(client_for, planner, db):
    UnitFactory.create_batch(205)
    client = client_for(planner)
    first = client.get("/api/v1/units/?page_size=2").json()
    assert first["count"] == 205 and len(first["results"]) == 2
    assert "page=2" in first["next"]
    assert len(client.get("/api/v1/units/?page_size=200").json()["results"]) == 200
    assert len(client.get("/api/v1/units/").json()["results"]) == 50


@pytest.mark.parametrize("size", ["0", "201", "1000", "-1", "abc", "2.5", "1e2", ""])
def test_bad_page_size_is_400(client_for, planner, size):
    response = client_for(planner).get(f"/api/v1/units/?page_size={size}")
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {
        "page_size": ["Tamaño de página inválido: un número entero de 1 a 200."]
    }


@pytest.mark.parametrize("query", ["colour=red", "plan_id=1", "ordering=code&sort=name"])
def test_unknown_query_parameters_are_400(client_for, planner, query):
    response = client_for(planner).get(f"/api/v1/actions/?{query}")
    assert response.status_code == 400, response.content
    unknown = list(response.json()["errors"])
    assert unknown == [query.split("&")[-1].split("=")[0]]
    assert response.json()["errors"][unknown[0]] == [
        "Parámetro desconocido: esta lista no filtra por él."
    ]


def test_ordering_takes_one_comma_separated_parameter(client_for, planner, db):
    for code, name in (("B", "Uno"), ("A", "Uno"), ("C", "Cero")):
        UnitFactory(code=code, name=name)
    client = client_for(planner)
    ordered = client.get("/api/v1/units/?ordering=name,-code")
    assert _names(ordered, "code") == ["C", "B", "A"]
    repeated = client.get("/api/v1/units/?ordering=name&ordering=-code")
    assert repeated.status_code == 400, repeated.content
    assert list(repeated.json()["errors"]) == ["ordering"]
    repeated_filter = client.get("/api/v1/actions/?archived=true&archived=false")
    assert list(repeated_filter.json()["errors"]) == ["archived"]


@pytest.mark.parametrize(
    ("resource", "name"),
    [("actions", "plan"), ("objectives", "plan"), ("goals", "plan"), ("plans", "parent")],
)
def test_anonymous_gets_the_same_answer_for_a_draft_plan_and_a_missing_one(
    api, scenario, resource, name
):
    draft = api.get(f"/api/v1/{resource}/?{name}={scenario.plan.pk}")
    missing = api.get(f"/api/v1/{resource}/?{name}=987654")
    assert (draft.status_code, draft.json()) == (missing.status_code, missing.json())
    assert (draft.status_code, list(draft.json()["errors"])) == (400, [name])


def test_anonymous_gets_the_same_answer_for_a_draft_objective_and_a_missing_one(api, scenario):
    draft = api.get(f"/api/v1/goals/?objective={scenario.action.goal.objective_id}")
    missing = api.get("/api/v1/goals/?objective=987654")
    assert (draft.status_code, draft.json()) == (missing.status_code, missing.json())
    assert draft.status_code == 400


def test_published_plan_hides_its_draft_parent_from_anonymous_clients(
    api, client_for, scenario, auditor
):
    child = scenario.public_plan
    child.parent = scenario.plan  # a draft
    child.save()
    assert api.get(f"/api/v1/plans/{child.pk}/").json()["parent"] is None
    assert client_for(auditor).get(f"/api/v1/plans/{child.pk}/").json()["parent"] == (
        scenario.plan.pk
    )
    scenario.plan.status = StrategicPlan.Status.APPROVED
    scenario.plan.save()
    assert api.get(f"/api/v1/plans/{child.pk}/").json()["parent"] == scenario.plan.pk


def test_plan_filter_by_status_and_year(client_for, planner, scenario):
    StrategicPlan.objects.create(name="PEI", kind="pei", start_year=2024, end_year=2027)
    client = client_for(planner)
    assert _names(client.get("/api/v1/plans/?status=approved")) == ["Plan aprobado"]
    assert _names(client.get("/api/v1/plans/?year=2025")) == ["PEI"]
