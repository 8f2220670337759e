// For the brand kit screens' tests only: a workspace's kit with versions and ETags, on the fake
// network of src/test/fake-api.ts.
import type { Permission } from "../../api/types";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";
import type { BrandKit, BrandKitContent, BrandKitVersion } from "./types";

export const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
export const USER = { id: "00000000-0000-4000-8000-0000000000e1", email: "strategist@northwind.example", display_name: "Sam Strategist" };
export const MANAGER: Permission[] = ["workspace:read", "members:read", "brand_kit:read", "brand_kit:write"];
export const READER: Permission[] = ["workspace:read", "brand_kit:read"];

export const KIT: BrandKitContent = {
  voice: {
    summary: "The friend at the trailhead.",
    tone: ["encouraging", "practical"],
    audience: "Trail runners",
    do_examples: ["Grip that holds on wet rock."],
    dont_examples: ["The best shoe ever made."],
  },
  rules: {
    banned_terms: [{ term: "cheap", replacement: "great value", reason: null }],
    disclaimers: [{ key: "free-returns", text: "Free returns within 60 days.", channels: ["email"], triggers: ["free returns"] }],
    approved_claims: [{ claim: "30% lighter than TrailFlow 2", source: "Lab test" }],
    competitors: [{ name: "Peakline", aliases: ["Peak Line"] }],
  },
  channel_overrides: { x: { tone: ["punchy"], extra_banned_terms: [], notes: "Short and direct." } },
};

const at = "2030-01-01T00:00:00Z";
const etagOf = (number: number) => `"kit-${number}"`;

export interface BrandKitServer {
  fake: FakeApi;
  versions: BrandKitVersion[];
  current: () => BrandKit;
  /** A colleague saves a new version behind the screen's back. */
  colleagueSaves: (change: (kit: BrandKitContent) => BrandKitContent) => void;
}

export function brandKitBackend(permissions: Permission[] = MANAGER, initial: BrandKitContent | null = KIT): BrandKitServer {
  const versions: BrandKitVersion[] = initial
    ? [{ ...initial, workspace_id: WORKSPACE, number: 1, etag: etagOf(1), created_at: at, author: { type: "user", id: USER.id } }]
    : [];
  const current = (): BrandKit => {
    const last = versions.at(-1);
    if (!last) {
      return {
        voice: { summary: "", tone: [], audience: "", do_examples: [], dont_examples: [] },
        rules: { banned_terms: [], disclaimers: [], approved_claims: [], competitors: [] },
        channel_overrides: {},
        workspace_id: WORKSPACE,
        version: 0,
        etag: etagOf(0),
        updated_at: null,
        updated_by: null,
      };
    }
    const { number, etag, created_at, author, ...kit } = last;
    return { ...kit, version: number, etag, updated_at: created_at, updated_by: author };
  };
  const save = (kit: BrandKitContent, authorId: string) => {
    const number = versions.length + 1;
    versions.push({ ...kit, workspace_id: WORKSPACE, number, etag: etagOf(number), created_at: at, author: { type: "user", id: authorId } });
  };
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: USER, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () => json({ user: USER, organizations: [], workspaces: [] }))
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: "o1", name: "Acme Running", slug: "acme", role: "manager", permissions, created_at: at }),
    )
    .on("GET /api/v1/workspaces/{id}/members", () =>
      json([{ user_id: "colleague", email: "o@x.example", display_name: "Olivia Owner", role: "manager", joined_at: at }]),
    )
    .on("GET /api/v1/workspaces/{id}/brand-kit", () => json(current(), { headers: { ETag: current().etag } }))
    .on("PUT /api/v1/workspaces/{id}/brand-kit", async (request) => {
      if (!request.headers.get("If-Match")) return problem(428, "Precondition required", "Send If-Match.");
      if (request.headers.get("If-Match") !== current().etag) {
        return problem(412, "Precondition failed", "The brand kit changed since you read it.");
      }
      save((await request.json()) as BrandKitContent, USER.id);
      return json(current(), { headers: { ETag: current().etag } });
    })
    .on("GET /api/v1/workspaces/{id}/brand-kit/versions", () => json({ items: [...versions].reverse(), next_cursor: null }))
    .on("GET /api/v1/workspaces/{id}/brand-kit/versions/{n}", (_, match) => {
      const found = versions.find((version) => version.number === Number(match[2]));
      return found ? json(found) : problem(404, "Not found", "No such version.");
    });
  return {
    fake,
    versions,
    current,
    colleagueSaves: (change) => save(change(current()), "colleague"),
  };
}
