"""Real documents built in memory for the knowledge tests: PDFs by pypdf, DOCX by python-docx."""

from __future__ import annotations

import io
import zipfile

import docx
from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

_HELVETICA = DictionaryObject(
    {
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }
)


def pdf_bytes(
    pages: list[str],
    *,
    title: str | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> bytes:
    """A PDF with one text line per line of each page's text (ASCII only: Helvetica's
    standard encoding). Any password encrypts it with AES-256."""
    writer = PdfWriter()
    for page_text in pages:
        page = writer.add_blank_page(width=612, height=792)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): _HELVETICA})}
        )
        lines = [f"({_pdf_string(line)}) Tj T*" for line in page_text.splitlines()]
        content = ContentStream(None, writer)
        content.set_data("\n".join(["BT /F1 11 Tf 14 TL 72 740 Td", *lines, "ET"]).encode())
        page.replace_contents(content)
    if title is not None:
        writer.add_metadata({"/Title": title})
    if user_password is not None or owner_password is not None:
        writer.encrypt(
            user_password=user_password or "",
            owner_password=owner_password,
            algorithm="AES-256",
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_string(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def docx_bytes(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_zip_member(archive_bytes: bytes, name: str, size: int) -> bytes:
    """A copy of a ZIP with one more member: `size` zero bytes, which deflate to almost nothing."""
    out = io.BytesIO(archive_bytes)
    with (
        zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w", force_zip64=True) as member,
    ):
        block = bytes(1024 * 1024)
        for _ in range(size // len(block)):
            member.write(block)
        member.write(bytes(size % len(block)))
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()
