"""The office shapes themes in the browser (German): confirms a suggested phrase name, splits a theme, creates a
theme and moves answers into it, translates an answer in another language and sees it join a German theme after
clustering again; axe finds nothing on the pages walked."""

from __future__ import annotations

import pytest

from participation.demo import OFFICE_USER
from participation.surveys.services import themes
from participation.surveys.services.definition import list_surveys
from participation.surveys.tables import AnalysisRun
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.browser

QUESTION = "Was wünschen Sie sich vom Kinder- und Familienzentrum in Ihrem Stadtteil?"
TURKISH = "Çocuklar için Almanca kursu lazım, ben de Almanca öğrenmek istiyorum."
GERMAN = "Wir brauchen einen Deutschkurs mit Kinderbetreuung, ich möchte auch Deutsch lernen."


async def _cluster(page, live_server: str, survey_id: int) -> int:
    await page.goto(f"{live_server}/verwaltung/umfragen/{survey_id}/themen")
    await page.select_option("#target", label=QUESTION)
    await page.get_by_role("button", name="Themen berechnen").click()
    await page.wait_for_load_state()
    done = page.get_by_role("link", name="Fertig – Ergebnis anzeigen")
    await done.wait_for(state="visible", timeout=90_000)
    await done.click()
    await page.wait_for_load_state()
    return int(page.url.rstrip("/").rsplit("/", 1)[-1])


async def _flash(page) -> str:
    return await page.locator(".flashes").inner_text()


async def test_office_names_splits_creates_moves_and_translates(live_server, browser):
    survey = max((s for s in await list_surveys()), key=lambda s: s.responses)
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    run_id = await _cluster(page, live_server, survey.id)
    violations = await axe_violations(page)

    # a suggested phrase name, confirmed with one click; then the theme may be marked for the agenda
    unnamed = page.locator("section.theme", has=page.get_by_role("button", name="Vorschlag übernehmen")).first
    suggestion = await unnamed.locator("h2").inner_text()
    suggestion = suggestion.removesuffix("Vorschlag").strip()
    assert " · " not in suggestion
    await unnamed.get_by_role("button", name="Vorschlag übernehmen").click()
    await page.wait_for_load_state()
    assert "Der vorgeschlagene Name wurde übernommen." in await _flash(page)
    named = page.locator("section.theme", has=page.locator("h2", has_text=suggestion)).first
    await named.get_by_role("button", name="Für die Tagesordnung vormerken").click()
    await page.wait_for_load_state()
    assert "für die Tagesordnung vorgemerkt" in await _flash(page)

    # split the largest theme in two by clustering it again
    before = await page.locator("section.theme").count()
    largest = page.locator("section.theme").first
    await largest.get_by_label("In Teile teilen").fill("2")
    await largest.get_by_role("button", name="Teilen").click()
    await page.wait_for_load_state()
    assert "Das Thema wurde geteilt" in await _flash(page)
    assert await page.locator("section.theme").count() == before + 1

    # a new theme, and two answers of the largest theme moved into it by checkbox
    await page.get_by_label("Name des neuen Themas").fill("Ferien und Schließtage")
    await page.get_by_role("button", name="Thema anlegen").click()
    await page.wait_for_load_state()
    assert "Das neue Thema wurde angelegt." in await _flash(page)
    await page.locator("section.theme").first.get_by_role("link", name="Alle Antworten").click()
    await page.wait_for_load_state()
    violations += await axe_violations(page)
    await page.get_by_label("Antwort 1 auswählen").check()
    await page.get_by_label("Antwort 2 auswählen").check()
    await page.get_by_label("Ziel-Thema", exact=True).select_option(label="Ferien und Schließtage")
    await page.get_by_role("button", name="Ausgewählte verschieben").click()
    await page.wait_for_load_state()
    assert "2 Antworten wurden verschoben." in await _flash(page)
    view = await themes.get_run(run_id, threshold=5)
    assert [t.size for t in view.themes if t.label == "Ferien und Schließtage"] == [2]

    # an answer in Turkish: listed as not yet translated, translated by staff, then part of a German theme
    await page.goto(f"{live_server}/verwaltung/themen/{run_id}")
    await page.get_by_role("link", name="Noch nicht übersetzte Antworten übersetzen").click()
    await page.wait_for_load_state()
    violations += await axe_violations(page)
    card = page.locator("section.card", has_text=TURKISH).first
    answer = int(await card.locator("input[name=answer]").get_attribute("value"))
    await card.get_by_role("textbox").fill(GERMAN)
    await card.get_by_role("button", name="Übersetzung speichern").click()
    await page.wait_for_load_state()
    assert "Die Übersetzung wurde gespeichert." in await _flash(page)

    rerun_id = await _cluster(page, live_server, survey.id)
    violations += await axe_violations(page)
    first = await AnalysisRun.select(AnalysisRun.untranslated_count).where(AnalysisRun.id == run_id).first()
    again = await themes.get_run(rerun_id, threshold=5)
    assert again.untranslated_count == first["untranslated_count"] - 1
    home = None
    for theme in again.themes:
        members = await themes.theme_answers(rerun_id, theme.id)
        if any(m["answer"] == answer for m in members):
            home = theme, members
    assert home is not None and not home[0].is_sonstiges
    theme, members = home
    assert sum("Deutschkurs" in (m["text"] or "") for m in members) >= 3  # the German theme on language courses
    await page.goto(f"{live_server}/verwaltung/themen/{rerun_id}/thema/{theme.id}")
    row = page.locator("tr", has_text=GERMAN)
    assert await row.count() == 1 and TURKISH in await row.inner_text()  # original and translation side by side
    await context.close()
    assert not violations, "\n".join(violations)
