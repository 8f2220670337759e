import { describe, expect, it } from "vitest";

import { announcement, fromResource, reduce } from "./generation-state";
import { generation } from "./studio-test-backend";
import type { StreamEvent } from "./types";


const run = (events: StreamEvent[]) => events.reduce(reduce, fromResource(generation()));

describe("generation state", () => {
  it("follows the steps, streams each draft's text and collects the saved variants", () => {
    const state = run([
      { kind: "status", data: { status: "running" } },
      { kind: "progress", data: { step: "retrieving" } },
      { kind: "progress", data: { step: "prompting", sources: 3 } },
      { kind: "progress", data: { step: "generating", variant: 1, of: 2 } },
      { kind: "token", data: { variant: 1, text: "Lace " } },
      { kind: "token", data: { variant: 1, text: "up" } },
      { kind: "progress", data: { step: "generating", variant: 2, of: 2 } },
      { kind: "token", data: { variant: 2, text: "Run" } },
    ]);
    expect(state).toMatchObject({ status: "running", step: "generating", writing: 2, sources: 3, drafts: { 1: "Lace up", 2: "Run" } });
    expect(announcement(state)).toBe("Writing draft 2 of 2.");

    const variant = (index: number) => ({ index, version_number: index + 1, score: 90, passed: true, check_id: null });
    const done = [
      { kind: "progress", data: { step: "checking" } },
      { kind: "variant", data: variant(2) },
      { kind: "variant", data: variant(1) },
      { kind: "done", data: { status: "succeeded", version_numbers: [2, 3], variants: [variant(1), variant(2)] } },
    ] satisfies StreamEvent[];
    const finished = done.reduce(reduce, state);
    expect(finished.status).toBe("succeeded");
    expect(finished.variants.map((v) => v.index)).toEqual([1, 2]);
    expect(announcement(finished)).toBe("Done: 2 drafts are ready.");
  });

  it("never goes back a step, and ignores anything after the end", () => {
    const state = run([
      { kind: "progress", data: { step: "checking" } },
      { kind: "progress", data: { step: "retrieving" } },
    ]);
    expect(state.step).toBe("checking");
    const failed = reduce(state, { kind: "error", data: { code: "budget-exceeded", reason: "Over the budget." } });
    expect(failed).toMatchObject({ status: "failed", error: { code: "budget-exceeded" } });
    expect(reduce(failed, { kind: "token", data: { variant: 1, text: "late" } })).toBe(failed);
    expect(announcement(failed)).toBe("The generation failed: Over the budget.");
  });

  it("takes a finished resource as the outcome, keeping the streamed drafts", () => {
    const streamed = run([{ kind: "token", data: { variant: 1, text: "Hello" } }]);
    const resource = generation({
      status: "succeeded",
      model_label: "offline composer",
      variants: [{ index: 1, version_number: 2, score: 80, passed: true, check_id: null }],
    });
    const state = fromResource(resource, streamed);
    expect(state).toMatchObject({ status: "succeeded", modelLabel: "offline composer", drafts: { 1: "Hello" } });
    expect(fromResource(generation({ status: "failed", reason: "No model answered." })).error).toEqual({
      code: "",
      reason: "No model answered.",
    });
    expect(announcement(fromResource(generation()))).toBe("Waiting for a worker to start.");
  });
});
