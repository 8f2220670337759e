import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Group, NativeSelect, SimpleGrid, Stack } from "@mantine/core";
import { Controller, FormProvider, useForm } from "react-hook-form";

import { FormTextField } from "../../components/FormTextField";
import type { ActorOption } from "./actors";
import { type AuditFilterValues, auditFilterFormSchema, hasFilters, toAuditSearch, toFilterValues } from "./filters";
import type { AuditSearch } from "./search";

export interface AuditFiltersProps {
  search: AuditSearch;
  members: readonly ActorOption[];
  apiKeys: readonly ActorOption[];
  /** Called with the new URL search (cursor cleared) when the person applies or clears. */
  onApply: (search: AuditSearch) => void;
}

/**
 * The filters, applied together with "Apply filters" (each one is a request, and half-typed
 * values would be noise). Mount it with a `key` of the URL's filters so back/forward resets it.
 */
export function AuditFilters({ search, members, apiKeys, onApply }: AuditFiltersProps) {
  const form = useForm<AuditFilterValues>({
    resolver: zodResolver(auditFilterFormSchema),
    defaultValues: toFilterValues(search),
  });
  const actorData = actorChoices(search.actor, members, apiKeys);

  return (
    <FormProvider {...form}>
      <form
        role="search"
        aria-label="Filter audit events"
        noValidate
        onSubmit={(event) => void form.handleSubmit((values) => onApply(toAuditSearch(values)))(event)}
      >
        <Stack gap="sm" mb="md">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
            <FormTextField<AuditFilterValues>
              name="action"
              label="Action"
              placeholder="campaigns.campaign_updated"
              autoComplete="off"
            />
            <FormTextField<AuditFilterValues> name="object_type" label="Object type" placeholder="campaign" autoComplete="off" />
            {/* Controlled: the members and keys may arrive after the form, and the choice must survive that. */}
            <Controller
              control={form.control}
              name="actor"
              render={({ field }) => (
                <NativeSelect
                  label="Actor"
                  data={actorData}
                  value={field.value}
                  onChange={(event) => field.onChange(event.currentTarget.value)}
                  onBlur={field.onBlur}
                  ref={field.ref}
                  name={field.name}
                />
              )}
            />
            <FormTextField<AuditFilterValues> name="from" label="From" type="date" />
            <FormTextField<AuditFilterValues> name="to" label="To" type="date" />
          </SimpleGrid>
          <Group gap="sm">
            <Button type="submit">Apply filters</Button>
            {hasFilters(search) && (
              <Button variant="default" onClick={() => onApply(toAuditSearch(toFilterValues({})))}>
                Clear filters
              </Button>
            )}
          </Group>
        </Stack>
      </form>
    </FormProvider>
  );
}

type SelectData = ({ value: string; label: string } | { group: string; items: { value: string; label: string }[] })[];

/** "Anyone", then members and API keys; an actor from the URL that is in neither still shows. */
function actorChoices(current: string | undefined, members: readonly ActorOption[], apiKeys: readonly ActorOption[]): SelectData {
  const known = [...members, ...apiKeys].some((option) => option.value === current);
  const data: SelectData = [{ value: "", label: "Anyone" }];
  if (current && !known) data.push({ value: current, label: `Actor id ${current}` });
  if (members.length > 0) data.push({ group: "Members", items: [...members] });
  if (apiKeys.length > 0) data.push({ group: "API keys", items: [...apiKeys] });
  return data;
}
