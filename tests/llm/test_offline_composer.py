"""The offline composer: the default model, deterministic, grounded in its sources, valid
against the requested schema, and always labelled as what it is."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

import pytest
from pydantic import BaseModel, Field, SecretStr, ValidationError

from brandflow.kernel.llm import (
    OFFLINE_LABEL,
    ComposerInput,
    ModelChain,
    ModelGateway,
    ModelRoute,
    SourceChunk,
    TaskRouting,
    from_settings,
)
from brandflow.settings import Settings

BRIEF = ComposerInput(
    title="Trail Runner X",
    objective="launch our lightest trail shoe to weekend runners",
    audience="weekend trail runners",
    channel="email",
    tone_words=("confident", "warm"),
    key_messages=("Only 210 grams in size 9", "Megagrip outsole for wet rock"),
    call_to_action="Try a pair this weekend",
    chunks=(
        SourceChunk("K1", "Acme was founded in Portland in 1999 by two ultrarunners."),
        SourceChunk(
            "K2",
            "The Trail Runner X weighs 210 grams. Its Megagrip outsole holds on wet rock and roots.",
        ),
    ),
)


class EmailBody(BaseModel):
    subject: str = Field(min_length=5, max_length=60)
    preheader: str = Field(max_length=90)
    text: str = Field(min_length=40, max_length=600)
    cta: str = Field(max_length=30)


class Tweet(BaseModel):
    text: str = Field(max_length=50)
    hashtags: list[str] = Field(min_length=1, max_length=2)
    tone: Literal["playful", "serious"]
    thread_position: int = Field(ge=1, le=25)
    image_alt: str | None = None


class Nested(BaseModel):
    headline: str = Field(max_length=40)
    sections: list[EmailBody] = Field(min_length=2, max_length=2)


@pytest.fixture
async def gateway() -> ModelGateway:
    return ModelGateway()  # no chain given: the offline composer


async def test_the_default_chain_is_the_offline_composer_and_says_so(
    gateway: ModelGateway,
) -> None:
    result = await gateway.run("Write the launch email.", composer=BRIEF)

    assert result.offline is True
    assert result.label == OFFLINE_LABEL == "offline composer"
    assert (result.provider, result.model) == ("offline", "offline-composer")
    assert result.usage.input_tokens > 0
    assert result.usage.output_tokens > 0


async def test_same_input_same_copy_and_a_variant_changes_it(gateway: ModelGateway) -> None:
    first = await gateway.run("Write the launch email.", composer=BRIEF)
    again = await ModelGateway().run("Write the launch email.", composer=BRIEF)
    plain = replace(BRIEF, tone_words=(), variant=0)
    other = replace(BRIEF, tone_words=(), variant=1)

    assert first.text == again.text
    assert first.usage == again.usage
    assert (await gateway.run("Write.", composer=plain)).text != (
        await gateway.run("Write.", composer=other)
    ).text


async def test_copy_uses_the_brief_and_cites_the_matching_source(gateway: ModelGateway) -> None:
    text = (await gateway.run("Write the launch email.", composer=BRIEF)).text

    assert "Trail Runner X" in text
    assert "Only 210 grams in size 9." in text
    assert "Megagrip outsole for wet rock." in text
    assert "[K2]" in text  # the source about the shoe
    assert "[K1]" not in text  # not the company history, which shares no words with the brief
    assert text.endswith("Try a pair this weekend.")


async def test_structured_output_fills_the_schema_within_its_limits(
    gateway: ModelGateway,
) -> None:
    result = await gateway.run("Write the launch email.", output_type=EmailBody, composer=BRIEF)

    body = result.output
    assert isinstance(body, EmailBody)
    assert "Trail Runner X" in body.subject
    assert body.cta == "Try a pair this weekend."
    assert "[K2]" in body.text
    assert EmailBody.model_validate_json(result.text) == body
    assert result.label == "offline composer"


async def test_tight_limits_enums_numbers_and_nested_models_still_validate(
    gateway: ModelGateway,
) -> None:
    tweet = (await gateway.run("Tweet it.", output_type=Tweet, composer=BRIEF)).output
    assert len(tweet.text) <= 50
    assert 1 <= len(tweet.hashtags) <= 2
    assert all(tag.startswith("#") for tag in tweet.hashtags)
    assert tweet.tone == "playful"
    assert tweet.thread_position == 1

    nested = (await gateway.run("Two sections.", output_type=Nested, composer=BRIEF)).output
    assert len(nested.sections) == 2


async def test_max_tokens_bounds_plain_text(gateway: ModelGateway) -> None:
    result = await gateway.run("Write.", composer=BRIEF, max_tokens=15)

    assert 0 < len(result.text) <= 60


async def test_without_a_composer_input_it_writes_from_the_prompt(gateway: ModelGateway) -> None:
    result = await gateway.run("Spring sale on running shoes. Twenty percent off everything.")

    assert "Spring sale on running shoes" in result.text
    assert "Twenty percent off everything." in result.text


async def test_streaming_is_deterministic_and_matches_the_result(gateway: ModelGateway) -> None:
    texts: list[str] = []
    for _ in range(2):
        async with gateway.stream("Write.", composer=BRIEF) as s:
            deltas = [d async for d in s]
        assert len(deltas) > 1
        assert "".join(deltas) == s.result.text
        assert s.result.label == "offline composer"
        texts.append(s.result.text)
    assert texts[0] == texts[1] == (await gateway.run("Write.", composer=BRIEF)).text

    async with gateway.stream("Write.", output_type=EmailBody, composer=BRIEF) as s:
        streamed = "".join([d async for d in s])
    assert EmailBody.model_validate_json(streamed) == s.result.output


def test_settings_without_a_provider_mean_the_offline_composer() -> None:
    chain = from_settings(Settings(llm_provider=None, llm_fallbacks=[]))

    assert chain.routes == (ModelRoute(),)
    assert chain.primary.offline
    assert chain.primary.label == "offline composer"


def test_settings_build_the_chain_with_fallbacks() -> None:
    settings = Settings(
        llm_provider="vllm",
        llm_base_url="http://127.0.0.1:8001/v1",
        llm_api_key=SecretStr("sk-local"),
        llm_model="qwen3-8b",
        llm_timeout_seconds=12,
        llm_max_retries=1,
        llm_fallbacks=[
            {"provider": "anthropic", "model": "claude-haiku-4-5", "api_key": "sk-ant"},
            {"provider": "offline"},
        ],
    )

    chain = from_settings(settings)

    primary, anthropic, offline = chain.routes
    assert (primary.provider, primary.model, primary.base_url) == (
        "openai",
        "qwen3-8b",
        "http://127.0.0.1:8001/v1",
    )
    assert (primary.timeout_seconds, primary.max_retries) == (12, 1)
    assert anthropic.provider == "anthropic"
    assert anthropic.api_key is not None
    assert anthropic.api_key.get_secret_value() == "sk-ant"
    assert anthropic.timeout_seconds == 12  # inherits the deployment's defaults
    assert offline.offline


def test_a_provider_without_a_model_is_refused() -> None:
    with pytest.raises(ValueError, match="BRANDFLOW_LLM_MODEL"):
        from_settings(Settings(llm_provider="openai", llm_model=None))
    with pytest.raises(ValidationError):
        ModelRoute.model_validate({"provider": "cohere", "model": "x"})


def test_task_routing_picks_the_tasks_chain_or_the_default() -> None:
    cheap = ModelChain.of(ModelRoute(provider="openai", model="gpt-small", base_url="http://x/v1"))
    routing = TaskRouting(by_task={"check": cheap})

    assert routing.for_task("check") is cheap
    assert routing.for_task("generate") == ModelChain()
