"""Claims not in the approved list: a deterministic heuristic, explainable finding by finding.

1. **Claim-like sentences.** Each text field is split into sentences (at . ! ? followed by a
   space, and at line breaks). A sentence is claim-like when it holds a *cue*:
   - a number with a unit of measure or a percentage ("30%", "250 g", "2x", "3 times");
   - a ranking ("#1", "No. 1", "number one");
   - a superlative ("best", "fastest", "the most comfortable", "unbeatable", "leading");
   - a comparative ("lighter", "better", "grippier than", "more durable than");
   - a proof or efficacy word ("clinically", "proven", "guaranteed", "certified", "cures").
   The word lists are English with a few German forms; other languages are not detected.
2. **Covered cues.** A cue is covered by an approved claim when the claim contains the cue's
   words and numbers, the sentence contains all of the claim's numbers, and at least 75% of
   the claim's content words (stop words dropped, simple plurals folded). So the approved
   claim used verbatim or nearly ("30 percent lighter than Trailflow 2") passes, and a changed
   figure ("40% lighter than TrailFlow 2") does not.
3. **Findings.** A sentence with uncovered cues is one finding over the sentence. It is
   *major* when a superlative, comparative, ranking or proof word is uncovered, *minor* when
   only numbers are (a figure alone is often a fact, not a promise). A knowledge chunk passed
   as evidence that holds the cue words, the sentence's numbers and 60% of its content words
   lowers the severity one step and becomes the finding's rule: the claim is sourced, it
   needs approval rather than removal.

Cues inside a required disclaimer's text or inside a banned term (reported as such) are not
counted again. A kit without approved claims has no claims rule: nothing is flagged.
"""

from __future__ import annotations

import bisect
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from brandflow.contexts.brand_kit.public import BrandKit
from brandflow.contexts.studio.checks.findings import (
    Finding,
    FindingKind,
    RuleRef,
    Section,
    Severity,
)
from brandflow.contexts.studio.checks.normalize import fold_text
from brandflow.contexts.studio.checks.scan import Scan, Span

COVERAGE = 0.75  # share of an approved claim's content words the sentence must hold
EVIDENCE = 0.60  # share of the sentence's content words a knowledge chunk must hold

_UNIT = (
    r"(?:%|percent|per\s?cent|[x\u00d7]|times|mg|kg|g|oz|lbs?|km|mi|miles|mm|cm|kcal|"
    r"calories|mph|mah|kwh)"
)
# "best", but not "Best regards", "All the best" or "Best," closing a line (a sign-off).
_SUPERLATIVES = (
    r"(?<!all\sthe\s)best(?!\s+(?:regards|wishes))(?!,?[ \t]*(?:\n|$))|"
    r"fastest|lightest|strongest|cheapest|greatest|finest|highest|lowest|softest|"
    r"quickest|safest|toughest|grippiest|freshest|purest|healthiest|smartest|unbeatable|"
    r"unmatched|unrivall?ed|unparalleled|leading|world'?s\s+first|first[\s-]ever|"
    r"the\s+(?:most|least)\s+\w+|beste[nrs]?|am\s+besten"
)
_NOT_COMPARATIVES = (
    r"other|rather|either|neither|whether|never|ever|over|under|after|water|order|number|"
    r"summer|winter|together|further|later|per|paper|power|offer|her"
)
_COMPARATIVES = (
    r"better|lighter|faster|stronger|cheaper|quicker|softer|grippier|tougher|safer|"
    r"healthier|fresher|longer[\s-]lasting|(?:more|less)\s+\w+\s+than|"
    rf"(?!(?:{_NOT_COMPARATIVES})\s)\w+er\s+than|besser|leichter|schneller"
)
_PROOF = (
    r"clinically|clinical(?:ly)?\s+proven|proven|scientifically|guaranteed?|guarantees|"
    r"certified|lab[\s-]tested|dermatologically\s+tested|doctor[\s-]recommended|"
    r"recommended\s+by\s+(?:doctors|experts|dentists)|award[\s-]winning|cures?|prevents?|"
    r"heals?|garantiert|klinisch|nachweislich|erwiesen|bewiesen"
)
_RANKING = r"#\s?1(?!\d)|(?<!\w)(?:no\.?\s?|nr\.?\s?)1(?!\d)|(?<!\w)number\s+(?:1|one)(?!\w)"
CUES: tuple[tuple[str, str], ...] = (
    ("number", rf"(?<![\w.,])\d+(?:[.,]\d+)?\s?{_UNIT}(?!\w)"),
    ("ranking", _RANKING),
    ("superlative", rf"(?:{_SUPERLATIVES})(?!\w)"),
    ("comparative", rf"(?:{_COMPARATIVES})(?!\w)"),
    ("proof", rf"(?:{_PROOF})(?!\w)"),
)
# One pass over the text, tried only where a word starts (every cue starts a word): a
# fraction of the cost of five patterns tried at every position.
_CUE = re.compile(r"(?<!\w)(?=[\w#])(?:" + "|".join(f"(?P<{name}>{p})" for name, p in CUES) + ")")
_WEAK = frozenset({"number"})
_RANKING_TOKEN = re.compile(_RANKING)

