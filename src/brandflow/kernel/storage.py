"""Object storage for uploaded files, through obstore (ADR 0011).

One interface for a local directory (the default), S3 and S3-compatible stores (MinIO, R2,
Ceph), Google Cloud Storage and Azure. Keys are opaque paths the owning context chooses
and records next to its rows; this module only moves bytes.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import obstore
from obstore.store import LocalStore, ObjectStore, from_url


class ObjectNotFound(LookupError):
    """No object is stored under the key."""


class FileStore:
    """Puts, reads and deletes whole objects by key."""

    def __init__(self, store: ObjectStore, *, url: str) -> None:
        self._store = store
        self.url = url

    async def put(self, key: str, data: bytes) -> None:
        # No Content-Type attribute: the local store cannot keep one; the owner's row has it.
        await obstore.put_async(self._store, key, data)

    async def get(self, key: str) -> bytes:
        try:
            result = await obstore.get_async(self._store, key)
        except FileNotFoundError as exc:
            raise ObjectNotFound(key) from exc
        return bytes(await result.bytes_async())

    async def exists(self, key: str) -> bool:
        try:
            await obstore.head_async(self._store, key)
        except FileNotFoundError:
            return False
        return True

    async def delete(self, key: str) -> None:
        """Idempotent: deleting a missing object is not an error (S3 semantics everywhere)."""
        with contextlib.suppress(FileNotFoundError):
            await obstore.delete_async(self._store, key)


def file_store(url: str | None, data_dir: Path) -> FileStore:
    """The configured store; unset means ``<data_dir>/files`` on the local disk."""
    if not url:
        root = (data_dir / "files").resolve()
        return FileStore(LocalStore(root, mkdir=True), url=root.as_uri())
    if url.startswith("file://"):
        return FileStore(from_url(url, mkdir=True), url=url)
    return FileStore(from_url(url), url=url)
