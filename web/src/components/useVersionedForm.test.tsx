import { act, renderHook, waitFor } from "@testing-library/react";
import type { Path } from "react-hook-form";
import { describe, expect, it, vi } from "vitest";
import * as z from "zod";

import type { Tagged } from "../api/client";
import { ApiError } from "../api/problem";
import { type VersionedSave, useVersionedForm } from "./useVersionedForm";

interface Thing {
  name: string;
  tags: string[];
  version: number;
}
type Values = { name: string; tags: { text: string }[] };
type Body = { name: string; tags: string[] };

const schema = z.object({ name: z.string().min(1, "Name it."), tags: z.array(z.object({ text: z.string() })) });
const toFormValues = (thing: Thing): Values => ({ name: thing.name, tags: thing.tags.map((text) => ({ text })) });
const toBody = (values: Values): Body => ({ name: values.name, tags: values.tags.map((tag) => tag.text) });
// The API's `tags.1` is the form's `tags.1.text`, when the form has that row.
const errorField = (path: string, values: Values): Path<Values> | null => {
  if (path === "name") return "name";
  const [head, index] = path.split(".");
  if (head === "tags" && index !== undefined && values.tags[Number(index)]) return `tags.${Number(index)}.text`;
  return null;
};

const tagged = (thing: Thing): Tagged<Thing> => ({ data: thing, etag: `"v${thing.version}"` });
const V1 = tagged({ name: "Kit", tags: ["a", "b"], version: 1 });
const V2 = tagged({ name: "Colleague's kit", tags: ["c"], version: 2 });

