"""Single sign-on for staff with the municipality's OpenID Connect provider (mozilla-django-oidc).

Off unless `RATSINFO_OIDC_CLIENT_ID` is set. Accounts are matched by the provider's `sub`,
never by name, so a provider account cannot take over a local (council member) account.
Roles come from the provider's groups claim through `RATSINFO_OIDC_GROUP_MAP`; a person with
no mapped role is refused. Only mapped roles are managed here; other groups stay as they are.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ratsinfo.accounts.models import AccountSettings
from ratsinfo.accounts.roles import STAFF_GROUPS, parse_group_map

log = logging.getLogger("ratsinfo.accounts")


def group_map(raw: str | None = None) -> dict[str, str]:
    return parse_group_map(settings.RATSINFO_OIDC_GROUP_MAP if raw is None else raw)


def roles_from_claims(claims: dict[str, Any]) -> set[str]:
    groups = claims.get(settings.RATSINFO_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = group_map()
    return {mapping[g] for g in groups if isinstance(g, str) and g in mapping}


class StaffOIDCBackend(OIDCAuthenticationBackend):
    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            raise SuspiciousOperation("ID-Token für einen anderen Client")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not claims.get("sub") or not roles_from_claims(claims):
            log.warning("SSO abgelehnt: keine zugeordnete Rolle für sub=%r", claims.get("sub"))
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(account_settings__oidc_subject=claims["sub"])

    @transaction.atomic
    def create_user(self, claims: dict[str, Any]) -> User | None:
        username = str(claims.get(settings.RATSINFO_OIDC_USERNAME_CLAIM) or claims["sub"])[:150]
        if User.objects.filter(username=username).exists():
            log.warning("SSO abgelehnt: Benutzername %r gehört schon einem lokalen Konto", username)
            return None
        user = User.objects.create_user(username, email=claims.get("email", ""))
        user.set_unusable_password()  # SSO accounts log in only through the provider
        user.save()
        AccountSettings.objects.create(user=user, oidc_subject=claims["sub"])
        return self.update_user(user, claims)

    @transaction.atomic
    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        roles = roles_from_claims(claims)
        user.first_name = str(claims.get("given_name", user.first_name))[:150]
        user.last_name = str(claims.get("family_name", user.last_name))[:150]
        user.email = str(claims.get("email", user.email))[:254]
        user.is_staff = bool(roles & STAFF_GROUPS)
        user.save()
        managed = set(group_map().values())
        current = set(user.groups.filter(name__in=managed).values_list("name", flat=True))
        if current - roles:
            user.groups.remove(*Group.objects.filter(name__in=current - roles))
        if roles - current:
            user.groups.add(*Group.objects.filter(name__in=roles - current))
        return user


def _enabled_only(view: Any) -> Any:
    @never_cache
    def wrapped(request: HttpRequest) -> HttpResponse:
        if not settings.RATSINFO_OIDC_ENABLED:
            raise Http404("Anmeldung über das Dienstkonto ist nicht eingerichtet.")
        return view(request)

    return wrapped


start = _enabled_only(OIDCAuthenticationRequestView.as_view())
callback = _enabled_only(OIDCAuthenticationCallbackView.as_view())
