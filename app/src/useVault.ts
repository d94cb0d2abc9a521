// The vault as the app shows it: loaded through the IDL client, re-read whenever the vault, a
// market or a series book changes (websocket account subscriptions), and every 15 s otherwise.
import { useCallback, useEffect, useState } from "react";
import { Connection, PublicKey } from "@solana/web3.js";
import { getAssociatedTokenAddressSync } from "@solana/spl-token";
import { marginAccountAddress, withdrawalRequestAddress, type MarginAccountState } from "./chain/program";
import { loadMarginAccount } from "./chain/trader";
import { loadPendingWithdrawal, loadVault, type PendingWithdrawal, type VaultView } from "./chain/vault";

export type WalletBalances = { collateral: bigint; shares: bigint; sol: number; pending: PendingWithdrawal | null };

/**
 * Runs `load` now, every `intervalMs`, and whenever one of `watched` changes on chain; `apply`
 * receives each result unless the effect was torn down meanwhile. Returns a manual refresh.
 */
export function useChainData<T>(
  connection: Connection,
  load: (() => Promise<T>) | null,
  apply: (result: T) => void,
  fail: (error: unknown) => void,
  watched: PublicKey[],
  intervalMs: number,
) {
  const [tick, setTick] = useState(0);
  const watchedKey = watched.map((k) => k.toBase58()).join(",");
  useEffect(() => {
    if (!load) return;
    let live = true;
    const run = () =>
      load().then(
        (result) => live && apply(result),
        (error) => live && fail(error),
      );
    run();
    const timer = window.setInterval(run, intervalMs);
    const ids = watchedKey ? watchedKey.split(",").map((k) => connection.onAccountChange(new PublicKey(k), run, "confirmed")) : [];
    return () => {
      live = false;
      window.clearInterval(timer);
      ids.forEach((id) => void connection.removeAccountChangeListener(id));
    };
  }, [connection, load, apply, fail, watchedKey, intervalMs, tick]);
  return useCallback(() => setTick((t) => t + 1), []);
}

export function useVault(connection: Connection, vault: PublicKey | null, oracles: PublicKey[]) {
  const [view, setView] = useState<VaultView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const vaultKey = vault?.toBase58() ?? null;
  const oraclesKey = oracles.map((o) => o.toBase58()).join(",");
  const load = useCallback(
    () => loadVault(connection, new PublicKey(vaultKey as string), oraclesKey ? oraclesKey.split(",").map((o) => new PublicKey(o)) : []),
    [connection, vaultKey, oraclesKey],
  );
  const apply = useCallback((v: VaultView) => {
    setView(v);
    setError(null);
  }, []);
  const fail = useCallback((e: unknown) => setError(`Cannot read the vault ${vaultKey}: ${(e as Error).message}`), [vaultKey]);
  const watched = vault ? [vault, ...(view?.markets.flatMap((m) => [m.address, m.state.book]) ?? [])] : [];
  const refresh = useChainData(connection, vaultKey ? load : null, apply, fail, watched, 15_000);
  return { view, error, refresh };
}

export function useBalances(connection: Connection, owner: PublicKey | null, view: VaultView | null) {
  const [balances, setBalances] = useState<WalletBalances | null>(null);
  const collateralMint = view?.state.collateralMint.toBase58();
  const shareMint = view?.state.shareMint.toBase58();
  const vault = view?.address.toBase58();
  const ownerKey = owner?.toBase58();
  const load = useCallback(async (): Promise<WalletBalances> => {
    const wallet = new PublicKey(ownerKey as string);
    const amount = async (mint: string) => {
      const ata = getAssociatedTokenAddressSync(new PublicKey(mint), wallet);
      try {
        return BigInt((await connection.getTokenAccountBalance(ata, "confirmed")).value.amount);
      } catch {
        return 0n; // no token account yet
      }
    };
    const [collateral, shares, lamports, pending] = await Promise.all([
      amount(collateralMint as string),
      amount(shareMint as string),
      connection.getBalance(wallet, "confirmed"),
      vault ? loadPendingWithdrawal(connection, new PublicKey(vault), wallet) : Promise.resolve(null),
    ]);
    return { collateral, shares, sol: lamports / 1e9, pending };
  }, [connection, ownerKey, collateralMint, shareMint, vault]);
  const ready = !!ownerKey && !!collateralMint && !!shareMint;
  const fail = useCallback(() => setBalances(null), []);
  const watched =
    ready && owner
      ? [
          ...[collateralMint, shareMint].map((mint) => getAssociatedTokenAddressSync(new PublicKey(mint as string), owner)),
          ...(vault ? [withdrawalRequestAddress(new PublicKey(vault), owner)] : []),
        ]
      : [];
  const refresh = useChainData(connection, ready ? load : null, setBalances, fail, watched, 15_000);
  return { balances: ready ? balances : null, refresh };
}

/** The connected wallet's margin account in the vault (null until opened), re-read on change. */
export function useMarginAccount(connection: Connection, owner: PublicKey | null, vault: PublicKey | null) {
  const [account, setAccount] = useState<MarginAccountState | null | undefined>(undefined);
  const ownerKey = owner?.toBase58();
  const vaultKey = vault?.toBase58();
  const load = useCallback(
    () => loadMarginAccount(connection, new PublicKey(vaultKey as string), new PublicKey(ownerKey as string)),
    [connection, ownerKey, vaultKey],
  );
  const fail = useCallback(() => setAccount(null), []);
  const ready = !!ownerKey && !!vaultKey;
  const watched = ready ? [marginAccountAddress(new PublicKey(vaultKey as string), new PublicKey(ownerKey as string))] : [];
  const refresh = useChainData(connection, ready ? load : null, setAccount, fail, watched, 15_000);
  return { account: ready ? account : undefined, refresh };
}
