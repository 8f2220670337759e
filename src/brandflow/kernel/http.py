"""Request-scoped plumbing shared by every router: the unit of work and the client address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.kernel.uow import UnitOfWork

# Safe methods change nothing but bookkeeping (an API key's `last_used_at`): they run on
# autocommit connections, without `BEGIN`/`COMMIT` round trips (ADR 0008).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    state = request.app.state
    maker: async_sessionmaker[AsyncSession] = (
        state.read_sessionmaker if request.method in SAFE_METHODS else state.sessionmaker
    )
    return maker


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """The request owns the transaction: commit after the endpoint, before the response."""
    async for uow in _run_unit_of_work(request, _sessionmaker(request)):
        yield uow


async def _read_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """A read that takes a body, so a POST (a search): autocommit, as for GET."""
    async for uow in _run_unit_of_work(request, request.app.state.read_sessionmaker):
        yield uow


async def _run_unit_of_work(
    request: Request, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[UnitOfWork]:
    async with sessionmaker() as session:
        uow = UnitOfWork(session)
        try:
            yield uow
        except BaseException:
            if uow.keep_changes_on_error:
                await uow.commit()
            else:
                await uow.rollback()
            raise
        else:
            await uow.commit()
        # Let the in-process relay deliver right away instead of at its next poll.
        if uow.committed_envelopes and (relay := getattr(request.app.state, "relay", None)):
            relay.wake()


UnitOfWorkDep = Annotated[UnitOfWork, Depends(_unit_of_work, scope="function")]
ReadUnitOfWorkDep = Annotated[UnitOfWork, Depends(_read_unit_of_work, scope="function")]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
