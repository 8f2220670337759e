import { describe, expect, it } from "vitest";

import type { ContentBody } from "../../api/types";
import { bodyCompareRows, changedFields, toApiBody, toBodyValues } from "./body-form";
import { helpText } from "./BodyTextField";
import { bodyErrorField } from "./body-errors";
import { bodyIssues } from "./body-validation";
import { LANDING, SEARCH_AD, X_POST } from "./content-test-backend";

// A body of every channel, as the API returns them (defaults filled in, hashtags with "#").
const BODIES: ContentBody[] = [
  X_POST,
  SEARCH_AD,
  LANDING,
  { channel: "email", subject: "Hello", preheader: "", body: "Hi there" },
  { channel: "linkedin", text: "Hello network" },
  { channel: "instagram", caption: "Roast day", hashtags: ["#coffee"] },
  { channel: "display_ad", headline: "Autumn Roast", description: "Small batches.", call_to_action: "Pre-order", final_url: "https://globex-coffee.example/autumn" },
  { channel: "blog_post", title: "Marathon plan", body_markdown: "## Start", meta_description: null },
];

describe("body form values", () => {
  it.each(BODIES.map((body) => [body.channel, body] as const))("round-trips a %s body unchanged", (_, body) => {
    expect(toApiBody(body.channel, toBodyValues(body.channel, body))).toEqual(body);
  });

  it("gives lists as entries, and a blank body as many blank entries as the contract needs", () => {
    expect(toBodyValues("search_ad", SEARCH_AD).headlines).toEqual([
      { value: "Acme TrailFlow 3" },
      { value: "Grip on Wet Rock" },
      { value: "Free Returns" },
    ]);
    const blank = toBodyValues("search_ad");
    expect(blank.headlines).toHaveLength(3);
    expect(blank.descriptions).toHaveLength(2);
    expect(blank.path1).toBe("");
    expect(toBodyValues("landing_page").sections).toEqual([{ heading: "", body_markdown: "" }]);
    expect(toBodyValues("instagram").hashtags).toEqual([]);
  });

  it("sends text as the API stores it: trimmed, NFC, and a blank optional nullable field as null", () => {
    const values = toBodyValues("blog_post");
    values.title = "  Cafe\u0301 guide ";
    values.body_markdown = "## Start\n";
    values.meta_description = "   ";
    expect(toApiBody("blog_post", values)).toEqual({
      channel: "blog_post",
      title: "Café guide",
      body_markdown: "## Start",
      meta_description: null,
    });
  });

  it("names the fields the person changed", () => {
    const values = toBodyValues("search_ad", SEARCH_AD);
    expect(changedFields("search_ad", values, SEARCH_AD)).toEqual([]);
    values.final_url = "https://acme-running.example/new ";
    (values.headlines as { value: string }[]).push({ value: "Fourth" });
    expect(changedFields("search_ad", values, SEARCH_AD)).toEqual(["headlines", "final_url"]);
  });

  it("lays out both bodies for the 412 comparison, one row per field", () => {
    const values = toBodyValues("landing_page", LANDING);
    values.hero_headline = "Run with a plan";
    const rows = bodyCompareRows("landing_page", values, LANDING);
    expect(rows.map((row) => row.label)).toEqual(["Title", "Hero headline", "Sections", "Meta description"]);
    expect(rows[1]).toEqual({ label: "Hero headline", mine: "Run with a plan", saved: "Train with a plan" });
    expect(rows[2]?.saved).toBe("Heading: Why\nBody (Markdown): Because.");
  });
});

describe("the form's own checks", () => {
  it("counts code points against the limit, as the API does", () => {
    const values = toBodyValues("x");
    values.text = "🏃".repeat(280);
    expect(bodyIssues("x", values)).toEqual([]);
    values.text = "🏃".repeat(281);
    expect(bodyIssues("x", values)).toEqual([{ path: "text", message: "Use at most 280 characters; this has 281." }]);
    values.text = "  ";
    expect(bodyIssues("x", values)).toEqual([{ path: "text", message: "This can’t be empty." }]);
  });

  it("checks list counts, each entry, and web addresses", () => {
    const values = toBodyValues("search_ad", SEARCH_AD);
    values.headlines = [{ value: "One" }, { value: "" }];
    values.descriptions = [{ value: "d".repeat(91) }, { value: "ok" }];
    values.final_url = "acme-running.example";
    expect(bodyIssues("search_ad", values)).toEqual([
      { path: "headlines", message: "Add at least 3 headlines." },
      { path: "headlines.1.value", message: "Write this headline or remove it." },
      { path: "descriptions.0.value", message: "Use at most 90 characters; this has 91." },
      { path: "final_url", message: "Enter a full web address, starting with https://." },
    ]);
  });

  it("checks the fields of each group, and leaves optional fields alone", () => {
    const values = toBodyValues("landing_page", LANDING);
    values.sections = [{ heading: "Why", body_markdown: "" }];
    expect(bodyIssues("landing_page", values)).toEqual([{ path: "sections.0.body_markdown", message: "This can’t be empty." }]);
    expect(bodyIssues("email", { ...toBodyValues("email"), subject: "Hi", body: "Text" })).toEqual([]);
  });
});

describe("where the API's field errors go", () => {
  it("maps the path under the channel to the form's field", () => {
    expect(bodyErrorField("x", "text")).toBe("body.text");
    expect(bodyErrorField("search_ad", "headlines")).toBe("body.headlines");
    expect(bodyErrorField("search_ad", "headlines.2")).toBe("body.headlines.2.value");
    expect(bodyErrorField("landing_page", "sections.0.heading")).toBe("body.sections.0.heading");
    expect(bodyErrorField("landing_page", "sections.0")).toBe("body.sections");
    expect(bodyErrorField("x", "surprise")).toBeNull();
  });
});

describe("field help", () => {
  it("keeps the contract's description but not its limit, which the counter shows", () => {
    expect(helpText("Subject line, at most 150 code points")).toBe("Subject line");
    expect(helpText("Display URL path, at most 15")).toBe("Display URL path");
    expect(helpText("At most 30 code points")).toBeUndefined();
    expect(helpText("Email body (Markdown or plain text)")).toBe("Email body (Markdown or plain text)");
    expect(helpText(undefined)).toBeUndefined();
  });
});
