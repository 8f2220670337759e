"""Each format's text, and a readable refusal for the documents that cannot be read."""

from __future__ import annotations

import unicodedata

import docx
import pytest

from brandflow.contexts.knowledge.parsing import (
    PageSpan,
    ParsedDocument,
    ParseLimits,
    UnreadableDocument,
    parse_document,
)
from brandflow.contexts.knowledge.sniffing import DocumentType, UnsupportedDocumentType
from tests.knowledge.documents import docx_bytes, pdf_bytes, with_zip_member, zip_bytes


def parse(data: bytes, kind: DocumentType, limits: ParseLimits | None = None) -> ParsedDocument:
    return parse_document(data, kind, limits=limits or ParseLimits())


# --- PDF ------------------------------------------------------------------------------------


def test_pdf_pages_keep_their_place_in_the_text() -> None:
    pdf = pdf_bytes(
        ["Acme Running (brand book)\nWe move people.", "", "Colours: ember and slate."],
        title="  Acme\nBrand Book ",
    )
    parsed = parse(pdf, DocumentType.PDF)
    assert parsed.text == "Acme Running (brand book)\nWe move people.\n\nColours: ember and slate."
    assert parsed.pages is not None
    assert [page.number for page in parsed.pages] == [1, 3]  # the empty page 2 holds no text
    assert [parsed.text[p.start : p.end] for p in parsed.pages] == [
        "Acme Running (brand book)\nWe move people.",
        "Colours: ember and slate.",
    ]
    assert parsed.title == "Acme Brand Book"


def test_a_password_protected_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadableDocument, match="password-protected"):
        parse(pdf_bytes(["Secret plans"], user_password="hunter2"), DocumentType.PDF)


def test_a_pdf_locked_only_against_editing_opens() -> None:
    pdf = pdf_bytes(["Open to read"], owner_password="owner-only")
    assert parse(pdf, DocumentType.PDF).text == "Open to read"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"this is not really a pdf " * 50,
        pdf_bytes(["Cut short"])[:120],
    ],
)
def test_a_damaged_pdf_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableDocument) as caught:
        parse(data, DocumentType.PDF)
    assert caught.value.reason.startswith(("The PDF is damaged", "No text could be extracted"))


def test_a_pdf_without_text_suggests_it_is_scanned() -> None:
    with pytest.raises(UnreadableDocument, match="OCR"):
        parse(pdf_bytes(["", ""]), DocumentType.PDF)


def test_pdf_page_and_size_limits() -> None:
    pdf = pdf_bytes(["one", "two", "three"])
    with pytest.raises(UnreadableDocument, match="3 pages; at most 2"):
        parse(pdf, DocumentType.PDF, ParseLimits(max_pdf_pages=2))
    with pytest.raises(UnreadableDocument, match="Page 3 of the PDF holds more than 4"):
        parse(pdf, DocumentType.PDF, ParseLimits(max_page_chars=4))
    with pytest.raises(UnreadableDocument, match="more than 10 characters"):
        parse(pdf, DocumentType.PDF, ParseLimits(max_chars=10))


# --- DOCX -----------------------------------------------------------------------------------


