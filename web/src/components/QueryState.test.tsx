import { useQuery } from "@tanstack/react-query";
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { ApiError } from "../api/problem";
import { renderWithProviders } from "../test/render";
import { QueryState } from "./QueryState";

/** A screen whose query resolves or fails with whatever `load` does on each call. */
function Screen({ load }: { load: () => Promise<string[]> }) {
  const query = useQuery({ queryKey: ["items"], queryFn: load });
  return (
    <QueryState
      query={query}
      loadingLabel="Loading items"
      isEmpty={(items) => items.length === 0}
      empty={{ title: "No items yet", description: "Add the first one." }}
    >
      {(items) => (
        <ul>
          {items.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      )}
    </QueryState>
  );
}

const forbidden = new ApiError({
  type: "https://brandflow.dev/problems/forbidden",
  title: "Permission denied",
  status: 403,
  detail: "Your role cannot read this workspace's items.",
});

describe("QueryState", () => {
  it("announces loading while the query is pending", () => {
    renderWithProviders(<Screen load={() => new Promise(() => undefined)} />);
    expect(screen.getByRole("status")).toHaveTextContent("Loading items…");
    expect(screen.getByRole("status")).toHaveAttribute("aria-busy", "true");
  });

  it("renders the data", async () => {
    renderWithProviders(<Screen load={() => Promise.resolve(["Spring launch", "Summer trail"])} />);
    expect(await screen.findByText("Spring launch")).toBeInTheDocument();
    expect(screen.getByText("Summer trail")).toBeInTheDocument();
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("shows the empty state when the data is empty", async () => {
    renderWithProviders(<Screen load={() => Promise.resolve([])} />);
    expect(await screen.findByRole("heading", { name: "No items yet" })).toBeInTheDocument();
    expect(screen.getByText("Add the first one.")).toBeInTheDocument();
  });

  it("shows the problem's title and detail, and retries on request", async () => {
    let calls = 0;
    const load = () => {
      calls += 1;
      return calls === 1 ? Promise.reject(forbidden) : Promise.resolve(["Recovered"]);
    };
    renderWithProviders(<Screen load={load} />);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Permission denied");
    expect(alert).toHaveTextContent("Your role cannot read this workspace's items.");

    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("Recovered")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });
});
