import { Stack } from "@mantine/core";

import type { Channel } from "../../api/types";
import { FormTextField } from "../../components/FormTextField";
import { GroupListField, ListField } from "./BodyListFields";
import { BodyTextField } from "./BodyTextField";
import { bodySpec } from "./body-form";
import type { EditorFormValues } from "./content-form";

/**
 * The body's inputs for one channel, generated from the contract's field list with a live
 * counter for each limit. Needs a `<FormProvider>` whose values have the body at `body`.
 * Read only, the inputs stay focusable and legible (unlike disabled ones) and lists cannot change.
 */
export function BodyFields({ channel, readOnly = false }: { channel: Channel; readOnly?: boolean }) {
  return (
    <Stack gap="md">
      {bodySpec(channel).fields.map((field) => {
        switch (field.kind) {
          case "list":
            return <ListField key={field.name} field={field} readOnly={readOnly} />;
          case "group-list":
            return <GroupListField key={field.name} field={field} readOnly={readOnly} />;
          case "text":
            return <BodyTextField key={field.name} field={field} name={`body.${field.name}`} readOnly={readOnly} />;
          case "value":
            return (
              <FormTextField<EditorFormValues>
                key={field.name}
                name={`body.${field.name}`}
                label={field.label}
                description={field.description}
                readOnly={readOnly}
              />
            );
        }
      })}
    </Stack>
  );
}
