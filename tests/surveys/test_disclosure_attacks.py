"""The findings of a careful attacker, replayed: each test does what the attacker did and checks it now yields nothing.

Two rounds: "three districts" (Eglosheim 19, Oßweil 21, Hoheneck 4: Hoheneck's 4 parents are the ones to protect,
and no residual can be formed), and "with residual", where Poppenweiler 3 and Neckarweihingen 3 join, so the three
small districts are shown together as "weitere Stadtteile".
"""

from __future__ import annotations

import itertools

import pytest

from participation import jobs
from participation.surveys.services import exports, themes
from participation.surveys.services.results import free_texts, load_protected, survey_results
from tests.factories import post_form, sign_in, text_of

QUESTIONS = [
    {"key": "betreuung", "kind": "single", "text": "Wie wird Ihr Kind betreut?", "required": True,
     "options": [("kita", "Kita"), ("tagespflege", "Tagespflege"), ("zuhause", "Zu Hause")]},
    {"key": "zufriedenheit", "kind": "scale", "text": "Wie zufrieden sind Sie?", "required": True},
    {"key": "sprachkurs", "kind": "yesno", "text": "Besuchen Sie einen Sprachkurs?"},
    {"key": "stunden", "kind": "number", "text": "Stunden pro Woche?", "min_value": 0, "max_value": 60},
    {"key": "wunsch", "kind": "long_text", "text": "Was wünschen Sie sich?"},
]
WISHES = ["Längere Öffnungszeiten der Kita", "Mehr Plätze in der Kita", "Ein neuer Spielplatz im Park",
          "Der Spielplatz ist kaputt", "Öffnungszeiten bis 18 Uhr"]


class Round:
    survey: int
    round_id: int
    eglosheim: int
    ossweil: int
    hoheneck: int
    poppenweiler: int
    neckarweihingen: int
    centre_eglosheim: int
    centre_hoheneck: int


THREE = {"eglosheim": ("Eglosheim", 19), "ossweil": ("Oßweil", 21), "hoheneck": ("Hoheneck", 4)}
WITH_RESIDUAL = {**THREE, "poppenweiler": ("Poppenweiler", 3), "neckarweihingen": ("Neckarweihingen", 3)}
RESIDUAL = "weitere Stadtteile: Hoheneck, Neckarweihingen, Poppenweiler"


async def build(make, sizes: dict = THREE, *, close: bool = True) -> Round:
    from participation.surveys.services.definition import load_survey

    r = Round()
    r.survey = await make.survey(QUESTIONS)
    r.round_id = (await load_survey(r.survey)).round_id
    counter = itertools.count()
    for attribute, (name, n) in sizes.items():
        district = await make.district(name)
        setattr(r, attribute, district)
        for i in range(n):
            k = next(counter)
            answers = {"betreuung": ["kita", "tagespflege", "zuhause"][k % 3], "zufriedenheit": str(1 + k % 5),
                       "stunden": str(10 + k % 30)}
            if i % 2 == 0:  # only some answer the yes/no question: groups are per question
                answers["sprachkurs"] = "yes" if k % 4 else "no"
            if i % 4 != 3:
                answers["wunsch"] = f"{WISHES[k % 5]} ({name} {i})"
            await make.response(r.survey, district, answers)
    r.centre_eglosheim = await make.centre("KiFaZ Eglosheim", district=r.eglosheim)
    r.centre_hoheneck = await make.centre("KiFaZ Hoheneck", district=r.hoheneck)
    if close:
        await make.close(r.survey)
    return r


def by_key(results):
    return {q.key: q for q in results.questions}


