"""The `participation` command: serve, migrate, demo data, users, clustering and more."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from participation.cluster_command import cluster
from participation.settings import Settings, SettingsError

if TYPE_CHECKING:
    from participation.db import MigrationsRun

T = TypeVar("T")


def _load_job_handlers() -> None:
    """Import the modules that register job handlers."""
    import participation.dialogues.services.pdfs
    import participation.notifications.services.sending
    import participation.retention.services
    import participation.surveys.services.themes
    import participation.surveys.services.translations  # noqa: F401


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        raise click.UsageError(f"Configuration error: {error}") from error


def _run_with_db(work: Callable[[], Awaitable[T]]) -> T:
    """Run `work` against the configured database (pool opened and closed around it)."""
    from participation.accounts.services import configure_password_hashing
    from participation.db import bind_tables, close_engine, make_engine, open_engine

    settings = _settings()
    configure_password_hashing(settings.password_hash_profile)
    engine = make_engine(settings)
    bind_tables(engine)

    async def main() -> T:
        await open_engine(engine, 2)
        try:
            return await work()
        finally:
            await close_engine(engine)

    return asyncio.run(main())


@click.group()
def cli() -> None:
    """Familiendialog: surveys, themes, minutes and offering plans for a city's family dialogues."""


#: Key of the PostgreSQL advisory lock that lets one `participation migrate` at a time change the schema.
MIGRATION_LOCK_KEY = 0x46616D_4D6967  # "Fam" "Mig"


