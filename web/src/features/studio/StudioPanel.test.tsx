import { createMemoryHistory } from "@tanstack/react-router";
import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { App, createApp } from "../../app/App";
import type { ContentBody } from "../../api/types";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { CAMPAIGN, CONTENT, READER, WORKSPACE } from "../content/content-test-backend";
import { FakeEventSource } from "./fake-event-source";
import { generation, studioBackend } from "./studio-test-backend";
import type { Generation } from "./types";

const GENERATIONS = "/api/v1/workspaces/{w}/campaigns/{c}/contents/{id}/generations";
const DRAFT_1: ContentBody = { channel: "x", text: "Grip that holds on wet rock." };
const DRAFT_2: ContentBody = { channel: "x", text: "Wet rock, steady feet." };
const variant = (index: number, version_number: number) => ({ index, version_number, score: 92, passed: true, check_id: null });

function renderEditor() {
  const app = createApp(createMemoryHistory({ initialEntries: [`/w/${WORKSPACE}/campaigns/${CAMPAIGN}/contents/${CONTENT}`] }));
  return render(<App app={app} />);
}

/** The stream's events, delivered inside act() as the browser would deliver them. */
function emit(kind: string, data: unknown, id: number) {
  act(() => FakeEventSource.latest().emit(kind, data, id));
}

const liveStatus = () => screen.getByText((_, element) => element?.getAttribute("aria-live") === "polite" && element.tagName === "P");

async function startGeneration() {
  await userEvent.type(await screen.findByRole("textbox", { name: /^Instructions/ }), "Stress the grip");
  await userEvent.selectOptions(screen.getByLabelText("Number of variants"), "2");
  await userEvent.click(screen.getByRole("button", { name: "Generate" }));
  await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
  act(() => FakeEventSource.latest().open());
}

beforeAll(() => Promise.all([import("../content/ContentEditorPage"), import("./StudioPanel")]), 30_000);
beforeEach(() => vi.stubGlobal("EventSource", FakeEventSource));
afterEach(() => FakeEventSource.reset());

