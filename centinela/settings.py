"""Django settings, read from the environment. Every variable and its default is listed in docs/settings.md.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` turns DEBUG on for local use.
"""

from pathlib import Path

import dj_database_url
from django.core.management.utils import get_random_secret_key
from django.utils.translation import gettext_lazy as _

from centinela.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CENTINELA_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("CENTINELA_TESTING", False)  # set by `make test`: plain-HTTP test client, static files from finders


def _secret_key() -> str:
    # An explicit SECRET_KEY wins; otherwise one is generated once and kept in var/ so sessions survive restarts.
    key = env_str("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "ninja",
    "axes",
    "auditlog",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "centinela.accounts",
    "centinela.territory",
    "centinela.partners",
    "centinela.activities",
    "centinela.reports",
    "centinela.participation",
    "centinela.cameras",
    "centinela.incidents",
    "centinela.jobs",
    "centinela.observatory",
    "centinela.notifications",  # listens to the apps below (items assigned, jobs ended)
    "centinela.core",  # the front door, on top of the others
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # before WhiteNoise: static files carry the policy too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "centinela.lib.middleware.SpanishFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "centinela.accounts.middleware.OTPMiddleware",  # django-otp's, reading the session's device without a queryset
    "django.contrib.messages.middleware.MessageMiddleware",
    "centinela.lib.middleware.RefuseNulMiddleware",  # a NUL in the input: a Spanish 400, never PostgreSQL's 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "centinela.accounts.middleware.LoginRequiredMiddleware",
    "centinela.accounts.middleware.SecondFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "axes.middleware.AxesMiddleware",
    "centinela.lib.middleware.ApiMethodNotAllowedMiddleware",
]

ROOT_URLCONF = "centinela.urls"
WSGI_APPLICATION = "centinela.wsgi.application"

TEMPLATES = [
    {
        # Django's backend, whose library-name check knows lib/i18n and lib/static (lib/template_backend.py)
        "BACKEND": "centinela.lib.template_backend.DjangoTemplates",
        "NAME": "django",  # the name Django's backend has (engines["django"])
        "DIRS": [BASE_DIR / "centinela" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "centinela.accounts.context_processors.role",
            ],
            "libraries": {
                "list_table": "centinela.lib.list_table",  # {% list_rows %}, the body of every list
                "menu": "centinela.lib.menu",  # {% main_menu %}, the menu's links, rendered once and kept
                "i18n": "centinela.lib.i18n",  # Django's, with {% translate "constant" %} kept per language
                "static": "centinela.lib.static",  # Django's, with each file's URL kept
            },
            # {% url %} with a remembered reverse() (lib/urls.py); {% extends %} finding the root's blocks once
            "builtins": ["centinela.lib.urls", "centinela.lib.extends", "centinela.lib.formatting"],
        },
    },
]

# Select boxes and one-line inputs written in Python, the same HTML as Django's widget templates (lib/form_renderer.py).
FORM_RENDERER = "centinela.lib.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'centinela.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database serves the web, the worker and the camera monitor at once: WAL lets readers go on while
    # one process writes, IMMEDIATE takes the write lock when a transaction starts (so waiting for it honours the
    # busy timeout instead of failing at once on a lock upgrade), and every connection waits up to
    # SQLITE_BUSY_TIMEOUT seconds for a writer instead of answering "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # must come first: it refuses locked-out users
    "centinela.accounts.backends.ModelBackend",  # Django's, reading the session's user in one raw SQL statement
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Second factor (django-otp, TOTP): the issuer name shown in the authenticator app.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Centinela")

# Login throttling (django-axes): lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Behind the proxy every connection comes from 127.0.0.1: without this, five wrong passwords from anywhere would lock
# the account for everyone. The visitor's address is the one the proxy appended (centinela.lib.client).
AXES_CLIENT_IP_CALLABLE = "centinela.lib.client.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

AUDITLOG_INCLUDE_ALL_MODELS = False
# Masked fields (cédula, phone, e-mail) keep nothing of their value in the audit trail: the library's default mask
# keeps the second half, enough to find a person by it (LOPDP).
AUDITLOG_MASK_CALLABLE = "centinela.lib.audit.mask_all"

