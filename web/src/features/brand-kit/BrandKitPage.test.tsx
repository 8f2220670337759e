import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeAll, describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { problem } from "../../test/fake-api";
import { MANAGER, READER, WORKSPACE, brandKitBackend } from "./brand-kit-test-backend";
import type { BrandKitContent } from "./types";

configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 30_000 };

beforeAll(async () => {
  await Promise.all([import("../shell/AppLayout"), import("./BrandKitPage"), import("./BrandKitVersionsPage")]);
});

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  return { app, ...render(<App app={app} />) };
}

const kitForm = () => screen.findByRole("form", { name: "Brand kit" });

describe("the brand kit editor", SLOW, () => {
  it("saves the whole kit with If-Match and shows the new version", async () => {
    const server = brandKitBackend(MANAGER);
    const { container } = renderAt(`/w/${WORKSPACE}/brand-kit`);

    const form = await kitForm();
    expect(screen.getByText("Version 1")).toBeInTheDocument();
    const summary = within(form).getByRole("textbox", { name: /^Summary/ });
    await userEvent.clear(summary);
    await userEvent.type(summary, "Practical and warm.");
    await userEvent.click(within(form).getByRole("button", { name: "Add banned term" }));
    await userEvent.type(within(form).getByRole("textbox", { name: /^Term 2/ }), "guaranteed");
    await userEvent.type(within(form).getByRole("textbox", { name: "Tone" }), "honest{enter}");
    expect(await seriousViolations(container)).toEqual([]);
    await userEvent.click(within(form).getByRole("button", { name: "Save brand kit" }));

    expect(await screen.findByText("Version 2")).toBeInTheDocument();
    const put = server.fake.requests.find((request) => request.method === "PUT");
    expect(put?.headers.get("If-Match")).toBe('"kit-1"');
    expect(put?.headers.get("X-CSRF-Token")).toBe("csrf-1");
    const body = (await put?.json()) as BrandKitContent;
    expect(body.voice?.summary).toBe("Practical and warm.");
    expect(body.voice?.tone).toEqual(["encouraging", "practical", "honest"]);
    expect(body.rules?.banned_terms).toEqual([
      { term: "cheap", replacement: "great value", reason: null },
      { term: "guaranteed", replacement: null, reason: null },
    ]);
    expect(body.channel_overrides).toEqual({ x: { tone: ["punchy"], extra_banned_terms: [], notes: "Short and direct." } });
  });

  it("shows the API's field errors on their fields", async () => {
    const server = brandKitBackend(MANAGER);
    server.fake.on("PUT /api/v1/workspaces/{id}/brand-kit", () =>
      problem(422, "Request validation failed", "Some fields are not valid.", {
        errors: [
          { loc: ["body", "rules", "banned_terms", 0, "term"], msg: "Banned term 'cheap' is listed twice", type: "value_error" },
          { loc: ["body", "channel_overrides", "x", "notes"], msg: "Notes are too long", type: "string_too_long" },
          { loc: ["body", "voice", "mood"], msg: "Extra inputs are not permitted", type: "extra_forbidden" },
        ],
      }),
    );
    renderAt(`/w/${WORKSPACE}/brand-kit`);

    const form = await kitForm();
    await userEvent.type(within(form).getByRole("textbox", { name: /^Audience/ }), " and walkers");
    await userEvent.click(within(form).getByRole("button", { name: "Save brand kit" }));

    expect(await within(form).findByText("Banned term 'cheap' is listed twice")).toBeInTheDocument();
    expect(within(form).getByRole("textbox", { name: /^Term 1/ })).toHaveAttribute("aria-invalid", "true");
    const xOverride = within(form).getByRole("group", { name: "X override" });
    expect(within(xOverride).getByRole("textbox", { name: /^Notes for writers/ })).toHaveAttribute("aria-invalid", "true");
    // An error no field shows is listed with the problem.
    expect(within(form).getByText("The brand kit was not saved")).toBeInTheDocument();
    expect(await within(form).findByText("voice.mood: Extra inputs are not permitted")).toBeInTheDocument();
  });

  it("on 412 offers Compare, then keeps my changes over the colleague's version", async () => {
    const server = brandKitBackend(MANAGER);
    renderAt(`/w/${WORKSPACE}/brand-kit`);

    const form = await kitForm();
    server.colleagueSaves((kit) => ({ ...kit, voice: { ...kit.voice!, audience: "Road runners too" } }));
    const summary = within(form).getByRole("textbox", { name: /^Summary/ });
    await userEvent.clear(summary);
    await userEvent.type(summary, "Mine");
    await userEvent.click(within(form).getByRole("button", { name: "Save brand kit" }));

    const conflict = await screen.findByRole("alert");
    expect(conflict).toHaveTextContent("The brand kit changed since you read it.");
    await userEvent.click(within(conflict).getByRole("button", { name: "Compare" }));
    const table = await screen.findByRole("table", { name: "Your values next to the saved ones" });
    expect(within(table).getByRole("rowheader", { name: /Audience/ }).closest("tr")).toHaveTextContent("Road runners too");

    await userEvent.click(screen.getByRole("button", { name: "Keep my changes" }));
    await userEvent.click(within(form).getByRole("button", { name: "Save brand kit" }));

    expect(await screen.findByText("Version 3")).toBeInTheDocument();
    const puts = server.fake.requests.filter((request) => request.method === "PUT");
    expect(puts.map((request) => request.headers.get("If-Match"))).toEqual(['"kit-1"', '"kit-2"']);
    const saved = server.current();
    expect(saved.voice?.summary).toBe("Mine");
    expect(saved.voice?.audience).toBe("Road runners too");
  });

  it("adds and removes rows and channel overrides", async () => {
    const server = brandKitBackend(MANAGER, null);
    renderAt(`/w/${WORKSPACE}/brand-kit`);

    const form = await kitForm();
    expect(screen.getByText("Not saved yet")).toBeInTheDocument();
    await userEvent.click(within(form).getByRole("button", { name: "Add do example" }));
    await userEvent.type(within(form).getByRole("textbox", { name: /^Do example 1/ }), "Lace up.");
    await userEvent.click(within(form).getByRole("button", { name: "Add competitor" }));
    await userEvent.type(within(form).getByRole("textbox", { name: /^Competitor 1/ }), "Peakline");
    await userEvent.click(within(form).getByRole("button", { name: "Remove competitor 1" }));
    await waitFor(() => expect(within(form).getByRole("button", { name: "Add competitor" })).toHaveFocus());
    await userEvent.selectOptions(within(form).getByRole("combobox", { name: "Channel" }), "LinkedIn");
    await userEvent.click(within(form).getByRole("button", { name: "Add override" }));
    const linkedin = within(form).getByRole("group", { name: "LinkedIn override" });
    await userEvent.click(within(linkedin).getByRole("checkbox", { name: "Use its own tone instead of the kit's" }));
    await userEvent.type(within(linkedin).getByRole("textbox", { name: "Tone on this channel" }), "thoughtful{enter}");
    await userEvent.click(within(form).getByRole("button", { name: "Save brand kit" }));

    expect(await screen.findByText("Version 1")).toBeInTheDocument();
    const put = server.fake.requests.find((request) => request.method === "PUT");
    expect(put?.headers.get("If-Match")).toBe('"kit-0"');
    const body = (await put?.json()) as BrandKitContent;
    expect(body.voice?.do_examples).toEqual(["Lace up."]);
    expect(body.rules?.competitors).toEqual([]);
    expect(body.channel_overrides).toEqual({ linkedin: { tone: ["thoughtful"], extra_banned_terms: [], notes: "" } });
  });

  it("is a read-only view for a role without brand_kit:write", async () => {
    brandKitBackend(READER);
    const { container } = renderAt(`/w/${WORKSPACE}/brand-kit`);

    expect(await screen.findByText(/Your role can read the brand kit but not change it/)).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Brand kit" })).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.getByRole("table", { name: "Banned terms" })).toHaveTextContent("great value");
    expect(screen.getByText("Free returns within 60 days.")).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "X" })).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });
});

describe("the brand kit history", SLOW, () => {
  it("lists the versions and shows one as it was", async () => {
    const server = brandKitBackend(READER);
    server.colleagueSaves((kit) => ({ ...kit, voice: { ...kit.voice!, summary: "Second summary" } }));
    const { container } = renderAt(`/w/${WORKSPACE}/brand-kit/versions`);

    const table = await screen.findByRole("table", { name: "Versions of the brand kit, newest first" });
    expect(within(table).getAllByRole("row")).toHaveLength(3);
    await userEvent.click(within(table).getByRole("button", { name: "Show version 1" }));
    const detail = await screen.findByRole("region", { name: "Version 1" });
    expect(await within(detail).findByText("The friend at the trailhead.")).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });
});