@pytest.mark.parametrize("sizes", [THREE, WITH_RESIDUAL], ids=["three", "with_residual"])
async def test_1_subtracting_the_shown_districts_from_the_city_figures_leaves_nothing(make, sizes):
    r = await build(make, sizes)
    city = by_key(await survey_results(r.survey, threshold=5))
    for question in city.values():
        if question.crosstab is None:
            continue
        # What the attacker did: city total minus every shown column, per option and for the scale sum.
        for row in question.crosstab.rows:
            total = next(o.count for o in question.options if o.value == row.value)
            assert total - sum(row.counts) == 0, (question.key, row.value)
        assert question.respondents - sum(c.respondents for c in question.crosstab.columns) == 0
        # Every column describes at least 5 people who answered this question; no small district stands alone.
        assert all(c.respondents >= 5 for c in question.crosstab.columns)
        assert not any(c.district_name in ("Hoheneck", "Poppenweiler") for c in question.crosstab.columns)
    betreuung = city["betreuung"]
    if sizes is THREE:
        # Hoheneck's 4 people are left out of every figure of the question (the note says so).
        assert [c.district_name for c in betreuung.crosstab.columns] == ["Eglosheim", "Oßweil"]
        assert betreuung.respondents == 40 and "Ohne 4 Antworten" in betreuung.note
    else:
        assert [c.district_name for c in betreuung.crosstab.columns] == ["Eglosheim", "Oßweil", RESIDUAL]
        assert betreuung.respondents == 50
        # Only 2 of Hoheneck's parents answered the yes/no question; the residual of 6 still stands.
        assert [c.respondents for c in city["sprachkurs"].crosstab.columns] == [10, 11, 6]


async def test_1_centre_staff_cannot_pin_their_own_districts_cells(make):
    r = await build(make)
    own = by_key(await survey_results(r.survey, district_id=r.eglosheim, threshold=5))
    city = by_key(await survey_results(r.survey, threshold=5))
    for key, question in own.items():
        if question.crosstab is None and city[key].crosstab is not None:
            column = next(c for c in city[key].crosstab.columns if c.district_id == r.eglosheim)
            assert question.respondents == column.respondents
    # The yes/no question was answered by 10 of Eglosheim's 19: a group of its own, every figure shown.
    assert own["sprachkurs"].respondents == 10 and all(o.count is not None for o in own["sprachkurs"].options)


async def test_2_themes_and_free_texts_never_name_a_small_district(client, make):
    r = await build(make, WITH_RESIDUAL)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    question = next(q for q in (await load_protected(r.survey, 5)).survey.questions if q.key == "wunsch")
    run_id, _job = await themes.start_run(r.survey, question_id=question.id, threshold=5)
    await jobs.run_until_idle()
    run = await themes.get_run(run_id, threshold=5)
    for theme in run.themes:
        names = [name for name, _count in theme.district_shares]
        assert set(names) <= {"Eglosheim", "Oßweil", RESIDUAL}
        assert theme.size - sum(count for _name, count in theme.district_shares) == 0
    listing = await free_texts(r.survey, threshold=5)
    assert {item.district_name for item in listing.items} == {"Eglosheim", "Oßweil", RESIDUAL}
    small = await free_texts(r.survey, district_id=r.hoheneck, threshold=5)
    assert {item.district_name for item in small.items} == {RESIDUAL} and len(small.items) == 9
    export = await exports.results_export(r.survey, threshold=5)
    assert not any(row.group in ("Hoheneck", "Poppenweiler") and row.question_key for row in export.rows)
    csv = (await client.get(f"/verwaltung/umfragen/{r.survey}/export.csv")).content.decode("utf-8-sig")
    assert "Öffnungszeiten" not in csv  # no text can be matched to a row of answers


async def test_3_a_small_district_cannot_be_clustered_alone_and_jobs_are_office_only(client, make):
    r = await build(make)
    await make.office_user()
    await make.centre_user("zentrum@example.org", centre=r.centre_eglosheim)
    question = next(q for q in (await load_protected(r.survey, 5)).survey.questions if q.key == "wunsch")
    with pytest.raises(themes.ThemeError, match="zu wenige Personen"):
        await themes.start_run(r.survey, question_id=question.id, district_id=r.hoheneck, threshold=5)
    await sign_in(client, "buero@example.org")
    refused = await post_form(client, f"/verwaltung/umfragen/{r.survey}/themen",
                              {"target": f"q:{question.id}", "district": str(r.hoheneck)})
    assert refused.status_code in (200, 400) and "zu wenige Personen" in text_of(refused.text)
    _run, job_id = await themes.start_run(r.survey, question_id=question.id, threshold=5)
    await jobs.run_until_idle()
    assert (await client.get(f"/api/jobs/{job_id}")).status_code == 200
    client.cookies.clear()
    await sign_in(client, "zentrum@example.org")
    assert (await client.get(f"/api/jobs/{job_id}")).status_code == 404
    assert (await client.get(f"/auftraege/{job_id}")).status_code == 404


