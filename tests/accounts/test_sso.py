"""Single sign-on for staff against a fake OpenID provider (token and userinfo endpoints are
mocked; no network): accounts are created and updated from the claims, roles follow the
provider's groups, and local council-member accounts are never taken over."""

from __future__ import annotations

import time
from typing import Any
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.contrib.auth.models import Group, User
from django.test import Client, override_settings

from ratsinfo.accounts import roles
from ratsinfo.accounts.oidc import group_map
from ratsinfo.lib.env import ConfigurationError, env_secret
from tests.accounts.conftest import account

pytestmark = pytest.mark.django_db

SECRET = "client-geheimnis-der-gemeinde-0123456789"
PROVIDER = "https://id.gemeinde.invalid"
SSO = override_settings(
    RATSINFO_OIDC_ENABLED=True,
    OIDC_RP_CLIENT_ID="ratsinfo",
    OIDC_RP_CLIENT_SECRET=SECRET,
    OIDC_OP_AUTHORIZATION_ENDPOINT=f"{PROVIDER}/auth",
    OIDC_OP_TOKEN_ENDPOINT=f"{PROVIDER}/token",
    OIDC_OP_USER_ENDPOINT=f"{PROVIDER}/userinfo",
    OIDC_RP_SIGN_ALGO="HS256",
    OIDC_RP_SCOPES="openid email profile",
    OIDC_USE_PKCE=True,
    RATSINFO_OIDC_GROUP_MAP="ris-sitzungsdienst=Sitzungsdienst;ris-admin=Administrator;ris-sb=Sachbearbeitung",
    AUTHENTICATION_BACKENDS=[
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "ratsinfo.accounts.oidc.StaffOIDCBackend",
    ],
)


@pytest.fixture(autouse=True)
def _roles(db: Any) -> None:
    for name in roles.ALL_GROUPS:
        Group.objects.get_or_create(name=name)


class _Response:
    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload, self.status_code, self.headers, self.url, self.text = payload, 200, {"content-type": "application/json"}, "", ""

    def json(self) -> dict[str, Any]:
        return self.payload

    def raise_for_status(self) -> None:
        return None


def _sso_login(client: Client, claims: dict[str, Any], *, audience: str = "ratsinfo") -> Any:
    """The browser goes to the provider and comes back with a code; the provider answers the back channel."""
    start = client.get("/anmelden/sso/", {"next": "/verwaltung/protokoll/"})
    assert start.status_code == 302 and start.url.startswith(f"{PROVIDER}/auth?")
    params = {k: v[0] for k, v in parse_qs(urlparse(start.url).query).items()}
    assert params["code_challenge_method"] == "S256"
    id_token = jwt.encode(
        {"iss": PROVIDER, "aud": audience, "sub": claims["sub"], "nonce": params["nonce"], "exp": int(time.time()) + 300},
        SECRET, algorithm="HS256",
    )
    token = _Response({"id_token": id_token, "access_token": "zugang", "token_type": "Bearer"})
    with mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token) as post, \
            mock.patch("mozilla_django_oidc.auth.requests.get", return_value=_Response(claims)):
        response = client.get("/anmelden/sso/rueckkehr/", {"code": "einmal-code", "state": params["state"]})
    assert post.call_args.kwargs["data"]["code_verifier"]
    return response


def _claims(sub: str = "a1b2", username: str = "m.mueller", groups: tuple[str, ...] = ("ris-sitzungsdienst",)) -> dict[str, Any]:
    return {"sub": sub, "preferred_username": username, "email": "m.mueller@gemeinde.invalid",
            "given_name": "Maria", "family_name": "Müller", "groups": list(groups)}


