// The vault's recent history from the program's own events (Anchor's `emit!` log lines, decoded
// by the IDL's event coder): keeper actions (hedges, liquidations, settlements, surface posts,
// mark refreshes) and the liquidity flows that carry NAV and total shares.
import { EventParser } from "@anchor-lang/core";
import type { Connection, PublicKey } from "@solana/web3.js";
import { program } from "./program";

export type ChainEvent = { name: string; data: Record<string, unknown>; ts: number; signature: string };

/** Events in the last `limit` transactions that touched `vault`, oldest first. */
export async function recentEvents(connection: Connection, vault: PublicKey, limit = 60): Promise<ChainEvent[]> {
  const p = program(connection);
  const signatures = await connection.getSignaturesForAddress(vault, { limit }, "confirmed");
  const ok = signatures.filter((s) => s.err === null);
  const txs = await connection.getTransactions(
    ok.map((s) => s.signature),
    { commitment: "confirmed", maxSupportedTransactionVersion: 0 },
  );
  const parser = new EventParser(p.programId, p.coder);
  const out: ChainEvent[] = [];
  txs.forEach((tx, i) => {
    const logs = tx?.meta?.logMessages;
    if (!logs) return;
    for (const e of parser.parseLogs(logs)) {
      out.push({
        name: e.name.charAt(0).toLowerCase() + e.name.slice(1),
        data: e.data as Record<string, unknown>,
        ts: tx.blockTime ?? 0,
        signature: ok[i].signature,
      });
    }
  });
  return out.sort((a, b) => a.ts - b.ts);
}

/** What the keeper did, by event name (`emit!` names in camelCase, as the TS coder gives them). */
export const KEEPER_EVENTS: Record<string, string> = {
  hedgeRebalanced: "Perpetual hedge",
  optionHedgeRebalanced: "Option hedge",
  liquidated: "Liquidation",
  seriesSettled: "Series settled",
  positionSettled: "Position settled",
  settlementProposed: "Settlement proposed",
  volSurfaceUpdated: "Surface posted",
  marksRefreshed: "Marks refreshed",
  scenariosRefreshed: "Scenarios refreshed",
};
