"""Sending the outbox over SMTP, as a job run by the app's or a worker's job runner.

A run takes due mails in batches. Each mail is *claimed* right before it is sent by moving its `next_attempt_at`
on (a conditional update, so two runners never take the same mail), and marked sent right after the server accepted
it. A runner killed mid-batch leaves every mail not marked sent due again (the claimed one once its claim runs out),
so nothing is lost; only the one mail in flight when the process died may arrive twice. A failed send stays queued
with one more attempt and a growing back-off; after `MAX_ATTEMPTS` it is failed and shown to the office, which may
queue it again. Without SMTP_URL nothing is sent and nothing fails: the mails wait.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from functools import cache
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, select_autoescape

from participation import jobs
from participation.db import transaction
from participation.dialogues.schemas import translated_round_title
from participation.i18n import gettext, ngettext, pgettext, reset_language, set_language, text_direction
from participation.notifications.services.subscriptions import (
    CONFIRM,
    CONFIRM_PATH,
    OUTCOMES,
    UNSUBSCRIBE_PATH,
    link_token,
)
from participation.notifications.tables import Mail, SentCount, Subscription
from participation.settings import Settings
from participation.site.services import reset_site, site_settings, use_site

log = logging.getLogger(__name__)

SEND_JOB = "notifications.send"
MAX_ATTEMPTS = 5
#: Minutes to wait after the 1st, 2nd, … failed attempt.
BACKOFF_MINUTES = (1, 5, 30, 120)
BATCH = 50
SMTP_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool


def smtp_target(url: str) -> SmtpTarget:
    """smtp://host:25 (plain), smtp+starttls://user:pass@host:587 (STARTTLS required), smtps://host:465 (TLS)."""
    parts = urlsplit(url)
    use_tls = parts.scheme == "smtps"
    start_tls = parts.scheme == "smtp+starttls"
    port = parts.port or (465 if use_tls else 587 if start_tls else 25)
    return SmtpTarget(parts.hostname or "localhost", port, unquote(parts.username) if parts.username else None,
                      unquote(parts.password) if parts.password else None, use_tls, start_tls)


def sender_address(settings: Settings, contact_email: str) -> str:
    return settings.mail_from or contact_email or "familiendialog@localhost"


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def claim_seconds(settings: Settings) -> float:
    """How long a claimed mail belongs to its sender: the job's lease plus one SMTP exchange."""
    return settings.job_lease_seconds + SMTP_TIMEOUT_SECONDS


@cache
def mail_templates() -> Environment:
    """Mail bodies: HTML escaped, plain text as written; gettext in the subscriber's language."""
    from participation.web.templating import TEMPLATES_DIR

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(enabled_extensions=("html",), default=False, default_for_string=False),
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    env.globals["text_direction"] = text_direction
    return env


def build_message(*, kind: str, to: str, language: str, round_id: int, round_title: str, token: str,
                  settings: Settings, site_name: str, sender: str) -> EmailMessage:
    """A multipart/alternative mail (plain text and HTML) in `language`, with RFC 8058 one-click unsubscribe."""
    base = settings.base_url
    links = {
        "confirm": base + CONFIRM_PATH.replace("{token:str}", token) + f"?lang={language}",
        "unsubscribe": base + UNSUBSCRIBE_PATH.replace("{token:str}", token) + f"?lang={language}",
        "outcomes": f"{base}/was-wurde-aus-ihren-anregungen/{round_id}?lang={language}",
        "minutes": f"{base}/protokolle?lang={language}",
        "privacy": f"{base}/datenschutz?lang={language}",
    }
    marker = set_language(language)
    try:
        context = {"links": links, "round_title": translated_round_title(round_title), "site_name": site_name,
                   "lang": language}
        env = mail_templates()
        subject = (gettext("Bitte bestätigen Sie Ihre E-Mail-Adresse") if kind == CONFIRM
                   else gettext("Die Ergebnisse des Familiendialogs %(round)s sind veröffentlicht",
                                round=context["round_title"]))
        text = env.get_template(f"mail/{kind}.txt").render(subject=subject, **context)
        html = env.get_template(f"mail/{kind}.html").render(subject=subject, **context)
    finally:
        reset_language(marker)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = formataddr((site_name, sender))
    message["To"] = to
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{links['unsubscribe'].split('?')[0]}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = language  # after the body: setting content clears Content-* headers
    return message


class _Connection:
    """One SMTP connection per run, opened on first use and again after it broke."""

    def __init__(self, target: SmtpTarget) -> None:
        self.target = target
        self.client: aiosmtplib.SMTP | None = None

    async def send(self, message: EmailMessage) -> None:
        if self.client is None:
            client = aiosmtplib.SMTP(hostname=self.target.hostname, port=self.target.port,
                                     use_tls=self.target.use_tls, start_tls=self.target.start_tls or None,
                                     timeout=SMTP_TIMEOUT_SECONDS)
            await client.connect()
            if self.target.username:
                await client.login(self.target.username, self.target.password or "")
            self.client = client
        try:
            await self.client.send_message(message)
        except (aiosmtplib.SMTPServerDisconnected, OSError):
            await self.close()
            raise

    async def close(self) -> None:
        if self.client is not None:
            client, self.client = self.client, None
            try:
                await client.quit()
            except Exception:
                client.close()


