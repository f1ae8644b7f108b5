"""The live poll in pages: the office prepares, opens and closes it; parents vote by phone at the short address."""

from __future__ import annotations

import json

import pytest

from participation.dialogues.services import agenda, pdfs, polls, snapshots
from participation.dialogues.tables import PollVote
from tests.dialogues.helpers import pdf_text
from tests.factories import post_form, text_of


@pytest.fixture
async def round_id(make) -> int:
    round_id = await make.round()
    for title in ("Kita-Plätze", "Ferienbetreuung", "Spielplätze"):
        await agenda.add_free_item(round_id, title)
    return round_id


async def _open(round_id: int, kind: str = "top3") -> polls.PollOut:
    poll_id = await polls.create_poll(round_id, kind)
    await polls.open_poll(round_id, poll_id)
    return await polls.get_poll(round_id, poll_id)


async def _phone_form(client, code: str, lang: str = "de"):
    """What a phone does first: open the address, which gives the form's token and the phone's cookie."""
    page = await client.get(f"/s/{code}?lang={lang}")
    assert page.status_code == 200, page.text
    token = page.text.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
    return page, token


async def _vote(client, code: str, token: str, choices: list[int], **headers):
    return await client.post(f"/s/{code}", data={"_csrf_token": token, "choice": [str(c) for c in choices]},
                             headers={"sec-fetch-site": "same-origin", **headers})


