import { describe, expect, it } from "vitest";

import { sessionStore } from "../auth/session-store";
import { installFakeApi, json, problem } from "../test/fake-api";
import { api, createApiClient, etagOf, ifMatch, unwrap, unwrapTagged } from "./client";
import { ApiError } from "./problem";

const SESSION = {
  user: { id: "u1", email: "owner@northwind.example", display_name: "Olivia Owner" },
  csrf_token: "csrf-123",
  expires_at: "2030-01-01T00:00:00Z",
};
const WORKSPACE_ID = "00000000-0000-4000-8000-000000000001";
const CAMPAIGN_ID = "00000000-0000-4000-8000-000000000002";

describe("CSRF middleware", () => {
  it("sends the session's token on unsafe methods only", async () => {
    const fake = installFakeApi()
      .on("GET /api/v1/me", () => json({ user: SESSION.user, organizations: [], workspaces: [] }))
      .on("POST /api/v1/workspaces/{id}/campaigns/{id}/archive", () => json({}))
      .on("DELETE /api/v1/workspaces/{id}/api-keys/{id}", () => new Response(null, { status: 204 }));
    sessionStore.set(SESSION);

    await unwrap(api.GET("/api/v1/me"));
    await unwrap(
      api.POST("/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}/archive", {
        params: { path: { workspace_id: WORKSPACE_ID, campaign_id: CAMPAIGN_ID } },
      }),
    );
    await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/api-keys/{key_id}", {
        params: { path: { workspace_id: WORKSPACE_ID, key_id: CAMPAIGN_ID } },
      }),
    );

    const [get, post, del] = fake.requests;
    expect(get?.headers.get("X-CSRF-Token")).toBeNull();
    expect(post?.headers.get("X-CSRF-Token")).toBe("csrf-123");
    expect(del?.headers.get("X-CSRF-Token")).toBe("csrf-123");
    expect(post?.credentials).toBe("same-origin");
  });

  it("reads the token at request time, so a new session's token is used at once", async () => {
    const fake = installFakeApi().on("POST /api/v1/workspaces/{id}/campaigns/{id}/archive", () => json({}));
    const client = createApiClient();
    const archive = () =>
      client.POST("/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}/archive", {
        params: { path: { workspace_id: WORKSPACE_ID, campaign_id: CAMPAIGN_ID } },
      });

    await archive();
    sessionStore.set({ ...SESSION, csrf_token: "rotated" });
    await archive();

    expect(fake.requests.map((request) => request.headers.get("X-CSRF-Token"))).toEqual([null, "rotated"]);
  });
});

describe("unwrap", () => {
  it("returns the data of a successful response", async () => {
    installFakeApi().on("GET /api/v1/me", () => json({ user: SESSION.user, organizations: [], workspaces: [] }));
    const me = await unwrap(api.GET("/api/v1/me"));
    expect(me.user.display_name).toBe("Olivia Owner");
  });

  it("throws ApiError carrying the problem+json of a failed response", async () => {
    installFakeApi().on("GET /api/v1/workspaces/{id}", () =>
      problem(403, "Permission denied", "You are not a member of this workspace.", {
        type: "https://brandflow.dev/problems/forbidden",
      }),
    );
    const error = await unwrap(
      api.GET("/api/v1/workspaces/{workspace_id}", { params: { path: { workspace_id: WORKSPACE_ID } } }),
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      title: "Permission denied",
      detail: "You are not a member of this workspace.",
      type: "https://brandflow.dev/problems/forbidden",
    });
  });

  it("turns a body that is not problem+json into an ApiError with the HTTP status", async () => {
    installFakeApi().on("GET /api/v1/me", () => new Response("upstream timed out", { status: 502, statusText: "Bad Gateway" }));
    await expect(unwrap(api.GET("/api/v1/me"))).rejects.toMatchObject({
      status: 502,
      title: "Bad Gateway",
      detail: "upstream timed out",
    });
  });

  it("turns a network failure into an ApiError a person can read", async () => {
    installFakeApi().on("GET /api/v1/me", () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(unwrap(api.GET("/api/v1/me"))).rejects.toMatchObject({ status: 0, title: "Network error" });
  });
});

describe("ETags", () => {
  it("unwrapTagged returns the ETag to send back as If-Match", async () => {
    const fake = installFakeApi()
      .on("GET /api/v1/workspaces/{id}/campaigns/{id}", () => json({ id: CAMPAIGN_ID }, { headers: { ETag: '"abc"' } }))
      .on("PATCH /api/v1/workspaces/{id}/campaigns/{id}", () => json({ id: CAMPAIGN_ID }, { headers: { ETag: '"def"' } }));
    const path = { workspace_id: WORKSPACE_ID, campaign_id: CAMPAIGN_ID };

    const read = await unwrapTagged(api.GET("/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}", { params: { path } }));
    const saved = await unwrapTagged(
      api.PATCH("/api/v1/workspaces/{workspace_id}/campaigns/{campaign_id}", {
        params: { path, header: ifMatch(read.etag) },
        body: { name: "Spring" },
      }),
    );

    expect(read.etag).toBe('"abc"');
    expect(fake.requests[1]?.headers.get("If-Match")).toBe('"abc"');
    expect(saved.etag).toBe('"def"');
  });

  it("sends no If-Match when there is no ETag, and reads none when absent", () => {
    expect(ifMatch(null)).toEqual({});
    expect(etagOf(new Response("{}"))).toBeNull();
  });
});
