"""Results pages: the office's results, free texts with moderation and exports; centre staff's district view."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Stream, Template

from participation.accounts.schemas import CurrentUser
from participation.directory.schemas import CentreOut
from participation.directory.services import list_centres, list_districts
from participation.i18n import gettext as _
from participation.ids import parse_id
from participation.surveys.dependencies import (
    provide_own_district,
    provide_results_centre,
    provide_survey,
    survey_not_found,
)
from participation.surveys.schemas import SurveyDef
from participation.surveys.services import charts, exports, results
from participation.web.forms import read_form
from participation.web.guards import centre_staff_only, office_only
from participation.web.redirects import redirect_to

OFFICE_PATH = "/verwaltung/umfragen"
CENTRE_PATH = "/zentrum/umfragen"


def parse_district(raw: str | None, message: str | None = None) -> int | None:
    """The ?district= value as an id; empty means all districts; anything else is a 400 with a message."""
    if raw is None or not raw.strip():
        return None
    district_id = parse_id(raw.strip())
    if district_id is None:
        raise HTTPException(status_code=400, detail=message or _("Bitte wählen Sie einen Stadtteil aus der Liste."))
    return district_id


#: The ?kanal= values of the results pages and exports: the channel of the responses to show.
CHANNEL_PARAMETERS = {"online": "online", "papier": "paper"}


def parse_channel(raw: str | None) -> str | None:
    """The ?kanal= value as a channel; empty means all responses; anything else is a 400 with a message."""
    if raw is None or not raw.strip():
        return None
    channel = CHANNEL_PARAMETERS.get(raw.strip().lower())
    if channel is None:
        raise HTTPException(status_code=400, detail=_("Bitte wählen Sie einen Eingangsweg aus der Liste."))
    return channel


def _bad_request(error: results.ResultsError) -> HTTPException:
    return HTTPException(status_code=400, detail=str(error))


def _not_found() -> NotFoundException:
    return survey_not_found()


async def _results_page(
    survey_id: int, district_id: int | None, threshold: int, *, office: bool, centre_id: int | None = None,
    own_centre: tuple[int, str] | None = None, channel: str | None = None,
) -> Template:
    try:
        data = await results.survey_results(survey_id, district_id=district_id, centre_id=centre_id,
                                            threshold=threshold, channel=channel)
    except results.ResultsError as error:
        raise _bad_request(error) from None
    if data is None:
        raise _not_found()
    return Template("surveys/results.html", context={
        "results": data,
        "charts": charts.question_charts(data),
        "districts": await list_districts() if office else [],
        "centres": await list_centres() if office else [],
        "own_centre": own_centre,
        "office": office,
    })


#: Free texts per page: a survey of 100,000 responses has hundreds of thousands of them.
FREE_TEXTS_PER_PAGE = 100


def parse_page(raw: str | None) -> int:
    """The ?seite= value: a whole number from 1 (empty means 1); anything else is a 400 with a message."""
    if raw is None or not raw.strip():
        return 1
    value = raw.strip()
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise HTTPException(status_code=400, detail=_("Die Seitenzahl muss eine ganze Zahl ab 1 sein."))
    return int(value)


async def _free_text_page(
    survey_id: int, district_id: int | None, question: str | None, search: str | None, threshold: int, *, office: bool,
    page: int = 1,
) -> Template:
    try:
        listing = await results.free_texts(
            survey_id, district_id=district_id, question_key=question or None, search=search,
            include_hidden=office, threshold=threshold, page=page, page_size=FREE_TEXTS_PER_PAGE,
        )
    except results.ResultsError as error:
        raise _bad_request(error) from None
    if listing is None:
        raise _not_found()
    query = {k: v for k, v in (("district", district_id or ""), ("frage", question or ""), ("suche", search or ""))
             if v}
    return Template("surveys/results_free_texts.html", context={
        "listing": listing,
        "districts": await list_districts() if office else [],
        "office": office,
        "district_id": district_id,
        "question": question or "",
        "search": search or "",
        "query": urlencode(query),
        "page_query": lambda number: urlencode({**query, "seite": number}),
    })


class OfficeResultsController(Controller):
    """The office reads results, moderates free texts and exports responses."""

    path = OFFICE_PATH
    guards = [office_only]
    dependencies = {"survey": Provide(provide_survey)}

    @get("/{survey_id:int}/ergebnisse", name="survey_results")
    async def results_page(
        self, survey_id: FromPath[int], threshold: NamedDependency[int], district: FromQuery[str | None] = None,
        zentrum: FromQuery[str | None] = None, kanal: FromQuery[str | None] = None,
    ) -> Template:
        """Overview, per-question figures and cross-tabs, optionally for one district or one centre, and optionally
        of one channel's responses (``?kanal=online|papier``)."""
        centre_id = parse_district(zentrum, _("Bitte wählen Sie ein Zentrum aus der Liste."))
        return await _results_page(survey_id, None if centre_id else parse_district(district), threshold, office=True,
                                   centre_id=centre_id, channel=parse_channel(kanal))

    @get("/{survey_id:int}/freitext", name="survey_free_texts")
    async def free_text_page(
        self, survey_id: FromPath[int], threshold: NamedDependency[int], district: FromQuery[str | None] = None,
        frage: FromQuery[str | None] = None, suche: FromQuery[str | None] = None, seite: FromQuery[str | None] = None,
    ) -> Template:
        """Free-text answers, searchable, one page at a time, with hide/show buttons."""
        return await _free_text_page(survey_id, parse_district(district), frage, suche, threshold, office=True,
                                     page=parse_page(seite))

    @post("/{survey_id:int}/freitext/{answer_id:int}/ausblenden", name="survey_answer_hide")
    async def hide(
        self, request: Request, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        answer_id: FromPath[int],
    ) -> Redirect:
        """Hide an abusive answer (kept, logged)."""
        return await self._moderate(request, current_user, survey, answer_id, hide=True)

    @post("/{survey_id:int}/freitext/{answer_id:int}/einblenden", name="survey_answer_show")
    async def show(
        self, request: Request, current_user: NamedDependency[CurrentUser], survey: NamedDependency[SurveyDef],
        answer_id: FromPath[int],
    ) -> Redirect:
        """Show a hidden answer again (logged)."""
        return await self._moderate(request, current_user, survey, answer_id, hide=False)

    async def _moderate(
        self, request: Request, user: CurrentUser, survey: SurveyDef, answer_id: int, *, hide: bool
    ) -> Redirect:
        try:
            if hide:
                await results.hide_answer(survey.id, answer_id, user.id)
            else:
                await results.show_answer(survey.id, answer_id, user.id)
        except results.ResultsError as error:
            raise NotFoundException(str(error)) from None
        flash(request, _("Die Antwort wurde ausgeblendet.") if hide else _("Die Antwort wird wieder angezeigt."),
              category="success")
        form = await read_form(request)
        return redirect_to(request, "survey_free_texts", survey_id=survey.id, query=_back_query(form),
                           fragment=f"antwort-{answer_id}")

    @get("/{survey_id:int}/export.csv", name="survey_export_csv")
    async def export_csv(self, survey_id: FromPath[int], threshold: NamedDependency[int]) -> Stream:
        """The results tables as CSV (UTF-8 with BOM, ";" separated)."""
        data = await self._export(survey_id, threshold)
        # Streamed in chunks (Litestar runs a plain iterator in a worker thread): the event loop stays free and the
        # file is never held whole.
        return Stream(exports.iter_csv(data), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{exports.export_filename(data, "csv")}"'})

    @get("/{survey_id:int}/export.xlsx", name="survey_export_xlsx")
    async def export_xlsx(self, survey_id: FromPath[int], threshold: NamedDependency[int]) -> Response[bytes]:
        """The results tables as an Excel workbook."""
        data = await self._export(survey_id, threshold)
        return Response(
            await asyncio.to_thread(exports.to_xlsx, data),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{exports.export_filename(data, "xlsx")}"'},
        )

    async def _export(self, survey_id: int, threshold: int) -> exports.ResultsExport:
        try:
            data = await exports.results_export(survey_id, threshold=threshold)
        except results.ResultsError as error:
            raise HTTPException(status_code=409, detail=str(error)) from None
        if data is None:
            raise _not_found()
        return data


def _back_query(form) -> dict[str, str]:
    """The list's filters to return to, rebuilt from known keys only (never an arbitrary URL)."""
    back = {key: form.get(key) for key in ("district", "frage", "suche") if form.get(key)}
    page = (form.get("seite") or "").strip()
    if page.isdigit() and 1 < int(page) < 10**9:
        back["seite"] = page
    return back


class CentreResultsController(Controller):
    """Centre staff read the results and free texts of their own district."""

    path = CENTRE_PATH
    guards = [centre_staff_only]
    dependencies = {"own_district_id": Provide(provide_own_district), "own_centre": Provide(provide_results_centre)}

    @get("/{survey_id:int}/ergebnisse", name="centre_survey_results")
    async def results_page(
        self, own_district_id: NamedDependency[int], own_centre: NamedDependency[CentreOut | None],
        survey_id: FromPath[int], threshold: NamedDependency[int], ansicht: FromQuery[str | None] = None,
        kanal: FromQuery[str | None] = None,
    ) -> Template:
        """The results of the user's district, or (``?ansicht=zentrum``) of the user's own centre; optionally of one
        channel's responses (``?kanal=online|papier``)."""
        district_id = own_district_id
        centre = own_centre
        own = (centre.id, centre.name) if centre is not None else None
        channel = parse_channel(kanal)
        if ansicht == "zentrum" and centre is not None:
            return await _results_page(survey_id, None, threshold, office=False, centre_id=centre.id, own_centre=own,
                                       channel=channel)
        return await _results_page(survey_id, district_id, threshold, office=False, own_centre=own, channel=channel)

    @get("/{survey_id:int}/freitext", name="centre_survey_free_texts")
    async def free_text_page(
        self, own_district_id: NamedDependency[int], survey_id: FromPath[int], threshold: NamedDependency[int],
        frage: FromQuery[str | None] = None, suche: FromQuery[str | None] = None, seite: FromQuery[str | None] = None,
    ) -> Template:
        """The free-text answers of the user's district (hidden ones left out), one page at a time."""
        return await _free_text_page(survey_id, own_district_id, frage, suche, threshold, office=False,
                                     page=parse_page(seite))


RESULT_CONTROLLERS: list = [OfficeResultsController, CentreResultsController]
