import "./polyfills";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@solana/wallet-adapter-react-ui/styles.css";
import "./app.css";
import { App } from "./App";
import { registerTestWallet } from "./testWallet";

registerTestWallet();
createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