async def test_4_two_snapshots_of_an_open_survey_one_submission_apart_show_the_same_figures(client, make):
    r = await build(make, close=False)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    before = await client.get(f"/verwaltung/umfragen/{r.survey}/ergebnisse")
    await make.response(r.survey, r.hoheneck, {"betreuung": "zuhause", "zufriedenheit": "1"})
    after = await client.get(f"/verwaltung/umfragen/{r.survey}/ergebnisse")
    assert "Ergebnisse erscheinen, wenn sie geschlossen ist" in text_of(after.text)
    strip = lambda html: text_of(html).split("Abmelden")[1]  # noqa: E731 - the CSRF token differs per page
    assert strip(before.text) == strip(after.text)  # Hoheneck 4 → 5 still reads "etwa 5"
    api = (await client.get(f"/api/surveys/{r.survey}/results")).json()
    assert api["pending"] and api["questions"] == []
    assert (await client.get(f"/api/surveys/{r.survey}/results", params={"district": r.hoheneck})).json()[
        "questions"] == []
    assert (await free_texts(r.survey, threshold=5)).suppressed


async def test_5_padding_an_open_survey_shows_the_padder_nothing_until_it_closes(client, make):
    r = await build(make, close=False)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    for _ in range(3):  # three known answers push Hoheneck over the threshold …
        await make.response(r.survey, r.hoheneck, {"betreuung": "kita", "zufriedenheit": "5"})
    page = text_of((await client.get(f"/verwaltung/umfragen/{r.survey}/ergebnisse?district={r.hoheneck}")).text)
    assert "Kita" not in page.split("Antworten bisher")[1]  # … but no figure is shown while the survey is open


async def test_6_sonstiges_min_max_survey_lists_and_centre_summaries(client, make):
    r = await build(make)
    city = by_key(await survey_results(r.survey, threshold=5))
    assert city["stunden"].numbers is not None and not hasattr(city["stunden"].numbers, "maximum")
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = text_of((await client.get(f"/verwaltung/umfragen/{r.survey}/ergebnisse")).text)
    assert "Größter Wert" not in page and "Kleinster Wert" not in page
    # The survey list says "weniger als 5" nowhere in exact numbers: the total is shown, small groups are not.
    listed = (await client.get("/api/surveys")).json()
    assert listed[0]["responses"] == 44
    # The centre summary of Hoheneck's centre gives the same words for every theme, never a 0 or a count.
    from participation.dialogues.services.snapshots import centre_summary_snapshot

    question = next(q for q in (await load_protected(r.survey, 5)).survey.questions if q.key == "wunsch")
    run_id, _job = await themes.start_run(r.survey, question_id=question.id, threshold=5)
    await jobs.run_until_idle()
    for theme in (await themes.get_run(run_id, threshold=5)).themes:
        await themes.accept_suggestion(run_id, theme.id)  # only a confirmed name goes onto an agenda
        await themes.set_agenda_candidate(run_id, theme.id, True)
    summary = await centre_summary_snapshot(r.centre_hoheneck, threshold=5, round_id=r.round_id)
    assert summary["themes"] and all(t["district_count"] is None for t in summary["themes"])
    assert all(f["respondents"] is not None for s in summary["sections"] for f in s["figures"]) or not summary[
        "sections"]


