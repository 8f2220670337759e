"""Prompt templates: built-in defaults, workspace versions, and what a save refuses (422)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from brandflow.bootstrap import Container
from tests.conftest import login
from tests.studio.generation.conftest import GLOBEX_CLIENT, Item, generate, generation

GOOD = """Write {{ channel_name }} copy for {{ campaign.name }}.
{{ sources }}
Asked: {{ instructions or "nothing more" }} ({{ variant }}/{{ variants }})
{{ output_format }}"""


def url(workspace_id: uuid.UUID, task: str = "") -> str:
    base = f"/api/v1/workspaces/{workspace_id}/prompt-templates"
    return f"{base}/{task}" if task else base


async def test_built_in_templates_until_a_workspace_saves_its_own(
    app_client: httpx.AsyncClient,
    acme: uuid.UUID,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    listed = await app_client.get(url(acme), headers=writer)
    assert listed.status_code == 200, listed.text
    items = {t["task"]: t for t in listed.json()["items"]}
    assert set(items) == {"generate", "rewrite"}
    assert all(t["builtin"] and t["version"] == 0 and t["current"] for t in items.values())
    assert "sources" in items["generate"]["variables"]
    assert items["rewrite"]["required"] == ["rewrite_instruction", "source"]

    saved = await app_client.put(
        url(acme, "generate"), json={"template": GOOD, "note": "Shorter"}, headers=manager
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    assert not saved.json()["builtin"]
    again = await app_client.put(
        url(acme, "generate"), json={"template": GOOD + " "}, headers=manager
    )
    assert again.json()["version"] == 2

    versions = (await app_client.get(url(acme, "generate"), headers=writer)).json()
    assert [(v["version"], v["current"]) for v in versions] == [(2, True), (1, False), (0, False)]
    assert versions[1]["note"] == "Shorter"
    assert versions[0]["created_by"]["type"] == "user"
    current = {
        t["task"]: t for t in (await app_client.get(url(acme), headers=writer)).json()["items"]
    }
    assert current["generate"]["version"] == 2
    assert current["rewrite"]["builtin"]


@pytest.mark.parametrize(
    ("template", "loc", "kind"),
    [
        (GOOD + "{{ secret_key }}", ["body", "template", "secret_key"], "unknown_variable"),
        ("{{ instructions }} only", ["body", "template", "sources"], "missing_variable"),
        (GOOD + "\n{{ variant + }}\nmore", ["body", "template"], "template_syntax"),
        (GOOD + "{{ campaign.nmae }}", ["body", "template"], "template_render"),
        (GOOD + "{{ campaign.__class__.__mro__ }}", ["body", "template"], "template_render"),
        (GOOD + "{{ campaign.key_messages.append('x') }}", ["body", "template"], "template_render"),
        (
            GOOD + "{% for i in range(100000) %}x{% endfor %}",
            ["body", "template"],
            "template_render",
        ),
        (GOOD + "x" * 20_001, ["body", "template"], "string_too_long"),
    ],
)
async def test_a_template_that_does_not_fit_its_task_is_refused(
    app_client: httpx.AsyncClient,
    acme: uuid.UUID,
    manager: dict[str, str],
    template: str,
    loc: list[str],
    kind: str,
) -> None:
    response = await app_client.put(
        url(acme, "generate"), json={"template": template}, headers=manager
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert any(e["loc"] == loc and e["type"] == kind for e in problem["errors"]), problem
    if kind == "template_syntax":
        assert problem["line"] == 5
    versions = (await app_client.get(url(acme, "generate"), headers=manager)).json()
    assert [v["version"] for v in versions] == [0], "nothing was saved"


async def test_rewrite_variables_belong_to_rewrites_only(
    app_client: httpx.AsyncClient, acme: uuid.UUID, manager: dict[str, str]
) -> None:
    response = await app_client.put(
        url(acme, "generate"),
        json={"template": GOOD + "{{ rewrite_instruction }}"},
        headers=manager,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "template", "rewrite_instruction"]
    rewrite = await app_client.put(
        url(acme, "rewrite"),
        json={"template": "{{ rewrite_instruction }}\n{{ source }}\n{{ output_format }}"},
        headers=manager,
    )
    assert rewrite.status_code == 200, rewrite.text


async def test_who_may_read_and_save_templates(
    app_client: httpx.AsyncClient,
    acme: uuid.UUID,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    refused = await app_client.put(url(acme, "generate"), json={"template": GOOD}, headers=writer)
    assert refused.status_code == 403
    unknown_task = await app_client.get(url(acme, "check"), headers=writer)
    assert unknown_task.status_code == 422
    stranger = await login(app_client, GLOBEX_CLIENT)
    for method in ("GET", "PUT"):
        response = await app_client.request(
            method, url(acme, "generate"), headers=stranger, json={"template": GOOD}
        )
        assert response.status_code == 404
    own = await app_client.put(url(acme, "generate"), json={"template": GOOD}, headers=manager)
    assert own.status_code == 200


async def test_concurrent_saves_never_share_a_version(
    app_client: httpx.AsyncClient, acme: uuid.UUID, manager: dict[str, str]
) -> None:
    responses = await asyncio.gather(
        *(
            app_client.put(
                url(acme, "generate"), json={"template": f"{GOOD} #{n}"}, headers=manager
            )
            for n in range(4)
        )
    )
    assert {r.status_code for r in responses} <= {200, 409}
    saved = sorted(r.json()["version"] for r in responses if r.status_code == 200)
    assert saved == list(range(1, len(saved) + 1))


async def test_generations_render_the_workspace_template_and_name_it_in_provenance(
    app_client: httpx.AsyncClient,
    container: Container,
    acme: uuid.UUID,
    x_item: Item,
    writer: dict[str, str],
    manager: dict[str, str],
) -> None:
    saved = (
        await app_client.put(url(acme, "generate"), json={"template": GOOD}, headers=manager)
    ).json()
    created = await generate(app_client, x_item, writer)
    await container.relay.drain()
    assert (await generation(app_client, x_item, created["id"], writer))["status"] == "succeeded"
    provenance = (await app_client.get(x_item.provenance(2), headers=writer)).json()
    assert provenance["template"] == {
        "id": saved["id"],
        "task": "generate",
        "version": 1,
        "builtin": False,
        "sha256": saved["sha256"],
    }
