// @vitest-environment node
/// <reference types="node" />
// Checks the production build in web/dist (run `npm run build` first; skipped without it):
// the JavaScript index.html loads up front stays within budget, and screens are separate chunks.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

import { describe, expect, it } from "vitest";

const DIST = new URL("../dist/", import.meta.url);
const INITIAL_JS_BUDGET = 250 * 1024;
/** Screen components that must each load as their own chunk, not in the initial JavaScript. */
const LAZY_SCREENS = [
  "SignInPage",
  "AppLayout",
  "CampaignsPage",
  "CampaignDetailPage",
  "ContentListPage",
  "ContentEditorPage",
  "VersionHistoryPage",
  "MembersPage",
  "ApiKeysPage",
  "AuditLogPage",
  "BrandKitPage",
  "BrandKitVersionsPage",
  "KnowledgeLibraryPage",
  "KnowledgeSearchPage",
  "DocumentPage",
  "CostsPage",
  "BudgetsPage",
  "AISettingsPage",
  "StudioPanel",
];

const built = existsSync(new URL("index.html", DIST));
if (!built) console.warn("bundle.test.ts: web/dist is absent, skipping the bundle budget (run `npm run build`).");

/** Scripts and module preloads referenced by index.html: what the browser fetches at start. */
function initialScripts(html: string): string[] {
  const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)].map((match) => match[1] ?? "");
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+\.js)"/g)].map((match) => match[1] ?? "");
  return [...new Set([...scripts, ...preloads])];
}

function gzippedSize(path: string): number {
  return gzipSync(readFileSync(new URL(`.${path}`, DIST)), { level: 9 }).length;
}

describe.skipIf(!built)("production bundle", () => {
  const html = built ? readFileSync(new URL("index.html", DIST), "utf8") : "";
  const initial = initialScripts(html);

  it(`loads at most ${INITIAL_JS_BUDGET / 1024} KB of gzipped JavaScript up front`, () => {
    expect(initial.length).toBeGreaterThan(0);
    const sizes = initial.map((path) => ({ path, gzip: gzippedSize(path) }));
    const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0);
    console.info(`initial JS: ${(total / 1024).toFixed(1)} KB gzipped`, sizes);
    expect(total).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
  });

  it("loads the charting library with the cost dashboard only", () => {
    const chunks = readdirSync(new URL("assets/", DIST)).filter((name) => name.endsWith(".js"));
    // Recharts' class names survive minification.
    const withCharts = chunks.filter((name) => readFileSync(new URL(`assets/${name}`, DIST), "utf8").includes("recharts-"));
    expect(withCharts.length).toBeGreaterThan(0);
    const initialNames = initial.map((path) => path.split("/").pop());
    for (const name of withCharts) {
      expect(initialNames, `${name} is loaded up front`).not.toContain(name);
      expect(name, "recharts is in a chunk other screens share").not.toMatch(/^(ui|shared|app|forms)-/);
    }
  });

  it("splits every screen into its own chunk", () => {
    const chunks = readdirSync(new URL("assets/", DIST)).filter((name) => name.endsWith(".js"));
    const initialNames = initial.map((path) => path.split("/").pop());
    for (const screen of LAZY_SCREENS) {
      const chunk = chunks.find((name) => name.startsWith(`${screen}-`));
      expect(chunk, `${screen} has no chunk of its own`).toBeDefined();
      expect(initialNames).not.toContain(chunk);
    }
  });
});
