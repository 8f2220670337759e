// The "Generate" form: values, validation (before the API's, which has the last word) and the
// API body.
import * as z from "zod";

import { codePointLength } from "../../api/field-specs";
import type { GenerationCreate } from "./types";

/** `GenerationCreate.instructions`' limit in the contract, in code points. */
export const MAX_INSTRUCTIONS = 4000;
export const VARIANT_CHOICES = ["1", "2", "3", "4", "5"] as const;

export const generateFormSchema = z.object({
  instructions: z
    .string()
    .refine((text) => codePointLength(text) <= MAX_INSTRUCTIONS, { message: `Use at most ${MAX_INSTRUCTIONS} characters.` }),
  variants: z.enum(VARIANT_CHOICES),
});

export type GenerateFormValues = z.infer<typeof generateFormSchema>;

export const GENERATE_DEFAULTS: GenerateFormValues = { instructions: "", variants: "2" };

export function generateBody(values: GenerateFormValues): GenerationCreate {
  return { operation: "generate", instructions: values.instructions.trim(), variants: Number(values.variants) };
}

/** A card number in the instructions: the API refuses it (422) and stores it nowhere. */
export const isCardRefused = (type: string) => type.endsWith("/payment-card-refused");
