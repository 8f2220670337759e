import { ActionIcon, Button, Checkbox, Fieldset, Group, Select, SimpleGrid, Stack, Text } from "@mantine/core";
import { Controller, useFieldArray, useFormContext } from "react-hook-form";

import { CAMPAIGN_STATUS_LABELS, CHANNEL_LABELS } from "../../api/labels";
import { channelValues } from "../../api/schema.gen";
import type { CampaignStatus } from "../../api/types";
import { FormTextField } from "../../components/FormTextField";
import { LimitCounter } from "../../components/LimitCounter";
import { CURRENCIES, type CampaignFormValues, LIMITS } from "./campaign-form";

export interface CampaignBriefFieldsProps {
  /** The statuses the person may pick; creating offers planned/active, editing the rest too. */
  statuses: readonly CampaignStatus[];
}

/** The brief's inputs, shared by "New campaign" and the campaign page. Needs a `<FormProvider>`. */
export function CampaignBriefFields({ statuses }: CampaignBriefFieldsProps) {
  const { control } = useFormContext<CampaignFormValues>();
  return (
    <Stack gap="md">
      <FormTextField<CampaignFormValues> name="name" label="Name" rules={LIMITS.name} required />
      <Controller
        control={control}
        name="status"
        render={({ field, fieldState }) => (
          <Select
            label="Status"
            data={statuses.map((status) => ({ value: status, label: CAMPAIGN_STATUS_LABELS[status] }))}
            value={field.value}
            onChange={(value) => value && field.onChange(value)}
            onBlur={field.onBlur}
            ref={field.ref}
            allowDeselect={false}
            error={fieldState.error?.message}
            w={{ base: "100%", sm: 240 }}
          />
        )}
      />
      <FormTextField<CampaignFormValues> name="objective" label="Objective" rules={LIMITS.objective} multiline />
      <FormTextField<CampaignFormValues> name="audience" label="Audience" rules={LIMITS.audience} multiline />
      <KeyMessagesField />
      <ChannelsField />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <FormTextField<CampaignFormValues> name="start_date" label="Start date" type="date" />
        <FormTextField<CampaignFormValues> name="end_date" label="End date" type="date" />
      </SimpleGrid>
      <BudgetField />
    </Stack>
  );
}

function KeyMessagesField() {
  const { control, formState } = useFormContext<CampaignFormValues>();
  const { fields, append, remove } = useFieldArray({ control, name: "key_messages" });
  const listError = formState.errors.key_messages?.root?.message ?? formState.errors.key_messages?.message;
  return (
    <Fieldset legend="Key messages" variant="unstyled">
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          <LimitCounter used={fields.length} max={LIMITS.keyMessages} unit="messages" />
        </Text>
        {fields.map((field, index) => (
          <Group key={field.id} align="flex-start" wrap="nowrap" gap="xs">
            <div style={{ flex: 1 }}>
              <FormTextField<CampaignFormValues>
                name={`key_messages.${index}.text`}
                label={`Key message ${index + 1}`}
                rules={LIMITS.keyMessage}
              />
            </div>
            <ActionIcon
              variant="subtle"
              color="red"
              mt={26}
              onClick={() => remove(index)}
              aria-label={`Remove key message ${index + 1}`}
            >
              <span aria-hidden="true">×</span>
            </ActionIcon>
          </Group>
        ))}
        {listError && (
          <Text size="sm" c="red.8" role="alert">
            {listError}
          </Text>
        )}
        <div>
          <Button
            variant="light"
            size="xs"
            onClick={() => append({ text: "" }, { shouldFocus: true })}
            disabled={fields.length >= LIMITS.keyMessages}
          >
            Add key message
          </Button>
        </div>
      </Stack>
    </Fieldset>
  );
}

function ChannelsField() {
  const { control } = useFormContext<CampaignFormValues>();
  return (
    <Controller
      control={control}
      name="channels"
      render={({ field, fieldState }) => (
        <Checkbox.Group
          label="Channels"
          description={`Where the campaign runs (at most ${LIMITS.channels}).`}
          value={field.value}
          onChange={(value) => field.onChange(value)}
          error={fieldState.error?.message}
        >
          <SimpleGrid cols={{ base: 2, sm: 4 }} mt="xs" spacing="xs">
            {channelValues.map((channel) => (
              <Checkbox key={channel} value={channel} label={CHANNEL_LABELS[channel]} onBlur={field.onBlur} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
      )}
    />
  );
}

function BudgetField() {
  const { control } = useFormContext<CampaignFormValues>();
  return (
    <Fieldset legend="Budget" variant="unstyled">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <FormTextField<CampaignFormValues> name="budget_amount" label="Amount" inputMode="decimal" placeholder="12500.00" />
        <Controller
          control={control}
          name="budget_currency"
          render={({ field, fieldState }) => (
            <Select
              label="Currency"
              placeholder="Choose a currency"
              data={CURRENCIES}
              searchable
              clearable
              value={field.value || null}
              onChange={(value) => field.onChange(value ?? "")}
              onBlur={field.onBlur}
              ref={field.ref}
              error={fieldState.error?.message}
              limit={50}
            />
          )}
        />
      </SimpleGrid>
    </Fieldset>
  );
}
