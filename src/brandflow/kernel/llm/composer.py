"""The offline composer's writing: deterministic marketing copy from a brief and its sources.

Pure functions, no I/O. The same ``ComposerInput`` always gives the same text; ``variant``
picks another, equally deterministic, phrasing. Copy is template sentences around the brief's
key messages plus the source sentences that best match the brief, each cited as ``[id]``.
For structured output, ``fill_schema`` fills any JSON schema (the channel bodies: ``subject``,
``headline``, ``text``, ``hashtags``...) from the same material within its length limits.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_STOP = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be by for from has have in is it its of on or our that the their this "
        "to was we were will with you your",
    )
)


@dataclass(frozen=True, slots=True)
class SourceChunk:
    """A retrieved knowledge passage, cited in the copy by ``citation_id``."""

    citation_id: str
    text: str


@dataclass(frozen=True, slots=True)
class ComposerInput:
    """What the generation pipeline knows: the brief, the brand voice and the sources."""

    title: str
    objective: str = ""
    audience: str = ""
    channel: str = ""
    tone_words: tuple[str, ...] = ()
    key_messages: tuple[str, ...] = ()
    call_to_action: str = ""
    instructions: str = ""
    chunks: tuple[SourceChunk, ...] = field(default_factory=tuple)
    variant: int = 0

    @classmethod
    def from_prompt(cls, prompt: str) -> ComposerInput:
        """Best effort when only prompt text is given: first sentence as title, rest as messages."""
        sentences = [s.strip() for s in _SENTENCE.split(" ".join(prompt.split())) if s.strip()]
        if not sentences:
            return cls(title="Your brand")
        return cls(title=sentences[0].rstrip(".!?"), key_messages=tuple(sentences[1:4]))

    def seed(self) -> int:
        """A stable number from the content (not the variant, which is added to it)."""
        content = {k: v for k, v in asdict(self).items() if k != "variant"}
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return int.from_bytes(hashlib.sha256(canonical.encode()).digest()[:8], "big")


_OPENERS = (
    "{title}: {objective}",
    "Introducing {title}",
    "{title}, made for {audience}",
    "Here is what {title} means for {audience}",
)
_TONE_OPENERS = {
    "bold": "{title}. No compromises",
    "playful": "Ready for something fun? Say hello to {title}",
    "warm": "We made {title} with you in mind",
    "confident": "{title} is here, and it delivers",
    "friendly": "Good news: {title} is here",
    "expert": "What the evidence says about {title}",
}
_CTAS = (
    "Find out more today.",
    "See what is new.",
    "Discover it now.",
    "Take the next step today.",
)


@dataclass(frozen=True, slots=True)
class Material:
    """The sentences the composer may use, in the order it prefers them."""

    headline: str
    summary: str
    body: tuple[str, ...]
    cta: str
    keywords: tuple[str, ...]


def material(inp: ComposerInput) -> Material:
    seed = inp.seed() + inp.variant
    audience = inp.audience or "you"
    values = {"title": inp.title, "objective": inp.objective or inp.title, "audience": audience}
    tone = next((t.lower() for t in inp.tone_words if t.lower() in _TONE_OPENERS), None)
    opener = _TONE_OPENERS[tone] if tone else _OPENERS[seed % len(_OPENERS)]
    if "{audience}" in opener and not inp.audience:
        opener = _OPENERS[1]
    headline = _sentence(opener.format(**values), end="")
    summary = _sentence(inp.objective or (inp.key_messages[0] if inp.key_messages else headline))
    body = [_sentence(opener.format(**values))]
    body += [_sentence(m) for m in inp.key_messages]
    body += [_cited(s, c) for s, c in _best_source_sentences(inp, limit=2)]
    cta = _sentence(inp.call_to_action) if inp.call_to_action else _CTAS[seed % len(_CTAS)]
    body.append(cta)
    return Material(headline, summary, tuple(_dedupe(body)), cta, _keywords(inp))


def compose_text(inp: ComposerInput, *, max_chars: int | None = None) -> str:
    """Plain copy: opener, key messages, cited source sentences, call to action."""
    return fit(" ".join(material(inp).body), max_chars)


def fit(text: str, max_chars: int | None, min_chars: int = 0, pool: tuple[str, ...] = ()) -> str:
    """Cut at a sentence, then a word boundary, to ``max_chars``; pad from ``pool`` to ``min_chars``."""
    text = " ".join(text.split())
    for extra in pool:
        if len(text) >= min_chars:
            break
        text = f"{text} {extra}".strip()
    if len(text) < min_chars:
        text = (text + " More soon." * min_chars).strip()[:min_chars]
    if max_chars is None or len(text) <= max_chars:
        return text
    kept = ""
    for sentence in _SENTENCE.split(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > max_chars:
            break
        kept = candidate
    if len(kept) >= max(min_chars, 1):
        return kept
    cut = text[:max_chars]
    if " " in cut[1:] and len(cut.rsplit(" ", 1)[0]) >= max(min_chars, 1):
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-")


def fill_schema(schema: dict[str, Any], inp: ComposerInput) -> Any:
    """A value valid against ``schema`` (JSON Schema as pydantic emits it), built from ``inp``."""
    return _Filler(schema, material(inp)).value(schema, "")


class _Filler:
    def __init__(self, root: dict[str, Any], mat: Material) -> None:
        self._defs: dict[str, Any] = {**root.get("$defs", {}), **root.get("definitions", {})}
        self._mat = mat

    def value(self, schema: dict[str, Any], name: str) -> Any:
        schema = self._resolve(schema)
        if "const" in schema:
            return schema["const"]
        if "enum" in schema:
            return schema["enum"][0]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in schema:
                options = [self._resolve(o) for o in schema[key]]
                usable = [o for o in options if o.get("type") != "null"] or options
                merged = {k: v for k, v in schema.items() if k != key}
                return self.value({**usable[0], **merged}, name)
        kind = schema.get("type", "object" if "properties" in schema else "string")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), "null")
        if kind == "object":
            props: dict[str, Any] = schema.get("properties", {})
            return {key: self.value(sub, key) for key, sub in props.items()}
        if kind == "array":
            return self._array(schema, name)
        if kind in ("integer", "number"):
            low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
            if "exclusiveMinimum" in schema:
                low += 1
            high = schema.get("maximum", low)
            return (
                int(min(max(low, 0), high)) if kind == "integer" else float(min(max(low, 0), high))
            )
        if kind == "boolean":
            return False
        if kind == "null":
            return None
        return self._string(schema, name)

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = self._defs.get(ref.rsplit("/", 1)[-1], {})
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            return {**target, **rest}
        return schema

    def _string(self, schema: dict[str, Any], name: str) -> str:
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2026-01-01T00:00:00Z"
        if fmt == "date":
            return "2026-01-01"
        if fmt in ("uri", "url"):
            return "https://example.com/"
        role = _role(name)
        mat = self._mat
        text = {
            "headline": mat.headline,
            "summary": mat.summary,
            "cta": mat.cta,
            "tag": mat.keywords[0] if mat.keywords else "brand",
        }.get(role, " ".join(mat.body))
        return fit(text, schema.get("maxLength"), schema.get("minLength", 0), mat.body)

    def _array(self, schema: dict[str, Any], name: str) -> list[Any]:
        items = self._resolve(schema.get("items", {}))
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, 3)))
        role = _role(name)
        if items.get("type", "string") == "string" and not any(
            k in items for k in ("enum", "const", "anyOf", "oneOf", "$ref")
        ):
            pool = list(self._mat.keywords) if role == "tag" else list(self._mat.body)
            if role == "tag":
                pool = ["#" + w.replace(" ", "") if not w.startswith("#") else w for w in pool]
            count = max(low, min(high, len(pool)))
            values = [pool[i % len(pool)] if pool else "brand" for i in range(count)]
            sub = {k: v for k, v in items.items() if k != "type"}
            return [fit(v, sub.get("maxLength"), sub.get("minLength", 0)) for v in values]
        count = max(low, min(high, 1))
        return [self.value(items, name) for _ in range(count)]


def _role(name: str) -> str:
    lowered = name.lower()
    if lowered in ("subject", "title", "headline", "heading", "name", "hook"):
        return "headline"
    if lowered in ("preheader", "subtitle", "summary", "teaser", "subheadline", "description"):
        return "summary"
    if "cta" in lowered or "call_to_action" in lowered or lowered == "button":
        return "cta"
    if "hashtag" in lowered or lowered in ("tags", "tag", "keywords"):
        return "tag"
    return "body"


def _sentence(text: str, end: str = ".") -> str:
    text = " ".join(text.split()).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" or not end else text + end


def _cited(sentence: str, citation: str) -> str:
    """``Text [K2].``: the marker inside the sentence it supports."""
    end = sentence[-1] if sentence[-1] in ".!?" else "."
    return f"{sentence.rstrip('.!?')} [{citation}]{end}"


def _dedupe(items: list[str]) -> list[str]:
    seen: set[str] = set()
    kept: list[str] = []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            kept.append(item)
    return kept


def _terms(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 2}


def _best_source_sentences(inp: ComposerInput, *, limit: int) -> list[tuple[str, str]]:
    """The source sentences sharing most words with the brief; ties keep source order."""
    wanted = _terms(" ".join((inp.title, inp.objective, *inp.key_messages, inp.instructions)))
    scored: list[tuple[int, int, str, str]] = []
    for order, chunk in enumerate(inp.chunks):
        for sentence in _SENTENCE.split(" ".join(chunk.text.split())):
            sentence = sentence.strip()
            if 20 <= len(sentence) <= 240:
                scored.append(
                    (-len(wanted & _terms(sentence)), order, _sentence(sentence), chunk.citation_id)
                )
    scored.sort(key=lambda item: (item[0], item[1]))
    picked: list[tuple[str, str]] = []
    for overlap, _, sentence, citation in scored:
        if len(picked) == limit or (overlap == 0 and picked):
            break  # an unrelated sentence is worse than none, once one source is cited
        picked.append((sentence, citation))
    return picked


def _keywords(inp: ComposerInput) -> tuple[str, ...]:
    """Hashtag material: the title's words, then the key messages' longest words."""

    def words(text: str) -> list[str]:
        return [w for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 3]

    picked = words(inp.title)
    for message in inp.key_messages:
        picked += sorted(words(message), key=len, reverse=True)[:1]
    return tuple(_dedupe([w[0].upper() + w[1:] for w in picked]))[:5]


def render(inp: ComposerInput) -> str:
    """The input as prose, for estimating how many tokens a real model would have read."""
    parts = [inp.title, inp.objective, inp.audience, inp.channel, " ".join(inp.tone_words)]
    parts += [*inp.key_messages, inp.call_to_action, inp.instructions]
    parts += [f"[{c.citation_id}] {c.text}" for c in inp.chunks]
    return " ".join(p for p in parts if p)
