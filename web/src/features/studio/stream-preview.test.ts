import { describe, expect, it } from "vitest";

import { streamPreview } from "./stream-preview";

describe("streamPreview", () => {
  it("reads the texts out of unfinished JSON as it streams", () => {
    const whole = '{"channel":"linkedin","text":"Lace up: \\"TrailFlow 3\\" is here.\\nRun 🏃 further","hashtags":["#trail","#run"]}';
    expect(streamPreview(whole.slice(0, 12))).toEqual([]);
    const escape = whole.indexOf("\\");
    // Cut after the backslash: the escape is not complete yet, so nothing of it is shown.
    expect(streamPreview(whole.slice(0, escape + 1))).toEqual([{ path: "text", text: "Lace up: " }]);
    expect(streamPreview(whole.slice(0, escape + 13))).toEqual([{ path: "text", text: 'Lace up: "TrailFlow 3' }]);
    expect(streamPreview(whole)).toEqual([
      { path: "text", text: 'Lace up: "TrailFlow 3" is here.\nRun 🏃 further' },
      { path: "hashtags[0]", text: "#trail" },
      { path: "hashtags[1]", text: "#run" },
    ]);
  });

  it("names nested fields as the checks do, and waits for a split escape", () => {
    const raw = '{"channel":"landing_page","sections":[{"heading":"Why","body_markdown":"Grip \\u00e9';
    expect(streamPreview(raw)).toEqual([
      { path: "sections[0].heading", text: "Why" },
      { path: "sections[0].body_markdown", text: "Grip é" },
    ]);
    expect(streamPreview(`${raw.slice(0, -4)}`)).toEqual([
      { path: "sections[0].heading", text: "Why" },
      { path: "sections[0].body_markdown", text: "Grip " },
    ]);
  });

  it("shows plain text as it is", () => {
    expect(streamPreview("Just words")).toEqual([{ path: "", text: "Just words" }]);
    expect(streamPreview("  ")).toEqual([]);
  });
});
