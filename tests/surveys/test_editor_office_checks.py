"""The editor's checks before and while building a round: empty sections, keys across rounds, the parents' link."""

from __future__ import annotations

import pytest

from participation.surveys.schemas import QuestionKind
from participation.surveys.services import definition
from tests.factories import post_form, sign_in, text_of


async def test_a_survey_with_an_empty_section_is_not_published_and_says_which(client, make):
    survey_id = await make.survey(published=False)
    await definition.add_section(survey_id, "Fördermöglichkeiten")
    await make.office_user()
    await sign_in(client, "buero@example.org")
    response = await post_form(client, f"/verwaltung/umfragen/{survey_id}/veroeffentlichen",
                               {"opens_at": "2026-01-01T08:00", "closes_at": "2099-01-01T08:00"})
    assert response.status_code == 400
    assert "Der Abschnitt „Fördermöglichkeiten“ hat noch keine Frage." in text_of(response.text)
    assert not (await definition.load_survey(survey_id)).published


async def test_a_key_used_in_an_earlier_round_with_another_kind_is_refused(make):
    autumn = await make.round("autumn", 2026)
    await make.survey([{"key": "zufriedenheit", "kind": "scale", "text": "Wie zufrieden sind Sie?"}],
                      round_id=autumn)
    spring = await make.survey([], published=False)
    section = (await definition.load_survey(spring)).sections[0].id
    with pytest.raises(definition.SurveyError) as refused:
        await definition.save_question(spring, section, None, definition.QuestionInput(
            key="zufriedenheit", kind=QuestionKind.YESNO, text="Sind Sie zufrieden?"))
    assert refused.value.field == "key"
    assert "Herbst 2026" in str(refused.value) and "Skala" in str(refused.value)
    # The same key with the same kind is what trends need, and is fine.
    await definition.save_question(spring, section, None, definition.QuestionInput(
        key="zufriedenheit", kind=QuestionKind.SCALE, text="Wie zufrieden sind Sie jetzt?"))


async def test_the_editor_and_the_start_page_show_the_parents_link_and_its_qr_code(client, make, settings):
    survey_id = await make.survey()
    await make.office_user()
    await sign_in(client, "buero@example.org")
    link = f"{settings.base_url}/umfrage/{survey_id}"
    editor = await client.get(f"/verwaltung/umfragen/{survey_id}")
    assert f'<a href="{link}">{link}</a>' in editor.text
    assert f'src="/verwaltung/umfragen/{survey_id}/qr.svg"' in editor.text
    assert f'<a href="{link}">' in (await client.get("/verwaltung")).text
    qr = await client.get(f"/verwaltung/umfragen/{survey_id}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg+xml")
    assert qr.text.lstrip().startswith(("<?xml", "<svg")) and "<path" in qr.text


async def test_the_question_bank_offers_every_earlier_rounds_keys_and_fills_the_form(client, make):
    older = await make.round("spring", 2026)
    await make.survey([{"key": "kinder_anzahl", "kind": "number", "text": "Wie viele Kinder?"}], round_id=older)
    previous = await make.round("autumn", 2026)
    await make.survey([{"key": "zufriedenheit", "kind": "scale", "text": "Wie zufrieden sind Sie?",
                        "low_label": "gar nicht", "high_label": "sehr"}], round_id=previous)
    survey_id = await make.survey([{"key": "zufriedenheit", "kind": "scale", "text": "Schon da?"}],
                                  published=False)
    section = (await definition.load_survey(survey_id)).sections[0].id
    await make.office_user()
    await sign_in(client, "buero@example.org")
    url = f"/verwaltung/umfragen/{survey_id}/abschnitte/{section}/fragen/neu"
    page = (await client.get(url)).text
    bank = page.split('<select id="vorlage" name="vorlage">')[1].split("</select>")[0]
    # Not only the previous round: the spring 2026 question is offered too; a key already asked here is not.
    assert "kinder_anzahl: Wie viele Kinder? (Zahl" in bank and "Frühjahr 2026" in bank
    assert "zufriedenheit" not in bank
    chosen = bank.split('<option value="')[1].split('"')[0]
    filled = (await client.get(f"{url}?vorlage={chosen}")).text
    assert 'value="kinder_anzahl"' in filled and "Wie viele Kinder?</textarea>" in filled
    assert (await client.get(f"{url}?vorlage=999999")).status_code == 404
