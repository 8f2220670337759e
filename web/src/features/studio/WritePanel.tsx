import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Fieldset, Group, NativeSelect, Paper, Stack, Text, Title } from "@mantine/core";
import { useId, useState } from "react";
import { FormProvider, useForm } from "react-hook-form";

import type { Tagged } from "../../api/client";
import { applyFieldErrors } from "../../api/form-errors";
import { type FieldMessage, isApiError } from "../../api/problem";
import type { ContentDetail } from "../../api/types";
import { FormTextField } from "../../components/FormTextField";
import { ProblemAlert } from "../../components/ProblemAlert";
import type { ContentScope } from "../content/queries";
import { BudgetExceededAlert, isBudgetExceeded } from "./BudgetExceededAlert";
import { LANGUAGES, TONES } from "./labels";
import { useStartGeneration } from "./queries";
import type { Generation, GenerationCreate } from "./types";
import {
  GENERATE_DEFAULTS,
  type GenerateFormValues,
  MAX_INSTRUCTIONS,
  VARIANT_CHOICES,
  generateBody,
  generateFormSchema,
  isCardRefused,
} from "./write-form";

export interface WritePanelProps {
  scope: ContentScope;
  item: Tagged<ContentDetail>;
  /** The current version has findings that "Fix findings" could address. */
  hasFindings: boolean;
  /** A generation is running: one at a time from this screen. */
  running: boolean;
  onStarted: (generation: Generation) => void;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** New drafts from instructions, and rewrites of the current version. */
export function WritePanel({ scope, item, hasFindings, running, onStarted }: WritePanelProps) {
  const headingId = useId();
  const start = useStartGeneration(scope, item.data.id);
  const form = useForm<GenerateFormValues>({ resolver: zodResolver(generateFormSchema), defaultValues: GENERATE_DEFAULTS });
  const [problem, setProblem] = useState<{ error: unknown; unplaced: FieldMessage[] | null } | null>(null);
  const [tone, setTone] = useState<string>(TONES[0]);
  const [language, setLanguage] = useState<string>(LANGUAGES[0]?.value ?? "de-DE");
  const source = item.data.current_version;
  const busy = running || start.isPending;

  const run = async (body: GenerationCreate) => {
    setProblem(null);
    try {
      onStarted(await start.mutateAsync(body));
      return true;
    } catch (error) {
      if (isApiError(error) && isCardRefused(error.type) && body.operation === "generate") {
        form.setError("instructions", { type: "server", message: error.detail ?? error.title }, { shouldFocus: true });
        return false;
      }
      const unplaced = applyFieldErrors<GenerateFormValues>(error, form.setError, { fields: ["instructions", "variants"] });
      setProblem({ error, unplaced });
      return false;
    }
  };

  const onGenerate = async (values: GenerateFormValues) => {
    if (await run(generateBody(values))) form.reset(values);
  };
  const rewrite = (body: Omit<GenerationCreate, "instructions" | "variants">) =>
    void run({ instructions: "", variants: 1, source_version: source, ...body });

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Title order={2} size="h4" id={headingId}>
          Write with AI
        </Title>
        <FormProvider {...form}>
          <form onSubmit={(event) => void form.handleSubmit(onGenerate)(event)} noValidate aria-label="Generate drafts">
            <Stack gap="sm">
              <FormTextField<GenerateFormValues>
                name="instructions"
                label="Instructions"
                multiline
                rules={{ maxLength: MAX_INSTRUCTIONS }}
                description="What the drafts should say or stress. The brief, the brand kit and the knowledge base are used anyway."
              />
              <Group align="flex-end" gap="sm">
                <NativeSelect
                  label="Number of variants"
                  data={[...VARIANT_CHOICES]}
                  {...form.register("variants")}
                  w={{ base: "100%", xs: 180 }}
                />
                <Button type="submit" loading={start.isPending && start.variables?.operation === "generate"} disabled={busy}>
                  Generate
                </Button>
              </Group>
            </Stack>
          </form>
        </FormProvider>
        <Fieldset legend={<Text fw={600} size="sm">Rewrite version {source}</Text>} variant="unstyled">
          <Stack gap="sm">
            <Group gap="sm" align="flex-end" wrap="wrap">
              <Button variant="default" disabled={busy} onClick={() => rewrite({ operation: "shorten" })}>
                Shorten
              </Button>
              <Button
                variant="default"
                disabled={busy || !hasFindings}
                onClick={() => rewrite({ operation: "fix_findings" })}
              >
                Fix findings
              </Button>
            </Group>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <NativeSelect
                label="Tone"
                data={TONES.map((value) => ({ value, label: capitalize(value) }))}
                value={tone}
                onChange={(event) => setTone(event.currentTarget.value)}
                w={{ base: "100%", xs: 180 }}
              />
              <Button variant="default" disabled={busy} onClick={() => rewrite({ operation: "change_tone", tone })}>
                Change tone
              </Button>
            </Group>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <NativeSelect
                label="Language"
                data={LANGUAGES.map(({ value, label }) => ({ value, label }))}
                value={language}
                onChange={(event) => setLanguage(event.currentTarget.value)}
                w={{ base: "100%", xs: 220 }}
              />
              <Button variant="default" disabled={busy} onClick={() => rewrite({ operation: "translate", language })}>
                Translate
              </Button>
            </Group>
          </Stack>
        </Fieldset>
        {problem &&
          (isBudgetExceeded(problem.error) ? (
            <BudgetExceededAlert
              workspaceId={scope.workspaceId}
              detail={isApiError(problem.error) ? problem.error.detail : null}
            />
          ) : (
            <ProblemAlert error={problem.error} title="Nothing was started" unplaced={problem.unplaced ?? undefined} />
          ))}
      </Stack>
    </Paper>
  );
}
