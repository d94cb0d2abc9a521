// Failed transactions and form checks in the program's own words: error names and messages
// from the IDL.
import { idl } from "./program";

/** The program's named error in a failed transaction's logs or error, from the IDL's list. */
export function programError(error: unknown, logs?: string[] | null): string {
  const text = [String((error as { message?: string })?.message ?? error), ...(logs ?? [])].join("\n");
  const named = text.match(/Error Code: (\w+)\. Error Number: \d+\. Error Message: ([^\n.]+)/);
  if (named) return `${named[1]}: ${named[2]}`;
  const custom = text.match(/custom program error: 0x([0-9a-f]+)/i);
  if (custom) {
    const code = parseInt(custom[1], 16);
    const e = idl.errors.find((x) => x.code === code);
    if (e) return `${e.name}: ${e.msg}`;
  }
  return text.split("\n")[0];
}

/** The IDL's message for an error name (form validation shows the program's own words). */
export function errorMessage(name: string): string {
  const e = idl.errors.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (e) return `${e.name}: ${e.msg}`;
  if (name === "InvalidAmount") return "InvalidAmount: Enter a positive number with at most the token's decimals";
  if (name === "InvalidSlippage") return "InvalidSlippage: Enter a slippage limit from 0 to 5,000 bps";
  if (name === "AccountNotInitialized") return "AccountNotInitialized: Open a margin account first";
  return name;
}
