"""Birge settings: one module, every value read from the environment.

Production is the default: DEBUG off, HTTPS on, a secret key required. The demo and the
test suite switch things off explicitly (`BIRGE_DEMO=1`, `BIRGE_HTTPS=0`). Every
variable is listed in the README under "Configuration".
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

# FileAwareEnv reads NAME_FILE (a path, e.g. a Docker or systemd secret) where NAME is unset.
env = environ.FileAwareEnv()


def env_secret(name: str) -> str:
    """A secret from NAME or the file NAME_FILE; a file's trailing newline is not part of it."""
    return env.str(name, default="").strip()


VAR_DIR = Path(env.str("BIRGE_VAR_DIR", default=str(PROJECT_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
BIRGE_DEMO = env.bool("BIRGE_DEMO", default=False)
BIRGE_HTTPS = env.bool("BIRGE_HTTPS", default=True)


def _secret_key() -> str:
    key = env_secret("SECRET_KEY")
    if key:
        return key
    if not (DEBUG or BIRGE_DEMO):
        raise ImproperlyConfigured("Set SECRET_KEY or SECRET_KEY_FILE (see README, Configuration).")
    # Demo and development: a random key kept under var/ so sessions survive restarts.
    from django.core.management.utils import get_random_secret_key

    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Number of reverse proxies in front of the app that append to X-Forwarded-For.
BIRGE_PROXY_COUNT = env.int("BIRGE_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    "birge.web",
    "birge.agencies",
    "birge.accounts",
    "birge.audit",
    "birge.privacy",
    "birge.drafts",
    "birge.words",
    "birge.access",
    "birge.cases",
    "birge.notifications",
    "birge.risk",
    "birge.safety",
    "birge.referrals",
    "birge.conferences",
    "birge.training",
    "birge.justice",
    "birge.reports",
    "birge.reactions",
    "birge.jobs",
    "birge.home",
    "birge.oversight",
    "birge.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    # /healthz and /readyz for the proxy: before the host check, sessions and sign-in.
    "birge.home.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "birge.web.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "birge.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "birge.accounts.middleware.SessionLimitsMiddleware",
    "birge.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "birge.web.middleware.NoStoreMiddleware",
    "birge.web.middleware.StaleFormMiddleware",
    "birge.web.middleware.DatabaseBusyMiddleware",
    # Counts the guidance's flags in a saved form (birge.words.counting).
    "birge.words.counting.PhraseCountMiddleware",
    # Axes last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "birge.urls"
WSGI_APPLICATION = "birge.wsgi.application"

# Django's form rendering, with the select lists built in Python (birge.web.form_renderer).
FORM_RENDERER = "birge.web.form_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "birge.home.context_processors.birge",
            ],
        },
    },
]

# --- Storage -------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'birge.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: a write transaction takes the lock at its start, so the audit chain
    # (read the last hash, append) cannot interleave; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No request holds the database for long: a statement, a wait for a lock, a
    # transaction left open, each stops at its limit (seconds; 0: none) and the person
    # gets "busy, try again" (503, birge.web.middleware.DatabaseBusyMiddleware). Commands
    # and jobs (`birge …`, BIRGE_DB_COMMAND set by birge.__main__) may run longer.
    BIRGE_DB_STATEMENT_TIMEOUT = env.int("BIRGE_DB_STATEMENT_TIMEOUT", default=30)
    if env.bool("BIRGE_DB_COMMAND", default=False):
        BIRGE_DB_STATEMENT_TIMEOUT = env.int("BIRGE_DB_COMMAND_STATEMENT_TIMEOUT", default=900)
    BIRGE_DB_LOCK_TIMEOUT = env.int("BIRGE_DB_LOCK_TIMEOUT", default=10)
    BIRGE_DB_IDLE_IN_TRANSACTION_TIMEOUT = env.int(
        "BIRGE_DB_IDLE_IN_TRANSACTION_TIMEOUT", default=60
    )
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options["options"] = " ".join(
        [
            _db_options.get("options", ""),
            f"-c statement_timeout={BIRGE_DB_STATEMENT_TIMEOUT * 1000}",
            f"-c lock_timeout={BIRGE_DB_LOCK_TIMEOUT * 1000}",
            f"-c idle_in_transaction_session_timeout={BIRGE_DB_IDLE_IN_TRANSACTION_TIMEOUT * 1000}",
        ]
    ).strip()
