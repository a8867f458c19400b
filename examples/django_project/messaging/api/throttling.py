"""Throttle classes that read their rates from the settings on every request.

DRF's SimpleRateThrottle copies DEFAULT_THROTTLE_RATES into a class attribute when
rest_framework.throttling is imported, so changing the setting later (in a test, with the
`settings` fixture) does not change the rate of AnonRateThrottle or UserRateThrottle.
These subclasses look the rate up in the current settings instead.
"""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


# --8<-- [start:throttles]
class RatesFromSettings:
    @property
    def THROTTLE_RATES(self) -> dict:  # the name SimpleRateThrottle reads
        return api_settings.DEFAULT_THROTTLE_RATES  # reloaded by DRF when settings change


class AnonThrottle(RatesFromSettings, AnonRateThrottle):
    """Anonymous requests, counted per client IP address (scope "anon")."""


class UserThrottle(RatesFromSettings, UserRateThrottle):
    """Authenticated requests, counted per user id (scope "user")."""


class LoginThrottle(RatesFromSettings, AnonRateThrottle):
    """Password attempts at the token endpoint, per client IP, in their own bucket."""

    scope = "login"
# --8<-- [end:throttles]