# A sentence ends at . ! ? followed by a space, or at a line break; not after "No." or "e.g.".
_BOUNDARY = re.compile(r"[.!?]+(?=\s)|\n")
_WORD_BEFORE = re.compile(r"[\w.]+\Z")
_ABBREVIATIONS = frozenset({"no", "nr", "e.g", "i.e", "vs", "approx", "ca", "dr", "st", "z.b"})
_PERCENT = re.compile(r"(\d)\s*(?:%|percent(?!\w)|per\s?cent(?!\w))")
_TOKEN = re.compile(r"#1|\d+(?:[.,]\d+)*%?|\w+")
_STOP = (
    "a an the and or of to in on for with that this these it its is are was be by at as our "
    "your you we us from so but than then just all any every each very can will "
    "der die das und oder mit ist sind als ein eine für von zu"
)
STOP_WORDS = frozenset(_STOP.split())


def _stem(token: str) -> str:
    if not token.isalpha() or len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(folded: str) -> set[str]:
    """Words and figures of folded text: "30 percent" is "30%", "No. 1" is "#1", plurals cut."""
    text = folded
    if any(c.isdigit() for c in text):
        text = _PERCENT.sub(_percent, text)
    if "1" in text or "one" in text:
        text = _RANKING_TOKEN.sub(" #1 ", text)
    return {_stem(t) for t in _TOKEN.findall(text)}


def _percent(match: re.Match[str]) -> str:
    return match.group(1) + "%"


def _content(words: Iterable[str]) -> set[str]:
    return {w for w in words if w not in STOP_WORDS}


def _numbers(words: Iterable[str]) -> set[str]:
    return {w for w in words if any(c.isdigit() for c in w)}


def _share(part: set[str], whole: set[str]) -> float:
    return len(part & whole) / len(whole) if whole else 0.0


@dataclass(frozen=True, slots=True, eq=False)  # identity: hashed often, compared never
class ApprovedClaimRule:
    index: int
    claim: str
    words: frozenset[str]
    content: frozenset[str]
    numbers: frozenset[str]


@dataclass(frozen=True, slots=True)
class KnowledgeEvidence:
    """A knowledge chunk a claim may rest on (what the generation retrieved, for instance)."""

    chunk_id: uuid.UUID
    text: str
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ApprovedClaims:
    rules: tuple[ApprovedClaimRule, ...]
    by_word: dict[str, tuple[ApprovedClaimRule, ...]]  # word -> the claims holding it

    def __len__(self) -> int:
        return len(self.rules)

    def holding(self, words: frozenset[str]) -> tuple[ApprovedClaimRule, ...]:
        """The claims that hold one of ``words`` (the only ones that can cover a cue)."""
        if not words:
            return self.rules
        return self.by_word.get(min(words), ())


def compile_claims(kit: BrandKit) -> ApprovedClaims:
    rules: list[ApprovedClaimRule] = []
    by_word: dict[str, list[ApprovedClaimRule]] = {}
    for index, approved in enumerate(kit.rules.approved_claims):
        words = tokens(fold_text(approved.claim))
        content = _content(words)
        rule = ApprovedClaimRule(
            index,
            approved.claim,
            frozenset(words),
            frozenset(content),
            frozenset(_numbers(words)),
        )
        rules.append(rule)
        for word in words:
            by_word.setdefault(word, []).append(rule)
    return ApprovedClaims(tuple(rules), {w: tuple(r) for w, r in by_word.items()})


@dataclass(frozen=True, slots=True)
class _Cue:
    category: str
    text: str  # folded
    words: frozenset[str]