# What a person is told to wait (Retry-After, seconds) when the database was too busy.
BIRGE_DB_RETRY_AFTER = env.int("BIRGE_DB_RETRY_AFTER", default=5)
# A BigAutoField that, on a model with encrypted fields, takes the id before the INSERT so
# that the values can be bound to their row (birge.privacy.rowids).
DEFAULT_AUTO_FIELD = "birge.privacy.rowids.RowIdField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Several app servers: the cache lives in Redis, so any server can answer; sessions
    # are written to the database and cached in Redis, so that a Redis restart or
    # eviction signs nobody out.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "birge",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Read replica: reports read from a PostgreSQL standby when it is fit (birge.web.replica):
# reachable, in recovery and at most BIRGE_REPLICA_MAX_LAG seconds behind; otherwise, and
# for every write, from the primary. Its verdict is asked again every
# BIRGE_REPLICA_CHECK_SECONDS; a replica that does not answer within
# BIRGE_REPLICA_CONNECT_TIMEOUT seconds is passed over.
REPLICA_DATABASE_URL = env_secret("REPLICA_DATABASE_URL")
BIRGE_REPLICA_MAX_LAG = env.int("BIRGE_REPLICA_MAX_LAG", default=30)
BIRGE_REPLICA_CHECK_SECONDS = env.int("BIRGE_REPLICA_CHECK_SECONDS", default=5)
BIRGE_REPLICA_CONNECT_TIMEOUT = env.int("BIRGE_REPLICA_CONNECT_TIMEOUT", default=2)
if REPLICA_DATABASE_URL:
    _replica = env.db_url_config(REPLICA_DATABASE_URL)
    if not _replica["ENGINE"] == DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "REPLICA_DATABASE_URL is a PostgreSQL standby of the DATABASE_URL's PostgreSQL."
        )
    DATABASES["replica"] = {
        **{key: value for key, value in DATABASES["default"].items() if key not in _replica},
        **_replica,
        "OPTIONS": {
            **DATABASES["default"].get("OPTIONS", {}),
            **_replica.get("OPTIONS", {}),
            "connect_timeout": BIRGE_REPLICA_CONNECT_TIMEOUT,
        },
        # The test suite's "replica" is the test database itself, seen through a second
        # connection (not in recovery, so reports keep reading from the primary).
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["birge.web.replica.ReplicaRouter"]

# --- Authentication (OWASP ASVS level 2) ---------------------------------------------

AUTH_USER_MODEL = "agencies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "birge.accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",  # Argon2id
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {
        "NAME": "birge.accounts.passwords.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # an invitation link is good for three days

# Two-factor authentication is mandatory for every account, except in the demo.
BIRGE_REQUIRE_2FA = env.bool("BIRGE_REQUIRE_2FA", default=not BIRGE_DEMO)
OTP_TOTP_ISSUER = "Birge"
BIRGE_RECOVERY_CODES = 10

# Lockout per (username, IP) with a bounded cool-off: nobody can lock a colleague out for good.
AXES_FAILURE_LIMIT = env.int("BIRGE_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("BIRGE_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A retry during the pause does not restart it: "paused for 15 minutes" means 15 minutes.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "birge.web.request_context.client_ip"
AXES_LOCKOUT_CALLABLE = "birge.accounts.views.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded in the audit log instead
AXES_VERBOSE = False
if timedelta(minutes=15) < AXES_COOLOFF_TIME:
    raise ImproperlyConfigured("BIRGE_LOCKOUT_MINUTES must be at most 15.")

# Sessions end after 15 minutes idle and 12 hours in all (birge.accounts.middleware).
BIRGE_SESSION_IDLE = timedelta(minutes=env.int("BIRGE_SESSION_IDLE_MINUTES", default=15))
BIRGE_SESSION_ABSOLUTE = timedelta(hours=env.int("BIRGE_SESSION_ABSOLUTE_HOURS", default=12))
# The session-end warning appears this long before the idle limit (birge.accounts).
BIRGE_SESSION_WARNING = timedelta(minutes=2)
# What a person typed into a long form and did not save is kept this long (birge.drafts).
BIRGE_DRAFT_AGE = timedelta(days=env.int("BIRGE_DRAFT_DAYS", default=7))
SESSION_COOKIE_AGE = int(BIRGE_SESSION_ABSOLUTE.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "birge_session"
CSRF_COOKIE_HTTPONLY = True

# --- Transport and browser security ------------------------------------------------

SECURE_SSL_REDIRECT = BIRGE_HTTPS
SESSION_COOKIE_SECURE = BIRGE_HTTPS
CSRF_COOKIE_SECURE = BIRGE_HTTPS
SECURE_HSTS_SECONDS = 31536000 if BIRGE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = BIRGE_HTTPS
SECURE_HSTS_PRELOAD = BIRGE_HTTPS and env.bool("BIRGE_HSTS_PRELOAD", default=True)
if env.bool("BIRGE_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Languages ---------------------------------------------------------------------

LANGUAGE_CODE = "az"
LANGUAGES = [
    ("az", "Azərbaycanca"),
    ("ru", "Русский"),
    ("en", "English"),
]
LANGUAGE_COOKIE_NAME = "birge_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = BIRGE_HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Baku")
USE_TZ = True

# --- Static files ------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Email: never personal data, only that something waits in Birge -----------------

# The demo writes its mail to files under var/mail/ (one per message, read with any text
# viewer) rather than printing raw MIME on the console, unless EMAIL_URL says otherwise.
if BIRGE_DEMO and not env.str("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
else:
    EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
    globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Birge <no-reply@birge.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- API ---------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["knox.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "birge.web.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's, refusing deep nesting and absurd numbers with a 400 (birge.web.api_parsers).
    "DEFAULT_PARSER_CLASSES": ["birge.web.api_parsers.JSONParser"],
    "EXCEPTION_HANDLER": "birge.web.api.exception_handler",
}
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env.int("BIRGE_API_TOKEN_HOURS", default=12)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Birge API",
    "DESCRIPTION": "Multi-agency cooperation on cases of violence against women.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # The error bodies every operation documents.
        "birge.web.api_schema.error_components",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RiskLevelEnum": "birge.cases.models.RiskLevel",
        # Several `status` fields, each with choices of its own.
        "MeetingStatusEnum": "birge.conferences.models.Meeting.Status",
        "ConferenceReferralStatusEnum": "birge.conferences.models.ConferenceReferral.Status",
        "ConferenceActionStatusEnum": "birge.conferences.models.ConferenceAction.Status",
        "ReferralStatusEnum": "birge.referrals.models.Referral.Status",
        # Named for what they are, not for the field that happens to carry them.
        "AgencyKindEnum": "birge.agencies.models.Agency.Kind",
        "ViolenceFormEnum": "birge.cases.models.ViolenceForm",
        "ConferenceCriterionEnum": "birge.conferences.models.ConferenceReferral.Criterion",
        "AgendaItemOutcomeEnum": "birge.conferences.models.AgendaItem.Outcome",
        "ResearchTopicEnum": "birge.conferences.models.ResearchTopic",
        "ConcernEnum": "birge.conferences.models.Concern",
        "WorkKindEnum": "birge.home.api.KINDS",
        "ProceedingKindEnum": "birge.justice.models.Proceeding.Kind",
        "ProceedingStageEnum": "birge.justice.models.Proceeding.Stage",
        "ProgrammeReferralStatusEnum": "birge.justice.models.ProgrammeReferral.Status",
        "ProtectionOrderStatusEnum": "birge.justice.models.ProtectionOrder.Status",
    },
}

# --- Personal data at rest -----------------------------------------------------------


# Keys live outside the database (environment or files). Encryption keys: a comma-separated
# list of "key-id:base64-of-32-bytes", the first encrypts, all decrypt (rotation). The blind
# index key (HMAC) lets Birge find the same person without storing names in plaintext.
def _local_key(name: str, make) -> str:
    """A key for the demo and development, kept under var/; never made up in production.

    BIRGE_LOCAL_KEYS=1 allows it outside the demo (a developer's machine); a server
    behind a TLS proxy with BIRGE_HTTPS=0 still refuses to start without real keys."""
    if not (DEBUG or BIRGE_DEMO or env.bool("BIRGE_LOCAL_KEYS", default=False)):
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE (see README, Configuration).")
    path = VAR_DIR / name.lower()
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make())
        path.chmod(0o600)
    return path.read_text().strip()


def _new_encryption_key() -> str:
    import base64
    import secrets

    return "k1:" + base64.b64encode(secrets.token_bytes(32)).decode()


def _new_hmac_key() -> str:
    import secrets

    return secrets.token_hex(32)


BIRGE_ENCRYPTION_KEYS = [k.strip() for k in env.list("BIRGE_ENCRYPTION_KEYS", default=[])] or [
    _local_key("BIRGE_ENCRYPTION_KEYS", _new_encryption_key)
]
BIRGE_BLIND_INDEX_KEY = env_secret("BIRGE_BLIND_INDEX_KEY") or _local_key(
    "BIRGE_BLIND_INDEX_KEY", _new_hmac_key
)

# --- Cases -------------------------------------------------------------------------

BIRGE_EMERGENCY_ACCESS_HOURS = env.int("BIRGE_EMERGENCY_ACCESS_HOURS", default=4)
# Auditors are alerted when a user opens more than this many cases she is not assigned
# to within BIRGE_UNASSIGNED_VIEWS_HOURS.
BIRGE_UNASSIGNED_VIEWS_ALERT = env.int("BIRGE_UNASSIGNED_VIEWS_ALERT", default=20)
BIRGE_UNASSIGNED_VIEWS_HOURS = env.int("BIRGE_UNASSIGNED_VIEWS_HOURS", default=24)
# A user's refused reads (404s) are recorded one by one up to this many an hour, then once
# more as a summary, so that a scan of other agencies' ids cannot flood the audit log.
BIRGE_DENIED_READS_LOGGED = env.int("BIRGE_DENIED_READS_LOGGED", default=30)
# Closed cases are anonymised after this many days (`birge retention`).
BIRGE_RETENTION_DAYS = env.int("BIRGE_RETENTION_DAYS", default=5 * 365)

# --- Audit log ---------------------------------------------------------------------

# Key for signing chain checkpoints; keep it outside the database (a file or a vault).
BIRGE_AUDIT_CHECKPOINT_KEY = env_secret("BIRGE_AUDIT_CHECKPOINT_KEY")
# `birge audit verify` fails when an event has waited longer than this many seconds for
# its seal (the scheduler's audit_seal job seals every 5 seconds).
BIRGE_AUDIT_UNSEALED_MAX_AGE = env.int("BIRGE_AUDIT_UNSEALED_MAX_AGE", default=120)

# Audit checkpoints (issue 13): the scheduler's audit_checkpoint job signs the head seal
# every BIRGE_AUDIT_CHECKPOINT_INTERVAL seconds (when a key is set), into the database and,
# when set, a file on another volume (appended to, fsync'd) and syslog (/dev/log).
# `birge audit verify` fails when the newest checkpoint is older than
# BIRGE_AUDIT_CHECKPOINT_MAX_AGE seconds while a key is set.
BIRGE_AUDIT_CHECKPOINT_INTERVAL = env.int("BIRGE_AUDIT_CHECKPOINT_INTERVAL", default=300)
BIRGE_AUDIT_CHECKPOINT_MAX_AGE = env.int(
    "BIRGE_AUDIT_CHECKPOINT_MAX_AGE", default=3 * BIRGE_AUDIT_CHECKPOINT_INTERVAL
)
BIRGE_AUDIT_CHECKPOINT_FILE = env.str("BIRGE_AUDIT_CHECKPOINT_FILE", default="")
BIRGE_AUDIT_CHECKPOINT_SYSLOG = env.bool("BIRGE_AUDIT_CHECKPOINT_SYSLOG", default=False)

# --- Logging: no personal data, ever; request ids tie log lines to audit events -----

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The request logger prints the path only; Birge puts no personal data in URLs.
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # fpdf2's font subsetting logs every glyph it keeps: noise, not operations.
        "fontTools": {"level": "WARNING"},
    },
}

