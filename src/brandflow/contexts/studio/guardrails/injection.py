"""Flag instruction-like text in uploaded documents (prompt injection), with a reason and span.

A flag does not block anything: the text still reaches the model, but only as quoted data
(``quoting.py``), and the flag is shown to the people who manage the knowledge base. The
patterns look for what injections in the wild say (override the instructions, take a new
role, reveal the system prompt, fake chat turns, send data out) and for text hidden from a
human reader (invisible characters, hidden-style markup). They are matched on a normalized
copy (NFKC, case-folded, invisible characters removed) so "IGNORE" in full-width letters or
with zero-width spaces inside still counts; spans point into the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class InjectionKind(StrEnum):
    OVERRIDE = "override"
    ROLE_PLAY = "role_play"
    SYSTEM_PROMPT = "system_prompt"
    ROLE_MARKER = "role_marker"
    ADDRESSED_TO_AI = "addressed_to_ai"
    EXFILTRATION = "exfiltration"
    HIDDEN_TEXT = "hidden_text"


@dataclass(frozen=True, slots=True)
class InjectionFlag:
    kind: InjectionKind
    reason: str
    start: int  # offsets into the screened text: text[start:end] is what was flagged
    end: int
    text: str


_DETERMINERS = r"(?:(?:all|any|every|each|the|your|of|these|those|my)\s+)*"
_EARLIER = (
    r"(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|existing|system)"
)
_RULES = r"(?:instructions?|prompts?|rules|guidelines|directions|directives|context|messages?|constraints|restrictions|guardrails)"
_AI = r"(?:ai|a\.i\.|assistant|chatbot|bot|llm|language\s+model|model|gpt|chatgpt|claude|gemini|copilot)"
_UNBOUND = r"(?:unrestricted|unfiltered|uncensored|jailbroken|unbound|rogue|evil|unaligned)"

_PATTERNS: tuple[tuple[InjectionKind, str, str], ...] = (
    (
        InjectionKind.OVERRIDE,
        "tells the reader to ignore earlier instructions",
        rf"\b(?:ignore|disregard|forget|override|overrule|bypass|drop)\s+{_DETERMINERS}(?:{_EARLIER}\s+{_RULES}|instructions?|prompts?|guardrails)\b",
    ),
    (
        InjectionKind.OVERRIDE,
        "tells the reader to stop following its instructions",
        rf"\b(?:stop|do\s+not|don'?t|never)\s+(?:follow|obey)(?:ing)?\s+{_DETERMINERS}(?:{_EARLIER}\s+)?(?:instructions?|prompts?|rules|guidelines)\b",
    ),
    (
        InjectionKind.OVERRIDE,
        "announces new instructions",
        r"\b(?:new|updated|real|actual|true|additional|secret|hidden|important)\s+instructions?\s*[:!\-]",
    ),
    (
        InjectionKind.ROLE_PLAY,
        "tries to give the reader a new identity",
        rf"\byou\s+are\s+(?:(?:now|no\s+longer)\s+(?:an?\s+|the\s+|in\s+)?(?:\w+\s+){{0,2}}?(?:{_AI}|{_UNBOUND}|free|dan|developer\s+mode)|(?:now\s+)?(?:an?\s+)?{_UNBOUND}|(?:now\s+)?dan)\b",
    ),
    (
        InjectionKind.ROLE_PLAY,
        "tries to lift the reader's restrictions",
        r"\b(?:no\s+longer\s+(?:bound|restricted|limited)\s+by|(?:pretend|imagine)\s+(?:that\s+)?you\s+(?:have|had)\s+no\s+(?:rules|restrictions|limits|guidelines|filters))\b",
    ),
    (
        InjectionKind.ROLE_PLAY,
        "asks the reader to play an unrestricted role",
        rf"\b(?:(?:act|behave|respond|answer)\s+as\s+(?:if\s+you\s+(?:are|were)\s+)?(?:an?\s+)?{_UNBOUND}|role-?\s?play\s+as|let'?s\s+play\s+a\s+game|developer\s+mode|do\s+anything\s+now|jailbreak\w*|god\s+mode)\b",
    ),
    (
        InjectionKind.SYSTEM_PROMPT,
        "mentions or asks for the system prompt",
        r"\b(?:system|initial|hidden|original)\s+(?:prompt|message|instructions)\b",
    ),
    (
        InjectionKind.SYSTEM_PROMPT,
        "asks the reader to reveal its instructions",
        r"\b(?:reveal|print|show|repeat|output|display|leak|dump|tell\s+me)\s+(?:me\s+)?(?:your|the)\s+(?:\w+\s+)?(?:instructions|prompt|configuration)\b",
    ),
    (
        InjectionKind.ROLE_MARKER,
        "contains a chat-template or fake conversation marker",
        r"<\|[a-z_]{2,20}\|>|\[/?inst\]|<</?sys>>|</?(?:system|instructions?|assistant)>|^[ \t>#*]*(?:system|assistant)\s*:|^#{2,}\s*(?:system|instructions?|response)\b",
    ),
    (
        InjectionKind.ROLE_MARKER,
        "imitates the markers that quote sources in a prompt",
        r"<<<\s*(?:end|source|begin)\b",
    ),
    (
        InjectionKind.ADDRESSED_TO_AI,
        "addresses an AI reader directly",
        rf"\b(?:(?:note|message|instructions?|hint)\s+(?:to|for)\s+(?:the\s+|any\s+)?{_AI}s?|if\s+you\s+are\s+an?\s+{_AI}|{_AI}s?\s+(?:reading|processing|summari[sz]ing)\s+this)\b",
    ),
    (
        InjectionKind.EXFILTRATION,
        "an image link that would send data in its query string",
        r"!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*\)",
    ),
    (
        InjectionKind.EXFILTRATION,
        "asks to send data to an address",
        r"\b(?:send|post|forward|upload|exfiltrate|transmit|leak)\s+(?:\w+\s+){0,3}?(?:data|conversation|chat|brief|prompt|history|context|messages?|credentials|keys?|secrets?|passwords?|information|contents?|instructions|documents?)\s+(?:\w+\s+){0,3}?(?:to|at)\s+(?:https?://|[^\s@]+@)",
    ),
    (
        InjectionKind.HIDDEN_TEXT,
        "markup that hides text from a human reader",
        r"<!--.*?-->|display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem)?\s*[;\"'}]|opacity\s*:\s*0(?:\.0+)?\s*[;\"'}]",
    ),
)
_COMPILED = tuple(
    (kind, reason, re.compile(regex, re.MULTILINE | re.DOTALL)) for kind, reason, regex in _PATTERNS
)

# Zero-width and bidi controls, soft hyphen, and the Unicode "tag" block (ASCII smuggling).
_INVISIBLE = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]+"
)
# Invisible but innocent: joiners inside emoji and Indic/Persian words, a leading byte-order
# mark, soft hyphens, and the tag sequences of subdivision flags (🏴 + tags + cancel tag).
_INNOCENT_INVISIBLE = re.compile(
    "[\u200c\u200d\u00ad]+|\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
)


def screen_for_injection(text: str) -> tuple[InjectionFlag, ...]:
    """Instruction-like or hidden text in ``text`` (a chunk of an uploaded document)."""
    flags = _hidden_characters(text)
    normalized, origin = _normalize(text)
    for kind, reason, pattern in _COMPILED:
        for match in pattern.finditer(normalized):
            if match.end() == match.start():
                continue
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            flags.append(InjectionFlag(kind, reason, start, end, text[start:end]))
    return _outermost(flags)


def _outermost(flags: list[InjectionFlag]) -> tuple[InjectionFlag, ...]:
    """One flag per stretch and kind: drop those inside a longer flag of the same kind."""
    ranked = sorted(set(flags), key=lambda flag: (flag.start, -flag.end))
    kept: list[InjectionFlag] = []
    for flag in ranked:
        if not any(
            k.kind is flag.kind and k.start <= flag.start and flag.end <= k.end for k in kept
        ):
            kept.append(flag)
    return tuple(kept)


def _hidden_characters(text: str) -> list[InjectionFlag]:
    innocent = {
        index for match in _INNOCENT_INVISIBLE.finditer(text) for index in range(*match.span())
    }
    flags: list[InjectionFlag] = []
    for match in _INVISIBLE.finditer(text):
        hidden = [i for i in range(*match.span()) if i not in innocent]
        if hidden and not (hidden == [0] and text[0] == "\ufeff"):
            start, end = hidden[0], hidden[-1] + 1
            flags.append(
                InjectionFlag(
                    InjectionKind.HIDDEN_TEXT,
                    "invisible characters (zero-width, bidi control or Unicode tag)",
                    start,
                    end,
                    text[start:end],
                )
            )
    return flags


def _normalize(text: str) -> tuple[str, list[int]]:
    """NFKC, case-folded, invisibles dropped (tags decoded); ``origin[i]`` is where character ``i`` came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if 0xE0020 <= ord(char) <= 0xE007E:  # a tag character spells ASCII: read what it hides
            char = chr(ord(char) - 0xE0000)
        elif _INVISIBLE.match(char):
            continue
        for folded in unicodedata.normalize("NFKC", char).casefold():
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin
