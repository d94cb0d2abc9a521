// The trader's numbers, as the program computes them: the option chain (model price, vol and
// Greeks from the posted surface, the price the vault charges to buy and pays to sell), a
// trade's preview (premium, fee, the account's margin before and after, the named error the
// program would refuse it with), the account's health and liquidation prices, and its P&L
// against spot. The price rule is `margin.ts` (exact ports, golden-tested); the model is
// `pricing.ts` (Black-76 on the surface, QuantLib-tested).
import type { MarginAccountState } from "./chain/program";
import type { MarketView, VaultView } from "./chain/vault";
import {
  BPS,
  charge,
  health as standardHealth,
  liquidationSearch,
  meetsMaintenance,
  meetsInitial,
  PRICE_PRECISION,
  quoteToCollateral,
  SIZE_PRECISION,
  withPerp,
  type ChargeRisk,
  type Health,
  type MarginFactors,
  type MarkedPosition,
  type Perp,
} from "./margin";
import { black76Greeks, impliedVol, sliceFromChain, type Greeks } from "./pricing";
import { PAUSE } from "./shares";

const YEAR = 365 * 86_400;
const big = (v: { toString(): string }): bigint => BigInt(v.toString());
const abs = (x: bigint) => (x < 0n ? -x : x);
const toQuote = (x: number) => BigInt(Math.round(x * 1e6));

export type Series = MarketView["book"]["series"][number];

export const isCall = (s: Series) => s.side === 0;

/** The program's vault position in a series: what it is short to traders minus what it is long. */
export const vaultPosition = (s: Series) => big(s.openShort) - big(s.openLong);

export function factors(v: VaultView, m: MarketView): MarginFactors {
  const r = m.state.risk;
  return {
    initial: [r.initialABps, r.initialBBps],
    maintenance: [r.maintenanceABps, r.maintenanceBBps],
    perp: [r.perpInitialBps, r.perpMaintenanceBps],
    confMultiplierBps: v.state.params.confMultiplierBps,
  };
}

export function chargeRisk(m: MarketView): ChargeRisk {
  const r = m.state.risk;
  return {
    maxNetDelta: big(r.maxNetDelta),
    maxNetVega: big(r.maxNetVega),
    maxNetGamma: big(r.maxNetGamma),
    inventorySkewBps: r.inventorySkewBps,
    vegaFeeBps: r.vegaFeeBps,
    takerFeeBps: r.takerFeeBps,
    baseSpreadBps: r.baseSpreadBps,
    maxSpreadBps: r.maxSpreadBps,
    oracleChoiceMoveBps: r.oracleChoiceMoveBps,
  };
}

/** The newest price the program would take (PRICE_PRECISION): the oracle account's when it is
 * newer than the market's last accepted one, which a trade then records. */
export function marketPrice(m: MarketView): { price: bigint; conf: bigint; publishTime: number } {
  const o = m.oraclePrice;
  const last = Number(m.state.lastPublishTime.toString());
  if (o && o.price > 0n && o.publishTime >= last) return o;
  return { price: big(m.state.lastPrice), conf: big(m.state.lastConf), publishTime: last };
}

/** Seconds a trade may take to land after its preview: its limit allows the oracle choice
 * charge of an update this much older than at the preview. */
const LANDING_SECS = 10;

/** A series' model at `spot` (dollars) and `now` on the posted surface; null when unpriceable. */
export function seriesModel(m: MarketView, s: Series, spot: number, now: number): (Greeks & { vol: number; years: number }) | null {
  const expiry = Number(s.expiryTs.toString());
  const strike = Number(s.strike.toString()) / 1e6;
  const slices = m.surface.slices.slice(0, m.surface.sliceCount).map(sliceFromChain);
  const years = (expiry - now) / YEAR;
  if (years <= 0) return null;
  const vol = impliedVol(slices, Number(m.surface.updatedTs.toString()), expiry, Math.log(strike / spot));
  if (vol === null || !(vol > 0)) return null;
  return { ...black76Greeks(isCall(s), spot, strike, years, vol), vol, years };
}

