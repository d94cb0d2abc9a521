// The cluster and vault settings: RPC endpoint, vault address and oracle accounts, kept in the
// URL and local storage (`config.ts`).
import { useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { CLUSTERS, type AppConfig } from "./config";

export function ClusterSelect({ config, onConfig }: { config: AppConfig; onConfig: (c: AppConfig) => void }) {
  const [open, setOpen] = useState(false);
  const [rpc, setRpc] = useState(config.rpcUrl);
  const [vault, setVault] = useState(config.vault?.toBase58() ?? "");
  const [oracles, setOracles] = useState(config.oracles.map((o) => o.toBase58()).join(","));
  const known = CLUSTERS.find((c) => c.url === config.rpcUrl)?.name ?? "Custom";
  const save = () => {
    try {
      onConfig({
        rpcUrl: new URL(rpc).toString().replace(/\/$/, ""),
        vault: vault ? new PublicKey(vault) : null,
        oracles: oracles ? oracles.split(",").map((o) => new PublicKey(o.trim())) : [],
      });
      setOpen(false);
    } catch (e) {
      alert(`Invalid setting: ${(e as Error).message}`);
    }
  };
  return (
    <div className="cluster">
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open} aria-controls="cluster-settings">
        {known}: {config.rpcUrl}
      </button>
      {open && (
        <form
          id="cluster-settings"
          className="card settings"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label htmlFor="cluster">Cluster</label>
          <select
            id="cluster"
            value={CLUSTERS.some((c) => c.url === rpc) ? rpc : ""}
            onChange={(e) => e.target.value && setRpc(e.target.value)}
          >
            {CLUSTERS.map((c) => (
              <option key={c.url} value={c.url}>
                {c.name}
              </option>
            ))}
            <option value="">Custom</option>
          </select>
          <label htmlFor="rpc-url">RPC URL</label>
          <input id="rpc-url" value={rpc} onChange={(e) => setRpc(e.target.value)} />
          <label htmlFor="vault-address">Vault address</label>
          <input id="vault-address" value={vault} onChange={(e) => setVault(e.target.value)} />
          <label htmlFor="oracle-accounts">Oracle accounts (per market, comma-separated)</label>
          <input id="oracle-accounts" value={oracles} onChange={(e) => setOracles(e.target.value)} />
          <button type="submit">Save</button>
        </form>
      )}
    </div>
  );
}
