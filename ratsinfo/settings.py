"""The one settings module. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from ratsinfo.accounts.roles import parse_group_map
from ratsinfo.lib.env import ConfigurationError, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("RATSINFO_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()
TESTING = "pytest" in sys.modules
# The SQLite file, uploads and collected static files live here; create it on first use.
(DATA_DIR / "static").mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("RATSINFO_DEBUG", False)
PRODUCTION = env_bool("RATSINFO_PRODUCTION", False)
SECRET_KEY = env_secret("RATSINFO_SECRET_KEY", "unsicher-nur-fuer-demo-und-tests")
if not DEBUG and not TESTING and SECRET_KEY.startswith("unsicher") and PRODUCTION:
    raise ConfigurationError("RATSINFO_SECRET_KEY muss in Produktion gesetzt sein.")
ALLOWED_HOSTS = env_list("RATSINFO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("RATSINFO_CSRF_TRUSTED_ORIGINS", [])
# Absolute base for OParl ids and feed links (stable public URLs); falls back to the request host.
PUBLIC_BASE_URL = env_str("RATSINFO_PUBLIC_BASE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ratsinfo.accounts",
    "ratsinfo.bodies",
    "ratsinfo.files",
    "ratsinfo.papers",
    "ratsinfo.meetings",
    "ratsinfo.corpus",
    "ratsinfo.portal",
    "ratsinfo.oparl",
    "ratsinfo.measures",
    "ratsinfo.staff",
    "ratsinfo.members",
    "ratsinfo.ops",
    "ratsinfo.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ratsinfo.ops.outage.OutageMiddleware",  # database restart or full disk: a German 503, no traceback
    "csp.middleware.CSPMiddleware",
    "ratsinfo.lib.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "ratsinfo.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "ratsinfo.urls"
WSGI_APPLICATION = "ratsinfo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite (WAL) by default, zero configuration; DATABASE_URL=postgres://… for production and scale.
_database_url = env_secret("DATABASE_URL", f"sqlite:///{DATA_DIR / 'ratsinfo.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=env_int("RATSINFO_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if TESTING else 600
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while the worker or an import writes; IMMEDIATE avoids
        # "database is locked" upgrades from read to write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = None  # in-memory test database
elif DATABASES["default"]["ENGINE"] in {"django.db.backends.postgresql"}:
    # No JIT: PostgreSQL compiles a plan whose estimated cost is high (a search's visibility
    # subplans over 700,000 index rows) for 600 ms, to run it in 26 ms; pages are short queries.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (_options.get("options", "") + " -c jit=off").strip()
    # A kept connection is checked before a request reuses it: after a database restart the
    # first request reconnects instead of failing on the dead connection.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    raise ConfigurationError(f"DATABASE_URL nennt eine nicht unterstützte Datenbank: {_database_url.split(':')[0]}")

# PostgreSQL: a search's statements that do not need each other's rows run on this many helper
# connections per process beside the request's own (search/beside.py); 0 runs them in turn.
RATSINFO_SEARCH_HELPERS = env_int("RATSINFO_SEARCH_HELPERS", 2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch")]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded and generated documents: the local file system under MEDIA_ROOT, or any S3-compatible
# object store (pip install 'ratsinfo[s3]'). Stored by content (sha-512), never served directly.
_file_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if env_str("RATSINFO_STORAGE", "local") == "s3":
    _file_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("RATSINFO_S3_BUCKET"),
            "endpoint_url": env_str("RATSINFO_S3_ENDPOINT", "") or None,
            "region_name": env_str("RATSINFO_S3_REGION", "") or None,
            "access_key": env_secret("RATSINFO_S3_ACCESS_KEY", "") or None,
            "secret_key": env_secret("RATSINFO_S3_SECRET_KEY", "") or None,
            "location": env_str("RATSINFO_S3_PREFIX", ""),
            "addressing_style": env_str("RATSINFO_S3_ADDRESSING_STYLE", "path"),
            "default_acl": None,  # private objects: every download goes through the access check
            "querystring_auth": True,
        },
    }
elif env_str("RATSINFO_STORAGE", "local") != "local":
    raise ConfigurationError("RATSINFO_STORAGE muss „local“ oder „s3“ sein.")
STORAGES = {
    "default": _file_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # `ratsinfo serve` works without collectstatic
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("RATSINFO_MEDIA_DIR", str(DATA_DIR / "media"))).resolve()
MEDIA_URL = "/media-intern/"  # never served directly: files go through the visibility check
RATSINFO_MAX_UPLOAD_MB = env_int("RATSINFO_MAX_UPLOAD_MB", 100)

# --- Transport and browser security --------------------------------------------------------------
# In production (RATSINFO_PRODUCTION=1) everything is HTTPS-only. Behind a proxy that terminates
# TLS, set RATSINFO_PROXY_SSL_HEADER=1 (the proxy must set X-Forwarded-Proto and strip it from
# clients); RATSINFO_HTTPS_REDIRECT=0 / RATSINFO_HSTS_SECONDS=0 leave redirect or HSTS to the proxy.
if env_bool("RATSINFO_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("RATSINFO_HTTPS_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = env_int("RATSINFO_HSTS_SECONDS", 31536000) if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("RATSINFO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("RATSINFO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True  # no script reads them (there is no script)
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Maps (Leaflet): tiles come from this server only after the visitor clicks "Karte anzeigen".
RATSINFO_MAP_TILE_URL = env_str("RATSINFO_MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
RATSINFO_MAP_ATTRIBUTION = env_str("RATSINFO_MAP_ATTRIBUTION", "© OpenStreetMap-Mitwirkende")
_tiles = urlsplit(RATSINFO_MAP_TILE_URL)
# Strict in every mode, demo included: no inline script or style; a script would need the nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", f"{_tiles.scheme}://{_tiles.netloc}"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}

# --- E-mail (notifications, error mails); secrets also as *_FILE (container secrets) -------------
EMAIL_HOST = env_str("RATSINFO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("RATSINFO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("RATSINFO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("RATSINFO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("RATSINFO_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("RATSINFO_EMAIL_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ConfigurationError("RATSINFO_EMAIL_STARTTLS und RATSINFO_EMAIL_SSL schließen sich aus.")
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_str("RATSINFO_EMAIL_FROM", "ratsinfo@localhost")
if TESTING or not env_str("RATSINFO_EMAIL_HOST", ""):
    # Without a mail server the mails go to the log instead of failing a request.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGIN_URL = "/anmelden/"
LOGIN_REDIRECT_URL = "/"

# --- Accounts: login protection, second factor, single sign-on (ratsinfo/accounts) ---------
# django-axes checks before any password hasher runs, so a locked-out guess costs no CPU.
AXES_FAILURE_LIMIT = env_int("RATSINFO_LOGIN_FAILURE_LIMIT", 10)
RATSINFO_LOGIN_ADDRESS_FAILURE_LIMIT = env_int("RATSINFO_LOGIN_ADDRESS_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("RATSINFO_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account and, separately, per address
AXES_HANDLER = "ratsinfo.accounts.lockout.AccountAndAddressHandler"
# A success would wipe every failure from its address: one own account would reset a spraying run.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "ratsinfo.accounts.views.locked_out"
AXES_IPWARE_PROXY_COUNT = env_int("RATSINFO_TRUSTED_PROXY_COUNT", 0) or None
if AXES_IPWARE_PROXY_COUNT:  # behind a reverse proxy the client is in X-Forwarded-For
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
OTP_TOTP_ISSUER = env_str("RATSINFO_OTP_ISSUER", "Ratsinformationssystem")
# Administrators never see a member's TOTP secret or its QR code (the admin's config pages answer 403).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
RATSINFO_STAFF_AREA = "/verwaltung/"  # two-factor login required here for staff roles
RATSINFO_RECOVERY_CODES = 10
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# OpenID Connect single sign-on for staff: off unless a client id is configured.
RATSINFO_OIDC_ENABLED = bool(env_str("RATSINFO_OIDC_CLIENT_ID", ""))
if RATSINFO_OIDC_ENABLED:
    OIDC_RP_CLIENT_ID = env_str("RATSINFO_OIDC_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env_secret("RATSINFO_OIDC_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("RATSINFO_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("RATSINFO_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("RATSINFO_OIDC_USERINFO_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env_str("RATSINFO_OIDC_SIGN_ALGO", "RS256")
    # Asymmetric signatures need the provider's keys; HS256 uses the client secret.
    OIDC_OP_JWKS_ENDPOINT = env_str("RATSINFO_OIDC_JWKS_ENDPOINT") if OIDC_RP_SIGN_ALGO[:2] in {"RS", "ES"} else None
    OIDC_RP_SCOPES = env_str("RATSINFO_OIDC_SCOPES", "openid email profile")
    OIDC_USE_PKCE = True
    AUTHENTICATION_BACKENDS.append("ratsinfo.accounts.oidc.StaffOIDCBackend")
RATSINFO_OIDC_GROUPS_CLAIM = env_str("RATSINFO_OIDC_GROUPS_CLAIM", "groups")
RATSINFO_OIDC_USERNAME_CLAIM = env_str("RATSINFO_OIDC_USERNAME_CLAIM", "preferred_username")
# "provider-group=Rollenname;…", e.g. "ris-sitzungsdienst=Sitzungsdienst;ris-admin=Administrator"
RATSINFO_OIDC_GROUP_MAP = env_str("RATSINFO_OIDC_GROUP_MAP", "")
parse_group_map(RATSINFO_OIDC_GROUP_MAP)  # a typo in a role name stops the start, not a login
# The municipality's provider enforces its own multi-factor login for staff.
RATSINFO_OIDC_SECOND_FACTOR = env_bool("RATSINFO_OIDC_SECOND_FACTOR", True)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
LOGIN_REDIRECT_URL_FAILURE = "/anmelden/"

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("RATSINFO_LOG_LEVEL", "WARNING")},
    "loggers": {"ratsinfo": {"level": env_str("RATSINFO_LOG_LEVEL", "INFO"), "propagate": True}},
}

# Local rules of the Geschäftsordnung (NKomVG leaves them to the council).
RATSINFO_INVITATION_PERIOD_DAYS = env_int("RATSINFO_INVITATION_PERIOD_DAYS", 7)
# Vorlagen must be released this many days before their meeting (work list "überfällig").
RATSINFO_REDAKTIONSSCHLUSS_TAGE = env_int("RATSINFO_REDAKTIONSSCHLUSS_TAGE", 14)