@SSO
def test_staff_log_in_through_the_provider_and_get_their_roles() -> None:
    client = Client()
    response = _sso_login(client, _claims(groups=("ris-sitzungsdienst", "ris-unbekannt")))
    assert response.status_code == 302 and response.url == "/verwaltung/protokoll/"
    user = User.objects.get(username="m.mueller")
    assert set(user.groups.values_list("name", flat=True)) == {roles.SITZUNGSDIENST}
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Maria", "Müller")
    # The provider's own multi-factor login counts: the staff area is open.
    assert not client.get("/verwaltung/admin/").get("Location", "").startswith("/konto/")


@SSO
def test_roles_follow_the_provider_on_every_login() -> None:
    _sso_login(Client(), _claims())
    user = User.objects.get(username="m.mueller")
    user.groups.add(Group.objects.get(name=roles.RATSMITGLIED))  # not managed by the provider
    _sso_login(Client(), _claims(groups=("ris-admin",)))
    assert set(user.groups.values_list("name", flat=True)) == {roles.ADMINISTRATOR, roles.RATSMITGLIED}
    assert User.objects.filter(username="m.mueller").count() == 1


@SSO
def test_a_deactivated_account_is_refused_although_the_provider_knows_it() -> None:
    _sso_login(Client(), _claims())
    User.objects.filter(username="m.mueller").update(is_active=False)
    client = Client()
    assert _sso_login(client, _claims()).url == "/anmelden/"
    assert "_auth_user_id" not in client.session


@SSO
def test_a_local_council_account_is_never_taken_over() -> None:
    local = account("ratsfrau", roles.RATSMITGLIED)
    client = Client()
    response = _sso_login(client, _claims(sub="fremd", username="ratsfrau"))
    assert response.url == "/anmelden/"
    assert "_auth_user_id" not in client.session
    assert set(local.groups.values_list("name", flat=True)) == {roles.RATSMITGLIED}


@SSO
def test_people_without_a_mapped_role_are_refused() -> None:
    client = Client()
    assert _sso_login(client, _claims(groups=("mitarbeitende",))).url == "/anmelden/"
    assert not User.objects.filter(username="m.mueller").exists()


@SSO
def test_a_token_for_another_client_is_refused() -> None:
    client = Client()
    assert _sso_login(client, _claims(), audience="anderer-dienst").status_code == 400
    assert "_auth_user_id" not in client.session


@SSO
def test_the_login_page_offers_the_provider() -> None:
    assert "/anmelden/sso/" in Client().get("/anmelden/").content.decode()


def test_without_configuration_there_is_no_single_sign_on() -> None:
    client = Client()
    assert client.get("/anmelden/sso/").status_code == 404
    assert client.get("/anmelden/sso/rueckkehr/?code=x&state=y").status_code == 404
    assert "/anmelden/sso/" not in client.get("/anmelden/").content.decode()


def test_the_group_map_names_only_known_roles() -> None:
    assert group_map("a=Sitzungsdienst; b = Bürgermeister/in ;") == {"a": roles.SITZUNGSDIENST, "b": roles.BUERGERMEISTER}
    with pytest.raises(ConfigurationError):
        group_map("a=Hausmeister")


def test_the_client_secret_can_come_from_a_file(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "secret").write_text("aus-der-datei\n")
    monkeypatch.setenv("RATSINFO_OIDC_CLIENT_SECRET", "aus-der-umgebung")
    assert env_secret("RATSINFO_OIDC_CLIENT_SECRET") == "aus-der-umgebung"
    monkeypatch.setenv("RATSINFO_OIDC_CLIENT_SECRET_FILE", str(tmp_path / "secret"))
    with pytest.raises(ConfigurationError):  # both given: ambiguous, refused
        env_secret("RATSINFO_OIDC_CLIENT_SECRET")
    monkeypatch.delenv("RATSINFO_OIDC_CLIENT_SECRET")
    assert env_secret("RATSINFO_OIDC_CLIENT_SECRET") == "aus-der-datei"
    monkeypatch.setenv("RATSINFO_OIDC_CLIENT_SECRET_FILE", str(tmp_path / "fehlt"))
    with pytest.raises(ConfigurationError):
        env_secret("RATSINFO_OIDC_CLIENT_SECRET")
