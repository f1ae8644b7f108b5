"""Fixtures for offering plans and follow-ups: two centres in two districts,
a round whose minutes are published with action items for each centre and the city."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest


@dataclass
class Loop:
    round_id: int
    survey_id: int
    district_a: int
    district_b: int
    centre_a: int
    centre_b: int
    office: int
    staff_a: int
    staff_b: int
    action_a: int
    action_a2: int
    action_b: int
    action_city: int


async def publish_round_with_actions(round_id: int, actions: list[tuple[str, int | None, date | None]]) -> list[int]:
    """Add action items to a round and publish its minutes; returns the action ids."""
    from participation.dialogues.services.actions import ActionInput, add_action
    from participation.dialogues.services.agenda import add_free_item, list_agenda
    from participation.dialogues.services.publishing import publish_minutes

    if not await list_agenda(round_id):
        await add_free_item(round_id, "Rückblick und Ausblick")
    ids = [
        await add_action(round_id, ActionInput(title=title, centre_id=centre, due_date=due))
        for title, centre, due in actions
    ]
    await publish_minutes(round_id, public=True, threshold=5)
    return ids


@pytest.fixture
async def loop(make) -> Loop:
    district_a = await make.district("Eglosheim")
    district_b = await make.district("Oßweil")
    centre_a = await make.centre("Kinder- und Familienzentrum Eglosheim", district=district_a)
    centre_b = await make.centre("Kinder- und Familienzentrum Oßweil", district=district_b)
    office = await make.office_user("buero@example.org")
    staff_a = await make.centre_user("zentrum@example.org", centre=centre_a)
    staff_b = await make.centre_user("zentrum-b@example.org", centre=centre_b)
    survey_id = await make.survey()
    from participation.surveys.services.definition import load_survey

    round_id = (await load_survey(survey_id)).round_id
    yesterday = date.today() - timedelta(days=1)
    a, a2, b, city = await publish_round_with_actions(round_id, [
        ("Elterncafé am Samstag", centre_a, yesterday),
        ("Sprachkurs für Mütter", centre_a, date.today() + timedelta(days=60)),
        ("Längere Öffnungszeiten", centre_b, None),
        ("Mehr Kitaplätze im Stadtteil", None, yesterday),
    ])
    return Loop(round_id=round_id, survey_id=survey_id, district_a=district_a, district_b=district_b,
                centre_a=centre_a, centre_b=centre_b, office=office, staff_a=staff_a, staff_b=staff_b,
                action_a=a, action_a2=a2, action_b=b, action_city=city)
