import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractTransactionResponse, Signer, TransactionReceipt } from "ethers";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import type { DigitalTenge } from "../../../typechain-types";

/** Who plays which part in the pilot. Institutions send transactions; citizens only sign. */
export interface PilotCast {
  centralBank: Signer;
  desk: Signer;
  pauser: Signer;
  compliance: Signer;
  enforcement: Signer;
  banks: { name: string; signer: Signer; address: string }[];
  /** Merchants' wallets: deterministic keys, funded with gas by the central bank's account for their terminals. */
  merchants: { name: string; signer: Signer; address: string; bank: number }[];
  treasury: Signer;
  /** Citizens' wallets: deterministic keys, never funded with gas (their payments are signed and relayed). */
  citizens: { wallet: Wallet; bank: number; tier: number }[];
}

/** Options of one pilot run. */
export interface PilotOptions {
  /** Citizens onboarded per bank. */
  citizensPerBank: number;
  /** Seed of the citizens' deterministic keys. */
  seed: string;
  /** Log one line per step. */
  log: (line: string) => void;
}

/** The result of one step, as the runner logs and reports it. */
export interface StepResult {
  step: string;
  transactions: number;
  gasUsed: bigint;
  detail: string;
  /** Total supply after the step, tiyn. */
  supplyAfter: bigint;
  /** Outcomes that were expected to fail and did (refused payments, frozen wallets). */
  expectedFailures: number;
}

/** Mutable state shared by the pilot's steps. */
export class PilotContext {
  transactions = 0;
  gasUsed = 0n;
  expectedFailures = 0;
  /** Every wallet that may hold tenge, for the Σ-balances invariant. */
  readonly wallets = new Set<string>();
  /** Settlement references of merchants' redemptions. */
  readonly redemptions: { merchant: string; amount: bigint; reference: string }[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly hre: HardhatRuntimeEnvironment,
    readonly tenge: DigitalTenge,
    readonly cast: PilotCast,
    readonly options: PilotOptions,
  ) {}

  /** Confirmations to wait for on this network. */
  get confirmations(): number {
    return this.hre.network.live ? 2 : 1;
  }

  /** Sends one transaction, waits for it and books its gas. */
  async send(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
    const receipt = await (await tx).wait(this.confirmations);
    if (!receipt) throw new Error("transaction dropped");
    this.transactions += 1;
    this.gasUsed += receipt.gasUsed;
    return receipt;
  }

  /** Runs a call that must revert with `errorName`; counts it as an expected failure. */
  async expectRefusal(what: string, errorName: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error: unknown) {
      const data = revertData(error);
      const parsed = data ? this.tenge.interface.parseError(data) : null;
      if (parsed?.name === errorName) {
        this.expectedFailures += 1;
        this.notes.push(`${what}: refused with ${errorName}`);
        return;
      }
      throw new Error(`${what}: expected ${errorName}, got ${parsed?.name ?? String(error)}`);
    }
    throw new Error(`${what}: expected ${errorName}, but it succeeded`);
  }
}

/**
 * Extracts revert data from an error, wherever the provider put it: ethers sets `data` on its CallExceptionError,
 * Hardhat's JSON-RPC client nests it as `data.data`, other nodes under `error` or `info.error`.
 */
export function revertData(error: unknown): string | undefined {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 20; seen++) {
    const current = queue.shift();
    if (typeof current === "string") {
      if (/^0x[0-9a-fA-F]{8,}$/.test(current)) return current;
      continue;
    }
    if (!current || typeof current !== "object") continue;
    const record = current as { data?: unknown; error?: unknown; info?: { error?: unknown }; parent?: unknown };
    queue.push(record.data, record.error, record.info?.error, record.parent);
  }
  return undefined;
}

/** Deterministic key of the pilot's `role` number `index` under `seed` (citizens, merchants, the treasury). */
export function pilotWallet(seed: string, role: string, index: number): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`digital-tenge pilot ${role} ${seed} #${index}`)));
}
