"""Pages that belong to no single domain: the start page and the health check.

The centre's page (/zentrum) is its dashboard in `participation.offerings.controllers`.
"""

from __future__ import annotations

import asyncio

from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.response import Redirect, Response, Template

from participation.accounts.schemas import CurrentUser
from participation.db import database_is_reachable
from participation.dialogues.services.next_steps import next_steps
from participation.i18n import current_language
from participation.surveys.schemas import SurveyStatus
from participation.surveys.services.definition import complete_languages, open_surveys
from participation.web.guards import office_only
from participation.web.redirects import redirect_to
from participation.web.stores import SESSION_STORE, store_is_reachable
from participation.web.templating import static_url


class SiteController(Controller):
    """The public start page and the role-based entry after sign-in."""

    @get("/", name="home")
    async def home(self) -> Template:
        """Open surveys, each in the visitor's language where the survey is complete in it."""
        language = current_language()
        cards = []
        for survey in await open_surveys():
            shown = language if language in complete_languages(survey) else "de"
            cards.append({"survey": survey, "lang": shown})
        return Template("home.html", context={"surveys": cards})

    @get("/start", name="start")
    async def start(self, request: Request, visitor: NamedDependency[CurrentUser | None]) -> Redirect:
        """Where a signed-in person begins: the office dashboard or their centre's page."""
        if visitor is None:
            return redirect_to(request, "home", status_code=302)
        return redirect_to(request, "office_home" if visitor.is_office else "centre_home", status_code=302)

    @get("/verwaltung", name="office_home", guards=[office_only])
    async def office_home(self, threshold: NamedDependency[int]) -> Template:
        """The office's start page: the next steps of the current round and the action items waiting for an answer."""
        return Template("web/office_home.html", context={
            "next": await next_steps(threshold=threshold), "survey_statuses": SurveyStatus,
        })


@get("/favicon.ico", name="favicon", include_in_schema=False)
async def favicon() -> Redirect:
    """Browsers that ask for /favicon.ico (PDF tabs, bookmarks) get the site's icon from /static."""
    return Redirect(static_url("favicon.svg"), status_code=301)


@get("/health/live", name="health_live")
async def health_live() -> dict:
    """Liveness: the process is up and its event loop answers (for restarting a hung process; no database)."""
    return {"status": "ok"}


async def _readiness(request: Request, *, with_pool: bool) -> Response[dict]:
    state = request.app.state
    database_ok, store_ok = await asyncio.gather(
        database_is_reachable(state.engine), store_is_reachable(request.app.stores.get(SESSION_STORE)),
    )
    ready = database_ok and store_ok
    body: dict = {"status": "ok" if ready else "unavailable", "database": "ok" if database_ok else "unreachable",
                  # Sessions and throttles: Redis when REDIS_URL is set (no sign-in and no submission without it).
                  "store": "ok" if store_ok else "unreachable"}
    pool_state = getattr(state.engine, "pool_state", None)
    if with_pool and pool_state is not None and pool_state() is not None:
        body["pool"] = pool_state()
    headers = None if ready else {"Retry-After": "5"}
    return Response(body, status_code=200 if ready else 503, headers=headers)


@get("/health/ready", name="health_ready")
async def health_ready(request: Request) -> Response[dict]:
    """Readiness: the database answers within the acquire timeout and the shared store (Redis) answers; 503
    otherwise, so a proxy sends traffic elsewhere. On PostgreSQL the answer also shows the pool."""
    return await _readiness(request, with_pool=True)


@get("/health", name="health")
async def health(request: Request) -> Response[dict]:
    """Readiness as before /health/ready existed (same status codes, no pool figures)."""
    return await _readiness(request, with_pool=False)
