"""The answer's shape: the channel's typed body as structured output, and bringing it back.

The model is asked for the channel's body model itself (``EmailBody``, ``XBody``...), so the
gateway's structured output validates it against the channel's limits and asks again when it
does not fit. The placeholders in the answer are then restored field by field and the body
validated once more: an address longer than its placeholder can push a post past its limit.
"""

from __future__ import annotations

from typing import Any, cast

from pydantic import BaseModel, ValidationError

from brandflow.contexts.campaigns.public import Channel
from brandflow.contexts.content.public import ChannelBody, parse_body
from brandflow.contexts.studio.checks.text_fields import body_models
from brandflow.contexts.studio.domain import GenerationFailure
from brandflow.contexts.studio.guardrails import Redaction, restore

# The output allowance per call: enough for the channel's copy, a bound for the budget.
MAX_TOKENS: dict[Channel, int] = {
    Channel.X: 400,
    Channel.DISPLAY_AD: 300,
    Channel.SEARCH_AD: 600,
    Channel.INSTAGRAM: 1200,
    Channel.LINKEDIN: 1500,
    Channel.EMAIL: 3000,
    Channel.BLOG_POST: 4000,
    Channel.LANDING_PAGE: 4000,
}
CHANNEL_NAMES: dict[Channel, str] = {
    Channel.EMAIL: "Email",
    Channel.LINKEDIN: "LinkedIn",
    Channel.X: "X",
    Channel.INSTAGRAM: "Instagram",
    Channel.SEARCH_AD: "Search ad",
    Channel.DISPLAY_AD: "Display ad",
    Channel.BLOG_POST: "Blog post",
    Channel.LANDING_PAGE: "Landing page",
}


def body_type(channel: Channel) -> type[BaseModel]:
    return body_models()[channel.value]


def max_tokens(channel: Channel) -> int:
    return MAX_TOKENS.get(channel, 1500)


def output_format(channel: Channel) -> str:
    """The fields to fill and their limits, in the body model's own words."""
    schema = body_type(channel).model_json_schema()
    required = set(schema.get("required", ()))
    lines = [f'- channel: exactly "{channel.value}"']
    for name, spec in schema["properties"].items():
        if name == "channel":
            continue
        need = "required" if name in required else "optional"
        description = spec.get("description") or spec.get("title") or name
        if "maxLength" in spec and "at most" not in description:
            description += f", at most {spec['maxLength']} characters"
        lines.append(f"- {name} ({need}): {description}")
    return "\n".join(lines)


def _restored(value: Any, redaction: Redaction) -> Any:
    if isinstance(value, str):
        return restore(value, redaction)
    if isinstance(value, list):
        return [_restored(item, redaction) for item in value]
    if isinstance(value, dict):
        return {key: _restored(item, redaction) for key, item in value.items()}
    return value


def restored_body(output: Any, redaction: Redaction) -> ChannelBody:
    """The model's body with the originals back in place of the placeholders, validated."""
    if not isinstance(output, BaseModel):
        raise GenerationFailure(
            "The model returned no structured body.", code="model-output-invalid"
        )
    data = _restored(output.model_dump(mode="json"), redaction)
    try:
        return parse_body(cast(dict[str, Any], data))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'][1:]) or 'body'}: {error['msg']}"
            for error in exc.errors()[:3]
        )
        raise GenerationFailure(
            f"With the personal data put back, the copy no longer fits the channel ({problems}).",
            code="model-output-invalid",
        ) from exc
