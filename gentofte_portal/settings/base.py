"""Settings shared by every environment; everything that differs between machines comes from the environment.

Read with django-environ (one ``env`` for the whole project). With no configuration the portal runs on SQLite under
var/ and executes Celery tasks in-process, so a bare machine can run it; DATABASE_URL and REDIS_URL switch it to
PostgreSQL, Redis and real workers.
"""

from pathlib import Path

import bootstrap_wrapper
import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # The project's own apps, from the bottom layer up (README: Architecture). gentofte_portal itself is
    # configuration only: settings, urls, celery, wsgi/asgi.
    "gentofte_portal.common.apps.CommonConfig",
    "gentofte_portal.outbox.apps.OutboxConfig",
    "gentofte_portal.documents.apps.DocumentsConfig",
    "committees.apps.CommitteesConfig",
    "recruitment.apps.RecruitmentConfig",
    "meetings.apps.MeetingsConfig",
    "gentofte_portal.pages.apps.PagesConfig",
    "gentofte_portal.subscriptions.apps.SubscriptionsConfig",
    "gentofte_portal.oparl.apps.OparlConfig",
    "gentofte_portal.sso.apps.SsoConfig",
    "gentofte_portal.network.apps.NetworkConfig",
    "gentofte_portal.evaluation.apps.EvaluationConfig",
    "gentofte_portal.devdata.apps.DevdataConfig",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "auditlog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gentofte_portal.common.middleware.PrivateForSignedInUsersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gentofte_portal.common.two_factor.StaffOTPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gentofte_portal.urls"
WSGI_APPLICATION = "gentofte_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gentofte_portal.common.context_processors.portal",
            ],
        },
    },
]

