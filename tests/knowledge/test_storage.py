"""Object storage: the local directory default and an S3-compatible store behave alike.

The S3 side talks HTTP to moto's S3 server on loopback (a stand-in for AWS, MinIO or R2),
through the same obstore code path production uses with `BRANDFLOW_STORAGE_URL=s3://...`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from moto.server import ThreadedMotoServer

from brandflow.app import create_app
from brandflow.bootstrap import build_container
from brandflow.kernel.storage import FileStore, ObjectNotFound, file_store
from brandflow.settings import Settings
from tests.conftest import login

BUCKET = "brandflow-files"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # moto does not check signatures: a plain PUT makes the bucket.
    httpx.put(f"{endpoint}/{BUCKET}").raise_for_status()
    yield endpoint
    server.stop()


@pytest.fixture
def s3_env(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Credentials and endpoint the way an operator sets them: the provider's env vars."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ALLOW_HTTP": "true",
    }.items():
        monkeypatch.setenv(name, value)
    return f"s3://{BUCKET}/tenant-files"


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> FileStore:
    if request.param == "local":
        return file_store(None, tmp_path)
    return file_store(request.getfixturevalue("s3_env"), tmp_path)


async def test_put_get_delete_round_trip(store: FileStore) -> None:
    key = f"knowledge/{uuid.uuid4()}/{uuid.uuid4()}"
    data = "Ünïcode bytes \x00 and binary \xff".encode()
    await store.put(key, data)
    assert await store.exists(key)
    assert await store.get(key) == data
    await store.delete(key)
    assert not await store.exists(key)
    with pytest.raises(ObjectNotFound):
        await store.get(key)
    await store.delete(key)  # deleting what is gone is not an error


async def test_default_store_is_a_directory_under_the_data_dir(tmp_path: Path) -> None:
    store = file_store(None, tmp_path)
    await store.put("knowledge/w/d", b"x")
    assert (tmp_path / "files" / "knowledge" / "w" / "d").read_bytes() == b"x"


async def test_upload_and_delete_through_the_api_with_s3(
    settings: Settings, s3_env: str, demo: dict[str, uuid.UUID]
) -> None:
    s3_settings = settings.model_copy(update={"storage_url": s3_env})
    container = await build_container(s3_settings)
    container.run_relay = False
    app = create_app(s3_settings, container=container)
    container.attach(app)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            headers = await login(client, "writer@northwind.example")
            base = f"/api/v1/workspaces/{demo['acme-running']}/knowledge/documents"
            created = await client.post(
                base, headers=headers, files={"file": ("s3.txt", b"Stored in S3", "text/plain")}
            )
            assert created.status_code == 201, created.text
            doc_id = created.json()["id"]
            key = f"tenant-files/knowledge/{demo['acme-running']}/{doc_id}"
            bucket = file_store(f"s3://{BUCKET}", Path("."))  # the whole bucket, no prefix
            assert await bucket.get(key) == b"Stored in S3"
            await container.relay.drain()
            indexed = (await client.get(f"{base}/{doc_id}", headers=headers)).json()
            assert indexed["status"] == "indexed"
            assert (await client.delete(f"{base}/{doc_id}", headers=headers)).status_code == 204
            await container.relay.drain()
            assert not await bucket.exists(key)
    finally:
        await container.close()
