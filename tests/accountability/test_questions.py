"""Citizen questions (MURC diálogo) and commitments: asking on the portal (honeypot, rate
limit, length, escaping, personal data), moderation by Planeación only (publish, answer,
reject with reason, merge), commitments and their state rule, and what the portal shows."""

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import AccountabilityReport, CitizenQuestion, Commitment
from accountability.selectors import report_snapshot
from accountability.services import (
    add_commitment,
    answer_question,
    merge_question,
    reject_question,
    submit_question,
    update_commitment,
)
from accountability.views.public_questions import RATE_LIMIT
from tests.builders import dashboard_example

Q = CitizenQuestion.Status
State = Commitment.State
TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def example(db):
    return dashboard_example()


def _published(example, by, *, status=AccountabilityReport.Status.PUBLISHED, title="Informe T2"):
    """A published report with the plan's real snapshot, without generating its files (the
    portal page renders the snapshot; the files are not needed here)."""
    periods = [example["t1"], example["t2"]]
    kind = AccountabilityReport.Kind.ACTION_PLAN
    report = AccountabilityReport.objects.create(
        plan=example["plan"],
        kind=kind,
        title=title,
        status=status,
        snapshot=report_snapshot(example["plan"], periods, kind=kind, title=title),
        created_by=by,
        published_by=by,
        published_at=timezone.now(),
    )
    report.periods.set(periods)
    return report


@pytest.fixture
def report(example, planner):
    return _published(example, planner)


def _ask(client, report, ip="10.0.0.1", **data):
    form = {"topic": "M1", "question": "¿Cuándo terminan la obra?", "sitio_web": ""} | data
    return client.post(reverse("public:question-ask", args=[report.pk]), form, REMOTE_ADDR=ip)


def _question(report, text="¿Cuánto se gastó?", **kwargs):
    return submit_question(report, question=text, topic_code="M1", **kwargs)


def _detail(client, report):
    return client.get(reverse("public:report-detail", args=[report.pk])).content.decode()


# Asking -------------------------------------------------------------------------------


def test_question_form_offers_the_report_goals_and_general(client, report):
    form = client.get(reverse("public:question-ask", args=[report.pk])).context["form"]
    codes = [code for code, _label in form.fields["topic"].choices]
    assert codes == ["M1", "M2", ""]
    assert form.fields["topic"].choices[2][1] == "General"


def test_question_submitted_is_received_with_its_topic_and_a_confirmation(client, report):
    response = _ask(client, report, author_name="Ana María Pérez", author_email="ana@ejemplo.co")
    assert response.url == reverse("public:question-sent", args=[report.pk])
    row = CitizenQuestion.objects.get()
    goal = report.snapshot["goals"][0]
    assert (row.status, row.report, row.plan_id, row.topic_code, row.topic_label) == (
        Q.RECEIVED,
        report,
        report.plan_id,
        "M1",
        goal["name"],
    )
    assert (row.author_name, row.author_email, row.show_first_name) == (
        "Ana María Pérez",
        "ana@ejemplo.co",
        False,
    )
    assert row.history.latest().history_change_reason == "Pregunta recibida en el portal"
    page = client.get(response.url).content.decode()
    assert "Gracias. Recibimos su pregunta." in page
    assert "Antes de publicarla, revisa" in page


def test_question_longer_than_2000_characters_is_refused_beside_the_field(client, report):
    response = _ask(client, report, question="x" * 2001)
    assert response.status_code == 200
    assert response.context["form"].errors["question"] == [
        "Asegúrese de que este valor tenga como máximo 2000 caracteres (tiene 2001)."
    ]
    assert CitizenQuestion.objects.count() == 0
    _ask(client, report, question="x" * 2000)
    assert len(CitizenQuestion.objects.get().question) == 2000


def test_question_service_refuses_more_than_2000_characters(report):
    with pytest.raises(ValidationError) as error:
        _question(report, text="y" * 2001)
    assert "question" in error.value.message_dict


def test_question_with_a_filled_honeypot_is_discarded_but_looks_sent(client, report):
    response = _ask(client, report, sitio_web="http://spam.example")
    assert response.url == reverse("public:question-sent", args=[report.pk])
    assert CitizenQuestion.objects.count() == 0


