// The wallet transactions the app sends, built with the IDL client: compute budget, the
// `refresh_marks` a NAV read needs when marks would be stale, and the instruction.
import { BN, Program } from "@anchor-lang/core";
import { ComputeBudgetProgram, Connection, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from "@solana/web3.js";
import { TOKEN_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction, getAssociatedTokenAddressSync } from "@solana/spl-token";
import type { ExposureVault } from "../../../idl/exposure_vault";
import { markRegistryAddress, program, withdrawalRequestAddress, withdrawalSharesAddress } from "./program";
import { chainNow, type VaultView } from "./vault";

const big = (v: BN | number): bigint => BigInt(v.toString());

/**
 * `refresh_marks` for every market (or those given) whenever the vault holds positions: LP flows
 * price at marks of their own slot's accepted price (`MarksNotCurrent` otherwise), and margin
 * checks need fresh marks, as `localnet::wallet` does.
 */
/**
 * `refresh_marks` for every market whose oracle can price it now. A market whose newest update is
 * past its age limit is left out: the program counts it at its worse side at once (SECURITY.md,
 * "LP flows"), while its refresh would fail the whole transaction with `OracleStale`.
 */
export function refreshIxs(p: Program<ExposureVault>, v: VaultView, markets = v.markets): Promise<TransactionInstruction>[] {
  const validUntil = big(v.state.marksValidUntil);
  if (validUntil === 0x7fff_ffff_ffff_ffffn) return [];
  const now = chainNow(v);
  return markets
    .filter((m) => m.oracle !== null && m.oraclePrice !== null && now - m.oraclePrice.publishTime <= m.state.oracle.maxAgeSecs)
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
