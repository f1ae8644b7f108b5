"""Fixtures for the pure documents core: a template environment and a network tripwire."""

from __future__ import annotations

import socket
import urllib.request
from pathlib import Path

import jinja2
import pytest
from weasyprint.urls import URLFetcher

from participation.documents.pdf import pdf_environment

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"

SAMPLE_TEMPLATE = """{% extends "pdf/_base.html" %}
{% block content %}
<h2>Tagesordnung</h2>
<ol>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ol>
<table>
  <caption>Maßnahmen</caption>
  <thead><tr><th scope="col">Maßnahme</th><th scope="col">Zuständig</th></tr></thead>
  <tbody>{% for what, who in rows %}<tr><th scope="row">{{ what }}</th><td>{{ who }}</td></tr>{% endfor %}</tbody>
</table>
{% for paragraph in paragraphs %}<p>{{ paragraph }}</p>{% endfor %}
{% endblock %}
"""


@pytest.fixture
def env() -> jinja2.Environment:
    """The PDF template environment plus a sample document extending ``pdf/_base.html``."""
    environment = pdf_environment(TEMPLATES_DIR)
    environment.loader = jinja2.ChoiceLoader(
        [environment.loader, jinja2.DictLoader({"test/sample.html": SAMPLE_TEMPLATE})]
    )
    return environment


@pytest.fixture
def network_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record (and fail) every attempt to open a connection or fetch a non-data URL."""
    calls: list[tuple[str, str]] = []

    def tripwire(name: str):
        def refuse(*args: object, **kwargs: object) -> None:
            calls.append((name, repr(args[1:2])))
            raise OSError(f"network access in a test: {name}")

        return refuse

    monkeypatch.setattr(socket, "create_connection", tripwire("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", tripwire("socket.getaddrinfo"))
    monkeypatch.setattr(socket.socket, "connect", tripwire("socket.connect"))
    monkeypatch.setattr(urllib.request, "urlopen", tripwire("urlopen"))
    monkeypatch.setattr(urllib.request.HTTPHandler, "http_open", tripwire("http_open"))
    monkeypatch.setattr(urllib.request.HTTPSHandler, "https_open", tripwire("https_open"))
    monkeypatch.setattr(urllib.request.FTPHandler, "ftp_open", tripwire("ftp_open"))
    monkeypatch.setattr(urllib.request.FileHandler, "file_open", tripwire("file_open"))

    original_fetch = URLFetcher.fetch

    def fetch(self: URLFetcher, url: str, headers: object = None) -> object:
        if not url.startswith("data:"):
            calls.append(("URLFetcher.fetch", url))
            raise OSError("default fetcher used for a non-data URL")
        return original_fetch(self, url, headers)

    monkeypatch.setattr(URLFetcher, "fetch", fetch)
    return calls
