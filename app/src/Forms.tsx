import { useEffect, useId, useState } from "react";
import type { Connection } from "@solana/web3.js";
import { SendTransactionError } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import { cancelLiquidityWithdrawalTx, depositLiquidityTx, requestLiquidityWithdrawalTx, withdrawLiquidityTx } from "./chain/transactions";
import { errorMessage, programError } from "./chain/errors";
import { chainNow, vaultNumbers, type VaultView } from "./chain/vault";
import {
  assetsForShares,
  depositError,
  formatUnits,
  lpNavs,
  vaultNav,
  parseUnits,
  SHARE_DECIMALS_OFFSET,
  sharesForDeposit,
  withdrawError,
} from "./shares";
import type { WalletBalances } from "./useVault";

export type Status =
  { kind: "idle" } | { kind: "confirm" } | { kind: "sending" } | { kind: "done"; signature: string } | { kind: "failed"; message: string };

type FormProps = { view: VaultView; balances: WalletBalances | null; onDone: () => void; connection: Connection };

/**
 * Sends a wallet transaction and reports it through `setStatus`: the program's named error on
 * failure, read from the logs. Resolves to whether it landed.
 */
export function useSendTx(connection: Connection, setStatus: (s: Status) => void) {
  const { sendTransaction } = useWallet();
  return async (build: () => ReturnType<typeof depositLiquidityTx>): Promise<boolean> => {
    setStatus({ kind: "sending" });
    try {
      const { tx, blockhash, lastValidBlockHeight } = await build();
      const signature = await sendTransaction(tx, connection, { preflightCommitment: "confirmed" });
      const result = await connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
      if (result.value.err) {
        const sent = await connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
        throw Object.assign(new Error(JSON.stringify(result.value.err)), { logs: sent?.meta?.logMessages });
      }
      setStatus({ kind: "done", signature });
      return true;
    } catch (e) {
      let logs = (e as { logs?: string[] }).logs ?? null;
      const cause = (e as { error?: unknown }).error ?? e;
      if (cause instanceof SendTransactionError) logs = cause.logs ?? (await cause.getLogs(connection).catch(() => null));
      setStatus({ kind: "failed", message: programError(cause, logs) });
      return false;
    }
  };
}

export function StatusLine({ status, testId }: { status: Status; testId: string }) {
  return (
    <p className="status" aria-live="polite" data-testid={testId}>
      {status.kind === "sending" && "Waiting for the wallet and the cluster…"}
      {status.kind === "done" && (
        <>
          Confirmed:{" "}
          <code title={status.signature}>
            {status.signature.slice(0, 8)}…{status.signature.slice(-8)}
          </code>
        </>
      )}
      {status.kind === "failed" && <span className="error">Failed: {status.message}</span>}
    </p>
  );
}

/** One form: amount, validation by the program's rules, preview at the current NAV, an explicit
 * confirmation step, then the wallet transaction and its status. */
export function TxForm(props: {
  title: string;
  unit: string;
  decimals: number;
  validate: (amount: bigint | null) => string | null;
  preview: (amount: bigint) => string;
  build: (amount: bigint) => ReturnType<typeof depositLiquidityTx>;
  max?: bigint;
  onDone: () => void;
  connection: Connection;
}) {
  const id = useId();
  const { publicKey } = useWallet();
  const [text, setText] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const amount = parseUnits(text, props.decimals);
  const invalid = text === "" ? null : props.validate(amount);
  const ready = !!publicKey && text !== "" && invalid === null && amount !== null;
  const send = useSendTx(props.connection, setStatus);
  const submit = async () => {
    if (!publicKey || amount === null) return;
    if (await send(() => props.build(amount))) {
      setText("");
      props.onDone();
    }
  };
  return (
    <form
      className="tx-form"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) setStatus({ kind: "confirm" });
      }}
    >
      <h2 id={`${id}-title`}>{props.title}</h2>
      <label htmlFor={`${id}-amount`}>
        Amount ({props.unit})
        {props.max !== undefined && (
          <button
            type="button"
            className="link"
            onClick={() => setText(formatUnits(props.max as bigint, props.decimals).replaceAll(",", ""))}
          >
            max
          </button>
        )}
      </label>
      <input
        id={`${id}-amount`}
        inputMode="decimal"
        autoComplete="off"
        value={text}
        aria-invalid={invalid !== null}
        aria-describedby={`${id}-hint`}
        onChange={(e) => {
          setText(e.target.value);
          setStatus({ kind: "idle" });
        }}
        disabled={status.kind === "sending"}
      />
      <p id={`${id}-hint`} className={invalid ? "error" : "hint"} role={invalid ? "alert" : undefined}>
        {invalid ? errorMessage(invalid) : amount !== null && text !== "" ? props.preview(amount) : "\u00a0"}
      </p>
      {status.kind === "confirm" ? (
        <div className="confirm" role="group" aria-label="Confirm">
          <span>{props.preview(amount as bigint)}?</span>
          <button type="button" onClick={() => void submit()}>
            Confirm {props.title.toLowerCase()}
          </button>
          <button type="button" onClick={() => setStatus({ kind: "idle" })}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="submit" disabled={!ready || status.kind === "sending"}>
          {status.kind === "sending" ? "Sending…" : publicKey ? props.title : "Connect a wallet"}
        </button>
      )}
      <StatusLine status={status} testId={`${props.title.toLowerCase()}-status`} />
    </form>
  );
}

