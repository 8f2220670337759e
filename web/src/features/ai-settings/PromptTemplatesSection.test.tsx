import { createMemoryHistory } from "@tanstack/react-router";
import { configure, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Permission } from "../../api/types";
import { App, createApp } from "../../app/App";
import { seriousViolations } from "../../test/axe";
import { type FakeApi, installFakeApi, json, problem } from "../../test/fake-api";
import type { PromptTask, PromptTemplate, PromptTemplateWrite } from "./prompt-templates";

configure({ asyncUtilTimeout: 4000 });
const SLOW = { timeout: 30_000 };

const WORKSPACE = "00000000-0000-4000-8000-0000000000a1";
const ORG = "00000000-0000-4000-8000-0000000000b1";
const USER = { id: "00000000-0000-4000-8000-0000000000e1", email: "m@northwind.example", display_name: "Mia Manager" };
const MANAGER: Permission[] = ["workspace:read", "content:read", "ai_settings:manage"];
const WRITER: Permission[] = ["workspace:read", "content:read"];
const at = "2030-01-01T00:00:00Z";

const VARIABLES: Record<PromptTask, Record<string, string>> = {
  generate: { channel_name: "The channel", campaign: "The brief", sources: "Retrieved knowledge", instructions: "The request" },
  rewrite: { channel_name: "The channel", source: "The version", rewrite_instruction: "What to do" },
};
const REQUIRED: Record<PromptTask, string[]> = { generate: ["instructions", "sources"], rewrite: ["rewrite_instruction", "source"] };
const BUILT_IN: Record<PromptTask, string> = {
  generate: "Write for {{ channel_name }}.\n{{ sources }}\n{{ instructions }}",
  rewrite: "Rewrite {{ source }}\n{{ rewrite_instruction }}",
};

interface Server {
  fake: FakeApi;
  saved: Record<PromptTask, PromptTemplate[]>;
}

function template(task: PromptTask, version: number, text: string, note = "", current = true): PromptTemplate {
  return {
    id: version ? `00000000-0000-4000-8000-00000000${String(version).padStart(4, "0")}` : null,
    task,
    version,
    builtin: version === 0,
    current,
    template: text,
    sha256: "0".repeat(64),
    note: version ? note : "Built in",
    variables: VARIABLES[task],
    required: REQUIRED[task],
    created_by: version ? { type: "user", id: USER.id } : null,
    created_at: version ? at : null,
  };
}

