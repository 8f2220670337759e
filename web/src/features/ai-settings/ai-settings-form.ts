// The AI settings form: its values (routes as rows react-hook-form can add, remove and move),
// its validation (the contract's rules, see settings/domain.py) and the conversions to the API.
import type { Path } from "react-hook-form";
import * as z from "zod";

import type { AISettings, AISettingsUpdate, RouteSpec } from "./queries";

export const TASKS = ["generate", "rewrite", "check"] as const;
export type TaskName = (typeof TASKS)[number];
export const TASK_LABELS: Record<TaskName, string> = { generate: "Generate", rewrite: "Rewrite", check: "Check" };
export const MAX_ROUTES = 5;
export const PROVIDER_LABELS: Record<RouteSpec["provider"], string> = {
  offline: "Offline composer",
  openai: "OpenAI-compatible",
  anthropic: "Anthropic",
  google: "Google",
};

const routeSchema = z
  .object({
    provider: z.enum(["offline", "openai", "anthropic", "google"]),
    model: z
      .string()
      .trim()
      .min(1, "Name the model, e.g. gpt-4o-mini.")
      .max(200, "Use at most 200 characters.")
      .regex(/^\S+$/, "A model name has no spaces."),
    /** "" for none: the route then goes to `base_url`, or the provider's public API. */
    credential_id: z.string(),
    base_url: z
      .string()
      .trim()
      .max(2048, "Use at most 2048 characters.")
      .refine((url) => url === "" || /^https?:\/\/\S+$/.test(url), "Use an http(s) URL."),
    // Not edited here, but kept so a save does not drop what the API set.
    timeout_seconds: z.number().nullable(),
    max_retries: z.number().nullable(),
  })
  .superRefine((route, context) => {
    if (route.provider !== "offline") return;
    if (route.base_url) context.addIssue({ code: "custom", path: ["base_url"], message: "The offline composer takes no endpoint." });
    if (route.credential_id) context.addIssue({ code: "custom", path: ["credential_id"], message: "The offline composer takes no key." });
  });

const routesSchema = z.array(routeSchema).max(MAX_ROUTES, `At most ${MAX_ROUTES} routes.`);

export const aiSettingsFormSchema = z
  .object({
    min_check_score: z.number({ error: "Enter a score from 0 to 100." }).int("Use a whole number.").min(0, "Use 0 to 100.").max(100, "Use 0 to 100."),
    tone_judge: z.boolean(),
    routing: z.object({ generate: routesSchema, rewrite: routesSchema, check: routesSchema }),
    near_limit_enabled: z.boolean(),
    near_limit: z.object({
      threshold_percent: z.number({ error: "Enter a percentage." }).int("Use a whole number.").min(1, "Use 1 to 100.").max(100, "Use 1 to 100."),
      routes: routesSchema,
    }),
  })
  .superRefine((values, context) => {
    if (values.near_limit_enabled && values.near_limit.routes.length === 0) {
      context.addIssue({ code: "custom", path: ["near_limit", "routes"], message: "Add the cheaper route, or turn the near-limit route off." });
    }
  });

export type AISettingsFormValues = z.infer<typeof aiSettingsFormSchema>;
export type RouteValues = AISettingsFormValues["routing"]["generate"][number];
export type RoutesPath = `routing.${TaskName}` | "near_limit.routes";

export const newRoute = (): RouteValues => ({
  provider: "openai",
  model: "",
  credential_id: "",
  base_url: "",
  timeout_seconds: null,
  max_retries: null,
});

const routeValues = (route: RouteSpec): RouteValues => ({
  provider: route.provider,
  model: route.model,
  credential_id: route.credential_id ?? "",
  base_url: route.base_url ?? "",
  timeout_seconds: route.timeout_seconds ?? null,
  max_retries: route.max_retries ?? null,
});

const toRoute = (route: RouteValues): RouteSpec => ({
  provider: route.provider,
  model: route.model.trim(),
  credential_id: route.credential_id || null,
  base_url: route.base_url.trim() || null,
  timeout_seconds: route.timeout_seconds,
  max_retries: route.max_retries,
});

export function toFormValues(settings: AISettings): AISettingsFormValues {
  const routing = settings.routing ?? {};
  return {
    min_check_score: settings.min_check_score ?? 0,
    tone_judge: settings.tone_judge ?? false,
    routing: {
      generate: (routing.generate ?? []).map(routeValues),
      rewrite: (routing.rewrite ?? []).map(routeValues),
      check: (routing.check ?? []).map(routeValues),
    },
    near_limit_enabled: Boolean(settings.near_limit),
    near_limit: {
      threshold_percent: settings.near_limit?.threshold_percent ?? 90,
      routes: (settings.near_limit?.routes ?? []).map(routeValues),
    },
  };
}

export function toAISettingsUpdate(values: AISettingsFormValues): AISettingsUpdate {
  return {
    min_check_score: values.min_check_score,
    tone_judge: values.tone_judge,
    routing: {
      generate: values.routing.generate.map(toRoute),
      rewrite: values.routing.rewrite.map(toRoute),
      check: values.routing.check.map(toRoute),
    },
    near_limit: values.near_limit_enabled
      ? { threshold_percent: values.near_limit.threshold_percent, routes: values.near_limit.routes.map(toRoute) }
      : null,
  };
}

/** An API error's path (after "body") as the form field showing it; null: shown with the problem. */
export function aiSettingsErrorField(path: string, values: AISettingsFormValues): Path<AISettingsFormValues> | null {
  const parts = path.split(".");
  if (parts[0] === "min_check_score" || parts[0] === "tone_judge") return parts[0];
  if (parts[0] === "routing" && parts.length >= 3) {
    const [, task, index, field] = parts;
    if (!TASKS.includes(task as TaskName) || !values.routing[task as TaskName][Number(index)]) return null;
    return (field && field in newRoute() ? `routing.${task}.${index}.${field}` : `routing.${task}.${index}.model`) as Path<AISettingsFormValues>;
  }
  if (parts[0] === "near_limit") {
    if (parts[1] === "threshold_percent") return "near_limit.threshold_percent";
    if (parts[1] === "routes" && parts[2] !== undefined && values.near_limit.routes[Number(parts[2])]) {
      const field = parts[3];
      return (field && field in newRoute() ? `near_limit.routes.${parts[2]}.${field}` : `near_limit.routes.${parts[2]}.model`) as Path<AISettingsFormValues>;
    }
    return null;
  }
  return null;
}
