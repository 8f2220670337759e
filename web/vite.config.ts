import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The BFF serves the API on the same origin in production; in development Vite proxies it,
// so cookies and the CSRF header behave exactly as they will when deployed.
const backend = process.env.BRANDFLOW_API_URL ?? "http://127.0.0.1:8000";
const proxied = ["/api", "/healthz", "/readyz"];

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: backend, changeOrigin: false }])),
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries every screen needs get stable, named chunks that stay cached across releases;
        // everything else splits by route (each screen is a lazy import in src/app/router.tsx).
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "tanstack", test: /node_modules[\\/]@tanstack[\\/]/ },
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
