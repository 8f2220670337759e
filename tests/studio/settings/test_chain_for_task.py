"""What the generation pipeline reads: the task's chain with decrypted keys, the settings view,
and the near-limit route, against the real database."""

from __future__ import annotations

import base64
import os
import uuid
from decimal import Decimal

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select, update

from brandflow.bootstrap import Container
from brandflow.contexts.finops.public import BudgetRule, BudgetState, choose_route
from brandflow.contexts.studio.checks import DEFAULT_MIN_SCORE
from brandflow.contexts.studio.settings.domain import TASKS
from brandflow.contexts.studio.settings.orm import ProviderCredential
from brandflow.contexts.studio.settings.service import (
    ProviderKeyUnreadable,
    ai_settings_of,
    chain_for_task,
    cheaper_route_for,
)
from brandflow.kernel.crypto import derived_keyring
from brandflow.kernel.llm import OFFLINE_LABEL, ModelChain, from_settings
from tests.studio.settings.support import (
    ANTHROPIC_KEY,
    OPENAI_KEY,
    People,
    create_key,
    keys_url,
    save_settings,
)


async def test_nothing_configured_is_the_deployment_chain(
    container: Container, demo: dict[str, uuid.UUID]
) -> None:
    acme = demo["acme-running"]
    deployment = container.settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_model": "gpt-4o",
            "llm_api_key": SecretStr("sk-deployment-key"),
            "llm_base_url": "https://deployment.example/v1",
        }
    )
    async with container.sessionmaker() as session:
        for task in TASKS:
            assert await chain_for_task(session, acme, task, container.settings) == ModelChain()
            assert await chain_for_task(session, acme, task, deployment) == from_settings(
                deployment
            )
        view = await ai_settings_of(session, acme)
        assert await cheaper_route_for(session, acme, container.settings) is None
    assert view.min_check_score == DEFAULT_MIN_SCORE
    assert view.tone_judge is False
    assert view.near_limit_threshold_percent is None
    assert view.revision == 0