/** The mark `trade_option` stores on the traded series (`controller::store_mark`), from the model. */
type Mark = { price: bigint; delta: bigint; vega: bigint; gamma: bigint; spot: bigint };

function markOf(s: Series): Mark {
  return { price: big(s.markPrice), delta: big(s.markDelta), vega: big(s.markVega), gamma: big(s.markGamma), spot: big(s.markSpot) };
}

function modelMark(g: Greeks & { vol: number; years: number }, spot: bigint): Mark {
  const vega = toQuote(g.vega);
  // `math::margin::dollar_gamma`: vega / (100·σ·T), per unit for a 1% move.
  const gamma = g.years > 0 && g.vol > 0 ? toQuote(g.vega / (100 * g.vol * g.years)) : 0n;
  return { price: toQuote(g.price), delta: toQuote(g.delta), vega, gamma, spot };
}

/** The vault's net delta and vega in quote (`Exposure::in_quote`), options and hedge, with each
 * series at `marks` (defaults: the book's) and `positions` (defaults: the book's). */
function vaultExposure(m: MarketView, marks: Map<number, Mark>, positions: Map<number, bigint>, spot: bigint) {
  let sizeDelta = big(m.book.vaultHedge.size) * 1_000_000n;
  let sizeVega = 0n;
  m.book.series.forEach((s, i) => {
    const size = positions.get(i) ?? vaultPosition(s);
    if (size === 0n) return;
    const mark = marks.get(i) ?? markOf(s);
    sizeDelta += size * mark.delta;
    sizeVega += size * mark.vega;
  });
  return { delta: (sizeDelta * spot) / (SIZE_PRECISION * 1_000_000n), vega: sizeVega / (SIZE_PRECISION * 100n) };
}

/** The vault's vega and dollar gamma in quote over the series of one expiry. */
function expiryGreeks(m: MarketView, expiry: bigint, marks: Map<number, Mark>, positions: Map<number, bigint>) {
  let [vega, gamma] = [0n, 0n];
  m.book.series.forEach((s, i) => {
    if (big(s.expiryTs) !== expiry) return;
    const size = positions.get(i) ?? vaultPosition(s);
    const mark = marks.get(i) ?? markOf(s);
    vega += size * mark.vega;
    gamma += size * mark.gamma;
  });
  return { vega: vega / (SIZE_PRECISION * 100n), gamma: gamma / SIZE_PRECISION };
}

/** The account's option positions in `m` as the margin model reads them, with `override`
 * (series index → size and mark) applied. */
function marked(account: MarginAccountState | null, m: MarketView, override?: { index: number; size: bigint; mark: Mark }) {
  const out: MarkedPosition[] = [];
  const add = (index: number, size: bigint, mark: Mark) => {
    const s = m.book.series[index];
    if (size === 0n) return;
    out.push({
      size,
      call: isCall(s),
      strike: big(s.strike),
      markPrice: mark.price,
      markDelta: mark.delta,
      markSpot: mark.spot,
      settled: s.status === 3,
    });
  };
  for (const p of account?.positions ?? []) {
    if (p.marketIndex !== m.index || big(p.size) === 0n || p.seriesIndex === override?.index) continue;
    add(p.seriesIndex, big(p.size), markOf(m.book.series[p.seriesIndex]));
  }
  if (override) add(override.index, override.size, override.mark);
  return out;
}

export const positionSize = (account: MarginAccountState | null, market: number, series: number) =>
  big(account?.positions.find((p) => p.marketIndex === market && p.seriesIndex === series && big(p.size) !== 0n)?.size ?? 0);

export const isPortfolio = (account: MarginAccountState | null) => (account?.marginMode ?? 0) === 1;

/** The account's standard-rule health across every market it holds, each at its newest price,
 * with `override` in market `m`; null under portfolio margin (judged on chain only). */
