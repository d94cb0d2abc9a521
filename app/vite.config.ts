import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Solana libraries expect Node's `Buffer` and `global`; `src/polyfills.ts` installs Buffer.
export default defineConfig({
  plugins: [react()],
  define: { global: "globalThis" },
  server: { fs: { allow: [".."] } },
  // Vendor code in its own chunks, so an app change does not re-download the Solana stack and
  // no chunk carries everything.
  build: {
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: "react", priority: 5, test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            {
              name: "wallet-adapter",
              priority: 10,
              test: /node_modules[\\/](@solana[\\/]wallet-adapter|@wallet-standard|@solana[\\/]wallet-standard)/,
            },
            { name: "anchor", priority: 15, test: /node_modules[\\/](@anchor-lang|@coral-xyz|borsh|bn\.js|buffer-layout|superstruct)/ },
            { name: "solana", priority: 20, test: /node_modules[\\/](@solana|@noble|rpc-websockets|bs58|base-x|jayson)/ },
          ],
        },
      },
    },
  },
  test: { include: ["src/**/*.test.ts"] },
} as Parameters<typeof defineConfig>[0]);
