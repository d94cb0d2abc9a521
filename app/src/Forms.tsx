import { useId, useState } from "react";
import type { Connection } from "@solana/web3.js";
import { SendTransactionError } from "@solana/web3.js";
import { useWallet } from "@solana/wallet-adapter-react";
import { depositTx, errorMessage, programError, vaultNumbers, withdrawTx, type VaultView } from "./program";
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

type Status =
  | { kind: "idle" }
  | { kind: "confirm" }
  | { kind: "sending" }
  | { kind: "done"; signature: string }
  | { kind: "failed"; message: string };

type FormProps = { view: VaultView; balances: WalletBalances | null; onDone: () => void; connection: Connection };

/** One form: amount, validation by the program's rules, preview at the current NAV, an explicit
 * confirmation step, then the wallet transaction and its status. */
function TxForm(props: {
  title: string;
  unit: string;
  decimals: number;
  validate: (amount: bigint | null) => string | null;
  preview: (amount: bigint) => string;
  build: (amount: bigint) => ReturnType<typeof depositTx>;
  max?: bigint;
  onDone: () => void;
  connection: Connection;
}) {
  const id = useId();
  const { publicKey, sendTransaction } = useWallet();
  const [text, setText] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const amount = parseUnits(text, props.decimals);
  const invalid = text === "" ? null : props.validate(amount);
  const ready = !!publicKey && text !== "" && invalid === null && amount !== null;
  const submit = async () => {
    if (!publicKey || amount === null) return;
    setStatus({ kind: "sending" });
    try {
      const { tx, blockhash, lastValidBlockHeight } = await props.build(amount);
      const signature = await sendTransaction(tx, props.connection, { preflightCommitment: "confirmed" });
      const result = await props.connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
      if (result.value.err) {
        const sent = await props.connection.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0 });
        throw Object.assign(new Error(JSON.stringify(result.value.err)), { logs: sent?.meta?.logMessages });
      }
      setStatus({ kind: "done", signature });
      setText("");
      props.onDone();
    } catch (e) {
      let logs = (e as { logs?: string[] }).logs ?? null;
      const cause = (e as { error?: unknown }).error ?? e;
      if (cause instanceof SendTransactionError) logs = cause.logs ?? (await cause.getLogs(props.connection).catch(() => null));
      setStatus({ kind: "failed", message: programError(cause, logs) });
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
          <button type="button" className="link" onClick={() => setText(formatUnits(props.max as bigint, props.decimals).replaceAll(",", ""))}>
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
      <p className="status" aria-live="polite" data-testid={`${props.title.toLowerCase()}-status`}>
        {status.kind === "sending" && "Waiting for the wallet and the cluster…"}
        {status.kind === "done" && (
          <>
            Confirmed: <code title={status.signature}>{status.signature.slice(0, 8)}…{status.signature.slice(-8)}</code>
          </>
        )}
        {status.kind === "failed" && <span className="error">Failed: {status.message}</span>}
      </p>
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
      build={(amount) => depositTx(connection, view, publicKey!, amount)}
      onDone={onDone}
      connection={connection}
    />
  );
}

export function WithdrawForm({ view, balances, onDone, connection }: FormProps) {
  const { publicKey, v, d, navs } = useFormContext(view);
  return (
    <TxForm
      title="Withdraw"
      unit="shares"
      decimals={d + SHARE_DECIMALS_OFFSET}
      max={balances?.shares}
      validate={(shares) => withdrawError(shares, balances?.shares ?? 0n, v)}
      preview={(shares) =>
        `Withdraw ${formatUnits(shares, d + SHARE_DECIMALS_OFFSET, 3)} shares for ${formatUnits(assetsForShares(shares, navs.withdraw, v.totalShares) ?? 0n, d)} USDC`
      }
      build={(shares) => withdrawTx(connection, view, publicKey!, shares)}
      onDone={onDone}
      connection={connection}
    />
  );
}
