import { createTheme } from "@mantine/core";

// System fonts only: the app loads nothing from outside its own origin.
export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: { light: 9, dark: 5 }, // 4.5:1 on white and on the light variant backgrounds
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  headings: { fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif" },
  // Focus rings for keyboard users (`:focus-visible`), not for mouse clicks.
  focusRing: "auto",
  // People who ask their system for less motion get no transitions (and the browser tests,
  // which ask for it, measure settled colours instead of fading ones).
  respectReducedMotion: true,
  defaultRadius: "md",
  // Icon-only close buttons get a name (axe: button-name). Plain objects, so the theme does not
  // pull the Modal and Drawer code into the entry chunk.
  components: {
    Modal: { defaultProps: { closeButtonProps: { "aria-label": "Close dialog" } } },
    Drawer: { defaultProps: { closeButtonProps: { "aria-label": "Close panel" } } },
    Notification: { defaultProps: { closeButtonProps: { "aria-label": "Dismiss notification" } } },
    Select: { defaultProps: { clearButtonProps: { "aria-label": "Clear" } } },
    MultiSelect: { defaultProps: { clearButtonProps: { "aria-label": "Clear" } } },
  },
});
