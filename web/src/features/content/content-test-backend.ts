// For the content screens' tests only: a small in-memory Brandflow backend (items, versions,
// ETags, diffs) on top of the fake network of src/test/fake-api.ts.
import type { Campaign, Channel, ContentBody, ContentDetail, Permission, Version, VersionDiff } from "../../api/types";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";

export const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
export const CAMPAIGN = "00000000-0000-4000-8000-0000000000c1";
export const CONTENT = "00000000-0000-4000-8000-0000000000d1";
export const USER = { id: "00000000-0000-4000-8000-0000000000e1", email: "writer@northwind.example", display_name: "Wren Writer" };
export const COLLEAGUE = { id: "00000000-0000-4000-8000-0000000000e2", display_name: "Sam Strategist" };

export const WRITER: Permission[] = ["workspace:read", "members:read", "campaigns:read", "content:read", "content:write"];
export const READER: Permission[] = ["workspace:read", "campaigns:read", "content:read"];

export const X_POST: ContentBody = { channel: "x", text: "TrailFlow 3 is out." };
export const SEARCH_AD: ContentBody = {
  channel: "search_ad",
  headlines: ["Acme TrailFlow 3", "Grip on Wet Rock", "Free Returns"],
  descriptions: ["A trail shoe built for wet rock.", "Pre-order today."],
  final_url: "https://acme-running.example/trail",
  path1: "",
  path2: "",
};
export const LANDING: ContentBody = {
  channel: "landing_page",
  title: "Plan",
  hero_headline: "Train with a plan",
  sections: [{ heading: "Why", body_markdown: "Because." }],
  meta_description: "Sign up.",
};

const BASE = `/api/v1/workspaces/{w}/campaigns/{c}/contents`;
const at = "2030-01-01T00:00:00Z";

export function campaign(channels: Channel[] = ["x", "search_ad"], status: Campaign["status"] = "active"): Campaign {
  return {
    id: CAMPAIGN,
    workspace_id: WORKSPACE,
    name: "Trail season",
    objective: "",
    audience: "",
    key_messages: [],
    channels,
    start_date: null,
    end_date: null,
    budget: null,
    status,
    revision: 1,
    created_at: at,
    updated_at: at,
  };
}

const etagOf = (number: number) => `"v${number}"`;

function version(body: ContentBody, number: number, authorId = USER.id): Version {
  return { content_id: CONTENT, number, created_at: at, author: { type: "user", id: authorId }, etag: etagOf(number), body };
}

export interface Backend {
  fake: FakeApi;
  versions: Version[];
  detail: () => ContentDetail;
  /** A colleague writes the next version behind the screen's back. */
  colleagueSaves: (body: ContentBody) => void;
}

/** One campaign with one content item whose versions are `bodies` (version 1 first). */
export function contentBackend(options: { permissions?: Permission[]; bodies?: ContentBody[]; campaign?: Campaign } = {}): Backend {
  const { permissions = WRITER, bodies = [X_POST] } = options;
  const versions = bodies.map((body, index) => version(body, index + 1));
  const current = () => versions.at(-1) ?? version(X_POST, 1);
  const detail = (): ContentDetail => ({
    id: CONTENT,
    workspace_id: WORKSPACE,
    campaign_id: CAMPAIGN,
    channel: current().body.channel,
    title: "Launch post",
    current_version: current().number,
    created_by: USER.id,
    created_at: at,
    updated_at: current().created_at,
    current: current(),
  });
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: USER, csrf_token: "csrf-1", expires_at: at }))
    .on("GET /api/v1/me", () => json({ user: USER, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{w}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme Running", slug: "acme", role: "editor", permissions, created_at: at }),
    )
    .on("GET /api/v1/workspaces/{w}/members", () =>
      json([{ user_id: COLLEAGUE.id, email: "sam@northwind.example", display_name: COLLEAGUE.display_name, role: "manager", joined_at: at }]),
    )
    .on("GET /api/v1/workspaces/{w}/campaigns/{c}", () => json(options.campaign ?? campaign(), { headers: { ETag: '"r1"' } }))
    .on(`GET ${BASE}/{id}`, () => json(detail(), { headers: { ETag: etagOf(current().number) } }))
    .on(`POST ${BASE}/{id}/versions`, async (request) => {
      const ifMatch = request.headers.get("If-Match");
      if (!ifMatch) return problem(428, "Precondition required", "Send If-Match with the ETag you read.");
      if (ifMatch !== etagOf(current().number)) {
        return problem(412, "Precondition failed", "The content has a newer version than the one you edited.");
      }
      const { body } = (await request.json()) as { body: ContentBody };
      versions.push(version(body, versions.length + 1));
      return json(current(), { status: 201, headers: { ETag: etagOf(current().number) } });
    })
    .on(`GET ${BASE}/{id}/versions`, () => json({ items: [...versions].reverse(), next_cursor: null }))
    .on(`GET ${BASE}/{id}/versions/{n}/diff`, (request, match) => {
      const number = Number(match[4]);
      const against = Number(new URL(request.url).searchParams.get("against"));
      return json(diffOf(versions, number, against));
    })
    // The AI studio below the editor: a clean check, no provenance (a person wrote it), no generations.
    .on(`GET ${BASE}/{id}/versions/{n}/check`, (_request, match) => json(cleanCheck(Number(match[4]))))
    .on(`GET ${BASE}/{id}/versions/{n}/provenance`, () =>
      problem(404, "No provenance for this version", "A person wrote it.", { type: "https://brandflow.dev/problems/provenance-not-found" }),
    )
    .on(`GET ${BASE}/{id}/generations`, () => json({ items: [], next_cursor: null }));
  return {
    fake,
    versions,
    detail,
    colleagueSaves: (body) => void versions.push(version(body, versions.length + 1, COLLEAGUE.id)),
  };
}

function cleanCheck(number: number) {
  return {
    id: `check-${number}`,
    content_id: CONTENT,
    version_number: number,
    channel: "x",
    score: 100,
    passed: true,
    min_score: 70,
    checked_rules_count: 4,
    findings: [],
    brand_kit_version: 1,
    engine_version: "checks/1",
    judge: null,
    evidence_chunk_ids: [],
    created_at: at,
    checked_at: at,
  };
}

/** The API's per-field diff: top-level fields that differ, "added"/"removed" when one side is empty. */
function diffOf(versions: Version[], number: number, against: number): VersionDiff {
  const fields = (n: number): Record<string, unknown> => {
    const fields: Record<string, unknown> = { ...(versions[n - 1]?.body ?? X_POST) };
    delete fields.channel;
    return fields;
  };
  const before = fields(against);
  const after = fields(number);
  const empty = (value: unknown) => value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
  const changes = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]))
    .map((field) => ({
      field,
      kind: empty(before[field]) ? ("added" as const) : empty(after[field]) ? ("removed" as const) : ("changed" as const),
      before: before[field],
      after: after[field],
    }));
  return { content_id: CONTENT, number, against, changes, unified: "" };
}
