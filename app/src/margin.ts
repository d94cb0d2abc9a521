// The program's standard margin and trade charge, ported exactly (BigInt, the same roundings):
// `math::margin::StandardMargin` (health with the hedge-leg perpetual and the liquidation prices
// the P&L chart marks) and the parts of `controller::trading::charge` (inventory lean and
// price, cap utilisation, spread, premium, fee). Checked against golden vectors the Rust
// functions write (`crates/exposure-vault-math/tests/app_margin_vectors.rs`).

const U64_MAX = (1n << 64n) - 1n;
const I64_MAX = (1n << 63n) - 1n;
export const BPS = 10_000n;
export const SIZE_PRECISION = 1_000_000n;
export const PRICE_PRECISION = 1_000_000n;
const DELTA_PRECISION = 1_000_000n;
const VOL_PRECISION = 1_000_000n;
const FEE_RATE_DENOMINATOR = BPS * BPS;
export const LIQUIDATION_SEARCH_STEP_BPS = 50n;
export const LIQUIDATION_SEARCH_STEPS = 160n;

const abs = (x: bigint) => (x < 0n ? -x : x);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const clamp = (x: bigint, lo: bigint, hi: bigint) => max(lo, min(hi, x));

/** `fixed::mul_div`: a·b/c rounded as asked, null when c is 0 or the result leaves u64. */
export function mulDiv(a: bigint, b: bigint, c: bigint, up: boolean): bigint | null {
  if (c === 0n) return null;
  const product = a * b;
  const q = product / c;
  if (q > U64_MAX) return null;
  if (up && product % c > 0n) return q + 1n > U64_MAX ? null : q + 1n;
  return q;
}

const applyBps = (value: bigint, bps: bigint, up: boolean) => mulDiv(value, bps, BPS, up);
const timesSize = (perUnit: bigint, size: bigint, up: boolean) => mulDiv(perUnit, size, SIZE_PRECISION, up);

export type MarginFactors = {
  initial: [number, number];
  maintenance: [number, number];
  perp: [number, number];
  confMultiplierBps: number;
};

export type MarkedPosition = {
  size: bigint;
  call: boolean;
  strike: bigint;
  markPrice: bigint;
  markDelta: bigint;
  markSpot: bigint;
  settled: boolean;
};

export type Perp = { size: bigint; quoteEntry: bigint };
export type Health = { equity: bigint; initial: bigint; maintenance: bigint };

export const meetsMaintenance = (h: Health) => h.equity >= 0n && h.equity >= h.maintenance;
export const meetsInitial = (h: Health) => h.equity >= 0n && h.equity >= h.initial;

/** `SeriesMark::price_at`: the mark moved from its spot to `spot` along its delta. */
export function priceAt(p: MarkedPosition, spot: bigint): bigint {
  const moved = mulDiv(abs(p.markDelta), abs(spot - p.markSpot), DELTA_PRECISION, false) ?? U64_MAX;
  if (p.markDelta >= 0n === spot >= p.markSpot) return min(p.markPrice + moved, U64_MAX);
  return max(p.markPrice - moved, 0n);
}

function shortRequirement([a, b]: [number, number], call: boolean, strike: bigint, low: bigint, high: bigint): bigint | null {
  if (call) {
    const otm = max(strike - high, 0n);
    const byA = applyBps(high, BigInt(a), true);
    const byB = applyBps(high, BigInt(b), true);
    return byA === null || byB === null ? null : max(max(byA - otm, 0n), byB);
  }
  const otm = max(low - strike, 0n);
  const byA = applyBps(low, BigInt(a), true);
  const byB = applyBps(strike, BigInt(b), true);
  return byA === null || byB === null ? null : max(max(byA - otm, 0n), byB);
}

function interval(f: MarginFactors, price: bigint, conf: bigint): [bigint, bigint, bigint] | null {
  const kConf = applyBps(conf, BigInt(f.confMultiplierBps), true);
  if (kConf === null || price + kConf > U64_MAX) return null;
  return [kConf, max(price - kConf, 0n), price + kConf];
}

