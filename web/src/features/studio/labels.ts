// How the studio's enums read. `Record<Enum, string>` makes a new value in the contract a type
// error here until it has a label.
import type { FindingKind, Operation, RuleSection, Severity, Step } from "./types";

export const SEVERITY_LABELS: Record<Severity, string> = {
  blocker: "Blocker",
  major: "Major",
  minor: "Minor",
  info: "Info",
};

/**
 * Not colour alone: each severity has its own underline style too, and its label is written
 * next to every mark. Backgrounds are light, so dark text keeps its contrast.
 */
export const SEVERITY_STYLES: Record<Severity, { color: string; background: string; line: "solid" | "wavy" | "dashed" | "dotted" }> = {
  blocker: { color: "red.9", background: "var(--mantine-color-red-1)", line: "solid" },
  major: { color: "orange.9", background: "var(--mantine-color-orange-1)", line: "wavy" },
  minor: { color: "yellow.9", background: "var(--mantine-color-yellow-1)", line: "dashed" },
  info: { color: "blue.9", background: "var(--mantine-color-blue-0)", line: "dotted" },
};

export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  banned_term: "Banned term",
  missing_disclaimer: "Missing disclaimer",
  competitor_mention: "Competitor mention",
  unapproved_claim: "Claim not approved",
  channel_limit: "Channel limit",
  pii: "Personal data",
  tone: "Tone",
};

export const RULE_SECTION_LABELS: Record<RuleSection, string> = {
  "rules.banned_terms": "Brand kit · banned terms",
  "channel_overrides.extra_banned_terms": "Brand kit · channel's banned terms",
  "rules.disclaimers": "Brand kit · disclaimers",
  "rules.approved_claims": "Brand kit · approved claims",
  "rules.competitors": "Brand kit · competitors",
  knowledge: "Knowledge passage",
  "channel.limits": "Channel limits",
  "guardrails.pii": "Personal data guardrail",
  "voice.tone": "Brand kit · voice and tone",
};

export const OPERATION_LABELS: Record<Operation, string> = {
  generate: "Generate",
  shorten: "Shorten",
  change_tone: "Change tone",
  translate: "Translate",
  fix_findings: "Fix findings",
};

/** What each step of a generation is doing, as the live region says it. */
export const STEP_LABELS: Record<Step, string> = {
  retrieving: "Finding sources in the knowledge base",
  prompting: "Preparing the prompt",
  generating: "Writing",
  checking: "Checking against the brand kit",
  saving: "Saving the drafts",
};

export const TONES = ["friendly", "formal", "playful", "confident", "urgent", "calm", "empathetic"] as const;

/** Target languages for "Translate", as BCP 47 tags. */
export const LANGUAGES: readonly { value: string; label: string }[] = [
  { value: "de-DE", label: "German" },
  { value: "fr-FR", label: "French" },
  { value: "es-ES", label: "Spanish" },
  { value: "it-IT", label: "Italian" },
  { value: "nl-NL", label: "Dutch" },
  { value: "pt-BR", label: "Portuguese (Brazil)" },
  { value: "pl-PL", label: "Polish" },
  { value: "sv-SE", label: "Swedish" },
  { value: "en-GB", label: "English (UK)" },
  { value: "en-US", label: "English (US)" },
  { value: "ja-JP", label: "Japanese" },
];
