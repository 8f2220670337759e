import { Button, type ButtonProps, Group, Modal, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { type ReactNode, useState } from "react";

import { ProblemAlert } from "./ProblemAlert";

export interface ConfirmButtonProps {
  /** The button's visible text, e.g. "Remove". */
  children: ReactNode;
  /** The button's accessible name when its text needs the row's context, e.g. "Remove Olivia Owner". */
  "aria-label"?: string;
  /** The dialog's title (and accessible name), a question. */
  title: string;
  /** What will happen, in a sentence or two. */
  description: ReactNode;
  /** The confirming button's text, e.g. "Remove member". */
  confirmLabel: string;
  /** Heading of the error shown in the dialog when `onConfirm` fails. */
  errorTitle: string;
  /** Does the work; the dialog closes when it resolves and shows the problem when it rejects. */
  onConfirm: () => Promise<unknown>;
  disabled?: boolean;
  size?: ButtonProps["size"];
}

/**
 * A destructive action behind a confirmation dialog. Focus starts on "Cancel", so pressing
 * Enter by habit does no harm; the API's `detail` is shown in the dialog if the action fails.
 */
export function ConfirmButton({
  children,
  "aria-label": ariaLabel,
  title,
  description,
  confirmLabel,
  errorTitle,
  onConfirm,
  disabled = false,
  size = "xs",
}: ConfirmButtonProps) {
  const [opened, { open, close }] = useDisclosure(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const dismiss = () => {
    if (busy) return;
    setError(null);
    close();
  };
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      close();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="default" color="red" size={size} onClick={open} disabled={disabled} aria-label={ariaLabel}>
        {children}
      </Button>
      <Modal opened={opened} onClose={dismiss} title={title}>
        <Stack>
          <Text size="sm">{description}</Text>
          {error !== null && <ProblemAlert error={error} title={errorTitle} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={dismiss} disabled={busy} data-autofocus>
              Cancel
            </Button>
            <Button color="red" onClick={() => void confirm()} loading={busy}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