async def test_the_configured_chain_carries_the_decrypted_key(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    people: People,
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    openai = await create_key(app_client, people.northwind, people.owner)
    claude = await create_key(
        app_client, people.northwind, people.owner, name="Claude", provider="anthropic",
        api_key=ANTHROPIC_KEY, base_url=None,
    )  # fmt: skip
    saved = await save_settings(
        app_client,
        acme,
        people.manager,
        {
            "min_check_score": 90,
            "tone_judge": True,
            "routing": {
                "generate": [
                    {"provider": "openai", "model": "gpt-4o", "credential_id": openai["id"],
                     "timeout_seconds": 12.5, "max_retries": 0},
                    {"provider": "anthropic", "model": "claude-haiku-4-5",
                     "credential_id": claude["id"]},
                    {"provider": "offline", "model": "offline-composer"},
                ],
                "rewrite": [{"provider": "vllm", "model": "llama", "base_url": "http://10.0.0.5/v1"}],
            },
            "near_limit": {
                "threshold_percent": 75,
                "routes": [{"provider": "openai", "model": "gpt-4o-mini",
                            "credential_id": openai["id"]}],
            },
        },
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    settings = container.settings

    async with container.sessionmaker() as session:
        generate = await chain_for_task(session, acme, "generate", settings)
        rewrite = await chain_for_task(session, acme, "rewrite", settings)
        check = await chain_for_task(session, acme, "check", settings)
        elsewhere = await chain_for_task(session, globex, "generate", settings)
        cheaper = await cheaper_route_for(session, acme, settings)
        view = await ai_settings_of(session, acme)

    first, second, third = generate.routes
    assert (first.provider, first.model) == ("openai", "gpt-4o")
    assert first.api_key is not None
    assert first.api_key.get_secret_value() == OPENAI_KEY
    assert first.base_url == "https://llm.example.com/v1"  # the key's own endpoint
    assert (first.timeout_seconds, first.max_retries) == (12.5, 0)
    assert OPENAI_KEY not in repr(generate)
    assert second.api_key is not None
    assert second.api_key.get_secret_value() == ANTHROPIC_KEY
    assert second.base_url is None
    assert second.timeout_seconds == settings.llm_timeout_seconds
    assert second.max_retries == settings.llm_max_retries
    assert third.label == OFFLINE_LABEL
    assert third.api_key is None
    assert rewrite.primary.provider == "openai"
    assert rewrite.primary.base_url == "http://10.0.0.5/v1"
    assert rewrite.primary.api_key is None  # never the deployment's, nor another route's key
    assert check == from_settings(settings)
    assert elsewhere == from_settings(settings)  # Globex configured nothing

    assert view.min_check_score == 90
    assert view.tone_judge is True
    assert view.near_limit_threshold_percent == 75
    assert view.revision == 1
    assert cheaper is not None
    assert cheaper.threshold_percent == Decimal(75)
    (cheap,) = cheaper.routes
    assert cheap.model == "gpt-4o-mini"
    assert cheap.api_key is not None
    assert cheap.api_key.get_secret_value() == OPENAI_KEY
    rule = BudgetRule(None, Decimal(100), 80, True)
    calm = choose_route([BudgetState(rule, Decimal(10), Decimal(0))], generate.routes, cheaper)
    near = choose_route([BudgetState(rule, Decimal(70), Decimal(6))], generate.routes, cheaper)
    assert calm.routes == generate.routes
    assert near.downgraded
    assert near.routes == cheaper.routes

    # Rotating the key through the API: the next chain carries the new one.
    rotated = await app_client.put(
        keys_url(people.northwind, openai["id"]),
        json={"name": openai["name"], "base_url": "https://rotated.example/v1",
              "api_key": "sk-rotated-0000000000000000"},
        headers=people.admin,
    )  # fmt: skip
    assert rotated.status_code == 200, rotated.text
    async with container.sessionmaker() as session:
        again = await chain_for_task(session, acme, "generate", settings)
    assert again.primary.api_key is not None
    assert again.primary.api_key.get_secret_value() == "sk-rotated-0000000000000000"
    assert again.primary.base_url == "https://rotated.example/v1"


async def _two_keys_and_a_route(
    client: httpx.AsyncClient, workspace: uuid.UUID, people: People
) -> tuple[uuid.UUID, uuid.UUID]:
    used = await create_key(client, people.northwind, people.owner, name="Used")
    other = await create_key(
        client, people.northwind, people.owner, name="Other", api_key=ANTHROPIC_KEY
    )
    route = {"provider": "openai", "model": "gpt-4o", "credential_id": used["id"]}
    saved = await save_settings(
        client, workspace, people.manager, {"routing": {"generate": [route]}}
    )
    assert saved.status_code == 200, saved.text
    return uuid.UUID(used["id"]), uuid.UUID(other["id"])


async def test_a_ciphertext_copied_onto_another_row_does_not_decrypt(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    people: People,
) -> None:
    acme = demo["acme-running"]
    used, other = await _two_keys_and_a_route(app_client, acme, people)
    async with container.sessionmaker() as session:
        stolen = await session.scalar(
            select(ProviderCredential.secret_ciphertext).where(ProviderCredential.id == other)
        )
        await session.execute(
            update(ProviderCredential)
            .where(ProviderCredential.id == used)
            .values(secret_ciphertext=stolen)
        )
        await session.commit()
    async with container.sessionmaker() as session:
        with pytest.raises(ProviderKeyUnreadable, match="'Used'") as refused:
            await chain_for_task(session, acme, "generate", container.settings)
    assert refused.value.status == 503
    assert ANTHROPIC_KEY not in str(refused.value)
    assert OPENAI_KEY not in str(refused.value)


async def test_another_encryption_key_cannot_read_stored_keys(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    people: People,
) -> None:
    acme = demo["acme-running"]
    await _two_keys_and_a_route(app_client, acme, people)
    new_key = "k9:" + base64.b64encode(os.urandom(32)).decode()
    replaced = container.settings.model_copy(update={"encryption_key": SecretStr(new_key)})
    async with container.sessionmaker() as session:
        with pytest.raises(ProviderKeyUnreadable, match="key id 'dev'") as refused:
            await chain_for_task(session, acme, "generate", replaced)
    assert OPENAI_KEY not in str(refused.value)
    # Rotation: the old (here: derived) key listed after the new one still reads.
    old = derived_keyring(container.settings.secret_key.get_secret_value()).keys["dev"]
    rotating = container.settings.model_copy(
        update={"encryption_key": SecretStr(f"{new_key},dev:{base64.b64encode(old).decode()}")}
    )
    async with container.sessionmaker() as session:
        chain = await chain_for_task(session, acme, "generate", rotating)
    assert chain.primary.api_key is not None
    assert chain.primary.api_key.get_secret_value() == OPENAI_KEY
