import type { ScrollAreaProps } from "@mantine/core";

/**
 * For `Table.ScrollContainer`: a table wider than the screen scrolls sideways, so its viewport
 * takes keyboard focus (arrow keys scroll it) and is named after the table.
 */
export const scrollRegion = (label: string): ScrollAreaProps => ({
  viewportProps: { tabIndex: 0, role: "region", "aria-label": label },
});
