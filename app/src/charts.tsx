// Charts, lazy-loaded with uPlot (about 50 kB minified, 20 kB gzipped; canvas, so thousands of
// points stay fast): the initial page carries none of it. Each chart fills its container's width,
// re-sized with it (readable at 390 px), and carries an `aria-label` that says what it shows.
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const usd = (x: number) => x.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** A uPlot chart in a div that tracks its width. */
function useUPlot(make: (width: number, el: HTMLDivElement) => uPlot, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = make(Math.max(280, el.clientWidth), el);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: chart.height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return ref;
}

/** Vertical markers (spot, liquidation prices) drawn on uPlot's canvas after the series. */
function markers(lines: { x: number; color: string; label: string }[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        for (const line of lines) {
          const x = Math.round(u.valToPos(line.x, "x", true));
          if (x < bbox.left || x > bbox.left + bbox.width) continue;
          ctx.strokeStyle = line.color;
          ctx.fillStyle = line.color;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
          ctx.fillText(line.label, x + 4 * devicePixelRatio, bbox.top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

export type PnlChartProps = {
  xs: number[];
  nowLine: number[];
  expiryLine: number[];
  spot: number;
  liquidation: [number | null, number | null] | null;
  expiryLabel: string;
};

/** The account's P&L against spot, now and at the nearest expiry, with spot and the liquidation
 * prices marked. */
export function PnlChart(p: PnlChartProps) {
  const liq: number[] = [];
  for (const x of p.liquidation ?? []) if (x !== null) liq.push(x);
  const label = `P&L against spot from ${usd(p.xs[0])} to ${usd(p.xs[p.xs.length - 1])}: now ${usd(
    Math.min(...p.nowLine),
  )} to ${usd(Math.max(...p.nowLine))}; spot ${usd(p.spot)}${liq.length ? `; liquidation at ${liq.map(usd).join(" and ")}` : "; no liquidation price within the range"}`;
  const ref = useUPlot(
    (width, el) =>
      new uPlot(
        {
          width,
          height: 260,
          scales: { x: { time: false } },
          axes: [{ values: (_, ticks) => ticks.map((t) => usd(t)) }, { values: (_, ticks) => ticks.map((t) => usd(t)), size: 70 }],
          series: [
            { label: "Spot", value: (_, v) => (v === null ? "–" : usd(v)) },
            { label: "P&L now", stroke: "#1f6feb", width: 2, value: (_, v) => (v === null ? "–" : usd(v)) },
            { label: p.expiryLabel, stroke: "#8250df", width: 2, dash: [8, 4], value: (_, v) => (v === null ? "–" : usd(v)) },
          ],
          plugins: [
            markers([{ x: p.spot, color: "#1b1f24", label: "spot" }, ...liq.map((x) => ({ x, color: "#cf222e", label: "liquidation" }))]),
          ],
        },
        [p.xs, p.nowLine, p.expiryLine],
        el,
      ),
    [p.xs, p.nowLine, p.expiryLine, p.spot, p.liquidation, p.expiryLabel],
  );
  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid="pnl-chart" />;
}

export type NavChartProps = { ts: number[]; nav: number[]; sharePrice: number[] };

/** NAV and share price over time, from the vault's liquidity events. */
export function NavChart(p: NavChartProps) {
  const label = p.ts.length
    ? `NAV from ${usd(p.nav[0])} to ${usd(p.nav[p.nav.length - 1])}, share price from ${p.sharePrice[0].toFixed(6)} to ${p.sharePrice[p.sharePrice.length - 1].toFixed(6)} USDC, over ${p.ts.length} events`
    : "No liquidity events yet";
  const ref = useUPlot(
    (width, el) =>
      new uPlot(
        {
          width,
          height: 220,
          scales: { nav: {}, share: {} },
          axes: [{}, { scale: "nav", values: (_, t) => t.map((x) => usd(x)), size: 80 }, { scale: "share", side: 1, size: 70 }],
          series: [
            {},
            { label: "NAV", scale: "nav", stroke: "#1f6feb", width: 2, value: (_, v) => (v === null ? "–" : usd(v)) },
            { label: "Share price", scale: "share", stroke: "#1a7f37", width: 2, value: (_, v) => (v === null ? "–" : v.toFixed(6)) },
          ],
        },
        [p.ts, p.nav, p.sharePrice],
        el,
      ),
    [p.ts, p.nav, p.sharePrice],
  );
  return <div ref={ref} className="chart" role="img" aria-label={label} data-testid="nav-chart" />;
}
