"""Settings from the environment (12-factor); nothing secret lives in the code."""

import json
import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
LANGUAGES = ("nl", "fy", "en")
OIDC_NAME = re.compile(r"^[a-z][a-z0-9_]{0,29}$")  # fits LoginIdentity.provider and a URL segment
OIDC_DEFAULT_SCOPES = "openid profile email"
DEMO_SECURITY_CONTACT = "mailto:security@onsplan.invalid"


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no setting: 1, true, yes and on mean yes."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


class Config:
    """Base settings shared by every environment."""

    ENV_NAME = "base"

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = "../translations"
    LANGUAGES = LANGUAGES

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_NAME = "onsplan_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The cookie is written when the session changes (sign-in, language, the idle clock at most twice a minute), not
    # on every response: static files and fragments go out without a Set-Cookie and stay cacheable.
    SESSION_REFRESH_EACH_REQUEST = False
    HSTS = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True  # set on every app: the limiter is a shared singleton that remembers the last value
    # Redis gone: count in this process's memory until it is back (and never fail a request over a counter).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 1, "socket_connect_timeout": 1}

    def __init__(self) -> None:
        env = os.environ
        self.DEMO = env_flag("DEMO")
        self.SECRET_KEY = env.get("SECRET_KEY") or None
        self.DATABASE_URL = env.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'onsplan.db'}"
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_CONTENT_LENGTH", 12 * 1024 * 1024))
        self.MAIL_DIR = env.get("MAIL_DIR") or (str(INSTANCE_DIR / "mail") if self.DEMO else None)
        self.COMPLAINT_FILES_DIR = env.get("COMPLAINT_FILES_DIR") or str(INSTANCE_DIR / "complaint-files")
        self.PERMANENT_SESSION_LIFETIME = int(env.get("SESSION_LIFETIME_SECONDS", 12 * 3600))
        self.SESSION_COOKIE_SECURE = env_flag("SESSION_COOKIE_SECURE", self.ENV_NAME == "production")
        self.LOG_JSON = env_flag("LOG_JSON", self.ENV_NAME == "production")
        self.LOG_LEVEL = env.get("LOG_LEVEL", "INFO")
        self.LIVE_HEARTBEAT_SECONDS = float(env.get("LIVE_HEARTBEAT_SECONDS", 15))
        # how often an open stream asks again whether its person may still open the plan (with the heartbeat's 15 s:
        # someone taken out of the family hears nothing more after at most a minute)
        self.LIVE_ACCESS_RECHECK_SECONDS = float(env.get("LIVE_ACCESS_RECHECK_SECONDS", 40))
        # nginx's nchan publisher (loopback, ending in "/"): open plan pages are then held by nginx, not app threads
        self.LIVE_NCHAN_URL = env.get("LIVE_NCHAN_URL") or None
        # rendered plan items kept per worker process (app/plans/fragments.py); 0 turns the cache off
        self.PLAN_FRAGMENT_CACHE = int(env.get("PLAN_FRAGMENT_CACHE", 5000))
        self.STAFF_IDLE_SECONDS = int(env.get("STAFF_IDLE_SECONDS", 30 * 60))
        self.FAMILY_IDLE_SECONDS = int(env.get("FAMILY_IDLE_SECONDS", 4 * 3600))
        self.MAIL_SERVER = env.get("MAIL_SERVER") or None
        self.MAIL_PORT = int(env.get("MAIL_PORT", 587))
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_USE_TLS = env_flag("MAIL_USE_TLS", True)
        self.MAIL_FROM = env.get("MAIL_FROM") or "Ons Plan <noreply@onsplan.invalid>"
        self.SITE_URL = env.get("SITE_URL") or None  # links in e-mails sent by jobs (digest, reminders)
        # Contact of /.well-known/security.txt: mailto:/https: URIs, commas between several; unset outside the demo: 404
        self.SECURITY_CONTACT = env.get("SECURITY_CONTACT") or (DEMO_SECURITY_CONTACT if self.DEMO else "")
        # Jeugdwet 7.3.8 lid 3: a dossier is kept 20 years from its last change; the access log 5 years (NEN 7513)
        self.DOSSIER_RETENTION_YEARS = int(env.get("DOSSIER_RETENTION_YEARS", 20))
        self.ACCESS_LOG_RETENTION_YEARS = int(env.get("ACCESS_LOG_RETENTION_YEARS", 5))
        # Signs where a pruned access-log chain begins; by default derived from SECRET_KEY
        self.AUDIT_CHECKPOINT_KEY = env.get("AUDIT_CHECKPOINT_KEY") or None
        self.PROXY_HOPS = int(env.get("PROXY_HOPS", 0))  # load balancers in front that set X-Forwarded-*
        self.OIDC = oidc_providers(env)
        self.SIMULATOR_URL = simulator_url(env, demo=self.DEMO)  # "" outside demo mode
        self.SYNC = sync_settings(env, simulator=self.SIMULATOR_URL)
        self.ZGW = zgw_settings(env)
        self.__dict__.update(api_settings(env, simulator=self.SIMULATOR_URL, site_url=self.SITE_URL))
        self.__dict__.update(rate_limits(env))

    def validate(self) -> None:
        """Refuse settings that are unsafe for this environment."""
        validate_oidc(self.OIDC, https_only=False)
        validate_rate_limits(self)
        validate_live(self)
        if not self.SECRET_KEY:
            if not self.DEMO:
                raise ConfigError("SECRET_KEY is required (set it in the environment).")
            self.SECRET_KEY = demo_secret_key()


