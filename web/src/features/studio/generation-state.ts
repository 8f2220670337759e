// A generation as the screen shows it while it runs: built from the resource the POST answered,
// then from each stream event (or from the resource again when the stream was lost). Pure, so
// the order of events and replays can be tested without a browser.
import { STEP_LABELS } from "./labels";
import { STEPS, type Generation, type GenerationStatus, type Operation, type Step, type StreamEvent, type Variant } from "./types";

export interface GenerationState {
  id: string;
  operation: Operation;
  status: GenerationStatus;
  requested: number;
  /** The furthest step reached. */
  step: Step | null;
  /** The variant being written (from 1), during the `generating` step. */
  writing: number | null;
  /** Knowledge passages found for the prompt, once known. */
  sources: number | null;
  /** Streamed text per variant (from 1), as the model writes it. */
  drafts: Record<number, string>;
  /** The variants saved as versions. */
  variants: Variant[];
  error: { code: string; reason: string } | null;
  modelLabel: string | null;
}

const FINISHED: ReadonlySet<GenerationStatus> = new Set(["succeeded", "failed"]);

export const isFinished = (state: Pick<GenerationState, "status">) => FINISHED.has(state.status);

export function fromResource(generation: Generation, previous?: GenerationState): GenerationState {
  const failed = generation.status === "failed";
  return {
    id: generation.id,
    operation: generation.operation,
    status: generation.status,
    requested: generation.variants_requested,
    step: previous?.step ?? null,
    writing: previous?.writing ?? null,
    sources: previous?.sources ?? null,
    drafts: previous?.drafts ?? {},
    variants: generation.variants.length > 0 ? generation.variants : (previous?.variants ?? []),
    error: failed ? { code: generation.error_code ?? "", reason: generation.reason ?? "The generation failed." } : null,
    modelLabel: generation.model_label ?? previous?.modelLabel ?? null,
  };
}

const later = (current: Step | null, next: Step): Step =>
  current === null || STEPS.indexOf(next) > STEPS.indexOf(current) ? next : current;

function withVariant(variants: readonly Variant[], variant: Variant): Variant[] {
  return [...variants.filter((known) => known.index !== variant.index), variant].sort((a, b) => a.index - b.index);
}

export function reduce(state: GenerationState, event: StreamEvent): GenerationState {
  // Nothing changes a finished generation (a late replay, say).
  if (isFinished(state)) return state;
  switch (event.kind) {
    case "status":
      return { ...state, status: event.data.status };
    case "progress": {
      const { step, variant, sources } = event.data;
      return {
        ...state,
        step: later(state.step, step),
        writing: step === "generating" && typeof variant === "number" ? variant : state.writing,
        sources: typeof sources === "number" ? sources : state.sources,
      };
    }
    case "token": {
      const { variant, text } = event.data;
      return { ...state, drafts: { ...state.drafts, [variant]: (state.drafts[variant] ?? "") + text } };
    }
    case "variant":
      return { ...state, variants: withVariant(state.variants, event.data) };
    case "done":
      return {
        ...state,
        status: "succeeded",
        step: "saving",
        writing: null,
        variants: event.data.variants.reduce(withVariant, state.variants),
      };
    case "error":
      return { ...state, status: "failed", writing: null, error: event.data };
  }
}

/**
 * What the polite live region says: one sentence per step, never every token, so a screen reader
 * follows the progress without being flooded.
 */
export function announcement(state: GenerationState): string {
  if (state.status === "failed") return `The generation failed: ${state.error?.reason ?? "no reason given"}`;
  if (state.status === "succeeded") {
    const count = state.variants.length;
    return count === 1 ? "Done: 1 draft is ready." : `Done: ${count} drafts are ready.`;
  }
  if (state.status === "queued" && state.step === null) return "Waiting for a worker to start.";
  if (state.step === "generating" && state.writing !== null) {
    return `Writing draft ${state.writing} of ${state.requested}.`;
  }
  if (state.step !== null) return `${STEP_LABELS[state.step]}.`;
  return "Starting.";
}
