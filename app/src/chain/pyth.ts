// The pull oracle's `PriceUpdateV2` account (pyth-solana-receiver-sdk), read for display and
// previews: the 8-byte discriminator, the write authority, the verification level (a Borsh enum:
// `Partial { num_signatures: u8 }` is two bytes, `Full` one, so every later field shifts), then
// the price message. The program's own reader validates it; the app only needs the price.
// Golden vectors: `crates/exposure-vault-client/tests/app_pyth_vectors.rs`.

export type PythReading = { feedId: string; price: bigint; conf: bigint; expo: number; publishTime: number };

export function parsePriceUpdate(data: Uint8Array): PythReading | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 8 + 32;
  if (data.length < at + 1) return null;
  const level = data[at];
  at += level === 0 ? 2 : level === 1 ? 1 : NaN;
  if (!Number.isFinite(at) || data.length < at + 32 + 8 + 8 + 4 + 8) return null;
  const feedId = Array.from(data.subarray(at, at + 32), (b) => b.toString(16).padStart(2, "0")).join("");
  at += 32;
  const price = view.getBigInt64(at, true);
  const conf = view.getBigUint64(at + 8, true);
  const expo = view.getInt32(at + 16, true);
  const publishTime = Number(view.getBigInt64(at + 20, true));
  return { feedId, price, conf, expo, publishTime };
}

/** A reading in the program's PRICE_PRECISION (6 decimals), rounded toward zero. */
export function toPricePrecision(r: PythReading): { price: bigint; conf: bigint } {
  const shift = 6 + r.expo;
  const scale = (v: bigint) => (shift >= 0 ? v * 10n ** BigInt(shift) : v / 10n ** BigInt(-shift));
  return { price: scale(r.price), conf: scale(r.conf) };
}