/** What both forms price against: the wallet, the vault's numbers, decimals and NAV. */
function useFormContext(view: VaultView) {
  const { publicKey } = useWallet();
  const v = vaultNumbers(view);
  const navs = lpNavs(vaultNav(v), v.lpNavBand);
  return { publicKey, v, d: view.state.collateralDecimals, navs };
}

export function DepositForm({ view, balances, onDone, connection }: FormProps) {
  const { publicKey, v, d, navs } = useFormContext(view);
  return (
    <TxForm
      title="Deposit"
      unit="USDC"
      decimals={d}
      max={balances?.collateral}
      validate={(amount) => depositError(amount, balances?.collateral ?? 0n, v)}
      preview={(amount) =>
        `Deposit ${formatUnits(amount, d)} USDC for ${formatUnits(sharesForDeposit(amount, navs.deposit, v.totalShares) ?? 0n, d + SHARE_DECIMALS_OFFSET, 3)} shares`
      }
      build={(amount) => depositLiquidityTx(connection, view, publicKey!, amount)}
      onDone={onDone}
      connection={connection}
    />
  );
}

export function WithdrawForm({ view, balances, onDone, connection }: FormProps) {
  const { publicKey, v, d, navs } = useFormContext(view);
  const delay = v.withdrawalDelaySecs;
  const value = (shares: bigint) => formatUnits(assetsForShares(shares, navs.withdraw, v.totalShares) ?? 0n, d);
  return (
    <TxForm
      title="Withdraw"
      unit="shares"
      decimals={d + SHARE_DECIMALS_OFFSET}
      max={balances?.shares}
      validate={(shares) => withdrawError(shares, balances?.shares ?? 0n, v, !!balances?.pending)}
      preview={(shares) =>
        delay === 0
          ? `Withdraw ${formatUnits(shares, d + SHARE_DECIMALS_OFFSET, 3)} shares for ${value(shares)} USDC`
          : `Withdraw ${formatUnits(shares, d + SHARE_DECIMALS_OFFSET, 3)} shares for at most ${value(shares)} USDC, payable in ${delay} s`
      }
      build={(shares) => requestLiquidityWithdrawalTx(connection, view, publicKey!, shares)}
      onDone={onDone}
      connection={connection}
    />
  );
}

/**
 * The wallet's pending withdrawal: its shares wait in escrow until due, still bearing the vault's
 * losses; completing pays the lower of their value at the request and now.
 */
export function PendingWithdrawalCard({ view, balances, onDone, connection }: FormProps) {
  const { publicKey } = useWallet();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  // Ticks every second; due-ness is judged on the chain's clock, which the program checks.
  const [, setTick] = useState(0);
  const send = useSendTx(connection, setStatus);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((t) => t + 1), 1_000);
    return () => window.clearInterval(timer);
  }, []);
  const pending = balances?.pending;
  if (!publicKey) return null;
  // A completed or cancelled request disappears from the chain: its outcome stays on screen.
  if (!pending) {
    return status.kind === "idle" ? null : (
      <div className="tx-form" role="group" aria-label="Pending withdrawal">
        <h2>Withdrawal</h2>
        <StatusLine status={status} testId="pending-status" />
      </div>
    );
  }
  const d = view.state.collateralDecimals;
  const wait = Math.max(0, pending.dueTs - chainNow(view));
  const run = async (build: () => ReturnType<typeof depositLiquidityTx>) => {
    if (await send(build)) onDone();
  };
  return (
    <div className="tx-form" role="group" aria-label="Pending withdrawal">
      <h2>Pending withdrawal</h2>
      <p data-testid="pending-withdrawal">
        {formatUnits(pending.shares, d + SHARE_DECIMALS_OFFSET, 3)} shares, at most {formatUnits(pending.valueAtRequest, d)} USDC,{" "}
        {wait > 0 ? `due in ${wait} s` : "due now"}
      </p>
      <button
        type="button"
        disabled={wait > 0 || status.kind === "sending"}
        onClick={() => void run(() => withdrawLiquidityTx(connection, view, publicKey))}
      >
        Complete withdrawal
      </button>
      <button
        type="button"
        disabled={status.kind === "sending"}
        onClick={() => void run(() => cancelLiquidityWithdrawalTx(connection, view, publicKey))}
      >
        Cancel request
      </button>
      <StatusLine status={status} testId="pending-status" />
    </div>
  );
}
