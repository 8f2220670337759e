"""Checking versions: run the engine against the workspace's current kit, store the result.

Three ways in, one row per run key (version, kit version, engine version, judge):

- ``check_version``: the caller's check, stored whatever was there (the generation, with the
  chunks it retrieved as evidence; a POST asking to re-run now).
- ``current_check``: the stored check of the version against the current kit, run only when
  missing (a new version's consumer, a read, the submission gate). So a replayed event or a
  second read stores nothing new, and a version read after a brand-kit change is checked
  against the new kit then, not when the kit changes (a kit edit does not re-check every
  item of the workspace, most of which nobody reads again).
- ``latest_check``: the newest stored check of a version, of any kit.

Claim evidence: when the engine flags unapproved claims, each flagged sentence is searched
in the workspace's knowledge (full text only) and the check runs again with the chunks found;
a chunk that backs a sentence lowers its finding one step and becomes its rule. Full text,
not vectors: the engine accepts a chunk only if it holds the claim's cue words and figures,
which is what full-text matching finds; and a check must neither wait for nor fail with an
embedding provider.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from sqlalchemy.ext.asyncio import AsyncSession

from brandflow.contexts.brand_kit.public import BrandKit, brand_kit_snapshot
from brandflow.contexts.content.public import ChannelBody, StoredVersion, stored_version
from brandflow.contexts.knowledge.public import (
    EmbeddingError,
    SearchMode,
    SearchRequest,
    search_knowledge,
)
from brandflow.contexts.studio.checking.domain import (
    GateResult,
    StoredCheck,
    findings_json,
    gate,
)
from brandflow.contexts.studio.checking.orm import ContentCheck
from brandflow.contexts.studio.checking.repository import CheckRepository
from brandflow.contexts.studio.checks import (
    ENGINE_VERSION,
    CheckResult,
    FindingKind,
    KnowledgeEvidence,
    ToneJudge,
    check_body,
    judge_tone,
    stored_body,
    with_findings,
)
from brandflow.contexts.studio.checks.text_fields import body_fields
from brandflow.contexts.studio.settings.service import ai_settings_of
from brandflow.kernel.errors import NotFound

MAX_CLAIM_QUERIES = 8  # flagged sentences searched per check
CHUNKS_PER_CLAIM = 3
_QUERY_CHARS = 1000  # the search's own limit
TONE_RULES = 1


@runtime_checkable
class LabelledJudge(Protocol):
    """A judge that says which model judged (None: it judged nothing)."""

    @property
    def label(self) -> str | None: ...


class _FullTextOnly:
    """The embedder passed to full-text search, which never embeds: it says so if asked."""

    model = "none"
    dimension = 0

    async def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        raise EmbeddingError("claim evidence is searched by full text only")


@dataclass(frozen=True, slots=True)
class _Policy:
    """What a check of this workspace runs against, read once per check."""

    kit: BrandKit
    kit_version: int
    min_score: int


async def _policy(session: AsyncSession, workspace_id: uuid.UUID) -> _Policy:
    snapshot = await brand_kit_snapshot(session, workspace_id)
    settings = await ai_settings_of(session, workspace_id)
    return _Policy(snapshot.kit, snapshot.version, settings.min_check_score)


def to_stored(row: ContentCheck) -> StoredCheck:
    return StoredCheck(
        id=row.id,
        content_id=row.content_id,
        version_number=row.version_number,
        channel=row.channel,
        score=row.score,
        passed=row.passed,
        min_score=row.min_score,
        checked_rules_count=row.checked_rules_count,
        findings=list(row.findings),
        brand_kit_version=row.brand_kit_version,
        engine_version=row.engine_version,
        judge=row.judge,
        evidence_chunk_ids=tuple(row.evidence_chunk_ids),
        created_at=row.created_at,
        checked_at=row.checked_at,
    )


def _judge_label(judge: ToneJudge) -> str | None:
    if isinstance(judge, LabelledJudge):
        return judge.label
    return type(judge).__name__


async def _engine(
    body: ChannelBody, policy: _Policy, evidence: Sequence[KnowledgeEvidence]
) -> CheckResult:
    # CPU-bound (a millisecond to tens for a long blog post): off the event loop.
    return await asyncio.to_thread(
        check_body, body, policy.kit, knowledge_claims=evidence, min_score=policy.min_score
    )


async def claim_evidence(
    session: AsyncSession, workspace_id: uuid.UUID, body: ChannelBody, result: CheckResult
) -> list[KnowledgeEvidence]:
    """Knowledge chunks found by full-text search for each sentence flagged as a claim."""
    texts = {f.path: f.text for f in body_fields(body).texts}
    queries: list[str] = []
    for finding in result.findings:
        text = texts.get(finding.field or "")
        if finding.kind is not FindingKind.UNAPPROVED_CLAIM or text is None:
            continue
        sentence = text[finding.start : finding.end].strip()
        if sentence and sentence not in queries:
            queries.append(sentence)
    found: dict[uuid.UUID, KnowledgeEvidence] = {}
    for query in queries[:MAX_CLAIM_QUERIES]:
        request = SearchRequest(
            query=query[:_QUERY_CHARS], mode=SearchMode.LEXICAL, limit=CHUNKS_PER_CLAIM
        )
        response = await search_knowledge(session, workspace_id, _FullTextOnly(), request)
        for hit in response.results:
            found.setdefault(
                hit.chunk_id, KnowledgeEvidence(hit.chunk_id, hit.text, hit.document.title)
            )
    return list(found.values())


async def _run(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    content_id: uuid.UUID,
    number: int,
    body: ChannelBody,
    policy: _Policy,
    *,
    evidence: Sequence[KnowledgeEvidence],
    judge: ToneJudge | None,
    search: bool,
    replace: bool,
) -> StoredCheck | None:
    result = await _engine(body, policy, evidence)
    if search and any(f.kind is FindingKind.UNAPPROVED_CLAIM for f in result.findings):
        more = await claim_evidence(session, workspace_id, body, result)
        known = {e.chunk_id for e in evidence}
        more = [e for e in more if e.chunk_id not in known]
        if more:
            evidence = [*evidence, *more]
            result = await _engine(body, policy, evidence)
    label: str | None = None
    if judge is not None:
        tone = await judge_tone(body, policy.kit, judge)
        label = _judge_label(judge)
        if label is not None:  # None: no text to judge, so no model judged anything
            result = with_findings(result, tone, TONE_RULES)
    row = await CheckRepository(session).save(
        {
            "workspace_id": workspace_id,
            "content_id": content_id,
            "version_number": number,
            "channel": result.channel,
            "score": result.score,
            "min_score": result.min_score,
            "passed": result.passed,
            "checked_rules_count": result.checked_rules_count,
            "findings": findings_json(result, body),
            "brand_kit_version": policy.kit_version,
            "engine_version": result.engine,
            "judge": label,
            "evidence_chunk_ids": list(dict.fromkeys(e.chunk_id for e in evidence)),
        },
        replace=replace,
    )
    return to_stored(row) if row is not None else None


async def check_version(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    content_id: uuid.UUID,
    number: int,
    body: ChannelBody,
    *,
    evidence: Sequence[KnowledgeEvidence] = (),
    judge: ToneJudge | None = None,
) -> StoredCheck:
    """Check ``body`` as version ``number`` against the current kit and minimum score, and
    store it (replacing a stored run of the same kit, engine and judge).

    ``evidence``: chunks the claims may rest on (what the generation retrieved). The version
    may be written later in the same transaction: its foreign key is checked at commit.
    """
    policy = await _policy(session, workspace_id)
    stored = await _run(
        session,
        workspace_id,
        content_id,
        number,
        body,
        policy,
        evidence=evidence,
        judge=judge,
        search=False,
        replace=True,
    )
    assert stored is not None  # an upsert always returns its row
    return stored


async def recheck(
    session: AsyncSession, workspace_id: uuid.UUID, version: StoredVersion, judge: ToneJudge | None
) -> StoredCheck:
    """Run the check of a stored version now, with searched claim evidence (re-run)."""
    policy = await _policy(session, workspace_id)
    stored = await _run(
        session,
        workspace_id,
        version.content_id,
        version.number,
        stored_body(version.body),
        policy,
        evidence=(),
        judge=judge,
        search=True,
        replace=True,
    )
    assert stored is not None
    return stored


async def latest_check(
    session: AsyncSession, workspace_id: uuid.UUID, content_id: uuid.UUID, number: int
) -> StoredCheck | None:
    """The version's most recently run check, whatever kit it ran against."""
    row = await CheckRepository(session).newest(workspace_id, content_id, number)
    return to_stored(row) if row is not None else None


