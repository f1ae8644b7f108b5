"""Reading a large survey (issue 12): the API's results tables in cursor pages, the free texts in pages with search,
and each survey's protected view counted once per request (the kept counts under it: test_kept_counts.py).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from participation.surveys.controllers import results as results_controller
from participation.surveys.services import protected
from tests.factories import sign_in, text_of
from tests.offerings.test_trends import _two_rounds

TEXTS = [f"Wunsch Nummer {n:02d}" for n in range(7)] + ["Mehr Kita-Plätze", "Kita länger offen"]


async def _closed_with_texts(make):
    survey = await make.survey()
    nord = await make.district("Nord")
    for text in TEXTS:
        await make.response(survey, nord, {"betreuung": "kita", "zufriedenheit": "4", "anregung": text})
    await make.close(survey)
    return survey, nord


@pytest.fixture
def counted_loads(monkeypatch):
    """Every protected view loaded from the database (not handed out again), by survey id."""
    loads: Counter[int] = Counter()
    load = protected._load_protected

    async def counting(survey_id, threshold, survey):
        loads[survey_id] += 1
        return await load(survey_id, threshold, survey)

    monkeypatch.setattr(protected, "_load_protected", counting)
    return loads


# --- API: cursor pages ---------------------------------------------------------------------------------------------

async def test_api_tables_come_in_cursor_pages_without_gaps_or_duplicates(client, make):
    survey, _nord = await _closed_with_texts(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    whole = (await client.get(f"/api/surveys/{survey}/tables")).json()
    assert whole["next_cursor"] is None and len(whole["rows"]) > 6
    pages, cursor = [], None
    while True:
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(f"/api/surveys/{survey}/tables", params=params)).json()
        assert len(page["rows"]) <= 4
        pages.append(page["rows"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(pages) == -(-len(whole["rows"]) // 4)
    assert [row for rows in pages for row in rows] == whole["rows"]


@pytest.mark.parametrize("cursor", ["kaputt", "eyJzdXJ2ZXkiOjEsImFmdGVyIjotMX0", "eyJ4IjoxfQ", "%%%", "e30"])
async def test_api_refuses_a_cursor_it_did_not_hand_out(client, make, cursor):
    survey, _nord = await _closed_with_texts(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    response = await client.get(f"/api/surveys/{survey}/tables", params={"cursor": cursor})
    assert response.status_code == 400
    assert "Cursor ist ungültig" in response.json()["detail"]


async def test_api_refuses_a_cursor_of_another_survey_and_a_bad_limit(client, make):
    survey, nord = await _closed_with_texts(make)
    other = await make.survey(round_id=await make.round("autumn", 2027))
    for _ in range(6):
        await make.response(other, nord, {"betreuung": "kita", "zufriedenheit": "2"})
    await make.close(other)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    cursor = (await client.get(f"/api/surveys/{other}/tables", params={"limit": 2})).json()["next_cursor"]
    assert cursor
    assert (await client.get(f"/api/surveys/{survey}/tables", params={"cursor": cursor})).status_code == 400
    for limit in ("0", "-1", "abc", "100000"):
        assert (await client.get(f"/api/surveys/{survey}/tables", params={"limit": limit})).status_code == 400


# --- free texts in pages -------------------------------------------------------------------------------------------

def _listed(html: str) -> list[str]:
    return [t for t in TEXTS if t in text_of(html)]


async def test_free_texts_come_in_pages_that_together_list_every_text_once(client, make, monkeypatch):
    monkeypatch.setattr(results_controller, "FREE_TEXTS_PER_PAGE", 4)
    survey, _nord = await _closed_with_texts(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    url = f"/verwaltung/umfragen/{survey}/freitext"
    first = await client.get(url)
    assert first.status_code == 200
    assert "9 Antworten" in text_of(first.text) and "Seite 1 von 3" in text_of(first.text)
    assert 'rel="next"' in first.text and 'rel="prev"' not in first.text
    seen = []
    for number in (1, 2, 3):
        page = await client.get(url, params={"seite": str(number)})
        listed = _listed(page.text)
        assert len(listed) == (4 if number < 3 else 1)
        seen += listed
    assert sorted(seen) == sorted(TEXTS)
    # A page past the end shows the last one; a page that is no number is refused with a message.
    assert _listed((await client.get(url, params={"seite": "99"})).text) == _listed(
        (await client.get(url, params={"seite": "3"})).text)
    for bad in ("0", "abc", "-2", "1.5", "99999999999999999999"):
        response = await client.get(url, params={"seite": bad})
        assert response.status_code == 400 and "Seitenzahl" in response.text, bad


async def test_search_pages_through_the_matches_only(client, make, monkeypatch):
    monkeypatch.setattr(results_controller, "FREE_TEXTS_PER_PAGE", 1)
    survey, _nord = await _closed_with_texts(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    url = f"/verwaltung/umfragen/{survey}/freitext"
    first = await client.get(url, params={"suche": "kita"})
    assert "2 Antworten" in text_of(first.text) and "Seite 1 von 2" in text_of(first.text)
    next_link = re.search(r'href="\?([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    assert "suche=kita" in next_link and "seite=2" in next_link
    second = await client.get(f"{url}?{next_link}")
    assert sorted(_listed(first.text) + _listed(second.text)) == ["Kita länger offen", "Mehr Kita-Plätze"]


async def test_hiding_on_a_later_page_returns_to_that_page(client, make, monkeypatch):
    monkeypatch.setattr(results_controller, "FREE_TEXTS_PER_PAGE", 4)
    survey, _nord = await _closed_with_texts(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    page = await client.get(f"/verwaltung/umfragen/{survey}/freitext", params={"seite": "2"})
    answer = re.search(r'id="antwort-(\d+)"', page.text).group(1)
    assert '<input type="hidden" name="seite" value="2">' in page.text
    response = await client.post(f"/verwaltung/umfragen/{survey}/freitext/{answer}/ausblenden",
                                 data={"_csrf_token": client.cookies["fd_csrf"], "seite": "2"})
    assert response.status_code in (302, 303)
    assert "seite=2" in response.headers["location"]


# --- one protected view per request --------------------------------------------------------------------------------

async def test_results_page_loads_the_protected_view_once(client, make, counted_loads):
    survey, _nord = await _closed_with_texts(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    assert (await client.get(f"/verwaltung/umfragen/{survey}/ergebnisse")).status_code == 200
    assert counted_loads == {survey: 1}


async def test_centre_dashboard_loads_each_surveys_view_once(client, make, counted_loads):
    a, _b, _c = await _two_rounds(make)
    centre = await make.centre("Kinder- und Familienzentrum Eglosheim", district=a)
    await make.centre_user(centre=centre)
    await sign_in(client, "zentrum@example.org")
    page = await client.get("/zentrum")
    assert page.status_code == 200 and "Entwicklung über die Runden" in text_of(page.text)
    # Both rounds' surveys are read (summary and two trend keys), each loaded once.
    assert len(counted_loads) == 2 and set(counted_loads.values()) == {1}


async def test_office_trends_load_each_surveys_view_once(client, make, counted_loads):
    await _two_rounds(make)
    await make.office_user()
    await sign_in(client, "buero@example.org")
    assert (await client.get("/verwaltung/trends")).status_code == 200
    assert len(counted_loads) == 2 and set(counted_loads.values()) == {1}
