"""Text out of a knowledge document's bytes: PDF, DOCX, HTML, Markdown or plain text.

Pure: bytes in, `ParsedDocument` out, or `UnreadableDocument(reason)` with a reason fit to
show as the document's "failed" status. Uploads are untrusted, so every format is read under
limits (`ParseLimits`). What the limits cannot bound is the CPU time of a hostile PDF's
content streams: callers should parse in a worker they can time out.

Libraries: pypdf (pure Python; its own decompression limits; `cryptography` for AES so that
PDFs locked only against editing still open), python-docx (typed; its XML parser resolves no
entities), selectolax (Lexbor, a compiled HTML5 parser, lighter and faster than
BeautifulSoup). Markdown is kept as written: it already reads as text.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import docx
import pypdf
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from pypdf.errors import FileNotDecryptedError
from selectolax.lexbor import LexborHTMLParser, LexborNode

from brandflow.contexts.knowledge.sniffing import DocumentType, UnreadableDocument, decode_text

__all__ = ["PageSpan", "ParseLimits", "ParsedDocument", "UnreadableDocument", "parse_document"]


@dataclass(frozen=True, slots=True)
class PageSpan:
    """Where one PDF page's text sits in `ParsedDocument.text`: `text[start:end]`."""

    number: int  # 1-based, as people cite pages
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    text: str  # NFC, "\n" newlines, no control characters but tab and newline
    pages: tuple[PageSpan, ...] | None  # PDF only; pages without text are left out
    title: str | None


@dataclass(frozen=True, slots=True)
class ParseLimits:
    max_chars: int = 5_000_000  # of text after extraction, whatever the format
    max_pdf_pages: int = 2_000
    max_page_chars: int = 200_000  # a page holding more is generated junk, not prose
    max_unpacked_bytes: int = 200 * 1024 * 1024  # all parts of a DOCX, uncompressed
    max_zip_entries: int = 10_000


DEFAULT_LIMITS = ParseLimits()
PAGE_SEPARATOR = "\n\n"  # a paragraph break, so chunking prefers to split between pages

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # keeps \t and \n
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # from broken PDF text maps; not encodable
_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")
_ATX_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)

_NO_TEXT = {
    DocumentType.PDF: "No text could be extracted from the PDF; "
    "it may be scanned images, and text recognition (OCR) is not supported.",
}


def parse_document(
    data: bytes, kind: DocumentType, *, limits: ParseLimits = DEFAULT_LIMITS
) -> ParsedDocument:
    """The text of a document whose kind `sniff_document_type` decided."""
    match kind:
        case DocumentType.PDF:
            parsed = _parse_pdf(data, limits)
        case DocumentType.DOCX:
            parsed = _parse_docx(data, limits)
        case DocumentType.HTML:
            parsed = _parse_html(data)
        case DocumentType.MARKDOWN:
            text = normalize_text(decode_text(data))
            parsed = ParsedDocument(text, None, _markdown_title(text))
        case DocumentType.TEXT:
            parsed = ParsedDocument(normalize_text(decode_text(data)), None, None)
    if len(parsed.text) > limits.max_chars:
        raise _too_long(limits)
    if not parsed.text:
        raise UnreadableDocument(_NO_TEXT.get(kind, "The document contains no text."))
    return parsed


def _too_long(limits: ParseLimits) -> UnreadableDocument:
    return UnreadableDocument(
        f"The document holds more than {limits.max_chars:,} characters of text; split it up."
    )


def normalize_text(text: str) -> str:
    """NFC, "\\n" newlines, no control characters, no trailing spaces or runs of blank lines."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = _CONTROL_CHARS.sub("", _SURROGATES.sub("\ufffd", text))
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


# --- PDF ------------------------------------------------------------------------------------


def _parse_pdf(data: bytes, limits: ParseLimits) -> ParsedDocument:
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument("The PDF is password-protected; upload an unlocked copy.")
        page_count = len(reader.pages)
        if page_count > limits.max_pdf_pages:
            raise UnreadableDocument(
                f"The PDF has {page_count:,} pages; at most {limits.max_pdf_pages:,} are supported."
            )
        title = _clean_title(reader.metadata.title if reader.metadata else None)
        return _join_pages((page.extract_text() for page in reader.pages), title, limits)
    except UnreadableDocument:
        raise
    except FileNotDecryptedError as exc:
        raise UnreadableDocument("The PDF is password-protected; upload an unlocked copy.") from exc
    except Exception as exc:  # a damaged file can fail anywhere inside pypdf, with any error
        raise UnreadableDocument("The PDF is damaged or not a valid PDF file.") from exc


def _join_pages(
    page_texts: Iterable[str], title: str | None, limits: ParseLimits
) -> ParsedDocument:
    """Pages joined by PAGE_SEPARATOR, each one's span kept; stops once past the limits."""
    parts: list[str] = []
    spans: list[PageSpan] = []
    position = 0
    for number, raw in enumerate(page_texts, start=1):
        page_text = normalize_text(raw)
        if len(page_text) > limits.max_page_chars:
            raise UnreadableDocument(
                f"Page {number} of the PDF holds more than {limits.max_page_chars:,} characters "
                "of text, far more than a real page."
            )
        if not page_text:
            continue
        if parts:
            parts.append(PAGE_SEPARATOR)
            position += len(PAGE_SEPARATOR)
        spans.append(PageSpan(number, position, position + len(page_text)))
        parts.append(page_text)
        position += len(page_text)
        if position > limits.max_chars:
            raise _too_long(limits)
    return ParsedDocument("".join(parts), tuple(spans), title)


