import { useState } from "react";
import { PublicKey } from "@solana/web3.js";
import { ConnectionProvider, WalletProvider, useConnection, useWallet } from "@solana/wallet-adapter-react";
import { WalletModalProvider, WalletMultiButton } from "@solana/wallet-adapter-react-ui";
import { CLUSTERS, loadConfig, saveConfig, wsUrl, type AppConfig } from "./config";
import { useBalances, useVault } from "./useVault";
import { Overview, Position, SeriesTable } from "./Dashboard";
import { DepositForm, PendingWithdrawalCard, WithdrawForm } from "./Forms";

export function App() {
  const [config, setConfig] = useState<AppConfig>(loadConfig);
  const apply = (c: AppConfig) => {
    saveConfig(c);
    setConfig(c);
  };
  return (
    <ConnectionProvider endpoint={config.rpcUrl} config={{ commitment: "confirmed", wsEndpoint: wsUrl(config.rpcUrl) }}>
      {/* No wallet list: Wallet Standard wallets (Phantom, Solflare, Backpack, …) are discovered. */}
      <WalletProvider wallets={[]} autoConnect>
        <WalletModalProvider>
          <Shell config={config} onConfig={apply} />
        </WalletModalProvider>
      </WalletProvider>
    </ConnectionProvider>
  );
}

function Shell({ config, onConfig }: { config: AppConfig; onConfig: (c: AppConfig) => void }) {
  const { connection } = useConnection();
  const { publicKey } = useWallet();
  const { view, error, refresh } = useVault(connection, config.vault, config.oracles);
  const { balances, refresh: refreshBalances } = useBalances(connection, publicKey, view);
  const afterTx = () => {
    void refresh();
    void refreshBalances();
  };
  return (
    <div className="page">
      <header className="top">
        <h1>Exposure Vault</h1>
        <ClusterSelect config={config} onConfig={onConfig} />
        <WalletMultiButton />
      </header>
      {!config.vault && <p role="alert">Set the vault address (Cluster settings) to begin.</p>}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {view && (
        <main className="grid">
          <Overview view={view} />
          <Position view={view} balances={balances} connected={!!publicKey} />
          <section className="card forms" aria-label="Deposit and withdraw">
            <DepositForm view={view} balances={balances} onDone={afterTx} connection={connection} />
            <WithdrawForm view={view} balances={balances} onDone={afterTx} connection={connection} />
            <PendingWithdrawalCard view={view} balances={balances} onDone={afterTx} connection={connection} />
          </section>
          <SeriesTable view={view} />
        </main>
      )}
    </div>
  );
}

function ClusterSelect({ config, onConfig }: { config: AppConfig; onConfig: (c: AppConfig) => void }) {
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
          <select id="cluster" value={CLUSTERS.some((c) => c.url === rpc) ? rpc : ""} onChange={(e) => e.target.value && setRpc(e.target.value)}>
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

