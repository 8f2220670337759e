import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { seriousViolations } from "../../test/axe";
import { renderWithRouter } from "../../test/render";
import { CAMPAIGN, CONTENT, WORKSPACE, X_POST } from "../content/content-test-backend";
import { ProvenancePanel } from "./ProvenancePanel";
import { provenance, studioBackend } from "./studio-test-backend";

const scope = { workspaceId: WORKSPACE, campaignId: CAMPAIGN };

function Panel({ initial }: { initial: number }) {
  const [version, setVersion] = useState(initial);
  return <ProvenancePanel scope={scope} contentId={CONTENT} currentVersion={2} version={version} onVersionChange={setVersion} />;
}

function renderProvenance(options: Parameters<typeof studioBackend>[0], initial = 2) {
  studioBackend({ bodies: [X_POST, X_POST], ...options });
  return renderWithRouter(<Panel initial={initial} />);
}

const row = (name: string) => screen.getByRole("rowheader", { name }).closest("tr") as HTMLElement;

describe("provenance", { timeout: 20_000 }, () => {
  it("shows everything that shaped a generated version", async () => {
    renderProvenance({ provenance: provenance() });

    expect(await screen.findByText("Model: offline composer")).toBeInTheDocument();
    expect(row("Model")).toHaveTextContent("offline composer (offline · composer)");
    expect(row("Prompt template")).toHaveTextContent("Built-in generate template · sha256 ab12cd34ef56");
    expect(row("Parameters")).toHaveTextContent("variants: 2");
    expect(row("Parameters")).not.toHaveTextContent("tone"); // unset parameters are left out
    expect(row("Personal data redacted")).toHaveTextContent("EMAIL_ADDRESS: 1");
    expect(row("Personal data redacted")).not.toHaveTextContent("PHONE_NUMBER");
    expect(row("Injection flags")).toHaveTextContent("K1: override — Tells the model to ignore its instructions");
    expect(row("Check")).toHaveTextContent("Score 92 of 100 (minimum 70) · passes");
    expect(row("Tokens")).toHaveTextContent(/1,?234 in · 210 out · 0 cached/);
    expect(row("Cost")).toHaveTextContent("$0.000321");
    expect(row("Latency")).toHaveTextContent("845 ms");
    expect(row("Trace id")).toHaveTextContent("4bf92f3577b34da6a3ce929d0e0e4736");

    const sources = screen.getByRole("table", { name: /Knowledge passages used/ });
    const link = within(sources).getByRole("link", { name: "TrailFlow 3 product sheet" });
    expect(link).toHaveAttribute("href", `/w/${WORKSPACE}/knowledge/00000000-0000-4000-8000-0000000000f0`);
    expect(within(sources).getByText("p. 2")).toBeInTheDocument();
    expect(within(sources).getByText("0.033")).toBeInTheDocument();
  });

  it("says a version a person wrote is human-written", async () => {
    renderProvenance({ provenance: provenance() }, 1);

    expect(await screen.findByText("Human-written")).toBeInTheDocument();
    expect(screen.getByText(/Version 1 was written by a person/)).toBeInTheDocument();

    await userEvent.selectOptions(screen.getByLabelText("Version"), "2");
    expect(await screen.findByText("Model: offline composer")).toBeInTheDocument();
  });

  it("hides the cost from roles that may not see it", async () => {
    renderProvenance({ provenance: provenance({ cost: null, model: null, chunks: [] }) });

    expect(await screen.findByText("Model: none (fixes applied without a model)")).toBeInTheDocument();
    expect(row("Cost")).toHaveTextContent("Not shown to your role");
    expect(screen.getByText("No knowledge passages were used.")).toBeInTheDocument();
  });

  it("has no serious accessibility violations", async () => {
    const { container } = renderProvenance({ provenance: provenance() });
    await screen.findByText("Model: offline composer");
    expect(await seriousViolations(container)).toEqual([]);
  });
});
