"""The parents' form never depends on state a parent cannot see: a lost cookie loses no answers, the page's language
stays, and a form that did not come from this site saves nothing."""

from __future__ import annotations

import re

from participation.surveys.tables import Answer, Response
from tests.factories import text_of


def _form_fields(html: str) -> list[tuple[str, str]]:
    """Every hidden field of the page's form, as a browser would send them back."""
    return [(m.group(1), m.group(2).replace("&amp;", "&"))
            for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)]


async def _post(client, url: str, pairs: list[tuple[str, str]], **kwargs):
    """POST the fields like a browser, with no token of our own (the page's hidden fields carry the form's)."""
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return await client.post(url, data=data, **kwargs)


async def test_a_submission_succeeds_after_the_cookie_jar_is_cleared_mid_form(client, make):
    district = await make.district("Eglosheim")
    survey = await make.survey()
    first = await client.get(f"/umfrage/{survey}/antworten")
    assert "fd_csrf" in client.cookies
    page_two = await _post(client, f"/umfrage/{survey}/antworten", [
        *_form_fields(first.text), ("district", str(district)), ("nav", "next")])
    assert page_two.status_code == 200 and "Seite 2 von 2" in page_two.text
    client.cookies.clear()  # the browser lost or expired every cookie while the parent was answering
    done = await _post(client, f"/umfrage/{survey}/antworten", [
        *_form_fields(page_two.text), ("q_betreuung", "kita"), ("q_zufriedenheit", "4"),
        ("q_anregung", "Mehr Plätze"), ("nav", "submit")])
    assert done.status_code == 303, text_of(done.text)
    assert await Response.count() == 1
    stored = {a["question.key"]: a["text"] or a["choice"] for a in await Answer.select(Answer.question.key,
                                                                                      Answer.choice, Answer.text)}
    assert stored == {"betreuung": "kita", "zufriedenheit": "4", "anregung": "Mehr Plätze"}


async def test_the_form_keeps_its_language_without_the_language_cookie(client, make):
    from participation.surveys.services import definition

    district = await make.district()
    survey = await make.survey()
    loaded = await definition.load_survey(survey)
    await definition.save_translation(survey, "ar", {name: f"AR {text}" for name, text in
                                                     definition.translatable_texts(loaded)})
    first = await client.get(f"/umfrage/{survey}/antworten?lang=ar")
    assert '<html lang="ar" dir="rtl"' in first.text
    client.cookies.clear()
    page_two = await _post(client, f"/umfrage/{survey}/antworten", [
        *_form_fields(first.text), ("district", str(district)), ("nav", "next")])
    assert '<html lang="ar" dir="rtl"' in page_two.text
    assert "AR Wie wird Ihr Kind betreut?" in page_two.text


async def test_switching_the_language_mid_form_keeps_the_answers(client, make):
    from participation.surveys.services import definition

    district = await make.district()
    survey = await make.survey()
    loaded = await definition.load_survey(survey)
    await definition.save_translation(survey, "tr", {name: f"TR {text}" for name, text in
                                                     definition.translatable_texts(loaded)})
    first = await client.get(f"/umfrage/{survey}/antworten")
    page_two = await _post(client, f"/umfrage/{survey}/antworten", [
        *_form_fields(first.text), ("district", str(district)), ("nav", "next")])
    assert 'name="switch_lang" value="tr"' in page_two.text  # the switcher is on every page of the form
    switched = await _post(client, f"/umfrage/{survey}/antworten", [
        *_form_fields(page_two.text), ("q_anregung", "Mehr Plätze"), ("switch_lang", "tr")])
    assert switched.status_code == 200
    assert '<html lang="tr"' in switched.text and "TR Wie wird Ihr Kind betreut?" in switched.text
    assert "Seite 2 von 2" not in switched.text and "Mehr Plätze" in switched.text  # same page, answer kept
    assert await Response.count() == 0