function fakeSave(answer: (body: Body, etag: string | null) => Tagged<Thing>): VersionedSave<Thing, Body> & { calls: (string | null)[] } {
  const save = {
    calls: [] as (string | null)[],
    error: null as unknown,
    reset: vi.fn(() => {
      save.error = null;
    }),
    mutateAsync: vi.fn(({ body, etag }: { body: Body; etag: string | null }) => {
      save.calls.push(etag);
      try {
        return Promise.resolve(answer(body, etag));
      } catch (error) {
        save.error = error;
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }),
  };
  return save;
}

function setup(save: VersionedSave<Thing, Body>, refetch = vi.fn(() => Promise.resolve<Tagged<Thing> | undefined>(V2))) {
  const hook = renderHook(() =>
    useVersionedForm({ latest: V1, refetch, schema, toFormValues, toBody, errorField, save, savedMessage: "Saved." }),
  );
  return { hook, refetch };
}

const problem422 = new ApiError({
  type: "about:blank",
  title: "Request validation failed",
  status: 422,
  detail: "Some fields are not valid.",
  errors: [
    { loc: ["body", "tags", 1], msg: "Too long", type: "value_error" },
    { loc: ["body", "tags", 7], msg: "No such row", type: "value_error" },
    { loc: ["body", "owner"], msg: "Unknown owner", type: "value_error" },
  ],
});

describe("useVersionedForm", () => {
  it("saves with the base's ETag and starts again from what the server saved", async () => {
    const save = fakeSave((body) => tagged({ ...body, version: 2 }));
    const { hook } = setup(save);
    act(() => hook.result.current.form.setValue("name", "Renamed", { shouldDirty: true }));
    await act(() => hook.result.current.submit());

    expect(save.calls).toEqual(['"v1"']);
    expect(save.mutateAsync).toHaveBeenCalledWith({ body: { name: "Renamed", tags: ["a", "b"] }, etag: '"v1"' });
    expect(hook.result.current.base.etag).toBe('"v2"');
    expect(hook.result.current.form.formState.isDirty).toBe(false);
    expect(hook.result.current.conflict).toBeNull();
  });

  it("does not send what the schema refuses", async () => {
    const save = fakeSave((body) => tagged({ ...body, version: 2 }));
    const { hook } = setup(save);
    act(() => hook.result.current.form.setValue("name", ""));
    await act(() => hook.result.current.submit());

    expect(save.mutateAsync).not.toHaveBeenCalled();
    expect(hook.result.current.form.getFieldState("name").error?.message).toBe("Name it.");
  });

  it("turns a 412 into a conflict, compares with a fresh copy, and reloads it", async () => {
    const save = fakeSave(() => {
      throw new ApiError({ type: "about:blank", title: "Precondition failed", status: 412, detail: "Changed meanwhile." });
    });
    const { hook, refetch } = setup(save);
    act(() => hook.result.current.form.setValue("name", "Mine", { shouldDirty: true }));
    await act(() => hook.result.current.submit());

    expect(hook.result.current.conflict?.phase).toBe("detected");
    expect((hook.result.current.conflict?.error as ApiError).status).toBe(412);
    // The conflict shows the 412; it is not also a save error.
    expect(hook.result.current.saveError).toBeNull();
    expect(hook.result.current.unplaced).toBeNull();
    expect(hook.result.current.form.getValues("name")).toBe("Mine");

    act(() => hook.result.current.compare());
    await waitFor(() => expect(hook.result.current.conflict?.phase).toBe("comparing"));
    expect(refetch).toHaveBeenCalledTimes(1);
    expect(hook.result.current.base.etag).toBe('"v1"');

    act(() => hook.result.current.reload());
    await waitFor(() => expect(hook.result.current.conflict).toBeNull());
    expect(hook.result.current.base.etag).toBe('"v2"');
    expect(hook.result.current.form.getValues("name")).toBe("Colleague's kit");
    expect(hook.result.current.reloading).toBe(false);
  });

  it("rebases the person's values onto a fresh copy, keeping them unsaved", async () => {
    const save = fakeSave(() => {
      throw new ApiError({ type: "about:blank", title: "Precondition failed", status: 412 });
    });
    const { hook } = setup(save);
    act(() => hook.result.current.form.setValue("name", "Mine", { shouldDirty: true }));
    await act(() => hook.result.current.submit());
    await act(async () => hook.result.current.withFreshCopy((fresh) => hook.result.current.rebase(fresh, hook.result.current.form.getValues())));

    expect(hook.result.current.conflict).toBeNull();
    expect(hook.result.current.base.etag).toBe('"v2"');
    expect(hook.result.current.form.getValues("name")).toBe("Mine");
    expect(hook.result.current.form.formState.isDirty).toBe(true);
  });

  it("puts a 422's errors on their fields and returns the ones no field shows", async () => {
    const save = fakeSave(() => {
      throw problem422;
    });
    const { hook } = setup(save);
    act(() => hook.result.current.form.setValue("name", "Kit 2", { shouldDirty: true }));
    await act(() => hook.result.current.submit());

    const { form, unplaced, saveError, conflict } = hook.result.current;
    expect(form.getFieldState("tags.1.text").error?.message).toBe("Too long");
    expect(form.getFieldState("name").error).toBeUndefined();
    expect(unplaced).toEqual([
      { path: "tags.7", message: "No such row" },
      { path: "owner", message: "Unknown owner" },
    ]);
    expect(saveError).toBe(problem422);
    expect(conflict).toBeNull();
    // Starting again forgets them.
    act(() => hook.result.current.startFrom(V2));
    expect(hook.result.current.unplaced).toBeNull();
    expect(hook.result.current.saveError).toBeNull();
  });

  it("has no unplaced errors when a 422 carries no field errors", async () => {
    const save = fakeSave(() => {
      throw new ApiError({ type: "about:blank", title: "Unprocessable", status: 422, detail: "No." });
    });
    const { hook } = setup(save);
    await act(() => hook.result.current.submit());
    hook.rerender(); // as the mutation's new error state would
    expect(hook.result.current.unplaced).toBeNull();
    expect((hook.result.current.saveError as ApiError).detail).toBe("No.");
  });
});
