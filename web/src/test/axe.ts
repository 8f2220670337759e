// axe-core over a rendered container: the serious and critical violations, as readable lines.
import axe from "axe-core";

export async function seriousViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, {
    // jsdom cannot compute colours; contrast is checked in the browser end-to-end tests.
    rules: { "color-contrast": { enabled: false } },
  });
  return results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(" ")).join(", ")})`);
}
