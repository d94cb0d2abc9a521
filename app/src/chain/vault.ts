// The vault as read from chain: its accounts, the numbers the forms check, a wallet's pending
// withdrawal, and the chain's clock.
import { BN } from "@anchor-lang/core";
import { Connection, PublicKey } from "@solana/web3.js";
import {
  marketAddress,
  program,
  withdrawalRequestAddress,
  type MarketAccount,
  type SeriesBookAccount,
  type SurfaceAccount,
  type VaultAccount,
} from "./program";
import { parsePriceUpdate, toPricePrecision } from "./pyth";

export type MarketView = {
  index: number;
  address: PublicKey;
  state: MarketAccount;
  book: SeriesBookAccount;
  surface: SurfaceAccount;
  /** The pull-oracle account the app passes for `refresh_marks` (from the configuration). */
  oracle: PublicKey | null;
  /** That account's price when read, in PRICE_PRECISION; null if absent or unreadable. */
  oraclePrice: { price: bigint; conf: bigint; publishTime: number } | null;
};

export type VaultView = {
  address: PublicKey;
  state: VaultAccount;
  markets: MarketView[];
  /** Chain time, from the Clock sysvar's slot time. */
  now: number;
  /** Local time (ms) when `now` was read: chain time later is `now` plus the local time since. */
  readAtMs: number;
};

export async function loadVault(connection: Connection, vault: PublicKey, oracles: PublicKey[]): Promise<VaultView> {
  const p = program(connection);
  const state = await p.account.vault.fetch(vault);
  const markets = await Promise.all(
    Array.from({ length: state.marketCount }, async (_, index) => {
      const address = marketAddress(vault, index);
      const market = await p.account.market.fetch(address);
      const [book, surface] = await Promise.all([p.account.seriesBook.fetch(market.book), p.account.volSurface.fetch(market.surface)]);
      const oracle = oracles[index] ?? null;
      const info = oracle ? await connection.getAccountInfo(oracle, "confirmed") : null;
      const reading = info ? parsePriceUpdate(info.data) : null;
      const oraclePrice = reading ? { ...toPricePrecision(reading), publishTime: reading.publishTime } : null;
      return { index, address, state: market, book, surface, oracle, oraclePrice };
    }),
  );
  const slot = await connection.getSlot("confirmed");
  const now = (await connection.getBlockTime(slot)) ?? Math.floor(Date.now() / 1000);
  return { address: vault, state, markets, now, readAtMs: Date.now() };
}

const big = (v: BN | number): bigint => BigInt(v.toString());

/** The vault's numbers the forms validate against (`shares.ts`). */
export function vaultNumbers(v: VaultView) {
  const s = v.state;
  return {
    lpAssets: big(s.lpAssets),
    optionsValue: big(s.optionsValue),
    lockedLiability: big(s.lockedLiability),
    lpNavBand: big(s.lpNavBand),
    unpaidClaims: big(s.unpaidClaims),
    totalShares: big(s.totalShares),
    depositCap: big(s.params.depositCap),
    minDeposit: big(s.params.minDeposit),
    withdrawalDelaySecs: s.params.withdrawalDelaySecs,
    pauseFlags: s.pauseFlags,
  };
}

/** The chain's time now, as estimated from the last read of the vault. */
export function chainNow(v: VaultView, nowMs = Date.now()): number {
  return v.now + Math.floor((nowMs - v.readAtMs) / 1000);
}

export type PendingWithdrawal = { shares: bigint; valueAtRequest: bigint; dueTs: number };

export async function loadPendingWithdrawal(connection: Connection, vault: PublicKey, owner: PublicKey): Promise<PendingWithdrawal | null> {
  const r = await program(connection).account.withdrawalRequest.fetchNullable(withdrawalRequestAddress(vault, owner), "confirmed");
  if (!r || big(r.shares) === 0n) return null;
  return { shares: big(r.shares), valueAtRequest: big(r.valueAtRequest), dueTs: Number(r.dueTs.toString()) };
}
