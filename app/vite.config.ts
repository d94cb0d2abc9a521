import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Solana libraries expect Node's `Buffer` and `global`; `src/polyfills.ts` installs Buffer.
export default defineConfig({
  plugins: [react()],
  define: { global: "globalThis" },
  server: { fs: { allow: [".."] } },
  test: { include: ["src/**/*.test.ts"] },
} as Parameters<typeof defineConfig>[0]);
