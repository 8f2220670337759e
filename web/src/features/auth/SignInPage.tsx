import { zodResolver } from "@hookform/resolvers/zod";
import { Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import { useQueryClient } from "@tanstack/react-query";
import { getRouteApi, useRouter } from "@tanstack/react-router";
import { useState } from "react";
import { useForm } from "react-hook-form";
import * as z from "zod";

import { applyFieldErrors } from "../../api/form-errors";
import { ProblemAlert } from "../../components/ProblemAlert";
import { safeRedirect } from "../../auth/session";
import { signIn } from "../../auth/session-api";
import { sessionStore } from "../../auth/session-store";

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").pipe(z.email("Enter a valid email address.")),
  password: z.string().min(1, "Enter your password."),
});

type SignInValues = z.infer<typeof signInSchema>;

const route = getRouteApi("/sign-in");

export function SignInPage() {
  useDocumentTitle("Sign in · Brandflow");
  const { redirect } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<SignInValues>({ resolver: zodResolver(signInSchema), defaultValues: { email: "", password: "" } });

  const onSubmit = async ({ email, password }: SignInValues) => {
    setFailure(null);
    try {
      const session = await signIn(email, password);
      sessionStore.set(session);
      queryClient.clear();
      router.history.push(safeRedirect(redirect));
    } catch (error) {
      applyFieldErrors(error, setError, { fields: ["email", "password"] });
      setFailure(error);
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
          <form onSubmit={(event) => void handleSubmit(onSubmit)(event)} noValidate aria-label="Sign in">
            <Stack>
              {failure !== null && <ProblemAlert error={failure} title="Could not sign in" />}
              <TextInput
                label="Email"
                type="email"
                autoComplete="username"
                withAsterisk
                aria-required
                error={errors.email?.message}
                {...register("email")}
              />
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                withAsterisk
                aria-required
                error={errors.password?.message}
                {...register("password")}
              />
              <Button type="submit" loading={isSubmitting} fullWidth>
                Sign in
              </Button>
            </Stack>
          </form>
        </Paper>
      </Stack>
    </Container>
  );
}
