"""The office's results page in the browser: no table scrolls sideways at 1280 px, chart text stays readable on a
375 px phone, and the index's links lead to their questions."""

from __future__ import annotations

import pytest

from participation.demo import OFFICE_USER
from participation.surveys.services.definition import list_surveys
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

#: The smallest chart text, in CSS pixels as drawn, that still reads on a phone.
MIN_CHART_TEXT_PX = 11


async def _results_page(live_server, browser, width: int):
    survey = next(s for s in await list_surveys() if s.status == "closed")
    context = await browser.new_context(locale="de-DE", viewport={"width": width, "height": 900})
    page = await context.new_page()
    await sign_in(page, live_server, OFFICE_USER[0], OFFICE_USER[2])
    await page.goto(f"{live_server}/verwaltung/umfragen/{survey.id}/ergebnisse")
    return context, page


async def test_at_1280_px_no_results_table_scrolls_sideways(live_server, browser):
    context, page = await _results_page(live_server, browser, 1280)
    assert await page.locator(".crosstab").count() >= 5  # the district tables are there
    scrolling = await page.evaluate("""[...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.querySelector('caption').textContent)""")
    await page.locator(".results-index a[href='#q-zufriedenheit_betreuung']").click()
    assert await page.evaluate("location.hash") == "#q-zufriedenheit_betreuung"
    await context.close()
    assert scrolling == []


async def test_at_375_px_chart_text_is_drawn_at_a_readable_size(live_server, browser):
    context, page = await _results_page(live_server, browser, 375)
    sizes = await page.evaluate("""[...document.querySelectorAll('svg.chart')].map(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale));
    })""")
    await context.close()
    assert sizes and min(sizes) >= MIN_CHART_TEXT_PX, sizes
