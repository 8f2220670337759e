// The If-Match editing flow every "edit the whole resource, save it with its ETag" form shares:
// the version the form was filled from (`base`), a 412 turned into a conflict to resolve, a 422
// turned into field errors (and the ones no field shows), and starting again from a fresh copy.
import { zodResolver } from "@hookform/resolvers/zod";
import { notifications } from "@mantine/notifications";
import { type FormEvent, useState } from "react";
import { type DefaultValues, type FieldValues, type Path, type UseFormReturn, useForm } from "react-hook-form";
import type * as z from "zod";

import type { Tagged } from "../api/client";
import { applyFieldErrors } from "../api/form-errors";
import { type FieldMessage, isApiError } from "../api/problem";

/** A 412 Precondition Failed: someone saved since the form was filled. */
export const isConflict = (error: unknown) => isApiError(error) && error.isConflict;

/** "detected" after the 412; "comparing" once the fresh copy is shown next to the person's values. */
export interface VersionedConflict {
  phase: "detected" | "comparing";
  error: unknown;
}

/** What the hook needs of the save mutation (a TanStack Query `useMutation` result fits). */
export interface VersionedSave<TData, TBody> {
  mutateAsync: (variables: { body: TBody; etag: string | null }) => Promise<Tagged<TData>>;
  reset: () => void;
  error: unknown;
}

export interface UseVersionedFormOptions<TData, TValues extends FieldValues, TBody> {
  /** The resource as the server has it now; the form starts from it. */
  latest: Tagged<TData>;
  /** Fetches the resource again (for reload, compare and keep-mine). */
  refetch: () => Promise<Tagged<TData> | undefined>;
  /** The form's validation; its values are the form's values. */
  schema: z.ZodType<TValues, TValues>;
  toFormValues: (data: TData) => TValues;
  /**
   * The request body for `values`; `base` is the version the form was filled from (for a body
   * that sends only what changed). Null: nothing to save, so the form just takes the values as
   * its own again.
   */
  toBody: (values: TValues, base: TData) => TBody | null;
  /** Where an API error path goes on the form, or null for one no field shows. */
  errorField: (path: string, values: TValues) => Path<TValues> | null;
  save: VersionedSave<TData, TBody>;
  /** The notification after a save (`base` is the version the form was filled from). */
  savedMessage: string | ((saved: Tagged<TData>, base: Tagged<TData>) => string);
}

export interface VersionedForm<TData, TValues extends FieldValues> {
  form: UseFormReturn<TValues>;
  /** The version the form was filled from: its ETag goes out as `If-Match`. */
  base: Tagged<TData>;
  conflict: VersionedConflict | null;
  /** The last 422's field errors no field could show (null: none, or no 422). */
  unplaced: FieldMessage[] | null;
  /** True while a fresh copy is being fetched. */
  reloading: boolean;
  /** The last save's error unless it was a 412 (the conflict shows that one). */
  saveError: unknown;
  /** Pass to `<form onSubmit>`: validates, then saves with `If-Match`. */
  onSubmit: (event?: FormEvent) => void;
  /** The same, settled when the save has (for callers that wait on it). */
  submit: (event?: FormEvent) => Promise<void>;
  /** Fill the form from `tagged` (or `values`) and forget the conflict and errors. */
  startFrom: (tagged: Tagged<TData>, values?: TValues) => void;
  /** Start from `onto` (its ETag), with `values` on top as the person's unsaved changes. */
  rebase: (onto: Tagged<TData>, values: TValues) => void;
  /** Fetches a fresh copy and hands it to `then`, with `reloading` set meanwhile. */
  withFreshCopy: (then: (fresh: Tagged<TData>) => void) => Promise<void>;
  /** Drops the person's changes for a fresh copy. */
  reload: () => void;
  /** Fetches a fresh copy and moves the conflict to "comparing". */
  compare: () => void;
}

export function useVersionedForm<TData, TValues extends FieldValues, TBody>(
  options: UseVersionedFormOptions<TData, TValues, TBody>,
): VersionedForm<TData, TValues> {
  const { latest, refetch, schema, toFormValues, toBody, errorField, save, savedMessage } = options;
  const [base, setBase] = useState(latest);
  const [conflict, setConflict] = useState<VersionedConflict | null>(null);
  const [unplaced, setUnplaced] = useState<FieldMessage[] | null>(null);
  const [reloading, setReloading] = useState(false);
  const form = useForm<TValues>({
    resolver: zodResolver(schema),
    defaultValues: toFormValues(base.data) as DefaultValues<TValues>,
  });

  const startFrom = (tagged: Tagged<TData>, values = toFormValues(tagged.data)) => {
    setBase(tagged);
    setConflict(null);
    setUnplaced(null);
    save.reset();
    form.reset(values);
  };

  const saveValues = async (values: TValues) => {
    setUnplaced(null);
    const body = toBody(values, base.data);
    if (body === null) {
      form.reset(values);
      return;
    }
    try {
      const saved = await save.mutateAsync({ body, etag: base.etag });
      startFrom(saved);
      notifications.show({ color: "green", message: typeof savedMessage === "string" ? savedMessage : savedMessage(saved, base) });
    } catch (error) {
      if (isConflict(error)) setConflict({ phase: "detected", error });
      else {
        const current = form.getValues();
        setUnplaced(applyFieldErrors(error, form.setError, { toField: (path) => errorField(path, current) }));
      }
    }
  };

  const withFreshCopy = async (then: (fresh: Tagged<TData>) => void) => {
    setReloading(true);
    try {
      const fresh = await refetch();
      if (fresh) then(fresh);
    } finally {
      setReloading(false);
    }
  };

  return {
    form,
    base,
    conflict,
    unplaced,
    reloading,
    saveError: save.error && !isConflict(save.error) ? save.error : null,
    onSubmit: (event) => void form.handleSubmit(saveValues)(event),
    submit: (event) => form.handleSubmit(saveValues)(event),
    startFrom,
    rebase: (onto, values) => {
      startFrom(onto);
      form.reset(values, { keepDefaultValues: true });
    },
    withFreshCopy,
    reload: () => void withFreshCopy((fresh) => startFrom(fresh)),
    compare: () => void withFreshCopy(() => setConflict((c) => c && { ...c, phase: "comparing" })),
  };
}
