#!/usr/bin/env python3
"""The pull oracle's choice window in numbers (SECURITY.md, "Oracle discipline").

A caller may bring any verified update younger than the oracle's age limit and newer than the
market's last accepted price, so it chooses the slot's price within a window of `max_age_secs`.
What that choice is worth is the price's move inside the window. The committed data has 2-hour
bars only, so the 99.9th percentile of |2 h log return| is scaled to the window by sqrt(t); the
2-hour high-low range is printed beside it as a loose upper bound.

For each age it also prints what `trade_option` charges at the presets (80 bps over 60 s, scaled
by sqrt(age / 60), priced as |delta| * S * m + gamma * (S * m)^2 / 2, less the spread already in
the premium): the oracle choice charge of SECURITY.md's "Oracle discipline", rule 4.

Usage: scripts/oracle-choice-window.py [window_secs ...]   (default: 2 10 60)
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
SPOT, DELTA, PREMIUM, VOL, YEARS = 65_000.0, 0.5, 4_600.0, 0.6, 30 / 365
SPREAD_BPS, FEE_BPS = 50, 10
# MarketRiskParams::PRESET.oracle_choice_move_bps: the 60 s quantile below, rounded up.
CHOICE_MOVE_BPS = 80
# Black-76 gamma of the ATM call, n(d1) / (S sigma sqrt T), with d1 = sigma sqrt T / 2.
GAMMA = math.exp(-((VOL * math.sqrt(YEARS) / 2) ** 2) / 2) / math.sqrt(2 * math.pi) / (
    SPOT * VOL * math.sqrt(YEARS)
)


def quantile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def main():
    windows = [int(w) for w in sys.argv[1:]] or [2, 10, 60]
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
    half_spread = SPREAD_BPS / 10_000 * PREMIUM
    print(f"60 s quantile {q_move * math.sqrt(60 / BAR_SECS):.4%}; preset charge {CHOICE_MOVE_BPS} bps")
    print("age_s  move_99.9  gain_per_contract  charged_move  charge_beyond_spread  spread+charge")
    for w in windows:
        move = q_move * math.sqrt(w / BAR_SECS)
        gain = DELTA * SPOT * move + GAMMA * (SPOT * move) ** 2 / 2
        m = CHOICE_MOVE_BPS / 10_000 * math.sqrt(w / 60)
        worth = DELTA * SPOT * m + GAMMA * (SPOT * m) ** 2 / 2
        charge = max(worth - half_spread, 0.0)
        print(
            f"{w:5d}  {move:9.4%}  ${gain:17,.0f}  {m:12.4%}  ${charge:19,.0f}  ${half_spread + charge:12,.0f}"
        )


if __name__ == "__main__":
    main()
