"""A second city installs the platform from scratch: "Musterstadt", its own districts and centres, no demo data.

From the first-run page through the office's master-data pages to a published survey a parent answers; then every
page the office, a centre's staff and parents (in every language) can reach by following links is read, and none
names the model city.
"""

from __future__ import annotations

import html
import re
from collections import deque
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tests.dialogues.helpers import pdf_text
from tests.factories import PASSWORD, post_form, sign_in, text_of
from tests.site.test_settings import ACCOUNT, SETTINGS, png, post_multipart

MODEL_CITY = re.compile(r"Ludwigsburg|Людвигсбург|Людвігсбург|لودفيغسبورغ", re.IGNORECASE)
LINK = re.compile(r'(?:href|src)="(/[^"#]*)')
#: Links the crawl does not follow: signing out would end it, static files name no city.
SKIPPED = ("/abmelden", "/static/", "/konto/ueberall-abmelden")
BERLIN = ZoneInfo("Europe/Berlin")

DISTRICTS = ["Altstadt", "Am Hafen", "Nordviertel"]
CENTRES = [("Familienzentrum Hafenkante", "Am Hafen"), ("Familienzentrum Lindenhof", "Altstadt"),
           ("Familienzentrum Nord", "Nordviertel")]


async def crawl(client, start: list[str], limit: int = 400) -> tuple[set[str], list[str]]:
    """Every same-site URL reachable from `start` by links (GET only); returns them and every problem found."""
    seen: set[str] = set()
    queue, problems = deque(start), []
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIPPED):
            continue
        seen.add(url)
        response = await client.get(url)
        if response.status_code >= 500:
            problems.append(f"{url} -> {response.status_code}")
        if response.is_redirect:
            queue.append(response.headers["location"])
            continue
        kind = response.headers.get("content-type", "")
        text = pdf_text(response.content) if kind.startswith("application/pdf") else response.text
        if found := MODEL_CITY.search(text):
            problems.append(f"{url} names the model city: …{text[max(0, found.start() - 60):][:120]}…")
        if kind.startswith("text/html"):
            queue.extend(html.unescape(link) for link in LINK.findall(response.text))
    assert len(seen) < limit, "the crawl did not finish"
    return seen, problems


def _local(moment: datetime) -> str:
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


async def _answer_survey(client, survey_id: int, district_id: int) -> None:
    """A parent answers the open survey page by page, as the form leads (hidden fields carried along)."""
    url = f"/umfrage/{survey_id}/antworten"
    await client.get(url)
    response = await post_form(client, url, [("page", "0"), ("district", str(district_id)), ("nav", "next")])
    for _step in range(10):
        if response.status_code == 303:
            break
        assert response.status_code == 200, response.text[:500]
        fields = [(name, html.unescape(value)) for name, value in
                  re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', response.text)
                  if name != "_csrf_token"]
        if 'name="q_angebot"' in response.text:
            fields.append(("q_angebot", "Mehr Sprachkurse am Hafen"))
        nav = "submit" if 'name="nav" value="submit"' in response.text else "next"
        response = await post_form(client, url, [*fields, ("nav", nav)])
    assert response.status_code == 303 and response.headers["location"] == f"/umfrage/{survey_id}/danke"


