"""Small, strict readers for environment variables.

Each helper returns the default when the variable is unset or empty and raises
ImproperlyConfigured with a message naming the variable when the value is junk, so a
typo in deployment fails at start-up instead of silently running with a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name):
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name, default=""):
    value = _raw(name)
    return default if value is None else value


def env_bool(name, default=False):
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of {sorted(_TRUE | _FALSE)}."
    )


def env_int(name, default, *, minimum=None):
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name, default=()):
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name, default, choices):
    value = env_str(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {sorted(choices)}.")
    return value


def env_url(name, default="", *, schemes):
    value = env_str(name, default)
    if value and value.split("://", 1)[0] not in schemes:
        raise ImproperlyConfigured(
            f"{name}={value!r} must be a URL with one of the schemes {sorted(schemes)}."
        )
    return value


def meta_header_name(name, header):
    """The request.META key of an HTTP header given as `X-Forwarded-For` (or already as
    `HTTP_X_FORWARDED_FOR`)."""
    key = header.upper().replace("-", "_")
    if not key.replace("_", "").isalnum() or not key.isascii():
        raise ImproperlyConfigured(
            f"{name}={header!r} is not an HTTP header name (e.g. X-Forwarded-For)."
        )
    return key if key.startswith("HTTP_") else f"HTTP_{key}"


# The SECRET_KEY value shown in .env.example, refused when DEBUG is off.
PLACEHOLDER_SECRET_KEY = "change-me-to-a-long-random-string-of-50-characters"
_SECRET_KEY_HINT = (
    "generate one with: python -c 'from django.core.management.utils import "
    "get_random_secret_key; print(get_random_secret_key())'"
)


def check_secret_key(key, *, debug):
    """Raise ImproperlyConfigured unless `key` may sign sessions: at least 32 characters
    always; with DEBUG off, not the placeholder of .env.example nor Django's
    `django-insecure-` keys, and at least 50 characters with at least 5 different ones
    (the rule of Django's deployment check security.W009)."""
    if len(key) < 32:
        raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")
    if debug:
        return
    if key == PLACEHOLDER_SECRET_KEY or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            f"SECRET_KEY is a placeholder, not a secret (DEBUG is off); {_SECRET_KEY_HINT}."
        )
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters long with at least 5 different "
            f"characters when DEBUG is off; {_SECRET_KEY_HINT}."
        )
