from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle as BaseAnonRateThrottle


class AnonRateThrottle(BaseAnonRateThrottle):
    """Limits anonymous clients to REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]
    (API_ANON_RATE), read on every request rather than once at import, so a settings
    change (tests, the fuzzing server) applies. A rate of None disables the limit."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