describe("AI studio in the content editor", { timeout: 30_000 }, () => {
  it("generates drafts: streams them, then shows them side by side with their model and scores", async () => {
    let final: Generation = generation({ status: "running" });
    const backend = studioBackend({ findings: [], generation: () => final });
    renderEditor();

    await startGeneration();
    const post = backend.fake.requests.find((request) => request.method === "POST" && request.url.endsWith("/generations"));
    expect(await post?.json()).toEqual({ operation: "generate", instructions: "Stress the grip", variants: 2 });
    expect(post?.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(post?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    expect(FakeEventSource.latest().url).toBe(generation().events_url);
    expect(FakeEventSource.latest().withCredentials).toBe(true);

    emit("status", { status: "running", attempt: 1 }, 2);
    emit("progress", { step: "retrieving" }, 3);
    emit("progress", { step: "prompting", sources: 2 }, 4);
    emit("progress", { step: "generating", variant: 1, of: 2 }, 5);
    emit("token", { variant: 1, text: '{"channel":"x","text":"Grip that ho' }, 6);
    expect(liveStatus()).toHaveTextContent("Writing draft 1 of 2.");
    const streaming = screen.getByRole("article", { name: "Draft 1, as it is written" });
    expect(streaming).toHaveTextContent("Text: Grip that ho");
    expect(streaming).not.toHaveTextContent("channel");
    expect(screen.getByRole("list", { name: "Steps" })).toHaveTextContent("Finding sources in the knowledge base (2 found): done");

    // The worker saves both drafts as versions 2 and 3, then the stream ends.
    backend.colleagueSaves(DRAFT_1);
    backend.colleagueSaves(DRAFT_2);
    final = generation({ status: "succeeded", model_label: "offline composer", variants: [variant(1, 2), variant(2, 3)] });
    emit("variant", variant(1, 2), 7);
    emit("variant", variant(2, 3), 8);
    emit("done", { status: "succeeded", version_numbers: [2, 3], variants: [variant(1, 2), variant(2, 3)] }, 9);

    expect(await screen.findByText("Done: 2 drafts are ready.")).toBeInTheDocument();
    expect(FakeEventSource.latest().closed).toBe(true);
    const first = await screen.findByRole("article", { name: "Draft 1, version 2" });
    const second = screen.getByRole("article", { name: "Draft 2, version 3" });
    expect(await within(first).findByText("Grip that holds on wet rock.")).toBeInTheDocument();
    expect(await within(second).findByText("Wet rock, steady feet.")).toBeInTheDocument();
    expect(within(first).getByText("Score 92 · passes")).toBeInTheDocument();
    expect(within(first).getByText("Model: offline composer")).toBeInTheDocument();
    expect(within(second).getByText("Current version")).toBeInTheDocument();
    // The editor now holds the current version, the last draft.
    await waitFor(() => expect(screen.getByRole("textbox", { name: /^Text/ })).toHaveValue("Wet rock, steady feet."));

    await userEvent.click(within(first).getByRole("button", { name: "Compare with current: draft 1" }));
    const dialog = await screen.findByRole("dialog", { name: "Version 2 compared with the current version 3" });
    expect(await within(dialog).findByRole("table")).toHaveTextContent("Version 3");
    await userEvent.keyboard("{Escape}");

    await userEvent.click(within(first).getByRole("button", { name: "Use this version: draft 1" }));
    await waitFor(() => expect(backend.versions).toHaveLength(4));
    expect(backend.versions[3]?.body).toEqual(DRAFT_1);
    const use = backend.fake.requests.filter((request) => request.method === "POST" && request.url.endsWith("/versions")).at(-1);
    expect(use?.headers.get("If-Match")).toBe('"v3"');
  });

  it("refuses a card number in the instructions on the field", async () => {
    const backend = studioBackend();
    backend.fake.on(`POST ${GENERATIONS}`, () =>
      problem(422, "Payment card number refused", "The text contains a payment card number (ending in 1111).", {
        type: "https://brandflow.dev/problems/payment-card-refused",
      }),
    );
    renderEditor();

    await userEvent.type(await screen.findByRole("textbox", { name: /^Instructions/ }), "Card 4111 1111 1111 1111");
    await userEvent.click(screen.getByRole("button", { name: "Generate" }));

    const instructions = screen.getByRole("textbox", { name: /^Instructions/ });
    await waitFor(() => expect(instructions).toHaveAttribute("aria-invalid", "true"));
    expect(screen.getByText("The text contains a payment card number (ending in 1111).")).toBeInTheDocument();
    expect(FakeEventSource.instances).toHaveLength(0);
  });

  it("explains a used-up budget and links to the budgets", async () => {
    const backend = studioBackend();
    backend.fake.on(`POST ${GENERATIONS}`, () =>
      problem(402, "Budget exceeded", "This call would exceed the workspace's monthly budget of 50 USD.", {
        type: "https://brandflow.dev/problems/budget-exceeded",
      }),
    );
    renderEditor();

    await userEvent.click(await screen.findByRole("button", { name: "Shorten" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Budget exceeded");
    expect(alert).toHaveTextContent("monthly budget of 50 USD. Nothing was spent.");
    expect(within(alert).getByRole("link", { name: "Review the budgets" })).toHaveAttribute("href", `/w/${WORKSPACE}/costs/budgets`);
    const body = (await backend.fake.requests.find((request) => request.method === "POST")?.json()) as Record<string, unknown>;
    expect(body).toEqual({ operation: "shorten", instructions: "", variants: 1, source_version: 1 });
  });

  it("shows why a generation failed, from its error event", async () => {
    studioBackend({ generation: () => generation({ status: "failed", error_code: "budget-exceeded", reason: "Over the campaign's budget." }) });
    renderEditor();

    await startGeneration();
    emit("error", { code: "budget-exceeded", reason: "Over the campaign's budget." }, 2);

    expect(await screen.findByText("The generation failed: Over the campaign's budget.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Review the budgets" })).toBeInTheDocument();
  });

  it("survives a dropped connection: reconnects, and never shows an event twice", async () => {
    studioBackend({ generation: () => generation({ status: "running" }) });
    renderEditor();

    await startGeneration();
    emit("token", { variant: 1, text: "Grip " }, 2);
    act(() => FakeEventSource.latest().drop());
    expect(await screen.findByText(/The connection dropped; reconnecting/)).toBeInTheDocument();
    act(() => FakeEventSource.latest().fail());
    await userEvent.click(await screen.findByRole("button", { name: "Reconnect" }));

    expect(FakeEventSource.instances).toHaveLength(2);
    act(() => FakeEventSource.latest().open());
    // A new connection replays from the start.
    emit("token", { variant: 1, text: "Grip " }, 2);
    emit("token", { variant: 1, text: "that holds" }, 3);
    expect(screen.getByRole("article", { name: "Draft 1, as it is written" })).toHaveTextContent(/^Draft 1Grip that holds$/);
  });

  it("picks up a generation still running after a reload", async () => {
    studioBackend({ latest: generation({ status: "running" }) });
    renderEditor();

    await waitFor(() => expect(FakeEventSource.instances).toHaveLength(1));
    expect(await screen.findByRole("heading", { name: "Generated drafts" })).toBeInTheDocument();
  });

  it("shows readers the check and the provenance, but no writing", async () => {
    studioBackend({ permissions: READER });
    renderEditor();

    expect(await screen.findByRole("heading", { name: "Compliance check of version 1" })).toBeInTheDocument();
    expect(await screen.findByText("Human-written")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Write with AI" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /Apply fix/ })).not.toBeInTheDocument();
  });

  it("has no serious accessibility violations while streaming", async () => {
    studioBackend();
    const { container } = renderEditor();
    await startGeneration();
    emit("progress", { step: "generating", variant: 1, of: 2 }, 2);
    emit("token", { variant: 1, text: '{"text":"Grip' }, 3);
    await screen.findByRole("article", { name: "Draft 1, as it is written" });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
