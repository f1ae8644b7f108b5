"""The JSON API of surveys: definitions, results with privacy suppression, and responses for the office."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery, Parameter

from participation.accounts.schemas import CurrentUser
from participation.i18n import gettext as _
from participation.surveys.dependencies import provide_visible_survey, survey_not_found
from participation.surveys.schemas import QuestionKind, SurveyDef, SurveyStatus
from participation.surveys.services import exports, results
from participation.surveys.services.definition import list_surveys, now
from participation.web.errors import API_ERRORS
from participation.web.guards import OptionalIdQuery, office_only, signed_in


@dataclass
class SurveySummaryOut:
    """A survey in the list."""

    id: int
    title: str
    round_title: str
    status: SurveyStatus
    opens_at: datetime | None
    closes_at: datetime | None
    #: Open surveys: rounded to 5; closed ones: exact from the threshold on, else null.
    responses: int | None


@dataclass
class OptionOut:
    value: str
    label: str


@dataclass
class QuestionOut:
    key: str
    kind: QuestionKind
    text: str
    section: str
    required: bool
    min_value: float | None = None
    max_value: float | None = None
    allow_other: bool = False
    condition_key: str | None = None
    condition_value: str | None = None
    options: list[OptionOut] = field(default_factory=list)


@dataclass
class SurveyOut:
    """A survey's definition in German (option values are the stable codes used in results)."""

    id: int
    title: str
    intro: str
    round_title: str
    status: SurveyStatus
    opens_at: datetime | None
    closes_at: datetime | None
    questions: list[QuestionOut]


def _survey_out(survey: SurveyDef) -> SurveyOut:
    questions = [
        QuestionOut(
            key=q.key, kind=q.kind, text=q.text("de"), section=section.title("de"), required=q.required,
            min_value=q.min_value, max_value=q.max_value, allow_other=q.allow_other, condition_key=q.condition_key,
            condition_value=q.condition_value,
            options=[OptionOut(value=o.value, label=o.label("de")) for o in q.options],
        )
        for section in survey.sections for q in section.questions
    ]
    return SurveyOut(
        id=survey.id, title=survey.title("de"), intro=survey.intro("de"), round_title=survey.round_title,
        status=survey.status(now()), opens_at=survey.opens_at, closes_at=survey.closes_at, questions=questions,
    )


#: Rows of the results tables per API page, by default and at most.
TABLE_ROWS = 500
MAX_TABLE_ROWS = 5000


class SurveyApiController(Controller):
    """Surveys as JSON for the office and centres (signed in; centre staff see published surveys only)."""

    path = "/api/surveys"
    tags = ["Umfragen"]
    include_in_schema = True
    dependencies = {"survey": Provide(provide_visible_survey)}

    @get("/", name="api_surveys", guards=[signed_in], raises=API_ERRORS)
    async def surveys(
        self, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
    ) -> list[SurveySummaryOut]:
        """All surveys (office) or the published ones (centre staff), newest first."""
        items = await list_surveys()
        if not current_user.is_office:
            items = [item for item in items if item.status is not SurveyStatus.DRAFT]
        return [
            SurveySummaryOut(id=i.id, title=i.title, round_title=i.round_title, status=i.status, opens_at=i.opens_at,
                             closes_at=i.closes_at,
                             responses=results.published_response_count(i.responses, i.status, threshold))
            for i in items
        ]

    @get("/{survey_id:int}", name="api_survey", guards=[signed_in], raises=API_ERRORS)
    async def survey(self, survey: NamedDependency[SurveyDef]) -> SurveyOut:
        """A survey's sections, questions and options."""
        return _survey_out(survey)

    @get("/{survey_id:int}/results", name="api_survey_results", guards=[signed_in], raises=API_ERRORS)
    async def survey_results(
        self, current_user: NamedDependency[CurrentUser], threshold: NamedDependency[int],
        survey: NamedDependency[SurveyDef], district: OptionalIdQuery = None,
        centre: OptionalIdQuery = None, channel: FromQuery[Literal["online", "paper"] | None] = None,
    ) -> results.SurveyResults:
        """Aggregated results of the city, a `district` or a `centre`, over the same blocks as the results pages;
        with `channel` those of the online or paper responses only (withheld per question as on the pages).

        Centre staff get their own district or their own centre only (another is refused with 403).
        """
        if not current_user.is_office:
            if district is not None and district != current_user.district_id:
                raise PermissionDeniedException(_("Sie können nur die Ergebnisse Ihres Stadtteils abrufen."))
            if centre is not None and centre != current_user.centre_id:
                raise PermissionDeniedException(_("Sie können nur die Ergebnisse Ihres Zentrums abrufen."))
            district = current_user.district_id
        try:
            data = await results.survey_results(
                survey.id, district_id=district, centre_id=centre, threshold=threshold, channel=channel
            )
        except results.ResultsError as error:
            # A well-formed id of a district or centre that does not exist: that group's results are not found.
            raise NotFoundException(str(error)) from None
        if data is None:
            raise survey_not_found()
        return data

    @get("/{survey_id:int}/tables", name="api_survey_tables", guards=[office_only], raises=API_ERRORS)
    async def tables(
        self, threshold: NamedDependency[int], survey_id: FromPath[int], cursor: FromQuery[str | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_TABLE_ROWS, description="rows per page")] = TABLE_ROWS,
    ) -> exports.ResultsExport:
        """The results tables of a closed survey, as the CSV/XLSX export, `limit` rows a page (office only; 409
        while open). Follow `next_cursor` (pass it as `cursor`) until it is null; an unknown cursor is a 400."""
        try:
            data = await exports.results_export(survey_id, threshold=threshold)
        except results.ResultsError as error:
            raise HTTPException(status_code=409, detail=str(error)) from None
        if data is None:
            raise survey_not_found()
        try:
            return exports.page_of(data, cursor, limit)
        except exports.CursorError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None


API_CONTROLLERS: list = [SurveyApiController]
