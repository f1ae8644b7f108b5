"""The printable paper questionnaire of a survey, per language: the office prints any survey, centre staff the
published ones (with their centre as the place to hand the form in)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import ClientException, HTTPException
from litestar.params import FromQuery
from litestar.response import Response

from participation.directory.dependencies import OWN_CENTRE_DEPENDENCIES
from participation.directory.schemas import CentreOut
from participation.documents.pdf import DocumentError
from participation.i18n import gettext as _
from participation.settings import Settings
from participation.surveys.dependencies import provide_survey, provide_visible_survey
from participation.surveys.schemas import SurveyDef
from participation.surveys.services import paper
from participation.web.guards import centre_staff_only, office_only
from participation.web.templating import pdf_templates


async def _paper_pdf(request: Request, settings: Settings, survey: SurveyDef, language: str, *,
                     hand_in_centre: CentreOut | None = None) -> Response:
    if language not in settings.languages:
        # 400, not 404: the error page shows a 404's detail to nobody, and this one says what went wrong.
        raise ClientException(_("Diese Sprache wird nicht angeboten."), status_code=400)
    form_url = settings.base_url + request.app.route_reverse("survey_start", survey_id=survey.id)
    if language != "de":
        form_url += f"?lang={language}"
    try:
        pdf = await paper.questionnaire_pdf_bytes(
            survey, language, env=pdf_templates(), form_url=form_url,
            privacy_url=settings.base_url + request.app.route_reverse("legal_privacy"),
            threshold=settings.privacy_threshold, retention_months=settings.free_text_retention_months,
            hand_in_centre=hand_in_centre,
        )
    except DocumentError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="fragebogen-{survey.id}-{language}.pdf"'})


class OfficePaperController(Controller):
    path = "/verwaltung/umfragen"
    guards = [office_only]
    dependencies = {"survey": Provide(provide_survey)}

    @get("/{survey_id:int}/fragebogen.pdf", name="survey_paper_pdf")
    async def paper_pdf(self, request: Request, settings: NamedDependency[Settings],
                        survey: NamedDependency[SurveyDef], sprache: FromQuery[str] = "de") -> Response:
        """The paper questionnaire in `?sprache=` (drafts too, to check it before publishing)."""
        return await _paper_pdf(request, settings, survey, sprache)


class CentrePaperController(Controller):
    path = "/zentrum/umfragen"
    guards = [centre_staff_only]
    dependencies = {"survey": Provide(provide_visible_survey), **OWN_CENTRE_DEPENDENCIES}

    @get("/{survey_id:int}/fragebogen.pdf", name="centre_survey_paper_pdf")
    async def paper_pdf(self, request: Request, settings: NamedDependency[Settings],
                        survey: NamedDependency[SurveyDef], own_centre: NamedDependency[CentreOut | None],
                        sprache: FromQuery[str] = "de") -> Response:
        """A published survey's paper questionnaire in `?sprache=`, to be handed in at the staff's own centre."""
        return await _paper_pdf(request, settings, survey, sprache, hand_in_centre=own_centre)


PAPER_CONTROLLERS: list = [OfficePaperController, CentrePaperController]
