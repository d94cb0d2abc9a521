// The vault's risk: per market its Greeks against the program's caps, the hedge, NAV and share
// price over time, and what the keeper did lately, all read from the chain (accounts and the
// program's events).
import { lazy, Suspense, useCallback, useId, useState } from "react";
import type { Connection } from "@solana/web3.js";
import { KEEPER_EVENTS, recentEvents, type ChainEvent } from "./chain/events";
import type { VaultView } from "./chain/vault";
import { marketGreeks, symbol } from "./Dashboard";
import { useChainData } from "./useVault";

const NavChart = lazy(() => import("./charts").then((m) => ({ default: m.NavChart })));

const usd = (x: number) => x.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const num = (v: { toString(): string }) => Number(v.toString());

/** The vault's net dollar gamma per 1% move in a market, from the cached marks. */
function marketGamma(m: VaultView["markets"][number]) {
  return m.book.series.reduce((sum, s) => {
    const position = (num(s.openShort) - num(s.openLong)) / 1e6;
    return s.status === 0 || position === 0 ? sum : sum + (position * num(s.markGamma)) / 1e6;
  }, 0);
}

function Gauge({ label, value, cap, testId }: { label: string; value: number; cap: number; testId: string }) {
  const share = cap > 0 ? Math.min(1, Math.abs(value) / cap) : 0;
  return (
    <div className="gauge">
      <span className="gauge-label">{label}</span>
      <meter
        min={0}
        max={1}
        low={0.5}
        high={0.8}
        optimum={0}
        value={share}
        aria-label={`${label}: ${usd(value)}, ${(share * 100).toFixed(1)}% of its cap ${usd(cap)}`}
      />
      <span className="gauge-value">
        <span data-testid={testId}>{usd(value)}</span> <small>of {usd(cap)}</small>
      </span>
    </div>
  );
}

export function RiskView({ view, connection }: { view: VaultView; connection: Connection }) {
  const id = useId();
  const [events, setEvents] = useState<ChainEvent[]>([]);
  const vaultKey = view.address.toBase58();
  const load = useCallback(() => recentEvents(connection, view.address), [connection, vaultKey]); // eslint-disable-line react-hooks/exhaustive-deps
  const fail = useCallback(() => undefined, []);
  useChainData(connection, load, setEvents, fail, [view.address], 20_000);
  const d = view.state.collateralDecimals;
  const flows = events.filter((e) => e.name === "liquidityDeposited" || e.name === "liquidityWithdrawn");
  const history = {
    ts: flows.map((e) => e.ts),
    nav: flows.map((e) => num(e.data.netAssetsAfter as { toString(): string }) / 10 ** d),
    sharePrice: flows.map((e) => {
      const nav = num(e.data.netAssetsAfter as { toString(): string }) / 10 ** d;
      const shares = num(e.data.totalSharesAfter as { toString(): string }) / 10 ** (d + 3);
      return shares > 0 ? nav / shares : 1;
    }),
  };
  const actions = events
    .filter((e) => e.name in KEEPER_EVENTS)
    .reverse()
    .slice(0, 20);
  return (
    <>
      <section className="card wide" aria-labelledby={`${id}-greeks`}>
        <h2 id={`${id}-greeks`}>Vault exposure against its caps</h2>
        {view.markets.map((m) => {
          const g = marketGreeks(m);
          const r = m.state.risk;
          return (
            <div key={m.index} className="market-risk" data-testid={`risk-${symbol(m)}`}>
              <h3>
                {symbol(m)} <small>spot {usd(g.spot)}</small>
              </h3>
              <Gauge label="Net delta" value={g.delta} cap={num(r.maxNetDelta) / 1e6} testId={`risk-delta-${symbol(m)}`} />
              <Gauge label="Net vega / vol pt" value={g.vega} cap={num(r.maxNetVega) / 1e6} testId={`risk-vega-${symbol(m)}`} />
              <Gauge label="Net gamma / 1%" value={marketGamma(m)} cap={num(r.maxNetGamma) / 1e6} testId={`risk-gamma-${symbol(m)}`} />
              <p className="hint">
                Hedge perpetual: <span data-testid={`risk-hedge-${symbol(m)}`}>{g.hedge.toFixed(4)}</span> {symbol(m)}. Delta and vega caps
                refuse trades that would take the vault past them; the gamma limit scales inventory pricing. The keeper's own bands sit
                inside.
              </p>
            </div>
          );
        })}
      </section>
      <section className="card wide" aria-labelledby={`${id}-nav`}>
        <h2 id={`${id}-nav`}>NAV and share price</h2>
        {history.ts.length ? (
          <Suspense fallback={<p>Loading chart…</p>}>
            <NavChart {...history} />
          </Suspense>
        ) : (
          <p>No deposits or withdrawals in the recent transactions.</p>
        )}
      </section>
      <section className="card wide" aria-labelledby={`${id}-keeper`}>
        <h2 id={`${id}-keeper`}>Keeper actions</h2>
        <div className="scroll">
          <table data-testid="keeper-actions">
            <thead>
              <tr>
                <th scope="col">Time (UTC)</th>
                <th scope="col">Action</th>
                <th scope="col">Details</th>
                <th scope="col">Transaction</th>
              </tr>
            </thead>
            <tbody>
              {actions.length === 0 && (
                <tr>
                  <td colSpan={4}>None in the recent transactions.</td>
                </tr>
              )}
              {actions.map((e, i) => (
                <tr key={`${e.signature}-${i}`}>
                  <td>{e.ts ? new Date(e.ts * 1000).toISOString().slice(0, 19).replace("T", " ") : "–"}</td>
                  <td>{KEEPER_EVENTS[e.name]}</td>
                  <td>{details(e)}</td>
                  <td>
                    <code title={e.signature}>{e.signature.slice(0, 8)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function details(e: ChainEvent): string {
  const n = (k: string) => num(e.data[k] as { toString(): string });
  switch (e.name) {
    case "hedgeRebalanced":
      return `size ${(n("size") / 1e6).toFixed(4)} at ${usd(n("fillPrice") / 1e6)}`;
    case "optionHedgeRebalanced":
      return `series ${n("seriesIndex")} size ${(n("size") / 1e6).toFixed(4)} at ${(n("vol") / 1e4).toFixed(2)}% vol`;
    case "liquidated":
      return `account ${String(e.data.marginAccount).slice(0, 8)}…`;
    case "marksRefreshed":
      return `${n("seriesRefreshed")} series at ${usd(n("spot") / 1e6)}`;
    case "seriesSettled":
    case "settlementProposed":
      return `series ${n("seriesIndex")}`;
    default:
      return "";
  }
}