async def current_check(
    session: AsyncSession, workspace_id: uuid.UUID, version: StoredVersion
) -> StoredCheck:
    """The version's newest check against the current kit and engine, run now if there is
    none; judged by the workspace's current minimum score."""
    policy = await _policy(session, workspace_id)
    repo = CheckRepository(session)
    found = await repo.newest(
        workspace_id,
        version.content_id,
        version.number,
        brand_kit_version=policy.kit_version,
        engine_version=ENGINE_VERSION,
    )
    if found is not None:
        return to_stored(found).against(policy.min_score)
    stored = await _run(
        session,
        workspace_id,
        version.content_id,
        version.number,
        stored_body(version.body),
        policy,
        evidence=(),
        judge=None,
        search=True,
        replace=False,
    )
    if stored is None:  # a concurrent check stored the same run first: that one stands
        found = await repo.newest(
            workspace_id,
            version.content_id,
            version.number,
            brand_kit_version=policy.kit_version,
            engine_version=ENGINE_VERSION,
        )
        assert found is not None
        stored = to_stored(found)
    return stored.against(policy.min_score)


async def submission_gate(
    session: AsyncSession, workspace_id: uuid.UUID, content_id: uuid.UUID, number: int
) -> GateResult:
    """May version ``number`` be submitted for review: its check against the current kit (run
    if missing) has no blocker and reaches the workspace's current minimum score."""
    version = await stored_version(session, workspace_id, content_id, number)
    if version is None:
        raise NotFound(f"Version {number} of this content does not exist.")
    check = await current_check(session, workspace_id, version)
    return gate(check, check.min_score)