def brand_guide() -> docx.document.Document:
    document = docx.Document()
    document.add_heading("Acme Voice", 0)
    document.add_paragraph("We are bold.")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Do"
    table.cell(0, 2).text = "Don't"
    table.cell(1, 0).text = "Short words"
    nested = table.cell(1, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "inner one"
    nested.cell(0, 1).text = "inner two"
    table.cell(1, 2).text = "Jargon"
    document.add_paragraph("After the table.")
    return document


def test_docx_paragraphs_and_tables_in_reading_order() -> None:
    parsed = parse(docx_bytes(brand_guide()), DocumentType.DOCX)
    assert parsed.text == (
        "Acme Voice\n\nWe are bold.\n\n"
        "Do\tDon't\n"  # the merged cell once, not once per column it spans
        "Short words\tinner one inner two\tJargon\n\n"
        "After the table."
    )
    assert parsed.pages is None
    assert parsed.title == "Acme Voice"  # from the Title-styled paragraph


def test_docx_title_prefers_the_document_properties() -> None:
    document = brand_guide()
    document.core_properties.title = "Acme Brand Guide 2025"
    assert parse(docx_bytes(document), DocumentType.DOCX).title == "Acme Brand Guide 2025"


def test_a_docx_that_unpacks_past_the_limit_is_refused_before_unpacking() -> None:
    bomb = with_zip_member(docx_bytes(brand_guide()), "word/media/zeros.bin", 210 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    with pytest.raises(UnreadableDocument, match=r"unpacks to 2\d\d MiB, more than the 200 MiB"):
        parse(bomb, DocumentType.DOCX)


def test_a_docx_with_too_many_parts_is_refused() -> None:
    with pytest.raises(UnreadableDocument, match="too many parts"):
        parse(docx_bytes(brand_guide()), DocumentType.DOCX, ParseLimits(max_zip_entries=3))


@pytest.mark.parametrize(
    "data",
    [
        zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<not-closed"}),
        b"PK\x03\x04 not a zip at all",
    ],
)
def test_a_damaged_docx_is_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableDocument, match="Word document is damaged"):
        parse(data, DocumentType.DOCX)


# --- HTML -----------------------------------------------------------------------------------


def test_html_keeps_visible_text_with_blocks_on_their_own_lines() -> None:
    html = b"""<!doctype html><html><head><title>Acme &amp; You</title>
    <style>p { color: red }</style><script>var secret = "do not index";</script></head>
    <body><nav>Home</nav><h1>Voice</h1>
    <p>We are <b>bold</b>,
       <i>warm</i> and&nbsp;direct.</p>
    <ul><li>Short words</li><li>Active verbs</li></ul>
    Line one<br>line two
    <table><tr><th>Do</th><th>Don't</th></tr><tr><td>Run</td><td>Jog</td></tr></table>
    <noscript>Enable JavaScript</noscript><template><p>hidden</p></template>
    <!-- a comment --></body></html>"""
    parsed = parse(html, DocumentType.HTML)
    assert parsed.text == (
        "Home\n\nVoice\n\nWe are bold, warm and\u00a0direct.\n\n"
        "Short words\nActive verbs\n\nLine one\nline two\n\nDo\tDon't\nRun\tJog"
    )
    assert parsed.title == "Acme & You"


def test_html_title_falls_back_to_the_first_heading() -> None:
    parsed = parse(b"<h1>Tone <em>guide</em></h1><p>Text</p>", DocumentType.HTML)
    assert parsed.title == "Tone guide"


def test_deeply_nested_html_does_not_exhaust_the_stack() -> None:
    html = "<div>" * 20_000 + "deep inside" + "</div>" * 20_000
    assert parse(html.encode(), DocumentType.HTML).text == "deep inside"


def test_html_with_only_scripts_has_no_text() -> None:
    with pytest.raises(UnreadableDocument, match="no text"):
        parse(b"<html><body><script>track()</script></body></html>", DocumentType.HTML)


# --- Markdown and text ----------------------------------------------------------------------


def test_markdown_is_kept_as_written_and_titled_by_its_first_heading() -> None:
    markdown = "Intro line\n\n## Acme *Voice* ##\n\n- **Bold**\n- [Link](https://acme.example)\n"
    parsed = parse(markdown.encode(), DocumentType.MARKDOWN)
    assert parsed.text == markdown.strip()
    assert parsed.title == "Acme *Voice*"


def test_text_is_normalised() -> None:
    decomposed = unicodedata.normalize("NFD", "Café crème")
    raw = f"\ufeff{decomposed}  \r\nline\rtwo\x07\n\n\n\n\nend\x0c\t\n"
    parsed = parse(raw.encode(), DocumentType.TEXT)
    assert parsed.text == "Café crème\nline\ntwo\n\nend"  # \f is a line break
    assert parsed.text == unicodedata.normalize("NFC", parsed.text)
    assert parsed.title is None


def test_text_that_is_not_utf8_falls_back_to_a_detected_encoding() -> None:
    raw = "Notre café propose une crème brûlée délicieuse, à 5 € seulement. " * 4
    assert parse(raw.encode("cp1252"), DocumentType.TEXT).text == raw.strip()


def test_binary_bytes_given_as_text_are_refused() -> None:
    with pytest.raises(UnsupportedDocumentType):
        parse(bytes(range(256)) * 10, DocumentType.TEXT)


def test_page_span_is_a_plain_value() -> None:
    assert PageSpan(1, 0, 5) == PageSpan(number=1, start=0, end=5)