export function accountHealth(
  v: VaultView,
  account: MarginAccountState | null,
  collateral: bigint,
  override?: { market: number; index: number; size: bigint; mark: Mark },
): Health | null {
  if (isPortfolio(account)) return null;
  const decimals = v.state.collateralDecimals;
  let total: Health = { equity: collateral * 10n ** BigInt(6 - Math.min(decimals, 6)), initial: 0n, maintenance: 0n };
  if (decimals > 6) total.equity = collateral / 10n ** BigInt(decimals - 6);
  for (const m of v.markets) {
    const { price, conf } = marketPrice(m);
    if (price === 0n) continue;
    const f = factors(v, m);
    const part = standardHealth(f, 0n, marked(account, m, override?.market === m.index ? override : undefined), price, conf);
    const perp: Perp =
      account && account.hedgeMarketIndex === m.index && account.hedgeMarket.equals(m.address)
        ? { size: big(account.hedge.size), quoteEntry: big(account.hedge.quoteEntry) }
        : { size: 0n, quoteEntry: 0n };
    const withHedge = part && withPerp(f, part, perp, price, conf);
    if (!withHedge) return null;
    total = {
      equity: total.equity + withHedge.equity,
      initial: total.initial + withHedge.initial,
      maintenance: total.maintenance + withHedge.maintenance,
    };
  }
  return total;
}

/** Health over maintenance as a ratio (∞ with no requirement), for display. */
export const healthRatio = (h: Health) => (h.maintenance === 0n ? Infinity : Number(h.equity) / Number(h.maintenance));

export type TradePreview = {
  model: Greeks & { vol: number; years: number };
  /** Per-unit price after the inventory shift (dollars) and the vol shift (vol points). */
  unitPrice: number;
  volShift: number;
  spreadBps: number;
  /** Quote units: the oracle choice charge inside the premium (the price update's age). */
  oracleChoice: bigint;
  /** Collateral units: what a buyer pays in all, or a seller receives, and the fee inside it. */
  total: bigint;
  fee: bigint;
  /** Collateral units: the trader's limit with its slippage allowance. */
  limit: bigint;
  before: Health | null;
  after: Health | null;
  /** The program's error this trade would be refused with, when it can be known before sending. */
  error: string | null;
};

/**
 * The preview of trading `size` (SIZE_PRECISION, > 0 buys) of series `index` in `m` with
 * `slippageBps` of allowance, at the market's newest price: what `trade_option` would charge
 * and the account's margin around it.
 */