LANGUAGE_CODE = "es-ec"
# Ecuador's numbers and dates ("$ 3.500,00", "15/03/2020") over Django's Spanish formats (centinela/formats/es_EC).
FORMAT_MODULE_PATH = ["centinela.formats"]
LANGUAGES = [("es-ec", _("Spanish (Ecuador)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Guayaquil"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Evidence uploads: checked by type and size in activities.evidence before they reach storage.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 15) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Every upload: bytes past UPLOAD_MAX_MB are never stored (lib.uploads.LimitedUploadHandler); each form may accept less.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 300) * 1024 * 1024
# An incident or boundary file larger than this is checked by the worker, not in the web request
# (lib.import_views.PreviewAsJob).
IMPORT_CHECK_IN_REQUEST_MAX_BYTES = env_int("IMPORT_CHECK_IN_REQUEST_MAX_MB", 8) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "centinela.lib.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Zip archives (zipped Shapefiles, XLSX, office documents) are checked before reading (lib.archives).
ARCHIVE_MAX_MEMBERS = env_int("ARCHIVE_MAX_MEMBERS", 10000)
ARCHIVE_MAX_EXPANDED_BYTES = env_int("ARCHIVE_MAX_EXPANDED_MB", 2048) * 1024 * 1024
# Images larger than this many pixels are refused (a decompression bomb: a small file that decodes to gigabytes).
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 50_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "centinela@localhost")

# Security: safe by default, relaxed only where DEBUG says this is a developer's machine.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
# Sessions are written to the database and to the cache (CACHES, shared by the web workers), and read from the cache:
# a page no longer pays a query and the signed-JSON decoding of its session (with the user and its device, a tenth of
# the Python work of a small page, issue 10). The database stays the record: a session missing from the cache (culled,
# or a cache emptied) is read from it; logging out or a new login deletes it from both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Map: tiles from OpenStreetMap unless configured; the vector layers draw without them.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str(
    "MAP_TILE_ATTRIBUTION", '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
)

# Content-Security-Policy on every response (django-csp's middleware; the policy in centinela/lib/csp.py): only the
# site's own scripts and styles, no inline code, nothing framed and no framing, images from the site, data: and the
# map's tile server (MAP_TILE_URL). CSP_REPORT_ONLY sends it as Content-Security-Policy-Report-Only instead:
# violations show in the browser's console, nothing is blocked (for a council embedding extra things, while it finds
# the origins they need).
from centinela.lib.csp import policy as _csp_policy  # noqa: E402 - Django-free

if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp_policy(MAP_TILE_URL)
else:
    CONTENT_SECURITY_POLICY = _csp_policy(MAP_TILE_URL)

# Backups: the folder of pg_dump/pg_restore when PATH's are not of the server's version (e.g.
# /usr/lib/postgresql/15/bin); empty: from PATH.
PG_BIN_DIR = env_str("PG_BIN_DIR")
# The commit recorded in a backup's manifest when the install is not a git checkout; empty: `git rev-parse HEAD`.
CENTINELA_COMMIT = env_str("CENTINELA_COMMIT")

# Cameras: key for device credentials at rest (a Fernet key; default derived from SECRET_KEY).
CAMERA_CREDENTIALS_KEY = env_str("CAMERA_CREDENTIALS_KEY")
# Where the camera monitor may connect (cameras/netpolicy.py): CIDR networks and ports or port ranges. Loopback,
# link-local and the server's own addresses are refused unless listed explicitly. Default: the private networks
# (RFC 1918, IPv6 ULA) and the usual camera ports.
from centinela.cameras.netpolicy import DEFAULT_NETWORKS, DEFAULT_PORTS  # noqa: E402 - Django-free constants

CAMERA_ALLOWED_NETWORKS = env_list("CAMERA_ALLOWED_NETWORKS", DEFAULT_NETWORKS)
CAMERA_ALLOWED_PORTS = env_list("CAMERA_ALLOWED_PORTS", DEFAULT_PORTS)
# Where alert webhooks may be posted (cameras/webhooks.py): the host names allowed ("hooks.slack.com", or
# "*.example.org" for a whole domain; default none: alerts go by e-mail only), their ports, and the networks of
# non-public addresses allowed (default none: only public addresses, never the server's own).
from centinela.cameras.webhooks import DEFAULT_PORTS as WEBHOOK_DEFAULT_PORTS  # noqa: E402

ALERT_WEBHOOK_HOSTS = env_list("ALERT_WEBHOOK_HOSTS", "")
ALERT_WEBHOOK_PORTS = env_list("ALERT_WEBHOOK_PORTS", WEBHOOK_DEFAULT_PORTS)
ALERT_WEBHOOK_NETWORKS = env_list("ALERT_WEBHOOK_NETWORKS", "")

# Analyses: a Dask scheduler address (e.g. tcp://10.0.0.5:8786) to run the heavy loops on a cluster; empty: in the
# web/worker process itself.
DASK_SCHEDULER = env_str("DASK_SCHEDULER")

