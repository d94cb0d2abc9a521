import { describe, expect, it } from "vitest";
import golden from "./shares.golden.json";
import {
  assetsForShares,
  depositError,
  formatUnits,
  parseUnits,
  sharesForDeposit,
  lpNavs,
  withdrawError,
  formatDuration,
  type VaultNumbers,
} from "./shares";

type Case = { amount: string; netAssets: string; totalShares: string; shares: string | null; assets: string | null };

const big = (s: string | null) => (s === null ? null : BigInt(s));

describe("share math against the program's own results (golden vectors from Rust)", () => {
  it.each(golden as Case[])("amount $amount at NAV $netAssets over $totalShares shares", (c) => {
    const [a, nav, total] = [BigInt(c.amount), BigInt(c.netAssets), BigInt(c.totalShares)];
    expect(sharesForDeposit(a, nav, total)).toBe(big(c.shares));
    expect(assetsForShares(a, nav, total)).toBe(big(c.assets));
  });
});

/** A seeded 64-bit LCG: `rand(m)` is uniform enough in [0, m) for property checks. */
function lcg(seed: bigint) {
  return (m: bigint) => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
    return seed % m;
  };
}

describe("round trips never create value", () => {
  it("deposit then withdraw returns at most what went in", () => {
    const rand = lcg(7n);
    for (let i = 0; i < 2_000; i++) {
      const nav = rand(10n ** 13n);
      const total = nav * 1_000n + rand(10n ** 6n);
      const amount = 1n + rand(10n ** 11n);
      const shares = sharesForDeposit(amount, nav, total)!;
      const back = assetsForShares(shares, nav + amount, total + shares)!;
      expect(back <= amount).toBe(true);
    }
  });
});

describe("the LP band (SECURITY.md, LP flows)", () => {
  it("prices deposits above and withdrawals below NAV, like math::shares::lp_navs", () => {
    expect(lpNavs(100n, 30n)).toEqual({ deposit: 130n, withdraw: 70n });
    expect(lpNavs(10n, 30n)).toEqual({ deposit: 40n, withdraw: 0n });
  });

  it("a round trip whose NAV moved by less than two bands never gains", () => {
    const rand = lcg(11n);
    for (let i = 0; i < 2_000; i++) {
      const nav = rand(10n ** 13n);
      const band = rand(10n ** 11n);
      const later = nav + rand(2n * band + 1n);
      const total = nav * 1_000n + rand(10n ** 6n);
      const amount = 1n + rand(10n ** 11n);
      const shares = sharesForDeposit(amount, lpNavs(nav, band).deposit, total)!;
      const back = assetsForShares(shares, lpNavs(later + amount, band).withdraw, total + shares)!;
      expect(back <= amount).toBe(true);
    }
  });
});

const vault: VaultNumbers = {
  lpAssets: 1_000_000_000n,
  optionsValue: -50_000_000n,
  lockedLiability: 400_000_000n,
  lpNavBand: 0n,
  unpaidClaims: 0n,
  totalShares: 1_000_000_000_000n,
  depositCap: 10_000_000_000_000n,
  minDeposit: 1n,
  pauseFlags: 0,
  withdrawalDelaySecs: 0,
};

describe("form validation names the program's error", () => {
  it("deposits", () => {
    expect(depositError(parseUnits("10", 6), 20_000_000n, vault)).toBeNull();
    expect(depositError(parseUnits("0", 6), 20_000_000n, vault)).toBe("ZeroAmount");
    expect(depositError(parseUnits("1.0000001", 6), 20_000_000n, vault)).toBe("InvalidAmount");
    expect(depositError(parseUnits("30", 6), 20_000_000n, vault)).toBe("InsufficientBalance");
    expect(depositError(parseUnits("20000000", 6), 10n ** 15n, vault)).toBe("DepositCapExceeded");
    expect(depositError(parseUnits("10", 6), 20_000_000n, { ...vault, pauseFlags: 1 })).toBe("DepositsPaused");
  });

  it("withdrawals stop at free collateral", () => {
    // NAV 950 USDC, locked 400: at most 550 USDC out.
    const perShare = (usdc: bigint) => (usdc * (vault.totalShares + 1_000n)) / (950_000_000n + 1n);
    expect(withdrawError(perShare(549_000_000n), vault.totalShares, vault)).toBeNull();
    expect(withdrawError(perShare(551_000_000n), vault.totalShares, vault)).toBe("InsufficientFreeCollateral");
    expect(withdrawError(1n, vault.totalShares, vault)).toBe("ZeroAssetsOut");
    expect(withdrawError(10n, 5n, vault)).toBe("InsufficientShares");
    expect(withdrawError(10n, 5n, { ...vault, pauseFlags: 2 })).toBe("WithdrawalsPaused");
  });

  it("with a delay, a request is checked for shares and value; free collateral when it completes", () => {
    const delayed = { ...vault, withdrawalDelaySecs: 3_600 };
    const perShare = (usdc: bigint) => (usdc * (vault.totalShares + 1_000n)) / (950_000_000n + 1n);
    expect(withdrawError(perShare(551_000_000n), vault.totalShares, delayed)).toBeNull();
    expect(withdrawError(1n, vault.totalShares, delayed)).toBe("ZeroAssetsOut");
    expect(withdrawError(perShare(1_000_000n), vault.totalShares, delayed, true)).toBe("WithdrawalAlreadyRequested");
  });

  it("units parse and format", () => {
    expect(parseUnits("1,000", 6)).toBeNull();
    expect(parseUnits("1000.5", 6)).toBe(1_000_500_000n);
    expect(formatUnits(1_234_567_890n, 6)).toBe("1,234.56789");
    expect(formatUnits(-5_000_000n, 6, 2)).toBe("-5");
  });
});

describe("durations", () => {
  it("shows the largest whole unit", () => {
    expect(formatDuration(0)).toBe("none");
    expect(formatDuration(5)).toBe("5 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(7_200)).toBe("2 h");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(90)).toBe("90 s");
  });
});
