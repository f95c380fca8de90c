import type { PilotContext } from "../context";

/** One step of the pilot: a name and the function that plays it, returning a one-line summary. */
export interface PilotStep {
  name: string;
  run: (ctx: PilotContext) => Promise<string>;
}

/** One invariant, checked against the chain. */
export interface InvariantResult {
  /** The contract or part of the story it belongs to. */
  area: string;
  name: string;
  held: boolean;
  detail: string;
}

/** Checks a part of the suite's invariants after the story; reads the chain, never the pilot's memory alone. */
export type InvariantCheck = (ctx: PilotContext) => Promise<InvariantResult[]>;

/** State values two nodes playing the same seed must agree on (balances, supplies, totals), as decimal strings. */
export type StateProbe = (ctx: PilotContext) => Promise<Record<string, string>>;

/** Integer tiyn from a decimal string of tenge (pilot constants only; user input goes through parseTenge). */
export function kzt(amount: string): bigint {
  const [whole, fraction = ""] = amount.split(".");
  return BigInt(whole) * 100n + BigInt((fraction + "00").slice(0, 2));
}