/** `StandardMargin::health`: collateral (quote) plus each position at the risky end. */
export function health(f: MarginFactors, collateral: bigint, positions: MarkedPosition[], price: bigint, conf: bigint): Health | null {
  const iv = interval(f, price, conf);
  if (iv === null) return null;
  const [kConf, low, high] = iv;
  const h: Health = { equity: collateral, initial: 0n, maintenance: 0n };
  for (const p of positions) {
    const mark = priceAt(p, price);
    const haircut = mulDiv(abs(p.markDelta), kConf, DELTA_PRECISION, true);
    if (haircut === null) return null;
    const size = abs(p.size);
    if (p.size >= 0n) {
      const value = timesSize(max(mark - haircut, 0n), size, false);
      if (value === null) return null;
      h.equity += value;
      continue;
    }
    if (mark + haircut > U64_MAX) return null;
    const liability = timesSize(mark + haircut, size, true);
    if (liability === null) return null;
    h.equity -= liability;
    if (p.settled) continue;
    for (const [factors, key] of [
      [f.initial, "initial"],
      [f.maintenance, "maintenance"],
    ] as const) {
      const perUnit = shortRequirement(factors, p.call, p.strike, low, high);
      const requirement = perUnit === null ? null : timesSize(perUnit, size, true);
      if (requirement === null) return null;
      h[key] += requirement;
    }
  }
  return h;
}

const quoteOf = (size: bigint, price: bigint, up: boolean) => mulDiv(size, price, SIZE_PRECISION, up);

/** `StandardMargin::with_perp`: the perpetual's value and notional factors. */
export function withPerp(f: MarginFactors, h: Health, perp: Perp, price: bigint, conf: bigint): Health | null {
  if (perp.size === 0n && perp.quoteEntry === 0n) return h;
  const iv = interval(f, price, conf);
  if (iv === null) return null;
  const [, low, high] = iv;
  const at = perp.size >= 0n ? low : high;
  const held = quoteOf(abs(perp.size), at, perp.size < 0n);
  if (held === null || held > I64_MAX) return null;
  const value = (perp.size >= 0n ? held : -held) + perp.quoteEntry;
  if (value > I64_MAX || value < -I64_MAX - 1n) return null;
  const notional = quoteOf(abs(perp.size), high, true);
  if (notional === null) return null;
  const initial = mulDiv(notional, BigInt(f.perp[0]), BPS, true);
  const maintenance = mulDiv(notional, BigInt(f.perp[1]), BPS, true);
  if (initial === null || maintenance === null) return null;
  return { equity: h.equity + value, initial: h.initial + initial, maintenance: h.maintenance + maintenance };
}

/** `StandardMargin::health_at_spot`: the oracle at `spot`, the marks moved there. */
export function healthAtSpot(f: MarginFactors, collateral: bigint, positions: MarkedPosition[], perp: Perp, spot: bigint, conf: bigint) {
  const h = health(f, collateral, positions, spot, conf);
  return h === null ? null : withPerp(f, h, perp, spot, conf);
}

/**
 * The search of `StandardMargin::liquidation_prices` for any `fails(spot)`: the highest spot
 * below `price` and the lowest above it where it fails, over a grid of 0.5% steps then bisected;
 * null on a side that holds over the whole grid, `price` on both when it fails already.
 */
export function liquidationSearch(price: bigint, fails: (spot: bigint) => boolean): [bigint | null, bigint | null] {
  if (fails(price)) return [price, price];
  const out: [bigint | null, bigint | null] = [null, null];
  for (const [slot, up] of [
    [0, false],
    [1, true],
  ] as const) {
    let safe = price;
    for (let i = 1n; i <= LIQUIDATION_SEARCH_STEPS; i++) {
      const bps = up ? BPS + i * LIQUIDATION_SEARCH_STEP_BPS : max(BPS - i * LIQUIDATION_SEARCH_STEP_BPS, 0n);
      const spot = mulDiv(price, bps, BPS, false);
      if (spot === null || spot === 0n) break;
      if (!fails(spot)) {
        safe = spot;
        continue;
      }
      let [ok, bad] = [safe, spot];
      while (abs(ok - bad) > 1n) {
        const mid = min(ok, bad) + abs(ok - bad) / 2n;
        if (fails(mid)) bad = mid;
        else ok = mid;
      }
      out[slot] = bad;
      break;
    }
  }
  return out;
}

