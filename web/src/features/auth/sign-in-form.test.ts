import { describe, expect, it } from "vitest";

import { ApiError } from "../../api/problem";
import { firstInvalidField, serverFieldErrors, signInValues, validateSignIn } from "./sign-in-form";

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("signInValues", () => {
  it("trims the email but keeps the password exactly as typed", () => {
    expect(signInValues(form({ email: "  owner@northwind.example ", password: " secret " }))).toEqual({
      email: "owner@northwind.example",
      password: " secret ",
    });
  });

  it("reads missing fields as empty", () => {
    expect(signInValues(form({}))).toEqual({ email: "", password: "" });
  });
});

describe("validateSignIn", () => {
  it("accepts an email address and a password", () => {
    expect(validateSignIn({ email: "owner@northwind.example", password: "brandflow-demo" })).toEqual({});
  });

  it("asks for both fields when they are empty", () => {
    expect(validateSignIn({ email: "", password: "" })).toEqual({
      email: "Enter your email address.",
      password: "Enter your password.",
    });
  });

  it.each(["owner", "owner@", "@northwind.example", "owner@northwind", "ow ner@northwind.example", "a@b@c.d"])(
    "rejects %j as an email address",
    (email) => {
      expect(validateSignIn({ email, password: "x" })).toEqual({ email: "Enter a valid email address." });
    },
  );
});

describe("serverFieldErrors", () => {
  it("places a 422's body errors on the fields they name and ignores the rest", () => {
    const error = new ApiError({
      type: "about:blank",
      title: "Unprocessable Content",
      status: 422,
      errors: [
        { loc: ["body", "email"], msg: "value is not a valid email address", type: "value_error" },
        { loc: ["body", "email"], msg: "a second message", type: "value_error" },
        { loc: ["body", "remember_me"], msg: "unknown field", type: "extra_forbidden" },
        { loc: ["query", "password"], msg: "not the body", type: "value_error" },
      ],
    });
    expect(serverFieldErrors(error)).toEqual({ email: "value is not a valid email address" });
  });

  it("has nothing to place for other errors", () => {
    expect(serverFieldErrors(new Error("offline"))).toEqual({});
    expect(serverFieldErrors(ApiError.network(new TypeError("Failed to fetch")))).toEqual({});
  });
});

describe("firstInvalidField", () => {
  it("follows the order of the form", () => {
    expect(firstInvalidField({ password: "p", email: "e" })).toBe("email");
    expect(firstInvalidField({ password: "p" })).toBe("password");
    expect(firstInvalidField({})).toBeUndefined();
  });
});
