"""Settings of the platform, read once from environment variables.

Every value has a safe development default, so `make run` needs nothing beforehand. A value that cannot be
understood stops the start with a message naming the variable, instead of a surprise later.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_ROOT = Path(__file__).resolve().parent

#: Languages the staff interface is offered in (German first).
UI_LANGUAGES = ("de", "en")
#: Languages a survey and the parents' pages can be offered in. Arabic is written right to left.
PARENT_LANGUAGES = ("de", "en", "tr", "ar", "ru", "uk")
RTL_LANGUAGES = frozenset({"ar"})
#: Argon2id cost profiles of argon2-cffi (`argon2.profiles`) for password hashes; the first is the default.
PASSWORD_HASH_PROFILES = ("RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST")
#: Cheap enough for a test suite, far too cheap for real passwords; refused when PRODUCTION=1.
TEST_ONLY_PASSWORD_HASH_PROFILES = frozenset({"CHEAPEST"})

DEFAULT_SQLITE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'familiendialog.sqlite3'}"
_DEV_SECRET = "dev-only-secret-change-me-in-production-0123456789"  # noqa: S105 - refused when PRODUCTION=1


class SettingsError(ValueError):
    """An environment variable holds a value the platform cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything that differs between a developer's laptop, the tests and production."""

    database_url: str = DEFAULT_SQLITE_URL
    secret_key: str = _DEV_SECRET
    #: Groups with fewer responses than this are never shown (DESIGN.md, privacy).
    privacy_threshold: int = 5
    #: Languages parents may choose; German is always first.
    languages: tuple[str, ...] = PARENT_LANGUAGES
    debug: bool = False
    #: Production refuses the development secret and sends cookies only over HTTPS.
    production: bool = False
    #: Public address used in QR codes and invitation sheets.
    base_url: str = "http://127.0.0.1:8000"
    #: Submissions allowed per client address per hour (a centre's shared tablet or Wi-Fi needs headroom).
    submit_rate_per_hour: int = 200
    #: Live-poll votes per client address and hour: a room of phones on one Wi-Fi shares one address.
    poll_vote_rate_per_hour: int = 3000
    #: Run queued jobs inside the web process (one machine); False when separate workers take them.
    run_jobs_in_app: bool = True
    #: PostgreSQL pool size per process; 0 opens a connection per query.
    db_pool_max: int = 10
    #: Seconds a request waits for a free PostgreSQL connection before it is answered 503 with Retry-After.
    db_acquire_timeout: int = 5
    #: Argon2id cost profile for password hashes (argon2-cffi's names); tests choose CHEAPEST to stay fast.
    password_hash_profile: str = PASSWORD_HASH_PROFILES[0]
    #: A running job's lease: its runner renews it every third of this; a job whose lease ran out is taken again.
    job_lease_seconds: float = 30.0
    #: How long a stopping worker (SIGTERM) lets its job finish before handing it back to the queue.
    job_grace_seconds: float = 20.0
    #: Claims of a job whose runner died before it is given up as failed.
    job_max_attempts: int = 3
    #: A file the job runner touches on every poll, for `participation worker --check` (empty: none).
    worker_heartbeat_file: str = ""
    #: Redis (or Valkey) for sessions and throttles shared by several app processes; empty: in this process's memory.
    redis_url: str = ""
    #: Prefix of every key the platform writes to Redis (several installations or test runs can share one Redis).
    redis_prefix: str = "familiendialog"
    #: Months after a round's outcomes are published until its free-text answers are deleted (retention).
    free_text_retention_months: int = 24
    #: A self-hosted LibreTranslate-compatible service (its base address, e.g. http://127.0.0.1:5000) that
    #: translates parents' answers in other languages into German for the themes; empty: staff translate by hand.
    translate_url: str = ""
    #: Where notification mails go out: smtp://host:port, smtp+starttls://user:pass@host:587 or smtps://…:465;
    #: empty: mails stay queued (the office page says sending is not configured).
    smtp_url: str = ""
    #: The sender of notification mails; empty: the contact address of the site settings.
    mail_from: str = ""
    #: Days an unconfirmed notification address is kept before the retention job deletes it.
    notification_pending_days: int = 7
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.production

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `environ` (default: the process environment), validating every value."""
        env = os.environ if environ is None else environ
        production = _parse_bool(env, "PRODUCTION", False)
        secret_key = env.get("SECRET_KEY", "")
        if not secret_key:
            if production:
                raise SettingsError("SECRET_KEY must be set when PRODUCTION=1 (at least 32 characters).")
            secret_key = _DEV_SECRET
        elif len(secret_key) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters long; generate one with "
                                f"`python -c 'import secrets; print(secrets.token_urlsafe(48))'`, e.g. "
                                f"{secrets.token_urlsafe(48)}")
        elif production and secret_key == _DEV_SECRET:
            raise SettingsError("SECRET_KEY is the development default; set a real secret in production.")
        return cls(
            database_url=_parse_database_url(env.get("DATABASE_URL", "") or DEFAULT_SQLITE_URL),
            secret_key=secret_key,
            privacy_threshold=_parse_int(env, "PRIVACY_THRESHOLD", 5, minimum=2, maximum=100),
            languages=_parse_languages(env.get("LANGUAGES", "")),
            debug=_parse_bool(env, "DEBUG", False),
            production=production,
            base_url=env.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            submit_rate_per_hour=_parse_int(env, "SUBMIT_RATE_PER_HOUR", 200, minimum=1, maximum=100_000),
            poll_vote_rate_per_hour=_parse_int(env, "POLL_VOTE_RATE_PER_HOUR", 3000, minimum=1, maximum=1_000_000),
            run_jobs_in_app=_parse_bool(env, "RUN_JOBS_IN_APP", True),
            db_pool_max=_parse_int(env, "DB_POOL_MAX", 10, minimum=0, maximum=500),
            db_acquire_timeout=_parse_int(env, "DB_ACQUIRE_TIMEOUT", 5, minimum=1, maximum=120),
            password_hash_profile=_parse_password_hash_profile(env.get("PASSWORD_HASH_PROFILE", ""), production),
            job_lease_seconds=_parse_float(env, "JOB_LEASE_SECONDS", 30.0, minimum=0.5, maximum=3600),
            job_grace_seconds=_parse_float(env, "JOB_GRACE_SECONDS", 20.0, minimum=0, maximum=3600),
            job_max_attempts=_parse_int(env, "JOB_MAX_ATTEMPTS", 3, minimum=1, maximum=100),
            worker_heartbeat_file=env.get("WORKER_HEARTBEAT_FILE", "").strip(),
            redis_url=_parse_redis_url(env.get("REDIS_URL", "").strip()),
            redis_prefix=_parse_redis_prefix(env.get("REDIS_PREFIX", "").strip()),
            free_text_retention_months=_parse_int(env, "FREE_TEXT_RETENTION_MONTHS", 24, minimum=1, maximum=240),
            translate_url=_parse_translate_url(env.get("TRANSLATE_URL", "").strip()),
            smtp_url=_parse_smtp_url(env.get("SMTP_URL", "").strip()),
            mail_from=_parse_mail_from(env.get("MAIL_FROM", "").strip()),
            notification_pending_days=_parse_int(env, "NOTIFICATION_PENDING_DAYS", 7, minimum=1, maximum=90),
        )


def _parse_database_url(url: str) -> str:
    if url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        if url.startswith("sqlite:///") and len(url) == len("sqlite:///"):
            raise SettingsError("DATABASE_URL 'sqlite:///' needs a file path, e.g. sqlite:///var/app.sqlite3")
        return url
    raise SettingsError(
        f"DATABASE_URL must start with sqlite:/// or postgresql:// (got {url.split('://')[0]!r}://…)."
    )


def _parse_redis_url(url: str) -> str:
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(
            f"REDIS_URL must start with redis://, rediss:// or unix:// (got {url.split('://')[0]!r}://…), "
            "e.g. redis://127.0.0.1:6379/0; leave it empty to keep sessions in the app's memory."
        )
    return url


def _parse_translate_url(url: str) -> str:
    if url and not url.startswith(("http://", "https://")):
        raise SettingsError(
            f"TRANSLATE_URL must start with http:// or https:// (got {url!r}), e.g. http://127.0.0.1:5000 for a "
            "LibreTranslate server; leave it empty to translate answers by hand."
        )
    return url.rstrip("/")


SMTP_SCHEMES = ("smtp", "smtp+starttls", "smtps")


def _parse_smtp_url(url: str) -> str:
    if not url:
        return ""
    scheme, separator, rest = url.partition("://")
    host = rest.rpartition("@")[2].split("/")[0].rsplit(":", 1)[0] if separator else ""
    if scheme not in SMTP_SCHEMES or not host:
        raise SettingsError(
            f"SMTP_URL must be smtp://host:port, smtp+starttls://user:password@host:587 or smtps://host:465 "
            f"(got {scheme!r}://…); leave it empty to keep mails queued."
        )
    return url


def _parse_mail_from(address: str) -> str:
    if address and ("@" not in address or any(ch in address for ch in "\r\n")):
        raise SettingsError(
            f"MAIL_FROM must be one e-mail address, e.g. familiendialog@stadt.example, got {address!r}.")
    return address


def _parse_redis_prefix(prefix: str) -> str:
    if not prefix:
        return "familiendialog"
    if not all(ch.isalnum() or ch in "-_." for ch in prefix) or len(prefix) > 64:
        raise SettingsError(
            f"REDIS_PREFIX may hold only letters, digits, '-', '_' and '.' (at most 64 characters), got {prefix!r}."
        )
    return prefix


def _parse_int(env: Mapping[str, str], name: str, default: int, *, minimum: int, maximum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}.") from None
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name} must be between {minimum} and {maximum}, got {value}.")
    return value


def _parse_float(env: Mapping[str, str], name: str, default: float, *, minimum: float, maximum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}.") from None
    if not minimum <= value <= maximum:
        raise SettingsError(f"{name} must be between {minimum:g} and {maximum:g}, got {value:g}.")
    return value


def _parse_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be 1/0, true/false, yes/no or on/off, got {raw!r}.")


def _parse_password_hash_profile(raw: str, production: bool) -> str:
    profile = raw.strip().upper() or PASSWORD_HASH_PROFILES[0]
    if profile not in PASSWORD_HASH_PROFILES:
        raise SettingsError(
            f"PASSWORD_HASH_PROFILE must be one of {', '.join(PASSWORD_HASH_PROFILES)}, got {raw.strip()!r}."
        )
    if production and profile in TEST_ONLY_PASSWORD_HASH_PROFILES:
        raise SettingsError(f"PASSWORD_HASH_PROFILE={profile} is for tests only; it is refused when PRODUCTION=1.")
    return profile


def _parse_languages(raw: str) -> tuple[str, ...]:
    if not raw.strip():
        return PARENT_LANGUAGES
    codes = [code.strip().lower() for code in raw.split(",") if code.strip()]
    unknown = [code for code in codes if code not in PARENT_LANGUAGES]
    if unknown:
        raise SettingsError(
            f"LANGUAGES contains unsupported codes {', '.join(unknown)}; supported: {', '.join(PARENT_LANGUAGES)}."
        )
    # German is the required language of every survey and of the interface.
    return ("de", *[code for code in dict.fromkeys(codes) if code != "de"])
