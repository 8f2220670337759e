import { renderHook } from "@testing-library/react";
import { useForm } from "react-hook-form";
import { describe, expect, it } from "vitest";

import { applyFieldErrors } from "./form-errors";
import { ApiError, fieldMessages, problemMessage } from "./problem";

const validation = new ApiError({
  type: "https://brandflow.dev/problems/validation-error",
  title: "Request validation failed",
  status: 422,
  detail: "body.name: String should have at most 200 characters",
  errors: [
    { loc: ["body", "name"], msg: "String should have at most 200 characters", type: "string_too_long" },
    { loc: ["body", "key_messages", 2], msg: "String should have at least 1 character", type: "string_too_short" },
    { loc: ["body", "body", "x", "text"], msg: "Too long", type: "string_too_long" },
    { loc: ["query", "limit"], msg: "Input should be less than or equal to 200", type: "less_than_equal" },
  ],
});

describe("fieldMessages", () => {
  it("drops the location and joins the rest as a react-hook-form path", () => {
    expect(fieldMessages(validation)).toEqual([
      { path: "name", message: "String should have at most 200 characters" },
      { path: "key_messages.2", message: "String should have at least 1 character" },
      { path: "body.x.text", message: "Too long" },
    ]);
  });

  it("keeps only errors under a nested object when asked", () => {
    expect(fieldMessages(validation, ["body", "body", "x"])).toEqual([{ path: "text", message: "Too long" }]);
  });
});

describe("problemMessage", () => {
  it("prefers the problem's detail, then its title", () => {
    expect(problemMessage(validation)).toBe("body.name: String should have at most 200 characters");
    expect(problemMessage(new ApiError({ type: "about:blank", title: "Not found", status: 404 }))).toBe("Not found");
    expect(problemMessage(new Error("boom"))).toBe("boom");
    expect(problemMessage("???")).toBe("Something went wrong.");
  });
});

describe("applyFieldErrors", () => {
  function renderForm() {
    return renderHook(() => useForm<{ name: string; key_messages: string[] }>({ defaultValues: { name: "", key_messages: [] } }))
      .result.current;
  }

  it("sets each known field's message and returns the ones it could not place", () => {
    const form = renderForm();
    const unplaced = applyFieldErrors(validation, form.setError, { fields: ["name", "key_messages"] });

    expect(form.getFieldState("name").error?.message).toBe("String should have at most 200 characters");
    expect(form.getFieldState("key_messages.2").error?.message).toBe("String should have at least 1 character");
    expect(unplaced).toEqual([{ path: "body.x.text", message: "Too long" }]);
  });

  it("maps API paths to differently named fields", () => {
    const form = renderForm();
    const unplaced = applyFieldErrors(validation, form.setError, {
      toField: (path) => (path.startsWith("key_messages") ? "key_messages" : null),
    });

    expect(form.getFieldState("key_messages").error?.message).toBe("String should have at least 1 character");
    expect(form.getFieldState("name").error).toBeUndefined();
    expect(unplaced).toHaveLength(2);
  });

  it("returns null for errors without field errors", () => {
    const form = renderForm();
    expect(applyFieldErrors(new ApiError({ type: "x", title: "Conflict", status: 409 }), form.setError)).toBeNull();
    expect(applyFieldErrors(new Error("offline"), form.setError)).toBeNull();
  });
});