async def test_musterstadt_installs_from_the_first_run_to_a_published_survey_and_no_page_names_ludwigsburg(
    fresh_installation, client
):
    # 1. The first run: settings with a logo, and the first office account.
    assert (await client.get("/")).headers["location"] == "/einrichtung"
    response = await post_multipart(client, "/einrichtung", {**SETTINGS, **ACCOUNT}, ("wappen.png", png(), "image/png"))
    assert response.status_code == 303
    await sign_in(client, ACCOUNT["email"])

    # 2. Master data through the office's pages.
    assert (await post_form(client, "/verwaltung/stammdaten/traeger",
                            {"operator-name": "Stadt Musterstadt – Jugendamt"})).status_code == 303
    for name in DISTRICTS:
        response = await post_form(client, "/verwaltung/stammdaten/stadtteile", {"district-name": name})
        assert response.status_code == 303
    districts = {d["name"]: d["id"] for d in (await client.get("/api/districts")).json()}
    operator = re.search(r'<option value="(\d+)">Stadt Musterstadt', (await client.get(
        "/verwaltung/stammdaten/zentren/neu")).text).group(1)
    for name, district in CENTRES:
        response = await post_form(client, "/verwaltung/stammdaten/zentren/neu", {
            "name": name, "district": str(districts[district]), "operator": operator,
            "address": "Hafenstraße 1, 12345 Musterstadt", "email": "zentrum@musterstadt.example",
        })
        assert response.status_code == 303
    centres = {c["name"]: c["id"] for c in (await client.get("/api/centres")).json()}
    assert set(centres) == {name for name, _district in CENTRES}
    response = await post_form(client, "/verwaltung/benutzer/neu", {
        "display_name": "Team Hafenkante", "email": "hafenkante@musterstadt.example", "role": "centre",
        "centre": str(centres["Familienzentrum Hafenkante"]), "password": PASSWORD, "password_repeat": PASSWORD,
        "active": "y",
    })
    assert response.status_code == 303

    # 3. A round, its survey with a question, published.
    response = await post_form(client, "/verwaltung/runden", {"season": "spring", "year": "2027",
                                                              "session_date": "2027-03-20", "session_venue": "Rathaus"})
    assert response.status_code == 303
    round_path = response.headers["location"]
    response = await post_form(client, f"{round_path}/umfrage", {"survey-title": "Familien in Musterstadt 2027",
                                                                 "survey-intro": "Sagen Sie uns Ihre Meinung."})
    assert response.status_code == 303
    editor_path = response.headers["location"]
    survey_id = int(editor_path.rstrip("/").rsplit("/", 1)[1])
    new_question = re.search(r'href="(/verwaltung/umfragen/\d+/abschnitte/\d+/fragen/neu)"',
                             (await client.get(editor_path)).text).group(1)
    response = await post_form(client, new_question, {"key": "angebot", "kind": "long_text",
                                                      "text": "Was wünschen Sie sich vom Familienzentrum?"})
    assert response.status_code == 303
    # A survey with an empty section cannot be published: the round's other topics' sections go.
    editor = (await client.get(editor_path)).text
    # (Only an empty section has a delete button.)
    for path in re.findall(r"/verwaltung/umfragen/\d+/abschnitte/\d+/loeschen", editor):
        assert (await post_form(client, path, {})).status_code == 303
    now = datetime.now(UTC)
    response = await post_form(client, f"{editor_path}/veroeffentlichen", {
        "opens_at": _local(now - timedelta(minutes=5)), "closes_at": _local(now + timedelta(days=14))})
    assert response.status_code == 303, text_of(response.text)[:2000]

    # 4. Every page the office reaches names Musterstadt, never Ludwigsburg.
    office_pages, problems = await crawl(client, ["/verwaltung", "/?lang=en", "/verwaltung?lang=de"])
    assert "/verwaltung/einstellungen" in office_pages and f"/verwaltung/umfragen/{survey_id}" in office_pages
    office_home = await client.get("/verwaltung")
    assert "Familiendialog Musterstadt" in office_home.text and "/logo?v=" in office_home.text

    # 5. A parent (no account) answers in German, then reads every page in every language.
    parent = client
    parent.cookies.clear()
    await _answer_survey(parent, survey_id, districts["Am Hafen"])
    thanks = await parent.get(f"/umfrage/{survey_id}/danke")
    assert "Oberbürgermeisterin" in thanks.text
    for language in ("de", "en", "tr", "ar", "ru", "uk"):
        pages, found = await crawl(parent, [f"/?lang={language}", f"/umfrage/{survey_id}/danke"])
        problems += found
        assert f"/umfrage/{survey_id}" in pages
        home = await parent.get("/")
        assert "Musterstadt" in home.text and "Oberbürgermeisterin" in home.text, language

    # 6. The centre's staff.
    await sign_in(client, "hafenkante@musterstadt.example")
    centre_pages, found = await crawl(client, ["/zentrum"])
    problems += found
    assert len(centre_pages) > 3

    assert not problems, "\n".join(problems)
