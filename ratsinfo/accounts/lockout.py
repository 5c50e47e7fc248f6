"""django-axes with two limits: per account (AXES_FAILURE_LIMIT) and a higher one per address
(RATSINFO_LOGIN_ADDRESS_FAILURE_LIMIT), because a town hall's staff share one NAT address and
a few typos there must not lock everybody out, while password spraying from one address is
still stopped."""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # One queryset per AXES_LOCKOUT_PARAMETERS entry: ["username", "ip_address"].
        by_account, by_address = (
            qs.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for qs in self.get_user_attempts(request, credentials)
        )
        # Scaled onto the account limit, so axes' one threshold applies to both.
        account_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.RATSINFO_LOGIN_ADDRESS_FAILURE_LIMIT
        return int(max(by_account, by_address * account_limit // address_limit))
