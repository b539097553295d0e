"""Writes of personal API tokens: create (the key is returned once) and revoke.

Only the SHA-256 of a key is stored, so a stolen database does not give working keys; the
first characters (`prefix`) are kept to tell tokens apart on the page and in the admin.
"""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mipg.core.models import ApiToken
from mipg.core.permissions import require

MAX_ACTIVE_TOKENS = 20
PREFIX_LENGTH = 8


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(token):
    """Give `token` a new random key (hash and prefix set, not saved); return the key."""
    key = secrets.token_urlsafe(32)
    token.key_hash = hash_key(key)
    token.prefix = key[:PREFIX_LENGTH]
    return key


def can_manage(user, token_user):
    """A user manages their own tokens; the administrator manages everybody's."""
    return user.is_active and (user.pk == token_user.pk or user.has_perm("mipg.change_apitoken"))


def create_api_token(user, *, name, by):
    """Create a token for `user`; returns (token, key). The key is never stored."""
    require(can_manage(by, user), _("No puede crear tokens para otro usuario."))
    name = (name or "").strip()
    with transaction.atomic():
        if not name:
            raise ValidationError({"name": _("Dé un nombre al token (p. ej. «Integración SIIF»).")})
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {
                    "name": _(
                        "Ya tiene %(count)s tokens activos; revoque alguno antes de crear otro."
                    )
                    % {"count": active}
                }
            )
        token = ApiToken(user=user, name=name)
        key = issue_key(token)
        token.full_clean()
        token.save()
        return token, key


def revoke_api_token(token, *, by):
    """Revoke a token: from now on it is rejected. Revoking twice is refused."""
    require(can_manage(by, token.user), _("No puede revocar tokens de otro usuario."))
    with transaction.atomic():
        token.refresh_from_db(from_queryset=ApiToken.objects.select_for_update())
        if token.revoked_at is not None:
            raise ValidationError(_("El token «%(name)s» ya está revocado.") % {"name": token.name})
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        return token
