"""The protected view of a survey: its answers counted per cell (district × centre) and the publication plan of
every question (`privacy`). Every figure any role sees is computed from it; nothing else counts responses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from piccolo.query.functions.aggregate import Count

from participation.directory.services import list_centres, list_districts
from participation.i18n import gettext as _
from participation.surveys.schemas import OTHER, QuestionDef, QuestionKind, SurveyDef, SurveyStatus
from participation.surveys.services.definition import load_survey, now
from participation.surveys.services.privacy import CENTRE, DISTRICT, RESIDUAL, Block, Cell, Grouping, group_cells
from participation.surveys.tables import Answer, Response


@dataclass
class ProtectedSurvey:
    """A survey's answers counted per cell, with the publication plan of every question.

    This is the one place figures come from: results pages, free texts, themes, exports, the API, minutes, centre
    summaries, trends and the audit all read a `ProtectedSurvey` (see `privacy` for the rules).
    """

    survey: SurveyDef
    threshold: int
    closed: bool
    district_names: dict[int, str]
    centre_names: dict[int, str]
    centre_districts: dict[int, int]
    response_counts: dict[Cell, int]
    responses: Grouping
    respondents: dict[int, dict[Cell, int]]
    groupings: dict[int, Grouping]
    choices: dict[int, dict[tuple[str, Cell], int]]
    numbers: dict[int, list[tuple[Cell, float]]]
    others: dict[int, list[tuple[Cell, str]]]

    def label(self, block: Block) -> str:
        """A block's name in the current language."""
        if block.kind == DISTRICT:
            return self.district_names.get(block.district_ids[0], "?")
        if block.kind == RESIDUAL:
            names = sorted((self.district_names.get(d, "?") for d in block.district_ids), key=str.casefold)
            return _("weitere Stadtteile: %(names)s", names=", ".join(names))
        district = self.district_names.get(block.district_ids[0], "?")
        if block.kind == CENTRE:
            centre = block.centre_ids[0]
            return self.centre_names.get(centre, "?") if centre is not None else _("ohne Angabe eines Zentrums")
        names = sorted((self.centre_names.get(c, "?") for c in block.centre_ids if c is not None), key=str.casefold)
        if None in block.centre_ids:
            names.append(_("ohne Angabe eines Zentrums"))
        return _("%(district)s: %(names)s", district=district, names=", ".join(names))

    def question(self, question_id: int) -> QuestionDef | None:
        return next((q for q in self.survey.questions if q.id == question_id), None)


async def load_protected(survey_id: int, threshold: int, *, survey: SurveyDef | None = None) -> ProtectedSurvey | None:
    """The protected view of a survey (a fixed handful of grouped queries); None if the survey is unknown."""
    survey = survey or await load_survey(survey_id)
    if survey is None:
        return None
    districts = await list_districts()
    centres = await list_centres()
    response_rows = await Response.select(Response.district, Response.centre, Count()).where(
        Response.survey == survey_id
    ).group_by(Response.district, Response.centre)
    visible = Answer.hidden.eq(False)
    of_survey = Answer.question.survey == survey_id
    district = Answer.response.district.as_alias("district")
    centre = Answer.response.centre.as_alias("centre")
    respondent_rows = await Answer.select(
        Answer.question, district, centre, Count(distinct=[Answer.response], alias="n")
    ).where(of_survey & visible).group_by(Answer.question, Answer.response.district, Answer.response.centre)
    choice_rows = await Answer.select(
        Answer.question, Answer.choice, Answer.response.district.as_alias("district"),
        Answer.response.centre.as_alias("centre"), Count(),
    ).where(of_survey & visible & Answer.choice.is_not_null()).group_by(
        Answer.question, Answer.choice, Answer.response.district, Answer.response.centre
    )
    number_rows = await Answer.select(
        Answer.question, Answer.response.district.as_alias("district"), Answer.response.centre.as_alias("centre"),
        Answer.number,
    ).where(of_survey & visible & (Answer.question.kind == QuestionKind.NUMBER.value) & Answer.number.is_not_null())
    other_rows = await Answer.select(
        Answer.question, Answer.response.district.as_alias("district"), Answer.response.centre.as_alias("centre"),
        Answer.text,
    ).where(of_survey & visible & (Answer.choice == OTHER) & Answer.text.is_not_null()).order_by(Answer.id)

    response_counts: dict[Cell, int] = defaultdict(int)
    for row in response_rows:
        response_counts[(row["district"], row["centre"])] += row["count"]
    respondents: dict[int, dict[Cell, int]] = defaultdict(dict)
    for row in respondent_rows:
        respondents[row["question"]][(row["district"], row["centre"])] = row["n"]
    choices: dict[int, dict[tuple[str, Cell], int]] = defaultdict(dict)
    for row in choice_rows:
        choices[row["question"]][(row["choice"], (row["district"], row["centre"]))] = row["count"]
    numbers: dict[int, list[tuple[Cell, float]]] = defaultdict(list)
    for row in number_rows:
        numbers[row["question"]].append(((row["district"], row["centre"]), row["number"]))
    others: dict[int, list[tuple[Cell, str]]] = defaultdict(list)
    for row in other_rows:
        others[row["question"]].append(((row["district"], row["centre"]), row["text"]))
    return ProtectedSurvey(
        survey=survey, threshold=threshold, closed=survey.status(now()) is SurveyStatus.CLOSED,
        district_names={d.id: d.name for d in districts}, centre_names={c.id: c.name for c in centres},
        centre_districts={c.id: c.district_id for c in centres},
        response_counts=dict(response_counts), responses=group_cells(response_counts, threshold),
        respondents=dict(respondents),
        groupings={q.id: group_cells(respondents.get(q.id, {}), threshold) for q in survey.questions},
        choices=dict(choices), numbers=dict(numbers), others=dict(others),
    )


