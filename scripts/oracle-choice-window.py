#!/usr/bin/env python3
"""The pull oracle's choice window in numbers (SECURITY.md, "Oracle discipline").

A caller may bring any verified update younger than the oracle's age limit and newer than the
market's last accepted price, so it chooses the slot's price within a window of `max_age_secs`.
What that choice is worth is the price's move inside the window. The committed data has 2-hour
bars only, so the 99.9th percentile of |2 h log return| is scaled to the window by sqrt(t); the
2-hour high-low range is printed beside it as a loose upper bound.

Usage: scripts/oracle-choice-window.py [window_secs ...]   (default: 10 60 120)
"""
import csv
import gzip
import math
import pathlib
import sys

DATA = pathlib.Path(__file__).resolve().parent.parent / "examples/data/btcusdt_binance_2h.csv.gz"
BAR_SECS = 7_200
# A 30-day ATM BTC call at 60% vol on $65,000: delta and premium, and the presets' base spread
# and taker fee (MarketRiskParams::PRESET), for the per-contract comparison.
SPOT, DELTA, PREMIUM = 65_000.0, 0.5, 4_600.0
SPREAD_BPS, FEE_BPS = 50, 10


def quantile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def main():
    windows = [int(w) for w in sys.argv[1:]] or [10, 60, 120]
    with gzip.open(DATA, "rt") as f:
        rows = list(csv.DictReader(f))
    moves, ranges = [], []
    for row in rows:
        o, h, l, c = (float(row[k]) for k in ("open", "high", "low", "close"))
        moves.append(abs(math.log(c / o)))
        ranges.append(math.log(h / l))
    moves.sort()
    ranges.sort()
    q_move, q_range = quantile(moves, 0.999), quantile(ranges, 0.999)
    print(f"{len(rows)} bars {rows[0]['datetime_utc']} .. {rows[-1]['datetime_utc']}")
    print(f"99.9th percentile: |2 h return| {q_move:.4%}, 2 h high-low range {q_range:.4%}")
    round_trip = 2 * (SPREAD_BPS + FEE_BPS) / 10_000 * PREMIUM
    print(f"ATM call round trip: spread + fee ${round_trip:,.0f} per contract")
    print("window_s  move_99.9  gain_per_contract")
    for w in windows:
        move = q_move * math.sqrt(w / BAR_SECS)
        print(f"{w:8d}  {move:9.4%}  ${DELTA * SPOT * move:,.0f}")


if __name__ == "__main__":
    main()
