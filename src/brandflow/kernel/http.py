"""Request-scoped plumbing shared by every router: the unit of work and the client address."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from brandflow.kernel.uow import UnitOfWork


async def _unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """The request owns the transaction: commit after the endpoint, before the response."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
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


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
