"""Knowledge documents through the API: upload, ingestion by the consumer, edit, delete."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from urllib.parse import urlparse

import docx
import httpx
import pytest
from sqlalchemy import func, select

from brandflow.app import create_app
from brandflow.bootstrap import Container, build_container
from brandflow.contexts.audit.orm import AuditEvent
from brandflow.contexts.knowledge.orm import KnowledgeChunk, KnowledgeDocument
from brandflow.settings import Settings
from tests.conftest import login
from tests.knowledge.documents import docx_bytes, pdf_bytes

GUIDE = (
    "# Acme Running voice guide\n\n"
    "Acme Running speaks like a coach at the start line: short sentences, warm, direct.\n\n"
    "## Claims\n\nThe Cloudstride 3 cushions every stride with recycled foam. "
    "Never promise injury prevention.\n"
)


def base(workspace_id: uuid.UUID) -> str:
    return f"/api/v1/workspaces/{workspace_id}/knowledge"


def stored_files(settings: Settings) -> list[Path]:
    root = Path(urlparse(settings.storage_url or "").path)
    return [p for p in root.rglob("*") if p.is_file()]


async def upload(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    workspace_id: uuid.UUID,
    name: str,
    data: bytes,
    content_type: str = "application/octet-stream",
    **form: str | list[str],
) -> httpx.Response:
    return await client.post(
        f"{base(workspace_id)}/documents",
        headers=headers,
        files={"file": (name, data, content_type)},
        data=form,
    )


@pytest.fixture
async def writer(app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID]) -> dict[str, str]:
    return await login(app_client, "writer@northwind.example")


async def test_upload_is_queued_then_indexed_by_the_consumer(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    writer: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    response = await upload(
        app_client,
        writer,
        acme,
        "voice-guide.md",
        GUIDE.encode(),
        "text/plain",
        tags=["Voice, guidelines"],
        metadata='{"owner": "brand team", "year": 2026}',
    )
    assert response.status_code == 201, response.text
    document = response.json()
    assert document["status"] == "queued"
    assert document["document_type"] == "markdown"  # sniffed, not the declared text/plain
    assert document["title"] == "voice guide"
    assert document["tags"] == ["voice", "guidelines"]
    assert document["metadata"] == {"owner": "brand team", "year": 2026}
    assert response.headers["location"].endswith(document["id"])

    await container.relay.drain()

    indexed = await app_client.get(f"{base(acme)}/documents/{document['id']}", headers=writer)
    body = indexed.json()
    assert body["status"] == "indexed", body
    assert body["chunk_count"] >= 1
    assert body["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert body["embedding_dimension"] == 384
    chunks = (
        await app_client.get(f"{base(acme)}/documents/{document['id']}/chunks", headers=writer)
    ).json()["items"]
    assert len(chunks) == body["chunk_count"]
    # Offsets cite the parsed text: the chunks are slices of it, in order.
    assert chunks[0]["start_offset"] == 0
    assert "Cloudstride 3" in "".join(c["text"] for c in chunks)
    download = await app_client.get(f"{base(acme)}/documents/{document['id']}/file", headers=writer)
    assert download.content == GUIDE.encode()
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def _word_file() -> bytes:
    document = docx.Document()
    document.add_heading("Brief", level=1)
    document.add_paragraph("Launch the Cloudstride")
    return docx_bytes(document)


async def test_pdf_and_docx_are_indexed_with_pages(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    writer: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    pdf = await upload(
        app_client, writer, acme, "sheet.bin", pdf_bytes(["Page one text", "Trail shoes page two"])
    )
    word = await upload(app_client, writer, acme, "brief.docx", _word_file())
    assert pdf.status_code == word.status_code == 201, (pdf.text, word.text)
    assert pdf.json()["document_type"] == "pdf"
    assert word.json()["document_type"] == "docx"
    await container.relay.drain()
    got = (
        await app_client.get(f"{base(acme)}/documents/{pdf.json()['id']}", headers=writer)
    ).json()
    assert got["status"] == "indexed"
    assert got["page_count"] == 2
    chunks = (
        await app_client.get(f"{base(acme)}/documents/{pdf.json()['id']}/chunks", headers=writer)
    ).json()["items"]
    assert chunks[0]["page"] == 1


async def test_duplicate_bytes_are_refused_with_the_existing_document(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    first = await upload(app_client, writer, acme, "a.txt", b"Same bytes, twice.")
    again = await upload(app_client, writer, acme, "other-name.txt", b"Same bytes, twice.")
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["document_id"] == first.json()["id"]
    # Another workspace keeps its own copy: duplicates are per workspace.
    owner = await login(app_client, "owner@northwind.example")
    elsewhere = await upload(app_client, owner, globex, "a.txt", b"Same bytes, twice.")
    assert elsewhere.status_code == 201


async def test_unsupported_bytes_are_refused_and_nothing_is_kept(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    writer: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    before = stored_files(container.settings)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    response = await upload(app_client, writer, acme, "logo.pdf", png, "application/pdf")
    assert response.status_code == 415, response.text
    assert "pdf" in response.json()["detail"].lower() or "type" in response.json()["detail"]
    empty = await upload(app_client, writer, acme, "empty.txt", b"")
    assert empty.status_code == 422
    assert stored_files(container.settings) == before
    async with container.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(KnowledgeDocument)) == 0


async def test_upload_over_the_limit_is_413(settings: Settings, demo: dict[str, uuid.UUID]) -> None:
    small = settings.model_copy(update={"knowledge_max_upload_bytes": 2_000})
    container = await build_container(small)
    container.run_relay = False
    app = create_app(small, container=container)
    container.attach(app)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = await login(client, "writer@northwind.example")
            ok = await upload(client, headers, demo["acme-running"], "ok.txt", b"fits " * 300)
            big = await upload(client, headers, demo["acme-running"], "big.txt", b"x " * 1_500)
            # Far over: refused by Content-Length before the body is read.
            huge = await upload(client, headers, demo["acme-running"], "huge.txt", b"y" * 200_000)
    finally:
        await container.close()
    assert ok.status_code == 201, ok.text
    assert big.status_code == 413
    assert "2,000" in big.json()["detail"]
    assert huge.status_code == 413


async def test_unreadable_document_fails_with_a_reason_and_can_be_reingested(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    writer: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    broken = b"%PDF-1.7\n" + b"\x00garbage that is no PDF at all" * 20
    response = await upload(app_client, writer, acme, "broken.pdf", broken)
    assert response.status_code == 201, response.text
    doc_id = response.json()["id"]
    again_too_soon = await app_client.post(
        f"{base(acme)}/documents/{doc_id}/reingest", headers=writer
    )
    assert again_too_soon.status_code == 409  # still queued
    await container.relay.drain()
    failed = (await app_client.get(f"{base(acme)}/documents/{doc_id}", headers=writer)).json()
    assert failed["status"] == "failed"
    assert failed["failure_reason"]
    assert "PDF" in failed["failure_reason"]
    assert failed["chunk_count"] == 0

    requeued = await app_client.post(f"{base(acme)}/documents/{doc_id}/reingest", headers=writer)
    assert requeued.status_code == 202
    assert requeued.json()["status"] == "queued"
    assert requeued.json()["failure_reason"] is None
    await container.relay.drain()
    final = (await app_client.get(f"{base(acme)}/documents/{doc_id}", headers=writer)).json()
    assert final["status"] == "failed"  # same bytes, same verdict; nothing was lost meanwhile
    async with container.sessionmaker() as session:
        actions = (
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.object_id == uuid.UUID(doc_id))
                .order_by(AuditEvent.occurred_at)
            )
        ).all()
    assert actions == [
        "knowledge.document_uploaded",
        "knowledge.document_failed",
        "knowledge.document_requeued",
        "knowledge.document_failed",
    ]


async def test_delete_removes_rows_chunks_vectors_and_the_file(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    writer: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    response = await upload(app_client, writer, acme, "guide.md", GUIDE.encode())
    doc_id = response.json()["id"]
    await container.relay.drain()
    stored = [p for p in stored_files(container.settings) if p.name == doc_id]
    assert len(stored) == 1
    assert stored[0].read_bytes() == GUIDE.encode()
    async with container.sessionmaker() as session:
        chunk_rows = await session.scalar(select(func.count()).select_from(KnowledgeChunk))
    assert chunk_rows

    deleted = await app_client.delete(f"{base(acme)}/documents/{doc_id}", headers=writer)
    assert deleted.status_code == 204
    async with container.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(KnowledgeChunk)) == 0
    await container.relay.drain()  # the file-cleanup consumer
    assert not stored[0].exists()
    gone = await app_client.get(f"{base(acme)}/documents/{doc_id}", headers=writer)
    assert gone.status_code == 404
    # The same bytes may come back as a new document.
    back = await upload(app_client, writer, acme, "guide.md", GUIDE.encode())
    assert back.status_code == 201
    assert back.json()["id"] != doc_id


async def test_edit_tags_and_metadata_then_filter_the_library(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> None:
    acme = demo["acme-running"]
    a = (
        await upload(app_client, writer, acme, "Claims \u2013 2026.txt", b"Approved claims")
    ).json()
    await upload(app_client, writer, acme, "notes.html", b"<html><p>Notes</p></html>")
    patched = await app_client.patch(
        f"{base(acme)}/documents/{a['id']}",
        headers=writer,
        json={"title": "Approved claims ✓", "tags": ["Legal", "legal", "claims"], "metadata": {}},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["tags"] == ["legal", "claims"]
    assert patched.json()["title"] == "Approved claims ✓"

    def ids(response: httpx.Response) -> list[str]:
        return [d["id"] for d in response.json()["items"]]

    listing = f"{base(acme)}/documents"
    assert ids(await app_client.get(listing, headers=writer, params={"tag": "legal"})) == [a["id"]]
    assert ids(await app_client.get(listing, headers=writer, params={"q": "claims ✓"})) == [a["id"]]
    html = await app_client.get(listing, headers=writer, params={"document_type": "html"})
    assert len(ids(html)) == 1
    assert ids(html) != [a["id"]]
    page = await app_client.get(listing, headers=writer, params={"limit": 1})
    assert len(ids(page)) == 1
    assert page.json()["next_cursor"]

    bad = await app_client.patch(
        f"{base(acme)}/documents/{a['id']}", headers=writer, json={"tags": ["has space"]}
    )
    assert bad.status_code == 422
    bad_form = await upload(app_client, writer, acme, "x.txt", b"other", metadata="[1, 2]")
    assert bad_form.status_code == 422
    assert bad_form.json()["errors"][0]["loc"][:2] == ["body", "metadata"]


async def test_file_names_lose_their_directories(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> None:
    response = await upload(
        app_client, writer, demo["acme-running"], "..\\..\\secret/Über ñame.txt", b"Unicode"
    )
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "Über ñame.txt"


async def test_roles_and_workspaces(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], writer: dict[str, str]
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    doc = (await upload(app_client, writer, acme, "a.txt", b"Acme only")).json()
    client = await login(app_client, "client@acme.example")
    assert (await upload(app_client, client, acme, "c.txt", b"no")).status_code == 403
    assert (await app_client.get(f"{base(acme)}/documents", headers=client)).status_code == 200
    assert (
        await app_client.delete(f"{base(acme)}/documents/{doc['id']}", headers=client)
    ).status_code == 403
    globex_client = await login(app_client, "client@globex.example")
    foreign = await app_client.get(f"{base(acme)}/documents/{doc['id']}", headers=globex_client)
    assert foreign.status_code == 404
    owner = await login(app_client, "owner@northwind.example")
    crossed = await app_client.get(f"{base(globex)}/documents/{doc['id']}", headers=owner)
    assert crossed.status_code == 404


async def test_concurrent_duplicate_uploads_keep_one_document_and_one_file(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    writer: dict[str, str],
) -> None:
    acme = demo["acme-running"]
    before = stored_files(container.settings)
    responses = await asyncio.gather(
        *(upload(app_client, writer, acme, f"race-{i}.txt", b"Raced bytes") for i in range(4))
    )
    assert sorted(r.status_code for r in responses) == [201, 409, 409, 409]
    async with container.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(KnowledgeDocument)) == 1
    assert len(stored_files(container.settings)) == len(before) + 1