def test_question_honeypot_is_hidden_from_people_and_screen_readers(client, report):
    page = client.get(reverse("public:question-ask", args=[report.pk])).content.decode()
    assert (
        '<div class="portal-hp" aria-hidden="true">\n'
        '    <label for="id_sitio_web">Deje este campo vacío</label>\n'
        '    <input type="text" name="sitio_web" id="id_sitio_web" value="" tabindex="-1"'
        ' autocomplete="off">'
    ) in page


def test_question_form_carries_a_privacy_notice(client, report):
    page = client.get(reverse("public:question-ask", args=[report.pk])).content.decode()
    assert '<h2 id="privacidad" class="h6">Sus datos personales</h2>' in page
    assert "según la Ley 1581 de 2012 de protección de datos personales" in page


def test_question_rate_limit_refuses_the_sixth_in_an_hour_from_one_ip(client, report):
    for _n in range(RATE_LIMIT):
        assert _ask(client, report).status_code == 302
    refused = _ask(client, report)
    assert refused.status_code == 429
    assert refused.context["form"].non_field_errors() == [
        "Ha enviado muchas preguntas en poco tiempo. Por favor intente de nuevo dentro de una hora."
    ]
    assert CitizenQuestion.objects.count() == RATE_LIMIT
    assert _ask(client, report, ip="10.0.0.2").status_code == 302  # another address


def test_question_honeypot_submissions_count_toward_the_rate_limit(client, report):
    for _n in range(RATE_LIMIT):
        _ask(client, report, sitio_web="robot")
    assert _ask(client, report).status_code == 429
    assert CitizenQuestion.objects.count() == 0


def test_question_unknown_topic_is_refused_beside_the_field(client, report):
    response = _ask(client, report, topic="M9")
    assert "topic" in response.context["form"].errors
    assert CitizenQuestion.objects.count() == 0


def test_question_form_of_a_withdrawn_or_unpublished_report_is_not_found(client, example, planner):
    withdrawn = _published(example, planner, status=AccountabilityReport.Status.WITHDRAWN)
    ready = _published(example, planner, status=AccountabilityReport.Status.READY)
    codes = [
        client.get(reverse("public:question-ask", args=[r.pk])).status_code
        for r in (withdrawn, ready)
    ] + [_ask(client, ready).status_code]
    assert codes == [404, 404, 404]
    with pytest.raises(ValidationError):
        _question(withdrawn)


def test_question_form_is_never_cached(client, report):
    response = client.get(reverse("public:question-ask", args=[report.pk]))
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


# Public display ------------------------------------------------------------------------


def test_report_page_links_to_the_question_form_without_a_csrf_token(client, report):
    page = _detail(client, report)
    link = f'href="/transparencia/informes/{report.pk}/preguntar/">Haga una pregunta'
    assert link in page
    assert 'name="csrfmiddlewaretoken"' not in page


def test_report_page_shows_only_published_questions(client, report, planner):
    published = _question(report, text="Pregunta publicada QPUB")
    answer_question(published, answer="Respuesta RPUB", publish=True, by=planner)
    _question(report, text="Pregunta recibida QREC")
    answered = _question(report, text="Pregunta sin publicar QANS")
    answer_question(answered, answer="Borrador RANS", by=planner)
    rejected = _question(report, text="Pregunta rechazada QREJ")
    reject_question(rejected, reason="Ofensiva", by=planner)
    merged = _question(report, text="Pregunta duplicada QDUP")
    merge_question(merged, into=published, by=planner)
    page = _detail(client, report)
    shown = [
        text for text in ("QPUB", "RPUB", "QREC", "QANS", "RANS", "QREJ", "QDUP") if text in page
    ]
    assert shown == ["QPUB", "RPUB"]
    assert "1 pregunta parecida más" in page


def test_published_question_and_answer_are_html_escaped(client, report, planner):
    question = _question(report, text="<script>alert('q')</script>")
    answer_question(question, answer="<b>hola</b>", publish=True, by=planner)
    page = _detail(client, report)
    assert "&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page
    assert "&lt;b&gt;hola&lt;/b&gt;" in page