# --- DOCX -----------------------------------------------------------------------------------


def _parse_docx(data: bytes, limits: ParseLimits) -> ParsedDocument:
    _check_unpacked_size(data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_docx_blocks(document.iter_inner_content()))
        title = _clean_title(document.core_properties.title) or _docx_heading(document.paragraphs)
    except Exception as exc:  # python-docx and lxml raise many kinds of error on damaged parts
        raise UnreadableDocument("The Word document is damaged or not a valid .docx file.") from exc
    return ParsedDocument(normalize_text("\n\n".join(blocks)), None, title)


def _check_unpacked_size(data: bytes, limits: ParseLimits) -> None:
    """Refuse zip bombs before unpacking anything. The declared sizes can be trusted as a
    bound: zipfile stops reading a member at its declared size (and then fails its CRC)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise UnreadableDocument("The Word document is damaged (not a readable ZIP).") from exc
    if len(members) > limits.max_zip_entries:
        raise UnreadableDocument(f"The Word document has too many parts ({len(members):,}).")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        raise UnreadableDocument(
            f"The Word document unpacks to {unpacked / 2**20:,.0f} MiB, "
            f"more than the {limits.max_unpacked_bytes / 2**20:,.0f} MiB allowed."
        )


def _docx_blocks(items: Iterator[Paragraph | Table]) -> Iterator[str]:
    """Paragraphs and tables in reading order; a table row becomes one tab-separated line."""
    for item in items:
        yield item.text if isinstance(item, Paragraph) else "\n".join(map(_docx_row, item.rows))


def _docx_row(row: _Row) -> str:
    seen: set[int] = set()
    cells: list[str] = []
    for cell in row.cells:
        # A merged cell comes back once per grid column it spans: keep it once.
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(" ".join("\n".join(_docx_blocks(cell.iter_inner_content())).split()))
    return "\t".join(cells)


def _docx_heading(paragraphs: list[Paragraph]) -> str | None:
    for paragraph in paragraphs:
        style = paragraph.style.name if paragraph.style is not None else None
        if style in ("Title", "Heading 1") and paragraph.text.strip():
            return _clean_title(paragraph.text)
    return None


# --- HTML -----------------------------------------------------------------------------------

_SKIPPED_TAGS = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object"}
)
_PARAGRAPH_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl",
        "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
        "ul",
    }
)  # fmt: skip
_LINE_TAGS = frozenset({"br", "caption", "dd", "dt", "li", "option", "tr"})
_CELL_TAGS = frozenset({"td", "th"})
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]+")
_SPACES_AROUND_BREAKS = re.compile(r"[ \t]*\n[ \t]*")
_SPACE_RUNS = re.compile(r" {2,}")  # where inline elements meet: "Hello <b> world</b>"


def _parse_html(data: bytes) -> ParsedDocument:
    tree = LexborHTMLParser(decode_text(data))
    title_node = tree.css_first("head > title")
    title = _clean_title(title_node.text() if title_node else None)
    body = tree.body
    text = normalize_text(_html_text(body)) if body is not None else ""
    if title is None and body is not None:
        heading = body.css_first("h1")
        title = _clean_title(heading.text() if heading else None)
    return ParsedDocument(text, None, title)


def _html_text(root: LexborNode) -> str:
    """Visible text with block elements on lines of their own. Iterative: HTML nests deeply."""
    parts: list[str] = []
    stack: list[LexborNode | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            parts.append(item)
        elif item.is_text_node:
            parts.append(_HTML_WHITESPACE.sub(" ", item.text_content or ""))
        elif item.is_element_node and item.tag not in _SKIPPED_TAGS:
            tag = item.tag or ""
            after, before = _html_breaks(tag)
            stack.append(after)
            stack.extend(reversed(list(item.iter(include_text=True))))
            stack.append(before)
    return _SPACES_AROUND_BREAKS.sub("\n", _SPACE_RUNS.sub(" ", "".join(parts)))


def _html_breaks(tag: str) -> tuple[str, str]:
    """What goes after and before an element's content."""
    if tag in _PARAGRAPH_TAGS:
        return "\n\n", "\n\n"
    if tag in _LINE_TAGS:  # in a list or table, or after a line of inline text
        return "\n", ""
    if tag in _CELL_TAGS:
        return "\t", ""
    return "", ""


# --- titles ---------------------------------------------------------------------------------


def _markdown_title(text: str) -> str | None:
    match = _ATX_HEADING.search(text[:10_000])
    return _clean_title(match.group(1)) if match else None


def _clean_title(raw: str | None, max_length: int = 300) -> str | None:
    if not raw:
        return None
    title = " ".join(_CONTROL_CHARS.sub("", unicodedata.normalize("NFC", raw)).split())
    return title[:max_length] or None
