// For the studio's tests only: the content backend (src/features/content) plus the studio's
// endpoints (checks, provenance, generations) on the fake network, and sample resources.
import type { ContentBody, Permission } from "../../api/types";
import { json, problem } from "../../test/fake-api";
import { CONTENT, WORKSPACE, WRITER, contentBackend } from "../content/content-test-backend";
import type { Check, Finding, Generation, Provenance } from "./types";

const BASE = "/api/v1/workspaces/{w}/campaigns/{c}/contents/{id}";
const at = "2030-01-01T00:00:00Z";

export const AI_WRITER: Permission[] = [...WRITER, "ai:generate", "usage:read"];

/** An X post with a banned term after an emoji: its span is in code points (`🏃 Our ` is 6). */
export const FLAGGED_POST: ContentBody = { channel: "x", text: "🏃 Our injury-proof shoe is cheap." };

export const BANNED: Finding = {
  id: "f-banned",
  kind: "banned_term",
  severity: "major",
  message: "“injury-proof” is a banned term: A medical claim we cannot back.",
  field: "text",
  start: 6,
  end: 18,
  text: "injury-proof",
  rule: { section: "rules.banned_terms", index: 0, name: "injury-proof" },
  suggestion: "Write “supportive” instead.",
  fix: { field: "text", start: 6, end: 18, replacement: "supportive" },
  chunk_id: null,
};

export const CHEAP: Finding = {
  ...BANNED,
  id: "f-cheap",
  severity: "minor",
  message: "“cheap” is a banned term.",
  start: 27,
  end: 32,
  text: "cheap",
  rule: { section: "rules.banned_terms", index: 2, name: "cheap" },
  suggestion: null,
  fix: { field: "text", start: 27, end: 32, replacement: "great value" },
};

export const MISSING_DISCLAIMER: Finding = {
  id: "f-disclaimer",
  kind: "missing_disclaimer",
  severity: "blocker",
  message: "The “free-returns” disclaimer is required.",
  field: null,
  start: null,
  end: null,
  text: null,
  rule: { section: "rules.disclaimers", index: 1, name: "free-returns" },
  suggestion: "Add: Free returns within 60 days.",
  fix: null,
  chunk_id: null,
};

export function check(number: number, findings: Finding[], overrides: Partial<Check> = {}): Check {
  return {
    id: `check-${number}`,
    content_id: CONTENT,
    version_number: number,
    channel: "x",
    score: findings.length === 0 ? 100 : 64,
    passed: findings.length === 0,
    min_score: 70,
    checked_rules_count: 9,
    findings,
    brand_kit_version: 2,
    engine_version: "checks/1",
    judge: null,
    evidence_chunk_ids: [],
    created_at: at,
    checked_at: at,
    ...overrides,
  };
}

export function generation(overrides: Partial<Generation> = {}): Generation {
  const id = overrides.id ?? "00000000-0000-4000-8000-00000000009a";
  return {
    id,
    workspace_id: WORKSPACE,
    campaign_id: "c",
    content_id: CONTENT,
    operation: "generate",
    status: "queued",
    error_code: null,
    reason: null,
    instructions: "",
    variants_requested: 2,
    source_version: null,
    tone: null,
    language: null,
    variants: [],
    usage: null,
    model_label: null,
    requested_by: { type: "user", id: "u" },
    attempts: 0,
    created_at: at,
    started_at: null,
    finished_at: null,
    events_url: `/api/v1/workspaces/${WORKSPACE}/campaigns/c/contents/${CONTENT}/generations/${id}/events`,
    ...overrides,
  };
}

export function provenance(overrides: Partial<Provenance> = {}): Provenance {
  return {
    content_id: CONTENT,
    version_number: 2,
    generation_id: "00000000-0000-4000-8000-00000000009a",
    variant_index: 1,
    operation: "generate",
    template: { id: null, task: "generate", version: 0, builtin: true, sha256: "ab12cd34ef56ab12cd34ef56" },
    model: { provider: "offline", model: "composer", label: "offline composer", offline: true, route_note: null },
    parameters: { variants: 2, temperature: 0.7, tone: null },
    chunks: [
      {
        citation_id: "K1",
        chunk_id: "00000000-0000-4000-8000-0000000000f1",
        document_id: "00000000-0000-4000-8000-0000000000f0",
        title: "TrailFlow 3 product sheet",
        score: 0.0328,
        lexical_rank: 1,
        vector_rank: 2,
        vector_similarity: 0.81,
        page: 2,
        start_offset: 0,
        end_offset: 420,
      },
    ],
    guardrails: {
      pii_redacted: { EMAIL_ADDRESS: 1, PHONE_NUMBER: 0 },
      placeholders_missing: [],
      placeholders_unknown: [],
      injection_flags: [{ citation_id: "K1", kind: "override", reason: "Tells the model to ignore its instructions", text: "ignore previous instructions" }],
    },
    check: { check_id: "check-2", score: 92, passed: true, min_score: 70 },
    input_tokens: 1234,
    output_tokens: 210,
    cached_tokens: 0,
    cache_hit: false,
    cost: "0.000321",
    latency_ms: 845,
    attempts: [{ provider: "offline", model: "composer", number: 1, outcome: "ok", latency_ms: 12.5 }],
    usage_record_id: null,
    trace_id: "4bf92f3577b34da6a3ce929d0e0e4736",
    created_at: at,
    ...overrides,
  };
}

export interface StudioBackendOptions {
  permissions?: Permission[];
  bodies?: ContentBody[];
  findings?: Finding[];
  provenance?: Provenance | null;
  /** What GET …/generations/{id} answers (the POST answers `generation()` queued). */
  generation?: () => Generation;
  latest?: Generation | null;
}

/** The content backend with the studio's endpoints. */
export function studioBackend(options: StudioBackendOptions = {}) {
  const backend = contentBackend({ permissions: options.permissions ?? AI_WRITER, bodies: options.bodies ?? [FLAGGED_POST] });
  const current = () => backend.versions.length;
  backend.fake
    .on(`GET ${BASE}/versions/{n}/check`, (_request, match) => {
      const number = Number(match[4]);
      return json(check(number, number === current() && number === 1 ? (options.findings ?? [BANNED]) : []));
    })
    .on(`GET ${BASE}/versions/{n}/provenance`, (_request, match) => {
      const number = Number(match[4]);
      if (options.provenance && options.provenance.version_number === number) return json(options.provenance);
      return problem(404, "No provenance for this version", "A person wrote it.", {
        type: "https://brandflow.dev/problems/provenance-not-found",
      });
    })
    .on(`GET ${BASE}/versions/{n}`, (_request, match) => {
      const version = backend.versions[Number(match[4]) - 1];
      return version ? json(version) : problem(404, "Not found", "No such version.");
    })
    .on(`GET ${BASE}/generations`, () => json({ items: options.latest ? [options.latest] : [], next_cursor: null }))
    .on(`POST ${BASE}/generations`, () => json(generation(), { status: 202 }))
    .on(`GET ${BASE}/generations/{g}`, () => json(options.generation?.() ?? generation({ status: "running" })));
  return backend;
}
