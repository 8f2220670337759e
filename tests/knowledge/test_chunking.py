"""Chunks fit the model's window, point back into the text exactly, and know their page."""

from __future__ import annotations

import itertools

import pytest

from brandflow.contexts.knowledge.chunking import (
    DEFAULT_CHUNK_TOKENS,
    MAX_CHARS_PER_TOKEN,
    MODEL_MAX_TOKENS,
    SPECIAL_TOKENS,
    Chunk,
    TokenCounter,
    chunk_document,
    chunk_text,
    minilm_token_counter,
)
from brandflow.contexts.knowledge.parsing import parse_document
from brandflow.contexts.knowledge.sniffing import DocumentType
from tests.knowledge.documents import pdf_bytes

SENTENCES = [
    "Acme Running speaks like a coach who has run every mile with you.",
    "We keep sentences short, verbs active, and promises small enough to keep.",
    "Never mock a beginner; everyone was slow once, and most of us still are.",
    "Colours are ember, slate and chalk; the logo always sits on chalk.",
    "Say “personal best”, not “PR”, unless the audience is already racing.",
    "Product names are capitalised: Acme Tempo, Acme Trail, Acme Daily.",
]


def brand_book(paragraphs: int) -> str:
    """Markdown-ish prose: headings, paragraphs of varied sentences, a list now and then."""
    parts: list[str] = []
    for i in range(paragraphs):
        if i % 5 == 0:
            parts.append(f"## Section {i // 5 + 1}")
        sentences = [SENTENCES[(i + j) % len(SENTENCES)] for j in range(3 + i % 4)]
        parts.append(" ".join(sentences) if i % 3 else "\n".join(f"- {s}" for s in sentences))
    return "\n\n".join(parts)


@pytest.fixture(scope="module")
def count() -> TokenCounter:
    return minilm_token_counter()


def assert_points_into(chunks: list[Chunk], text: str) -> None:
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert text[c.start : c.end] == c.text
        assert c.text == c.text.strip()
        assert c.text


def test_the_counter_sees_every_token_not_the_files_128_token_truncation(
    count: TokenCounter,
) -> None:
    assert count("") == 0  # no [CLS]/[SEP]
    assert count("brand voice") == 2
    assert count(" ".join(SENTENCES * 10)) > 600


def test_chunks_point_back_into_the_text_and_fit_the_model_window(count: TokenCounter) -> None:
    text = brand_book(60)
    chunks = chunk_text(text, token_counter=count)
    assert len(chunks) > 5
    assert_points_into(chunks, text)
    for c in chunks:
        assert c.token_count == count(c.text)
        assert c.token_count + SPECIAL_TOKENS <= MODEL_MAX_TOKENS
        assert c.page is None


def test_chunks_overlap_their_neighbours_by_default(count: TokenCounter) -> None:
    text = brand_book(60)
    chunks = chunk_text(text, token_counter=count)
    for previous, following in itertools.pairwise(chunks):
        assert following.start < previous.end  # shared text
        assert following.start > previous.start  # but always moving on
    assert chunks[0].start == 0
    assert chunks[-1].end == len(text)


def test_without_overlap_chunks_tile_the_text(count: TokenCounter) -> None:
    text = brand_book(60)
    chunks = chunk_text(text, token_counter=count, overlap_tokens=0)
    for previous, following in itertools.pairwise(chunks):
        assert previous.end <= following.start
        assert text[previous.end : following.start].strip() == ""  # only whitespace is dropped
    assert sum(c.token_count for c in chunks) >= count(text) - len(chunks)
    assert max(c.token_count for c in chunks) > DEFAULT_CHUNK_TOKENS * 0.6  # chunks are filled


def test_smaller_chunks_on_request(count: TokenCounter) -> None:
    chunks = chunk_text(brand_book(20), token_counter=count, chunk_tokens=40, overlap_tokens=8)
    assert all(c.token_count <= 40 for c in chunks)


@pytest.mark.parametrize("text", ["", "   \n\n\t  "])
def test_no_text_no_chunks(text: str, count: TokenCounter) -> None:
    assert chunk_text(text, token_counter=count) == []


def test_a_long_run_without_spaces_still_chunks(count: TokenCounter) -> None:
    # WordPiece makes any word over 100 characters a single [UNK]: by tokens alone, this
    # whole run would be one "1-token" chunk.
    assert count("x" * 50_000) == 1
    text = "Intro.\n\n" + "x" * 50_000 + "\n\nOutro."
    chunks = chunk_text(text, token_counter=count)
    assert_points_into(chunks, text)
    assert len(chunks) >= 50_000 // (DEFAULT_CHUNK_TOKENS * MAX_CHARS_PER_TOKEN)
    assert all(len(c.text) <= DEFAULT_CHUNK_TOKENS * MAX_CHARS_PER_TOKEN for c in chunks)
    tiles = chunk_text(text, token_counter=count, overlap_tokens=0)
    assert "".join(c.text for c in tiles) == text.replace("\n", "")  # nothing lost


def test_chunks_know_the_pdf_page_they_start_on(count: TokenCounter) -> None:
    pages = [
        "\n".join(f"Page {n} says: {s}" for s in SENTENCES * (2 + n)) if n != 2 else ""
        for n in range(1, 6)
    ]
    document = parse_document(pdf_bytes(pages), DocumentType.PDF)
    chunks = chunk_document(document, token_counter=count)
    assert_points_into(chunks, document.text)
    assert document.pages is not None
    by_number = {page.number: page for page in document.pages}
    numbers = [c.page or 0 for c in chunks]
    for c, number in zip(chunks, numbers, strict=True):
        assert by_number[number].start <= c.start < by_number[number].end
    assert sorted(set(numbers)) == [1, 3, 4, 5]  # page 2 has no text
    assert numbers == sorted(numbers)


def test_a_chunk_that_tokenizes_longer_when_joined_is_cut_again() -> None:
    # A counter by which a text costs more than its parts put together. semchunk builds
    # overlapping chunks by joining pieces it counted one by one, so here they overflow.
    def superadditive(text: str) -> int:
        return len(text) ** 2 // 10

    text = "".join(f"{i:04d}" for i in range(3000))
    chunks = chunk_text(text, token_counter=superadditive, chunk_tokens=100, overlap_tokens=30)
    assert_points_into(chunks, text)
    assert all(superadditive(c.text) <= 100 for c in chunks)


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (10, 10), (10, -1)])
def test_impossible_sizes_are_refused(size: int, overlap: int, count: TokenCounter) -> None:
    with pytest.raises(ValueError, match="chunk_tokens"):
        chunk_text("text", token_counter=count, chunk_tokens=size, overlap_tokens=overlap)
