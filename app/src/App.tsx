import { useState } from "react";
import { ConnectionProvider, WalletProvider, useConnection, useWallet } from "@solana/wallet-adapter-react";
import { WalletModalProvider, WalletMultiButton } from "@solana/wallet-adapter-react-ui";
import { loadConfig, saveConfig, wsUrl, type AppConfig } from "./config";
import { ClusterSelect } from "./ClusterSelect";
import { useBalances, useMarginAccount, useVault } from "./useVault";
import { Overview, Position, SeriesTable } from "./Dashboard";
import { DepositForm, PendingWithdrawalCard, WithdrawForm } from "./Forms";
import { TradeView } from "./Trade";
import { RiskView } from "./Risk";

const TABS = [
  { id: "vault", label: "Vault" },
  { id: "trade", label: "Trade" },
  { id: "risk", label: "Risk" },
] as const;
type Tab = (typeof TABS)[number]["id"];

function initialTab(): Tab {
  const hash = window.location.hash.slice(1);
  return TABS.some((t) => t.id === hash) ? (hash as Tab) : "vault";
}

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
  const { account, refresh: refreshAccount } = useMarginAccount(connection, publicKey, config.vault);
  const [tab, setTab] = useState<Tab>(initialTab);
  const choose = (t: Tab) => {
    setTab(t);
    window.history.replaceState(null, "", `${window.location.search}#${t}`);
  };
  const afterTx = () => {
    void refresh();
    void refreshBalances();
    void refreshAccount();
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
      <nav className="tabs" role="tablist" aria-label="Views">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls="view"
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      {view && (
        <main className="grid" id="view" role="tabpanel" aria-labelledby={`tab-${tab}`}>
          {tab === "vault" && (
            <>
              <Overview view={view} />
              <Position view={view} balances={balances} connected={!!publicKey} />
              <section className="card forms" aria-label="Deposit and withdraw">
                <DepositForm view={view} balances={balances} onDone={afterTx} connection={connection} />
                <WithdrawForm view={view} balances={balances} onDone={afterTx} connection={connection} />
                <PendingWithdrawalCard view={view} balances={balances} onDone={afterTx} connection={connection} />
              </section>
              <SeriesTable view={view} />
            </>
          )}
          {tab === "trade" && <TradeView view={view} account={account} balances={balances} connection={connection} onDone={afterTx} />}
          {tab === "risk" && <RiskView view={view} connection={connection} />}
        </main>
      )}
    </div>
  );
}