def test_public_author_is_the_first_name_only_with_consent(client, report, planner):
    with_consent = _question(
        report, author_name="Ana María Pérez", author_email="ana@ejemplo.co", show_first_name=True
    )
    without = _question(report, author_name="Luis Gómez", author_email="luis@ejemplo.co")
    for question in (with_consent, without):
        answer_question(question, answer="Respuesta.", publish=True, by=planner)
    page = _detail(client, report)
    assert f'<h3 class="h5" id="pregunta-{with_consent.pk}">Pregunta de Ana</h3>' in page
    assert f'<h3 class="h5" id="pregunta-{without.pk}">Pregunta de Ciudadano(a)</h3>' in page
    for personal in ("ana@ejemplo.co", "luis@ejemplo.co", "María Pérez", "Luis Gómez"):
        assert personal not in page


def test_report_page_lists_commitments_of_published_answers_with_state(
    client, report, planner, example
):
    unit_a = example["units"][0]
    question = _question(report)
    answer_question(
        question,
        answer="Sí.",
        publish=True,
        commitment={
            "description": "Publicar el contrato CMX1",
            "unit": unit_a,
            "due_date": datetime.date(2000, 1, 31),
        },
        by=planner,
    )
    hidden = _question(report, text="Otra")
    answer_question(
        hidden,
        answer="Borrador",
        commitment={
            "description": "Compromiso oculto CHID",
            "unit": unit_a,
            "due_date": datetime.date(2030, 1, 31),
        },
        by=planner,
    )
    page = _detail(client, report)
    assert (
        '<tr><th scope="row">Publicar el contrato CMX1</th><td>Unidad A</td>'
        '<td><time datetime="2000-01-31">31 de Enero de 2000</time></td><td>Vencido</td></tr>'
    ) in page
    assert "CHID" not in page


def _dialogue(report, planner, unit, size):
    for n in range(size):
        question = _question(report, text=f"Pregunta {n}")
        answer_question(
            question,
            answer=f"Respuesta {n}",
            publish=True,
            commitment={
                "description": f"Compromiso {n}",
                "unit": unit,
                "due_date": datetime.date(2030, 1, n + 1),
            },
            by=planner,
        )
        merge_question(_question(report, text=f"Duplicada {n}"), into=question, by=planner)


@pytest.mark.parametrize("size", [1, 3])
def test_report_page_queries_do_not_grow_with_questions(
    client, report, planner, example, count_queries, size
):
    _dialogue(report, planner, example["units"][0], size)
    _detail(client, report)
    cache.clear()  # the page is built, not served from the portal's cache
    with count_queries() as counted:
        response = client.get(reverse("public:report-detail", args=[report.pk]))
    assert (len(response.context["questions"]), len(response.context["commitments"])) == (
        size,
        size,
    )
    # The portal's state (reports' publications, entity, the dialogue's latest public change
    # of questions and of commitments: 4, cached 5 s), then entity, report (plan,
    # created_by, published_by joined), periods, files, published questions (duplicates
    # counted), commitments (unit joined).
    assert counted.count == REPORT_PAGE_QUERIES


REPORT_PAGE_QUERIES = 10


# Moderation -----------------------------------------------------------------------------


def _staff_urls(question, commitment):
    return [
        reverse("accountability:question-list"),
        reverse("accountability:question-detail", args=[question.pk]),
        reverse("accountability:question-reject", args=[question.pk]),
        reverse("accountability:question-merge", args=[question.pk]),
        reverse("accountability:commitment-update", args=[commitment.pk]),
    ]


@pytest.fixture
def pair(report, planner, example):
    question = _question(report)
    answer_question(question, answer="Respuesta.", by=planner)
    commitment = add_commitment(
        question,
        description="Hacer X",
        unit=example["units"][0],
        due_date=datetime.date(2030, 1, 1),
        by=planner,
    )
    return question, commitment


