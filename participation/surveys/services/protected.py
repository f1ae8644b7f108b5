"""The protected view of a survey: its answers counted per cell (district × centre) and the publication plan of
every question (`privacy`). Every figure any role sees is computed from it; nothing else counts responses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from participation.directory.services import list_centres, list_districts
from participation.i18n import gettext as _
from participation.surveys.schemas import QuestionDef, SurveyDef, SurveyStatus
from participation.surveys.services.answering import CHANNELS
from participation.surveys.services.counts import channel_counts, visible_counts
from participation.surveys.services.definition import load_survey, now
from participation.surveys.services.privacy import (
    CENTRE,
    DISTRICT,
    RESIDUAL,
    Block,
    Cell,
    Grouping,
    group_cells,
    is_small,
)


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
    #: Set in a channel view (`load_channel_view`): "online" or "paper"; its figures are those of that channel.
    channel: str | None = None
    #: Channel view: questions whose channel figures are withheld (see `load_channel_view`).
    channel_withheld: frozenset[int] = frozenset()
    #: Channel view: the numbers of responses per group are withheld.
    responses_withheld: bool = False

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


#: The protected views loaded in the current request (see `one_view_per_request`); None outside such a scope.
_views: ContextVar[dict[tuple[int, int], ProtectedSurvey | None] | None] = ContextVar("protected_views", default=None)


@asynccontextmanager
async def one_view_per_request() -> AsyncIterator[None]:
    """Within this scope `load_protected` loads each survey's view once and hands out the same view again.

    For one request that reads several figures of the same survey (the centre dashboard: the summary and a trend per
    key question; trends over several rounds). A view is a snapshot: open the scope only around reading, never
    around a change of answers.
    """
    if _views.get() is not None:
        yield
        return
    token = _views.set({})
    try:
        yield
    finally:
        _views.reset(token)


async def load_protected(survey_id: int, threshold: int, *, survey: SurveyDef | None = None) -> ProtectedSurvey | None:
    """The protected view of a survey (a fixed handful of grouped queries); None if the survey is unknown.

    Inside `one_view_per_request` a survey's view is loaded once and shared. The counts come from `counts`, which
    keeps them so that reading stays cheap at any size; the privacy rules (`group_cells`) and names are applied afresh
    every time.
    """
    views = _views.get()
    if views is None:
        return await _load_protected(survey_id, threshold, survey)
    key = (survey_id, threshold)
    if key not in views:
        views[key] = await _load_protected(survey_id, threshold, survey)
    return views[key]


async def _load_protected(survey_id: int, threshold: int, survey: SurveyDef | None) -> ProtectedSurvey | None:
    survey = survey or await load_survey(survey_id)
    if survey is None:
        return None
    closed = survey.status(now()) is SurveyStatus.CLOSED
    districts = await list_districts()
    centres = await list_centres()
    counts = await visible_counts(survey)
    return ProtectedSurvey(
        survey=survey, threshold=threshold, closed=closed,
        district_names={d.id: d.name for d in districts}, centre_names={c.id: c.name for c in centres},
        centre_districts={c.id: c.district_id for c in centres},
        response_counts=counts.response_counts, responses=group_cells(counts.response_counts, threshold),
        respondents=counts.respondents,
        groupings={q.id: group_cells(counts.respondents.get(q.id, {}), threshold) for q in survey.questions},
        choices=counts.choices, numbers=counts.numbers, others=counts.others,
    )


# --- the figures of one channel (online / paper) ----------------------------------------------------------------------

async def load_channel_view(
    survey_id: int, threshold: int, channel: str, *, survey: SurveyDef | None = None,
) -> ProtectedSurvey | None:
    """The protected view of one channel's responses ("online" or "paper"); None if the survey is unknown.

    Whoever sees a channel's figures also sees the figures of everyone, and can subtract: all − paper = online. So
    a channel view keeps the blocks of the whole view (the same partition: no new difference of two figures is
    finer than a block), and shows a question's figures by channel only when, in every one of its blocks, *each*
    channel's group has either no one or at least `threshold` people. Otherwise the question's channel figures are
    withheld as a whole (`channel_withheld`): a block's figure left out would still follow from the city figure
    minus the others. A district's centre breakdown is kept only where every centre block passes the same test;
    the numbers of responses per group likewise (`responses_withheld`). Answers of cells the whole view leaves out
    are left out here too, and the channel's totals are the sums of the shown blocks.
    """
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    views = await load_channel_views(survey_id, threshold, survey=survey)
    return views[channel] if views is not None else None


async def load_channel_views(
    survey_id: int, threshold: int, *, survey: SurveyDef | None = None,
) -> dict[str, ProtectedSurvey] | None:
    """The views of every channel (see `load_channel_view`), counted once; None if the survey is unknown."""
    base = await load_protected(survey_id, threshold, survey=survey)
    if base is None:
        return None
    split = await channel_counts(base.survey)
    return {channel: _channel_view(base, split, channel) for channel in CHANNELS}


def _channel_view(base: ProtectedSurvey, split: dict, channel: str) -> ProtectedSurvey:
    threshold = base.threshold
    mine = split[channel]
    withheld: set[int] = set()
    groupings: dict[int, Grouping] = {}
    for question in base.survey.questions:
        per_channel = [split[ch].respondents.get(question.id, {}) for ch in CHANNELS]
        grouping = _channel_grouping(base.groupings[question.id], per_channel, CHANNELS.index(channel), threshold)
        if grouping is None:
            withheld.add(question.id)
            grouping = replace(base.groupings[question.id], blocks=(), centre_blocks={})
        groupings[question.id] = grouping
    responses = _channel_grouping(base.responses, [split[ch].response_counts for ch in CHANNELS],
                                  CHANNELS.index(channel), threshold)
    return replace(
        base, response_counts=mine.response_counts,
        responses=responses if responses is not None else replace(base.responses, blocks=(), centre_blocks={}),
        respondents=mine.respondents, groupings=groupings, choices=mine.choices, numbers=mine.numbers,
        others=mine.others, channel=channel, channel_withheld=frozenset(withheld),
        responses_withheld=responses is None,
    )


def _passes(block: Block, per_channel: list[dict[Cell, int]], threshold: int) -> bool:
    """Every channel's group in the block is empty or at least `threshold` people."""
    return not any(is_small(sum(counts.get(cell, 0) for cell in block.cells), threshold) for counts in per_channel)


def _channel_grouping(
    grouping: Grouping, per_channel: list[dict[Cell, int]], index: int, threshold: int,
) -> Grouping | None:
    """The whole view's plan with one channel's numbers, or None when that channel's figures must be withheld."""
    if not grouping.shown:
        return replace(grouping, total=sum(per_channel[index].values()))
    if not all(_passes(block, per_channel, threshold) for block in grouping.blocks):
        return None
    mine = per_channel[index]

    def own(block: Block) -> Block:
        return replace(block, respondents=sum(mine.get(cell, 0) for cell in block.cells))

    blocks = tuple(own(block) for block in grouping.blocks)
    centre_blocks = {
        district: tuple(own(block) for block in parts)
        for district, parts in grouping.centre_blocks.items()
        if all(_passes(block, per_channel, threshold) for block in parts)
    }
    return replace(grouping, blocks=blocks, centre_blocks=centre_blocks,
                   total=sum(block.respondents for block in blocks))
