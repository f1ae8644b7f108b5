"""Links in minutes PDFs: relative Markdown links point to BASE_URL, never to a file:// path on the server."""

from __future__ import annotations

import io

import jinja2
from pypdf import PdfReader

from participation.dialogues.services import pdfs
from participation.documents.markdown import render_markdown
from participation.documents.pdf import pdf_environment, render_pdf, render_template_pdf
from participation.settings import Settings
from tests.dialogues.test_pdf import _minutes_with_content
from tests.documents.conftest import TEMPLATES_DIR

LINKED_NOTES = (
    "Siehe [das Protokoll](protokoll.pdf), [die Umfrage](/umfrage/3), [Punkt 2](#punkt-2), "
    "[die Stadt](https://www.ludwigsburg.de/familie) und [das Büro](mailto:buero@example.org)."
)


def link_targets(pdf: bytes) -> list[str]:
    """The URI of every link annotation in the PDF."""
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


async def test_relative_links_in_minutes_point_to_the_public_site_not_the_servers_files(setting, tmp_path):
    snapshot = await _minutes_with_content(setting)
    snapshot["items"][1]["notes"] = LINKED_NOTES
    targets = link_targets(pdfs.minutes_pdf(snapshot))
    base = Settings.from_env().base_url
    assert not [t for t in targets if t.startswith("file:")], targets
    for expected in (f"{base}/protokoll.pdf", f"{base}/umfrage/3", "https://www.ludwigsburg.de/familie",
                     "mailto:buero@example.org"):
        assert expected in targets, targets


def test_without_a_public_address_relative_links_are_dropped_and_their_text_stays(tmp_path):
    env = pdf_environment(TEMPLATES_DIR, link_base="")
    env.loader = jinja2.ChoiceLoader([
        jinja2.DictLoader({"notes.html": '{% extends "pdf/_base.html" %}{% block content %}'
                                         '{{ notes|markdown }}{% endblock %}'}),
        env.loader,
    ])
    (tmp_path / "protokoll.pdf").write_bytes(b"%PDF-")
    pdf = render_template_pdf(env, "notes.html", {"notes": LINKED_NOTES}, title="Notizen", static_root=tmp_path)
    assert link_targets(pdf) == ["https://www.ludwigsburg.de/familie", "mailto:buero@example.org"]
    assert "das Protokoll" in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert 'href="https://base.example/a/protokoll.pdf"' in render_markdown(LINKED_NOTES, link_base="https://base.example/a")


def test_a_relative_link_in_any_template_never_becomes_a_file_link(tmp_path):
    html = '<html lang="de"><body><p><a href="geheim.txt">Datei</a> <a href="https://example.org/">Web</a></p></body></html>'
    pdf = render_pdf(html, title="Links", static_root=tmp_path)
    assert link_targets(pdf) == ["https://example.org/"]
