import { Group, Stack, Text, Title } from "@mantine/core";
import { useDocumentTitle } from "@mantine/hooks";
import type { ReactNode } from "react";

export const APP_NAME = "Brandflow";

export interface PageHeaderProps {
  /** The page's one `<h1>`. */
  title: ReactNode;
  /** The browser tab's title when `title` is not plain text; " · Brandflow" is appended. */
  documentTitle?: string;
  description?: ReactNode;
  /** Buttons for the page's main actions, shown at the right. */
  actions?: ReactNode;
  /** Shown above the title, e.g. a `<Breadcrumbs>` inside a `<nav aria-label="Breadcrumb">`. */
  breadcrumbs?: ReactNode;
  /** Badges or other facts shown next to the title. */
  meta?: ReactNode;
}

/** A screen's heading, actions and document title. Every screen starts with one. */
export function PageHeader({ title, documentTitle, description, actions, breadcrumbs, meta }: PageHeaderProps) {
  const text = documentTitle ?? (typeof title === "string" ? title : undefined);
  useDocumentTitle(text ? `${text} · ${APP_NAME}` : APP_NAME);
  return (
    <Stack gap="xs" mb="lg">
      {breadcrumbs}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Group gap="sm" align="center">
            <Title order={1} size="h2">
              {title}
            </Title>
            {meta}
          </Group>
          {description && (
            <Text c="dimmed" size="sm">
              {description}
            </Text>
          )}
        </Stack>
        {actions && <Group gap="sm">{actions}</Group>}
      </Group>
    </Stack>
  );
}
