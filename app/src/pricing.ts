// Display-only model prices: Black-76 on the market's spot at the volatility the posted SVI
// surface gives the series, read exactly as the program reads it (math::surface::implied_vol:
// the expiry's own smile, linear in total variance between smiles, constant variance rate
// before the first; rate w/T with T from the fit time). Float arithmetic: the program's
// fixed-point price is authoritative; this agrees with QuantLib to ~1e-7 of spot (tested).

const YEAR = 365 * 86_400;
const SVI_PRECISION = 1e9;

export type Slice = { expiryTs: number; a: number; b: number; rho: number; m: number; sigma: number };

/** On-chain `SviSlice` (9-decimal fixed point) to floats. */
export function sliceFromChain(s: {
  expiryTs: { toString(): string };
  a: { toString(): string };
  b: { toString(): string };
  rho: { toString(): string };
  m: { toString(): string };
  sigma: { toString(): string };
}): Slice {
  const f = (v: { toString(): string }) => Number(v.toString()) / SVI_PRECISION;
  return { expiryTs: Number(s.expiryTs.toString()), a: f(s.a), b: f(s.b), rho: f(s.rho), m: f(s.m), sigma: f(s.sigma) };
}

export function totalVariance(s: Slice, k: number): number {
  const x = k - s.m;
  return s.a + s.b * (s.rho * x + Math.sqrt(x * x + s.sigma * s.sigma));
}

/** Vol for `expiryTs` at log-moneyness k; null beyond the last smile or with no variance. */
export function impliedVol(slices: Slice[], fitTs: number, expiryTs: number, k: number): number | null {
  if (expiryTs <= fitTs) return 0;
  const i = slices.findIndex((s) => s.expiryTs >= expiryTs);
  if (i < 0) return null;
  const upper = slices[i];
  const wUpper = totalVariance(upper, k);
  let w: number;
  if (upper.expiryTs === expiryTs) w = wUpper;
  else if (i === 0) w = (wUpper * (expiryTs - fitTs)) / (upper.expiryTs - fitTs);
  else {
    const lower = slices[i - 1];
    const wLower = totalVariance(lower, k);
    w = wLower + ((wUpper - wLower) * (expiryTs - lower.expiryTs)) / (upper.expiryTs - lower.expiryTs);
  }
  if (!(w > 0)) return null;
  return Math.sqrt(w / ((expiryTs - fitTs) / YEAR));
}

/** erfc with fractional error < 1.2e-7 (Numerical Recipes' Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

const N = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

/** Black-76 on forward F, times `discount` (1: the program's zero rate). */
export function black76(call: boolean, forward: number, strike: number, years: number, vol: number, discount = 1): number {
  const intrinsic = Math.max(call ? forward - strike : strike - forward, 0);
  if (years <= 0 || vol <= 0) return discount * intrinsic;
  const sd = vol * Math.sqrt(years);
  const d1 = Math.log(forward / strike) / sd + sd / 2;
  const d2 = d1 - sd;
  const price = call ? forward * N(d1) - strike * N(d2) : strike * N(-d2) - forward * N(-d1);
  return discount * Math.max(price, 0);
}

/** A series' model price now, or null when the surface cannot price it. */
export function modelPrice(
  call: boolean,
  spot: number,
  strike: number,
  expiryTs: number,
  now: number,
  slices: Slice[],
  fitTs: number,
): number | null {
  if (expiryTs <= now) return Math.max(call ? spot - strike : strike - spot, 0);
  const vol = impliedVol(slices, fitTs, expiryTs, Math.log(strike / spot));
  return vol === null ? null : black76(call, spot, strike, (expiryTs - now) / YEAR, vol);
}

export type Greeks = {
  price: number;
  /** dV/dF (undiscounted, zero rate as on chain). */
  delta: number;
  /** d²V/dF². */
  gamma: number;
  /** dV/dσ per 1.00 of vol. */
  vega: number;
  /** dV/dt per year of calendar time (zero rate). */
  theta: number;
};

const pdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

/** Black-76 price and Greeks on forward F at zero rate, the program's convention. */
export function black76Greeks(call: boolean, forward: number, strike: number, years: number, vol: number): Greeks {
  const price = black76(call, forward, strike, years, vol);
  if (years <= 0 || vol <= 0) {
    const itm = call ? forward > strike : forward < strike;
    return { price, delta: itm ? (call ? 1 : -1) : 0, gamma: 0, vega: 0, theta: 0 };
  }
  const sd = vol * Math.sqrt(years);
  const d1 = Math.log(forward / strike) / sd + sd / 2;
  const n1 = N(d1);
  return {
    price,
    delta: call ? n1 : n1 - 1,
    gamma: pdf(d1) / (forward * sd),
    vega: forward * pdf(d1) * Math.sqrt(years),
    theta: (-forward * pdf(d1) * vol) / (2 * Math.sqrt(years)),
  };
}
