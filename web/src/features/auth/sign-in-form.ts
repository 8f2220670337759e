// The sign-in form's checks. Plain code rather than zod + react-hook-form: the sign-in screen is
// the first one many people load, and those libraries would double the JavaScript it waits for.
// The API checks the same again (422, placed on the fields by `serverFieldErrors`).
import { fieldMessages, isApiError } from "../../api/problem";

export const SIGN_IN_FIELDS = ["email", "password"] as const;
export type SignInField = (typeof SIGN_IN_FIELDS)[number];
export type SignInValues = Record<SignInField, string>;
export type SignInErrors = Partial<Record<SignInField, string>>;

// One "@", something on each side, a dot in the domain, no spaces: enough to catch a typo here.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The values as sent: the email without surrounding spaces, the password exactly as typed. */
export function signInValues(form: FormData): SignInValues {
  const text = (name: SignInField) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return { email: text("email").trim(), password: text("password") };
}

/** A message per field that cannot be sent as it is; empty when the form is fine. */
export function validateSignIn({ email, password }: SignInValues): SignInErrors {
  const errors: SignInErrors = {};
  if (!email) errors.email = "Enter your email address.";
  else if (!EMAIL_SHAPE.test(email)) errors.email = "Enter a valid email address.";
  if (!password) errors.password = "Enter your password.";
  return errors;
}

/** The API's field errors (a 422's `body.email`, `body.password`) for the fields they name. */
export function serverFieldErrors(error: unknown): SignInErrors {
  const errors: SignInErrors = {};
  if (!isApiError(error)) return errors;
  for (const { path, message } of fieldMessages(error)) {
    const field = SIGN_IN_FIELDS.find((name) => path === name);
    if (field && !errors[field]) errors[field] = message;
  }
  return errors;
}

/** The first field with an error, in the order the form shows them (where focus should go). */
export function firstInvalidField(errors: SignInErrors): SignInField | undefined {
  return SIGN_IN_FIELDS.find((field) => errors[field] !== undefined);
}
