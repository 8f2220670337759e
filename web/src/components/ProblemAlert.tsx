import { Alert, Button, List, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";

import { type FieldMessage, isApiError, problemMessage } from "../api/problem";

export interface ProblemAlertProps {
  /** Any error; an `ApiError` shows the problem's `title` and `detail`. */
  error: unknown;
  /** Overrides the heading (defaults to the problem's `title`). */
  title?: string;
  /** Overrides the sentence (defaults to the problem's `detail`). */
  message?: string;
  /** Shows a retry button. */
  onRetry?: () => void;
  retryLabel?: string;
  /** Field errors that no form field could show, listed under the detail. */
  unplaced?: readonly FieldMessage[];
  children?: ReactNode;
}

/** An error as a person should read it: what failed, the API's `detail`, and what to do next. */
export function ProblemAlert({ error, title, message, onRetry, retryLabel = "Try again", unplaced, children }: ProblemAlertProps) {
  const heading = title ?? (isApiError(error) ? error.title : "Something went wrong");
  return (
    <Alert color="red" variant="light" title={heading} role="alert">
      <Stack gap="xs">
        <Text size="sm">{message ?? problemMessage(error)}</Text>
        {unplaced && unplaced.length > 0 && (
          <List size="sm">
            {unplaced.map((item) => (
              <List.Item key={`${item.path}:${item.message}`}>
                {item.path}: {item.message}
              </List.Item>
            ))}
          </List>
        )}
        {children}
        {onRetry && (
          <div>
            <Button size="xs" variant="white" color="red" onClick={onRetry}>
              {retryLabel}
            </Button>
          </div>
        )}
      </Stack>
    </Alert>
  );
}
