// The trader's side: the option chain, a trade ticket with its preview, and the margin account
// (collateral, positions, health, liquidation prices and the P&L chart).
import { lazy, Suspense, useId, useState } from "react";
import type { Connection } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import type { MarginAccountState } from "./chain/program";
import { depositCollateralTx, openMarginAccountTx, tradeOptionTx, withdrawCollateralTx } from "./chain/trader";
import { errorMessage } from "./chain/errors";
import { chainNow, type MarketView, type VaultView } from "./chain/vault";
import { symbol } from "./Dashboard";
import { StatusLine, TxForm, useSendTx, type Status } from "./Forms";
import { formatUnits, parseUnits } from "./shares";
import {
  accountHealth,
  accountLiquidationPrices,
  accountPositions,
  expiries,
  healthRatio,
  isCall,
  isPortfolio,
  marketPrice,
  optionChain,
  pnlCurve,
  previewTrade,
  type ChainQuote,
} from "./trading";
import { meetsInitial, type Health } from "./margin";
import type { WalletBalances } from "./useVault";

const PnlChart = lazy(() => import("./charts").then((m) => ({ default: m.PnlChart })));

const usd = (x: number, digits = 2) => x.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: digits });
const date = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 16).replace("T", " ");
const quote = (x: bigint) => Number(x) / 1e6;

export type Selection = { market: number; series: number; side: "buy" | "sell" };

type TradeProps = {
  view: VaultView;
  account: MarginAccountState | null | undefined;
  balances: WalletBalances | null;
  connection: Connection;
  onDone: () => void;
};

export function TradeView(props: TradeProps) {
  const [selection, setSelection] = useState<Selection | null>(null);
  return (
    <>
      <OptionChain view={props.view} onPick={setSelection} selection={selection} />
      <TradeTicket {...props} selection={selection} onSelection={setSelection} />
      <MarginAccountCard {...props} />
    </>
  );
}