async def test_7_a_large_district_keeps_everything_next_to_a_small_one(client, make):
    r = await build(make)
    own = await survey_results(r.survey, district_id=r.eglosheim, threshold=5)
    assert own.total == 19 and not own.suppressed
    assert all(q.respondents is not None and q.group_label is None for q in own.questions)
    texts = await free_texts(r.survey, district_id=r.eglosheim, threshold=5)
    assert len(texts.items) == 15 and not texts.withheld
    await make.centre_user("zentrum@example.org", centre=r.centre_eglosheim)
    await sign_in(client, "zentrum@example.org")
    dashboard = text_of((await client.get("/zentrum")).text)
    assert "unterdrückt" not in dashboard and "zu wenige Antworten" not in dashboard
    assert "Wie wird Ihr Kind betreut? Antwort Stadtteil Ihr Zentrum Befragte 19 " in dashboard
    assert "Ergebnisse Ihres Zentrums" in dashboard
    from participation.dialogues.services.snapshots import centre_summary_snapshot
    from participation.offerings.services.trends import district_trend

    summary = await centre_summary_snapshot(r.centre_eglosheim, threshold=5, round_id=r.round_id)
    figures = [f for section in summary["sections"] for f in section["figures"]]
    assert len(figures) == 4 and all(f["group"] is None and f["respondents"] for f in figures)
    trend = await district_trend("zufriedenheit", threshold=5, district_id=r.eglosheim)
    assert trend.series["Eglosheim"][0].value is not None
    # Information loss: every (district, question) group with at least 5 answers is shown as its own.
    view = await load_protected(r.survey, 5)
    large = [(d, q.id) for q in view.survey.questions for d in view.district_names
             if sum(n for (cd, _c), n in view.respondents.get(q.id, {}).items() if cd == d) >= 5]
    shown = [(d, q) for d, q in large if view.groupings[q].own_block(d) is not None]
    assert large and len(shown) == len(large)


@pytest.mark.parametrize("neighbours", [3, 6], ids=["small_neighbour", "two_centre_blocks"])
async def test_8_a_centres_figures_next_to_its_districts_never_leave_a_small_centre_to_subtract(
    client, make, neighbours
):
    """Eglosheim: 19 parents name no centre, 12 name "KiFaZ Eglosheim", `neighbours` name the other centre. The
    centre's dashboard shows its own figures next to the district's; with 3 neighbours, district minus centre would
    be those 3 (and their care arrangement "zu Hause"), so the centre gets no figure of its own; with 6 it does."""
    from participation.dialogues.services.snapshots import centre_summary_snapshot
    from participation.surveys.services.audit import audit_round

    r = await build(make, THREE, close=False)
    other = await make.centre("KiFaZ Eglosheim-Nord", district=r.eglosheim)
    for i in range(12):
        await make.response(r.survey, r.eglosheim, {"betreuung": "kita", "zufriedenheit": str(4 + i % 2)},
                            centre=r.centre_eglosheim)
    for _i in range(neighbours):
        await make.response(r.survey, r.eglosheim, {"betreuung": "zuhause", "zufriedenheit": "1"}, centre=other)
    await make.close(r.survey)
    await make.centre_user(centre=r.centre_eglosheim)
    await sign_in(client, "zentrum@example.org")
    summary = await centre_summary_snapshot(r.centre_eglosheim, threshold=5, round_id=r.round_id)
    figures = {f["key"]: f for s in summary["sections"] for f in s["figures"]}
    page = text_of((await client.get("/zentrum")).text)
    district = figures["betreuung"]
    if neighbours == 3:
        assert not any("centre" in f for f in figures.values())
        assert "keine eigene Zahl" in page and "Für dieses Zentrum allein haben zu wenige Personen" in page
    else:
        own = figures["betreuung"]["centre"]
        assert own["respondents"] == 12 and own["options"][0]["count"] == 12
        # District minus centre is a block of 25 (19 without a centre and the 6 neighbours), not the 6 alone.
        assert district["respondents"] - own["respondents"] == 19 + neighbours
        assert "Befragte 37 12" in page.replace("\u202f", " ")
    report = await audit_round(r.round_id, f"centre:{r.centre_eglosheim}", threshold=5)
    assert report.passed, [*report.findings, *report.notes]
    assert ("Zusammenfassung des Zentrums", 0) not in report.sources
