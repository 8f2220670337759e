"""What kind of knowledge document an upload is, decided from its bytes.

The uploaded file name and content type are hints only. They never make the bytes into
something they are not (a `.pdf` name on text is text; an executable renamed `.txt` is
refused); they only settle what the bytes leave open: Markdown versus plain text, and
markup-led text that could be either an HTML fragment or Markdown.

Why small signature checks and not `filetype`/`puremagic`: we accept five kinds, and the
two hard decisions are ones those libraries don't make safely. DOCX versus any other ZIP
needs the archive's directory read (they match the ZIP signature or scan raw bytes for
"word/"), and text versus binary needs a decode (they name binaries, and every binary that
is not PDF or DOCX is refused here anyway). What is left is the `%PDF-` signature and the
WHATWG MIME-sniffing rules for HTML, a few lines each. Legacy encodings are guessed by
`charset-normalizer`.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from enum import StrEnum
from pathlib import PurePosixPath

import charset_normalizer


class DocumentType(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    HTML = "html"
    MARKDOWN = "markdown"
    TEXT = "text"


class UnreadableDocument(Exception):
    """A document we cannot turn into text; `reason` is written for the person who uploaded it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedDocumentType(UnreadableDocument):
    """The bytes are none of the accepted kinds: refuse the upload rather than store it."""


_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, .xls, .ppt
_DOCX_MAIN_PART = "word/document.xml"
_ASCII_WHITESPACE = b" \t\n\r\f"

