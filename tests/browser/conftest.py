"""Browser tests: the real server in a subprocess on the test database, driven by Debian's headless Chromium."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

import httpx
import pytest

from participation.db import sqlite_path
from participation.demo import load_demo
from tests.conftest import TEST_DATABASE_URL, empty_database

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _cluster_one_question() -> None:
    """A finished clustering run, so the walks reach the themes pages."""
    from participation import jobs
    from participation.surveys.services import themes
    from participation.surveys.services.definition import list_surveys, load_survey

    surveys = await list_surveys()
    if not surveys:
        return
    survey = await load_survey(max(surveys, key=lambda s: s.responses).id)
    question = next((q for q in survey.questions if q.kind.is_text), None)
    if question is not None:
        await themes.start_run(survey.id, question_id=question.id)
        await jobs.run_until_idle()


def _copy_sqlite_database(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as from_db, closing(sqlite3.connect(target)) as to_db:
        from_db.backup(to_db)


async def _load_demo_database(engine) -> None:
    """The demo with one clustered question. On SQLite a worker loads it once (~5 s) and restores a copy for each
    further browser module, so every module still starts from the same fresh demo."""
    database = sqlite_path(TEST_DATABASE_URL) if TEST_DATABASE_URL.startswith("sqlite") else None
    snapshot = database.with_name(database.name + ".demo") if database else None
    if snapshot is not None and snapshot.exists():
        _copy_sqlite_database(snapshot, database)
        return
    await empty_database(engine)
    await load_demo()
    await _cluster_one_question()
    if snapshot is not None:
        _copy_sqlite_database(database, snapshot)


@asynccontextmanager
async def serving_by_uvicorn(**env: str) -> AsyncIterator[str]:
    """The platform on the test database, served by uvicorn on a free port with `env`: its base URL."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: ASYNC220 - the server must outlive this coroutine
        [sys.executable, "-m", "uvicorn", "participation.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env={**os.environ, "DATABASE_URL": TEST_DATABASE_URL, **env},
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    async with httpx.AsyncClient() as http:
        while True:
            try:
                if (await http.get(f"{base_url}/health", timeout=1)).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("The test server did not start")
            await asyncio.sleep(0.2)
    try:
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
async def live_server(engine) -> AsyncIterator[str]:
    """The platform with the Ludwigsburg demo, served by uvicorn on a free port."""
    await _load_demo_database(engine)
    async with serving_by_uvicorn(DB_POOL_MAX="4", RUN_JOBS_IN_APP="1") as base_url:
        yield base_url


@pytest.fixture(scope="session")
async def browser():
    """One Chromium per worker; every test opens a context (cookies, storage) of its own."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's 'chromium' package (make test does).")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


async def axe_violations(page) -> list[str]:
    """WCAG 2.1 AA violations axe-core finds on the page, one readable line each."""
    from axe_playwright_python.async_playwright import Axe

    # resultTypes keeps every violation in full and skips detailing the passes (the library's default; halves the run).
    options = {"runOnly": {"type": "tag", "values": WCAG_AA_TAGS}, "resultTypes": ["violations"]}
    results = await Axe().run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        lines.append(f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    return lines


async def sign_in(page, base_url: str, email: str, password: str) -> None:
    await page.goto(f"{base_url}/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("button", name="Anmelden").click()
    await page.wait_for_load_state()


#: In every page before its own scripts: report Content-Security-Policy violations on the console, where the
#: context's listener collects them (Chromium logs most of them there too; the event also catches those it does not).
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


def _is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def csp_violations() -> list[str]:
    """Every CSP violation seen in this test's pages (the browser walks run with the app's CSP in force)."""
    return []


@pytest.fixture(autouse=True)
async def fail_on_csp_violations(browser, csp_violations, monkeypatch):
    """Every browser context of a test listens for CSP violations; any one fails the test."""
    new_context = browser.new_context

    async def listening_context(*args, **kwargs):
        context = await new_context(*args, **kwargs)
        await context.add_init_script(_REPORT_CSP_VIOLATIONS)
        context.on("console", lambda message: _is_csp_violation(message.text) and csp_violations.append(
            f"{message.page.url if message.page else '?'}: {message.text}"))
        return context

    monkeypatch.setattr(browser, "new_context", listening_context)
    yield
    assert not csp_violations, "Content-Security-Policy violations:\n" + "\n".join(csp_violations)
