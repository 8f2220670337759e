// The shape of the generated limit tables (channels.gen.ts, campaign-fields.gen.ts) and helpers
// that read them. The numbers themselves always come from openapi/v1.json.
import type { Channel } from "./types";

export interface StringRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
}

interface FieldBase {
  readonly name: string;
  readonly label: string;
  readonly description?: string;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly default?: unknown;
}

/** One field of a body: free text, a list of texts, a list of groups, or another value. */
export type FieldSpec =
  | (FieldBase & { readonly kind: "text"; readonly rules: StringRules })
  | (FieldBase & {
      readonly kind: "list";
      readonly minItems?: number;
      readonly maxItems?: number;
      readonly item: StringRules;
    })
  | (FieldBase & {
      readonly kind: "group-list";
      readonly minItems?: number;
      readonly maxItems?: number;
      readonly fields: readonly FieldSpec[];
    })
  | (FieldBase & { readonly kind: "value"; readonly minItems?: number; readonly maxItems?: number });

export interface ChannelBodySpec {
  readonly channel: Channel;
  /** The OpenAPI schema name, e.g. `XBody`. */
  readonly schema: string;
  readonly description?: string;
  readonly fields: readonly FieldSpec[];
}

/**
 * Length as the API counts it: Unicode code points (Python's `len`), so an emoji counts once,
 * not twice as `String.prototype.length` would.
 */
export function codePointLength(text: string): number {
  let pairs = 0;
  for (let index = 0; index < text.length - 1; index += 1) {
    const code = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      pairs += 1;
      index += 1;
    }
  }
  return text.length - pairs;
}

export interface LimitUsage {
  used: number;
  max?: number;
  min?: number;
  /** Characters (or items) left before `max`; negative when over it. */
  remaining?: number;
  over: boolean;
  under: boolean;
}

/** How much of a limit a value uses: characters for text, items for lists. */
export function limitUsage(used: number, limits: { min?: number; max?: number }): LimitUsage {
  const { min, max } = limits;
  return {
    used,
    max,
    min,
    remaining: max === undefined ? undefined : max - used,
    over: max !== undefined && used > max,
    under: min !== undefined && used < min,
  };
}
