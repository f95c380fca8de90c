import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractTransactionResponse, Signer, TransactionReceipt } from "ethers";
import { Interface, Wallet, keccak256, parseEther, toUtf8Bytes } from "ethers";
import { Presets, SingleBar } from "cli-progress";
import type {
  DigitalTenge,
  GoldDesk,
  GoldToken,
  PurposeBoundPrograms,
  TengeStablecoin,
} from "../../../typechain-types";
import type { TypedContractEvent, TypedDeferredTopicFilter, TypedEventLog } from "../../../typechain-types/common";
import { Pipeline } from "./pipeline";
import type { PipelineJob, PipelineReceipt } from "./pipeline";

/** A participant whose key the pilot derives from its seed: it signs, and sends transactions once given gas. */
export interface Participant {
  name: string;
  wallet: Wallet;
  address: string;
  /** Index of the bank that onboarded it. */
  bank: number;
}

/** Who plays which part in the pilot. Institutions of the central bank and the banks are the node's accounts. */
export interface PilotCast {
  centralBank: Signer;
  /** The central bank's issuance desk; also the programs' operator (Kazpost's part) on local chains. */
  desk: Signer;
  pauser: Signer;
  compliance: Signer;
  enforcement: Signer;
  custodian: Signer;
  priceOracle: Signer;
  goldTreasury: Signer;
  taxAuthority: Signer;
  banks: { name: string; signer: Signer; address: string }[];
  /** Shops: VAT payers whose terminals submit their customers' signed payments. */
  shops: Participant[];
  /** School canteens: the lunch program's merchants; their terminals relay the children's signed lunches. */
  canteens: Participant[];
  /** Market vendors who take offline payments and settle them in batches. */
  vendors: Participant[];
  /** The city's treasury (an institution): funds the school-lunch program. */
  city: Participant;
  /** Citizens: tenge wallets with KYC tiers 0-2; they only sign (their payments are relayed). */
  citizens: (Participant & { tier: number })[];
}

/** Options of one pilot run. */
export interface PilotOptions {
  /** Children enrolled in the school-lunch program. */
  children: number;
  /** Citizens onboarded per bank. */
  citizensPerBank: number;
  /** School days played (more than one moves the clock of a development chain a day forward each time). */
  schoolDays: number;
  /** Seed of every derived key. */
  seed: string;
  /** Send every transaction one after the other (the baseline of the throughput benchmark). */
  serial: boolean;
  /** Show progress bars (on a terminal). */
  progress: boolean;
  /** Log one line per step. */
  log: (line: string) => void;
}

/** The result of one step, as the runner logs and reports it. */
export interface StepResult {
  step: string;
  transactions: number;
  gasUsed: bigint;
  seconds: number;
  detail: string;
  /** Total supply of the tenge after the step, tiyn. */
  supplyAfter: bigint;
  /** Outcomes that were expected to fail and did (refused payments, failed offline payments). */
  expectedFailures: number;
}

/** One row of the summary table. */
export interface SummaryRow {
  section: string;
  item: string;
  value: string;
}

/** The deployed suite. */
export interface PilotContracts {
  tenge: DigitalTenge;
  stablecoin: TengeStablecoin;
  gold: GoldToken;
  desk: GoldDesk;
  programs: PurposeBoundPrograms;
}

/** Mutable state shared by the pilot's steps. */
export class PilotContext {
  transactions = 0;
  gasUsed = 0n;
  expectedFailures = 0;
  /** Every wallet that may hold tenge, for the Σ-balances invariant. */
  readonly wallets = new Set<string>();
  readonly notes: string[] = [];
  readonly summary: SummaryRow[] = [];
  /** Facts steps leave for later steps and for the invariants (program id, offline results…). */
  readonly facts = new Map<string, unknown>();
  readonly pipeline: Pipeline;
  private readonly errors: Interface;

  constructor(
    readonly hre: HardhatRuntimeEnvironment,
    readonly contracts: PilotContracts,
    readonly cast: PilotCast,
    readonly options: PilotOptions,
  ) {
    this.pipeline = new Pipeline(hre, options.serial, this.confirmations);
    this.errors = errorInterface(Object.values(contracts).map((c) => (c as { interface: Interface }).interface));
  }

  get tenge(): DigitalTenge {
    return this.contracts.tenge;
  }

  /** Confirmations to wait for on this network. */
  get confirmations(): number {
    return this.hre.network.live ? 2 : 1;
  }

  /** Sends one transaction from a node account or a participant, waits for it and books its gas. */
  async send(tx: Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
    const receipt = await (await tx).wait(this.confirmations);
    if (!receipt) throw new Error("transaction dropped");
    this.book(1, receipt.gasUsed);
    return receipt;
  }

  /**
   * Sends many transactions from participants' keys (pipelined across senders unless `--serial`), books their
   * gas and returns the receipts in order. A reverted transaction fails the step unless `allowRevert` says so.
   */
  async sendMany(label: string, jobs: readonly PipelineJob[], allowRevert = false): Promise<PipelineReceipt[]> {
    const bar = this.progress(label, jobs.length);
    try {
      const receipts = await this.pipeline.run(jobs, () => bar.increment());
      for (const r of receipts) this.book(1, r.gasUsed);
      const reverted = receipts.filter((r) => r.status !== 1);
      if (reverted.length > 0 && !allowRevert) {
        throw new Error(
          `${label}: ${reverted.length} of ${receipts.length} transactions reverted (${reverted[0].hash})`,
        );
      }
      return receipts;
    } finally {
      bar.stop();
    }
  }

