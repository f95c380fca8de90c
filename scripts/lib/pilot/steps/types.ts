import { parseTenge } from "../../amounts";
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

/** Integer tiyn from an exact decimal string of tenge: the pilot's constants, parsed like any user input. */
export function kzt(amount: string): bigint {
  return parseTenge(amount, { allowZero: true });
}