async def test_a_form_posted_from_another_site_saves_nothing_and_keeps_the_answers(client, make):
    district = await make.district()
    survey = await make.survey()
    first = await client.get(f"/umfrage/{survey}/antworten")
    fields = [*_form_fields(first.text), ("page", "1"), ("district", str(district)), ("q_betreuung", "kita"),
              ("q_zufriedenheit", "4"), ("q_anregung", "Von woanders"), ("nav", "submit")]
    forged = await _post(client, f"/umfrage/{survey}/antworten", fields,
                               headers={"Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 400
    assert "senden Sie sie noch einmal" in text_of(forged.text) and "Von woanders" in forged.text
    unsigned = await _post(client, f"/umfrage/{survey}/antworten", [
        (name, "0" * 128 if name == "_csrf_token" else value) for name, value in fields])
    assert unsigned.status_code == 400
    assert await Response.count() == 0
    again = await _post(client, f"/umfrage/{survey}/antworten", [
        *[(n, v) for n, v in fields if n != "_csrf_token"], ("_csrf_token", re.search(
            r'name="_csrf_token" value="([^"]+)"', forged.text).group(1))])
    assert again.status_code == 303  # the page that came back carries a genuine token: one more click saves
    assert await Response.count() == 1


async def test_a_wrong_or_used_code_is_refused_on_the_start_page_where_it_is_typed(client, make):
    from participation.surveys.services.codes import generate_codes

    district = await make.district()
    centre = await make.centre(district=district)
    survey = await make.survey(uses_codes=True)
    [code] = await generate_codes(survey, centre, 1)
    wrong = await client.get(f"/umfrage/{survey}/antworten", params={"code": "FALSCH-1"})
    assert wrong.status_code == 400
    assert "Umfrage beginnen" in wrong.text  # still the start page: nothing answered in vain
    assert "Dieser Einladungscode wurde schon benutzt oder ist ungültig." in text_of(wrong.text)
    assert 'aria-invalid="true" autofocus' in wrong.text and 'value="FALSCH-1"' in wrong.text
    empty = await client.get(f"/umfrage/{survey}/antworten", params={"code": ""})
    assert empty.status_code == 400 and "Bitte geben Sie Ihren Einladungscode ein." in text_of(empty.text)
    right = await client.get(f"/umfrage/{survey}/antworten", params={"code": code})
    assert right.status_code == 200 and "Ihr Stadtteil" in right.text
    from participation.surveys.services.codes import consume_code

    assert await consume_code(survey, code)  # another parent answered with this code meanwhile
    used = await client.get(f"/umfrage/{survey}/antworten", params={"code": code})
    assert used.status_code == 400 and "schon benutzt" in text_of(used.text)


async def test_wrong_codes_on_the_start_page_are_throttled(client, app, make):
    district = await make.district()
    await make.centre(district=district)
    survey = await make.survey(uses_codes=True)
    statuses = [(await client.get(f"/umfrage/{survey}/antworten", params={"code": f"FALSCH-{n}"})).status_code
                for n in range(12)]
    assert statuses[0] == 400 and statuses[-1] == 429
    limited = await client.get(f"/umfrage/{survey}/antworten", params={"code": "FALSCH-X"})
    assert "zu viele ungültige Einladungscodes" in text_of(limited.text) and "Retry-After" in limited.headers


async def test_start_card_and_thank_you_page_tell_a_parent_where_they_are_and_what_comes_next(client, make):
    from datetime import date

    from participation.dialogues.services.rounds import update_round

    round_id = await make.round("autumn", 2027)
    await update_round(round_id, session_date=date(2027, 11, 20), session_venue="Forum am Schlosspark (Saal 2)")
    survey = await make.survey(round_id=round_id)
    from participation.surveys.services import definition

    loaded = await definition.load_survey(survey)
    await definition.save_translation(survey, "en", {name: f"EN {text}" for name, text in
                                                     definition.translatable_texts(loaded)})
    home = text_of((await client.get("/?lang=en")).text)
    assert "Autumn 2027" in home
    start = await client.get(f"/umfrage/{survey}?lang=de")
    shown = text_of(start.text)
    assert "Familiendialog Herbst 2027" in shown and "Sie können bis" in shown and "Umfrage beginnen" in shown
    english = text_of((await client.get(f"/umfrage/{survey}?lang=en")).text)
    assert "Autumn 2027" in english and "Herbst" not in english
    thanks = await client.get(f"/umfrage/{survey}/danke?lang=de")
    assert "20. November 2027" in text_of(thanks.text)
    assert "<bdi>Forum am Schlosspark (Saal 2)</bdi>" in thanks.text
    assert re.search(r'<a href="/was-wurde-aus-ihren-anregungen/?">Was ist aus Ihren Anregungen geworden\?</a>',
                     thanks.text)
