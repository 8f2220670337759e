import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { installFakeApi, json, problem } from "../../test/fake-api";
import { seriousViolations } from "../../test/axe";
import { renderWithRouter } from "../../test/render";
import { CreateCampaignForm } from "./CreateCampaignModal";

const WORKSPACE_ID = "00000000-0000-4000-8000-0000000000aa";

function renderForm() {
  return renderWithRouter(<CreateCampaignForm workspaceId={WORKSPACE_ID} onDone={() => undefined} />);
}

describe("CreateCampaignForm", () => {
  it("shows the form's own validation next to the field, without calling the API", async () => {
    const fake = installFakeApi();
    renderForm();

    await userEvent.click(await screen.findByRole("button", { name: "Create campaign" }));

    expect(await screen.findByText("Give the campaign a name.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name/ })).toHaveAttribute("aria-invalid", "true");
    expect(fake.requests).toHaveLength(0);
  });

  it("shows a live counter with the contract's limit", async () => {
    installFakeApi();
    renderForm();

    await userEvent.type(await screen.findByRole("textbox", { name: /^Name/ }), "Trail");

    expect(screen.getByText("5 of at most 200 characters")).toBeInTheDocument();
  });

  it("puts the API's validation messages in place", async () => {
    installFakeApi().on("POST /api/v1/workspaces/{id}/campaigns", () =>
      problem(422, "Request validation failed", "body.name: Value error, name is taken", {
        errors: [{ loc: ["body", "name"], msg: "Value error, name is taken", type: "value_error" }],
      }),
    );
    renderForm();

    await userEvent.type(await screen.findByRole("textbox", { name: /^Name/ }), "Trail season");
    await userEvent.click(screen.getByRole("button", { name: "Create campaign" }));

    expect(await screen.findByText("Value error, name is taken")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name/ })).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByRole("alert")).toHaveTextContent("Correct the fields marked above");
  });

  it("creates the campaign and opens it", async () => {
    const fake = installFakeApi().on("POST /api/v1/workspaces/{id}/campaigns", () =>
      json(
        {
          id: "00000000-0000-4000-8000-0000000000bb",
          workspace_id: WORKSPACE_ID,
          name: "Trail season",
          objective: "",
          audience: "",
          key_messages: [],
          channels: ["email"],
          start_date: null,
          end_date: null,
          budget: null,
          status: "planned",
          revision: 1,
          created_at: "2030-01-01T00:00:00Z",
          updated_at: "2030-01-01T00:00:00Z",
        },
        { status: 201, headers: { ETag: '"r1"' } },
      ),
    );
    renderForm();

    await userEvent.type(await screen.findByRole("textbox", { name: /^Name/ }), "Trail season");
    await userEvent.click(screen.getByRole("checkbox", { name: "Email" }));
    await userEvent.click(screen.getByRole("button", { name: "Create campaign" }));

    expect(await screen.findByTestId("location")).toHaveTextContent(
      `/w/${WORKSPACE_ID}/campaigns/00000000-0000-4000-8000-0000000000bb`,
    );
    await waitFor(() => expect(fake.requests).toHaveLength(1));
    expect(await fake.requests[0]?.json()).toMatchObject({ name: "Trail season", channels: ["email"], status: "planned" });
  });

  it("has no serious accessibility violations", async () => {
    installFakeApi();
    const { container } = renderForm();
    await screen.findByRole("button", { name: "Create campaign" });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
