// The brand kit form: its values (lists as rows react-hook-form can add and remove), its
// validation (limits from the contract, see limits.ts), and the conversions to and from the API.
import type { Path } from "react-hook-form";
import * as z from "zod";

import { codePointLength } from "../../api/field-specs";
import { CHANNEL_LABELS } from "../../api/labels";
import { channelValues } from "../../api/schema.gen";
import type { Channel } from "../../api/types";
import type { CompareRow } from "../../components/CompareValues";
import { LIMITS } from "./limits";
import type { BannedTerm, BrandKitContent, BrandKitUpdate } from "./types";

/** At most `max` characters as the API counts them (code points, after trimming). */
const upTo = (max: number) => z.string().refine((text) => codePointLength(text.trim()) <= max, `Use at most ${max} characters.`);
const needed = (max: number, message: string) => upTo(max).refine((text) => text.trim().length > 0, message);
const terms = (limits: { maxItems: number; maxLength: number }, what: string) =>
  z
    .array(z.string().refine((term) => codePointLength(term) <= limits.maxLength, `Each ${what} has at most ${limits.maxLength} characters.`))
    .max(limits.maxItems, `At most ${limits.maxItems} ${what}s.`);

const bannedTermSchema = z.object({
  term: needed(LIMITS.term, "Write the term or remove the row."),
  replacement: upTo(LIMITS.term),
  reason: upTo(LIMITS.reason),
});

const lineSchema = z.object({ value: needed(LIMITS.examples.maxLength, "Write the example or remove it.") });

export const brandKitFormSchema = z.object({
  voice: z.object({
    summary: upTo(LIMITS.summary),
    tone: terms(LIMITS.tone, "tone descriptor"),
    audience: upTo(LIMITS.audience),
    do_examples: z.array(lineSchema).max(LIMITS.examples.maxItems, `At most ${LIMITS.examples.maxItems} examples.`),
    dont_examples: z.array(lineSchema).max(LIMITS.examples.maxItems, `At most ${LIMITS.examples.maxItems} examples.`),
  }),
  rules: z.object({
    banned_terms: z.array(bannedTermSchema).max(LIMITS.bannedTerms.maxItems, `At most ${LIMITS.bannedTerms.maxItems} banned terms.`),
    disclaimers: z
      .array(
        z.object({
          key: z
            .string()
            .trim()
            .regex(new RegExp(LIMITS.disclaimerKey), "Use lowercase letters, digits, - and _ (at most 50), starting with a letter or digit."),
          text: needed(LIMITS.disclaimerText, "Write the disclaimer's text."),
          channels: z.array(z.enum(channelValues)),
          triggers: terms(LIMITS.triggers, "trigger term"),
        }),
      )
      .max(LIMITS.disclaimers.maxItems, `At most ${LIMITS.disclaimers.maxItems} disclaimers.`),
    approved_claims: z
      .array(z.object({ claim: needed(LIMITS.claim, "Write the claim or remove the row."), source: upTo(LIMITS.source) }))
      .max(LIMITS.claims.maxItems, `At most ${LIMITS.claims.maxItems} claims.`),
    competitors: z
      .array(z.object({ name: needed(LIMITS.term, "Write the competitor's name or remove the row."), aliases: terms(LIMITS.aliases, "alias") }))
      .max(LIMITS.competitors.maxItems, `At most ${LIMITS.competitors.maxItems} competitors.`),
  }),
  channel_overrides: z.array(
    z.object({
      channel: z.enum(channelValues),
      own_tone: z.boolean(),
      tone: terms(LIMITS.tone, "tone descriptor"),
      extra_banned_terms: z
        .array(bannedTermSchema)
        .max(LIMITS.overrideBannedTerms.maxItems, `At most ${LIMITS.overrideBannedTerms.maxItems} banned terms per channel.`),
      notes: upTo(LIMITS.notes),
    }),
  ),
});

export type BrandKitFormValues = z.infer<typeof brandKitFormSchema>;
export type BannedTermValues = z.infer<typeof bannedTermSchema>;
export type OverrideValues = BrandKitFormValues["channel_overrides"][number];

const bannedTermValues = (term: BannedTerm): BannedTermValues => ({
  term: term.term,
  replacement: term.replacement ?? "",
  reason: term.reason ?? "",
});

