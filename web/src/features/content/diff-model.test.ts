import { describe, expect, it } from "vitest";

import type { VersionDiff } from "../../api/types";
import { type DiffLine, sideBySide, wordSegments } from "./diff-model";

const diff = (changes: VersionDiff["changes"]): VersionDiff => ({ content_id: "c", number: 2, against: 1, changes, unified: "" });

/** A side as readable text: removed words in [-…-], added in {+…+}. */
const show = (lines: DiffLine[]) =>
  lines.map((line) => {
    const text = line.segments
      .map(({ text: words, kind }) => (kind === "removed" ? `[-${words}-]` : kind === "added" ? `{+${words}+}` : words))
      .join("");
    return line.label ? `${line.label}: ${text}` : text;
  });

describe("side-by-side diff", () => {
  it("marks removed words on the left and added words on the right", () => {
    const { before, after } = wordSegments("Grip that holds on rock.", "Grip that holds on wet rock!");
    expect(show([{ segments: before }])).toEqual(["Grip that holds on rock[-.-]"]);
    expect(show([{ segments: after }])).toEqual(["Grip that holds on {+wet +}rock{+!+}"]);
  });

  it("lays out a changed text field, in the channel's field order, with the contract's label", () => {
    const [final, text] = sideBySide(
      "search_ad",
      diff([
        { field: "final_url", kind: "changed", before: "https://a.example/x", after: "https://a.example/y" },
        { field: "path1", kind: "added", before: "", after: "trail" },
      ]),
    );
    expect(final?.label).toBe("Final URL");
    expect(text).toMatchObject({ label: "Display path 1", kind: "added", before: [] });
    expect(show(text?.after ?? [])).toEqual(["{+trail+}"]);
  });

  it("compares list entries, word by word where one replaced another", () => {
    const [headlines] = sideBySide(
      "search_ad",
      diff([
        {
          field: "headlines",
          kind: "changed",
          before: ["Acme TrailFlow 3", "Free Returns", "Wet rock"],
          after: ["Acme TrailFlow 3", "Free Returns Always", "Wet rock", "Pre-order"],
        },
      ]),
    );
    // diffWords keeps the space between kept and added words on the kept side.
    expect(show(headlines?.before ?? [])).toEqual(["Headline 1: Acme TrailFlow 3", "Headline 2: Free Returns ", "Headline 3: Wet rock"]);
    expect(show(headlines?.after ?? [])).toEqual([
      "Headline 1: Acme TrailFlow 3",
      "Headline 2: Free Returns {+Always+}",
      "Headline 3: Wet rock",
      "Headline 4: {+Pre-order+}",
    ]);
  });

  it("shows removed entries only on the left", () => {
    const [hashtags] = sideBySide("instagram", diff([{ field: "hashtags", kind: "removed", before: ["#coffee"], after: [] }]));
    expect(show(hashtags?.before ?? [])).toEqual(["Hashtag 1: [-#coffee-]"]);
    expect(hashtags?.after).toEqual([]);
  });

  it("compares groups place by place and leaves unchanged groups out", () => {
    const [sections] = sideBySide(
      "landing_page",
      diff([
        {
          field: "sections",
          kind: "changed",
          before: [
            { heading: "Why", body_markdown: "Because." },
            { heading: "How", body_markdown: "Slowly." },
          ],
          after: [
            { heading: "Why", body_markdown: "Because." },
            { heading: "How", body_markdown: "Step by step." },
            { heading: "Join", body_markdown: "Sign up." },
          ],
        },
      ]),
    );
    expect(show(sections?.before ?? [])).toEqual(["Section 2 · Body (Markdown): [-Slowly-]."]);
    expect(show(sections?.after ?? [])).toEqual([
      "Section 2 · Body (Markdown): {+Step by step+}.",
      "Section 3 · Heading: {+Join+}",
      "Section 3 · Body (Markdown): {+Sign up.+}",
    ]);
  });

  it("names a field the contract no longer lists", () => {
    const [old] = sideBySide("x", diff([{ field: "link_title", kind: "removed", before: "Old", after: null }]));
    expect(old).toMatchObject({ label: "Link title", after: [] });
  });
});
