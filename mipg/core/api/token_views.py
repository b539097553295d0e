"""The page where a user lists, creates and revokes their own API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mipg.core.api.forms import TokenForm
from mipg.core.api.tokens import create_api_token, revoke_api_token
from mipg.core.models import ApiToken
from mipg.core.web import apply_service_errors


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """GET: the user's tokens and the form. POST: create a token and show its key once,
    on this response only (no redirect: the key must not travel through the session)."""
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = create_api_token(
                request.user, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = TokenForm()
            messages.success(request, _("Token «%(name)s» creado.") % {"name": token.name})
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "new_key": new_key}
    return render(request, "mipg/api/tokens.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    """GET: confirmation page. POST: revoke. Only the user's own tokens (404 otherwise)."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        try:
            revoke_api_token(token, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Token «%(name)s» revocado.") % {"name": token.name})
        return redirect("api-tokens")
    return render(request, "mipg/api/token_revoke.html", {"token": token})
