import { Alert, Button, Group, Stack, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { useClipboard } from "@mantine/hooks";
import type { ReactNode } from "react";

export interface ShownOnceSecretProps {
  /** The read-only field's label, e.g. "API key secret". */
  label: string;
  value: string;
  /** The Copy button's accessible name, e.g. "Copy secret"; keep the field's label out of it, so the label finds only the field. */
  copyLabel: string;
  /** Focus the field when shown, e.g. when it replaces the form that was just submitted. */
  autoFocus?: boolean;
  /** Why it matters and how to use it, shown under the warning. */
  children?: ReactNode;
}

/**
 * A secret the API returns exactly once (an API key, an invitation token): a read-only field
 * with a Copy button and a warning that it cannot be shown again. The secret lives only in the
 * React state of the dialog showing it; closing the dialog drops it.
 */
export function ShownOnceSecret({ label, value, copyLabel, autoFocus = false, children }: ShownOnceSecretProps) {
  const clipboard = useClipboard({ timeout: 4000 });
  return (
    <Stack gap="sm">
      {/* The yellow title colour fails 4.5:1 on the yellow background; the text colour does not. */}
      <Alert
        color="yellow"
        variant="light"
        title="Copy it now: it is shown only once"
        styles={{ title: { color: "var(--mantine-color-text)" } }}
      >
        <Stack gap={4}>
          <Text size="sm">Brandflow keeps no readable copy. Once you close this dialog it cannot be shown again.</Text>
          {children}
        </Stack>
      </Alert>
      <Group align="flex-end" gap="xs" wrap="nowrap">
        <TextInput
          label={label}
          value={value}
          readOnly
          autoFocus={autoFocus}
          spellCheck={false}
          autoComplete="off"
          // Selected on focus, so copying by keyboard works where the clipboard API does not.
          onFocus={(event) => event.currentTarget.select()}
          styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
          style={{ flex: 1 }}
        />
        <Button variant="light" onClick={() => clipboard.copy(value)} aria-label={copyLabel}>
          {clipboard.copied ? "Copied" : "Copy"}
        </Button>
      </Group>
      <div role="status" aria-live="polite">
        {clipboard.copied && <VisuallyHidden>Copied to the clipboard.</VisuallyHidden>}
        {clipboard.error && (
          <Text size="sm" c="red.8">
            Your browser did not allow copying. Select the field and copy it yourself.
          </Text>
        )}
      </div>
    </Stack>
  );
}
