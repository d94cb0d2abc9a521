import { describe, expect, it } from "vitest";
import golden from "./pyth.golden.json";
import { parsePriceUpdate, toPricePrecision } from "./pyth";

const bytes = (hex: string) => Uint8Array.from(hex.match(/../g)!.map((b) => parseInt(b, 16)));

describe("PriceUpdateV2 as pyth-solana-receiver-sdk serialises it", () => {
  it.each(golden)("price $price at expo $expo", (c) => {
    const r = parsePriceUpdate(bytes(c.data));
    expect(r).toEqual({ feedId: c.feedId, price: BigInt(c.price), conf: BigInt(c.conf), expo: c.expo, publishTime: c.publishTime });
  });

  it("converts to the program's 6 decimals and refuses truncated data", () => {
    const r = parsePriceUpdate(bytes(golden[0].data))!;
    expect(toPricePrecision(r).price).toBe(65_000_000_000n);
    expect(parsePriceUpdate(bytes(golden[0].data).subarray(0, 60))).toBeNull();
  });
});
