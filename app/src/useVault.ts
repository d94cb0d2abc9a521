// The vault as the app shows it: loaded through the IDL client, re-read whenever the vault, a
// market or a series book changes (websocket account subscriptions), and every 15 s otherwise.
import { useCallback, useEffect, useRef, useState } from "react";
import { Connection, PublicKey } from "@solana/web3.js";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { loadPendingWithdrawal, loadVault, withdrawalRequestAddress, type PendingWithdrawal, type VaultView } from "./program";

export type WalletBalances = { collateral: bigint; shares: bigint; sol: number; pending: PendingWithdrawal | null };

export function useVault(connection: Connection, vault: PublicKey | null, oracles: PublicKey[]) {
  const [view, setView] = useState<VaultView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const oraclesKey = oracles.map((o) => o.toBase58()).join(",");
  const refresh = useCallback(async () => {
    if (!vault) return;
    try {
      setView(await loadVault(connection, vault, oracles));
      setError(null);
    } catch (e) {
      setError(`Cannot read the vault ${vault.toBase58()}: ${(e as Error).message}`);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [connection, vault?.toBase58(), oraclesKey]);
  const watched = useRef<number[]>([]);
  useEffect(() => {
    void refresh();
    const timer = window.setInterval(() => void refresh(), 15_000);
    return () => window.clearInterval(timer);
  }, [refresh]);
  const marketKeys = view?.markets.flatMap((m) => [m.address, m.state.book]).map((k) => k.toBase58()).join(",") ?? "";
  useEffect(() => {
    if (!vault) return;
    const keys = [vault, ...(marketKeys ? marketKeys.split(",").map((k) => new PublicKey(k)) : [])];
    watched.current = keys.map((k) => connection.onAccountChange(k, () => void refresh(), "confirmed"));
    return () => {
      watched.current.forEach((id) => void connection.removeAccountChangeListener(id));
      watched.current = [];
    };
  }, [connection, vault, marketKeys, refresh]);
  return { view, error, refresh };
}

export function useBalances(connection: Connection, owner: PublicKey | null, view: VaultView | null) {
  const [balances, setBalances] = useState<WalletBalances | null>(null);
  const collateralMint = view?.state.collateralMint.toBase58();
  const shareMint = view?.state.shareMint.toBase58();
  const vault = view?.address.toBase58();
  const refresh = useCallback(async () => {
    if (!owner || !collateralMint || !shareMint) {
      setBalances(null);
      return;
    }
    const amount = async (mint: string) => {
      const ata = getAssociatedTokenAddressSync(new PublicKey(mint), owner);
      try {
        return BigInt((await connection.getTokenAccountBalance(ata, "confirmed")).value.amount);
      } catch {
        return 0n; // no token account yet
      }
    };
    const [collateral, shares, lamports, pending] = await Promise.all([
      amount(collateralMint),
      amount(shareMint),
      connection.getBalance(owner, "confirmed"),
      vault ? loadPendingWithdrawal(connection, new PublicKey(vault), owner) : Promise.resolve(null),
    ]);
    setBalances({ collateral, shares, sol: lamports / 1e9, pending });
  }, [connection, owner, collateralMint, shareMint, vault]);
  useEffect(() => {
    void refresh();
    if (!owner || !collateralMint || !shareMint) return;
    const watched = [collateralMint, shareMint].map((mint) => getAssociatedTokenAddressSync(new PublicKey(mint), owner));
    if (vault) watched.push(withdrawalRequestAddress(new PublicKey(vault), owner));
    const ids = watched.map((key) => connection.onAccountChange(key, () => void refresh(), "confirmed"));
    return () => ids.forEach((id) => void connection.removeAccountChangeListener(id));
  }, [connection, owner, collateralMint, shareMint, vault, refresh]);
  return { balances, refresh };
}