BIRGE_VERSION = "0.1.0"
BIRGE_NAME = _("Birge")
# DejaVu Sans (regular and bold) for the PDF documents: Debian's fonts-dejavu-core.
BIRGE_FONT_DIR = env.str("BIRGE_FONT_DIR", default="/usr/share/fonts/truetype/dejavu")
CSRF_FAILURE_VIEW = "birge.web.views.csrf_failure"

# --- Risk ----------------------------------------------------------------------------

# Hours until the next assessment is due, by level (critical 72 hours, high 7 days,
# medium 30 days, standard 60 days).
BIRGE_REASSESSMENT_HOURS = {
    "critical": env.int("BIRGE_REASSESS_CRITICAL_HOURS", default=72),
    "high": env.int("BIRGE_REASSESS_HIGH_HOURS", default=7 * 24),
    "medium": env.int("BIRGE_REASSESS_MEDIUM_HOURS", default=30 * 24),
    "standard": env.int("BIRGE_REASSESS_STANDARD_HOURS", default=60 * 24),
}
# Referral deadlines: a reminder when this share of the promised time has passed; the
# coordinating body hears of it when a further span (the promise times this) has passed.
BIRGE_REFERRAL_REMINDER_SHARE = env.float("BIRGE_REFERRAL_REMINDER_SHARE", default=0.75)
BIRGE_REFERRAL_NATIONAL_FACTOR = env.float("BIRGE_REFERRAL_NATIONAL_FACTOR", default=1.0)
# An overdue reassessment reminds its assessor at once, goes to the agency lead(s) once a
# further share of the level's span (BIRGE_REASSESS_*_HOURS) has passed, and to the
# coordinating body once a further share (birge.jobs.reassessments).
BIRGE_REASSESS_LEAD_SHARE = env.float("BIRGE_REASSESS_LEAD_SHARE", default=0.25)
BIRGE_REASSESS_NATIONAL_SHARE = env.float("BIRGE_REASSESS_NATIONAL_SHARE", default=1.0)
if not 0 <= BIRGE_REASSESS_LEAD_SHARE <= BIRGE_REASSESS_NATIONAL_SHARE:
    raise ImproperlyConfigured(
        "BIRGE_REASSESS_LEAD_SHARE must be at least 0 and at most BIRGE_REASSESS_NATIONAL_SHARE."
    )
# Where Birge is reached, for the one link an email carries (to the inbox).
BIRGE_BASE_URL = env.str("BIRGE_BASE_URL", default="")
# A case with this many incidents in 12 months is escalated (and goes to the conference).
BIRGE_ESCALATION_INCIDENTS = env.int("BIRGE_ESCALATION_INCIDENTS", default=3)
# Protection orders: the coordinator is reminded this many days before an order ends;
# the order types in force (empty: the shipped file, birge/justice/order_types/).
BIRGE_ORDER_REMINDER_DAYS = env.int("BIRGE_ORDER_REMINDER_DAYS", default=5)
BIRGE_ORDER_TYPES_FILE = env.str("BIRGE_ORDER_TYPES_FILE", default="")
