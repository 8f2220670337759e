import { createMemoryHistory } from "@tanstack/react-router";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App, createApp } from "../../app/App";
import { installFakeApi, problem } from "../../test/fake-api";

function renderSignIn() {
  const fake = installFakeApi().on("GET /api/v1/auth/session", () => problem(401, "Authentication required"));
  render(<App app={createApp(createMemoryHistory({ initialEntries: ["/sign-in"] }))} />);
  return fake;
}

describe("SignInPage", () => {
  it("asks for what is missing, on the fields, and sends nothing", async () => {
    const fake = renderSignIn();
    await userEvent.click(await screen.findByRole("button", { name: "Sign in" }));

    const email = screen.getByRole("textbox", { name: /Email/ });
    expect(email).toHaveAccessibleDescription("Enter your email address.");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveFocus();
    expect(screen.getByLabelText(/Password/)).toHaveAccessibleDescription("Enter your password.");
    expect(fake.requests.filter((request) => request.method === "POST")).toEqual([]);

    // Typing clears that field's message; the other one stays until the next submit.
    await userEvent.type(email, "owner");
    expect(email).not.toHaveAccessibleDescription("Enter your email address.");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(email).toHaveAccessibleDescription("Enter a valid email address.");
  });

  it("puts the API's field errors (422) on their fields", async () => {
    const fake = renderSignIn().on("POST /api/v1/auth/session", () =>
      problem(422, "Unprocessable Content", "The request is not valid.", {
        errors: [{ loc: ["body", "password"], msg: "String should have at most 256 characters", type: "string_too_long" }],
      }),
    );
    await userEvent.type(await screen.findByRole("textbox", { name: /Email/ }), "  owner@northwind.example ");
    await userEvent.type(screen.getByLabelText(/Password/), "far too long");
    await userEvent.click(screen.getByRole("button", { name: "Sign in" }));

    const password = screen.getByLabelText(/Password/);
    expect(await screen.findByRole("alert")).toHaveTextContent("Could not sign in");
    expect(password).toHaveAccessibleDescription("String should have at most 256 characters");
    expect(password).toHaveFocus();
    const sent = fake.requests.find((request) => request.method === "POST");
    expect(await sent?.json()).toEqual({ email: "owner@northwind.example", password: "far too long" });
  });
});
