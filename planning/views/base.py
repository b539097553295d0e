"""The two shapes every write page of the workspace takes: a form handed to a service,
and a confirmation page whose POST calls a service. Service errors are shown on the page
(status 200, nothing saved); PermissionDenied propagates to the 403 page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from mipg.core.web import apply_service_errors


def form_page(request, form, *, save, template, context, success_url, success_message):
    """On a valid POST call ``save(form)`` (a service call), flash ``success_message``
    (may be a callable of the saved object) and redirect to ``success_url`` (may be a
    callable of the saved object). Otherwise render ``template`` with the form."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _call(success_message, saved))
            return redirect(_call(success_url, saved))
    return render(request, template, {**context, "form": form})


def confirm_page(request, *, act, context, success_url, success_message, template=None):
    """GET: the confirmation page. POST: ``act()`` (a service call), then flash and
    redirect; a ValidationError is shown on the confirmation page instead."""
    errors = []
    if request.method == "POST":
        try:
            done = act()
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _call(success_message, done))
            return redirect(_call(success_url, done))
    return render(request, template or "planning/confirm.html", {**context, "errors": errors})


def confirm_step(
    request,
    *,
    act,
    title,
    question,
    done,
    back_url,
    crumbs,
    success_url=None,
    danger=False,
    button=None,
    ask_reason=False,
):
    """``confirm_page`` of one step (approve, close, lock, archive...): the page titled
    ``title`` asks ``question``; its Cancel leads to ``back_url``, and so does success unless
    ``success_url`` says otherwise; ``done`` is flashed."""
    return confirm_page(
        request,
        act=act,
        context={
            "title": title,
            "question": question,
            "button": button or title,
            "danger": danger,
            "cancel_url": back_url,
            "crumbs": crumbs,
            "ask_reason": ask_reason,
        },
        success_url=success_url or back_url,
        success_message=done,
    )


def _call(value, arg):
    return value(arg) if callable(value) else value