def test_moderation_pages_refuse_responsable_and_directivo(client, pair, responsible, director):
    urls = _staff_urls(*pair)
    codes = []
    for user in (responsible, director):
        client.force_login(user)
        codes.append([client.get(url).status_code for url in urls])
        codes.append([client.post(url, {"reason": "x", "answer": "x"}).status_code for url in urls])
    assert codes == [[403] * 5] * 4
    question, commitment = pair
    question.refresh_from_db()
    assert (question.status, question.answer) == (Q.ANSWERED, "Respuesta.")


def test_moderation_pages_send_anonymous_visitors_to_login(client, pair):
    assert [client.get(url).url.split("?")[0] for url in _staff_urls(*pair)] == [
        reverse("login")
    ] * 5


def test_moderation_pages_open_for_planeacion_and_the_administrador(
    client, pair, planner, admin_user
):
    for user in (planner, admin_user):
        client.force_login(user)
        assert [client.get(url).status_code for url in _staff_urls(*pair)] == [200] * 5


def test_moderation_services_refuse_a_responsable(report, responsible, director):
    question = _question(report)
    for user in (responsible, director):
        with pytest.raises(ValidationError) as error:
            answer_question(question, answer="x", publish=True, by=user)
        assert error.value.messages == ["Solo Planeación o el Administrador moderan las preguntas."]
        with pytest.raises(ValidationError):
            reject_question(question, reason="x", by=user)
    question.refresh_from_db()
    assert question.status == Q.RECEIVED


def test_answer_page_publishes_with_a_commitment(client, report, planner, example):
    question = _question(report)
    client.force_login(planner)
    unit_b = example["units"][1]
    response = client.post(
        question.get_absolute_url(),
        {
            "answer": "La obra termina en marzo.",
            "commitment_description": "Informar el avance cada mes",
            "commitment_unit": unit_b.pk,
            "commitment_due_date": "2027-03-31",
            "action": "publish",
        },
    )
    assert response.url == question.get_absolute_url()
    question.refresh_from_db()
    assert (question.status, question.answer, question.answered_by) == (
        Q.PUBLISHED,
        "La obra termina en marzo.",
        planner,
    )
    commitment = Commitment.objects.get()
    assert (commitment.report, commitment.unit, commitment.due_date, commitment.status) == (
        report,
        unit_b,
        datetime.date(2027, 3, 31),
        State.PENDING,
    )


def test_answer_page_needs_all_three_commitment_fields(client, report, planner):
    question = _question(report)
    client.force_login(planner)
    response = client.post(
        question.get_absolute_url(),
        {"answer": "Sí.", "commitment_description": "Algo", "action": "publish"},
    )
    errors = response.context["form"].errors
    assert errors["commitment_unit"] == ["Complete los tres datos del compromiso."]
    assert errors["commitment_due_date"] == ["Complete los tres datos del compromiso."]
    question.refresh_from_db()
    assert (question.status, Commitment.objects.count()) == (Q.RECEIVED, 0)


def test_answer_save_without_publishing_keeps_it_off_the_portal(client, report, planner):
    question = _question(report)
    client.force_login(planner)
    client.post(question.get_absolute_url(), {"answer": "Borrador XYZANS", "action": "save"})
    question.refresh_from_db()
    assert (question.status, question.answer) == (Q.ANSWERED, "Borrador XYZANS")
    client.logout()
    assert "XYZANS" not in _detail(client, report)


def test_reject_needs_a_reason_and_keeps_it_in_the_history(client, report, planner):
    question = _question(report)
    client.force_login(planner)
    url = reverse("accountability:question-reject", args=[question.pk])
    page = client.get(url).content.decode()
    assert "La pregunta no se publicará y ya no podrá responderse." in page
    empty = client.post(url, {"reason": "  "})
    assert empty.context["form"].errors["reason"] == ["Este campo es requerido."]
    client.post(url, {"reason": "Lenguaje ofensivo"})
    question.refresh_from_db()
    assert (question.status, question.rejection_reason) == (Q.REJECTED, "Lenguaje ofensivo")
    assert question.history.latest().history_change_reason == "Rechazada: Lenguaje ofensivo"
    with pytest.raises(ValidationError):
        answer_question(question, answer="x", publish=True, by=planner)


