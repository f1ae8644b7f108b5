"""Invitation-code sheets: cut-out cards with code, QR code and short address."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jinja2
import pytest

from participation.documents import invitations
from participation.documents.invitations import InvitationTexts, invitation_sheet_pdf, survey_link
from tests.documents.helpers import pdf_text, read_pdf

SURVEY_URL = "https://familiendialog.ludwigsburg.de/u/fj27"


def flat(text: str) -> str:
    """Extracted text with line wrapping undone."""
    return " ".join(text.split())


def codes(count: int) -> list[str]:
    return [f"K7PX-{number:04d}" for number in range(count)]


def sheet(env: jinja2.Environment, code_list: list[str], **kwargs: object) -> bytes:
    return invitation_sheet_pdf(
        code_list,
        centre_name=kwargs.pop("centre_name", "KiFaZ Grünbühl"),
        survey_title="Familiendialog Frühjahr 2027",
        survey_url=SURVEY_URL,
        env=env,
        **kwargs,
    )


@pytest.mark.parametrize(("count", "per_page", "pages"), [(1, 8, 1), (8, 8, 1), (17, 8, 3), (20, 10, 2), (21, 10, 3)])
def test_sheet_has_one_page_per_cards_per_page(env: jinja2.Environment, count: int, per_page: int, pages: int) -> None:
    pdf = sheet(env, codes(count), cards_per_page=per_page)
    assert len(read_pdf(pdf).pages) == pages


def test_every_code_and_the_short_address_are_printed(env: jinja2.Environment) -> None:
    code_list = codes(17)
    pdf = sheet(env, code_list)
    reader = read_pdf(pdf)
    text = pdf_text(pdf)
    for code in code_list:
        assert code in text
    assert "".join(text.split()).replace("\u200b", "").count("familiendialog.ludwigsburg.de/u/fj27") == 17
    assert "QR-Code scannen oder Adresse öffnen und Code eingeben." in flat(text)
    assert reader.metadata.title == "Einladungscodes: Familiendialog Frühjahr 2027 – KiFaZ Grünbühl"
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert "Seite 3 von 3" in reader.pages[2].extract_text()


def test_each_qr_code_carries_the_survey_link_with_its_code(
    env: jinja2.Environment, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    original = invitations._qr_data_uri

    def spy(link: str) -> str:
        encoded.append(link)
        return original(link)

    monkeypatch.setattr(invitations, "_qr_data_uri", spy)
    sheet(env, ["ABC-123", "XYZ 9&"])
    assert encoded == [f"{SURVEY_URL}?code=ABC-123", f"{SURVEY_URL}?code=XYZ+9%26"]


def test_survey_link_keeps_other_parameters_and_replaces_an_old_code() -> None:
    link = survey_link("https://example.org/s?lang=tr&code=alt", "NEU-1")
    query = parse_qs(urlsplit(link).query)
    assert query == {"lang": ["tr"], "code": ["NEU-1"]}


def test_user_text_on_the_sheet_is_escaped(env: jinja2.Environment) -> None:
    pdf = sheet(env, ["<b>X</b>"], centre_name="Zentrum <script>alert(1)</script> & Co")
    text = pdf_text(pdf)
    assert "<b>X</b>" in text
    assert "Zentrum<script>alert(1)</script>&Co" in "".join(text.split())


def test_texts_are_translatable(env: jinja2.Environment) -> None:
    english = InvitationTexts(
        document_title="Invitation codes: {survey_title}",
        heading="Invitation to the family dialogue",
        instruction="Scan the QR code or open the address and enter your code.",
        code_label="Your code",
        address_label="Address",
        qr_alt="QR code: survey link with your code {code}",
        cut_hint="Cut along the dashed lines.",
        page_label="Page {page} of {pages}",
    )
    pdf = sheet(env, codes(2), texts=english, lang="en")
    text = flat(pdf_text(pdf))
    assert "Scan the QR code or open the address and enter your code." in text
    assert "Page 1 of 1" in text
    assert "Einladung" not in text
    assert read_pdf(pdf).trailer["/Root"]["/Lang"] == "en"


def test_no_codes_give_one_empty_sheet_and_bad_layouts_are_refused(env: jinja2.Environment) -> None:
    assert len(read_pdf(sheet(env, [])).pages) == 1
    with pytest.raises(ValueError):
        sheet(env, codes(3), cards_per_page=7)