export function toFormValues(kit: BrandKitContent): BrandKitFormValues {
  const voice = kit.voice;
  const rules = kit.rules;
  const overrides = kit.channel_overrides ?? {};
  return {
    voice: {
      summary: voice?.summary ?? "",
      tone: [...(voice?.tone ?? [])],
      audience: voice?.audience ?? "",
      do_examples: (voice?.do_examples ?? []).map((value) => ({ value })),
      dont_examples: (voice?.dont_examples ?? []).map((value) => ({ value })),
    },
    rules: {
      banned_terms: (rules?.banned_terms ?? []).map(bannedTermValues),
      disclaimers: (rules?.disclaimers ?? []).map((disclaimer) => ({
        key: disclaimer.key,
        text: disclaimer.text,
        channels: [...(disclaimer.channels ?? [])],
        triggers: [...(disclaimer.triggers ?? [])],
      })),
      approved_claims: (rules?.approved_claims ?? []).map((claim) => ({ claim: claim.claim, source: claim.source ?? "" })),
      competitors: (rules?.competitors ?? []).map((competitor) => ({ name: competitor.name, aliases: [...(competitor.aliases ?? [])] })),
    },
    // In the contract's channel order, so the form reads the same every time.
    channel_overrides: channelValues.flatMap((channel) => {
      const override = overrides[channel];
      if (!override) return [];
      return [
        {
          channel,
          own_tone: override.tone !== null && override.tone !== undefined,
          tone: [...(override.tone ?? [])],
          extra_banned_terms: (override.extra_banned_terms ?? []).map(bannedTermValues),
          notes: override.notes ?? "",
        },
      ];
    }),
  };
}

const optional = (text: string) => (text.trim() ? text.trim() : null);
const toBannedTerm = (values: BannedTermValues): BannedTerm => ({
  term: values.term.trim(),
  replacement: optional(values.replacement),
  reason: optional(values.reason),
});
const cleanTerms = (list: readonly string[]) => list.map((term) => term.trim()).filter(Boolean);

/** The whole kit to PUT: the API replaces the current kit with it. */
export function toBrandKitUpdate(values: BrandKitFormValues): Required<BrandKitUpdate> {
  return {
    voice: {
      summary: values.voice.summary.trim(),
      tone: cleanTerms(values.voice.tone),
      audience: values.voice.audience.trim(),
      do_examples: values.voice.do_examples.map((line) => line.value.trim()),
      dont_examples: values.voice.dont_examples.map((line) => line.value.trim()),
    },
    rules: {
      banned_terms: values.rules.banned_terms.map(toBannedTerm),
      disclaimers: values.rules.disclaimers.map((disclaimer) => ({
        key: disclaimer.key.trim(),
        text: disclaimer.text.trim(),
        channels: disclaimer.channels,
        triggers: cleanTerms(disclaimer.triggers),
      })),
      approved_claims: values.rules.approved_claims.map((claim) => ({ claim: claim.claim.trim(), source: optional(claim.source) })),
      competitors: values.rules.competitors.map((competitor) => ({ name: competitor.name.trim(), aliases: cleanTerms(competitor.aliases) })),
    },
    channel_overrides: Object.fromEntries(
      values.channel_overrides.map((override) => [
        override.channel,
        {
          tone: override.own_tone ? cleanTerms(override.tone) : null,
          extra_banned_terms: override.extra_banned_terms.map(toBannedTerm),
          notes: override.notes.trim(),
        },
      ]),
    ),
  };
}

export const blankBannedTerm = (): BannedTermValues => ({ term: "", replacement: "", reason: "" });
export const blankOverride = (channel: Channel): OverrideValues => ({
  channel,
  own_tone: false,
  tone: [],
  extra_banned_terms: [],
  notes: "",
});

type Form = BrandKitFormValues;

// Lists whose API errors belong on the whole field (a tag input), not on one entry.
const TERM_LISTS = new Set(["tone", "triggers", "aliases", "channels"]);

/**
 * Where an API field error belongs in this form, or null when no field shows it. The API names
 * an override by its channel (`channel_overrides.x.notes`); the form by its row.
 */
export function brandKitErrorField(path: string, values: Form): Path<Form> | null {
  const parts = path.split(".");
  const [section, field, index, sub, subIndex] = parts;
  const isIndex = (part: string | undefined) => part !== undefined && /^\d+$/.test(part);
  if (section === "voice") {
    if (field === "summary" || field === "audience" || field === "tone") return `voice.${field}`;
    if (field === "do_examples" || field === "dont_examples") return isIndex(index) ? `voice.${field}.${Number(index)}.value` : `voice.${field}`;
    return null;
  }
  if (section === "rules") {
    if (field !== "banned_terms" && field !== "disclaimers" && field !== "approved_claims" && field !== "competitors") return null;
    if (!isIndex(index)) return `rules.${field}`;
    const row = `rules.${field}.${Number(index)}`;
    if (sub === undefined) {
      // A rule about the whole row: a banned term's replacement equal to the term itself.
      return field === "banned_terms" ? (`${row}.replacement` as Path<Form>) : (`${row}.${firstFieldOf(field)}` as Path<Form>);
    }
    return `${row}.${sub}` as Path<Form>;
  }
  if (section === "channel_overrides") {
    if (field === undefined) return "channel_overrides";
    const row = values.channel_overrides.findIndex((override) => override.channel === field);
    if (row < 0) return null;
    const at = `channel_overrides.${row}` as const;
    if (index === "tone" || index === "notes") return `${at}.${index}`;
    if (index === "extra_banned_terms") {
      if (!isIndex(sub)) return `${at}.extra_banned_terms`;
      return `${at}.extra_banned_terms.${Number(sub)}.${subIndex ?? "replacement"}` as Path<Form>;
    }
    return null;
  }
  return null;
}

