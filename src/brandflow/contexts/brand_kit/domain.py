"""The brand kit: a workspace's voice and rules, in immutable numbered versions. Pure: no I/O.

A workspace has one brand kit. Version 0 is the empty kit every workspace starts with (no
row); each save writes version n+1 and needs the ETag of version n, like content.

The shape is typed for two readers: writers and prompts (the voice), and compliance checks
(the rules: banned terms, required disclaimers, approved claims, competitor names).

Text is NFC-normalised and trimmed, every string and list is bounded, and lists are sets:
a duplicate (compared case-insensitively) is refused rather than silently dropped.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable, Iterable
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from brandflow.contexts.campaigns.public import Channel
from brandflow.kernel.etag import make_etag
from brandflow.kernel.events import DomainEvent

T = TypeVar("T")


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def _blank_to_none(value: Any) -> Any:
    """An optional text sent as "" (an emptied form field) means none."""
    return None if isinstance(value, str) and not value.strip() else value


def _text(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


_NFC = BeforeValidator(_nfc)
Descriptor = Annotated[str, _text(40), _NFC]  # one tone word or phrase: "warm", "plain-spoken"
Term = Annotated[str, _text(100), _NFC]  # a banned term, a trigger, a competitor name
Line = Annotated[str, _text(500), _NFC]  # an example sentence, a claim
Note = Annotated[str, _text(300), _NFC]  # a reason, a source
DisclaimerText = Annotated[str, _text(1000), _NFC]
Paragraph = Annotated[str, _text(2000, 0), _NFC]  # may be empty
ShortParagraph = Annotated[str, _text(1000, 0), _NFC]  # may be empty
OptionalTerm = Annotated[Term | None, BeforeValidator(_blank_to_none)]
OptionalNote = Annotated[Note | None, BeforeValidator(_blank_to_none)]
DisclaimerKey = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9_-]{0,49}$"),
    Field(description="Stable id of the disclaimer: lowercase letters, digits, - and _"),
]

MAX_TONE = 12
MAX_EXAMPLES = 20
MAX_BANNED_TERMS = 200
MAX_OVERRIDE_BANNED_TERMS = 50
MAX_DISCLAIMERS = 50
MAX_TRIGGERS = 30
MAX_CLAIMS = 100
MAX_COMPETITORS = 50
MAX_ALIASES = 10


def _fold(text: str) -> str:
    return text.casefold()


def _first_duplicate(values: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for value in values:
        if _fold(value) in seen:
            return value
        seen.add(_fold(value))
    return None


def _unique(what: str, key: Callable[[T], str]) -> AfterValidator:
    """Refuse a list holding the same item twice (by ``key``, case-insensitively)."""

    def check(items: list[T]) -> list[T]:
        duplicate = _first_duplicate(key(item) for item in items)
        if duplicate is not None:
            raise ValueError(f"{what} {duplicate!r} is listed twice (case-insensitive)")
        return items

    return AfterValidator(check)


def _same(text: str) -> str:
    return text


Tone = Annotated[list[Descriptor], Field(max_length=MAX_TONE), _unique("Tone descriptor", _same)]


class _Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- voice ----------------------------------------------------------------------------


class BrandVoice(_Value):
    """How the brand sounds: what prompts and writers follow."""

    summary: ShortParagraph = Field(
        default="",
        description="The brand's personality in a few sentences, at most 1000 characters",
    )
    tone: Tone = Field(
        default_factory=list,
        description=f"Short tone descriptors (at most {MAX_TONE}, 40 characters each)",
        examples=[["energetic", "plain-spoken", "encouraging"]],
    )
    audience: Paragraph = Field(default="", description="Who the brand speaks to")
    do_examples: Annotated[list[Line], _unique("Example", _same)] = Field(
        default_factory=list,
        max_length=MAX_EXAMPLES,
        description="Sentences in the brand's voice",
    )
    dont_examples: Annotated[list[Line], _unique("Example", _same)] = Field(
        default_factory=list,
        max_length=MAX_EXAMPLES,
        description="Sentences the brand would never write",
    )

    @field_validator("dont_examples")
    @classmethod
    def _not_also_a_do(cls, donts: list[str], info: ValidationInfo) -> list[str]:
        dos = {_fold(e) for e in info.data.get("do_examples", [])}
        both = [e for e in donts if _fold(e) in dos]
        if both:
            raise ValueError(f"{both[0]!r} is also a do example")
        return donts


# --- rules ----------------------------------------------------------------------------


class BannedTerm(_Value):
    term: Term = Field(description="Word or phrase never to use (matched case-insensitively)")
    replacement: OptionalTerm = Field(default=None, description="What to write instead")
    reason: OptionalNote = Field(default=None, description="Why it is banned")

    @model_validator(mode="after")
    def _replacement_differs(self) -> BannedTerm:
        if self.replacement is not None and _fold(self.replacement) == _fold(self.term):
            raise ValueError(f"The replacement of {self.term!r} is the banned term itself")
        return self


def check_replacements(terms: Iterable[BannedTerm], banned: Iterable[BannedTerm]) -> None:
    """A replacement that is itself banned would send writers in circles."""
    folded = {_fold(b.term) for b in banned}
    for term in terms:
        if term.replacement is not None and _fold(term.replacement) in folded:
            raise ValueError(
                f"The replacement of {term.term!r}, {term.replacement!r}, is itself banned"
            )


def _replacements_not_banned(terms: list[BannedTerm]) -> list[BannedTerm]:
    check_replacements(terms, terms)
    return terms


BannedTerms = Annotated[
    list[BannedTerm],
    _unique("Banned term", lambda b: b.term),
    AfterValidator(_replacements_not_banned),
]


class RequiredDisclaimer(_Value):
    key: DisclaimerKey
    text: DisclaimerText = Field(description="The disclaimer, as it must appear")
    channels: Annotated[list[Channel], _unique("Channel", lambda c: c.value)] = Field(
        default_factory=list,
        max_length=len(Channel),
        description="Channels it applies to; empty: every channel",
    )
    triggers: Annotated[list[Term], _unique("Trigger", _same)] = Field(
        default_factory=list,
        max_length=MAX_TRIGGERS,
        description="Terms whose presence requires it; empty: always required",
    )

    def applies_to(self, channel: Channel) -> bool:
        return not self.channels or channel in self.channels


class ApprovedClaim(_Value):
    claim: Line = Field(description="A claim the brand may make, as approved")
    source: OptionalNote = Field(
        default=None, description="What backs it: a study, a test, a document"
    )


def _names_unique(competitors: list[Competitor]) -> list[Competitor]:
    duplicate = _first_duplicate(n for c in competitors for n in c.names)
    if duplicate is not None:
        raise ValueError(f"Competitor name or alias {duplicate!r} is listed twice")
    return competitors


class Competitor(_Value):
    name: Term
    aliases: Annotated[list[Term], _unique("Alias", _same)] = Field(
        default_factory=list,
        max_length=MAX_ALIASES,
        description="Other names and spellings to recognise",
    )

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class BrandRules(_Value):
    """What compliance checks enforce."""

    banned_terms: BannedTerms = Field(default_factory=list, max_length=MAX_BANNED_TERMS)
    disclaimers: Annotated[list[RequiredDisclaimer], _unique("Disclaimer key", lambda d: d.key)] = (
        Field(default_factory=list, max_length=MAX_DISCLAIMERS)
    )
    approved_claims: Annotated[list[ApprovedClaim], _unique("Claim", lambda c: c.claim)] = Field(
        default_factory=list,
        max_length=MAX_CLAIMS,
        description="The only product claims content may make",
    )
    competitors: Annotated[list[Competitor], AfterValidator(_names_unique)] = Field(
        default_factory=list,
        max_length=MAX_COMPETITORS,
        description="Brands content must not name",
    )


# --- per-channel overrides ------------------------------------------------------------


class ChannelOverride(_Value):
    """What differs on one channel; everything else comes from the kit."""

    tone: Tone | None = Field(
        default=None,
        description="Replaces the kit's tone on this channel; null: the kit's tone",
    )
    extra_banned_terms: BannedTerms = Field(
        default_factory=list,
        max_length=MAX_OVERRIDE_BANNED_TERMS,
        description="Banned on this channel only, on top of the kit's",
    )
    notes: ShortParagraph = Field(default="", description="Guidance for writers on this channel")


class BrandKit(_Value):
    """A workspace's brand kit: voice, rules and per-channel overrides."""

    voice: BrandVoice = Field(default_factory=BrandVoice)
    rules: BrandRules = Field(default_factory=BrandRules)
    channel_overrides: dict[Channel, ChannelOverride] = Field(
        default_factory=dict, description="Per channel, what differs from the kit"
    )

    @field_validator("channel_overrides")
    @classmethod
    def _overrides_add_to_the_kit(
        cls, overrides: dict[Channel, ChannelOverride], info: ValidationInfo
    ) -> dict[Channel, ChannelOverride]:
        rules = info.data.get("rules")
        kit_terms = rules.banned_terms if isinstance(rules, BrandRules) else []
        folded = {_fold(b.term) for b in kit_terms}
        for channel, override in overrides.items():
            for extra in override.extra_banned_terms:
                if _fold(extra.term) in folded:
                    raise ValueError(
                        f"{extra.term!r} is banned on every channel already; "
                        f"remove it from the {channel.value} override"
                    )
            check_replacements(override.extra_banned_terms, kit_terms)
        return overrides

    # What checks and prompts ask for, per channel.

    def tone_for(self, channel: Channel) -> list[str]:
        override = self.channel_overrides.get(channel)
        return list(override.tone if override and override.tone is not None else self.voice.tone)

    def banned_terms_for(self, channel: Channel) -> list[BannedTerm]:
        override = self.channel_overrides.get(channel)
        return [*self.rules.banned_terms, *(override.extra_banned_terms if override else [])]

    def disclaimers_for(self, channel: Channel) -> list[RequiredDisclaimer]:
        return [d for d in self.rules.disclaimers if d.applies_to(channel)]

    def competitor_names(self) -> list[str]:
        return [n for c in self.rules.competitors for n in c.names]


