#!/usr/bin/env python3
"""Writes the stress-test examples: demo-book.json (the localnet demo's vault: BTC at 65,000 and
SOL at 150, series at 0.9/1.0/1.1 moneyness and 7/30-day expiries, the skewed 60% surface of
`exposure_vault_client::surface::skewed_surface`, positions and margin accounts after some
trading) and btc-prices.csv (a SYNTHETIC hourly price series for calibration: GARCH(1,1)-t
returns with a few jumps, seeded; replace it with real data, `timestamp,price`).

Run: python3 examples/make_examples.py
"""
import json
import math
import random

YEAR = 365.0


def skewed_slice(t, atm_vol=0.6, rho=-0.3, sigma=0.1):
    atm_var = atm_vol * atm_vol * t
    b = 0.2 * max(math.sqrt(t), 0.05)
    if atm_var - b * sigma * (1 - math.sqrt(1 - rho * rho)) <= 0:
        b = 0.5 * atm_var / sigma
    return [t, {"a": atm_var - b * sigma, "b": b, "rho": rho, "m": 0.0, "sigma": sigma}]


def surface():
    return [skewed_slice(d / YEAR) for d in (7, 30)]


def position(market, kind, strike, days, size):
    return {"market": market, "kind": kind, "strike": strike, "t": days / YEAR, "size": size}


accounts = []
vault = []
rng = random.Random(11)
for market, spot, unit in (("BTC", 65000.0, 1.0), ("SOL", 150.0, 200.0)):
    strikes = [round(spot * m, 2) for m in (0.9, 1.0, 1.1)]
    for i in range(12):
        positions = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["call", "put"])
            strike = rng.choice(strikes)
            days = rng.choice([7, 30])
            size = round(rng.choice([-1, -1, 1]) * rng.uniform(0.2, 2.0) * unit, 3)
            positions.append(position(market, kind, strike, days, size))
            vault.append(position(market, kind, strike, days, -size))
        notional = sum(abs(p["size"]) for p in positions) * spot
        accounts.append({
            "id": f"{market.lower()}-trader-{i}",
            "market": market,
            "collateral_usd": round(notional * rng.uniform(0.12, 0.3), 2),
            "positions": positions,
        })
    # A hedge provider short the perpetual the vault is long.
    accounts.append({
        "id": f"{market.lower()}-hedge-provider",
        "market": market,
        "collateral_usd": round(spot * unit * 1.5, 2),
        "perp": -2.0 * unit,
        "perp_entry": spot,
    })

book = {
    "nav_usd": 1_000_000.0,
    "insurance_usd": 25_000.0,
    "markets": {
        "BTC": {"spot": 65000.0, "surface": surface(), "hedge": 2.0, "band_usd": 20000.0},
        "SOL": {"spot": 150.0, "surface": surface(), "hedge": 400.0, "band_usd": 20000.0},
    },
    "positions": vault,
    "accounts": accounts,
}
with open("examples/demo-book.json", "w") as f:
    json.dump(book, f, indent=1)
    f.write("\n")

# Hourly closes for a year: GARCH(1,1) with Student-t(4) shocks plus rare jumps.
rng = random.Random(20261124)
price, var = 65000.0, (0.6 ** 2) / (365 * 24)
omega, alpha, beta = var * (1 - 0.05 - 0.92), 0.05, 0.92
ts = 1_700_000_000
lines = ["timestamp,price"]
for _ in range(365 * 24):
    nu = 4.0
    z = rng.gauss(0, 1) / math.sqrt(rng.gammavariate(nu / 2, 2 / nu)) * math.sqrt((nu - 2) / nu)
    r = math.sqrt(var) * z
    if rng.random() < 0.002:
        r += rng.gauss(-0.03, 0.04)
    var = omega + alpha * r * r + beta * var
    price *= math.exp(r)
    ts += 3600
    lines.append(f"{ts},{price:.2f}")
with open("examples/btc-prices.csv", "w") as f:
    f.write("\n".join(lines) + "\n")
print("wrote examples/demo-book.json and examples/btc-prices.csv")
