// A trader's wallet transactions, built with the IDL client: open a margin account, deposit and
// withdraw collateral, trade a series. Each carries the `refresh_marks` a margin check needs
// when the vault's marks would be stale, and every other market the account holds as remaining
// accounts `[market, book, oracle]` (the program's cross-market rule).
import { BN } from "@anchor-lang/core";
import { ComputeBudgetProgram, Connection, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { TOKEN_PROGRAM_ID, getAssociatedTokenAddressSync } from "@solana/spl-token";
import { markRegistryAddress, marginAccountAddress, program, type MarginAccountState } from "./program";
import { refreshIxs } from "./transactions";
import type { MarketView, VaultView } from "./vault";

const big = (v: { toString(): string }): bigint => BigInt(v.toString());

export async function loadMarginAccount(connection: Connection, vault: PublicKey, owner: PublicKey): Promise<MarginAccountState | null> {
  return program(connection).account.marginAccount.fetchNullable(marginAccountAddress(vault, owner), "confirmed");
}

/** The market indices the account holds positions in (or its perpetual, for a provider). */
export function marketsHeld(account: MarginAccountState): Set<number> {
  const held = new Set<number>();
  for (const p of account.positions) if (big(p.size) !== 0n) held.add(p.marketIndex);
  if (big(account.hedge.size) !== 0n || big(account.hedge.quoteEntry) !== 0n) held.add(account.hedgeMarketIndex);
  return held;
}

function oracleOf(m: MarketView): PublicKey {
  if (!m.oracle) throw new Error(`no oracle account configured for market ${m.index} (set ?oracles=…)`);
  return m.oracle;
}

/** `[market, book, oracle]` of every market the account holds other than `market`. */
function otherMarkets(v: VaultView, account: MarginAccountState | null, market: MarketView) {
  if (!account) return [];
  const held = marketsHeld(account);
  return v.markets
    .filter((m) => m.index !== market.index && held.has(m.index))
    .flatMap((m) => [
      { pubkey: m.address, isSigner: false, isWritable: false },
      { pubkey: m.state.book, isSigner: false, isWritable: false },
      { pubkey: oracleOf(m), isSigner: false, isWritable: false },
    ]);
}

async function tx(connection: Connection, payer: PublicKey, ixs: TransactionInstruction[], units: number) {
  const t = new Transaction();
  t.add(ComputeBudgetProgram.setComputeUnitLimit({ units }));
  t.add(...ixs);
  const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
  t.recentBlockhash = blockhash;
  t.feePayer = payer;
  return { tx: t, blockhash, lastValidBlockHeight };
}

/** Markets a margin check reads for this account: `market` and the others it holds. */
function checked(v: VaultView, account: MarginAccountState | null, market: MarketView) {
  const held = account ? marketsHeld(account) : new Set<number>();
  return v.markets.filter((m) => m.index === market.index || held.has(m.index));
}

export async function openMarginAccountTx(connection: Connection, v: VaultView, owner: PublicKey) {
  const ix = await program(connection)
    .methods.openMarginAccount()
    .accountsStrict({
      vault: v.address,
      owner,
      marginAccount: marginAccountAddress(v.address, owner),
      systemProgram: SystemProgram.programId,
    })
    .instruction();
  return tx(connection, owner, [ix], 40_000);
}

export async function depositCollateralTx(connection: Connection, v: VaultView, owner: PublicKey, amount: bigint) {
  const ix = await program(connection)
    .methods.depositCollateral(new BN(amount.toString()))
    .accountsStrict({
      vault: v.address,
      marginAccount: marginAccountAddress(v.address, owner),
      owner,
      collateralMint: v.state.collateralMint,
      vaultToken: v.state.vaultToken,
      ownerCollateral: getAssociatedTokenAddressSync(v.state.collateralMint, owner),
      tokenProgram: TOKEN_PROGRAM_ID,
    })
    .instruction();
  return tx(connection, owner, [ix], 40_000);
}

export async function withdrawCollateralTx(
  connection: Connection,
  v: VaultView,
  owner: PublicKey,
  account: MarginAccountState,
  amount: bigint,
) {
  // The margin check reads the account's provider market if it is one, else the first market.
  const market = v.markets.find((m) => m.address.equals(account.hedgeMarket)) ?? v.markets[0];
  const refresh = await Promise.all(refreshIxs(program(connection), v, checked(v, account, market)));
  const ix = await program(connection)
    .methods.withdrawCollateral(new BN(amount.toString()))
    .accountsStrict({
      vault: v.address,
      market: market.address,
      book: market.state.book,
      hedgeBook: market.state.hedgeBook,
      marginAccount: marginAccountAddress(v.address, owner),
      owner,
      collateralMint: v.state.collateralMint,
      vaultToken: v.state.vaultToken,
      ownerCollateral: getAssociatedTokenAddressSync(v.state.collateralMint, owner),
      oracle: oracleOf(market),
      tokenProgram: TOKEN_PROGRAM_ID,
    })
    .remainingAccounts(otherMarkets(v, account, market))
    .instruction();
  return tx(connection, owner, [...refresh, ix], 120_000 + 220_000 * refresh.length);
}

/** `trade_option`: `size` (> 0 buys, SIZE_PRECISION) of `seriesIndex`, paying at most (buying)
 * or receiving at least (selling) `limit` collateral units. */
export async function tradeOptionTx(
  connection: Connection,
  v: VaultView,
  owner: PublicKey,
  account: MarginAccountState | null,
  market: MarketView,
  seriesIndex: number,
  size: bigint,
  limit: bigint,
) {
  const refresh = await Promise.all(refreshIxs(program(connection), v, checked(v, account, market)));
  const ix = await program(connection)
    .methods.tradeOption(seriesIndex, new BN(size.toString()), new BN(limit.toString()))
    .accountsStrict({
      vault: v.address,
      market: market.address,
      book: market.state.book,
      surface: market.state.surface,
      markRegistry: markRegistryAddress(v.address),
      marginAccount: marginAccountAddress(v.address, owner),
      trader: owner,
      oracle: oracleOf(market),
    })
    .remainingAccounts(otherMarkets(v, account, market))
    .instruction();
  return tx(connection, owner, [...refresh, ix], 200_000 + 220_000 * refresh.length);
}
