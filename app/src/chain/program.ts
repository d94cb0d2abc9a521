// The typed program client, generated from the committed IDL (`idl/exposure_vault.json` and its
// type `idl/exposure_vault.ts`) through Anchor's TypeScript client (@anchor-lang/core 1.2, the
// same Anchor release as the program): the program handle, account types and PDAs. Every
// account is decoded by the IDL's coder and every seed comes from the IDL's constants.
import { AnchorProvider, Program, type Wallet } from "@anchor-lang/core";
import { Connection, PublicKey } from "@solana/web3.js";
import idlJson from "../../../idl/exposure_vault.json";
import type { ExposureVault } from "../../../idl/exposure_vault";

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

/** `owner`'s withdrawal request PDA. */
export function withdrawalRequestAddress(vault: PublicKey, owner: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("withdrawalRequestSeed"), vault.toBuffer(), owner.toBuffer()], PROGRAM_ID)[0];
}

/** The vault-owned escrow of `owner`'s requested shares. */
export function withdrawalSharesAddress(vault: PublicKey, owner: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("withdrawalSharesSeed"), vault.toBuffer(), owner.toBuffer()], PROGRAM_ID)[0];
}

/** `owner`'s margin account in `vault` (one per owner and vault, across its markets). */
export function marginAccountAddress(vault: PublicKey, owner: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([seed("marginSeed"), vault.toBuffer(), owner.toBuffer()], PROGRAM_ID)[0];
}

export type MarginAccountState = Awaited<ReturnType<Program<ExposureVault>["account"]["marginAccount"]["fetch"]>>;
export type HedgeBookAccount = Awaited<ReturnType<Program<ExposureVault>["account"]["hedgeBook"]["fetch"]>>;