export function previewTrade(
  v: VaultView,
  m: MarketView,
  index: number,
  size: bigint,
  slippageBps: number,
  account: MarginAccountState | null,
  now: number,
): TradePreview | null {
  const s = m.book.series[index];
  const { price: spot, publishTime } = marketPrice(m);
  if (!s || spot === 0n || size === 0n) return null;
  const model = seriesModel(m, s, Number(spot) / 1e6, now);
  const expired = BigInt(now) >= big(s.expiryTs);
  if (!model) {
    return expired ? { ...emptyPreview(), error: "SeriesExpired" } : null;
  }
  const mark = modelMark(model, spot);
  const marks = new Map([[index, mark]]);
  const before = vaultExposure(m, marks, new Map(), spot);
  const vaultAfter = vaultPosition(s) - size;
  const positions = new Map([[index, vaultAfter]]);
  const after = vaultExposure(m, marks, positions, spot);
  const expiry = expiryGreeks(m, big(s.expiryTs), marks, positions);
  const decimals = v.state.collateralDecimals;
  const chargeAt = (ageSecs: number) =>
    charge(chargeRisk(m), mark.price, mark.vega, toQuote(model.vol), size, before, after, expiry, decimals, {
      delta: mark.delta,
      dollarGamma: mark.gamma,
      spot,
      ageSecs,
    });
  const age = Math.max(now - publishTime, 0);
  const c = chargeAt(age);
  const landing = chargeAt(age + LANDING_SECS);
  if (!c || !landing) return null;
  const buy = size > 0n;
  const totalOf = (x: { gross: bigint; fee: bigint }) => {
    const gross = quoteToCollateral(x.gross, decimals, buy) ?? 0n;
    return buy ? gross + x.fee : gross > x.fee ? gross - x.fee : 0n;
  };
  const total = totalOf(c);
  const worst = totalOf(landing);
  const allowance = (worst * BigInt(Math.round(slippageBps))) / BPS;
  const limit = buy ? worst + allowance : worst - allowance;
  const collateral = big(account?.collateral ?? 0);
  const old = positionSize(account, m.index, index);
  const collateralAfter = buy ? collateral - total : collateral + total;
  const healthBefore = accountHealth(v, account, collateral);
  const healthAfter = accountHealth(v, account, collateralAfter > 0n ? collateralAfter : 0n, {
    market: m.index,
    index,
    size: old + size,
    mark,
  });
  const r = m.state.risk;
  const breaches = (b: bigint, a: bigint, cap: bigint) => abs(a) > cap && abs(a) > abs(b);
  const reduces = (old > 0n ? old + size >= 0n : old + size <= 0n) && abs(old + size) < abs(old);
  let error: string | null = null;
  if (expired) error = "SeriesExpired";
  else if ((v.state.pauseFlags & PAUSE.trading) !== 0) error = "TradingPaused";
  else if (!account) error = "AccountNotInitialized";
  else if (breaches(before.delta, after.delta, big(r.maxNetDelta))) error = "DeltaCapExceeded";
  else if (breaches(before.vega, after.vega, big(r.maxNetVega))) error = "VegaCapExceeded";
  else if (buy && total > collateral) error = "InsufficientCollateral";
  else if (!reduces && healthAfter && !meetsInitial(healthAfter)) error = "InsufficientMargin";
  return {
    model,
    unitPrice: Number(c.price) / 1e6,
    volShift: Number(c.volShift) / 1e4,
    spreadBps: Number(c.spreadBps),
    oracleChoice: c.oracleChoice,
    total,
    fee: c.fee,
    limit,
    before: healthBefore,
    after: healthAfter,
    error,
  };
}

function emptyPreview(): TradePreview {
  const zero: Greeks & { vol: number; years: number } = { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, vol: 0, years: 0 };
  return {
    model: zero,
    unitPrice: 0,
    volShift: 0,
    spreadBps: 0,
    oracleChoice: 0n,
    total: 0n,
    fee: 0n,
    limit: 0n,
    before: null,
    after: null,
    error: null,
  };
}

/** One row of the option chain: a strike's call and put, each with its model and one unit's
 * buy and sell price as the program would charge them now. */
export type ChainQuote = { index: number; model: Greeks & { vol: number }; bid: number; ask: number };
export type ChainRow = { strike: number; call: ChainQuote | null; put: ChainQuote | null };

export function optionChain(v: VaultView, m: MarketView, expiry: number, now: number): ChainRow[] {
  const rows = new Map<number, ChainRow>();
  const unit = SIZE_PRECISION;
  m.book.series.forEach((s, index) => {
    if (s.status !== 1 || Number(s.expiryTs.toString()) !== expiry) return;
    const strike = Number(s.strike.toString()) / 1e6;
    const buy = previewTrade(v, m, index, unit, 0, null, now);
    const sell = previewTrade(v, m, index, -unit, 0, null, now);
    const row = rows.get(strike) ?? { strike, call: null, put: null };
    if (buy && sell) {
      const per = (x: bigint) => Number(x) / 10 ** v.state.collateralDecimals;
      const quote = { index, model: buy.model, ask: per(buy.total), bid: per(sell.total) };
      if (isCall(s)) row.call = quote;
      else row.put = quote;
    }
    rows.set(strike, row);
  });
  return [...rows.values()].sort((a, b) => a.strike - b.strike);
}

/** The listed, unexpired expiries of a market, earliest first. */
export function expiries(m: MarketView, now: number): number[] {
  const all = m.book.series.filter((s) => s.status === 1 && Number(s.expiryTs.toString()) > now).map((s) => Number(s.expiryTs.toString()));
  return [...new Set(all)].sort((a, b) => a - b);
}

