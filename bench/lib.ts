import type { ContractTransactionResponse } from "ethers";
import { getBytes } from "ethers";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";

/** One measured operation, as written to bench/results/gas.json. */
export interface GasRow {
  subject: string;
  operation: string;
  gas: number;
  baselineGas: number;
  ratio: number;
}

/** A target of an issue: what it says, whether it was met, the figure. */
export interface BenchTarget {
  what: string;
  met: boolean;
  figure: string;
}

/** What one suite of the benchmark produced. */
export interface SuiteResult {
  title: string;
  rows: GasRow[];
  notes: string[];
  targets: BenchTarget[];
}

/** Figures measured by earlier suites in the same run, for the ratios later suites quote. */
export interface Baselines {
  /** A plain OpenZeppelin 5.7 ERC-20 transfer to a holder. */
  ozTransfer: number;
  /** A fully-checked digital tenge transfer to a holder, behind its proxy. */
  tengeTransfer: number;
}

/** Receipt gasUsed of one transaction. */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<number> {
  const receipt = await (await tx).wait();
  if (!receipt) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

/** EIP-2028 calldata cost of a transaction's input. */
export function calldataGas(data: string): number {
  return Array.from(getBytes(data)).reduce((sum, byte) => sum + (byte === 0 ? 4 : 16), 0);
}

/** Ratio rounded to 3 decimals. */
export function ratio(gas: number, baselineGas: number): number {
  return Number((gas / baselineGas).toFixed(3));
}

/**
 * Measures operations from one chain state: every measurement starts from the snapshot taken at creation, so every
 * slot is cold and no measurement sees another's writes.
 */
export class Measurer {
  readonly rows: GasRow[] = [];

  private constructor(
    private readonly subject: string,
    private readonly snapshot: Awaited<ReturnType<typeof takeSnapshot>>,
  ) {}

  /** Snapshots the current state for `subject`'s measurements. */
  static async from(subject: string): Promise<Measurer> {
    return new Measurer(subject, await takeSnapshot());
  }

  /** Restores the snapshot. */
  async reset(): Promise<void> {
    await this.snapshot.restore();
  }

  /** Measures `ours` and `baseline` from the snapshot and records a row. */
  async measure(operation: string, ours: () => Promise<number>, baseline: () => Promise<number>): Promise<GasRow> {
    await this.snapshot.restore();
    const gas = await ours();
    await this.snapshot.restore();
    const baselineGas = await baseline();
    const row = { subject: this.subject, operation, gas, baselineGas, ratio: ratio(gas, baselineGas) };
    this.rows.push(row);
    return row;
  }

  /** Measures `ours` from the snapshot against a baseline figure measured elsewhere in the same run. */
  async against(operation: string, ours: () => Promise<number>, baselineGas: number): Promise<GasRow> {
    await this.snapshot.restore();
    const gas = await ours();
    const row = { subject: this.subject, operation, gas, baselineGas, ratio: ratio(gas, baselineGas) };
    this.rows.push(row);
    return row;
  }
}
