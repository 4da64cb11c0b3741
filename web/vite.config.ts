/**
 * Vite build of the dashboard: web/ → web/dist (index.html + content-hashed assets),
 * served by the control plane (src/service/routes/web.ts). Preact's automatic JSX
 * runtime; no CDN, no web fonts, so it works offline.
 */
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    target: "es2022",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
  server: { proxy: { "/v1": "http://127.0.0.1:8080" } },
});
