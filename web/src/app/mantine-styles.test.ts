// @vitest-environment node
/// <reference types="node" />
// Checks the production build in web/dist (run `npm run build` first; skipped without it): every
// Mantine class the JavaScript uses has its rules in the stylesheet, i.e. mantine-styles.ts imports
// the stylesheet of every Mantine component the app renders.
import { existsSync, readFileSync, readdirSync } from "node:fs";

import { describe, expect, it } from "vitest";

const DIST = new URL("../../dist/", import.meta.url);
const STYLES = new URL("../../node_modules/@mantine/core/styles/", import.meta.url);
const MANTINE_CLASS = /\bm_[0-9a-f]{8}\b/g;

const built = existsSync(new URL("index.html", DIST));

function classesIn(files: URL[]): Set<string> {
  return new Set(files.flatMap((file) => readFileSync(file, "utf8").match(MANTINE_CLASS) ?? []));
}

function assets(extension: string): URL[] {
  const folder = new URL("assets/", DIST);
  return readdirSync(folder)
    .filter((name) => name.endsWith(extension))
    .map((name) => new URL(name, folder));
}

/** The @mantine/core stylesheet that defines `className`, to name in the failure message. */
function stylesheetOf(className: string): string {
  const sheet = readdirSync(STYLES)
    .filter((name) => name.endsWith(".css") && !name.endsWith(".layer.css"))
    .find((name) => readFileSync(new URL(name, STYLES), "utf8").includes(`.${className}`));
  return sheet ? `@mantine/core/styles/${sheet}` : `(no @mantine/core stylesheet has .${className})`;
}

describe.skipIf(!built)("Mantine styles in the build", () => {
  it("include the rules of every Mantine class the JavaScript uses", () => {
    const styled = classesIn(assets(".css"));
    const used = classesIn(assets(".js"));
    expect(used.size).toBeGreaterThan(0);
    const missing = [...used].filter((className) => !styled.has(className));
    expect([...new Set(missing.map(stylesheetOf))]).toEqual([]);
  });
});