# The gazetteer the demo loads: a data package another canton can replace (see gazetteers/).
GAZETTEER_DIR = Path(env_str("GAZETTEER_DIR", str(BASE_DIR / "gazetteers" / "loja")))

# Open data (/datos-abiertos/): counts below this are suppressed, with complementary suppression.
OPEN_DATA_MIN_COUNT = env_int("OPEN_DATA_MIN_COUNT", 5)
# ... and its figures and tables are cached this long at most (they are recomputed at once when incidents change).
OPEN_DATA_CACHE_SECONDS = env_int("OPEN_DATA_CACHE_SECONDS", 600)

# Citizen reports (participation): a report is suggested as a duplicate of another of the same category filed within
# these metres and days of it; the public report page takes at most PARTICIPATION_REPORTS_PER_HOUR reports an hour
# from one address (HTTP 429 past it).
# Filters (django-filter): the empty choice of every filter's list reads "Todos", never "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("All")

PARTICIPATION_DUPLICATE_METRES = env_int("PARTICIPATION_DUPLICATE_METRES", 150)
PARTICIPATION_DUPLICATE_DAYS = env_int("PARTICIPATION_DUPLICATE_DAYS", 30)
PARTICIPATION_REPORTS_PER_HOUR = env_int("PARTICIPATION_REPORTS_PER_HOUR", 10)
# ... and at most this many a day from one e-mail address or phone number (whatever connection they come from).
PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY = env_int("PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY", 5)
# The public form's question (participation/challenge.py) is valid this long after the page was served.
PARTICIPATION_CHALLENGE_SECONDS = env_int("PARTICIPATION_CHALLENGE_SECONDS", 2 * 3600)
# Retention (LOPDP): manage.py anonymise_reports erases the contact data of reports closed more than these months ago
# (run it daily, deploy/ schedules it).
PARTICIPATION_RETENTION_MONTHS = env_int("PARTICIPATION_RETENTION_MONTHS", 24)

# Notices (centinela/notifications): a maintenance ticket, which has no due day, is overdue for its assignee after
# this many days open; `manage.py send_digests` (as a loop) sends the day's e-mail digests from this local hour on.
NOTIFICATIONS_TICKET_DAYS = env_int("NOTIFICATIONS_TICKET_DAYS", 7)
NOTIFICATIONS_DIGEST_HOUR = env_int("NOTIFICATIONS_DIGEST_HOUR", 7)

# SMS and WhatsApp notices to reporters through Twilio (participation/channels): off unless the account, its token
# and a sender are set. TWILIO_API_BASE is the one address these notices go to (Twilio's API unless the
# administrator sets another, e.g. a regional edge).
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN")
TWILIO_SMS_FROM = env_str("TWILIO_SMS_FROM")
TWILIO_WHATSAPP_FROM = env_str("TWILIO_WHATSAPP_FROM")
TWILIO_API_BASE = env_str("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_TIMEOUT_SECONDS = env_int("TWILIO_TIMEOUT_SECONDS", 10)

# The Django cache: files under CACHE_DIR, shared by the web workers and the background worker on one machine, with
# nothing to install or run (a fresh install works as it is). Tests run without a cache (each test sets its own).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": env_str("CACHE_DIR", str(VAR_DIR / "cache")),
        "TIMEOUT": 600,
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    if not TESTING
    else {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
}

# Background jobs (`manage.py run_jobs`): attempts of a job before it fails for good (a lost worker or a database
# error each use one), the first wait before a retry (doubling each time), how often the worker says it is alive, after
# how long without a sign of life its running job is taken up by another worker, and after how long pages say that no
# worker is running. Seconds.
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)
JOBS_RETRY_BACKOFF = float(env_str("JOBS_RETRY_BACKOFF", "10"))
JOBS_HEARTBEAT = float(env_str("JOBS_HEARTBEAT", "5"))
JOBS_STALE_AFTER = float(env_str("JOBS_STALE_AFTER", "60"))
JOBS_WORKER_ALIVE = float(env_str("JOBS_WORKER_ALIVE", "30"))
# /salud/ (for an uptime checker): 503 when the job worker's or the camera monitor's last heartbeat is older than
# these many seconds, or when the disk holding MEDIA_ROOT has less free space than this.
HEALTH_WORKER_MAX_AGE = env_int("HEALTH_WORKER_MAX_AGE", 120)
HEALTH_MONITOR_MAX_AGE = env_int("HEALTH_MONITOR_MAX_AGE", 180)
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
