"""The citizen's question form of the portal (MURC diálogo): the only portal page that
takes a POST. It lives on its own page, so the report page carries no CSRF token and can
be cached; it is never cached itself.

Abuse without a captcha service: a length limit, a honeypot field (a filled one is
discarded silently, with the same confirmation as a real question) and a limit of
``RATE_LIMIT`` questions per client IP address per ``RATE_WINDOW`` seconds, counted in the
cache from the first question of the window (a fixed window)."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accountability.forms import QuestionForm
from accountability.models import AccountabilityReport
from accountability.services import question_topics, submit_question
from accountability.views.public import portal_render
from mipg.core.security import client_ip
from mipg.core.web import apply_service_errors

RATE_LIMIT = 5
RATE_WINDOW = 60 * 60


def _rate_key(request):
    return f"mipg:citizen-questions:{client_ip(request) or 'unknown'}"


def _over_limit(request):
    return cache.get(_rate_key(request), 0) >= RATE_LIMIT


def _count_question(request):
    key = _rate_key(request)
    if not cache.add(key, 1, RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, RATE_WINDOW)


def _askable_or_404(pk):
    """A published report (a withdrawn one takes no more questions); else a 404."""
    report = (
        AccountabilityReport.objects.select_related("plan")
        .filter(pk=pk, status=AccountabilityReport.Status.PUBLISHED)
        .first()
    )
    if report is None:
        raise Http404
    return report


def _crumbs(report, last):
    return [
        (_("Transparencia"), reverse("public:home")),
        (_("Informes de rendición de cuentas"), reverse("public:report-list")),
        (report.title, reverse("public:report-detail", args=[report.pk])),
        (last, None),
    ]


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def question_ask(request, pk):
    report = _askable_or_404(pk)
    form = QuestionForm(request.POST or None, topics=question_topics(report))
    status = 200
    if request.method == "POST":
        if _over_limit(request):
            form.add_error(
                None,
                _(
                    "Ha enviado muchas preguntas en poco tiempo. Por favor intente de nuevo "
                    "dentro de una hora."
                ),
            )
            status = 429
        elif form.is_valid():
            _count_question(request)
            if form.is_robot():
                return redirect("public:question-sent", pk=report.pk)
            data = form.cleaned_data
            try:
                submit_question(
                    report,
                    question=data["question"],
                    topic_code=data["topic"],
                    author_name=data["author_name"],
                    author_email=data["author_email"],
                    show_first_name=data["show_first_name"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("public:question-sent", pk=report.pk)
    response = portal_render(
        request,
        "accountability/public/question_form.html",
        {
            "report": report,
            "form": form,
            "section": "reports",
            "crumbs": _crumbs(report, _("Haga una pregunta")),
        },
    )
    response.status_code = status
    return response


@require_safe
def question_sent(request, pk):
    report = _askable_or_404(pk)
    return portal_render(
        request,
        "accountability/public/question_sent.html",
        {"report": report, "section": "reports", "crumbs": _crumbs(report, _("Pregunta enviada"))},
    )