  /** Books transactions sent outside `send` (deploy scripts, gas top-ups). */
  book(transactions: number, gasUsed: bigint): void {
    this.transactions += transactions;
    this.gasUsed += gasUsed;
  }

  /** Gives each address `amount` of the chain's coin for its terminal's transactions, once (skips funded ones). */
  async fundGas(addresses: readonly string[], amount?: bigint): Promise<number> {
    const value = amount ?? (this.hre.network.live ? parseEther("0.01") : parseEther("10"));
    let sent = 0;
    for (const address of addresses) {
      if ((await this.hre.ethers.provider.getBalance(address)) >= value / 2n) continue;
      await this.send(
        this.cast.centralBank.sendTransaction({ to: address, value }) as Promise<ContractTransactionResponse>,
      );
      sent += 1;
    }
    return sent;
  }

  /** A progress bar on a terminal, or a silent one. */
  progress(label: string, total: number): { increment: () => void; stop: () => void } {
    if (!this.options.progress || total < 50) return { increment: () => undefined, stop: () => undefined };
    const bar = new SingleBar(
      { format: `  ${label} [{bar}] {value}/{total} {duration_formatted}`, clearOnComplete: true, hideCursor: true },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return { increment: () => bar.increment(), stop: () => bar.stop() };
  }

  /** Decodes revert data with the errors of every contract of the suite. */
  errorName(data: string | undefined): string | undefined {
    if (!data) return undefined;
    try {
      return this.errors.parseError(data)?.name;
    } catch {
      return undefined;
    }
  }

  /** Runs a call that must revert with `errorName`; counts it as an expected failure. */
  async expectRefusal(what: string, errorName: string, call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error: unknown) {
      const name = this.errorName(revertData(error));
      if (name === errorName) {
        this.expectedFailures += 1;
        this.notes.push(`${what}: refused with ${errorName}`);
        return;
      }
      throw new Error(`${what}: expected ${errorName}, got ${name ?? String(error)}`);
    }
    throw new Error(`${what}: expected ${errorName}, but it succeeded`);
  }

  /** Counts an outcome that failed as the story expects (an offline payment reported as failed, say). */
  expected(what: string, count = 1): void {
    this.expectedFailures += count;
    this.notes.push(what);
  }

  /** Adds rows to the summary table. */
  report(section: string, rows: Record<string, string>): void {
    for (const [item, value] of Object.entries(rows)) this.summary.push({ section, item, value });
  }

  /**
   * Every event matching `filter` since the suite's deployment, fetched in block ranges so a long story (ten
   * thousand lunches, one block each under automine) or a live node's range limit never sees one huge query.
   */
  async events<E extends TypedContractEvent>(
    contract: EventSource<E>,
    filter: TypedDeferredTopicFilter<E>,
    fromBlock?: number,
  ): Promise<TypedEventLog<E>[]> {
    const first = fromBlock ?? Number(this.facts.get("firstBlock") ?? 0);
    const head = await this.hre.ethers.provider.getBlockNumber();
    const out: TypedEventLog<E>[] = [];
    for (let from = first; from <= head; from += EVENT_RANGE) {
      const to = Math.min(head, from + EVENT_RANGE - 1);
      out.push(...(await contract.queryFilter(filter, from, to)));
    }
    return out;
  }

  /** The latest block's timestamp. */
  async now(): Promise<bigint> {
    return BigInt((await this.hre.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  }
}

/** A typed contract's event query, as TypeChain declares it. */
interface EventSource<E extends TypedContractEvent> {
  queryFilter(filter: TypedDeferredTopicFilter<E>, fromBlock?: number, toBlock?: number): Promise<TypedEventLog<E>[]>;
}

/** Blocks per log query. */
const EVENT_RANGE = 2_000;

/** One interface with every error of the given ABIs (duplicates dropped). */
export function errorInterface(interfaces: readonly Interface[]): Interface {
  const seen = new Set<string>();
  const fragments = [];
  for (const iface of interfaces) {
    for (const fragment of iface.fragments) {
      if (fragment.type !== "error") continue;
      const key = fragment.format("sighash");
      if (seen.has(key)) continue;
      seen.add(key);
      fragments.push(fragment);
    }
  }
  return new Interface(fragments);
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

/** Deterministic key of the pilot's `role` number `index` under `seed` (citizens, shops, children…). */
export function pilotWallet(seed: string, role: string, index: number): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`digital-tenge pilot ${role} ${seed} #${index}`)));
}

/** A deterministic 32-byte value for nonces and references, so two nodes playing the same seed reach one state. */
export function pilotNonce(seed: string, what: string, index: number): string {
  return keccak256(toUtf8Bytes(`digital-tenge pilot nonce ${what} ${seed} #${index}`));
}
