"""Authentication by personal API token: `Authorization: Token <key>` or `Bearer <key>`."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from mipg.core.api.tokens import hash_key
from mipg.core.models import ApiToken

KEYWORDS = ("token", "bearer")
# last_used_at is written at most once per interval, so reads stay read-only.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuthentication(authentication.BaseAuthentication):
    """Looks the token up by the hash of the key; revoked tokens and inactive users are
    rejected with 401."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Encabezado Authorization inválido: use «Token <clave>».")
            )
        try:
            key = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Token inválido.")) from None
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_key(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token inválido o revocado."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("El usuario del token está inactivo."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Token personal creado en /cuenta/tokens/. Envíelo como "
                "`Authorization: Bearer <clave>` (también se acepta `Token <clave>`)."
            ),
        }
