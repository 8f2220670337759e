// Short names for the studio's schemas in the contract, and the generation's stream events.
import type { components } from "../../api/schema.gen";

type Schemas = components["schemas"];

export type Check = Schemas["CheckRead"];
export type Finding = Schemas["CheckFinding"];
export type Severity = Schemas["Severity"];
export type FindingKind = Schemas["FindingKind"];
export type RuleSection = Schemas["Section"];
export type TextFix = Schemas["TextFix"];
export type Generation = Schemas["GenerationRead"];
export type GenerationCreate = Schemas["GenerationCreate"];
export type GenerationStatus = Schemas["GenerationStatus"];
export type Operation = Schemas["Operation"];
export type Variant = Schemas["VariantRead"];
export type Provenance = Schemas["ProvenanceRead"];
export type ChunkRef = Schemas["ChunkRef"];

/** The `progress` events' steps, in pipeline order. */
export const STEPS = ["retrieving", "prompting", "generating", "checking", "saving"] as const;
export type Step = (typeof STEPS)[number];

/** The stream's events (`event:` name and JSON `data:`), as the events endpoint documents them. */
export type StreamEvent =
  | { kind: "status"; data: { status: GenerationStatus; attempt?: number } }
  | { kind: "progress"; data: { step: Step; variant?: number; of?: number; sources?: number } }
  | { kind: "token"; data: { variant: number; text: string } }
  | { kind: "variant"; data: Variant }
  | { kind: "done"; data: { status: GenerationStatus; version_numbers: number[]; variants: Variant[] } }
  | { kind: "error"; data: { code: string; reason: string } };

export type StreamEventKind = StreamEvent["kind"];