class ProductionConfig(Config):
    """Production: a real secret, no demo, HTTPS only."""

    ENV_NAME = "production"

    def validate(self) -> None:
        """Refuse to run production with demo data, without a secret or with a sign-in service over http."""
        validate_oidc(self.OIDC, https_only=True)
        validate_rate_limits(self)
        validate_live(self)
        if self.DEMO:
            raise ConfigError("DEMO must be off in production.")
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY is required in production.")
        validate_site_url(self.SITE_URL, mail=bool(self.MAIL_SERVER))


class DevelopmentConfig(Config):
    """Local development and the quick start: plain HTTP on 127.0.0.1."""

    ENV_NAME = "development"
    HSTS = False


class TestConfig(Config):
    """Tests: an isolated database per test run, demo on, fixed secret."""

    ENV_NAME = "test"
    TESTING = True
    HSTS = False

    def __init__(self) -> None:
        super().__init__()
        self.DEMO = True
        self.SECURITY_CONTACT = self.SECURITY_CONTACT or DEMO_SECURITY_CONTACT
        self.SECRET_KEY = "test-secret-not-for-production"
        self.DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
        self.REDIS_URL = None
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.MAIL_DIR = None


def oidc_providers(env: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """Read OIDC_PROVIDERS (names) and per name OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _SCOPES."""
    names = [name.strip().lower() for name in (env.get("OIDC_PROVIDERS") or "").split(",") if name.strip()]
    providers = {}
    for name in names:
        prefix = f"OIDC_{name.upper()}_"
        providers[name] = {
            "issuer": (env.get(prefix + "ISSUER") or "").strip(),
            "client_id": env.get(prefix + "CLIENT_ID") or "",
            "client_secret": env.get(prefix + "CLIENT_SECRET") or "",
            "scopes": " ".join((env.get(prefix + "SCOPES") or OIDC_DEFAULT_SCOPES).split()),
        }
    return providers


def validate_oidc(providers: dict[str, dict[str, str]], *, https_only: bool) -> None:
    """Refuse a sign-in service with a bad name, a missing setting, no openid scope, or plain http in production."""
    for name, settings in providers.items():
        prefix = f"OIDC_{name.upper()}_"
        if not OIDC_NAME.match(name):
            raise ConfigError(f"OIDC_PROVIDERS: {name!r} must be lower-case letters, digits or _ (at most 30).")
        for key in ("issuer", "client_id", "client_secret"):
            if not settings.get(key):
                raise ConfigError(f"{prefix}{key.upper()} is required for the sign-in service {name!r}.")
        issuer = urlsplit(settings["issuer"])
        if issuer.scheme not in ("https", "http") or not issuer.netloc or issuer.query or issuer.fragment:
            raise ConfigError(f"{prefix}ISSUER must be an http(s) URL without query or fragment.")
        if https_only and issuer.scheme != "https":
            raise ConfigError(f"{prefix}ISSUER must use https in production.")
        if "openid" not in settings.get("scopes", "").split():
            raise ConfigError(f"{prefix}SCOPES must include openid.")


def validate_site_url(site_url: str | None, *, mail: bool) -> None:
    """Refuse production mail without SITE_URL: the daily jobs' links would point at a developer's machine."""
    if not site_url:
        if mail:
            raise ConfigError("SITE_URL is required in production when MAIL_SERVER is set (links in e-mails).")
        return
    parts = urlsplit(site_url)
    if parts.scheme != "https" or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError("SITE_URL must be an https URL without query or fragment in production.")


# Flood limits (Flask-Limiter strings, ";" between several): the API per client (the token's client id), the posts
# that store what a person writes per signed-in person. Far above what a real client or person does; a flood stops.
RATE_LIMITS = {
    "RATELIMIT_API": "600 per minute",  # all of /api/v1 together; a 10,000-offer catalog put is one call
    "RATELIMIT_COMPLAINT": "10 per minute;50 per day",  # filing a complaint (the form's posts, also with errors)
    "RATELIMIT_COMPLAINT_MESSAGE": "20 per minute;200 per day",  # a message to (or from) the complaint's handler
    "RATELIMIT_COMPLAINT_ATTACHMENT": "10 per minute;50 per day",  # a photo or PDF (up to 10 MB each)
    "RATELIMIT_RATING": "20 per minute;100 per day",  # saving a rating (each save is a version for the editors)
    "RATELIMIT_RATING_REPORT": "10 per minute;50 per day",  # reporting a published rating
    "RATELIMIT_RATING_REPLY": "20 per minute;200 per day",  # a provider's public reply to a rating
    "RATELIMIT_LIVE": "120 per minute",  # opening a plan's live stream (a page load each): more is a flood
}


def rate_limits(env: Mapping[str, str]) -> dict[str, str]:
    """Read the flood limits (RATELIMIT_API, RATELIMIT_COMPLAINT, ...); unset ones keep their default."""
    return {name: (env.get(name) or default).strip() for name, default in RATE_LIMITS.items()}


def validate_live(cfg: object) -> None:
    """nginx holding the streams needs Redis (the open pages, for every instance) and a publisher URL ending in "/"."""
    nchan = cfg.LIVE_NCHAN_URL
    if nchan and not cfg.REDIS_URL:
        raise ConfigError("LIVE_NCHAN_URL needs REDIS_URL (the open plan pages are kept there).")
    if nchan and (not nchan.startswith(("http://", "https://")) or not nchan.endswith("/")):
        raise ConfigError("LIVE_NCHAN_URL must be an http(s) URL ending in '/' (nginx's publisher location).")


def validate_rate_limits(cfg: object) -> None:
    """Refuse a flood limit that Flask-Limiter cannot read (it would fail on the first request instead)."""
    from limits import parse_many

    for name in RATE_LIMITS:
        try:
            parse_many(str(getattr(cfg, name)))
        except ValueError as error:
            raise ConfigError(f"{name} must be like '10 per minute;50 per day': {error}") from None


SIMULATOR_URL = "http://127.0.0.1:5001"  # `flask municipality simulate` in demo mode


def simulator_url(env: Mapping[str, str], *, demo: bool) -> str:
    """In demo mode, where the simulated backoffice runs: SIMULATOR_URL, else SYNC_ENDPOINT's origin, else :5001.

    The worker's endpoint and token URL and the API's issuer and keys all follow from it, so moving the simulator
    to another port is one setting instead of four that must agree.
    """
    if not demo:
        return ""
    if (env.get("SIMULATOR_URL") or "").strip():
        return env["SIMULATOR_URL"].strip().rstrip("/")
    endpoint = urlsplit(env.get("SYNC_ENDPOINT") or "")
    if endpoint.scheme in ("http", "https") and endpoint.netloc:
        return f"{endpoint.scheme}://{endpoint.netloc}"
    return SIMULATOR_URL


def sync_settings(env: Mapping[str, str], *, simulator: str) -> dict:
    """Read the outbound delivery settings (SYNC_*); in demo mode they default to the local simulator."""
    default = simulator
    demo = bool(simulator)
    return {
        "endpoint": env.get("SYNC_ENDPOINT") or (f"{default}/events" if default else ""),
        "token_url": env.get("SYNC_TOKEN_URL") or (f"{default}/token" if default else ""),
        "client_id": env.get("SYNC_CLIENT_ID") or ("onsplan-demo" if demo else ""),
        "client_secret": env.get("SYNC_CLIENT_SECRET") or ("demo-sync-secret" if demo else ""),
        "scope": env.get("SYNC_SCOPE", "events:write"),
        "resource": env.get("SYNC_RESOURCE") or "",  # RFC 8707 resource indicator (the audience), when asked
        "timeout": float(env.get("SYNC_TIMEOUT_SECONDS", 10)),
        "max_attempts": int(env.get("SYNC_MAX_ATTEMPTS", 20)),
        "backoff_base": float(env.get("SYNC_BACKOFF_BASE_SECONDS", 2)),
        "backoff_max": float(env.get("SYNC_BACKOFF_MAX_SECONDS", 3600)),
        "batch": int(env.get("SYNC_BATCH", 200)),  # events per transaction
        "concurrency": int(env.get("SYNC_CONCURRENCY", 4)),  # plans delivered side by side (each in order)
        "idle": float(env.get("SYNC_IDLE_SECONDS", 1)),
        "lock_stale": float(env.get("SYNC_LOCK_STALE_SECONDS", 60)),  # SQLite: a silent worker's lock expires
    }


def zgw_settings(env: Mapping[str, str]) -> dict:
    """Read the optional ZGW adapter's settings (ZGW_*): without ZGW_ZRC_URL it is off (`flask zgw run` refuses)."""
    return {
        "zrc_url": (env.get("ZGW_ZRC_URL") or "").strip().rstrip("/"),  # e.g. https://zaken.gemeente.nl/zaken/api/v1
        "client_id": env.get("ZGW_CLIENT_ID") or "",
        "secret": env.get("ZGW_SECRET") or "",  # HS256 key of the ZGW JWT, shared with the ZRC
        "user_id": env.get("ZGW_USER_ID") or "onsplan",  # the JWT's user_id and user_representation: audit trail
        "user_representation": env.get("ZGW_USER_REPRESENTATION") or "Ons Plan",
        # The municipality's RSIN, or JSON {"0080": "RSIN", ...} per CBS code (a municipality not named: not sent)
        "bronorganisatie": _rsins(env.get("ZGW_BRONORGANISATIE", "")),
        "verantwoordelijke_organisatie": env.get("ZGW_VERANTWOORDELIJKE_ORGANISATIE") or "",  # "": bronorganisatie
        "identificatie_prefix": env.get("ZGW_IDENTIFICATIE_PREFIX", "ONSPLAN-"),
        "zaaktype_plan": env.get("ZGW_ZAAKTYPE_PLAN") or "",
        "zaaktype_complaint": env.get("ZGW_ZAAKTYPE_COMPLAINT") or "",  # "": complaints are not registered
        "statustypes": {stage: env.get(f"ZGW_STATUSTYPE_{stage.upper()}") or ""  # "": that stage is not registered
                        for stage in ("fixed", "help_requested", "care_started", "care_stopped", "complaint_received")},
        "resultaattypes": {verdict: env.get(f"ZGW_RESULTAATTYPE_{verdict.upper()}") or ""
                           for verdict in ("achieved", "partly", "not_achieved")},  # partly "": not_achieved's
        "timeout": float(env.get("ZGW_TIMEOUT_SECONDS", 10)),
        "max_attempts": int(env.get("ZGW_MAX_ATTEMPTS", 20)),
        "backoff_base": float(env.get("ZGW_BACKOFF_BASE_SECONDS", 2)),
        "backoff_max": float(env.get("ZGW_BACKOFF_MAX_SECONDS", 3600)),
        "batch": int(env.get("ZGW_BATCH", 50)),
        "idle": float(env.get("ZGW_IDLE_SECONDS", 5)),
        "lock_stale": float(env.get("ZGW_LOCK_STALE_SECONDS", 60)),
    }


def _rsins(value: str) -> dict[str, str]:
    value = value.strip()
    if not value.startswith("{"):
        return {"*": value} if value else {}
    parsed = json.loads(value)
    if not isinstance(parsed, dict) or not all(isinstance(rsin, str) for rsin in parsed.values()):
        raise ValueError('ZGW_BRONORGANISATIE must be an RSIN or JSON like {"0080": "123456789"}')
    return {str(code).zfill(4) if str(code).isdigit() else str(code): rsin.strip() for code, rsin in parsed.items()}


def api_settings(env: Mapping[str, str], *, simulator: str, site_url: str | None) -> dict:
    """Read the inbound API's settings (API_*): whose tokens it accepts; in demo mode the simulator's."""
    demo = bool(simulator)
    return {
        "API_JWKS_URL": env.get("API_JWKS_URL") or (f"{simulator}/.well-known/jwks.json" if simulator else ""),
        "API_ISSUER": env.get("API_ISSUER") or simulator,
        "API_AUDIENCE": env.get("API_AUDIENCE") or (f"{(site_url or 'http://127.0.0.1:5000').rstrip('/')}/api/v1"
                                                    if demo else ""),
        "API_JWT_ALGORITHMS": tuple((env.get("API_JWT_ALGORITHMS") or "RS256 PS256 ES256").split()),
        "API_JWT_LEEWAY": int(env.get("API_JWT_LEEWAY_SECONDS", 30)),  # clock skew allowed on exp and nbf
        "API_JWKS_MAX_AGE": float(env.get("API_JWKS_MAX_AGE_SECONDS", 3600)),
        "API_JWKS_MIN_REFRESH": float(env.get("API_JWKS_MIN_REFRESH_SECONDS", 10)),  # an unknown kid refetches
        "API_MAX_CATALOG_BYTES": int(env.get("API_MAX_CATALOG_BYTES", 8 * 1024 * 1024)),
        "API_MAX_BODY_BYTES": int(env.get("API_MAX_BODY_BYTES", 64 * 1024)),
        # {"client id": ["0080", ...]}: the municipalities (CBS codes) each client speaks for; "*" is the region.
        # Unset: every client speaks for the whole region (one regional backoffice).
        "API_CLIENT_MUNICIPALITIES": _client_municipalities(env.get("API_CLIENT_MUNICIPALITIES", "")),
        # info.contact of the OpenAPI document (NL API Design Rules): whom integrators ask. The URL defaults to the
        # docs page; without an e-mail address (outside the demo) the contact names none.
        "API_CONTACT_NAME": env.get("API_CONTACT_NAME") or "Ons Plan",
        "API_CONTACT_URL": env.get("API_CONTACT_URL") or "",
        "API_CONTACT_EMAIL": env.get("API_CONTACT_EMAIL") or ("api@onsplan.invalid" if demo else ""),
    }


def _client_municipalities(value: str) -> dict[str, tuple[str, ...]]:
    if not value.strip():
        return {}
    parsed = json.loads(value)
    if not isinstance(parsed, dict) or not all(isinstance(codes, list) for codes in parsed.values()):
        raise ValueError('API_CLIENT_MUNICIPALITIES must be JSON like {"client": ["0080"]}')
    return {str(client): tuple(str(code).zfill(4) if str(code).isdigit() else str(code) for code in codes)
            for client, codes in parsed.items()}


CONFIGS = {"production": ProductionConfig, "development": DevelopmentConfig, "test": TestConfig}


def demo_secret_key() -> str:
    """Return a per-installation secret for demo mode, kept under instance/."""
    path = INSTANCE_DIR / "demo_secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_config(config: object | dict | None) -> Config:
    """Build the settings object: a Config class, a mapping of overrides, or APP_ENV."""
    if isinstance(config, type) and issubclass(config, Config):
        cfg = config()
    else:
        base = CONFIGS.get(os.environ.get("APP_ENV", "production"), ProductionConfig)
        cfg = base()
        if isinstance(config, dict):
            if "ENV_NAME" in config:
                cfg = CONFIGS[config["ENV_NAME"]]()
            for key, value in config.items():
                setattr(cfg, key, value)
    cfg.validate()
    return cfg
