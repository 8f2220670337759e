import { StrictMode, startTransition } from "react";
import { createRoot } from "react-dom/client";

import { App, createApp } from "./app/App";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

const app = createApp();

// Mount once the first screen's code has loaded, so React replaces index.html's loading screen
// with that screen rather than with an empty page. As a transition, the first render yields to the
// browser every few milliseconds instead of holding the main thread for the whole screen.
function mount(element: HTMLElement): void {
  startTransition(() => {
    createRoot(element).render(
      <StrictMode>
        <App app={app} />
      </StrictMode>,
    );
  });
}

// A failed load still mounts: the router renders its error screen.
void app.router
  .load()
  .catch((error: unknown) => console.error(error))
  .finally(() => mount(root));
