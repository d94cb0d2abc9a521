// The typed program client, generated from the committed IDL (`idl/exposure_vault.json` and its
// type `idl/exposure_vault.ts`) through Anchor's TypeScript client (@anchor-lang/core 1.2, the
// same Anchor release as the program). Every account is decoded by the IDL's coder: no byte
// layout is written by hand here.
import { AnchorProvider, BN, Program, type Wallet } from "@anchor-lang/core";
import {
  ComputeBudgetProgram,
  Connection,
  PublicKey,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from "@solana/web3.js";
import {
  TOKEN_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from "@solana/spl-token";
import idlJson from "../../idl/exposure_vault.json";
import type { ExposureVault } from "../../idl/exposure_vault";

export const idl = idlJson as unknown as ExposureVault;
export const PROGRAM_ID = new PublicKey(idl.address);

/** Anchor needs a wallet to build a provider; reads never sign. */
const readOnlyWallet: Wallet = {
  publicKey: PublicKey.default,
  signTransaction: async () => {
    throw new Error("read-only");
  },
  signAllTransactions: async () => {
    throw new Error("read-only");
  },
} as unknown as Wallet;

export function program(connection: Connection): Program<ExposureVault> {
  return new Program<ExposureVault>(idl, new AnchorProvider(connection, readOnlyWallet, { commitment: "confirmed" }));
}

export type VaultAccount = Awaited<ReturnType<Program<ExposureVault>["account"]["vault"]["fetch"]>>;
export type MarketAccount = Awaited<ReturnType<Program<ExposureVault>["account"]["market"]["fetch"]>>;
export type SeriesBookAccount = Awaited<ReturnType<Program<ExposureVault>["account"]["seriesBook"]["fetch"]>>;
export type SurfaceAccount = Awaited<ReturnType<Program<ExposureVault>["account"]["volSurface"]["fetch"]>>;

type SeedName = Extract<ExposureVault["constants"][number]["name"], `${string}Seed`>;

/**
 * A PDA seed as the program declares it (`#[constant]` in `state/mod.rs`, carried by the IDL).
 * The JSON keeps Rust's `MARKET_SEED`; its TypeScript type says `marketSeed`.
 */
export function seed(name: SeedName): Buffer {
  const key = (n: string) => n.replaceAll("_", "").toLowerCase();
  const constant = (idlJson as { constants: { name: string; value: string }[] }).constants.find((c) => key(c.name) === key(name));
  if (!constant) throw new Error(`the IDL has no constant ${name}`);
  return Buffer.from(JSON.parse(constant.value) as number[]);
}

export function marketAddress(vault: PublicKey, index: number): PublicKey {
  const le = new Uint8Array(2);
  new DataView(le.buffer).setUint16(0, index, true);
  return PublicKey.findProgramAddressSync([seed("marketSeed"), vault.toBuffer(), le], PROGRAM_ID)[0];
}

/** The vault's mark registry PDA . */
export function markRegistryAddress(vault: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("markRegistrySeed"), vault.toBuffer()], PROGRAM_ID)[0];
}

export type MarketView = {
  index: number;
  address: PublicKey;
  state: MarketAccount;
  book: SeriesBookAccount;
  surface: SurfaceAccount;
  /** The pull-oracle account the app passes for `refresh_marks` (from the configuration). */
  oracle: PublicKey | null;
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
      return { index, address, state: market, book, surface, oracle: oracles[index] ?? null };
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

/**
 * `refresh_marks` for every market when the vault's marks would be stale by the time the
 * transaction lands (the program refuses NAV reads on stale marks), as `migrations::wallet` does.
 */
function refreshIxs(p: Program<ExposureVault>, v: VaultView): Promise<TransactionInstruction>[] {
  const validUntil = big(v.state.marksValidUntil);
  if (validUntil === 0x7fff_ffff_ffff_ffffn || validUntil > BigInt(v.now + 30)) return [];
  return v.markets
    .filter((m) => m.oracle !== null)
    .map((m) =>
      p.methods
        .refreshMarks()
        .accountsStrict({
          vault: v.address,
          market: m.address,
          book: m.state.book,
          surface: m.state.surface,
          markRegistry: markRegistryAddress(v.address),
          oracle: m.oracle as PublicKey,
        })
        .instruction(),
    );
}

async function walletTx(connection: Connection, payer: PublicKey, ixs: TransactionInstruction[], refreshes: number) {
  const tx = new Transaction();
  tx.add(ComputeBudgetProgram.setComputeUnitLimit({ units: 60_000 + 220_000 * refreshes }));
  tx.add(...ixs);
  const { blockhash, lastValidBlockHeight } = await connection.getLatestBlockhash("confirmed");
  tx.recentBlockhash = blockhash;
  tx.feePayer = payer;
  return { tx, blockhash, lastValidBlockHeight };
}

export async function depositLiquidityTx(connection: Connection, v: VaultView, owner: PublicKey, amount: bigint) {
  const p = program(connection);
  const s = v.state;
  const collateral = getAssociatedTokenAddressSync(s.collateralMint, owner);
  const shares = getAssociatedTokenAddressSync(s.shareMint, owner);
  const refresh = await Promise.all(refreshIxs(p, v));
  const deposit = await p.methods
    .depositLiquidity(new BN(amount.toString()))
    .accountsStrict({
      vault: v.address,
      depositor: owner,
      collateralMint: s.collateralMint,
      shareMint: s.shareMint,
      vaultToken: s.vaultToken,
      depositorCollateral: collateral,
      depositorShares: shares,
      tokenProgram: TOKEN_PROGRAM_ID,
      markRegistry: markRegistryAddress(v.address),
    })
    .instruction();
  const createShares = createAssociatedTokenAccountIdempotentInstruction(owner, shares, owner, s.shareMint);
  return walletTx(connection, owner, [createShares, ...refresh, deposit], refresh.length);
}

/** `owner`'s withdrawal request PDA. */
export function withdrawalRequestAddress(vault: PublicKey, owner: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("withdrawalRequestSeed"), vault.toBuffer(), owner.toBuffer()], PROGRAM_ID)[0];
}