export type PositionView = {
  market: MarketView;
  index: number;
  series: Series;
  size: number;
  mark: number;
  model: (Greeks & { vol: number; years: number }) | null;
};

export function accountPositions(v: VaultView, account: MarginAccountState | null, now: number): PositionView[] {
  if (!account) return [];
  return account.positions
    .filter((p) => big(p.size) !== 0n)
    .flatMap((p) => {
      const market = v.markets.find((m) => m.index === p.marketIndex);
      if (!market) return [];
      const series = market.book.series[p.seriesIndex];
      const spot = Number(marketPrice(market).price) / 1e6;
      return [
        {
          market,
          index: p.seriesIndex,
          series,
          size: Number(big(p.size)) / Number(SIZE_PRECISION),
          mark: Number(big(series.markPrice)) / Number(PRICE_PRECISION),
          model: seriesModel(market, series, spot, now),
        },
      ];
    });
}

/** The account's liquidation prices in market `m` (dollars): the program's search with this
 * market's options and perpetual moved to each spot, everything else in the account (collateral,
 * other markets) held at its current equity and requirement. */
export function accountLiquidationPrices(v: VaultView, account: MarginAccountState, m: MarketView): [number | null, number | null] | null {
  if (isPortfolio(account)) return null;
  const whole = accountHealth(v, account, big(account.collateral));
  const { price, conf } = marketPrice(m);
  const f = factors(v, m);
  const positions = marked(account, m);
  const perp: Perp =
    account.hedgeMarketIndex === m.index && account.hedgeMarket.equals(m.address)
      ? { size: big(account.hedge.size), quoteEntry: big(account.hedge.quoteEntry) }
      : { size: 0n, quoteEntry: 0n };
  const here = (spot: bigint) => {
    const h = standardHealth(f, 0n, positions, spot, conf);
    return h && withPerp(f, h, perp, spot, conf);
  };
  const now = here(price);
  if (!whole || !now) return null;
  const rest = { equity: whole.equity - now.equity, maintenance: whole.maintenance - now.maintenance };
  const [below, above] = liquidationSearch(price, (spot) => {
    const h = here(spot);
    return h === null || !meetsMaintenance({ ...h, equity: h.equity + rest.equity, maintenance: h.maintenance + rest.maintenance });
  });
  const usd = (x: bigint | null) => (x === null ? null : Number(x) / 1e6);
  return [usd(below), usd(above)];
}

/** The account's P&L against spot in market `m`, relative to now: with today's vols now, and at
 * the nearest expiry (each option then worth intrinsic or, if later, its model value then). */
export function pnlCurve(v: VaultView, account: MarginAccountState, m: MarketView, now: number, points = 121) {
  const spot = Number(marketPrice(m).price) / 1e6;
  const positions = accountPositions(v, account, now).filter((p) => p.market.index === m.index && p.model);
  const expiriesHeld = positions.map((p) => Number(p.series.expiryTs.toString())).filter((e) => e > now);
  const nearest = expiriesHeld.length ? Math.min(...expiriesHeld) : now;
  const perp = account.hedgeMarketIndex === m.index ? Number(big(account.hedge.size)) / 1e6 : 0;
  const valueAt = (s: number, at: number) =>
    positions.reduce((sum, p) => {
      const model = seriesModel(m, p.series, s, at);
      const strike = Number(p.series.strike.toString()) / 1e6;
      const intrinsic = Math.max(isCall(p.series) ? s - strike : strike - s, 0);
      return sum + p.size * (model ? model.price : intrinsic);
    }, perp * s);
  const base = valueAt(spot, now);
  const xs: number[] = [];
  const nowLine: number[] = [];
  const expiryLine: number[] = [];
  for (let i = 0; i < points; i++) {
    const s = spot * (0.6 + (0.8 * i) / (points - 1));
    xs.push(s);
    nowLine.push(valueAt(s, now) - base);
    expiryLine.push(valueAt(s, nearest) - base);
  }
  return { spot, nearest, xs, nowLine, expiryLine };
}