def test_merge_hides_the_duplicate_and_points_to_the_original(client, report, planner):
    original = _question(report, text="Original")
    duplicate = _question(report, text="Duplicada")
    older = _question(report, text="Duplicada de la duplicada")
    merge_question(older, into=duplicate, by=planner)
    client.force_login(planner)
    url = reverse("accountability:question-merge", args=[duplicate.pk])
    choices = [str(pk) for pk, _label in client.get(url).context["form"].fields["into"].choices]
    assert choices == ["", str(original.pk)]
    assert client.post(url, {"into": original.pk}).url == duplicate.get_absolute_url()
    duplicate.refresh_from_db()
    older.refresh_from_db()
    assert (duplicate.status, duplicate.duplicate_of, older.duplicate_of) == (
        Q.MERGED,
        original,
        original,
    )
    answer_question(original, answer="La respuesta ORIG", publish=True, by=planner)
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "La respuesta ORIG" in page


def test_merge_refuses_itself_and_another_report(report, example, planner):
    other = _published(example, planner, title="Otro")
    question, foreign = _question(report), _question(other)
    for into in (question, foreign):
        with pytest.raises(ValidationError) as error:
            merge_question(question, into=into, by=planner)
        assert error.value.message_dict == {"into": ["Elija otra pregunta del mismo informe."]}


@pytest.mark.parametrize("size", [1, 3])
def test_moderation_queue_queries_do_not_grow(client, report, planner, count_queries, size):
    for n in range(size):
        _question(report, text=f"Recibida {n}")
    reject_question(_question(report, text="Rechazada"), reason="x", by=planner)
    client.force_login(planner)
    url = reverse("accountability:question-list")
    client.get(url)
    with count_queries() as counted:
        response = client.get(url)
    assert [q.question for q in response.context["page"].object_list] == [
        f"Recibida {n}" for n in range(size)
    ]
    # session, user, user and group permissions, count, groups (nav), report choices
    # (filter), page.
    assert counted.count == QUEUE_QUERIES
    rejected = client.get(url, {"status": "rejected"}).context["page"].object_list
    assert [q.question for q in rejected] == ["Rechazada"]
    every = client.get(url, {"report": report.pk, "status": ""}).context["page"].object_list
    assert len(every) == size + 1


QUEUE_QUERIES = 8


def test_nav_shows_the_queue_to_planeacion_only(client, planner, responsible):
    link = '<a class="nav-link" href="/rendicion-de-cuentas/preguntas/">Preguntas ciudadanas</a>'
    shown = []
    for user in (planner, responsible):
        client.force_login(user)
        shown.append(link in client.get(reverse("home")).content.decode())
    assert shown == [True, False]


def test_nav_shows_the_commitments_to_the_roles_that_follow_them(
    client, planner, director, auditor, responsible
):
    link = '<a class="nav-link" href="/rendicion-de-cuentas/compromisos/">Compromisos</a>'
    shown = []
    for user in (planner, director, auditor, responsible):
        client.force_login(user)
        page = client.get(reverse("home"), follow=True)  # a Directivo's home is the dashboard
        shown.append(link in page.content.decode())
    assert shown == [True, True, True, False]


# Commitments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "due", "state"),
    [
        (State.PENDING, TODAY, State.PENDING),  # due today: not late yet
        (State.PENDING, TODAY - datetime.timedelta(days=1), State.OVERDUE),
        (State.IN_PROGRESS, TODAY - datetime.timedelta(days=1), State.OVERDUE),
        (State.IN_PROGRESS, TODAY + datetime.timedelta(days=1), State.IN_PROGRESS),
        (State.DONE, TODAY - datetime.timedelta(days=30), State.DONE),
    ],
)
def test_commitment_state_is_overdue_after_its_due_date_unless_done(pair, status, due, state):
    _question_, commitment = pair
    Commitment.objects.filter(pk=commitment.pk).update(status=status, due_date=due)
    commitment.refresh_from_db()
    assert commitment.state_on(TODAY) == state
    found = Commitment.objects.in_state(state, today=TODAY)
    assert list(found) == [commitment]
    others = [s for s in State if s != state]
    assert [Commitment.objects.in_state(s, today=TODAY).count() for s in others] == [0] * 3