async def _migrate_under_lock(settings: Settings) -> MigrationsRun:
    """Apply migrations under a lock, so parallel starts migrate one after another (the second finds nothing left
    to do) instead of racing on the same tables: a PostgreSQL advisory lock, on SQLite a lock on a file beside the
    database."""
    from participation.db import run_migrations, sqlite_path

    if settings.is_sqlite:
        import fcntl
        import os

        database = sqlite_path(settings.database_url)
        database.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(database.with_name(database.name + ".migrate-lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)  # released when closed
            return await run_migrations()
        finally:
            os.close(lock)
    import asyncpg

    connection = await asyncpg.connect(settings.database_url)
    try:
        await connection.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        try:
            return await run_migrations()
        finally:
            await connection.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
    finally:
        await connection.close()


@cli.command()
def migrate() -> None:
    """Apply pending database migrations (safe to run from several processes at once)."""
    click.echo(asyncio.run(_migrate_under_lock(_settings())).summary())


class _OperatorError(click.ClickException):
    """A clear message and exit code 2, no traceback."""

    exit_code = 2


class _ProgressBar:
    """A click progress bar on stderr for `participation.backup.Progress` callbacks (made on the first call)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar = None
        self.done = 0

    def __call__(self, done: int, total: int, step: str) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.length = max(total, 1)
        self.bar.label = f"{self.label}: {step}"
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@cli.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write a backup of the database to FILE (SQLite: a database file; PostgreSQL: a pg_dump archive).

    Every table except the job queue's rows; see README.md, Backups."""
    from participation.backup import BackupError, backup

    settings = _settings()
    bar = _ProgressBar("Backup")
    try:
        outcome = backup(settings, file, bar)
    except BackupError as error:
        raise _OperatorError(str(error)) from error
    finally:
        bar.close()
    click.echo(f"{outcome.path}: {outcome.kind} backup, {outcome.tables} tables, {outcome.bytes // 1024} KiB.")


@cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore_command(file: Path, force: bool) -> None:
    """Restore the backup FILE into the database of DATABASE_URL (refuses one holding data unless --force)."""
    from participation.backup import BackupError, requeue_interrupted_work, restore

    settings = _settings()
    bar = _ProgressBar("Restore")
    try:
        outcome = restore(settings, file, force=force, progress=bar)
    except BackupError as error:
        raise _OperatorError(str(error)) from error
    finally:
        bar.close()
    # A backup from an older version gets this version's migrations.
    asyncio.run(_migrate_under_lock(settings))
    requeued = _run_with_db(lambda: requeue_interrupted_work(settings.privacy_threshold))
    click.echo(f"{outcome.path} restored ({outcome.kind}, {outcome.tables} tables)"
               + (f"; {requeued} clustering run(s) queued again." if requeued else "."))


@cli.command()
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds data.")
def demo(if_empty: bool) -> None:
    """Load the Ludwigsburg demo data (districts, centres, users, two rounds with surveys and responses)."""
    from participation.demo import database_is_empty, load_demo

    async def work() -> bool:
        if not await database_is_empty():
            return False
        with click.progressbar(length=10, label="Demo data", file=sys.stderr) as bar:
            def step(name: str) -> None:
                bar.label = f"Demo data: {name}"
                bar.update(1)

            await load_demo(step)
        return True

    loaded = _run_with_db(work)
    if loaded:
        click.echo("Demo data loaded. Sign in as buero@familiendialog.example / demo-buero-2026.")
    elif if_empty:
        click.echo("Database already holds data; demo data not loaded.")
    else:
        raise click.ClickException("The database already holds data; demo data is only loaded into an empty one.")


@cli.command("setup-code")
def setup_code_command() -> None:
    """Print the code the first-run page of a new installation asks for when PRODUCTION=1."""
    from participation.site.services import setup_code

    click.echo(setup_code(_settings().secret_key))


@cli.command()
@click.option("--email", prompt=True)
@click.option("--name", "display_name", prompt="Name")
@click.option("--role", type=click.Choice(["office", "centre"]), prompt=True)
@click.option("--centre", "centre_name", default="", help="The centre's exact name (for --role centre).")
@click.password_option()
def createuser(email: str, display_name: str, role: str, centre_name: str, password: str) -> None:
    """Create a user who can sign in."""
    from participation.accounts.schemas import Role
    from participation.accounts.services import AccountError, create_user
    from participation.directory.services import list_centres

    async def work() -> int:
        centre_id = None
        if centre_name:
            matches = [c.id for c in await list_centres() if c.name == centre_name]
            if not matches:
                raise click.BadParameter(f"no centre named {centre_name!r}", param_hint="--centre")
            centre_id = matches[0]
        try:
            return await create_user(
                email=email, display_name=display_name, password=password, role=Role(role), centre_id=centre_id
            )
        except AccountError as error:
            raise click.ClickException(str(error)) from error

    user_id = _run_with_db(work)
    click.echo(f"User {email} created (id {user_id}).")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--reload", is_flag=True, help="Restart on code changes (development).")
def serve(host: str, port: int, workers: int, reload: bool) -> None:
    """Serve the platform with uvicorn; SIGTERM or Ctrl-C stop it cleanly within 10 s (exit code 0)."""
    import logging
    import os
    import signal

    import uvicorn

    settings = _settings()
    if workers > 1 and not settings.redis_url:
        # Sessions and throttles would live in each process's memory: a sign-in would hold in one process only.
        raise click.UsageError("--workers above 1 needs REDIS_URL (sessions and throttles shared by the processes).")
    click.echo(f"Familiendialog on http://{host}:{port}")
    # uvicorn stops taking requests on SIGTERM, lets those in flight finish for up to this many seconds, then runs
    # the app's shutdown (job runner, pool: a few seconds at most); together well inside a 10 s stop budget.
    graceful_seconds = 5
    # After a clean stop uvicorn raises the signal again so that the default handler kills the process (exit code
    # -15/143). A stop the server carried out in order is a success: exit with code 0, as promptly as the default
    # handler would (a full interpreter teardown of the loaded libraries costs a second or more).
    def exit_cleanly(*_args: object) -> None:
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    for stop_signal in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop_signal, exit_cleanly)
    uvicorn.run(
        "participation.app:create_app", factory=True, host=host, port=port, workers=workers, reload=reload,
        # The client address of throttles comes from X-Forwarded-For only when the peer is a trusted proxy:
        # uvicorn reads FORWARDED_ALLOW_IPS (default 127.0.0.1; docker-compose.yml trusts its own Caddy).
        proxy_headers=True, server_header=False, access_log=False, timeout_graceful_shutdown=graceful_seconds,
    )


@cli.command()
@click.option("--once", is_flag=True, help="Run the queued jobs, then exit.")
@click.option("--poll", default=1.0, show_default=True, help="Seconds between looks for new jobs.")
@click.option("--check", is_flag=True,
              help="Health check: exit 0 if WORKER_HEARTBEAT_FILE was touched within --max-age seconds, else 1.")
@click.option("--max-age", default=60.0, show_default=True, help="With --check: seconds a heartbeat stays fresh.")
def worker(once: bool, poll: float, check: bool, max_age: float) -> None:
    """Run background jobs (clustering, PDFs) from the database queue; start as many as you like.

    SIGTERM or Ctrl+C: no new job is taken; the current one gets JOB_GRACE_SECONDS to finish, else it goes back to
    the queue for another worker, and the worker exits with 0.
    """
    import os
    import signal
    import time

    from participation import jobs

    settings = _settings()
    if check:
        if not settings.worker_heartbeat_file:
            click.echo("WORKER_HEARTBEAT_FILE is not set.", err=True)
            sys.exit(1)
        try:
            age = time.time() - Path(settings.worker_heartbeat_file).stat().st_mtime
        except OSError:
            click.echo(f"No heartbeat file at {settings.worker_heartbeat_file}.", err=True)
            sys.exit(1)
        if age > max_age:
            click.echo(f"Last heartbeat {age:.0f} s ago (more than {max_age:g} s).", err=True)
            sys.exit(1)
        click.echo(f"Worker alive: last heartbeat {age:.1f} s ago.")
        return

    import logging

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    _load_job_handlers()
    policy = jobs.LeasePolicy.from_settings(settings)

    async def work() -> None:
        if once:
            done = await jobs.run_until_idle(policy)
            click.echo(f"{len(done)} job(s) run.")
            return
        runner = jobs.JobRunner.from_settings(settings, poll_seconds=poll)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, runner.request_stop)
        click.echo("Worker running; stop with Ctrl+C or SIGTERM.")
        await runner.run()
        click.echo("Worker stopped" + (" (its job was handed back to the queue)." if runner.handed_back else "."))
        if runner.handed_back:
            # The handed-back job's thread may still compute; nothing of it will be written (its claim is gone),
            # and waiting for it would break the grace time. Leave now, with the pool closed.
            from participation.db import close_engine

            await close_engine(jobs.Job._meta.db)
            sys.stdout.flush()
            os._exit(0)

    _run_with_db(work)