/** `StandardMargin::liquidation_prices`: where the account (collateral in quote) falls below
 * maintenance, its marks moved along their deltas. */
export function liquidationPrices(
  f: MarginFactors,
  collateral: bigint,
  positions: MarkedPosition[],
  perp: Perp,
  price: bigint,
  conf: bigint,
): [bigint | null, bigint | null] {
  return liquidationSearch(price, (spot) => {
    const h = healthAtSpot(f, collateral, positions, perp, spot, conf);
    return h === null || !meetsMaintenance(h);
  });
}

// The trade charge (`controller::trading::charge`), given the model price and vega the program
// computes at the surface vol (the app's float Black-76 agrees to ~1e-7 of spot).

export type ChargeRisk = {
  maxNetDelta: bigint;
  maxNetVega: bigint;
  maxNetGamma: bigint;
  inventorySkewBps: number;
  vegaFeeBps: number;
  takerFeeBps: number;
  baseSpreadBps: number;
  maxSpreadBps: number;
  oracleChoiceMoveBps: number;
};

export function inventoryLeanBps(vegaAfter: bigint, maxNetVega: bigint, gammaAfter: bigint, maxNetGamma: bigint): bigint {
  const share = (value: bigint, cap: bigint) => (cap === 0n ? 0n : clamp((-value * BPS) / cap, -BPS, BPS));
  return clamp(share(vegaAfter, maxNetVega) + share(gammaAfter, maxNetGamma), -BPS, BPS);
}

export function inventoryPrice(modelPrice: bigint, vega: bigint, vol: bigint, lean: bigint, skewBps: number): [bigint, bigint] {
  if (skewBps === 0 || lean === 0n) return [modelPrice, 0n];
  const shift = (((vol * BigInt(skewBps)) / BPS) * clamp(lean, -BPS, BPS)) / BPS;
  const deltaPrice = (vega * shift) / VOL_PRECISION;
  return [max(modelPrice + deltaPrice, 0n), shift];
}

export function utilisationBps(delta: bigint, vega: bigint, deltaCap: bigint, vegaCap: bigint): bigint {
  const ratio = (value: bigint, cap: bigint) => (cap === 0n ? BPS : min((abs(value) * BPS) / cap, U64_MAX));
  return max(ratio(delta, deltaCap), ratio(vega, vegaCap));
}

export function spreadBps(baseBps: number, maxBps: number, utilisation: bigint): bigint {
  const base = BigInt(baseBps);
  const top = BigInt(Math.max(maxBps, baseBps));
  return base + ((top - base) * min(utilisation, BPS)) / BPS;
}

export function premium(modelPrice: bigint, size: bigint, spread: bigint, buy: boolean): bigint | null {
  const factor = buy ? BPS + spread : max(BPS - spread, 0n);
  const perUnit = mulDiv(modelPrice, factor, BPS, buy);
  return perUnit === null ? null : timesSize(perUnit, size, buy);
}

/** ⌊√x⌋ for x ≥ 0: Newton's method from a power of two above the root, as the program's. */
function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  let r = 1n << BigInt(Math.ceil(x.toString(2).length / 2));
  for (;;) {
    const next = (r + x / r) >> 1n;
    if (next >= r) return r;
    r = next;
  }
}

/** `oracle_choice_move_e7`: the 60 s 99.9th-percentile move scaled by √(age / 60), in 1e-7. */
export function oracleChoiceMoveE7(moveBps: number, ageSecs: number): bigint {
  const age = BigInt(Math.min(Math.max(Math.floor(ageSecs), 0), 86_400));
  return BigInt(moveBps) * isqrt((age * 1_000_000n) / 60n);
}

