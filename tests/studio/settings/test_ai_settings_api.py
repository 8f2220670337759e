"""A workspace's AI settings over the API: defaults, ETags, permissions, routes and their keys."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest

from brandflow.bootstrap import Container
from brandflow.contexts.studio.checks import DEFAULT_MIN_SCORE
from tests.conftest import login
from tests.studio.settings.support import (
    ANTHROPIC_KEY,
    People,
    create_key,
    outbox,
    save_settings,
    settings_url,
)

OPENAI_ROUTE = {"provider": "openai", "model": "gpt-4o-mini"}


async def test_defaults_then_a_save_with_the_etag(
    app_client: httpx.AsyncClient,
    container: Container,
    demo: dict[str, uuid.UUID],
    people: People,
) -> None:
    acme = demo["acme-running"]
    url = settings_url(acme)
    first = await app_client.get(url, headers=people.client)  # content readers see them
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["revision"] == 0
    assert body["min_check_score"] == DEFAULT_MIN_SCORE
    assert body["tone_judge"] is False
    assert body["routing"] == {"generate": [], "rewrite": [], "check": []}
    assert body["near_limit"] is None
    assert body["updated_at"] is None
    assert body["updated_by"] is None
    assert first.headers["ETag"] == body["etag"]

    wanted = {
        "min_check_score": 85,
        "tone_judge": True,
        "routing": {
            "generate": [
                {**OPENAI_ROUTE, "base_url": "http://127.0.0.1:11434/v1", "timeout_seconds": 20},
                {"provider": "offline", "model": "offline-composer"},
            ],
            "check": [{"provider": "Ollama", "model": "llama3.1:8b", "max_retries": 0}],
        },
        "near_limit": {"threshold_percent": 90, "routes": [{"provider": "offline", "model": "x"}]},
    }
    missing = await app_client.put(url, json=wanted, headers=people.manager)
    assert missing.status_code == 428, missing.text
    stale = await app_client.put(
        url, json=wanted, headers={**people.manager, "If-Match": '"stale"'}
    )
    assert stale.status_code == 412, stale.text
    saved = await app_client.put(
        url, json=wanted, headers={**people.manager, "If-Match": body["etag"]}
    )
    assert saved.status_code == 200, saved.text
    read = saved.json()
    assert read["revision"] == 1
    assert saved.headers["ETag"] == read["etag"] != body["etag"]
    assert read["min_check_score"] == 85
    assert read["tone_judge"] is True
    assert read["routing"]["generate"][0] == {
        **OPENAI_ROUTE,
        "base_url": "http://127.0.0.1:11434/v1",
        "credential_id": None,
        "timeout_seconds": 20.0,
        "max_retries": None,
    }
    assert read["routing"]["check"][0]["provider"] == "openai"  # the alias, as the gateway reads it
    assert read["routing"]["rewrite"] == []
    assert read["near_limit"]["threshold_percent"] == 90
    assert read["updated_by"]["type"] == "user"
    assert read["updated_at"] is not None
    assert (await app_client.get(url, headers=people.editor)).json() == read

    changed = await outbox(container, "studio.ai_settings_changed")
    assert len(changed) == 1
    assert changed[0]["workspace_id"] == str(acme)
    payload = changed[0]["payload"]
    assert payload["subject_id"] == str(acme)
    assert payload["revision"] == 1
    assert payload["changed_fields"] == [
        "min_check_score",
        "tone_judge",
        "routing.generate",
        "routing.check",
        "near_limit",
    ]
    assert payload["changes"]["routing.generate"] == [
        [],
        ["openai:gpt-4o-mini", "offline composer"],
    ]

    # The same settings again: nothing saved, nothing recorded. The old ETag is stale now.
    same = await app_client.put(
        url, json=wanted, headers={**people.manager, "If-Match": read["etag"]}
    )
    assert same.status_code == 200, same.text
    assert same.json()["revision"] == 1
    assert len(await outbox(container, "studio.ai_settings_changed")) == 1
    old = await app_client.put(
        url, json={"min_check_score": 10}, headers={**people.manager, "If-Match": body["etag"]}
    )
    assert old.status_code == 412, old.text
    assert old.json()["current_etag"] == read["etag"]
    # Left out means the default.
    reset = await app_client.put(url, json={}, headers={**people.manager, "If-Match": "*"})
    assert reset.status_code == 200, reset.text
    assert reset.json()["revision"] == 2
    assert reset.json()["min_check_score"] == DEFAULT_MIN_SCORE
    assert reset.json()["near_limit"] is None


async def test_who_may_read_and_change_them(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], people: People
) -> None:
    acme, globex = demo["acme-running"], demo["globex-coffee"]
    body = {"min_check_score": 50}
    for headers in (people.editor, people.client):
        refused = await save_settings(app_client, acme, headers, body)
        assert refused.status_code == 403, refused.text
        keys = await app_client.get(f"{settings_url(acme)}/provider-keys", headers=headers)
        assert keys.status_code == 403
    reviewer = await login(app_client, "reviewer@northwind.example")
    assert (await save_settings(app_client, acme, reviewer, body)).status_code == 403
    # Another workspace's member: the workspace does not exist for them.
    globex_client = await login(app_client, "client@globex.example")
    for answer in (
        await app_client.get(settings_url(acme), headers=globex_client),
        await app_client.put(
            settings_url(acme), json=body, headers={**globex_client, "If-Match": "*"}
        ),
    ):
        assert answer.status_code == 404, answer.text
    # Organization owners act as managers everywhere; each workspace has its own settings.
    assert (await save_settings(app_client, globex, people.owner, body)).status_code == 200
    assert (await app_client.get(settings_url(acme), headers=people.owner)).json()[
        "min_check_score"
    ] == DEFAULT_MIN_SCORE


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"min_check_score": 101}, ["body", "min_check_score"]),
        ({"min_check_score": -1}, ["body", "min_check_score"]),
        ({"min_check_score": "80"}, ["body", "min_check_score"]),
        ({"min_check_score": 80.5}, ["body", "min_check_score"]),
        ({"min_check_score": True}, ["body", "min_check_score"]),
        ({"min_check_score": None}, ["body", "min_check_score"]),
        ({"tone_judge": "yes"}, ["body", "tone_judge"]),
        ({"tone_judge": 1}, ["body", "tone_judge"]),
        ({"routing": []}, ["body", "routing"]),
        ({"routing": {"translate": []}}, ["body", "routing", "translate"]),
        ({"routing": {"generate": [OPENAI_ROUTE] * 6}}, ["body", "routing", "generate"]),
        ({"routing": {"generate": [{"provider": "cohere", "model": "x"}]}},
         ["body", "routing", "generate", 0, "provider"]),
        ({"routing": {"generate": [{"provider": "openai"}]}},
         ["body", "routing", "generate", 0, "model"]),
        ({"routing": {"generate": [{"provider": "openai", "model": "gpt 4o"}]}},
         ["body", "routing", "generate", 0, "model"]),
        ({"routing": {"generate": [{"provider": "openai", "model": "m" * 201}]}},
         ["body", "routing", "generate", 0, "model"]),
        ({"routing": {"rewrite": [{**OPENAI_ROUTE, "base_url": "file:///etc/passwd"}]}},
         ["body", "routing", "rewrite", 0, "base_url"]),
        ({"routing": {"rewrite": [{**OPENAI_ROUTE, "base_url": "https://u:p@h.example"}]}},
         ["body", "routing", "rewrite", 0, "base_url"]),
        ({"routing": {"check": [{**OPENAI_ROUTE, "timeout_seconds": 0}]}},
         ["body", "routing", "check", 0, "timeout_seconds"]),
        ({"routing": {"check": [{**OPENAI_ROUTE, "timeout_seconds": 601}]}},
         ["body", "routing", "check", 0, "timeout_seconds"]),
        ({"routing": {"check": [{**OPENAI_ROUTE, "timeout_seconds": "10"}]}},
         ["body", "routing", "check", 0, "timeout_seconds"]),
        ({"routing": {"check": [{**OPENAI_ROUTE, "max_retries": 11}]}},
         ["body", "routing", "check", 0, "max_retries"]),
        ({"routing": {"check": [{**OPENAI_ROUTE, "credential_id": "not-a-uuid"}]}},
         ["body", "routing", "check", 0, "credential_id"]),
        ({"routing": {"check": [{**OPENAI_ROUTE, "api_key": "sk-inline"}]}},
         ["body", "routing", "check", 0, "api_key"]),
        ({"routing": {"generate": [{"provider": "offline", "model": "x",
                                    "base_url": "http://localhost:1"}]}},
         ["body", "routing", "generate", 0]),
        ({"routing": {"generate": [{**OPENAI_ROUTE, "credential_id": str(uuid.uuid4()),
                                    "base_url": "https://elsewhere.example"}]}},
         ["body", "routing", "generate", 0]),
        ({"near_limit": {"threshold_percent": 0, "routes": [OPENAI_ROUTE]}},
         ["body", "near_limit", "threshold_percent"]),
        ({"near_limit": {"threshold_percent": 101, "routes": [OPENAI_ROUTE]}},
         ["body", "near_limit", "threshold_percent"]),
        ({"near_limit": {"threshold_percent": 90, "routes": []}},
         ["body", "near_limit", "routes"]),
        ({"near_limit": {"routes": [OPENAI_ROUTE]}}, ["body", "near_limit", "threshold_percent"]),
        ({"surprise": 1}, ["body", "surprise"]),
    ],
)  # fmt: skip
async def test_bad_settings_are_a_422_naming_the_field(
    app_client: httpx.AsyncClient,
    demo: dict[str, uuid.UUID],
    manager: dict[str, str],
    body: dict[str, Any],
    loc: list[Any],
) -> None:
    response = await save_settings(app_client, demo["acme-running"], manager, body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert loc in [e["loc"] for e in response.json()["errors"]]
    after = await app_client.get(settings_url(demo["acme-running"]), headers=manager)
    assert after.json()["revision"] == 0


async def test_routes_may_only_name_keys_of_the_organization_for_their_provider(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], people: People
) -> None:
    acme = demo["acme-running"]
    ours = await create_key(app_client, people.northwind, people.owner)
    claude = await create_key(
        app_client, people.northwind, people.owner, name="Claude", provider="anthropic",
        api_key=ANTHROPIC_KEY, base_url=None,
    )  # fmt: skip
    theirs = await create_key(app_client, people.initech, people.stranger, name="Initech")

    usable = await app_client.get(f"{settings_url(acme)}/provider-keys", headers=people.manager)
    assert usable.status_code == 200, usable.text
    assert {k["id"] for k in usable.json()} == {ours["id"], claude["id"]}
    assert all(set(k) == {"id", "name", "provider", "base_url"} for k in usable.json())

    refused = await save_settings(
        app_client,
        acme,
        people.manager,
        {
            "routing": {
                "generate": [
                    {**OPENAI_ROUTE, "credential_id": ours["id"]},
                    {**OPENAI_ROUTE, "credential_id": theirs["id"]},
                    {**OPENAI_ROUTE, "credential_id": claude["id"]},
                ]
            },
            "near_limit": {
                "threshold_percent": 80,
                "routes": [{**OPENAI_ROUTE, "credential_id": str(uuid.uuid4())}],
            },
        },
    )
    assert refused.status_code == 422, refused.text
    errors = {tuple(e["loc"]): e for e in refused.json()["errors"]}
    assert set(errors) == {
        ("body", "routing", "generate", 1, "credential_id"),
        ("body", "routing", "generate", 2, "credential_id"),
        ("body", "near_limit", "routes", 0, "credential_id"),
    }
    assert errors[("body", "routing", "generate", 1, "credential_id")]["type"] == "not_found"
    assert errors[("body", "routing", "generate", 2, "credential_id")]["type"] == (
        "provider_mismatch"
    )
    assert "Initech" not in refused.text

    accepted = await save_settings(
        app_client,
        acme,
        people.manager,
        {
            "routing": {
                "generate": [{**OPENAI_ROUTE, "credential_id": ours["id"]}],
                "rewrite": [{"provider": "anthropic", "model": "claude-haiku-4-5",
                             "credential_id": claude["id"]}],
            }
        },
    )  # fmt: skip
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["routing"]["generate"][0]["credential_id"] == ours["id"]
    assert "key_hint" not in accepted.text  # settings name keys, never show anything of them


async def test_concurrent_saves_with_one_etag_let_exactly_one_through(
    app_client: httpx.AsyncClient, demo: dict[str, uuid.UUID], manager: dict[str, str]
) -> None:
    url = settings_url(demo["acme-running"])
    etag = (await app_client.get(url, headers=manager)).headers["ETag"]
    answers = await asyncio.gather(
        *(
            app_client.put(
                url, json={"min_check_score": score}, headers={**manager, "If-Match": etag}
            )
            for score in (10, 20, 30, 40)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200, 412, 412, 412], [a.text for a in answers]
    final = (await app_client.get(url, headers=manager)).json()
    assert final["revision"] == 1
    winner = next(a for a in answers if a.status_code == 200).json()
    assert final["min_check_score"] == winner["min_check_score"]