/** The vault-owned escrow of `owner`'s requested shares. */
export function withdrawalSharesAddress(vault: PublicKey, owner: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("withdrawalSharesSeed"), vault.toBuffer(), owner.toBuffer()], PROGRAM_ID)[0];
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

function completeWithdrawalIx(p: Program<ExposureVault>, v: VaultView, owner: PublicKey) {
  const s = v.state;
  return p.methods
    .withdrawLiquidity()
    .accountsStrict({
      vault: v.address,
      owner,
      collateralMint: s.collateralMint,
      shareMint: s.shareMint,
      vaultToken: s.vaultToken,
      withdrawalRequest: withdrawalRequestAddress(v.address, owner),
      withdrawalShares: withdrawalSharesAddress(v.address, owner),
      ownerCollateral: getAssociatedTokenAddressSync(s.collateralMint, owner),
      tokenProgram: TOKEN_PROGRAM_ID,
      markRegistry: markRegistryAddress(v.address),
    })
    .instruction();
}

/**
 * `request_liquidity_withdrawal` of `shares`; with a zero delay the `withdraw_liquidity` that completes it rides in
 * the same transaction.
 */
export async function requestLiquidityWithdrawalTx(connection: Connection, v: VaultView, owner: PublicKey, shares: bigint) {
  const p = program(connection);
  const s = v.state;
  const refresh = await Promise.all(refreshIxs(p, v));
  const request = await p.methods
    .requestLiquidityWithdrawal(new BN(shares.toString()))
    .accountsStrict({
      vault: v.address,
      owner,
      shareMint: s.shareMint,
      ownerShares: getAssociatedTokenAddressSync(s.shareMint, owner),
      withdrawalRequest: withdrawalRequestAddress(v.address, owner),
      withdrawalShares: withdrawalSharesAddress(v.address, owner),
      tokenProgram: TOKEN_PROGRAM_ID,
      systemProgram: SystemProgram.programId,
      markRegistry: markRegistryAddress(v.address),
    })
    .instruction();
  const complete = s.params.withdrawalDelaySecs === 0 ? [await completeWithdrawalIx(p, v, owner)] : [];
  return walletTx(connection, owner, [...refresh, request, ...complete], refresh.length);
}

/** `withdraw_liquidity`: pays out `owner`'s due request. */
export async function withdrawLiquidityTx(connection: Connection, v: VaultView, owner: PublicKey) {
  const p = program(connection);
  const refresh = await Promise.all(refreshIxs(p, v));
  return walletTx(connection, owner, [...refresh, await completeWithdrawalIx(p, v, owner)], refresh.length);
}

/** `cancel_liquidity_withdrawal`: the escrowed shares back to the wallet. */
export async function cancelLiquidityWithdrawalTx(connection: Connection, v: VaultView, owner: PublicKey) {
  const p = program(connection);
  const s = v.state;
  const cancel = await p.methods
    .cancelLiquidityWithdrawal()
    .accountsStrict({
      vault: v.address,
      owner,
      shareMint: s.shareMint,
      ownerShares: getAssociatedTokenAddressSync(s.shareMint, owner),
      withdrawalRequest: withdrawalRequestAddress(v.address, owner),
      withdrawalShares: withdrawalSharesAddress(v.address, owner),
      tokenProgram: TOKEN_PROGRAM_ID,
    })
    .instruction();
  return walletTx(connection, owner, [cancel], 0);
}

/** The program's named error in a failed transaction's logs or error, from the IDL's list. */
export function programError(error: unknown, logs?: string[] | null): string {
  const text = [String((error as { message?: string })?.message ?? error), ...(logs ?? [])].join("\n");
  const named = text.match(/Error Code: (\w+)\. Error Number: \d+\. Error Message: ([^\n.]+)/);
  if (named) return `${named[1]}: ${named[2]}`;
  const custom = text.match(/custom program error: 0x([0-9a-f]+)/i);
  if (custom) {
    const code = parseInt(custom[1], 16);
    const e = idl.errors.find((x) => x.code === code);
    if (e) return `${e.name}: ${e.msg}`;
  }
  return text.split("\n")[0];
}

/** The IDL's message for an error name (form validation shows the program's own words). */
export function errorMessage(name: string): string {
  const e = idl.errors.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (e) return `${e.name}: ${e.msg}`;
  if (name === "InvalidAmount") return "InvalidAmount: Enter a positive number with at most the token's decimals";
  return name;
}