/** A fake of the templates API, checking variables the way the server does (by name). */
function backend(permissions: Permission[]): Server {
  const saved: Record<PromptTask, PromptTemplate[]> = { generate: [], rewrite: [] };
  const currentOf = (task: PromptTask) => saved[task][0] ?? template(task, 0, BUILT_IN[task]);
  const fake = installFakeApi()
    .on("GET /api/v1/auth/session", () => json({ user: USER, csrf_token: "csrf-1", expires_at: "2999-01-01T00:00:00Z" }))
    .on("GET /api/v1/me", () =>
      json({
        user: USER,
        organizations: [{ organization_id: ORG, organization_name: "Northwind", role: "member" }],
        workspaces: [{ workspace_id: WORKSPACE, workspace_name: "Acme Running", organization_id: ORG, role: "manager" }],
      }),
    )
    .on("GET /api/v1/workspaces/{id}", () =>
      json({ id: WORKSPACE, organization_id: ORG, name: "Acme Running", slug: "acme", role: "manager", permissions, created_at: at }),
    )
    .on("GET /api/v1/workspaces/{id}/ai-settings", () =>
      json(
        { min_check_score: 70, tone_judge: false, routing: { generate: [], rewrite: [], check: [] }, near_limit: null, workspace_id: WORKSPACE, revision: 0, etag: '"ai-0"', updated_at: null, updated_by: null },
        { headers: { ETag: '"ai-0"' } },
      ),
    )
    .on("GET /api/v1/workspaces/{id}/ai-settings/provider-keys", () => json([]))
    .on("GET /api/v1/workspaces/{id}/prompt-templates", () => json({ items: [currentOf("generate"), currentOf("rewrite")] }))
    .on("GET /api/v1/workspaces/{id}/prompt-templates/{task}", (_request, match) => {
      const task = match[2] as PromptTask;
      return json([...saved[task], template(task, 0, BUILT_IN[task], "", saved[task].length === 0)]);
    })
    .on("PUT /api/v1/workspaces/{id}/prompt-templates/{task}", async (request, match) => {
      const task = match[2] as PromptTask;
      const body = (await request.json()) as PromptTemplateWrite;
      if (body.template.includes("{% if") && !body.template.includes("endif")) {
        return problem(422, "Request validation failed", "Template syntax error on line 2: unexpected end of template", {
          line: 2,
          errors: [{ loc: ["body", "template"], msg: "Template syntax error on line 2: unexpected end of template", type: "template_syntax" }],
        });
      }
      const used = [...body.template.matchAll(/\{\{\s*(\w+)/g)].map((found) => found[1] ?? "");
      const unknown = used.filter((name) => !(name in VARIABLES[task]));
      if (unknown.length > 0) {
        return problem(422, "Request validation failed", "The template's variables do not fit the task.", {
          errors: unknown.map((name) => ({ loc: ["body", "template", name], msg: `\`${name}\` is not a variable of the ${task} template`, type: "unknown_variable" })),
        });
      }
      saved[task] = [template(task, saved[task].length + 1, body.template, body.note), ...saved[task].map((row) => ({ ...row, current: false }))];
      return json(saved[task][0]);
    });
  return { fake, saved };
}

function renderAt(path: string) {
  const app = createApp(createMemoryHistory({ initialEntries: [path] }));
  return render(<App app={app} />);
}

const section = () => screen.findByRole("region", { name: "Prompt templates" });
const puts = (fake: FakeApi) => fake.requests.filter((request) => request.method === "PUT");

describe("the prompt templates", SLOW, () => {
  it("lists each task's current version, and a manager saves an edit as a new version", async () => {
    const server = backend(MANAGER);
    const { container } = renderAt(`/w/${WORKSPACE}/ai-settings`);

    const templates = await section();
    const generateRow = await within(templates).findByRole("row", { name: /^Generate/ });
    expect(within(generateRow).getByText("Built in")).toBeInTheDocument();
    expect(within(generateRow).getByText("Ships with Brandflow")).toBeInTheDocument();
    await userEvent.click(within(generateRow).getByRole("button", { name: "Edit the generate template" }));

    const editor = await screen.findByRole("form", { name: "Generate template" });
    // The variables the task allows, from the API, with the required ones marked.
    expect(within(editor).getByRole("rowheader", { name: /^sources\s*required$/ })).toBeInTheDocument();
    expect(within(editor).getByText("Retrieved knowledge")).toBeInTheDocument();
    const text = within(editor).getByRole("textbox", { name: /^Template text/ });
    expect(text).toHaveValue(BUILT_IN.generate);
    expect(await within(editor).findByRole("row", { name: /Built in \(0\)\s*current/ })).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);

    await userEvent.type(text, "\nKeep it short.");
    await userEvent.type(within(editor).getByRole("textbox", { name: /^What changed/ }), "Shorter copy");
    await userEvent.click(within(editor).getByRole("button", { name: "Save as a new version" }));

    expect(await screen.findByText("Generate template saved as version 1.")).toBeInTheDocument();
    expect(await within(generateRow).findByText("Version 1")).toBeInTheDocument();
    expect(within(generateRow).getByText(/by You$/)).toBeInTheDocument();
    expect(within(generateRow).getByText("Shorter copy")).toBeInTheDocument();
    expect(await within(editor).findByRole("row", { name: /^1\s*current/ })).toBeInTheDocument();
    const [put] = puts(server.fake);
    expect(await put?.json()).toEqual({ template: `${BUILT_IN.generate}\nKeep it short.`, note: "Shorter copy" });
    expect(within(editor).getByRole("button", { name: "Save as a new version" })).toBeDisabled();
  });

  it("shows an unknown variable at its line, and a syntax error at the line the API names", async () => {
    const server = backend(MANAGER);
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const templates = await section();
    await userEvent.click(await within(templates).findByRole("button", { name: "Edit the generate template" }));
    const editor = await screen.findByRole("form", { name: "Generate template" });
    const text = within(editor).getByRole("textbox", { name: /^Template text/ });
    await userEvent.clear(text);
    // `{` starts a userEvent key descriptor: `{{` types one.
    await userEvent.type(text, "{{{{ sources }}\n{{{{ instructions }}\nHello {{{{ campaign_nmae }}");
    await userEvent.click(within(editor).getByRole("button", { name: "Save as a new version" }));

    const alert = await within(editor).findByRole("alert");
    expect(within(alert).getByText("Line 3:")).toBeInTheDocument();
    expect(within(alert).getByText("`campaign_nmae` is not a variable of the generate template")).toBeInTheDocument();
    expect(within(alert).getByText("Hello {{ campaign_nmae }}")).toBeInTheDocument();
    expect(text).toHaveAccessibleDescription(/Line 3: `campaign_nmae` is not a variable/);
    expect(text).toHaveAttribute("aria-invalid", "true");
    expect(text).toHaveFocus();

    await userEvent.click(within(alert).getByRole("button", { name: "Go to line 3" }));
    const field = text as HTMLTextAreaElement;
    expect(field.value.slice(field.selectionStart, field.selectionEnd)).toBe("Hello {{ campaign_nmae }}");

    await userEvent.clear(text);
    await userEvent.type(text, "{{{{ sources }}\n{{% if instructions %}");
    await userEvent.click(within(editor).getByRole("button", { name: "Save as a new version" }));
    expect(await within(editor).findByText("Line 2:")).toBeInTheDocument();
    expect(within(editor).getByText("Template syntax error on line 2: unexpected end of template")).toBeInTheDocument();
    expect(server.saved.generate).toHaveLength(0);
  });

  it("puts an older version back in the editor from the history", async () => {
    const server = backend(MANAGER);
    server.saved.generate = [template("generate", 1, "{{ sources }} {{ instructions }} v1", "First")];
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const templates = await section();
    await userEvent.click(await within(templates).findByRole("button", { name: "Edit the generate template" }));
    const editor = await screen.findByRole("form", { name: "Generate template" });
    await userEvent.click(await within(editor).findByRole("button", { name: "Show version 0" }));
    expect(within(editor).getByRole("region", { name: "Text of version 0" })).toHaveTextContent("Write for {{ channel_name }}.");
    await userEvent.click(within(editor).getByRole("button", { name: "Put version 0 in the editor" }));
    expect(within(editor).getByRole("textbox", { name: /^Template text/ })).toHaveValue(BUILT_IN.generate);
    await userEvent.click(within(editor).getByRole("button", { name: "Save as a new version" }));
    await waitFor(() => expect(server.saved.generate).toHaveLength(2));
    expect(server.saved.generate[0]?.template).toBe(BUILT_IN.generate);
  });

  it("is view-only without ai_settings:manage", async () => {
    const server = backend(WRITER);
    server.saved.rewrite = [template("rewrite", 1, "{{ source }} {{ rewrite_instruction }}", "Tighter")];
    renderAt(`/w/${WORKSPACE}/ai-settings`);

    const templates = await section();
    const rewriteRow = await within(templates).findByRole("row", { name: /^Rewrite/ });
    expect(within(rewriteRow).getByText("Version 1")).toBeInTheDocument();
    expect(within(templates).queryByRole("button", { name: /^Edit/ })).not.toBeInTheDocument();
    await userEvent.click(within(rewriteRow).getByRole("button", { name: "View the rewrite template" }));
    const editor = await screen.findByRole("form", { name: "Rewrite template" });
    expect(within(editor).getByRole("textbox", { name: /^Template text/ })).toHaveAttribute("readonly");
    expect(within(editor).queryByRole("button", { name: "Save as a new version" })).not.toBeInTheDocument();
    expect(within(editor).queryByRole("textbox", { name: /^What changed/ })).not.toBeInTheDocument();
    await userEvent.click(await within(editor).findByRole("button", { name: "Show version 1" }));
    expect(within(editor).queryByRole("button", { name: /in the editor$/ })).not.toBeInTheDocument();
    expect(puts(server.fake)).toHaveLength(0);
  });
});
