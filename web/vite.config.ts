import react from "@vitejs/plugin-react";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";

// The BFF serves the API on the same origin in production; in development Vite proxies it,
// so cookies and the CSRF header behave exactly as they will when deployed.
const backend = process.env.BRANDFLOW_API_URL ?? "http://127.0.0.1:8000";
const proxied = ["/api", "/healthz", "/readyz"];

// Form libraries: react-hook-form and full zod. (zod/mini validates search params at start-up and
// is part of the entry.)
const FORM_LIBRARY = /node_modules[\\/](react-hook-form|@hookform[\\/]resolvers|zod[\\/](index|v4[\\/](index|classic|locales)))/;
const APP_SOURCE = /[\\/]src[\\/].+\.tsx?$/;

/**
 * Which of our modules need the form libraries (directly or through other modules), from the
 * import graph Rolldown builds. Those stay out of the `shared` chunk, so screens without a form
 * never load react-hook-form and zod.
 */
function formDependencies(): { plugin: Plugin; needsForms: (id: string) => boolean } {
  const imports = new Map<string, readonly string[]>();
  const known = new Map<string, boolean>();
  const needsForms = (id: string): boolean => {
    if (FORM_LIBRARY.test(id)) return true;
    if (!APP_SOURCE.test(id)) return false;
    const cached = known.get(id);
    if (cached !== undefined) return cached;
    known.set(id, false); // an import cycle adds nothing
    const result = (imports.get(id) ?? []).some(needsForms);
    known.set(id, result);
    return result;
  };
  const plugin: Plugin = {
    name: "brandflow:form-dependencies",
    apply: "build",
    moduleParsed: (module) => {
      imports.set(module.id, module.importedIds);
    },
  };
  return { plugin, needsForms };
}

const forms = formDependencies();

export default defineConfig({
  plugins: [react(), forms.plugin],
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: backend, changeOrigin: false }])),
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Few, larger chunks: the BFF speaks HTTP/1.1 (six connections), so every extra request on
        // a slow network costs a round trip. Each screen stays its own chunk (src/app/router.tsx);
        // what screens share goes into a handful of named chunks. Vendor chunks keep their hash
        // across releases of our code.
        codeSplitting: {
          groups: [
            // Loaded up front (index.html): React and TanStack by name; the rest of the start-up
            // code (Mantine's provider, the route table, the session check) in the entry itself.
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 10 },
            { name: "tanstack", test: /node_modules[\\/]@tanstack[\\/]/, priority: 10 },
            { name: "app", tags: ["$initial"], priority: 5 },
            // Loaded with the first screen that shows a form.
            { name: "forms", test: FORM_LIBRARY, priority: 4 },
            // Libraries (Mantine components, floating-ui) and our code that two screens or more
            // use; our form modules are left to Rolldown, which splits them by the screens using them.
            { name: "ui", test: /node_modules[\\/]/, minShareCount: 2, priority: 3 },
            { name: "shared", test: (id) => APP_SOURCE.test(id) && !forms.needsForms(id), minShareCount: 2, priority: 2 },
          ],
        },
      },
    },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
  },
});
