import { Group, Stack } from "@mantine/core";
import { useFieldArray, useFormContext } from "react-hook-form";

import { FormTextField } from "../../components/FormTextField";
import type { BrandKitFormValues } from "./brand-kit-form";
import { LIMITS } from "./limits";
import { ListShell, RemoveButton, TermsInput, useRemoveRow } from "./ListShell";

type Form = BrandKitFormValues;

/** How the brand sounds: what prompts and writers follow. */
export function VoiceFields() {
  return (
    <Stack gap="md">
      <FormTextField<Form>
        name="voice.summary"
        label="Summary"
        description="The brand's personality in a few sentences."
        rules={{ maxLength: LIMITS.summary }}
        multiline
      />
      <TermsInput
        name="voice.tone"
        label="Tone"
        description={`Short descriptors such as “warm” or “plain-spoken”; press Enter or comma after each (at most ${LIMITS.tone.maxItems}).`}
        maxTags={LIMITS.tone.maxItems}
      />
      <FormTextField<Form> name="voice.audience" label="Audience" description="Who the brand speaks to." rules={{ maxLength: LIMITS.audience }} multiline />
      <ExampleRows name="voice.do_examples" legend="Do examples" item="Do example" description="Sentences in the brand's voice." />
      <ExampleRows name="voice.dont_examples" legend="Don’t examples" item="Don’t example" description="Sentences the brand would never write." />
    </Stack>
  );
}

interface ExampleRowsProps {
  name: "voice.do_examples" | "voice.dont_examples";
  legend: string;
  item: string;
  description: string;
}

function ExampleRows({ name, legend, item, description }: ExampleRowsProps) {
  const { control } = useFormContext<Form>();
  const { fields, append, remove } = useFieldArray({ control, name });
  const { addRef, removeAt } = useRemoveRow(remove);
  return (
    <ListShell
      name={name}
      legend={legend}
      description={description}
      count={fields.length}
      max={LIMITS.examples.maxItems}
      unit="examples"
      addLabel={`Add ${item.toLowerCase()}`}
      onAdd={() => append({ value: "" }, { shouldFocus: true })}
      addRef={addRef}
    >
      {fields.map((entry, index) => (
        <Group key={entry.id} align="flex-start" wrap="nowrap" gap="xs">
          <div style={{ flex: 1 }}>
            <FormTextField<Form> name={`${name}.${index}.value`} label={`${item} ${index + 1}`} rules={{ maxLength: LIMITS.examples.maxLength }} />
          </div>
          <RemoveButton label={`Remove ${item.toLowerCase()} ${index + 1}`} onRemove={() => removeAt(index)} />
        </Group>
      ))}
    </ListShell>
  );
}
