import { describe, expect, it } from "vitest";

import { brandKitErrorField, brandKitFormSchema, compareRows, keepMyChanges, toBrandKitUpdate, toFormValues } from "./brand-kit-form";
import { KIT } from "./brand-kit-test-backend";

describe("the brand kit form", () => {
  it("round-trips a kit: what is read is what is saved", () => {
    expect(toBrandKitUpdate(toFormValues(KIT))).toEqual(KIT);
  });

  it("trims text, drops blank optionals and keeps a channel's tone only when it has its own", () => {
    const values = toFormValues(KIT);
    values.rules.banned_terms.push({ term: "  guaranteed ", replacement: " ", reason: "" });
    values.channel_overrides.push({ channel: "email", own_tone: false, tone: ["ignored"], extra_banned_terms: [], notes: "  " });
    const update = toBrandKitUpdate(values);
    expect(update.rules?.banned_terms?.at(-1)).toEqual({ term: "guaranteed", replacement: null, reason: null });
    expect(update.channel_overrides?.email).toEqual({ tone: null, extra_banned_terms: [], notes: "" });
  });

  it("validates with the contract's limits", () => {
    const values = toFormValues(KIT);
    values.voice.tone = Array.from({ length: 13 }, (_, index) => `tone${index}`);
    values.rules.disclaimers[0]!.key = "Not A Key";
    values.rules.banned_terms[0]!.term = " ";
    const result = brandKitFormSchema.safeParse(values);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["voice.tone", "rules.disclaimers.0.key", "rules.banned_terms.0.term"]));
  });

  it("maps the API's error locations onto the form's fields", () => {
    const values = toFormValues(KIT);
    expect(brandKitErrorField("voice.tone.0", values)).toBe("voice.tone");
    expect(brandKitErrorField("voice.do_examples.0", values)).toBe("voice.do_examples.0.value");
    expect(brandKitErrorField("voice.dont_examples", values)).toBe("voice.dont_examples");
    expect(brandKitErrorField("rules.banned_terms", values)).toBe("rules.banned_terms");
    expect(brandKitErrorField("rules.banned_terms.0", values)).toBe("rules.banned_terms.0.replacement");
    expect(brandKitErrorField("rules.banned_terms.0.term", values)).toBe("rules.banned_terms.0.term");
    expect(brandKitErrorField("rules.disclaimers.0.channels.0", values)).toBe("rules.disclaimers.0.channels");
    expect(brandKitErrorField("rules.competitors.0.aliases.1", values)).toBe("rules.competitors.0.aliases");
    expect(brandKitErrorField("channel_overrides.x.tone.0", values)).toBe("channel_overrides.0.tone");
    expect(brandKitErrorField("channel_overrides.x.extra_banned_terms.0.term", values)).toBe("channel_overrides.0.extra_banned_terms.0.term");
    expect(brandKitErrorField("channel_overrides", values)).toBe("channel_overrides");
    expect(brandKitErrorField("channel_overrides.fax.[key]", values)).toBeNull();
    expect(brandKitErrorField("voice.mood", values)).toBeNull();
  });

  it("after a conflict, keeps the person's changed fields over the colleague's version", () => {
    const mine = toFormValues(KIT);
    mine.voice.summary = "Mine";
    const theirs = { ...KIT, voice: { ...KIT.voice!, audience: "Road runners" } };
    const merged = keepMyChanges(mine, KIT, theirs);
    expect(merged.voice.summary).toBe("Mine");
    expect(merged.voice.audience).toBe("Road runners");

    const rows = compareRows(mine, theirs);
    expect(rows.find((row) => row.label === "Summary")).toEqual({ label: "Summary", mine: "Mine", saved: "The friend at the trailhead." });
    expect(rows.find((row) => row.label === "Audience")).toEqual({ label: "Audience", mine: "Trail runners", saved: "Road runners" });
  });
});
