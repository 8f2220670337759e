import { Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useRouter } from "@tanstack/react-router";
import { type FormEvent, useRef, useState } from "react";

import { ProblemAlert } from "../../components/ProblemAlert";
import { safeRedirect } from "../../auth/session";
import { signIn } from "../../auth/session-api";
import { sessionStore } from "../../auth/session-store";
import {
  type SignInErrors,
  type SignInField,
  firstInvalidField,
  serverFieldErrors,
  signInValues,
  validateSignIn,
} from "./sign-in-form";

const route = getRouteApi("/sign-in");

export function SignInPage() {
  useDocumentTitle("Sign in · Brandflow");
  const { redirect } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);
  const [errors, setErrors] = useState<SignInErrors>({});
  const [submitting, setSubmitting] = useState(false);
  const fields = useRef<Partial<Record<SignInField, HTMLInputElement | null>>>({});

  /** Shows the messages and moves focus to the first field that has one. */
  const showErrors = (next: SignInErrors) => {
    setErrors(next);
    const first = firstInvalidField(next);
    if (first) fields.current[first]?.focus();
  };

  // Once a message is shown, typing in its field clears it until the next submit.
  const clearError = (field: SignInField) => {
    if (errors[field]) setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = signInValues(new FormData(event.currentTarget));
    const invalid = validateSignIn(values);
    showErrors(invalid);
    if (firstInvalidField(invalid)) return;
    setFailure(null);
    setSubmitting(true);
    try {
      const session = await signIn(values.email, values.password);
      sessionStore.set(session);
      queryClient.clear();
      router.history.push(safeRedirect(redirect));
    } catch (error) {
      showErrors(serverFieldErrors(error));
      setFailure(error);
      setSubmitting(false);
    }
  };

  return (
    <Container size={420} py={64} component="main" id="main">
      <Stack gap="lg">
        <Stack gap={4} ta="center">
          <Text fw={800} size="xl" aria-hidden="true">
            Brandflow
          </Text>
          <Title order={1} size="h2">
            Sign in
          </Title>
        </Stack>
        <Paper withBorder shadow="sm" p="lg" radius="md">
          <form onSubmit={(event) => void onSubmit(event)} noValidate aria-label="Sign in">
            <Stack>
              {failure !== null && <ProblemAlert error={failure} title="Could not sign in" />}
              <TextInput
                name="email"
                label="Email"
                type="email"
                autoComplete="username"
                withAsterisk
                aria-required
                error={errors.email}
                ref={(input) => {
                  fields.current.email = input;
                }}
                onChange={() => clearError("email")}
              />
              <PasswordInput
                name="password"
                label="Password"
                autoComplete="current-password"
                withAsterisk
                aria-required
                error={errors.password}
                ref={(input) => {
                  fields.current.password = input;
                }}
                onChange={() => clearError("password")}
              />
              <Button type="submit" loading={submitting} fullWidth>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Container>
  );
}
