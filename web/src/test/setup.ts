// Vitest set-up for component tests in jsdom.
import "@testing-library/jest-dom/vitest";

import { notifications } from "@mantine/notifications";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

import { sessionStore } from "../auth/session-store";

// The default 1 s for `findBy*`/`waitFor` is too tight for whole-app renders on a busy CI
// machine (lazy routes load on first use); 5 s only lengthens a failing test.
configure({ asyncUtilTimeout: 5_000 });

/** Adds a browser API jsdom lacks (Mantine reads these), leaving a real one alone. */
function polyfill(target: object, key: string, value: unknown): void {
  if (typeof Reflect.get(target, key) !== "function") {
    Object.defineProperty(target, key, { value, writable: true, configurable: true });
  }
}

if (typeof window !== "undefined") {
  polyfill(window, "matchMedia", (query: string): MediaQueryList => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  }));
  polyfill(
    window,
    "ResizeObserver",
    class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    },
  );
  polyfill(Element.prototype, "scrollIntoView", () => undefined);
  // jsdom defines scrollTo but only to log "not implemented"; the router's scroll restoration calls it.
  Object.defineProperty(window, "scrollTo", { value: () => undefined, writable: true, configurable: true });
}

afterEach(() => {
  cleanup();
  // Mantine keeps notifications in a module-level store; one test's toast must not leak into the next.
  notifications.clean();
  sessionStore.set(null);
});
