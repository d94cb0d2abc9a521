import { useState } from "react";
import { ConnectionProvider, WalletProvider, useConnection, useWallet } from "@solana/wallet-adapter-react";
import { WalletModalProvider, WalletMultiButton } from "@solana/wallet-adapter-react-ui";
import { loadConfig, saveConfig, wsUrl, type AppConfig } from "./config";
import { ClusterSelect } from "./ClusterSelect";
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
