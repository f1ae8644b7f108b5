"""Results by channel (online / paper): shown only where no small group follows from them and the figures of all
responses; the export carries the channel; the kept counts stay right."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from participation.surveys.services import exports
from participation.surveys.services.definition import reopen_survey
from participation.surveys.services.protected import load_channel_view
from participation.surveys.services.results import survey_results
from tests.factories import sign_in, text_of

ANSWERS = [{"betreuung": "kita", "zufriedenheit": "4"}, {"betreuung": "zuhause", "zufriedenheit": "2"},
           {"betreuung": "tagespflege", "zufriedenheit": "5"}]


async def _respond(make, survey, district, n, channel, centre=None):
    for i in range(n):
        await make.response(survey, district, ANSWERS[i % 3], channel=channel, centre=centre)


async def _survey(make, sizes):
    """sizes: {district name: (online, paper)}; the survey is closed."""
    survey = await make.survey()
    districts = {}
    for name, (online, paper) in sizes.items():
        districts[name] = district = await make.district(name)
        await _respond(make, survey, district, online, "online")
        await _respond(make, survey, district, paper, "paper")
    await make.close(survey)
    return survey, districts


def _question(results, key):
    return next(q for q in results.questions if q.key == key)


async def test_paper_figures_are_shown_when_every_group_is_empty_or_large_enough(make):
    survey, _districts = await _survey(make, {"Nord": (10, 5), "Süd": (7, 0)})
    paper = await survey_results(survey, threshold=5, channel="paper")
    question = _question(paper, "betreuung")
    assert question.respondents == 5
    assert {c.district_name: c.respondents for c in question.crosstab.columns} == {"Nord": 5, "Süd": 0}
    online = await survey_results(survey, threshold=5, channel="online")
    assert _question(online, "betreuung").respondents == 17
    assert paper.total == 5 and online.total == 17
    assert {d.name: d.count for d in paper.districts} == {"Nord": 5, "Süd": 0}
    everyone = await survey_results(survey, threshold=5)
    assert _question(everyone, "betreuung").respondents == 22


async def test_a_paper_group_of_two_withholds_the_channel_figures_of_the_question(make):
    survey, districts = await _survey(make, {"Nord": (8, 2), "Süd": (10, 6)})
    everyone = await survey_results(survey, threshold=5)
    assert {c.district_name: c.respondents for c in _question(everyone, "betreuung").crosstab.columns} == \
        {"Nord": 10, "Süd": 16}
    for channel in ("paper", "online"):
        data = await survey_results(survey, threshold=5, channel=channel)
        for question in (q for q in data.questions if q.key in ("betreuung", "zufriedenheit")):
            assert question.respondents is None and not question.options and question.crosstab is None
            assert "keine Zahlen nach Eingangsweg" in question.note
        assert data.total is None and not data.districts and "nicht gezeigt" in data.channel_note
        nord = await survey_results(survey, threshold=5, channel=channel, district_id=districts["Nord"])
        assert _question(nord, "betreuung").respondents is None and nord.total is None


async def test_an_attacker_with_every_page_and_export_cannot_compute_a_paper_group_of_two(client, make):
    """The attack: Nord has 8 online and 2 paper answers. Whatever the office can read (the results pages for all
    responses and each channel, city and per district, and the export), subtract and add: Nord's paper answers
    (2) must not follow."""
    survey, districts = await _survey(make, {"Nord": (8, 2), "Süd": (10, 6)})
    await make.office_user()
    await sign_in(client, "buero@example.org")
    published: dict[tuple[str, str, str], int] = {}  # (channel, group, measure) -> value
    content = (await client.get(f"/verwaltung/umfragen/{survey}/export.csv")).content.decode("utf-8-sig")
    for row in list(csv.reader(io.StringIO(content), delimiter=";"))[1:]:
        if row[0] in ("", "betreuung") and row[4]:
            published[(row[7], row[2], row[3] if row[0] else "Antworten")] = int(row[4])
    for kanal, channel in (("", "alle"), ("online", "online"), ("papier", "Papier")):
        for district in ("", *map(str, districts.values())):
            page = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse",
                                    params={"kanal": kanal, "district": district})
            assert page.status_code == 200
            if channel != "alle":
                assert "Für diese Frage werden keine Zahlen nach Eingangsweg gezeigt" in text_of(page.text)
    # Every channel figure the attacker could combine: Nord's paper = all − online, or city paper − Süd paper.
    nord_paper = [
        published.get(("alle", "Nord", "Befragte"), 0) - published[("online", "Nord", "Befragte")]
        if ("online", "Nord", "Befragte") in published else None,
        published[("Papier", "Alle ausgewiesenen Stadtteile", "Befragte")]
        - published.get(("Papier", "Süd", "Befragte"), 0)
        if ("Papier", "Alle ausgewiesenen Stadtteile", "Befragte") in published else None,
        published.get(("Papier", "Nord", "Befragte")), published.get(("Papier", "Nord", "Antworten")),
    ]
    assert nord_paper == [None, None, None, None]
    assert not any(key[0] != "alle" for key in published), "no channel figure at all in this survey"
    assert published[("alle", "Nord", "Befragte")] == 10  # the figures of all responses are still there


async def test_the_export_carries_the_channel(make):
    survey, _districts = await _survey(make, {"Nord": (10, 5), "Süd": (7, 0)})
    data = await exports.results_export(survey, threshold=5)
    rows = [exports._cells(row) for row in data.rows]
    assert exports.header()[-1] == "Eingangsweg"
    assert ["betreuung", "Wie wird Ihr Kind betreut?", "Nord", "Befragte", 5, None, None, "Papier"] in rows
    assert ["betreuung", "Wie wird Ihr Kind betreut?", "Nord", "Befragte", 10, None, None, "online"] in rows
    assert ["betreuung", "Wie wird Ihr Kind betreut?", "Nord", "Befragte", 15, None, None, "alle"] in rows


async def test_channel_figures_wait_for_the_survey_to_close(make):
    survey = await make.survey()
    district = await make.district("Nord")
    await _respond(make, survey, district, 6, "paper")
    data = await survey_results(survey, threshold=5, channel="paper")
    assert data.suppressed and data.total is None and not data.districts


async def test_channel_counts_add_up_after_new_answers_and_hiding(make):
    """The kept counts (a snapshot) and the directly counted paper answers always add up to all answers."""
    survey, districts = await _survey(make, {"Nord": (10, 5)})
    before = await load_channel_view(survey, 5, "paper")
    assert sum(before.response_counts.values()) == 5
    await reopen_survey(survey, datetime.now(UTC) + timedelta(days=1))
    await _respond(make, survey, districts["Nord"], 3, "paper")
    await _respond(make, survey, districts["Nord"], 2, "online")
    await make.close(survey)
    paper = await load_channel_view(survey, 5, "paper")
    online = await load_channel_view(survey, 5, "online")
    assert sum(paper.response_counts.values()) == 8 and sum(online.response_counts.values()) == 12
    question = next(q for q in paper.survey.questions if q.key == "betreuung")
    assert sum(paper.choices[question.id].values()) == 8
    assert sum(online.choices[question.id].values()) == 12


async def test_an_unknown_channel_is_a_400_with_a_message(client, make):
    survey, _districts = await _survey(make, {"Nord": (10, 5)})
    await make.office_user()
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse", params={"kanal": "fax"})
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eingangsweg aus der Liste." in response.text
    page = await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse", params={"kanal": "papier"})
    assert page.status_code == 200 and "Eingangsweg: Papier" in text_of(page.text)


# --- the audit sees the figures by channel -------------------------------------------------------------------------

async def _audit_survey(make, sizes):
    from participation.surveys.services.definition import load_survey

    survey, districts = await _survey(make, sizes)
    centre = await make.centre("Zentrum Nord", district=districts["Nord"])
    await make.centre_user(centre=centre)
    return (await load_survey(survey)).round_id, centre


async def test_the_audit_finds_nothing_when_a_paper_group_of_two_is_withheld(make):
    from participation.surveys.services.audit import audit_round

    round_id, centre = await _audit_survey(make, {"Nord": (8, 2), "Süd": (10, 6)})
    for role in ("office", f"centre:{centre}"):
        report = await audit_round(round_id, role, threshold=5)
        assert report.passed, report.findings
        assert any("Eingangsweg" in note for note in report.notes)


async def test_the_audit_finds_nothing_when_paper_figures_are_shown(make):
    from participation.surveys.services.audit import audit_round

    round_id, _centre = await _audit_survey(make, {"Nord": (10, 5), "Süd": (7, 0)})
    report = await audit_round(round_id, "office", threshold=5)
    assert report.passed, report.findings
    assert any("Papier" in source for source, _n in report.sources)


async def test_the_audit_would_find_channel_figures_that_leak_a_paper_group_of_two(make, monkeypatch):
    """Break the rule on purpose (every block passes): the audit must find the paper group of two."""
    from participation.surveys.services import protected
    from participation.surveys.services.audit import audit_round

    round_id, _centre = await _audit_survey(make, {"Nord": (8, 2), "Süd": (10, 6)})
    monkeypatch.setattr(protected, "_passes", lambda block, per_channel, threshold: True)
    report = await audit_round(round_id, "office", threshold=5)
    assert not report.passed
    assert any("Nord (Papier)" in issue.group or "Nord (online)" in issue.group for issue in report.findings)


async def test_the_api_gives_channel_figures_under_the_same_rule(client, make):
    survey, _districts = await _survey(make, {"Nord": (8, 2), "Süd": (10, 6)})
    await make.office_user()
    await sign_in(client, "buero@example.org")
    data = (await client.get(f"/api/surveys/{survey}/results", params={"channel": "paper"})).json()
    betreuung = next(q for q in data["questions"] if q["key"] == "betreuung")
    assert data["channel"] == "paper" and betreuung["respondents"] is None and betreuung["options"] == []
    assert (await client.get(f"/api/surveys/{survey}/results", params={"channel": "fax"})).status_code == 400
    everyone = (await client.get(f"/api/surveys/{survey}/results")).json()
    assert next(q for q in everyone["questions"] if q["key"] == "betreuung")["respondents"] == 26