def _covered(cue: _Cue, words: set[str], content: set[str], claim: ApprovedClaimRule) -> bool:
    return (
        cue.words <= claim.words
        and claim.numbers <= words
        and _share(content, set(claim.content)) >= COVERAGE
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of folded ``text``, trimmed of spaces; none empty."""
    pieces: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if boundary.group() == ".":
            before = _WORD_BEFORE.search(text, max(boundary.start() - 12, 0), boundary.start())
            if before is not None and before.group() in _ABBREVIATIONS:
                continue
        pieces.append((start, boundary.end()))
        start = boundary.end()
    pieces.append((start, len(text)))
    spans: list[tuple[int, int]] = []
    for begin, end in pieces:
        piece = text[begin:end]
        stripped = piece.strip()
        if stripped:
            first = begin + piece.index(stripped)
            spans.append((first, first + len(stripped)))
    return spans


def find_unapproved_claims(
    claims: ApprovedClaims,
    scan: Scan,
    skip: set[tuple[str, Span]],
    evidence: Sequence[KnowledgeEvidence] = (),
) -> list[Finding]:
    """``skip``: spans already reported (banned terms), whose cues are not counted again."""
    if not claims:
        return []
    sources = [(e, tokens(fold_text(e.text))) for e in evidence]
    findings: list[Finding] = []
    for text_field in scan.texts:
        folded = scan.folded(text_field)
        path = text_field.path
        skipped = [span for p, span in skip if p == path]
        cues: list[tuple[int, _Cue]] = []  # by position in the folded text
        for match in _CUE.finditer(folded.text):
            start, end = folded.span(match.start(), match.end())
            if scan.is_protected(path, start, end) or any(
                s <= start and end <= e for s, e in skipped
            ):
                continue
            category = next(name for name, _ in CUES if match.group(name) is not None)
            words = _content(tokens(match.group())) or tokens(match.group())
            cues.append((match.start(), _Cue(category, match.group(), frozenset(words))))
        if not cues:
            continue
        sentences = _sentences(folded.text)
        starts = [f_start for f_start, _ in sentences]
        by_sentence: dict[int, list[_Cue]] = {}
        for at, cue in sorted(cues, key=lambda c: c[0]):
            by_sentence.setdefault(max(bisect.bisect_right(starts, at) - 1, 0), []).append(cue)
        for index, sentence_cues in by_sentence.items():
            f_start, f_end = sentences[index]
            words = tokens(folded.text[f_start:f_end])
            content = _content(words)
            uncovered = [
                c
                for c in sentence_cues
                if not any(_covered(c, words, content, a) for a in claims.holding(c.words))
            ]
            if uncovered:
                start, end = folded.span(f_start, f_end)
                findings.append(
                    _finding(path, start, end, uncovered, words, content, claims, sources)
                )
    return findings


def _finding(
    path: str,
    start: int,
    end: int,
    cues: list[_Cue],
    words: set[str],
    content: set[str],
    claims: ApprovedClaims,
    sources: list[tuple[KnowledgeEvidence, set[str]]],
) -> Finding:
    strong = any(c.category not in _WEAK for c in cues)
    severity = Severity.MAJOR if strong else Severity.MINOR
    quoted = list(dict.fromkeys(f"“{c.text}”" for c in cues))
    verb = "makes" if len(quoted) == 1 else "make"
    message = (
        f"Not an approved claim: {', '.join(quoted)} {verb} this a claim, and no approved "
        "claim covers it."
    )
    source = _best_source(cues, words, content, sources)
    if source is not None:
        title = f" ({source.title})" if source.title else ""
        return Finding(
            kind=FindingKind.UNAPPROVED_CLAIM,
            severity=Severity.MINOR if strong else Severity.INFO,
            message=message + f" Knowledge chunk {source.chunk_id}{title} backs it.",
            field=path,
            start=start,
            end=end,
            rule=RuleRef(section=Section.KNOWLEDGE, chunk_id=source.chunk_id),
            suggestion="Ask the brand to add it to the approved claims, or use an approved "
            "claim instead.",
        )
    sharing = {rule for word in content for rule in claims.by_word.get(word, ())}
    closest = max(sharing, key=lambda c: (len(c.content & content), -c.index), default=None)
    if closest is not None and 2 * len(closest.content & content) >= len(closest.content):
        suggestion = f"Remove the claim, or use an approved one such as “{closest.claim}”."
    else:
        suggestion = (
            f"Remove the claim, or use one of the {len(claims)} approved claims of the brand kit."
        )
    return Finding(
        kind=FindingKind.UNAPPROVED_CLAIM,
        severity=severity,
        message=message,
        field=path,
        start=start,
        end=end,
        rule=RuleRef(section=Section.APPROVED_CLAIMS),
        suggestion=suggestion,
    )


def _best_source(
    cues: list[_Cue],
    words: set[str],
    content: set[str],
    sources: list[tuple[KnowledgeEvidence, set[str]]],
) -> KnowledgeEvidence | None:
    needed = set().union(*(c.words for c in cues)) | _numbers(words)
    best: tuple[float, KnowledgeEvidence] | None = None
    for evidence, source_words in sources:
        share = _share(source_words, content)
        if needed <= source_words and share >= EVIDENCE and (best is None or share > best[0]):
            best = (share, evidence)
    return best[1] if best else None
