// @vitest-environment node
/// <reference types="node" />
import { readFileSync } from "node:fs";

import { describe, expect, it } from "vitest";

import { SESSION_PATH } from "./session-api";

describe("the session preload in index.html", () => {
  it("asks for what fetchSession asks for, so the browser hands the response over", () => {
    const html = readFileSync(new URL("../../index.html", import.meta.url), "utf8");
    const preload = html.match(/<link rel="preload"[^>]*>/)?.[0] ?? "";
    expect(preload).toContain(`href="${SESSION_PATH}"`);
    expect(preload).toContain('as="fetch"');
    // "anonymous" is same-origin credentials: what session.test.ts checks fetchSession sends.
    expect(preload).toContain('crossorigin="anonymous"');
  });
});
