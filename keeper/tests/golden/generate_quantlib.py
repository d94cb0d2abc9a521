#!/usr/bin/env python3
"""Golden vectors for the keeper's pricing engine, from QuantLib and mpmath
(pip install QuantLib==1.44 mpmath).

Model: Black-Scholes on spot S, continuously compounded rate r, no dividend: forward
F = S*exp(r*T), discount D = exp(-r*T), T = expiry_days / 365. QuantLib's BlackCalculator takes
(F, sigma*sqrt(T), D) directly, so fractional-day expiries down to one minute are exact.

Conventions (same as the keeper): delta dP/dS, gamma d2P/dS2, vega dP/dsigma per 1.00 of vol,
theta dP/dt per year of calendar time, rho dP/dr per 1.00. QuantLib has no vanna/volga:
they are central differences of QuantLib's own analytic vega (vanna = dvega/dS,
volga = dvega/dsigma) with relative bumps of 1e-4 (truncation error ~1e-8 relative).

The implied-vol column is QuantLib's blackFormulaImpliedStdDev / sqrt(T) from QuantLib's price.

QuantLib's CumulativeNormalDistribution computes 0.5*(1 + erf(x/sqrt2)) down to 1e-8, so its
lower tail has absolute (not relative) accuracy: deep out-of-the-money prices lose digits (a
50-digit check shows relative errors up to ~1e-6). The *_exact columns are therefore a second,
independent reference: the Black-Scholes price evaluated by mpmath at 50 digits, and every
Greek by mpmath's numerical differentiation of that price (mp.diff) at the same precision.

Usage: python3 generate_quantlib.py [N] > quantlib_vectors.csv   (default N = 2400, seed 20261124)
"""
import math
import random
import sys

import mpmath as mp
import QuantLib as ql

mp.mp.dps = 50

GREEKS = ["price", "delta", "gamma", "vega", "theta", "rho", "vanna", "volga"]
FIELDS = (["kind", "spot", "strike", "expiry_days", "vol", "rate"] + GREEKS + ["iv_quantlib"]
          + [g + "_exact" for g in GREEKS])


def exact_greeks(kind, spot, strike, t, vol, rate):
    """Price by the closed form at 50 digits; Greeks by mpmath differentiation of it."""
    def price(s, k, tt, v, r):
        sd = v * mp.sqrt(tt)
        d1 = (mp.log(s / k) + (r + v * v / 2) * tt) / sd
        d2 = d1 - sd
        if kind == "call":
            return s * mp.ncdf(d1) - k * mp.exp(-r * tt) * mp.ncdf(d2)
        return k * mp.exp(-r * tt) * mp.ncdf(-d2) - s * mp.ncdf(-d1)

    s, k, tt, v, r = (mp.mpf(x) for x in (spot, strike, t, vol, rate))
    f_s = lambda x: price(x, k, tt, v, r)
    f_v = lambda x: price(s, k, tt, x, r)
    f_sv = lambda x, y: price(x, k, tt, y, r)
    values = [
        price(s, k, tt, v, r),
        mp.diff(f_s, s),
        mp.diff(f_s, s, 2),
        mp.diff(f_v, v),
        -mp.diff(lambda x: price(s, k, x, v, r), tt),
        mp.diff(lambda x: price(s, k, tt, v, x), r),
        mp.diff(f_sv, (s, v), (1, 1)),
        mp.diff(f_v, v, 2),
    ]
    return [float(x) for x in values]


def calculator(kind, spot, strike, t, vol, rate):
    option_type = ql.Option.Call if kind == "call" else ql.Option.Put
    forward = spot * math.exp(rate * t)
    discount = math.exp(-rate * t)
    payoff = ql.PlainVanillaPayoff(option_type, strike)
    return ql.BlackCalculator(payoff, forward, vol * math.sqrt(t), discount)


def row(kind, spot, strike, days, vol, rate):
    t = days / 365.0
    c = calculator(kind, spot, strike, t, vol, rate)
    price = c.value()
    h_s, h_v = spot * 1e-4, vol * 1e-4
    vanna = (calculator(kind, spot + h_s, strike, t, vol, rate).vega(t)
             - calculator(kind, spot - h_s, strike, t, vol, rate).vega(t)) / (2 * h_s)
    volga = (calculator(kind, spot, strike, t, vol + h_v, rate).vega(t)
             - calculator(kind, spot, strike, t, vol - h_v, rate).vega(t)) / (2 * h_v)
    try:
        option_type = ql.Option.Call if kind == "call" else ql.Option.Put
        std = ql.blackFormulaImpliedStdDev(option_type, strike, spot * math.exp(rate * t), price,
                                           math.exp(-rate * t), 0.0, vol * math.sqrt(t), 1e-14, 500)
        iv = std / math.sqrt(t)
    except RuntimeError:
        iv = float("nan")  # QuantLib could not invert (price at or below its precision)
    return ([kind, spot, strike, days, vol, rate, price, c.delta(spot), c.gamma(spot), c.vega(t),
             c.theta(spot, t), c.rho(t), vanna, volga, iv]
            + exact_greeks(kind, spot, strike, t, vol, rate))


def cases(n, rng):
    # Corners first: shortest and longest expiries, extreme moneyness and vols, both kinds.
    for kind in ("call", "put"):
        for m in (0.2, 0.9, 1.0, 1.1, 5.0):
            for days in (1.0 / 1440.0, 1.0, 730.0):
                for vol in (0.05, 0.8, 3.0):
                    yield kind, 100.0, 100.0 * m, days, vol, 0.03
    while True:
        kind = rng.choice(("call", "put"))
        spot = math.exp(rng.uniform(math.log(0.01), math.log(100_000.0)))
        moneyness = math.exp(rng.uniform(math.log(0.2), math.log(5.0)))
        days = math.exp(rng.uniform(math.log(1.0 / 1440.0), math.log(730.0)))
        vol = math.exp(rng.uniform(math.log(0.05), math.log(3.0)))
        rate = rng.uniform(-0.02, 0.10)
        yield kind, spot, spot * moneyness, days, vol, rate


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2400
    rng = random.Random(20261124)
    print(f"# QuantLib {ql.__version__}; generate_quantlib.py {n}; seed 20261124")
    print(",".join(FIELDS))
    for i, case in enumerate(cases(n, rng)):
        if i >= n:
            break
        print(",".join(v if isinstance(v, str) else repr(float(v)) for v in row(*case)))


if __name__ == "__main__":
    main()
