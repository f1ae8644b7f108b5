"""Who may use which route: the single list the authorisation walk and the accessibility walk follow.

Every route of the app must be listed here (a test fails otherwise), so a new page cannot ship unguarded.
Access levels: "public" (parents, anyone), "signed_in" (office or centre staff), "office", "centre".
"""

from __future__ import annotations

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): "public",
    ("GET", "/start"): "public",
    ("GET", "/health"): "public",
    ("GET", "/health/live"): "public",
    ("GET", "/health/ready"): "public",
    ("GET", "/favicon.ico"): "public",
    ("GET", "/static/{file_path:path}"): "public",
    ("GET", "/api/schema"): "public",
    ("GET", "/api/schema/openapi.json"): "public",
    ("GET", "/api/schema/{path:str}"): "public",
    ("GET", "/api/districts"): "public",
    ("GET", "/api/centres"): "public",
    ("GET", "/anmelden"): "public",
    ("POST", "/anmelden"): "public",
    ("GET", "/abmelden"): "public",
    ("POST", "/abmelden"): "public",
    ("GET", "/konto/passwort"): "signed_in",
    ("POST", "/konto/passwort"): "signed_in",
    ("POST", "/konto/ueberall-abmelden"): "signed_in",
    ("GET", "/verwaltung"): "office",
    ("GET", "/zentrum"): "centre",
    ("GET", "/zentrum/umfragen/{survey_id:int}/papier"): "centre",
    ("POST", "/zentrum/umfragen/{survey_id:int}/papier"): "centre",
    ("GET", "/zentrum/umfragen/{survey_id:int}/papier/zweiterfassung"): "centre",
    ("POST", "/zentrum/umfragen/{survey_id:int}/papier/zweiterfassung"): "centre",
    ("GET", "/verwaltung/papiererfassung"): "office",
    ("GET", "/verwaltung/benutzer"): "office",
    ("GET", "/verwaltung/benutzer/neu"): "office",
    ("POST", "/verwaltung/benutzer/neu"): "office",
    ("GET", "/verwaltung/benutzer/{user_id:int}"): "office",
    ("POST", "/verwaltung/benutzer/{user_id:int}"): "office",
    ("GET", "/verwaltung/stammdaten"): "office",
    ("POST", "/verwaltung/stammdaten/stadtteile"): "office",
    ("POST", "/verwaltung/stammdaten/traeger"): "office",
    ("GET", "/verwaltung/stammdaten/zentren/neu"): "office",
    ("POST", "/verwaltung/stammdaten/zentren/neu"): "office",
    ("GET", "/verwaltung/stammdaten/zentren/{centre_id:int}"): "office",
    ("POST", "/verwaltung/stammdaten/zentren/{centre_id:int}"): "office",
    # the parents' form
    ("GET", "/umfrage/{survey_id:int}"): "public",
    ("GET", "/umfrage/{survey_id:int}/antworten"): "public",
    ("POST", "/umfrage/{survey_id:int}/antworten"): "public",
    ("GET", "/umfrage/{survey_id:int}/danke"): "public",
    # themes in free text, jobs
    ("GET", "/verwaltung/umfragen/{survey_id:int}/themen"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/themen"): "office",
    ("GET", "/verwaltung/themen/{run_id:int}"): "office",
    ("GET", "/verwaltung/themen/{run_id:int}/thema/{theme_id:int}"): "office",
    ("POST", "/verwaltung/themen/{run_id:int}/bearbeiten"): "office",
    ("GET", "/verwaltung/umfragen/{survey_id:int}/antworten-uebersetzen"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/antworten-uebersetzen"): "office",
    ("POST", "/verwaltung/umfragen/{survey_id:int}/antworten-uebersetzen/maschinell"): "office",
    ("GET", "/api/jobs/{job_id:int}"): "signed_in",
    ("GET", "/auftraege/{job_id:int}"): "signed_in",
    ("POST", "/auftraege/{job_id:int}/erneut"): "office",
    # site settings (an installed site answers the first-run page with a redirect to the start page)
    ("GET", "/einrichtung"): "public",
    ("POST", "/einrichtung"): "public",
    ("GET", "/logo"): "public",
    ("GET", "/gestaltung.css"): "public",
    ("GET", "/verwaltung/einstellungen"): "office",
    ("POST", "/verwaltung/einstellungen"): "office",
}

from tests.dialogues.route_access_session import NOT_PAGES as _SESSION_NOT_PAGES  # noqa: E402
from tests.dialogues.route_access_session import ROUTES as _SESSION_ROUTES  # noqa: E402
from tests.offerings.route_access_offerings import NOT_PAGES as _OFFERING_NOT_PAGES  # noqa: E402
from tests.offerings.route_access_offerings import ROUTES as _OFFERING_ROUTES  # noqa: E402
from tests.surveys.route_access_results import ROUTES as _RESULT_ROUTES  # noqa: E402
from tests.surveys.route_access_surveys import ROUTES as _SURVEY_ROUTES  # noqa: E402

ROUTES.update(_SURVEY_ROUTES)
ROUTES.update(_RESULT_ROUTES)
ROUTES.update(_SESSION_ROUTES)
ROUTES.update(_OFFERING_ROUTES)

#: Routes that are not HTML pages (the accessibility walk skips them).
NOT_PAGES = {
    "/health", "/health/live", "/health/ready", "/favicon.ico", "/verwaltung/umfragen/{survey_id:int}/qr.svg",
    "/static/{file_path:path}", "/api/schema", "/api/schema/openapi.json", "/api/schema/{path:str}",
    "/abmelden", "/konto/ueberall-abmelden", "/logo", "/gestaltung.css",
    "/verwaltung/umfragen/{survey_id:int}/export.csv", "/verwaltung/umfragen/{survey_id:int}/export.xlsx",
    "/verwaltung/umfragen/{survey_id:int}/codes/{centre_id:int}/einladungscodes.pdf", "/api/jobs/{job_id:int}",
    "/verwaltung/umfragen/{survey_id:int}/fragebogen.pdf", "/zentrum/umfragen/{survey_id:int}/fragebogen.pdf",
}


def fill_path(path: str, ids: dict[str, int | str]) -> str:
    """Replace path parameters with real ids of the test data."""
    import re

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in ids:
            raise KeyError(f"No sample value for path parameter {name!r} in {path}; add it to the walk's ids.")
        return str(ids[name])

    return re.sub(r"\{(\w+)(?::\w+)?\}", replace, path)

NOT_PAGES |= _SESSION_NOT_PAGES | _OFFERING_NOT_PAGES


async def job_every_signed_in_user_may_see(version_id: int) -> int:
    """The render job of a published minutes version: the job pages' sample for every signed-in role (a clustering
    job is the office's only)."""
    from participation.dialogues.services import pdfs
    from participation.dialogues.tables import MinutesVersion
    from participation.jobs import Job

    version = await MinutesVersion.select(MinutesVersion.content_hash).where(MinutesVersion.id == version_id).first()
    key = f"minutes:{version['content_hash']}"
    if (existing := await Job.select(Job.id).where(Job.dedupe_key == key).first()) is not None:
        return existing["id"]
    return (await pdfs.request_minutes_pdf(version["content_hash"])).job.id


from tests.legal.route_access_legal import NOT_PAGES as _LEGAL_NOT_PAGES  # noqa: E402
from tests.legal.route_access_legal import ROUTES as _LEGAL_ROUTES  # noqa: E402

ROUTES.update(_LEGAL_ROUTES)
NOT_PAGES.update(_LEGAL_NOT_PAGES)

from tests.notifications.route_access_notifications import NOT_PAGES as _NOTIFICATION_NOT_PAGES  # noqa: E402
from tests.notifications.route_access_notifications import ROUTES as _NOTIFICATION_ROUTES  # noqa: E402

ROUTES.update(_NOTIFICATION_ROUTES)
NOT_PAGES.update(_NOTIFICATION_NOT_PAGES)
