// Share and amount math exactly as the program does it (crates/exposure-vault-math/src/shares.rs
// and state/vault.rs), in BigInt so that no rounding differs from the chain.

/** Virtual offsets of the share price (math::precision). */
export const VIRTUAL_SHARES = 1_000n;
export const VIRTUAL_ASSETS = 1n;
/** Share mint decimals = collateral decimals + this. */
export const SHARE_DECIMALS_OFFSET = 3;

/** floor(a·b / c), as `mul_div(.., Rounding::Down)`; null on c = 0 or a u64 overflow. */
export function mulDivDown(a: bigint, b: bigint, c: bigint): bigint | null {
  if (c === 0n) return null;
  const q = (a * b) / c;
  return q > 0xffff_ffff_ffff_ffffn ? null : q;
}

/** Shares minted for `amount` collateral units; rounded down (the vault keeps the dust). */
export function sharesForDeposit(amount: bigint, netAssets: bigint, totalShares: bigint): bigint | null {
  return mulDivDown(amount, totalShares + VIRTUAL_SHARES, netAssets + VIRTUAL_ASSETS);
}

/** Collateral units paid for burning `shares`; rounded down. */
export function assetsForShares(shares: bigint, netAssets: bigint, totalShares: bigint): bigint | null {
  return mulDivDown(shares, netAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
}

/**
 * NAV: LP assets + the options' (and hedge's) mark value − settlement still owed to longs,
 * clamped at zero (`Vault::net_assets`).
 */
export function netAssets(lpAssets: bigint, optionsValue: bigint, unpaidClaims = 0n): bigint {
  const nav = lpAssets + optionsValue - unpaidClaims;
  return nav < 0n ? 0n : nav;
}

/** The NAV of the vault's numbers. */
export function vaultNav(v: VaultNumbers): bigint {
  return netAssets(v.lpAssets, v.optionsValue, v.unpaidClaims);
}

/**
 * The NAV a deposit buys shares at and the NAV a withdrawal redeems at: NAV ± the vault's LP band
 * (`math::shares::lp_navs`; SECURITY.md, "LP flows"). The band is |vault dollar delta| × the spot
 * move LP flows are priced against, and stays with the LPs who do not move.
 */
export function lpNavs(nav: bigint, band: bigint): { deposit: bigint; withdraw: bigint } {
  return { deposit: nav + band, withdraw: nav > band ? nav - band : 0n };
}

/** What LPs may take out now: NAV − locked liability (`Vault::free_collateral`). */
export function freeCollateral(nav: bigint, lockedLiability: bigint): bigint {
  return nav > lockedLiability ? nav - lockedLiability : 0n;
}

/** Parses a decimal token amount into base units; null when malformed or too precise. */
export function parseUnits(text: string, decimals: number): bigint | null {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const [whole, frac = ""] = t.split(".");
  if (frac.length > decimals) return null;
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(frac.padEnd(decimals, "0") || "0");
}

/** Formats base units with `decimals` (trailing zeros trimmed, at most `shown` decimals). */
export function formatUnits(units: bigint, decimals: number, shown = decimals): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, "0").slice(0, shown).replace(/0+$/, "");
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${frac ? "." + frac : ""}`;
}

export type VaultNumbers = {
  lpAssets: bigint;
  optionsValue: bigint;
  lockedLiability: bigint;
  lpNavBand: bigint;
  unpaidClaims: bigint;
  totalShares: bigint;
  depositCap: bigint;
  minDeposit: bigint;
  pauseFlags: number;
  /** Seconds between `request_liquidity_withdrawal` and `withdraw_liquidity`; zero completes in one transaction. */
  withdrawalDelaySecs: number;
};

export const PAUSE = {
  deposits: 1,
  withdrawals: 2,
  trading: 4,
  liquidations: 8,
  "reduce-only": 16,
  "collateral withdrawals": 32,
} as const;

/** A deposit the program would refuse, by the program's error name; null when it would pass. */
export function depositError(amount: bigint | null, walletBalance: bigint, v: VaultNumbers): string | null {
  if (v.pauseFlags & PAUSE.deposits) return "DepositsPaused";
  if (amount === null) return "InvalidAmount";
  if (amount === 0n) return "ZeroAmount";
  if (amount < v.minDeposit) return "BelowMinimumDeposit";
  if (v.lpAssets + amount > v.depositCap) return "DepositCapExceeded";
  if (amount > walletBalance) return "InsufficientBalance";
  if (v.totalShares > 0n && vaultNav(v) === 0n) return "VaultInsolvent";
  const { deposit } = lpNavs(vaultNav(v), v.lpNavBand);
  const shares = sharesForDeposit(amount, deposit, v.totalShares);
  if (shares === null) return "MathOverflow";
  if (shares === 0n) return "ZeroSharesMinted";
  return null;
}

/**
 * A withdrawal request the program would refuse, by error name; null when it would pass. With a
 * delay, free collateral is checked when the request completes, not here.
 */
export function withdrawError(shares: bigint | null, walletShares: bigint, v: VaultNumbers, pending = false): string | null {
  if (v.pauseFlags & PAUSE.withdrawals) return "WithdrawalsPaused";
  if (shares === null) return "InvalidAmount";
  if (shares === 0n) return "ZeroAmount";
  if (pending) return "WithdrawalAlreadyRequested";
  if (shares > walletShares) return "InsufficientShares";
  const nav = vaultNav(v);
  const out = assetsForShares(shares, lpNavs(nav, v.lpNavBand).withdraw, v.totalShares);
  if (out === null) return "MathOverflow";
  if (out === 0n) return "ZeroAssetsOut";
  if (v.withdrawalDelaySecs > 0) return null;
  const unreserved = v.lpAssets > v.unpaidClaims ? v.lpAssets - v.unpaidClaims : 0n;
  if (out > freeCollateral(nav, v.lockedLiability) || out > unreserved) return "InsufficientFreeCollateral";
  return null;
}

/** Seconds as the largest whole unit that fits: "5 s", "2 h", "1 d". */
export function formatDuration(secs: number): string {
  if (secs === 0) return "none";
  for (const [unit, size] of [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
  ] as const) {
    if (secs >= size && secs % size === 0) return `${secs / size} ${unit}`;
  }
  return `${secs} s`;
}
