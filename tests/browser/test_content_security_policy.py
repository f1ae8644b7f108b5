"""The browser walks run with the app's Content-Security-Policy in force, and a violation fails them."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


async def test_the_csp_blocks_inline_script_and_style_and_the_walk_notices(browser, live_server, csp_violations):
    context = await browser.new_context(locale="de-DE")
    page = await context.new_page()
    response = await page.goto(f"{live_server}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    await page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "document.body.dataset.injected = 'yes'";
        document.body.append(script);
        const style = document.createElement("style");
        style.textContent = "body { background: red }";
        document.head.append(style);
    }""")
    await page.wait_for_timeout(200)
    assert await page.evaluate("document.body.dataset.injected") is None, "an inline script ran"
    seen = list(csp_violations)
    csp_violations.clear()  # expected here; anywhere else they fail the test
    await context.close()
    assert any("script-src" in line for line in seen) and any("style-src" in line for line in seen), seen
