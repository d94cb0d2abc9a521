// Cluster and vault selection: URL parameters first (`?rpc=…&vault=…&oracles=a,b`), then what
// was chosen last time (localStorage), then the build's defaults (VITE_RPC_URL, VITE_VAULT,
// VITE_ORACLES). Localnet is the default cluster.
import { PublicKey } from "@solana/web3.js";

export const CLUSTERS = [
  { name: "Localnet", url: "http://127.0.0.1:8899" },
  { name: "Devnet", url: "https://api.devnet.solana.com" },
] as const;

export type AppConfig = { rpcUrl: string; vault: PublicKey | null; oracles: PublicKey[] };

function parseKey(text: string | null | undefined): PublicKey | null {
  try {
    return text ? new PublicKey(text.trim()) : null;
  } catch {
    return null;
  }
}

export function loadConfig(): AppConfig {
  const q = new URLSearchParams(window.location.search);
  const stored = (k: string) => window.localStorage.getItem(`exposure-vault.${k}`);
  const pick = (k: string, env: string | undefined) => q.get(k) ?? stored(k) ?? env ?? null;
  const env = import.meta.env;
  const rpcUrl = pick("rpc", env.VITE_RPC_URL) ?? CLUSTERS[0].url;
  const oracles = (pick("oracles", env.VITE_ORACLES) ?? "")
    .split(",")
    .map(parseKey)
    .filter((k): k is PublicKey => k !== null);
  return { rpcUrl, vault: parseKey(pick("vault", env.VITE_VAULT)), oracles };
}

export function saveConfig(c: AppConfig): void {
  window.localStorage.setItem("exposure-vault.rpc", c.rpcUrl);
  if (c.vault) window.localStorage.setItem("exposure-vault.vault", c.vault.toBase58());
  window.localStorage.setItem("exposure-vault.oracles", c.oracles.map((o) => o.toBase58()).join(","));
}

export function wsUrl(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (url.port) url.port = String(Number(url.port) + 1);
  return url.toString();
}
