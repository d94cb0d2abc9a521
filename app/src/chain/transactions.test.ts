import { describe, expect, it } from "vitest";
import { BN, type Program } from "@anchor-lang/core";
import { PublicKey, type TransactionInstruction } from "@solana/web3.js";
import type { ExposureVault } from "../../../idl/exposure_vault";
import { refreshIxs } from "./transactions";
import type { MarketView, VaultView } from "./vault";

// Records which markets a `refresh_marks` was built for; the instruction itself is Anchor's.
function recordingProgram(refreshed: string[]) {
  const builder = (accounts: { market: PublicKey }) => ({
    instruction: async () => {
      refreshed.push(accounts.market.toBase58());
      return {} as TransactionInstruction;
    },
  });
  return { methods: { refreshMarks: () => ({ accountsStrict: builder }) } } as unknown as Program<ExposureVault>;
}

function market(index: number, publishTime: number | null): MarketView {
  return {
    index,
    address: PublicKey.unique(),
    state: { book: PublicKey.unique(), surface: PublicKey.unique(), oracle: { maxAgeSecs: 60 } },
    book: {},
    surface: {},
    oracle: PublicKey.unique(),
    oraclePrice: publishTime === null ? null : { price: 1n, conf: 0n, publishTime },
  } as unknown as MarketView;
}

function vault(markets: MarketView[], marksValidUntil: BN): VaultView {
  return {
    address: PublicKey.unique(),
    state: { marksValidUntil } as unknown as VaultView["state"],
    markets,
    now: 1_000,
    readAtMs: Date.now(),
  };
}

describe("refresh_marks bundled with LP and trade transactions", () => {
  it("leaves out a market whose oracle is past its age limit, which the program counts at its worse side", async () => {
    const fresh = market(0, 990);
    const down = market(1, 900);
    const unread = market(2, null);
    const refreshed: string[] = [];
    await Promise.all(refreshIxs(recordingProgram(refreshed), vault([fresh, down, unread], new BN(2_000))));
    expect(refreshed).toEqual([fresh.address.toBase58()]);
  });

  it("sends none while the vault holds no positions", () => {
    const refreshed: string[] = [];
    const none = refreshIxs(recordingProgram(refreshed), vault([market(0, 990)], new BN("9223372036854775807")));
    expect(none).toHaveLength(0);
  });
});