def test_commitment_update_needs_a_note_that_the_history_keeps(client, pair, planner):
    _question_, commitment = pair
    client.force_login(planner)
    url = reverse("accountability:commitment-update", args=[commitment.pk])
    response = client.post(url, {"status": "in_progress", "note": ""})
    assert response.context["form"].errors["note"] == ["Este campo es requerido."]
    client.post(url, {"status": "in_progress", "note": "Contrato firmado"})
    commitment.refresh_from_db()
    assert commitment.status == State.IN_PROGRESS
    assert commitment.history.latest().history_change_reason == "Contrato firmado"
    with pytest.raises(ValidationError) as error:
        update_commitment(commitment, status="overdue", note="x", by=planner)
    assert error.value.message_dict == {"status": ["Elija pendiente, en curso o cumplido."]}


@pytest.mark.parametrize("size", [1, 3])
def test_commitment_list_filters_by_unit_and_state(
    client, report, planner, example, count_queries, size
):
    unit_a, unit_b = example["units"]
    question = _question(report)
    answer_question(question, answer="Sí.", by=planner)
    for n in range(size):
        add_commitment(
            question,
            description=f"A{n}",
            unit=unit_a,
            due_date=datetime.date(2099, 1, n + 1),
            by=planner,
        )
    add_commitment(
        question, description="B late", unit=unit_b, due_date=datetime.date(2000, 1, 1), by=planner
    )
    client.force_login(planner)
    url = reverse("accountability:commitment-list")
    client.get(url)
    with count_queries() as counted:
        response = client.get(url, {"unit": unit_a.pk, "state": "pending"})
    assert [c.description for c in response.context["page"].object_list] == [
        f"A{n}" for n in range(size)
    ]
    # session, user, user and group permissions, the chosen unit (filter validation),
    # count, groups (nav), unit choices (filter), page.
    assert counted.count == COMMITMENT_LIST_QUERIES
    late = client.get(url, {"state": "overdue"}).context["page"].object_list
    assert [c.description for c in late] == ["B late"]


COMMITMENT_LIST_QUERIES = 9


def test_commitment_list_is_readable_by_every_internal_role_but_updated_by_moderators(
    client, pair, responsible
):
    client.force_login(responsible)
    response = client.get(reverse("accountability:commitment-list"))
    assert (
        [c.description for c in response.context["page"].object_list],
        response.context["can_update"],
    ) == (
        ["Hacer X"],
        False,
    )


def test_a_citizen_question_answered_with_a_commitment_appears_on_the_report(
    client, report, planner, example
):
    _ask(client, report, question="¿Cuándo arreglan el parque FLOW1?", topic="")
    question = CitizenQuestion.objects.get()
    client.force_login(planner)
    client.post(
        question.get_absolute_url(),
        {
            "answer": "En abril. FLOWANS",
            "commitment_description": "Arreglar el parque FLOWC",
            "commitment_unit": example["units"][0].pk,
            "commitment_due_date": "2099-04-30",
            "action": "publish",
        },
    )
    client.logout()
    page = _detail(client, report)
    section = page[page.find('id="preguntas"') :]
    assert [text in section for text in ("FLOW1", "FLOWANS", "FLOWC", "Pendiente")] == [True] * 4
    assert "Tema: General" in section


def test_a_withdrawn_report_keeps_its_answers_but_takes_no_questions(client, report, planner):
    question = _question(report, text="Pregunta WDQ")
    answer_question(question, answer="Respuesta WDA", publish=True, by=planner)
    report.status = AccountabilityReport.Status.WITHDRAWN
    report.save(update_fields=["status"])
    response = client.get(reverse("public:report-detail", args=[report.pk]))
    page = response.content.decode()
    assert ("WDQ" in page, "WDA" in page, response.context["can_ask"]) == (True, True, False)
    assert f'href="/transparencia/informes/{report.pk}/preguntar/"' not in page
