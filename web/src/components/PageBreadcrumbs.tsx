import { Breadcrumbs, Text } from "@mantine/core";
import type { ReactNode } from "react";

export interface PageBreadcrumbsProps {
  /** Links to the screens above this one, outermost first (e.g. `<AnchorLink>`s). */
  trail: ReactNode[];
  /** This screen's name. */
  current: string;
}

/** For `PageHeader`'s `breadcrumbs`. */
export function PageBreadcrumbs({ trail, current }: PageBreadcrumbsProps) {
  return (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs>
        {trail}
        <Text size="sm" c="dimmed" aria-current="page">
          {current}
        </Text>
      </Breadcrumbs>
    </nav>
  );
}
