import { vaultNumbers, type VaultView } from "./chain/vault";
import { assetsForShares, formatDuration, formatUnits, freeCollateral, PAUSE, SHARE_DECIMALS_OFFSET, vaultNav } from "./shares";
import type { WalletBalances } from "./useVault";
import { modelPrice, sliceFromChain } from "./pricing";

const E6 = 1e6;
const usd = (x: number) => x.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });
const num = (v: { toString(): string }) => Number(v.toString());

/** Net Greeks of the vault in a market from its cached marks: options (the vault holds minus
 * the traders' open interest) plus the hedge perpetual. */
export function marketGreeks(m: VaultView["markets"][number]) {
  let delta = 0;
  let vega = 0;
  let spot = 0;
  let spotTs = 0;
  for (const s of m.book.series) {
    const position = (num(s.openShort) - num(s.openLong)) / E6;
    if (s.status === 0) continue;
    if (num(s.markTs) > spotTs) {
      spotTs = num(s.markTs);
      spot = num(s.markSpot) / E6;
    }
    if (position === 0) continue;
    delta += position * (num(s.markDelta) / E6) * (num(s.markSpot) / E6);
    vega += (position * (num(s.markVega) / E6)) / 100;
  }
  if (num(m.state.lastPublishTime) > spotTs) {
    spotTs = num(m.state.lastPublishTime);
    spot = num(m.state.lastPrice) / E6;
  }
  const hedge = num(m.book.vaultHedge.size) / E6;
  delta += hedge * spot;
  return { delta, vega, hedge, spot, spotTs };
}

export function symbol(m: VaultView["markets"][number]): string {
  return String.fromCharCode(...m.state.symbol.filter((b: number) => b !== 0));
}