async def test_office_prepares_opens_and_closes_a_poll_and_the_minutes_show_its_result(client, office, round_id):
    created = await post_form(client, f"/verwaltung/runden/{round_id}/sitzung/umfrage",
                              {"poll-kind": "top3", "poll-question": ""})
    assert created.status_code == 303
    poll = (await polls.list_polls(round_id))[0]
    session = text_of((await client.get(f"/verwaltung/runden/{round_id}/sitzung")).text)
    assert "Welche drei Themen sind Ihnen am wichtigsten?" in session and "vorbereitet" in session
    opened = await post_form(client, f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll.id}/oeffnen")
    assert opened.status_code == 303 and opened.headers["location"].endswith(f"/umfrage/{poll.id}/projektor")

    projector = await client.get(opened.headers["location"])
    assert projector.status_code == 200
    assert f"http://127.0.0.1:8000<wbr>/s/{poll.code}" in projector.text  # BASE_URL + short code
    assert "<svg" in projector.text and "Noch zu wenige Stimmen – Ergebnis ab 5 Stimmen." in text_of(projector.text)
    assert 'src="/static/poll.js' in projector.text and "<script>" not in projector.text

    poll = await polls.get_poll(round_id, poll.id)
    for n in range(6):
        await polls.cast_vote(poll, polls.new_token(), [poll.options[n % 3].id])
    state = (await client.get(f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll.id}/stand")).json()
    assert state["shown"] and state["voters"] == 6 and [o["count"] for o in state["options"]] == [2, 2, 2]

    closed = await post_form(client, f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll.id}/schliessen")
    assert closed.status_code == 303
    minutes = text_of((await client.get(f"/verwaltung/runden/{round_id}/protokoll")).text)
    assert "Stimmungsbilder aus der Sitzung" in minutes
    assert "6 Stimmen" in minutes and "1. Kita-Plätze: 2 (33 %)" in minutes


async def test_a_top3_poll_without_agenda_is_refused_with_a_message(client, office, make):
    empty_round = await make.round(year=2032)
    response = await post_form(client, f"/verwaltung/runden/{empty_round}/sitzung/umfrage",
                               {"poll-kind": "top3", "poll-question": ""})
    assert response.status_code == 400
    assert "braucht die Tagesordnung mindestens zwei Punkte" in text_of(response.text)
    bad_kind = await post_form(client, f"/verwaltung/runden/{empty_round}/sitzung/umfrage", {"poll-kind": "x"})
    assert bad_kind.status_code == 400 and not await polls.list_polls(empty_round)


async def test_a_parent_votes_by_phone_in_turkish_and_a_second_vote_is_not_counted(client, db, round_id):
    poll = await _open(round_id, "yes_no")
    page, token = await _phone_form(client, poll.code, "tr")
    assert 'lang="tr"' in page.text and "Evet" in page.text and "Hayır" in page.text
    cookie = page.headers["set-cookie"]
    assert f"Path=/s/{poll.code}" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")

    voted = await _vote(client, poll.code, token, [poll.options[0].id])
    assert voted.status_code == 200 and "Teşekkürler, oyunuz sayıldı." in text_of(voted.text)
    again = await _vote(client, poll.code, token, [poll.options[1].id])
    assert again.status_code == 200 and "Zaten oy verdiniz." in text_of(again.text)
    assert await PollVote.count().where(PollVote.poll == poll.id) == 1
    revisit = await client.get(f"/s/{poll.code}")
    assert "Stimme abgeben" not in revisit.text  # the phone sees it has voted, not the form


async def test_the_arabic_phone_page_reads_right_to_left(client, db, round_id):
    poll = await _open(round_id, "scale")
    page, _token = await _phone_form(client, poll.code, "ar")
    assert 'dir="rtl"' in page.text and 'lang="ar"' in page.text


async def test_bad_votes_get_a_message_and_nothing_is_saved(client, db, round_id):
    poll = await _open(round_id)
    _page, token = await _phone_form(client, poll.code)
    for choices, message in (([], "Bitte wählen Sie mindestens ein Thema."),
                             ([999], "Diese Antwort gibt es bei dieser Abstimmung nicht."),
                             ([o.id for o in poll.options] + [0], "Diese Antwort gibt es")):
        response = await _vote(client, poll.code, token, choices)
        assert response.status_code == 400 and message in text_of(response.text)
    forged = await client.post(f"/s/{poll.code}", data={"_csrf_token": "forged", "choice": [str(poll.options[0].id)]},
                               headers={"sec-fetch-site": "same-origin"})
    assert forged.status_code == 400
    cross_site = await _vote(client, poll.code, token, [poll.options[0].id], **{"sec-fetch-site": "cross-site"})
    assert cross_site.status_code == 400
    assert await PollVote.count() == 0


async def test_a_phone_without_its_cookie_is_asked_again_and_counted_once(client, db, round_id):
    poll = await _open(round_id, "yes_no")
    _page, token = await _phone_form(client, poll.code)
    client.cookies.clear()
    response = await _vote(client, poll.code, token, [poll.options[0].id])
    assert response.status_code == 400 and "Cookies erlauben" in text_of(response.text)
    assert "fd_poll=" in response.headers["set-cookie"] and await PollVote.count() == 0
    assert (await _vote(client, poll.code, token, [poll.options[0].id])).status_code == 200
    assert await PollVote.count() == 1


async def test_closed_unknown_and_unopened_polls_answer_with_a_clear_page(client, db, round_id):
    poll = await _open(round_id, "yes_no")
    _page, token = await _phone_form(client, poll.code)
    await polls.close_poll(round_id, poll.id, threshold=5)
    closed = await client.get(f"/s/{poll.code}")
    assert closed.status_code == 410 and "Abstimmung beendet" in closed.text
    late = await _vote(client, poll.code, token, [poll.options[0].id])
    assert late.status_code == 410 and await PollVote.count() == 0
    unknown = await client.get("/s/ZZZZ")
    assert unknown.status_code == 404 and "Abstimmung nicht gefunden" in unknown.text
    draft = await polls.get_poll(round_id, await polls.create_poll(round_id, "scale"))
    assert (await client.get(f"/s/{draft.code}")).status_code == 404
    assert (await client.get(f"/s/{'x' * 300}")).status_code == 404


async def test_votes_from_one_address_are_throttled(app, client, db, round_id):
    poll = await _open(round_id, "yes_no")
    app.state.poll_vote_limiter.per_hour = 1
    _page, token = await _phone_form(client, poll.code)
    assert (await _vote(client, poll.code, token, [poll.options[0].id])).status_code == 200
    client.cookies.clear()
    _page, token = await _phone_form(client, poll.code)
    throttled = await _vote(client, poll.code, token, [poll.options[0].id])
    assert throttled.status_code == 429 and "sehr viele Stimmen" in text_of(throttled.text)
    assert await PollVote.count() == 1


async def test_the_phone_sees_the_same_stepped_result_as_the_projector(client, db, round_id):
    poll = await _open(round_id, "yes_no")
    for _ in range(5):
        await polls.cast_vote(poll, polls.new_token(), [poll.options[0].id])
    await polls.live_view(poll.id, threshold=5)  # the projector showed the state of five votes
    _page, token = await _phone_form(client, poll.code)
    voted = text_of((await _vote(client, poll.code, token, [poll.options[1].id])).text)
    # Six votes received, the shown step still at five: the sixth (this phone's) is not singled out.
    assert "6 Stimmen abgegeben" in voted and "Stand: 5 Stimmen" in voted and "Nein 0 (0 %)" in voted


async def test_the_live_stream_of_a_closed_poll_sends_its_result_and_ends(client, office, round_id):
    poll = await _open(round_id, "yes_no")
    for _ in range(5):
        await polls.cast_vote(poll, polls.new_token(), [poll.options[0].id])
    await polls.close_poll(round_id, poll.id, threshold=5)
    response = await client.get(f"/verwaltung/runden/{round_id}/sitzung/umfrage/{poll.id}/live")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    events = [line.removeprefix("data: ") for line in response.text.splitlines() if line.startswith("data: ")]
    assert len(events) == 1 and json.loads(events[0])["status"] == "closed"
    assert json.loads(events[0])["options"][0]["count"] == 5


async def test_the_minutes_pdf_contains_the_poll_result(db, round_id):
    poll = await _open(round_id)
    for n in range(7):
        await polls.cast_vote(poll, polls.new_token(), [poll.options[0].id, poll.options[1 + n % 2].id])
    await polls.close_poll(round_id, poll.id, threshold=5)
    small = await _open(round_id, "yes_no")
    await polls.cast_vote(small, polls.new_token(), [small.options[0].id])
    await polls.close_poll(round_id, small.id, threshold=5)
    text = " ".join(pdf_text(pdfs.minutes_pdf(await snapshots.build_snapshot(round_id, threshold=5))).split())
    assert "Stimmungsbilder aus der Sitzung" in text and "Welche drei Themen sind Ihnen am wichtigsten?" in text
    assert "Ergebnis: 7 Stimmen" in text and "1. Kita-Plätze 7 100 %" in text and "2. Ferienbetreuung 4 57 %" in text
    assert "Weniger als 5 Stimmen – nicht ausgewiesen." in text
