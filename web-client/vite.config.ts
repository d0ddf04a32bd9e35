/**
 * @module vite.config
 * Builds the Hosting page into `dist/`, which firebase.json serves. No dev-server proxy: the page is
 * meant to run behind the Hosting emulator, where `/api/**` already reaches the function.
 */
import { defineConfig } from "vite";

export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
});