def kit_etag(workspace_id: uuid.UUID, number: int) -> str:
    """ETag of version ``number`` of a workspace's kit (version 0: the empty kit)."""
    return make_etag(uuid.uuid5(workspace_id, "brand_kit"), number)


# --- what changed ---------------------------------------------------------------------

SECTIONS = ("voice", "rules", "channel_overrides")
MAX_SUMMARY = 300


def _fields(kit: BrandKit) -> dict[str, Any]:
    """``section.field`` -> JSON value; overrides by channel, in the Channel order."""
    data = kit.model_dump(mode="json")
    fields = {f"{s}.{k}": v for s in ("voice", "rules") for k, v in data[s].items()}
    for channel in Channel:
        fields[f"channel_overrides.{channel.value}"] = data["channel_overrides"].get(channel.value)
    return fields


def changed_fields(before: BrandKit, after: BrandKit) -> list[str]:
    """``section.field`` paths whose value differs, in declared order."""
    old, new = _fields(before), _fields(after)
    return [name for name in old if old[name] != new[name]]


def changed_sections(fields: Iterable[str]) -> list[str]:
    names = {f.partition(".")[0] for f in fields}
    return [s for s in SECTIONS if s in names]


def _label(item: Any) -> str:
    if isinstance(item, dict):
        if "term" in item:
            replacement = item.get("replacement")
            return f"{item['term']} → {replacement}" if replacement else str(item["term"])
        for key in ("key", "claim", "name"):
            if key in item:
                return str(item[key])
        parts = [f"{k}: {s}" for k, v in item.items() if (s := _summary(v)) is not None]
        return "; ".join(parts)
    return str(item)


def _summary(value: Any) -> str | None:
    """A short, readable rendering of a field's value for the audit log."""
    if value in (None, "", [], {}):
        return None
    items = value if isinstance(value, list) else [value]
    text = ", ".join(_label(item) for item in items)
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def change_summary(before: BrandKit, after: BrandKit) -> dict[str, list[str | None]]:
    """``section.field`` -> [before, after] summaries of the fields that differ."""
    old, new = _fields(before), _fields(after)
    return {
        name: [_summary(old[name]), _summary(new[name])] for name in old if old[name] != new[name]
    }


# --- events ---------------------------------------------------------------------------


class BrandKitUpdated(DomainEvent):
    """A new version of a workspace's brand kit was saved."""

    name: ClassVar[str] = "brand_kit.updated"
    subject_type: ClassVar[str] = "brand_kit"
    number: int = Field(description="The new version number")
    changed_sections: list[str] = Field(description="voice, rules and/or channel_overrides")
    changed_fields: list[str] = Field(
        description="`section.field` paths, e.g. `rules.banned_terms`, `channel_overrides.x`"
    )
