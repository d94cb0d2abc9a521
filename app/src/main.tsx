import "./polyfills";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@solana/wallet-adapter-react-ui/styles.css";
import "./app.css";
import { App } from "./App";

// Only the end-to-end build (`vite build --mode e2e`) carries the test wallet: in any other
// build the condition is a constant false and the bundler drops the import.
// Wallet Standard wallets may register at any time, so the app needs not wait for it.
if (import.meta.env.MODE === "e2e") {
  void import("./testWallet").then(({ registerTestWallet }) => registerTestWallet());
}
createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
