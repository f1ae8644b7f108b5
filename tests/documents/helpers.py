"""Helpers for reading rendered PDFs in tests."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader


def read_pdf(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in read_pdf(pdf).pages)
