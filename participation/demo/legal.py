"""The demo's entries on the legal pages: illustrative, modelled on Ludwigsburg (a real city enters its own on
/verwaltung/rechtliches)."""

from __future__ import annotations

from collections.abc import Callable

from participation.legal.services import save_legal_texts

#: Illustrative entries for the legal pages (a real city enters its own on /verwaltung/rechtliches).
DEMO_LEGAL_TEXTS = {
    "provider": "Stadt Ludwigsburg\nWilhelmstraße 11\n71638 Ludwigsburg",
    "represented_by": "den Oberbürgermeister",
    "contact": "E-Mail familiendialog@familiendialog.example",
    "content_responsible": "Fachbereich Bildung und Familie, Wilhelmstraße 11, 71638 Ludwigsburg",
    "supervisory_authority": "Regierungspräsidium Stuttgart, Ruppmannstraße 21, 70565 Stuttgart",
    "controller": "Stadt Ludwigsburg, Fachbereich Bildung und Familie\nWilhelmstraße 11, 71638 Ludwigsburg",
    "data_protection_officer": "Behördliche Datenschutzbeauftragte der Stadt Ludwigsburg\n"
                               "datenschutz@familiendialog.example",
    "legal_basis": "Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit § 4 Landesdatenschutzgesetz Baden-Württemberg "
                   "(Wahrnehmung einer Aufgabe im öffentlichen Interesse: Beteiligung von Familien).",
    "complaint_authority": "Der Landesbeauftragte für den Datenschutz und die Informationsfreiheit "
                           "Baden-Württemberg, Lautenschlagerstraße 20, 70173 Stuttgart",
    "conformance": "partial",
    "known_limitations": "Ältere Protokolle als PDF sind nicht vollständig barrierefrei.",
    "checked_on": "2026-11-20",
    "check_method": "Selbstbewertung mit automatischer Prüfung (axe-core)",
    "accessibility_contact": "barrierefreiheit@familiendialog.example",
}


async def load_demo_legal_texts(progress: Callable[[str], None] = lambda step: None) -> None:
    progress("legal pages")
    await save_legal_texts(DEMO_LEGAL_TEXTS)
