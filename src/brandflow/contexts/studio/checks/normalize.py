"""Folding text for matching, with every folded character mapped back to the original.

``fold`` makes text compare the way a reader would: compatibility forms unified (NFKC: "ﬁ"
is "fi", full-width letters are ASCII), case folded ("ß" is "ss"), accents dropped on
Latin letters ("café" is "cafe"), every dash is "-", curly quotes are straight, and
invisible characters (soft hyphen, zero-width space and joiners, BOM) vanish, so that
"in\u00adjury-proof" cannot hide a banned term. Matching runs on the folded text; the
offset map turns a match back into a span of the original text.

``term_matcher`` compiles a kit's term into a pattern on folded text: whole words only
("free" never matches "freedom"), any run of spaces, line breaks or dashes between words
(also none: "fair trade" matches "fair-trade", "fair\\ntrade" and "#FairTrade"), and a
simple plural on a last word of three letters or more ("competitor" matches "competitors",
"battery" matches "batteries"). Deliberately not a stemmer: "guarantee" does not match
"guaranteed"; a kit lists the forms it bans.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

_INVISIBLE = "\u00ad\u180e\u200b\u200c\u200d\u2060\ufeff"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\uff02"
_TRANSLATE = {
    **dict.fromkeys(map(ord, _INVISIBLE), None),
    **dict.fromkeys(map(ord, _DASHES), "-"),
    **dict.fromkeys(map(ord, _SINGLE_QUOTES), "'"),
    **dict.fromkeys(map(ord, _DOUBLE_QUOTES), '"'),
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _latin(char: str) -> bool:
    """Accents are dropped only on Latin letters: elsewhere a mark can be the letter itself."""
    code = ord(char)
    return code < 0x0250 or 0x1E00 <= code <= 0x1EFF


@functools.lru_cache(maxsize=4096)
def _fold_cluster(cluster: str) -> str:
    """One base character with its combining marks, folded."""
    decomposed = unicodedata.normalize("NFKD", cluster)
    if decomposed and _latin(decomposed[0]):
        decomposed = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = decomposed.casefold().translate(_TRANSLATE)
    return unicodedata.normalize("NFKC", folded)


@dataclass(frozen=True, slots=True)
class Folded:
    """``text`` folded; ``starts[i]``/``ends[i]`` bound the original cluster of folded char i.

    ``starts is None`` means the identity map (ASCII text, folded by ``lower()`` alone).
    """

    text: str
    original: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded ``[start, end)`` (non-empty)."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    if text.isascii():
        return Folded(text.lower(), text)
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    done = 0

    def ascii_part(start: int, end: int) -> None:
        parts.append(text[start:end].lower())
        starts.extend(range(start, end))
        ends.extend(range(start + 1, end + 1))

    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        if start > done and unicodedata.combining(text[start]):
            start -= 1  # the mark belongs to the ASCII letter before it: "e" + U+0301
        ascii_part(done, start)
        i = start
        while i < end:
            j = i + 1
            while j < end and unicodedata.combining(text[j]):
                j += 1
            folded = _fold_cluster(text[i:j])
            parts.append(folded)
            starts.extend([i] * len(folded))
            ends.extend([j] * len(folded))
            i = j
        done = end
    ascii_part(done, len(text))
    return Folded("".join(parts), text, starts, ends)


def fold_text(text: str) -> str:
    return fold(text).text


# --- terms ----------------------------------------------------------------------------------

_TERM_TOKEN = re.compile(r"\w+|[\s\-]+|[^\w\s\-]")
_SEPARATOR = r"[\s\-]*"  # between the words of a term: spaces, line breaks, dashes, or none
_VOWELS = frozenset("aeiou")


def _plural(word: str) -> str:
    """The word and its simple plural, as a pattern; short words and non-letters as they are."""
    if not word.isalpha() or len(word) < 3:
        return re.escape(word)
    if len(word) >= 4 and word.endswith("y") and word[-2] not in _VOWELS:
        return re.escape(word[:-1]) + "(?:y|ies)"
    return re.escape(word) + "(?:e?s)?"


@dataclass(frozen=True, slots=True)
class Matcher:
    """A compiled term; ``anchor`` is a literal every match contains (a cheap pre-filter)."""

    pattern: re.Pattern[str]
    anchor: str

    def spans(self, folded: Folded) -> Iterator[tuple[int, int]]:
        """Original spans of the matches in ``folded``, left to right."""
        if self.anchor not in folded.text:
            return
        for match in self.pattern.finditer(folded.text):
            if match.end() > match.start():
                yield folded.span(match.start(), match.end())


def term_matcher(term: str, *, plural: bool = True) -> Matcher:
    folded = fold_text(term).strip()
    tokens = _TERM_TOKEN.findall(folded)
    words = [t for t in tokens if t[0].isalnum() or t[0] == "_"]
    parts: list[str] = []
    for position, token in enumerate(tokens):
        if token[0].isspace() or token[0] == "-":
            parts.append(_SEPARATOR)
        elif token in words and position == len(tokens) - 1 and plural:
            parts.append(_plural(token))
        else:
            parts.append(re.escape(token))
    body = "".join(parts)
    first, last = folded[0], folded[-1]
    prefix = r"(?<!\w)" if _wordish(first) else ""
    if first.isdigit():
        prefix += r"(?<!\d[.,])"  # "30%" is not the end of "2.30%"
    suffix = r"(?!\w)" if _wordish(last) else ""
    if last.isdigit():
        suffix += r"(?![.,]\d)"
    anchor = max(words, key=len) if words else folded
    if words and anchor == words[-1] and plural and anchor.endswith("y"):
        anchor = anchor[:-1]  # "battery" may appear as "batteries"
    return Matcher(re.compile(prefix + body + suffix), anchor)


def _wordish(char: str) -> bool:
    return char.isalnum() or char == "_"


def phrase_matcher(text: str) -> Matcher:
    """A sentence (a disclaimer) by its words in order; any punctuation or spacing between.

    "Terms: acme-running.example/returns." matches "Terms - acme running example/returns".
    """
    words = re.findall(r"\w+", fold_text(text))
    if not words:
        return term_matcher(text, plural=False)
    body = r"[\W_]+".join(re.escape(w) for w in words)
    return Matcher(re.compile(r"(?<!\w)" + body + r"(?!\w)"), max(words, key=len))