function OptionChain({ view, onPick, selection }: { view: VaultView; onPick: (s: Selection) => void; selection: Selection | null }) {
  const id = useId();
  const now = chainNow(view);
  const [marketIndex, setMarketIndex] = useState(view.markets[0]?.index ?? 0);
  const market = view.markets.find((m) => m.index === marketIndex) ?? view.markets[0];
  const list = market ? expiries(market, now) : [];
  const [chosenExpiry, setExpiry] = useState<number | null>(null);
  const expiry = chosenExpiry !== null && list.includes(chosenExpiry) ? chosenExpiry : (list[0] ?? null);
  const rows = market && expiry !== null ? optionChain(view, market, expiry, now) : [];
  if (!market) return null;
  const cell = (q: ChainQuote | null, side: "buy" | "sell", label: string) =>
    q ? (
      <button
        type="button"
        className={`quote ${selection?.series === q.index && selection.market === market.index && selection.side === side ? "picked" : ""}`}
        aria-label={`${side} ${label}`}
        onClick={() => onPick({ market: market.index, series: q.index, side })}
      >
        {usd(side === "buy" ? q.ask : q.bid)}
      </button>
    ) : (
      "–"
    );
  const spot = market ? Number(marketPrice(market).price) / 1e6 : 0;
  const greeks = (q: ChainQuote | null) =>
    q
      ? [
          (q.model.vol * 100).toFixed(1) + "%",
          q.model.delta.toFixed(3),
          (q.model.gamma * spot * spot * 0.01).toFixed(0),
          usd(q.model.vega / 100),
          usd(q.model.theta / 365),
        ]
      : ["–", "–", "–", "–", "–"];
  return (
    <section className="card wide" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Option chain</h2>
      <div className="chain-controls">
        <label>
          Market{" "}
          <select value={market.index} onChange={(e) => setMarketIndex(Number(e.target.value))}>
            {view.markets.map((m) => (
              <option key={m.index} value={m.index}>
                {symbol(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Expiry{" "}
          <select value={expiry ?? ""} onChange={(e) => setExpiry(Number(e.target.value))} data-testid="expiry-select">
            {list.map((e) => (
              <option key={e} value={e}>
                {date(e)} UTC
              </option>
            ))}
          </select>
        </label>
        <span className="hint">
          Spot {usd(quote(marketPrice(market).price))} · prices per contract as the program charges them now (surface, inventory skew,
          spread, fee)
        </span>
      </div>
      <div className="scroll">
        <table className="chain" data-testid="option-chain">
          <thead>
            <tr>
              <th scope="colgroup" colSpan={7}>
                Calls
              </th>
              <th scope="col" rowSpan={2}>
                Strike
              </th>
              <th scope="colgroup" colSpan={7}>
                Puts
              </th>
            </tr>
            <tr>
              {["Sell", "Buy", "Vol", "Δ", "Γ $/1%", "Vega", "Θ/day"].map((h) => (
                <th scope="col" key={`c${h}`}>
                  {h}
                </th>
              ))}
              {["Sell", "Buy", "Vol", "Δ", "Γ $/1%", "Vega", "Θ/day"].map((h) => (
                <th scope="col" key={`p${h}`}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.strike}>
                <td>{cell(r.call, "sell", `call ${r.strike}`)}</td>
                <td>{cell(r.call, "buy", `call ${r.strike}`)}</td>
                {greeks(r.call).map((g, i) => (
                  <td key={`cg${i}`}>{g}</td>
                ))}
                <th scope="row">{usd(r.strike, 0)}</th>
                <td>{cell(r.put, "sell", `put ${r.strike}`)}</td>
                <td>{cell(r.put, "buy", `put ${r.strike}`)}</td>
                {greeks(r.put).map((g, i) => (
                  <td key={`pg${i}`}>{g}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

const healthText = (h: Health | null, d = 2) =>
  h === null
    ? "judged on chain (portfolio margin)"
    : `equity ${usd(quote(h.equity), d)} · initial ${usd(quote(h.initial), d)} · maintenance ${usd(quote(h.maintenance), d)}`;

function TradeTicket({
  view,
  account,
  connection,
  onDone,
  selection,
  onSelection,
}: TradeProps & { selection: Selection | null; onSelection: (s: Selection) => void }) {
  const id = useId();
  const { publicKey } = useWallet();
  const [sizeText, setSizeText] = useState("0.1");
  const [slippageText, setSlippageText] = useState("300");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const send = useSendTx(connection, setStatus);
  const market: MarketView | undefined = view.markets.find((m) => m.index === selection?.market);
  const series = market && selection ? market.book.series[selection.series] : undefined;
  const units = parseUnits(sizeText, 6);
  const slippage = Number(slippageText);
  const size = units === null || !selection ? null : selection.side === "buy" ? units : -units;
  const now = chainNow(view);
  const preview =
    market && selection && size !== null && size !== 0n && Number.isFinite(slippage) && slippage >= 0
      ? previewTrade(view, market, selection.series, size, slippage, account ?? null, now)
      : null;
  const d = view.state.collateralDecimals;
  const invalid =
    units === null || units === 0n
      ? "InvalidAmount"
      : !Number.isFinite(slippage) || slippage < 0 || slippage > 5_000
        ? "InvalidSlippage"
        : null;
  const error = invalid ?? preview?.error ?? null;
  const ready = !!publicKey && !!preview && error === null && status.kind !== "sending";
  const submit = async () => {
    if (!publicKey || !market || !selection || size === null || !preview) return;
    if (await send(() => tradeOptionTx(connection, view, publicKey, account ?? null, market, selection.series, size, preview.limit))) {
      onDone();
    }
  };
  const describe = series
    ? `${symbol(market!)} ${isCall(series) ? "call" : "put"} ${usd(Number(series.strike.toString()) / 1e6, 0)} ${date(Number(series.expiryTs.toString()))}`
    : "Pick a price in the chain";
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Trade</h2>
      <form
        className="tx-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) setStatus({ kind: "confirm" });
        }}
      >
        <p data-testid="ticket-series">{describe}</p>
        <div role="radiogroup" aria-label="Side" className="sides">
          {(["buy", "sell"] as const).map((side) => (
            <label key={side}>
              <input
                type="radio"
                name={`${id}-side`}
                value={side}
                checked={selection?.side === side}
                disabled={!selection}
                onChange={() => selection && onSelection({ ...selection, side })}
              />
              {side === "buy" ? "Buy" : "Sell"}
            </label>
          ))}
        </div>
        <label htmlFor={`${id}-size`}>Size (contracts of 1 underlying)</label>
        <input
          id={`${id}-size`}
          inputMode="decimal"
          value={sizeText}
          onChange={(e) => (setSizeText(e.target.value), setStatus({ kind: "idle" }))}
        />
        <label htmlFor={`${id}-slippage`}>Slippage limit (bps of the premium)</label>
        <input
          id={`${id}-slippage`}
          inputMode="numeric"
          value={slippageText}
          onChange={(e) => (setSlippageText(e.target.value), setStatus({ kind: "idle" }))}
        />
        {preview && (
          <dl className="stats" data-testid="trade-preview">
            <dt>Price per contract</dt>
            <dd>
              {usd(preview.unitPrice)} (vol {(preview.model.vol * 100).toFixed(2)}%, inventory {preview.volShift >= 0 ? "+" : ""}
              {preview.volShift.toFixed(2)} pts, spread {preview.spreadBps} bps)
            </dd>
            <dt>{size !== null && size > 0n ? "You pay" : "You receive"}</dt>
            <dd data-testid="preview-total">{formatUnits(preview.total, d, 2)} USDC</dd>
            <dt>Oracle age charge (inside)</dt>
            <dd data-testid="preview-oracle-choice">{formatUnits(preview.oracleChoice, 6, 2)} USDC</dd>
            <dt>Fee (inside)</dt>
            <dd>{formatUnits(preview.fee, d, 4)} USDC</dd>
            <dt>{size !== null && size > 0n ? "Most you pay" : "Least you receive"}</dt>
            <dd>{formatUnits(preview.limit, d, 2)} USDC</dd>
            <dt>Margin now</dt>
            <dd>{healthText(preview.before)}</dd>
            <dt>Margin after</dt>
            <dd data-testid="preview-after">{healthText(preview.after)}</dd>
            <dt>Health after</dt>
            <dd>
              {preview.after
                ? preview.after.maintenance === 0n
                  ? "no requirement"
                  : `${healthRatio(preview.after).toFixed(2)}× maintenance`
                : "–"}
            </dd>
          </dl>
        )}
        <p className={error ? "error" : "hint"} role={error ? "alert" : undefined} data-testid="trade-error">
          {error ? errorMessage(error) : "\u00a0"}
        </p>
        {status.kind === "confirm" && preview ? (
          <div className="confirm" role="group" aria-label="Confirm">
            <span>
              {selection?.side === "buy" ? "Buy" : "Sell"} {sizeText} for {formatUnits(preview.total, d, 2)} USDC?
            </span>
            <button type="button" onClick={() => void submit()}>
              Confirm trade
            </button>
            <button type="button" onClick={() => setStatus({ kind: "idle" })}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="submit" disabled={!ready}>
            {publicKey ? (selection?.side === "sell" ? "Sell" : "Buy") : "Connect a wallet"}
          </button>
        )}
        <StatusLine status={status} testId="trade-status" />
      </form>
    </section>
  );
}

function MarginAccountCard({ view, account, balances, connection, onDone }: TradeProps) {
  const id = useId();
  const { publicKey } = useWallet();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const send = useSendTx(connection, setStatus);
  const d = view.state.collateralDecimals;
  const now = chainNow(view);
  if (!publicKey) {
    return (
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Margin account</h2>
        <p>Connect a wallet to trade.</p>
      </section>
    );
  }
  if (account === undefined) return null;
  if (account === null) {
    return (
      <section className="card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Margin account</h2>
        <p>Trading needs a margin account: collateral and positions, one per wallet and vault.</p>
        <button
          type="button"
          onClick={() => void send(() => openMarginAccountTx(connection, view, publicKey)).then((ok) => ok && onDone())}
        >
          Open margin account
        </button>
        <StatusLine status={status} testId="open-account-status" />
      </section>
    );
  }
  const collateral = BigInt(account.collateral.toString());
  const health = accountHealth(view, account, collateral);
  const positions = accountPositions(view, account, now);
  const market = positions[0]?.market ?? view.markets[0];
  const liquidation = market ? accountLiquidationPrices(view, account, market) : null;
  const curve = market && positions.length ? pnlCurve(view, account, market, now) : null;
  return (
    <section className="card wide" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Margin account</h2>
      <div className="grid inner">
        <dl className="stats">
          <dt>Collateral</dt>
          <dd data-testid="margin-collateral">{formatUnits(collateral, d, 2)} USDC</dd>
          <dt>Rule</dt>
          <dd>{isPortfolio(account) ? "portfolio margin" : "standard"}</dd>
          <dt>Equity</dt>
          <dd data-testid="margin-equity">{health ? usd(quote(health.equity)) : "–"}</dd>
          <dt>Initial requirement</dt>
          <dd>{health ? usd(quote(health.initial)) : "–"}</dd>
          <dt>Maintenance requirement</dt>
          <dd>{health ? usd(quote(health.maintenance)) : "–"}</dd>
          <dt>Health</dt>
          <dd data-testid="margin-health">
            {health ? (health.maintenance === 0n ? "no requirement" : `${healthRatio(health).toFixed(2)}× maintenance`) : "judged on chain"}
          </dd>
          <dt>Liquidation prices</dt>
          <dd data-testid="liquidation-prices">
            {liquidation ? liquidation.map((x) => (x === null ? "none in range" : usd(x, 0))).join(" / ") : "–"}
          </dd>
        </dl>
        <div className="forms">
          <TxForm
            title="Deposit collateral"
            unit="USDC"
            decimals={d}
            max={balances?.collateral}
            validate={(amount) =>
              amount === null || amount === 0n ? "InvalidAmount" : amount > (balances?.collateral ?? 0n) ? "InsufficientBalance" : null
            }
            preview={(amount) => `Move ${formatUnits(amount, d)} USDC into the margin account`}
            build={(amount) => depositCollateralTx(connection, view, publicKey, amount)}
            onDone={onDone}
            connection={connection}
          />
          <TxForm
            title="Withdraw collateral"
            unit="USDC"
            decimals={d}
            max={collateral}
            validate={(amount) => {
              if (amount === null || amount === 0n) return "InvalidAmount";
              if (amount > collateral) return "InsufficientCollateral";
              const after = accountHealth(view, account, collateral - amount);
              return after && positions.length && !meetsInitial(after) ? "InsufficientMargin" : null;
            }}
            preview={(amount) => `Withdraw ${formatUnits(amount, d)} USDC to the wallet`}
            build={(amount) => withdrawCollateralTx(connection, view, publicKey, account, amount)}
            onDone={onDone}
            connection={connection}
          />
        </div>
      </div>
      <div className="scroll">
        <table data-testid="positions">
          <caption>Positions (marks from the chain, Greeks per position from the surface)</caption>
          <thead>
            <tr>
              {["Series", "Size", "Mark", "Value", "Δ", "Γ $/1%", "Vega", "Θ/day"].map((h) => (
                <th scope="col" key={h}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {positions.length === 0 && (
              <tr>
                <td colSpan={8}>No positions</td>
              </tr>
            )}
            {positions.map((p) => {
              const spot = Number(marketPrice(p.market).price) / 1e6;
              const g = p.model;
              return (
                <tr key={`${p.market.index}-${p.index}`}>
                  <th scope="row">
                    {symbol(p.market)} {isCall(p.series) ? "call" : "put"} {usd(Number(p.series.strike.toString()) / 1e6, 0)}{" "}
                    {date(Number(p.series.expiryTs.toString()))}
                  </th>
                  <td>{p.size.toFixed(4)}</td>
                  <td>{usd(p.mark)}</td>
                  <td>{usd(p.mark * p.size)}</td>
                  <td>{g ? (g.delta * p.size).toFixed(4) : "–"}</td>
                  <td>{g ? (g.gamma * spot * spot * 0.01 * p.size).toFixed(2) : "–"}</td>
                  <td>{g ? usd((g.vega / 100) * p.size) : "–"}</td>
                  <td>{g ? usd((g.theta / 365) * p.size) : "–"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {curve && market && (
        <Suspense fallback={<p>Loading chart…</p>}>
          <h3>P&amp;L against {symbol(market)} spot</h3>
          <PnlChart
            xs={curve.xs}
            nowLine={curve.nowLine}
            expiryLine={curve.expiryLine}
            spot={curve.spot}
            liquidation={liquidation}
            expiryLabel={`P&L at ${date(curve.nearest)}`}
          />
        </Suspense>
      )}
    </section>
  );
}
