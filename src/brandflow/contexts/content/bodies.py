"""Channel bodies: one typed value object per channel, with that channel's limits.

A body is a Pydantic discriminated union on ``channel``. Limits are the platforms'
published ones (X, Google Ads, Instagram, LinkedIn) or, where a platform has none, a
sensible upper bound so that no string is unbounded.

**Counting characters.** Every length here counts Unicode *code points* after NFC
normalisation (``len()`` of the normalised Python string): "é" typed as e + combining
accent counts as one, an emoji such as 🏃 counts as one, but an emoji built from several
code points (a skin-tone variant, a flag, a ZWJ family) counts as each of its code
points. Platforms that weigh characters differently (X counts URLs as 23 and some
scripts as 2) may therefore accept slightly less than our limit; we check the code-point
count, which never under-counts what the text holds.

Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    TypeAdapter,
    model_validator,
)

from brandflow.contexts.campaigns.public import Channel


def _nfc(value: Any) -> Any:
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


# Strings normalised to NFC, trimmed, and limited in code points ("O" = may be empty).
_NFC = BeforeValidator(_nfc)


def _limit(max_length: int, min_length: int = 1) -> StringConstraints:
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Text15O = Annotated[str, _limit(15, 0), _NFC]
Text30 = Annotated[str, _limit(30), _NFC]
Text90 = Annotated[str, _limit(90), _NFC]
Text150 = Annotated[str, _limit(150), _NFC]
Text150O = Annotated[str, _limit(150, 0), _NFC]
Text160 = Annotated[str, _limit(160), _NFC]
Text160O = Annotated[str, _limit(160, 0), _NFC]
Text280 = Annotated[str, _limit(280), _NFC]
Text2200 = Annotated[str, _limit(2200), _NFC]
Text3000 = Annotated[str, _limit(3000), _NFC]
TextSection = Annotated[str, _limit(20_000), _NFC]
TextLong = Annotated[str, _limit(100_000), _NFC]


def _hashtag(value: str) -> str:
    return value if value.startswith("#") else f"#{value}"


Hashtag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^#?\w{1,100}$"),
    _NFC,
    AfterValidator(_hashtag),
]
Url = Annotated[
    HttpUrl, Field(description="Absolute http(s) URL", examples=["https://acme.example/trail"])
]

# Bounds where the platform itself sets none: TextLong (100 000) for a blog post or email
# body, TextSection (20 000) per landing-page section.
MAX_SECTIONS = 30
INSTAGRAM_MAX_HASHTAGS = 30


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EmailBody(_Body):
    channel: Literal["email"] = Field(description="Discriminator")
    subject: Text150 = Field(description="Subject line, at most 150 code points")
    preheader: Text150O = Field(
        default="", description="Preview text shown after the subject, at most 150"
    )
    body: TextLong = Field(description="Email body (Markdown or plain text)")


class LinkedInBody(_Body):
    channel: Literal["linkedin"]
    text: Text3000 = Field(description="Post text, at most 3000 code points")


class XBody(_Body):
    channel: Literal["x"]
    text: Text280 = Field(description="Post text, at most 280 code points")


class InstagramBody(_Body):
    channel: Literal["instagram"]
    caption: Text2200 = Field(description="Caption, at most 2200 code points")
    hashtags: list[Hashtag] = Field(
        default_factory=list,
        max_length=INSTAGRAM_MAX_HASHTAGS,
        description="At most 30 hashtags in total, counting those written in the caption",
    )

    @model_validator(mode="after")
    def _hashtag_total(self) -> InstagramBody:
        in_caption = {w.rstrip(".,!?;:").lower() for w in self.caption.split() if w.startswith("#")}
        total = in_caption | {h.lower() for h in self.hashtags}
        if len(total) > INSTAGRAM_MAX_HASHTAGS:
            raise ValueError(
                f"Instagram allows at most {INSTAGRAM_MAX_HASHTAGS} hashtags per post, "
                f"caption included; this post has {len(total)}."
            )
        return self


class SearchAdBody(_Body):
    """A responsive search ad (Google Ads limits)."""

    channel: Literal["search_ad"]
    headlines: list[Text30] = Field(
        min_length=3, max_length=15, description="3 to 15 headlines of at most 30 code points"
    )
    descriptions: list[Text90] = Field(
        min_length=2, max_length=4, description="2 to 4 descriptions of at most 90 code points"
    )
    final_url: Url = Field(title="Final URL")
    path1: Text15O = Field(
        default="", title="Display path 1", description="Display URL path, at most 15"
    )
    path2: Text15O = Field(
        default="", title="Display path 2", description="Display URL path, at most 15"
    )

    @model_validator(mode="after")
    def _path2_needs_path1(self) -> SearchAdBody:
        if self.path2 and not self.path1:
            raise ValueError("Display path 2 needs display path 1.")
        return self


class DisplayAdBody(_Body):
    channel: Literal["display_ad"]
    headline: Text30 = Field(description="At most 30 code points")
    description: Text90 = Field(description="At most 90 code points")
    call_to_action: Text30 = Field(
        title="Call to action", description="Button text, at most 30 code points"
    )
    final_url: Url = Field(title="Final URL")


class BlogPostBody(_Body):
    channel: Literal["blog_post"]
    title: Text150 = Field(description="At most 150 code points")
    body_markdown: TextLong = Field(title="Body (Markdown)", description="The post, in Markdown")
    meta_description: Text160O | None = Field(
        default=None,
        title="Meta description",
        description="Search snippet, at most 160 code points",
    )


class LandingPageSection(_Body):
    heading: Text150
    body_markdown: TextSection = Field(title="Body (Markdown)")


class LandingPageBody(_Body):
    channel: Literal["landing_page"]
    title: Text150 = Field(description="Page title, at most 150 code points")
    hero_headline: Text150 = Field(title="Hero headline", description="At most 150 code points")
    sections: list[LandingPageSection] = Field(min_length=1, max_length=MAX_SECTIONS)
    meta_description: Text160 = Field(
        title="Meta description", description="Search snippet, at most 160 code points"
    )


ChannelBody = Annotated[
    EmailBody
    | LinkedInBody
    | XBody
    | InstagramBody
    | SearchAdBody
    | DisplayAdBody
    | BlogPostBody
    | LandingPageBody,
    Field(discriminator="channel"),
]

BODY_ADAPTER: TypeAdapter[ChannelBody] = TypeAdapter(ChannelBody)


def parse_body(data: dict[str, Any]) -> ChannelBody:
    """Rebuild a stored body (JSON from the database) as its typed model."""
    return BODY_ADAPTER.validate_python(data)


def body_channel(body: ChannelBody) -> Channel:
    return Channel(body.channel)