function firstFieldOf(list: "disclaimers" | "approved_claims" | "competitors"): string {
  return { disclaimers: "key", approved_claims: "claim", competitors: "name" }[list];
}

/** Whether a path names a tag input (its errors show on the whole input). */
export const isTermList = (path: string) => TERM_LISTS.has(path.split(".").at(-1) ?? "");

// --- 412: compare and keep mine -------------------------------------------------------

/** The kit's fields as the conflict view compares them, with how each reads. */
const FIELDS = [
  { key: "voice.summary", label: "Summary", read: (v: Form) => v.voice.summary.trim() },
  { key: "voice.tone", label: "Tone", read: (v: Form) => cleanTerms(v.voice.tone).join(", ") },
  { key: "voice.audience", label: "Audience", read: (v: Form) => v.voice.audience.trim() },
  { key: "voice.do_examples", label: "Do examples", read: (v: Form) => lines(v.voice.do_examples.map((l) => l.value)) },
  { key: "voice.dont_examples", label: "Don’t examples", read: (v: Form) => lines(v.voice.dont_examples.map((l) => l.value)) },
  {
    key: "rules.banned_terms",
    label: "Banned terms",
    read: (v: Form) => lines(v.rules.banned_terms.map((t) => (t.replacement.trim() ? `${t.term.trim()} → ${t.replacement.trim()}` : t.term.trim()))),
  },
  { key: "rules.disclaimers", label: "Disclaimers", read: (v: Form) => lines(v.rules.disclaimers.map((d) => `${d.key.trim()}: ${d.text.trim()}`)) },
  { key: "rules.approved_claims", label: "Approved claims", read: (v: Form) => lines(v.rules.approved_claims.map((c) => c.claim.trim())) },
  {
    key: "rules.competitors",
    label: "Competitors",
    read: (v: Form) => lines(v.rules.competitors.map((c) => [c.name.trim(), ...cleanTerms(c.aliases)].join(", "))),
  },
  {
    key: "channel_overrides",
    label: "Channel overrides",
    read: (v: Form) => lines(v.channel_overrides.map((o) => CHANNEL_LABELS[o.channel])),
  },
] as const;

type FieldKey = (typeof FIELDS)[number]["key"];

const lines = (items: readonly string[]) => items.map((item) => item.trim()).join("\n");

/** The exact value of a field, for "did it change" (the readable form may hide details). */
function valueAt(values: Form, key: FieldKey): unknown {
  const update = toBrandKitUpdate(values);
  if (key === "channel_overrides") return update.channel_overrides;
  const [section, field] = key.split(".") as ["voice" | "rules", string];
  return (update[section] as Record<string, unknown>)[field];
}

/** The person's values next to the saved kit, for the 412 "Compare" view. */
export function compareRows(mine: Form, saved: BrandKitContent): CompareRow[] {
  const theirs = toFormValues(saved);
  return FIELDS.map((field) => ({ label: field.label, mine: field.read(mine), saved: field.read(theirs) }));
}

/**
 * Rebase after a 412: the saved kit, with the fields this person changed (from `base`, the kit
 * the form was filled from) put back on top. A colleague's changes to other fields survive.
 */
export function keepMyChanges(mine: Form, base: BrandKitContent, latest: BrandKitContent): Form {
  const original = toFormValues(base);
  const result = toFormValues(latest);
  for (const { key } of FIELDS) {
    if (JSON.stringify(valueAt(mine, key)) === JSON.stringify(valueAt(original, key))) continue;
    if (key === "channel_overrides") {
      result.channel_overrides = mine.channel_overrides;
      continue;
    }
    const [section, field] = key.split(".") as ["voice" | "rules", string];
    (result[section] as Record<string, unknown>)[field] = (mine[section] as Record<string, unknown>)[field];
  }
  return result;
}