async def _claim(mail_id: int, now: datetime, until: datetime) -> dict | None:
    rows = await Mail.update({Mail.next_attempt_at: until}).where(
        (Mail.id == mail_id) & (Mail.status == "queued") & (Mail.next_attempt_at <= now)
    ).returning(Mail.id, Mail.kind, Mail.attempts, Mail.subscription)
    return rows[0] if rows else None


async def _mark_sent(mail: dict, round_id: int) -> None:
    """Sent: a confirm mail is kept as sent (so it is never queued again); an outcome mail counts for its round
    and takes its subscription (the address) with it."""
    async with transaction():
        await Mail.update({Mail.status: "sent", Mail.attempts: Mail.attempts + 1, Mail.last_error: ""}).where(
            Mail.id == mail["id"])
        if mail["kind"] == OUTCOMES:
            await SentCount.update({SentCount.outcomes_sent: SentCount.outcomes_sent + 1}).where(
                SentCount.round == round_id)
            await Subscription.delete().where(Subscription.id == mail["subscription"])


async def _mark_failed(mail: dict, error: Exception, now: datetime) -> None:
    attempts = mail["attempts"] + 1
    values = {Mail.attempts: attempts, Mail.last_error: f"{type(error).__name__}: {error}"[:500]}
    if attempts >= MAX_ATTEMPTS:
        values[Mail.status] = "failed"
    else:
        values[Mail.next_attempt_at] = now + backoff(attempts)
    await Mail.update(values).where(Mail.id == mail["id"])


async def due_mail_count(now: datetime | None = None) -> int:
    return await Mail.count().where((Mail.status == "queued") & (Mail.next_attempt_at <= (now or datetime.now(UTC))))


async def send_due_mails(settings: Settings, progress: jobs.Progress | None = None,
                         now: datetime | None = None) -> dict:
    """Send every due mail; returns how many were sent and failed (and whether sending is configured)."""
    if not settings.smtp_url:
        return {"configured": False, "sent": 0, "failed": 0}
    site = await site_settings()
    site_token = use_site(site)
    connection = _Connection(smtp_target(settings.smtp_url))
    sender = sender_address(settings, site.contact_email)
    sent = failed = 0
    try:
        while True:
            moment = now or datetime.now(UTC)
            due = await Mail.select(Mail.id).where(
                (Mail.status == "queued") & (Mail.next_attempt_at <= moment)
            ).order_by(Mail.next_attempt_at).order_by(Mail.id).limit(BATCH)
            if not due:
                break
            total = len(due)
            broken = False
            for number, row in enumerate(due):
                moment = now or datetime.now(UTC)
                mail = await _claim(row["id"], moment, moment + timedelta(seconds=claim_seconds(settings)))
                if mail is None:
                    continue  # another runner took it
                subscription = await Subscription.select(
                    Subscription.id, Subscription.email, Subscription.language, Subscription.address_key,
                    Subscription.round, Subscription.round.title.as_alias("title"),
                ).where(Subscription.id == mail["subscription"]).first()
                if subscription is None:
                    continue  # unsubscribed meanwhile: its mails went with it
                message = build_message(
                    kind=mail["kind"], to=subscription["email"], language=subscription["language"],
                    round_id=subscription["round"], round_title=subscription["title"],
                    token=link_token(settings.secret_key, subscription["id"], subscription["address_key"]),
                    settings=settings, site_name=site.title, sender=sender)
                try:
                    await connection.send(message)
                except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
                    log.warning("Mail %s (%s) not sent: %s", mail["id"], mail["kind"], error)
                    await _mark_failed(mail, error, now or datetime.now(UTC))
                    failed += 1
                    if connection.client is None:
                        broken = True  # the server is not reachable: the rest waits for the next run
                        break
                    continue
                await jobs.fault("notifications.accepted")
                await _mark_sent(mail, subscription["round"])
                sent += 1
                if progress is not None:
                    progress((number + 1) / total, gettext("%(n)s Benachrichtigungen versandt", n=sent))
            if broken:
                break
    finally:
        await connection.close()
        reset_site(site_token)
    if sent or failed:
        log.info("Notification mails: %s sent, %s failed this run", sent, failed)
    return {"configured": True, "sent": sent, "failed": failed}


async def ensure_send_job(settings: Settings) -> int | None:
    """Queue a send job when mails are due and none is queued yet; returns its id (None: nothing to do).

    Two processes racing here may queue two jobs; that is harmless, each mail is claimed by one of them.
    """
    if not settings.smtp_url or not await due_mail_count():
        return None
    waiting = await jobs.Job.select(jobs.Job.id).where(
        (jobs.Job.kind == SEND_JOB) & (jobs.Job.status == jobs.JobStatus.QUEUED.value)).first()
    if waiting:
        return waiting["id"]
    return await jobs.enqueue(SEND_JOB, {"audience": jobs.OFFICE})


@jobs.handler(SEND_JOB)
async def _run_send(params: dict, progress: jobs.Progress) -> dict:
    """The send job: every due mail, with the settings of the process that runs it."""
    return await send_due_mails(Settings.from_env(), progress)


async def _watch(settings: Settings | None) -> None:
    await ensure_send_job(settings or Settings.from_env())


jobs.watch(_watch)
