"""The app factory: `create_app(settings)` builds the Litestar application on its own database engine."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.static_files import create_static_files_router
from piccolo.engine.base import Engine
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from participation import __version__
from participation.accounts.controllers import AccountController, UserAdminController
from participation.accounts.services import configure_password_hashing
from participation.accounts.sessions import CSRF_COOKIE
from participation.accounts.sessions import session_config as make_session_config
from participation.db import DatabaseUnavailable, bind_tables, close_engine, make_engine, open_engine
from participation.dialogues.controllers import ROUND_CONTROLLERS
from participation.dialogues.poll_controllers import POLL_CONTROLLERS
from participation.dialogues.services.live import PollHub
from participation.dialogues.session_controllers import SESSION_CONTROLLERS
from participation.directory.controllers import DirectoryApiController, DirectoryController
from participation.jobs import JobRunner
from participation.legal.controllers import LEGAL_CONTROLLERS
from participation.notifications.controllers import NOTIFICATION_CONTROLLERS
from participation.offerings.controllers import OFFERING_CONTROLLERS
from participation.retention.controllers import RETENTION_CONTROLLERS
from participation.settings import Settings
from participation.site.controllers import SITE_CONTROLLERS
from participation.surveys.controllers import SURVEY_CONTROLLERS
from participation.surveys.controllers.themes import THEME_CONTROLLERS
from participation.web.context import RequestContextMiddleware
from participation.web.controllers import SiteController, favicon, health, health_live, health_ready
from participation.web.dependencies import APP_DEPENDENCIES
from participation.web.errors import database_unavailable_handler, http_exception_handler, internal_error_handler
from participation.web.guards import ids_in_range
from participation.web.headers import security_headers_hook
from participation.web.jobs_controller import JobController
from participation.web.ratelimit import make_throttles
from participation.web.stores import THROTTLE_STORE, close_stores, make_stores, purge_expired
from participation.web.templating import STATIC_DIR, make_template_config

ROUTE_HANDLERS: list = [
    SiteController,
    health,
    health_live,
    favicon,
    health_ready,
    AccountController,
    UserAdminController,
    DirectoryController,
    DirectoryApiController,
    *ROUND_CONTROLLERS,
    *SESSION_CONTROLLERS,
    *POLL_CONTROLLERS,
    *SURVEY_CONTROLLERS,
    *THEME_CONTROLLERS,
    *OFFERING_CONTROLLERS,
    *LEGAL_CONTROLLERS,
    *RETENTION_CONTROLLERS,
    *NOTIFICATION_CONTROLLERS,
    JobController,
    *SITE_CONTROLLERS,
]


#: Seconds each shutdown step (job runner, database pool) may take before it is cut short.
SHUTDOWN_STEP_SECONDS = 2.0


def _derived_key(settings: Settings, purpose: str, length: int = 32) -> bytes:
    """A key for one purpose derived from SECRET_KEY, so one secret serves sessions and CSRF independently."""
    return hashlib.sha256(f"{purpose}:{settings.secret_key}".encode()).digest()[:length]


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> Litestar:
    """Build the platform's ASGI app for `settings` (default: from the environment).

    The app opens and closes its own engine for `settings.database_url`; given an `engine`, it uses that one and
    leaves opening and closing it to the caller (the tests share one engine, and its pool, across apps).
    """
    settings = settings or Settings.from_env()
    configure_password_hashing(settings.password_hash_profile)
    owns_engine = engine is None
    engine = make_engine(settings) if engine is None else engine
    bind_tables(engine)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if owns_engine:
            await open_engine(engine, settings.db_pool_max)
        runner = JobRunner.from_settings(settings) if settings.run_jobs_in_app else None
        if runner is not None:
            runner.start()
        app.state.job_runner = runner
        purging = asyncio.create_task(purge_expired(shared_stores))
        if owns_engine:
            # Everything built so far (routes, templates, catalogues, libraries) lives as long as the process: out of
            # the collector's sight, a full collection no longer walks it (a fifth of a submission's CPU before).
            gc.freeze()
        try:
            yield
        finally:
            purging.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await purging
            # uvicorn has stopped taking requests and waited for those in flight; what is left may not hold the
            # stop longer than a few seconds (a connection lost to a database restart would hold it forever).
            if runner is not None:
                try:
                    await asyncio.wait_for(runner.stop(), SHUTDOWN_STEP_SECONDS)
                except TimeoutError:
                    logging.getLogger(__name__).warning("The job runner did not stop in time.")
            if owns_engine:
                await close_engine(engine, timeout=SHUTDOWN_STEP_SECONDS)
            await close_stores(shared_stores)

    # Sessions and throttles live in one shared store (memory, or Redis when REDIS_URL is set).
    shared_stores = make_stores(settings)
    session_config = make_session_config(secure=settings.secure_cookies)
    template_config = make_template_config(settings)
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO)
    return Litestar(
        route_handlers=[*ROUTE_HANDLERS, create_static_files_router(path="/static", directories=[STATIC_DIR])],
        lifespan=[lifespan],
        dependencies=APP_DEPENDENCIES,
        guards=[ids_in_range],
        # The OpenAPI schema documents the JSON API only; its controllers opt in, HTML pages stay out.
        include_in_schema=False,
        state=State({
            "settings": settings,
            "engine": engine,
            **make_throttles(shared_stores[THROTTLE_STORE], settings.secret_key, settings.submit_rate_per_hour,
                             settings.poll_vote_rate_per_hour),
            # This process's live-poll fan-out (one poller per watched poll; the votes are in the database).
            "poll_hub": PollHub(),
        }),
        stores={name: shared.store for name, shared in shared_stores.items()},
        middleware=[
            session_config.middleware,
            DefineMiddleware(RequestContextMiddleware, settings=settings),
        ],
        csrf_config=CSRFConfig(
            secret=_derived_key(settings, "csrf").hex(),
            cookie_name=CSRF_COOKIE,
            cookie_secure=settings.secure_cookies,
            cookie_httponly=True,
        ),
        template_config=template_config,
        plugins=[FlashPlugin(config=FlashConfig(template_config=template_config))],
        exception_handlers={
            HTTPException: http_exception_handler,
            DatabaseUnavailable: database_unavailable_handler,
            # The shared store (Redis) is unreachable: as with the database, 503 and a retry, not a 500.
            RedisConnectionError: database_unavailable_handler,
            RedisTimeoutError: database_unavailable_handler,
            Exception: internal_error_handler,
        },
        openapi_config=OpenAPIConfig(
            title="Familiendialog API",
            version=__version__,
            path="/api/schema",
            render_plugins=[JsonRenderPlugin()],
        ),
        before_send=[security_headers_hook(settings.production)],
        request_max_body_size=2 * 1024 * 1024,
        debug=settings.debug,
    )