export function Overview({ view }: { view: VaultView }) {
  const v = vaultNumbers(view);
  const d = view.state.collateralDecimals;
  const nav = vaultNav(v);
  const sharePrice = assetsForShares(10n ** BigInt(d + SHARE_DECIMALS_OFFSET), nav, v.totalShares) ?? 0n;
  const paused = Object.entries(PAUSE)
    .filter(([, bit]) => v.pauseFlags & bit)
    .map(([name]) => name);
  return (
    <section className="card" aria-labelledby="overview-title">
      <h2 id="overview-title">Vault</h2>
      <dl className="stats">
        <dt>NAV</dt>
        <dd data-testid="nav">{formatUnits(nav, d, 2)} USDC</dd>
        <dt>Share price</dt>
        <dd data-testid="share-price">{formatUnits(sharePrice, d)} USDC</dd>
        <dt>Total shares</dt>
        <dd data-testid="total-shares">{formatUnits(v.totalShares, d + SHARE_DECIMALS_OFFSET, 3)}</dd>
        <dt>Free collateral</dt>
        <dd data-testid="free-collateral">{formatUnits(freeCollateral(nav, v.lockedLiability), d, 2)} USDC</dd>
        <dt>Locked</dt>
        <dd>{formatUnits(v.lockedLiability, d, 2)} USDC</dd>
        <dt title="Deposits price shares at NAV + band, withdrawals at NAV − band: |vault delta| × the priced spot move (SECURITY.md)">
          LP band
        </dt>
        <dd data-testid="lp-band">{formatUnits(v.lpNavBand, d, 2)} USDC</dd>
        <dt>Deposit cap</dt>
        <dd>{formatUnits(v.depositCap, d, 0)} USDC</dd>
        <dt title="Between a withdrawal request and its payout; the shares keep bearing the vault's losses meanwhile, so no LP leaves ahead of bad debt">
          Withdrawal delay
        </dt>
        <dd data-testid="withdrawal-delay">{formatDuration(v.withdrawalDelaySecs)}</dd>
        <dt>Status</dt>
        <dd data-testid="pause-state">{paused.length ? `paused: ${paused.join(", ")}` : "active"}</dd>
      </dl>
      <div className="scroll">
        <table className="markets">
          <caption>Net exposure per market (from the program's cached marks)</caption>
          <thead>
            <tr>
              <th scope="col">Market</th>
              <th scope="col">Oracle price</th>
              <th scope="col">Age</th>
              <th scope="col">Delta</th>
              <th scope="col">Vega / vol pt</th>
              <th scope="col">Hedge</th>
            </tr>
          </thead>
          <tbody>
            {view.markets.map((m) => {
              const g = marketGreeks(m);
              return (
                <tr key={m.index}>
                  <th scope="row">{symbol(m)}</th>
                  <td>{usd(g.spot)}</td>
                  <td>{g.spotTs ? `${Math.max(0, view.now - g.spotTs)} s` : "–"}</td>
                  <td>{usd(g.delta)}</td>
                  <td>{usd(g.vega)}</td>
                  <td>{g.hedge.toFixed(4)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Position({ view, balances, connected }: { view: VaultView; balances: WalletBalances | null; connected: boolean }) {
  const v = vaultNumbers(view);
  const d = view.state.collateralDecimals;
  if (!connected) {
    return (
      <section className="card" aria-labelledby="position-title">
        <h2 id="position-title">Your position</h2>
        <p>Connect a wallet to deposit and withdraw.</p>
      </section>
    );
  }
  const shares = balances?.shares ?? 0n;
  const value = assetsForShares(shares, vaultNav(v), v.totalShares) ?? 0n;
  return (
    <section className="card" aria-labelledby="position-title">
      <h2 id="position-title">Your position</h2>
      <dl className="stats">
        <dt>Shares</dt>
        <dd data-testid="wallet-shares">{formatUnits(shares, d + SHARE_DECIMALS_OFFSET, 3)}</dd>
        <dt>Value</dt>
        <dd data-testid="wallet-value">{formatUnits(value, d, 2)} USDC</dd>
        <dt>Wallet USDC</dt>
        <dd data-testid="wallet-usdc">{formatUnits(balances?.collateral ?? 0n, d, 2)}</dd>
        <dt>Wallet SOL</dt>
        <dd>{balances ? balances.sol.toFixed(3) : "–"}</dd>
      </dl>
    </section>
  );
}

export function SeriesTable({ view }: { view: VaultView }) {
  const models = new Map(
    view.markets.map((m) => {
      const slices = m.surface.slices.slice(0, m.surface.sliceCount).map(sliceFromChain);
      return [m.index, { slices, fitTs: num(m.surface.updatedTs), spot: marketGreeks(m).spot }];
    }),
  );
  const rows = view.markets.flatMap((m) =>
    m.book.series
      .map((s, index) => ({ s, index }))
      .filter(({ s }) => s.status === 1 || s.status === 3)
      .map(({ s, index }) => ({ m, s, index })),
  );
  return (
    <section className="card wide" aria-labelledby="series-title">
      <h2 id="series-title">Series</h2>
      <div className="scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">Market</th>
              <th scope="col">Type</th>
              <th scope="col">Strike</th>
              <th scope="col">Expiry (UTC)</th>
              <th scope="col">Mark (chain)</th>
              <th scope="col">Model (surface)</th>
              <th scope="col">Vault position</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ m, s, index }) => (
              <tr key={`${m.index}-${index}`}>
                <td>{symbol(m)}</td>
                <td>{s.side === 0 ? "Call" : "Put"}</td>
                <td>{usd(num(s.strike) / E6)}</td>
                <td>{new Date(num(s.expiryTs) * 1000).toISOString().slice(0, 16).replace("T", " ")}</td>
                <td>{num(s.markTs) > 0 ? usd(num(s.markPrice) / E6) : "–"}</td>
                <td data-testid="model-price">
                  {(() => {
                    const ctx = models.get(m.index)!;
                    const p = modelPrice(s.side === 0, ctx.spot, num(s.strike) / E6, num(s.expiryTs), view.now, ctx.slices, ctx.fitTs);
                    return p === null ? "–" : usd(p);
                  })()}
                </td>
                <td>{((num(s.openShort) - num(s.openLong)) / E6).toFixed(4)}</td>
                <td>{s.status === 3 ? "settled" : num(s.expiryTs) <= view.now ? "expired" : "live"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
