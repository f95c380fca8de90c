import type { InvariantResult } from "./steps/types";
import type { SummaryRow } from "./context";

/** One step as the report shows it (big numbers as decimal strings, amounts in KZT). */
export interface ReportStep {
  step: string;
  transactions: number;
  /** Gas used, decimal string. */
  gasUsed: string;
  seconds: number;
  detail: string;
  /** Total tenge supply after the step, KZT with 2 decimals. */
  supplyAfter: string;
  expectedFailures: number;
}

/** What a pilot run produced: written as JSON, and rendered as HTML by `html.ts`. */
export interface PilotReport {
  network: string;
  chainId: number;
  /** ISO time the run started. */
  startedAt: string;
  options: { children: number; citizensPerBank: number; schoolDays: number; seed: string; serial: boolean };
  steps: ReportStep[];
  summary: SummaryRow[];
  banks: { name: string; address: string; ceiling: string; outstanding: string; remaining: string }[];
  totals: {
    /** Tenge supply at the end, KZT. */
    supply: string;
    transactions: number;
    gasUsed: string;
    expectedFailures: number;
    seconds: number;
    /** Transactions per second over the whole run (wall clock, deployment included). */
    txPerSecond: number;
    /** Gas per second over the whole run. */
    gasPerSecond: number;
  };
  invariants: InvariantResult[];
  /** What two nodes playing the same seed must agree on; `digest` is keccak256 over every value. */
  finalState: { digest: string; values: Record<string, string> };
  notes: string[];
  ok: boolean;
}