/** `oracle_choice_charge`: what a stale update's move is worth on `size` units beyond the spread. */
export function oracleChoiceCharge(
  delta: bigint,
  dollarGamma: bigint,
  spot: bigint,
  moveE7: bigint,
  price: bigint,
  spread: bigint,
  size: bigint,
): bigint | null {
  if (moveE7 === 0n) return 0n;
  const perDelta = mulDiv(spot, abs(delta), 1_000_000n, true);
  const deltaTerm = perDelta === null ? null : mulDiv(perDelta, moveE7, 10_000_000n, true);
  const perGamma = mulDiv(dollarGamma, moveE7, 1_000_000n, true);
  const gammaTerm = perGamma === null ? null : mulDiv(perGamma, moveE7, 2_000_000n, true);
  const inSpread = mulDiv(price, spread, BPS, false);
  if (deltaTerm === null || gammaTerm === null || inSpread === null) return null;
  return timesSize(max(deltaTerm + gammaTerm - inSpread, 0n), size, true);
}

export function tradeFeeRateE8(takerBps: number, vegaBefore: bigint, vegaAfter: bigint, maxNetVega: bigint, vegaFeeBps: number): bigint {
  const taker = BigInt(takerBps) * BPS;
  if (abs(vegaAfter) <= abs(vegaBefore) || maxNetVega === 0n) return taker;
  const used = min((abs(vegaAfter) * BPS) / maxNetVega, BPS);
  return taker + BigInt(vegaFeeBps) * used;
}

/** Quote (6 decimals) to collateral units (`precision::quote_to_collateral`). */
export function quoteToCollateral(quote: bigint, decimals: number, up: boolean): bigint | null {
  if (decimals >= 6) {
    const v = quote * 10n ** BigInt(decimals - 6);
    return v > U64_MAX ? null : v;
  }
  return mulDiv(quote, 1n, 10n ** BigInt(6 - decimals), up);
}

export type TradeCharge = {
  lean: bigint;
  price: bigint;
  volShift: bigint;
  spreadBps: bigint;
  oracleChoice: bigint;
  gross: bigint;
  fee: bigint;
};

/** The trade's oracle update: the series' delta (1e-6) and dollar gamma per 1% (quote), the
 * spot and the update's age in seconds, for the oracle choice charge. */
export type ChoiceInput = { delta: bigint; dollarGamma: bigint; spot: bigint; ageSecs: number };

/**
 * What the program charges for `size` (> 0 buys) of a series at `modelPrice` / `vega` (quote
 * per 1.00 of vol) and `vol`, with the vault's net delta and vega before and after the trade
 * and its vega and dollar gamma in the series' expiry after it (all quote), and the oracle
 * update the trade reads (`choice`: the older the update, the more its choice is charged).
 */
export function charge(
  risk: ChargeRisk,
  modelPrice: bigint,
  vega: bigint,
  vol: bigint,
  size: bigint,
  before: { delta: bigint; vega: bigint },
  after: { delta: bigint; vega: bigint },
  expiryAfter: { vega: bigint; gamma: bigint },
  decimals: number,
  choice: ChoiceInput,
): TradeCharge | null {
  const lean = inventoryLeanBps(expiryAfter.vega, risk.maxNetVega, expiryAfter.gamma, risk.maxNetGamma);
  const [price, volShift] = inventoryPrice(modelPrice, vega, vol, lean, risk.inventorySkewBps);
  const utilisation = utilisationBps(after.delta, after.vega, risk.maxNetDelta, risk.maxNetVega);
  const spread = spreadBps(risk.baseSpreadBps, risk.maxSpreadBps, utilisation);
  const buy = size > 0n;
  const atSpread = premium(price, abs(size), spread, buy);
  const move = oracleChoiceMoveE7(risk.oracleChoiceMoveBps, choice.ageSecs);
  const oracleChoice = oracleChoiceCharge(choice.delta, choice.dollarGamma, choice.spot, move, price, spread, abs(size));
  if (atSpread === null || oracleChoice === null) return null;
  const gross = buy ? atSpread + oracleChoice : max(atSpread - oracleChoice, 0n);
  const rate = tradeFeeRateE8(risk.takerFeeBps, before.vega, after.vega, risk.maxNetVega, risk.vegaFeeBps);
  const feeQuote = mulDiv(atSpread, rate, FEE_RATE_DENOMINATOR, true);
  const fee = feeQuote === null ? null : quoteToCollateral(feeQuote, decimals, true);
  return fee === null ? null : { lean, price, volShift, spreadBps: spread, oracleChoice, gross, fee };
}