@cli.command("render-minutes")
@click.argument("round_id", type=int)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the PDF.")
def render_minutes(round_id: int, output: Path) -> None:
    """Render a round's minutes (latest published version, else the draft) to a PDF file."""
    from participation.dialogues.services.agenda import SessionError
    from participation.dialogues.services.pdfs import render_round  # WeasyPrint loads only here
    from participation.documents.pdf import DocumentError

    threshold = _settings().privacy_threshold
    try:
        pdf, what = _run_with_db(lambda: render_round(round_id, threshold=threshold))
    except (SessionError, DocumentError) as error:
        raise click.ClickException(str(error)) from error
    output.write_bytes(pdf)
    click.echo(f"{output}: {what}, {len(pdf) // 1024} KiB")


@cli.command()
@click.argument("round_id", type=int)
@click.option("--role", default="office", show_default=True,
              help="Whose view to attack: office, public or centre:ID (staff of that centre).")
@click.option("-v", "--verbose", is_flag=True, help="List every warning and where the numbers come from.")
def audit(round_id: int, role: str, verbose: bool) -> None:
    """Play the attacker on a round: can a protected value be computed from all ROLE sees? Exit code 1 if so."""
    from participation.i18n import reset_language, set_language

    # The report is also an office page in German; on the command line it speaks English, like every command.
    language = set_language("en")
    try:
        _audit(round_id, role, verbose)
    finally:
        reset_language(language)


def _audit(round_id: int, role: str, verbose: bool) -> None:
    from tqdm import tqdm

    from participation.surveys.services.audit import AuditError, audit_round, parse_role, report_text

    threshold = _settings().privacy_threshold
    bars: list[tqdm] = []

    def progress(done: int, total: int) -> None:
        if not bars:
            bars.append(tqdm(total=total, desc="Privacy audit", unit="value", file=sys.stderr, leave=False))
        bars[0].update(1)

    try:
        report = _run_with_db(lambda: audit_round(round_id, parse_role(role), threshold=threshold, progress=progress))
    except AuditError as error:
        raise click.ClickException(str(error)) from error
    finally:
        for bar in bars:
            bar.close()
    click.echo(report_text(report, verbose=verbose))
    if not report.passed:
        sys.exit(1)


cli.add_command(cluster)


def main() -> None:
    cli(prog_name="participation")


if __name__ == "__main__":
    main()
