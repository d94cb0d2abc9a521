import { describe, expect, it } from "vitest";
import golden from "./margin.golden.json";
import { charge, health, liquidationPrices, withPerp, type ChargeRisk, type MarginFactors, type MarkedPosition } from "./margin";

type Book = (typeof golden.books)[number];
type Charge = (typeof golden.charges)[number];

const factors = (b: Book): MarginFactors => ({
  initial: golden.risk.initial as [number, number],
  maintenance: golden.risk.maintenance as [number, number],
  perp: golden.risk.perp as [number, number],
  confMultiplierBps: b.confMultiplierBps,
});

const positions = (b: Book): MarkedPosition[] =>
  b.positions.map((p) => ({
    size: BigInt(p.size),
    call: p.call,
    strike: BigInt(p.strike),
    markPrice: BigInt(p.markPrice),
    markDelta: BigInt(p.markDelta),
    markSpot: BigInt(p.markSpot),
    settled: p.settled,
  }));

const risk: ChargeRisk = {
  maxNetDelta: BigInt(golden.risk.maxNetDelta),
  maxNetVega: BigInt(golden.risk.maxNetVega),
  maxNetGamma: BigInt(golden.risk.maxNetGamma),
  inventorySkewBps: golden.risk.inventorySkewBps,
  vegaFeeBps: golden.risk.vegaFeeBps,
  takerFeeBps: golden.risk.takerFeeBps,
  baseSpreadBps: golden.risk.baseSpreadBps,
  maxSpreadBps: golden.risk.maxSpreadBps,
  oracleChoiceMoveBps: golden.risk.oracleChoiceMoveBps,
};

describe("margin health and liquidation prices equal the program's (golden vectors from Rust)", () => {
  it.each(golden.books.map((b, i) => [i, b] as const))("book %i", (_, b) => {
    const f = factors(b);
    const perp = { size: BigInt(b.perp.size), quoteEntry: BigInt(b.perp.quoteEntry) };
    const [price, conf, collateral] = [BigInt(b.price), BigInt(b.conf), BigInt(b.collateral)];
    const bare = health(f, collateral, positions(b), price, conf);
    const h = bare && withPerp(f, bare, perp, price, conf);
    expect(h).toEqual({ equity: BigInt(b.equity), initial: BigInt(b.initial), maintenance: BigInt(b.maintenance) });
    const liq = liquidationPrices(f, collateral, positions(b), perp, price, conf);
    expect(liq).toEqual(b.liquidation.map((p) => (p === null ? null : BigInt(p))));
  });
});

describe("the trade charge equals the program's (golden vectors from Rust)", () => {
  it.each(golden.charges.map((c, i) => [i, c] as const))("trade %i", (_, c: Charge) => {
    const got = charge(
      risk,
      BigInt(c.modelPrice),
      BigInt(c.vega),
      BigInt(c.vol),
      BigInt(c.size),
      { delta: BigInt(c.deltaBefore), vega: BigInt(c.vegaBefore) },
      { delta: BigInt(c.deltaAfter), vega: BigInt(c.vegaAfter) },
      { vega: BigInt(c.expiryVegaAfter), gamma: BigInt(c.expiryGammaAfter) },
      6,
      { delta: BigInt(c.delta), dollarGamma: BigInt(c.dollarGamma), spot: BigInt(c.spot), ageSecs: c.oracleAgeSecs },
    );
    expect(got).toEqual({
      lean: BigInt(c.lean),
      price: BigInt(c.price),
      volShift: BigInt(c.volShift),
      spreadBps: BigInt(c.spreadBps),
      oracleChoice: BigInt(c.oracleChoice),
      gross: BigInt(c.gross),
      fee: BigInt(c.fee),
    });
  });
});
