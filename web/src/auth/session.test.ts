import { describe, expect, it } from "vitest";

import { installFakeApi, json, problem } from "../test/fake-api";
import { ensureSession, safeRedirect } from "./session";
import { signIn, signOut } from "./session-api";
import { sessionStore } from "./session-store";

const session = {
  user: { id: "u1", email: "owner@northwind.example", display_name: "Olivia Owner" },
  csrf_token: "csrf-abc",
  expires_at: "2030-01-01T00:00:00Z",
};

describe("ensureSession", () => {
  it("restores the cookie's session once and keeps the CSRF token in memory", async () => {
    const fake = installFakeApi().on("GET /api/v1/auth/session", () => json(session));

    const [first, second] = await Promise.all([ensureSession(), ensureSession()]);
    await ensureSession();

    expect(first).toEqual(session);
    expect(second).toEqual(session);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.credentials).toBe("same-origin");
    expect(sessionStore.csrfToken()).toBe("csrf-abc");
    expect(JSON.stringify({ ...localStorage, ...sessionStorage })).not.toContain("csrf-abc");
  });

  it("answers null without a session (401)", async () => {
    installFakeApi().on("GET /api/v1/auth/session", () => problem(401, "Authentication required"));
    expect(await ensureSession()).toBeNull();
    expect(sessionStore.get()).toBeNull();
  });
});

describe("signIn", () => {
  it("throws the problem's detail for a wrong password", async () => {
    installFakeApi().on("POST /api/v1/auth/session", () =>
      problem(401, "Authentication required", "The email or password is not correct."),
    );
    await expect(signIn("owner@northwind.example", "nope")).rejects.toMatchObject({
      status: 401,
      detail: "The email or password is not correct.",
    });
  });
});

describe("signOut", () => {
  it("deletes the session with the CSRF header, same-origin", async () => {
    const fake = installFakeApi().on("DELETE /api/v1/auth/session", () => new Response(null, { status: 204 }));
    await signOut("csrf-abc");
    expect(fake.requests[0]?.headers.get("X-CSRF-Token")).toBe("csrf-abc");
    expect(fake.requests[0]?.credentials).toBe("same-origin");
  });

  it("counts an already ended session (401) as signed out, and throws other problems", async () => {
    installFakeApi().on("DELETE /api/v1/auth/session", () => problem(401, "Authentication required"));
    await expect(signOut(null)).resolves.toBeUndefined();

    installFakeApi().on("DELETE /api/v1/auth/session", () => problem(403, "Forbidden", "The CSRF token is missing."));
    await expect(signOut(null)).rejects.toMatchObject({ status: 403, detail: "The CSRF token is missing." });
  });
});

describe("safeRedirect", () => {
  it("allows paths on this origin only", () => {
    expect(safeRedirect("/w/1/campaigns?view=board")).toBe("/w/1/campaigns?view=board");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("https://evil.example/")).toBe("/");
    expect(safeRedirect("//evil.example/")).toBe("/");
    expect(safeRedirect("/\\evil.example")).toBe("/");
    expect(safeRedirect("/sign-in?redirect=/x")).toBe("/");
  });
});
