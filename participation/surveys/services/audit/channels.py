"""The audit of the figures by channel (online / paper): what a role sees of all responses and of each channel,
solved together so that a difference such as "all − paper = online" is part of the attacker's knowledge.

The solver works on cells; here every cell is split in two, one per channel, by a *channel district*: district d of
channel k (0 online, 1 paper) is the number 2·d + k, so the cell (d, c) of channel k is (2·d + k, c). A figure of
all responses counts both halves of its cells, a channel's figure one half. The solver's small groups then are the
channel groups of each district and each centre (and the small ones together), exactly what a channel breakdown
could give away. What the role sees of all responses here are the results pages (city, districts, centres) and the
export; themes, minutes and trends are not broken down by channel and are audited by the main pass.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from participation.i18n import gettext as _
from participation.surveys.services.answering import CHANNELS, ONLINE, PAPER
from participation.surveys.services.audit.collect import CENTRE, OFFICE, Role, _Collector, question_model
from participation.surveys.services.audit.model import Figure, Names, QuestionModel
from participation.surveys.services.privacy import Cell


def channel_cell(cell: Cell, channel: str) -> Cell:
    """The half of a cell that holds one channel's responses."""
    return (2 * cell[0] + CHANNELS.index(channel), cell[1])


class ChannelNames(Names):
    """Names of channel districts and cells for the report: "Eglosheim (Papier)"."""

    def district(self, district_id: int) -> str:
        return f"{super().district(district_id // 2)} ({_channel_label(CHANNELS[district_id % 2])})"

    def cell(self, cell: Cell) -> str:
        if cell[1] is None:
            return _("%(district)s, ohne Angabe eines Zentrums", district=self.district(cell[0]))
        name = self.centres.get(cell[1]) or _("Zentrum %(id)s", id=cell[1])
        return f"{name} ({_channel_label(CHANNELS[cell[0] % 2])})"


def _channel_label(channel: str) -> str:
    return _("Papier") if channel == PAPER else _("online")


class _Split:
    """Counts of a view keyed by channel cells (what `question_model` reads)."""

    def __init__(self, views: dict[str, Any]) -> None:
        self.respondents: dict[int, dict[Cell, int]] = {}
        self.choices: dict[int, dict[tuple[str, Cell], int]] = {}
        self.numbers: dict[int, list[tuple[Cell, float]]] = {}
        for channel, view in views.items():
            for question, counts in view.respondents.items():
                target = self.respondents.setdefault(question, {})
                for cell, n in counts.items():
                    target[channel_cell(cell, channel)] = n
            for question, counts in view.choices.items():
                target = self.choices.setdefault(question, {})
                for (value, cell), n in counts.items():
                    target[(value, channel_cell(cell, channel))] = n
            for question, values in view.numbers.items():
                self.numbers.setdefault(question, []).extend(
                    (channel_cell(cell, channel), value) for cell, value in values)


async def channel_audit(
    view: Any, role: Role, threshold: int, labels: dict[int, dict[str, str]],
) -> tuple[list[QuestionModel], list[Figure], Names, dict[str, int]] | None:
    """The programs of the channel pass: question models over channel cells, every figure the role sees of all
    responses and of each channel, and the names; None when there is nothing by channel to see (no paper
    responses, the survey still open, or the public, who see no results by channel)."""
    from participation.surveys.services import exports
    from participation.surveys.services.counts import has_paper_responses
    from participation.surveys.services.protected import load_channel_views
    from participation.surveys.services.results import survey_results

    if role.kind not in (OFFICE, CENTRE) or not view.closed:
        return None
    survey_id = view.survey.id
    if not await has_paper_responses(survey_id):
        return None
    views = await load_channel_views(survey_id, threshold, survey=view.survey)
    export = await exports.results_export(survey_id, threshold=threshold, view=view) if role.kind == OFFICE else None
    sources: dict[str, int] = {}

    async def seen(source_view: Any, channel: str | None) -> list[Figure]:
        collector = _Collector(source_view, threshold)
        suffix = f" – {_channel_label(channel)}" if channel else ""

        async def results(**where: Any) -> Any:
            return await survey_results(survey_id, threshold=threshold, view=source_view, **where)

        if role.kind == OFFICE:
            collector.results(await results(), _("Ergebnisse (alle Stadtteile)") + suffix)
            for district_id in sorted(view.district_names):
                collector.results(await results(district_id=district_id), _("Ergebnisse eines Stadtteils") + suffix)
            for centre_id in sorted(view.centre_names):
                collector.results(await results(centre_id=centre_id), _("Ergebnisse eines Zentrums") + suffix)
            collector.export(export, _("Export der Ergebnistabellen") + suffix, channel=channel or exports.ALL)
        else:
            district_id = view.centre_districts[role.centre_id]
            collector.results(await results(district_id=district_id), _("Ergebnisse des Stadtteils") + suffix)
            collector.results(await results(centre_id=role.centre_id), _("Ergebnisse des Zentrums") + suffix)
        for source, n in collector.sources.items():
            sources[source] = sources.get(source, 0) + n
        halves = [channel] if channel else list(CHANNELS)
        return [replace(f, cells=frozenset(channel_cell(c, k) for c in f.cells for k in halves))
                for f in collector.figures]

    figures = await seen(view, None)
    for channel in CHANNELS:
        figures += await seen(views[channel], channel)
    split = _Split(views)
    models = [question_model(split, question, labels.get(question.id)) for question in view.survey.questions]
    return models, figures, ChannelNames(view.district_names, view.centre_names), sources


__all__ = ["ONLINE", "PAPER", "ChannelNames", "channel_audit", "channel_cell"]