_BOMS = (  # UTF-32 first: its little-endian BOM begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Text may hold tabs, newlines, form feeds and a few stray controls; more other control
# characters than this means a binary file that happened to decode.
_MAX_CONTROL_SHARE = 0.01
_STRAY_CONTROLS = 8
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_SNIFF_WINDOW = 64 * 1024

# WHATWG MIME Sniffing, "rules for identifying an unknown MIME type": markup that opens a
# resource this way is HTML. The doctype and <html> are certain; the rest could also open
# a Markdown file, so a Markdown or text hint wins over them.
_CERTAIN_HTML = re.compile(r"<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE)
_LIKELY_HTML = re.compile(
    r"<(?:head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|!--)[\s>]",
    re.IGNORECASE,
)
_XML_DECLARATION = re.compile(r"<\?xml[^>]*\?>\s*", re.IGNORECASE)
_ANY_TAG = re.compile(r"<(?:[a-z][a-z0-9-]*|!--)[\s>/]", re.IGNORECASE)

_MARKDOWN_STRONG = (
    re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE),  # ATX heading
    re.compile(r"^(?:```|~~~)", re.MULTILINE),  # fenced code
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # inline link
    re.compile(r"^\|.*\|[ \t]*$\n^\|[ \t:|-]+\|[ \t]*$", re.MULTILINE),  # table head + rule
)
_MARKDOWN_WEAK = (
    re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S", re.MULTILINE),  # list item
    re.compile(r"(\*\*|__)[^*_\n]+\1"),  # strong emphasis
    re.compile(r"^>[ \t]?\S", re.MULTILINE),  # block quote
    re.compile(r"^\S.*\n(?:=+|-+)[ \t]*$", re.MULTILINE),  # setext heading
)

_HINTS_BY_SUFFIX = {
    ".pdf": DocumentType.PDF,
    ".docx": DocumentType.DOCX,
    ".html": DocumentType.HTML,
    ".htm": DocumentType.HTML,
    ".xhtml": DocumentType.HTML,
    ".md": DocumentType.MARKDOWN,
    ".markdown": DocumentType.MARKDOWN,
    ".txt": DocumentType.TEXT,
    ".text": DocumentType.TEXT,
}
_HINTS_BY_CONTENT_TYPE = {
    "application/pdf": DocumentType.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DocumentType.DOCX,
    "text/html": DocumentType.HTML,
    "application/xhtml+xml": DocumentType.HTML,
    "text/markdown": DocumentType.MARKDOWN,
    "text/x-markdown": DocumentType.MARKDOWN,
    "text/plain": DocumentType.TEXT,
}


def sniff_document_type(
    data: bytes, *, filename: str | None = None, content_type: str | None = None
) -> DocumentType:
    """The kind of document `data` is; raises `UnsupportedDocumentType` for anything else."""
    if not data.strip():
        raise UnsupportedDocumentType("The file is empty.")
    head = data[:_SNIFF_WINDOW]
    if head.lstrip(_ASCII_WHITESPACE).startswith(_PDF_MAGIC):
        return DocumentType.PDF
    if head.startswith(_ZIP_MAGIC):
        _require_docx(data)
        return DocumentType.DOCX
    if head.startswith(_OLE2_MAGIC):
        raise UnsupportedDocumentType(
            "This is a Word 97-2003 (.doc) or other legacy Office file; save it as .docx or PDF."
        )
    text = decode_text(head, truncated=len(data) > len(head))  # refuses binaries
    return _text_kind(text, _hint(filename, content_type))


def decode_text(data: bytes, *, truncated: bool = False) -> str:
    """Bytes of a text file as a string: UTF-8 (or a BOM's encoding), else a guessed legacy one.

    `truncated` says `data` is a prefix of the file, so a multi-byte character may be cut at
    its end. Raises `UnsupportedDocumentType` when the bytes are not text.
    """
    text = _decode(data, truncated=truncated)
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > _STRAY_CONTROLS + len(text) * _MAX_CONTROL_SHARE:
        raise _not_text()
    return text


def _decode(data: bytes, *, truncated: bool) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _decode_prefix(data, encoding) if truncated else data.decode(encoding)
            except UnicodeDecodeError:
                raise _not_text() from None
    if b"\x00" in data:  # no text outside UTF-16/32 holds NUL, and those come with a BOM here
        raise _not_text()
    try:
        return _decode_prefix(data, "utf-8") if truncated else data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise _not_text()
    # Latin-script text often fits cp1250, cp1252 and cp1257 equally well; when it does,
    # take cp1252, the legacy default of Windows and of the web (WHATWG's fallback).
    tied = [
        m
        for m in matches
        if m.encoding == "cp1252" and m.chaos <= best.chaos and m.coherence >= best.coherence
    ]
    return str(tied[0] if tied else best)


def _decode_prefix(data: bytes, encoding: str) -> str:
    """Decode a file's first bytes, letting a character cut at the end of the window go."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    return decoder.decode(data, final=False)


def _not_text() -> UnsupportedDocumentType:
    return UnsupportedDocumentType(
        "The file is not a PDF, Word (.docx), HTML, Markdown or text document."
    )


def _require_docx(data: bytes) -> None:
    """Read the ZIP's directory (not its contents) to tell a Word document from other ZIPs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise UnsupportedDocumentType("The file looks like a ZIP archive but is damaged.") from exc
    if _DOCX_MAIN_PART not in names or "[Content_Types].xml" not in names:
        raise UnsupportedDocumentType(
            "The file is a ZIP archive but not a Word (.docx) document; "
            "other Office formats and archives are not supported."
        )


def _hint(filename: str | None, content_type: str | None) -> DocumentType | None:
    if filename:
        by_name = _HINTS_BY_SUFFIX.get(PurePosixPath(filename.replace("\\", "/")).suffix.lower())
        if by_name:
            return by_name
    if content_type:
        return _HINTS_BY_CONTENT_TYPE.get(content_type.split(";", 1)[0].strip().lower())
    return None


def _text_kind(text: str, hint: DocumentType | None) -> DocumentType:
    """Which text format: HTML when the markup says so, then the hint, then Markdown cues."""
    opening = _XML_DECLARATION.sub("", text.lstrip(), count=1)
    if _CERTAIN_HTML.match(opening):
        return DocumentType.HTML
    if hint in (DocumentType.MARKDOWN, DocumentType.TEXT):
        return hint
    if _LIKELY_HTML.match(opening) or (hint is DocumentType.HTML and _ANY_TAG.search(text)):
        return DocumentType.HTML
    return DocumentType.MARKDOWN if _looks_like_markdown(text) else DocumentType.TEXT


def _looks_like_markdown(text: str) -> bool:
    """One structural cue (heading, fence, link, table) or two distinct lighter ones."""
    if any(pattern.search(text) for pattern in _MARKDOWN_STRONG):
        return True
    return sum(1 for pattern in _MARKDOWN_WEAK if pattern.search(text)) >= 2
