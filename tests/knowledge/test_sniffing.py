"""The document type comes from the bytes; names and content types only break ties."""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import docx
import pytest

from brandflow.contexts.knowledge.sniffing import (
    DocumentType,
    UnreadableDocument,
    UnsupportedDocumentType,
    decode_text,
    sniff_document_type,
)
from tests.knowledge.documents import docx_bytes, pdf_bytes, zip_bytes

PROSE = "Our brand voice is warm and direct.\nWe write for busy runners, not for ourselves.\n"
FRENCH = (
    "Notre marque est chaleureuse et précise. La crème brûlée du café coûte 5 € — « délicieux ». "
)


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph("Tone of voice")
    return docx_bytes(document)


def test_pdf_is_recognised_by_its_signature_whatever_it_is_called() -> None:
    pdf = pdf_bytes(["Hello"])
    assert sniff_document_type(pdf) is DocumentType.PDF
    assert (
        sniff_document_type(pdf, filename="notes.txt", content_type="text/plain")
        is DocumentType.PDF
    )


def test_a_pdf_name_on_text_bytes_is_text() -> None:
    kind = sniff_document_type(PROSE.encode(), filename="brand.pdf", content_type="application/pdf")
    assert kind is DocumentType.TEXT


def test_docx_is_a_zip_holding_word_document_xml() -> None:
    assert sniff_document_type(word_document(), filename="guide.pdf") is DocumentType.DOCX


@pytest.mark.parametrize(
    "members",
    [
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"},  # a spreadsheet
        {"readme.txt": b"just an archive"},
    ],
)
def test_other_zips_are_refused(members: dict[str, bytes]) -> None:
    with pytest.raises(UnsupportedDocumentType, match=r"not a Word \(\.docx\)"):
        sniff_document_type(zip_bytes(members), filename="guide.docx")


def test_a_damaged_zip_is_refused() -> None:
    with pytest.raises(UnsupportedDocumentType, match="damaged"):
        sniff_document_type(b"PK\x03\x04" + b"\x00garbage" * 100, filename="guide.docx")


def test_a_program_renamed_txt_is_refused() -> None:
    program = Path(sys.executable).resolve().read_bytes()
    with pytest.raises(UnsupportedDocumentType, match="not a PDF, Word"):
        sniff_document_type(program, filename="notes.txt", content_type="text/plain")


def test_an_image_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    with pytest.raises(UnsupportedDocumentType):
        sniff_document_type(png + bytes(range(256)) * 4, filename="logo.md")


def test_legacy_word_files_get_a_reason_that_says_what_to_do() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(UnsupportedDocumentType, match=r"save it as \.docx"):
        sniff_document_type(ole2, filename="brief.doc")


@pytest.mark.parametrize("data", [b"", b"  \n\t "])
def test_empty_files_are_refused(data: bytes) -> None:
    with pytest.raises(UnsupportedDocumentType, match="empty"):
        sniff_document_type(data)


def test_unsupported_is_an_unreadable_document_with_a_reason() -> None:
    with pytest.raises(UnreadableDocument) as caught:
        sniff_document_type(b"\x00\x01\x02\x03" * 100)
    assert caught.value.reason == str(caught.value)


@pytest.mark.parametrize(
    "markup",
    [
        "<!DOCTYPE html><html><body><p>Hi</p></body></html>",
        "\n  <html lang='en'><p>Hi</p></html>",
        "<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><body/></html>",
    ],
)
def test_a_full_html_document_is_html_even_named_markdown(markup: str) -> None:
    assert sniff_document_type(markup.encode(), filename="notes.md") is DocumentType.HTML


def test_markup_led_text_is_html_unless_the_hint_says_markdown() -> None:
    data = b"<div class='note'>Be kind.</div>\n\n# Voice\n"
    assert sniff_document_type(data) is DocumentType.HTML
    assert sniff_document_type(data, filename="voice.md") is DocumentType.MARKDOWN


def test_an_html_hint_takes_a_fragment_with_tags_as_html() -> None:
    data = b"Hello <b>runners</b>, welcome."
    assert sniff_document_type(data) is DocumentType.TEXT
    assert sniff_document_type(data, content_type="text/html; charset=utf-8") is DocumentType.HTML
    assert sniff_document_type(b"No tags at all.", filename="a.html") is DocumentType.TEXT


@pytest.mark.parametrize(
    "markdown",
    [
        "# Acme voice\n\nWe are warm.",
        "Intro\n\n```\ncode\n```\n",
        "See [the guide](https://example.com/guide).",
        "- one\n- two\n\n**Important**: read this.",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
    ],
)
def test_markdown_is_told_from_text_by_its_structure(markdown: str) -> None:
    assert sniff_document_type(markdown.encode()) is DocumentType.MARKDOWN


def test_plain_prose_is_text_unless_named_markdown() -> None:
    assert sniff_document_type(PROSE.encode()) is DocumentType.TEXT
    assert sniff_document_type(("- just one list item\n" + PROSE).encode()) is DocumentType.TEXT
    assert sniff_document_type(PROSE.encode(), filename="VOICE.MD") is DocumentType.MARKDOWN
    assert sniff_document_type(b"# Heading", filename="notes.txt") is DocumentType.TEXT


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + FRENCH.encode(), FRENCH),
        (codecs.BOM_UTF16_LE + FRENCH.encode("utf-16-le"), FRENCH),
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), FRENCH),
        (codecs.BOM_UTF32_LE + FRENCH.encode("utf-32-le"), FRENCH),
        ((FRENCH * 3).encode("cp1252"), FRENCH * 3),
    ],
)
def test_text_in_other_encodings_decodes(data: bytes, expected: str) -> None:
    assert sniff_document_type(data) is DocumentType.TEXT
    assert decode_text(data) == expected


def test_windows_1252_wins_a_tie_with_central_european_code_pages() -> None:
    # Short Latin text fits cp1250, cp1252 and cp1257 equally; only cp1252 gives "crème".
    assert decode_text(FRENCH.encode("cp1252")) == FRENCH


def test_a_cut_multibyte_character_at_the_sniff_window_does_not_matter() -> None:
    data = ("é" * 40_000).encode()  # 80,000 bytes: the 64 KiB window ends mid-character
    assert sniff_document_type(data) is DocumentType.TEXT


def test_text_with_nul_bytes_or_many_controls_is_binary() -> None:
    with pytest.raises(UnsupportedDocumentType):
        decode_text(b"looks like text\x00but is not")
    with pytest.raises(UnsupportedDocumentType):
        decode_text(("abc\x01\x02\x03" * 50).encode())
    assert (
        decode_text(b"a tab\there and an escape \x1b once") == "a tab\there and an escape \x1b once"
    )
