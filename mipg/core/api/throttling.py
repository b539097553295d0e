from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle as BaseAnonRateThrottle

from mipg.core.security import client_ip


class AnonRateThrottle(BaseAnonRateThrottle):
    """Limits anonymous clients to REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
    (API_ANON_RATE), read on every request rather than once at import, so a settings
    change (tests, the fuzzing server) applies. A rate of None disables the limit.

    Clients are told apart by `client_ip` (MIPG_CLIENT_IP_HEADER behind a proxy), not by
    DRF's default, which believes any X-Forwarded-For a client sends."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)
