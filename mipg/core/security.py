"""Security plumbing shared by the login lockout (django-axes), the API throttle and every
response: the client's IP address behind a proxy, the lockout page, the
Permissions-Policy header. Configured in mipg/settings.py from the environment."""

import ipaddress

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def _is_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request):
    """The client's IP address. With MIPG_CLIENT_IP_HEADER set (the site is reached only
    through a reverse proxy), the address MIPG_PROXY_COUNT entries from the right of that
    header: the one the proxies wrote, not one the client sent. Otherwise, and when the
    header does not hold such an address, the peer address (REMOTE_ADDR)."""
    header = settings.MIPG_CLIENT_IP_HEADER
    if header:
        addresses = [a.strip() for a in request.META.get(header, "").split(",") if a.strip()]
        if len(addresses) >= settings.MIPG_PROXY_COUNT:
            candidate = addresses[-settings.MIPG_PROXY_COUNT]
            if _is_ip(candidate):
                return candidate
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login when django-axes refuses it: when to try again
    and who can unlock earlier. Every refused attempt restarts the cool-off, so it ends
    AXES_COOLOFF_TIME from now."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        "retry_at": timezone.now() + cool_off,
        "minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header from settings.PERMISSIONS_POLICY, a dict of
    feature → allowlist (e.g. {"camera": [], "fullscreen": ["self"]})."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = ", ".join(
                f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items()
            )
        return response
