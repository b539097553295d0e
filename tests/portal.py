"""The data of the citizen portal's quality tests (tests/accountability/test_public_crawl.py
and tests/browser/test_public_pages.py): reports in every state, evidence files, citizen
questions in every state, and officials and citizens with distinctive names and e-mails, so
that their absence from a page means something."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accountability.models import AccountabilityReport, CitizenQuestion
from accountability.services import create_report, fail_report, publish_report, withdraw_report
from management.models import ProgressEvidence, ProgressReport
from mipg.core import roles
from mipg.core.models import Entity, User
from tests.builders import PDF, dashboard_example, generated_report
from tests.factories import UserFactory

Status = AccountabilityReport.Status
Question = CitizenQuestion.Status


def png():
    """A 2×2 PNG (the entity's logo)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "#004884").save(buffer, format="PNG")
    return buffer.getvalue()


def official_names(user):
    """Distinctive username and e-mail, so their absence from a page means something."""
    return f"funcionario.xqz{user.pk}", f"correo.funcionario.xqz{user.pk}@example.org"


def portal_scenario():
    """A plan with reports in every state, evidence files, questions in every state and
    officials and citizens with distinctive names and e-mails. Returns a dict."""
    example = dashboard_example()
    planner = UserFactory(roles=[roles.PLANEACION])
    for user in User.objects.all():
        user.username, user.email = official_names(user)
        user.save()
    entity = Entity.current()
    entity.name, entity.email = "Alcaldía de Rastreo", "contacto@alcaldia-rastreo.gov.co"
    entity.logo = SimpleUploadedFile("escudo.png", png())
    entity.save()

    published = publish_report(
        generated_report(example, planner, title="Informe publicado XQZPUB"), by=planner
    )
    withdrawn = publish_report(
        generated_report(example, planner, ("t1",), title="Informe retirado XQZWD"), by=planner
    )
    withdraw_report(withdrawn, reason="Cifras corregidas.", by=planner)
    ready = generated_report(example, planner, title="Borrador listo XQZREADY")
    draft = generated_report(example, planner, ("t1",), title="Borrador XQZDRAFT")
    AccountabilityReport.objects.filter(pk=draft.pk).update(status=Status.DRAFT)

    def queued(title):
        return create_report(
            plan=example["plan"],
            periods=[example["t1"]],
            kind=AccountabilityReport.Kind.ACTION_PLAN,
            title=title,
            by=planner,
        )

    failed = fail_report(queued("Informe fallido XQZFAIL").pk, "Error interno XQZERR")
    waiting = queued("Informe en cola XQZQUEUE")
    generating = queued("Informe generándose XQZGEN")
    AccountabilityReport.objects.filter(pk=generating.pk).update(status=Status.GENERATING)

    evidence = [
        ProgressEvidence.objects.create(
            report=report,
            file=SimpleUploadedFile(f"acta-xqz{report.pk}.pdf", PDF),
            original_name=f"Acta confidencial XQZEVI{report.pk}.pdf",
            size=len(PDF),
            uploaded_by=report.created_by,
        )
        for report in ProgressReport.objects.all()
    ]

    def question(n, status, report=published, **fields):
        return CitizenQuestion.objects.create(
            report=report,
            author_name=f"Ciudadana XQZNAME{n}",
            author_email=f"ciudadana.xqz{n}@example.org",
            question=f"¿Pregunta {status} XQZQ{n}?",
            status=status,
            **fields,
        )

    questions = {
        "received": question(1, Question.RECEIVED),
        "answered": question(2, Question.ANSWERED, answer="Respuesta sin publicar XQZA2"),
        "rejected": question(3, Question.REJECTED, rejection_reason="Fuera de tema XQZREJ"),
        "published": question(4, Question.PUBLISHED, answer="Respuesta publicada XQZA4"),
        "on_draft": question(5, Question.RECEIVED, report=ready),
    }
    return {
        "example": example,
        "planner": planner,
        "published": (published, withdrawn),
        "unpublished": (ready, draft, failed, waiting, generating),
        "evidence": evidence,
        "questions": questions,
    }