# Database: PostgreSQL in production and CI, SQLite under var/ when nothing is configured.
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A persistent connection is checked before a request reuses it: after a database restart the first request in each
# web process would otherwise fail on the dead connection (one 500 per gunicorn worker).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis serves as Celery broker and as cache; without it tasks run eagerly and the cache is per process. While Redis
# is unreachable the cache falls back to memory per process (gentofte_portal.common.cache), so no page depends on it.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "gentofte_portal.common.cache.FailSafeRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Results are kept only for the tasks that ask for them (/healthz?deep=1's probe): asking the result backend on
# every publish made a request wait 19 s for a Redis that was down.
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged when it has finished, and given back if its worker process dies, so a killed worker's
# message is delivered again: by Redis after the visibility timeout (longer than any task's time limit plus its
# retry countdown), and sooner by the outbox sweep and the documents' requeue (README, "When something fails").
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 15 * 60, "socket_connect_timeout": 2}
# The worker keeps trying to reach a broker that is down, however long (Celery's default gives up after 100 tries).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_RESULT_EXPIRES = 60 * 60
CELERY_TIMEZONE = "Europe/Copenhagen"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How the web hands a task to the broker (gentofte_portal.outbox.broker): one try of at most this many seconds, and
# after a failure no new try for PORTAL_BROKER_RETRY_SECONDS; the outbox keeps what was not sent.
PORTAL_BROKER_TIMEOUT = env.float("PORTAL_BROKER_TIMEOUT", default=1.0)
PORTAL_BROKER_RETRY_SECONDS = env.float("PORTAL_BROKER_RETRY_SECONDS", default=5.0)
# Work sent but not finished after this long (a message lost with Redis, a worker killed) is sent again.
PORTAL_REQUEUE_AFTER_SECONDS = env.int("PORTAL_REQUEUE_AFTER_SECONDS", default=60)
# How often beat runs the sweeps that send again what waits (outbox messages, PDFs not yet rendered).
PORTAL_OUTBOX_SWEEP_SECONDS = env.int("PORTAL_OUTBOX_SWEEP_SECONDS", default=15)
# Beat saves its schedule file after every task it sends, so the file's age tells a health check beat is alive.
CELERY_BEAT_SYNC_EVERY = 1
CELERY_BEAT_SCHEDULE = {
    # Each expires after one interval: a backlog of sweeps behind a broker outage is dropped, not run in a row.
    "outbox-sweep": {
        "task": "outbox.sweep",
        "schedule": PORTAL_OUTBOX_SWEEP_SECONDS,
        "options": {"expires": PORTAL_OUTBOX_SWEEP_SECONDS},
    },
    "documents-requeue": {
        "task": "portal.requeue_documents",
        "schedule": PORTAL_OUTBOX_SWEEP_SECONDS,
        "options": {"expires": PORTAL_OUTBOX_SWEEP_SECONDS},
    },
    # Applications of citizens not appointed are deleted after the retention period (recruitment.services).
    "purge-applications": {"task": "recruitment.purge_applications", "schedule": 60 * 60 * 24},
    # Files of uploads whose transaction was rolled back (gentofte_portal.common.private_files).
    "clean-private-files": {"task": "portal.clean_private_files", "schedule": 60 * 60 * 24},
    # Subscription requests not confirmed within SUBSCRIPTIONS_CONFIRM_HOURS are deleted (gentofte_portal.subscriptions).
    "subscriptions-purge-unconfirmed": {"task": "subscriptions.purge_unconfirmed", "schedule": 60 * 60},
    # The citizens' network: reminders a month before consent lapses, removal when it has, unconfirmed signups
    # deleted (gentofte_portal.network).
    "network-housekeeping": {"task": "network.housekeeping", "schedule": 60 * 60},
    # One automatic reminder to the members who have not answered an evaluation (gentofte_portal.evaluation).
    "evaluation-remind-due": {"task": "evaluation.remind_due", "schedule": 60 * 60 * 24},
    # The weekly digest for subscribers who chose it: Monday morning, Danish time (CELERY_TIMEZONE).
    "subscriptions-weekly-digest": {
        "task": "subscriptions.weekly_digest",
        "schedule": crontab(day_of_week="monday", hour=7, minute=0),
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# One form for dates everywhere (README: Dates): the named formats in gentofte_portal/settings/formats/<lang>/.
FORMAT_MODULE_PATH = ["gentofte_portal.settings.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
# Bootstrap's dist files come from the bootstrap-wrapper wheel: no CDN, works on closed networks.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", bootstrap_wrapper.get_bootstrap_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Attachments (bilag) live here, outside MEDIA_URL: they are served only by a view that checks permission.
# Kept apart from MEDIA_ROOT, so a web server that serves /media/ can never expose them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Gentofte Kommune <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Login throttling (django-axes): after 5 failed attempts for a username from one address, that pair is locked
# for an hour, with a friendly page (HTTP 429). Counted per client IP as the rate limits are (gentofte_portal.common.ip).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "gentofte_portal.common.ip.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"

# Audit log (django-auditlog; gentofte_portal.common.audit): every save and delete of these models, with the user who
# made it; views of applicants are logged as access. Readable by superusers in the admin. An application's log keeps
# only its status fields (never the citizen's data), and no IP addresses are stored.
_APPLICATION_AUDIT_FIELDS = ["call", "status", "shortlisted_by", "deletion_requested_at"]
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {"model": "auth.user", "exclude_fields": ["password", "last_login"]},
    "auth.group",
    {"model": "otp_totp.totpdevice", "include_fields": ["user", "name", "confirmed"]},
    "committees.term",
    "committees.party",
    "committees.person",
    "committees.councilmembership",
    "committees.committee",
    "committees.standingcommittee",
    "committees.taskcommittee",
    "committees.committeemembership",
    "committees.deliverable",
    "committees.mandate",
    "committees.mandatetransition",
    "committees.mandatecomment",
    "recruitment.call",
    {"model": "recruitment.application", "include_fields": _APPLICATION_AUDIT_FIELDS},
    "recruitment.allocation",
    # The seed is secret until the allocation is confirmed (then shown on the committee page), so not logged.
    {"model": "recruitment.lotdraw", "exclude_fields": ["seed"]},
    "recruitment.selectiontarget",
    # The inputs hold the pool's categories per application id; the log keeps the draw's outcome, not its inputs.
    {"model": "recruitment.selectiondraw", "exclude_fields": ["inputs", "chances", "lottery"]},
    "meetings.meeting",
    "meetings.agendaitem",
    "meetings.attachment",
    "meetings.minutes",
    "meetings.attendance",
    "meetings.deliverableapproval",
    "pages.accessibilitystatement",
    # The network: a member's consent and removal, who saw them in a search, who invited them (by id) to what; a
    # member's name, address and choices are never logged.
    {"model": "network.member", "include_fields": ["source", "consent_at"]},
    {"model": "network.invitation", "include_fields": ["member", "kind", "call", "sent_by", "declined_at"]},
    # Who edited, sent and published an evaluation; never its invitations or answers (the answers are anonymous).
    "evaluation.survey",
    "evaluation.statement",
)
AUDITLOG_DISABLE_REMOTE_ADDR = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "committees:workspace"
LOGOUT_REDIRECT_URL = "pages:home"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): the portal has no inline scripts or styles and loads nothing from other
# hosts; Bootstrap's CSS uses data: URIs for its icons. Pages cannot be framed (also X-Frame-Options: DENY).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The name shown in every page header and document; one installation serves one municipality.
PORTAL_MUNICIPALITY_NAME = env("PORTAL_MUNICIPALITY_NAME", default="Gentofte Kommune")
# Two-factor authentication (django-otp, TOTP) for staff accounts: required in production settings, optional in
# development so `make run`'s demo logins work without an app (gentofte_portal.common.two_factor).
PORTAL_STAFF_OTP_REQUIRED = env.bool("STAFF_OTP_REQUIRED", default=False)
OTP_TOTP_ISSUER = f"{PORTAL_MUNICIPALITY_NAME} Opgaveudvalgsportal"
# Who a person without access should ask (shown on the "Du har ikke adgang" page), e.g. "Sekretariatet for
# opgaveudvalg, opgaveudvalg@gentofte.dk, tlf. 39 98 00 00".
PORTAL_STAFF_CONTACT = env("PORTAL_STAFF_CONTACT", default="")

# Sign-in with the municipality's OpenID Connect provider (gentofte_portal.sso, mozilla-django-oidc; README "Log ind
# med kommunens login"). Off while OIDC_ISSUER is empty; the endpoints come from the issuer's discovery document.
OIDC_ISSUER = env("OIDC_ISSUER", default="")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_RP_CLIENT_ID = env("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_SIGN_ALGO", default="RS256")
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=5.0)
OIDC_CLOCK_SKEW_SECONDS = env.int("OIDC_CLOCK_SKEW_SECONDS", default=60)
OIDC_USE_USERINFO = env.bool("OIDC_USE_USERINFO", default=True)
# The claims that carry the stable subject ("oid" for Entra ID), name, email and groups.
OIDC_SUBJECT_CLAIM = env("OIDC_SUBJECT_CLAIM", default="sub")
OIDC_NAME_CLAIM = env("OIDC_NAME_CLAIM", default="name")
OIDC_EMAIL_CLAIM = env("OIDC_EMAIL_CLAIM", default="email")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", default="groups")
# The provider's groups (names or object ids, comma-separated) that give each of the portal's roles.
OIDC_ROLE_SECRETARIAT = env.list("OIDC_ROLE_SECRETARIAT", default=[])
OIDC_ROLE_POLITICIAN = env.list("OIDC_ROLE_POLITICIAN", default=[])
OIDC_ROLE_ADMIN = env.list("OIDC_ROLE_ADMIN", default=[])
# The claim whose value is a politician's email address in the portal's register of persons.
OIDC_PERSON_CLAIM = env("OIDC_PERSON_CLAIM", default="email")
OIDC_LOGIN_LABEL = env("OIDC_LOGIN_LABEL", default=f"Log ind med {PORTAL_MUNICIPALITY_NAME}s login")
OIDC_DISABLE_LOCAL_STAFF_LOGIN = env.bool("OIDC_DISABLE_LOCAL_STAFF_LOGIN", default=False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "gentofte_portal.sso.backend.PortalOIDCBackend"]
# Anonymous visitors' public pages are cached (gentofte_portal.common.public_cache) and emptied by any change to the data;
# this bounds what changes with the clock alone (a meeting held, a deadline passed). 0 switches the cache off.
PORTAL_PUBLIC_CACHE_SECONDS = env.int("PORTAL_PUBLIC_CACHE_SECONDS", default=60)
# Data and page fragments every user's page shares (the search form's choices, the meeting list's rows), cached
# under the same content version for logged-in users and uncached pages too (public_cache.versioned, the
# shared_fragment template tag); this bounds what changes with the clock alone. 0 switches it off.
PORTAL_SHARED_DATA_CACHE_SECONDS = env.int("PORTAL_SHARED_DATA_CACHE_SECONDS", default=60)
# The portal's public address, for links in emails (the citizen's private status link, the subscription emails).
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
# The open-data API (gentofte_portal.oparl, README "Open data"): its name, and the licence of the data it serves.
OPARL_SYSTEM_NAME = env("OPARL_SYSTEM_NAME", default="Gentofte Kommunes opgaveudvalgsportal")
OPARL_LICENSE_URL = env("OPARL_LICENSE_URL", default="https://creativecommons.org/licenses/by/4.0/")
OPARL_LICENSE_NAME = env("OPARL_LICENSE_NAME", default="Creative Commons Navngivelse 4.0 (CC BY 4.0)")
# Days after the appointment before the applications of citizens not appointed are deleted.
RECRUITMENT_RETENTION_DAYS = env.int("RECRUITMENT_RETENTION_DAYS", default=90)
# Applications per IP address and hour (django-ratelimit, counted in the cache: Redis in production).
RECRUITMENT_RATE_LIMIT = env("RECRUITMENT_RATE_LIMIT", default="10/h")
RATELIMIT_VIEW = "recruitment.views.public.rate_limited"
# Email subscriptions (gentofte_portal.subscriptions, README: Subscriptions). Requests per client IP and per address
# (django-ratelimit, counted in the cache); hours a confirmation link is valid before the request is deleted;
# recipients per send task; emails per minute the portal hands to the mail server (shared by every worker through
# the cache); an optional address for the List-Unsubscribe mailto (the one-click URL is always given).
SUBSCRIPTIONS_RATE_LIMIT_IP = env("SUBSCRIPTIONS_RATE_LIMIT_IP", default="10/h")
SUBSCRIPTIONS_RATE_LIMIT_ADDRESS = env("SUBSCRIPTIONS_RATE_LIMIT_ADDRESS", default="3/h")
SUBSCRIPTIONS_CONFIRM_HOURS = env.int("SUBSCRIPTIONS_CONFIRM_HOURS", default=48)
# The members' evaluation (README "Evaluation by the members"): this many days after sending, those who have not
# answered get one reminder by themselves (beat, daily); 0 leaves reminders to staff's button.
EVALUATION_REMINDER_DAYS = env.int("EVALUATION_REMINDER_DAYS", default=14)
SUBSCRIPTIONS_BATCH_SIZE = env.int("SUBSCRIPTIONS_BATCH_SIZE", default=50)
SUBSCRIPTIONS_SEND_RATE_PER_MINUTE = env.int("SUBSCRIPTIONS_SEND_RATE_PER_MINUTE", default=30)
SUBSCRIPTIONS_UNSUBSCRIBE_MAILTO = env("SUBSCRIPTIONS_UNSUBSCRIBE_MAILTO", default="")
# The citizens' network (gentofte_portal.network, README "The citizens' network"): consent lasts this many days, a
# reminder goes this many days before it lapses, an unconfirmed signup is deleted after NETWORK_CONFIRM_HOURS, and
# the invitation to join sent when a committee ends works this many days.
NETWORK_CONSENT_DAYS = env.int("NETWORK_CONSENT_DAYS", default=730)
NETWORK_REMINDER_DAYS = env.int("NETWORK_REMINDER_DAYS", default=30)
NETWORK_CONFIRM_HOURS = env.int("NETWORK_CONFIRM_HOURS", default=48)
NETWORK_JOIN_LINK_DAYS = env.int("NETWORK_JOIN_LINK_DAYS", default=90)
NETWORK_RATE_LIMIT_IP = env("NETWORK_RATE_LIMIT_IP", default="10/h")
NETWORK_RATE_LIMIT_ADDRESS = env("NETWORK_RATE_LIMIT_ADDRESS", default="3/h")
RATELIMIT_IP_META_KEY = "gentofte_portal.common.ip.client_ip"
# Reverse proxies in front of the portal that append to X-Forwarded-For (0: none, as with `make run`).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
