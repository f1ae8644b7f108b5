"""The office's start page: where the current round stands and what is to do next.

The loop of a round (DESIGN.md) is read off what exists: the survey and its window, the responses so far (only the
figures the protected view allows for the survey's state: rounded counts per district while it is open), the theme
runs and the themes picked for the agenda, the session date, the published minutes, and the action items of all
published rounds that still wait for an answer or are past due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from piccolo.query.functions.aggregate import Count

from participation.dialogues.schemas import RoundOut
from participation.dialogues.services.agenda import list_agenda
from participation.dialogues.services.publishing import draft_differs
from participation.dialogues.services.rounds import list_rounds
from participation.dialogues.tables import MinutesVersion
from participation.offerings.schemas import FollowUpStatus
from participation.offerings.services.follow_ups import FollowUpView, _follow_ups, _sorted
from participation.surveys.schemas import SurveyStatus
from participation.surveys.services.definition import load_survey, now
from participation.surveys.services.results import GroupCount, survey_results
from participation.surveys.services.themes import agenda_candidates
from participation.surveys.tables import AnalysisRun

#: How a step of the round stands: done, the one to do now, or one that comes later.
DONE, NOW, LATER = "done", "now", "later"


@dataclass(slots=True)
class SurveyState:
    """The current round's survey as the start page shows it (figures from the protected view only)."""

    id: int
    title: str
    status: SurveyStatus
    opens_at: datetime | None
    closes_at: datetime | None
    #: Responses so far: rounded while open, None where too few to be shown.
    total: int | None
    #: Rounded responses per district while the survey is open; after it closes, the results page has them.
    districts: list[GroupCount] = field(default_factory=list)


@dataclass(slots=True)
class RoundState:
    """Where the current round stands, step by step."""

    round: RoundOut
    survey: SurveyState | None
    theme_runs: int
    themes_picked: int
    agenda_items: int
    minutes_version: int | None
    #: The working copy of the minutes differs from the published version (None: nothing published yet).
    minutes_changed: bool | None

    @property
    def steps(self) -> dict[str, str]:
        """Each step of the loop (survey, answers, themes, session, minutes) as DONE, NOW or LATER."""
        survey = self.survey
        status = survey.status if survey else None
        published = status in (SurveyStatus.SCHEDULED, SurveyStatus.OPEN, SurveyStatus.CLOSED)
        closed = status is SurveyStatus.CLOSED
        session_held = self.round.session_date is not None and self.round.session_date <= date.today()
        minutes_done = self.minutes_version is not None and not self.minutes_changed
        states = {
            "survey": DONE if published else NOW,
            "answers": DONE if closed else (NOW if published else LATER),
            "themes": DONE if self.themes_picked else (NOW if closed else LATER),
            "session": DONE if session_held else (NOW if self.round.session_date is None and published else LATER),
            "minutes": DONE if minutes_done else (NOW if session_held or self.agenda_items else LATER),
        }
        return states


@dataclass(slots=True)
class NextSteps:
    """Everything the office's start page shows."""

    current: RoundState | None
    #: Published action items no one has answered yet (still proposals, no statement).
    unanswered: list[FollowUpView]
    #: Action items not yet implemented or declined whose due date has passed.
    overdue: list[FollowUpView]


async def _survey_state(survey_id: int, threshold: int) -> SurveyState | None:
    survey = await load_survey(survey_id)
    if survey is None:
        return None
    status = survey.status(now())
    state = SurveyState(id=survey.id, title=survey.title("de"), status=status, opens_at=survey.opens_at,
                        closes_at=survey.closes_at, total=None)
    if status in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
        results = await survey_results(survey_id, threshold=threshold)
        if results is not None:
            state.total = results.total
            if results.pending:
                state.districts = results.districts
    return state


async def _round_state(round_: RoundOut, threshold: int) -> RoundState:
    survey = await _survey_state(round_.survey_id, threshold) if round_.survey_id else None
    runs = picked = 0
    if survey is not None:
        runs = (await AnalysisRun.select(Count(alias="n")).where(AnalysisRun.survey == survey.id).first())["n"]
        picked = len(await agenda_candidates(survey.id))
    latest = await MinutesVersion.select(MinutesVersion.number).where(MinutesVersion.round == round_.id).order_by(
        MinutesVersion.number, ascending=False
    ).first()
    return RoundState(
        round=round_, survey=survey, theme_runs=runs, themes_picked=picked,
        agenda_items=len(await list_agenda(round_.id)), minutes_version=latest["number"] if latest else None,
        minutes_changed=await draft_differs(round_.id, threshold=threshold) if latest else None,
    )


async def next_steps(*, threshold: int, today: date | None = None) -> NextSteps:
    """The newest round's state and the action items that wait for an answer or are overdue."""
    rounds = await list_rounds()
    current = await _round_state(rounds[0], threshold) if rounds else None
    follow_ups = _sorted(await _follow_ups())
    unanswered = [v for v in follow_ups if v.status is FollowUpStatus.PROPOSED and not v.statement.strip()]
    overdue = sorted((v for v in follow_ups if v.overdue(today)), key=lambda v: v.due_date or date.min)
    return NextSteps(current=current, unanswered=unanswered, overdue=overdue)
