import { Presets, SingleBar } from "cli-progress";
import type { DigitalTenge } from "../../typechain-types";
import { MAX_SUPPLY_TIYN, kztText } from "./amounts";
import { refusedBatch } from "./csv";
import type { AccountState, BankState } from "./preflight";
import { dryRunLine, execute, txLine, type ExecuteResult } from "./tx";

/** Recipients per mintBatch/onboardBatch transaction unless told otherwise (about 2-5 M gas a chunk). */
export const DEFAULT_CHUNK_SIZE = 200;
/** Largest accepted chunk: keeps a chunk well inside a 30 M gas block. */
export const MAX_CHUNK_SIZE = 500;
/** Parallel `accountOf` reads while validating a batch. */
const READ_CONCURRENCY = 16;

/** One issuance: recipient and amount in tiyn; `line` is its CSV line, for messages. */
export interface MintItem {
  address: string;
  amount: bigint;
  line?: number;
}

/** One wallet to onboard; `line` is its CSV line, for messages. */
export interface OnboardItem {
  address: string;
  line?: number;
}

/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping the order.
 * @param items The inputs.
 * @param limit Most calls at once.
 * @param fn The async mapping.
 * @returns The outputs in input order.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function where(item: { address: string; line?: number }): string {
  return item.line === undefined ? item.address : `line ${item.line}: ${item.address}`;
}

/** The chain state a mint check reads once; exposed so callers can print it. */
export interface MintContext {
  bank: BankState;
  paused: boolean;
  totalSupply: bigint;
  holdingLimits: readonly bigint[];
}

/**
 * Checks every precondition of `mint`/`mintBatch` by `bank` for `items` against the chain, without sending:
 * token not paused; `bank` registered and not suspended; each recipient onboarded, a customer of `bank`, not
 * frozen and within its tier's holding limit (exempt wallets excepted); the total within the bank's remaining
 * ceiling and the supply cap. Repeated recipients are summed.
 * @param tenge The token.
 * @param bank The acting bank's address.
 * @param items The issuances.
 * @returns Every problem found (global ones first), empty when all would succeed, and the state read.
 */
export async function checkMint(
  tenge: DigitalTenge,
  bank: string,
  items: readonly MintItem[],
): Promise<{ problems: string[]; context: MintContext }> {
  const [bankState, paused, totalSupply, ...limits] = await Promise.all([
    tenge.bankOf(bank),
    tenge.paused(),
    tenge.totalSupply(),
    ...[0, 1, 2, 3].map((tier) => tenge.tierLimits(tier)),
  ]);
  const context: MintContext = {
    bank: bankState,
    paused,
    totalSupply,
    holdingLimits: limits.map(([holding]) => holding),
  };
  const problems: string[] = [];
  if (paused) problems.push("the token is paused (tenge:unpause lifts it)");
  if (bankState.id === 0n) {
    problems.push(`${bank} is not a registered bank`);
    return { problems, context };
  }
  if (bankState.suspended) problems.push(`bank #${bankState.id} ${bank} is suspended from issuing`);

  const total = items.reduce((sum, item) => sum + item.amount, 0n);
  const unsuspendedRoom = bankState.ceiling - bankState.outstanding;
  if (!bankState.suspended && total > bankState.remaining) {
    problems.push(
      `${items.length === 1 ? "amount" : "total"} ${kztText(total)} exceeds bank #${bankState.id}'s remaining ceiling ${kztText(unsuspendedRoom > 0n ? unsuspendedRoom : 0n)} (ceiling ${kztText(bankState.ceiling)}, outstanding ${kztText(bankState.outstanding)})`,
    );
  }
  if (totalSupply + total > MAX_SUPPLY_TIYN) {
    problems.push(`total ${kztText(total)} would take the supply above the cap of ${kztText(MAX_SUPPLY_TIYN)}`);
  }

  const unique = [...new Set(items.map((item) => item.address.toLowerCase()))];
  const states = await mapLimit(unique, READ_CONCURRENCY, (address) => tenge.accountOf(address));
  const stateOf = new Map<string, AccountState>(unique.map((address, i) => [address, states[i]]));
  const credited = new Map<string, bigint>();
  for (const item of items) {
    const key = item.address.toLowerCase();
    const account = stateOf.get(key);
    if (!account) continue;
    if (!account.onboarded) {
      problems.push(`${where(item)} is not onboarded`);
      continue;
    }
    if (account.bank.toLowerCase() !== bank.toLowerCase()) {
      const manager =
        account.bankId === 0n
          ? "an institution of the central bank"
          : `a customer of bank #${account.bankId} ${account.bank}`;
      problems.push(`${where(item)} is ${manager}, not of the acting bank`);
      continue;
    }
    if (account.frozen) {
      problems.push(`${where(item)} is frozen`);
      continue;
    }
    const after = (credited.get(key) ?? account.balance) + item.amount;
    credited.set(key, after);
    const limit = context.holdingLimits[Number(account.tier)];
    if (!account.exempt && after > limit) {
      problems.push(
        `${where(item)} would hold ${kztText(after)}, above tier ${account.tier}'s holding limit of ${kztText(limit)}`,
      );
    }
  }
  return { problems, context };
}

/**
 * Checks every precondition of `onboard`/`onboardBatch` by `bank`: registered, and no wallet already onboarded.
 * @param tenge The token.
 * @param bank The acting bank's address.
 * @param items The wallets.
 * @returns Every problem found, empty when all would succeed.
 */
export async function checkOnboard(
  tenge: DigitalTenge,
  bank: string,
  items: readonly OnboardItem[],
): Promise<string[]> {
  const bankState = await tenge.bankOf(bank);
  if (bankState.id === 0n) return [`${bank} is not a registered bank`];
  const states = await mapLimit(items, READ_CONCURRENCY, (item) => tenge.accountOf(item.address));
  const problems: string[] = [];
  items.forEach((item, i) => {
    if (states[i].onboarded) {
      const manager = states[i].bankId === 0n ? "the central bank" : `bank #${states[i].bankId} ${states[i].bank}`;
      problems.push(`${where(item)} is already onboarded (managed by ${manager})`);
    }
  });
  return problems;
}

/** Options shared by the chunked batch runners. */
export interface BatchOptions {
  /** Rows per transaction. Default {@link DEFAULT_CHUNK_SIZE}. */
  chunkSize?: number;
  /** Blocks to wait for per transaction. */
  confirmations: number;
  /** Validate and simulate every chunk; send nothing. */
  dryRun?: boolean;
  /** Show a progress bar (cli-progress). Default true. */
  progress?: boolean;
  /** Receives each transaction's line when the bar has stopped (default: console.log). */
  log?: (line: string) => void;
  /** Called after each chunk is mined (or simulated), with its 0-based index and rows done so far. */
  afterChunk?: (index: number, done: number) => Promise<void>;
}

/** What a batch run did. */
export interface BatchResult {
  /** Mined receipts' hashes, one per chunk (empty in a dry run). */
  txHashes: string[];
  /** Rows sent (or simulated). */
  rows: number;
  /** One line per transaction. */
  lines: string[];
}

/** A batch split into chunks: what {@link runChunks} sends and how it describes each chunk. */
export interface Chunked<T> {
  kind: string;
  items: readonly T[];
  options: BatchOptions;
  describe: (chunk: readonly T[], index: number, count: number) => string;
  send: (chunk: readonly T[], what: string) => Promise<ExecuteResult>;
  /** The state after chunk `index` (0-based) of `count` was mined, `done` rows in so far. */
  result: (index: number, count: number, done: number) => string | Promise<string>;
}

/**
 * Sends `items` in chunks, one transaction at a time, with a progress bar that is always stopped. Shared by the
 * tenge's and the programs' batch tasks: a failed chunk stops the batch with what was already sent and where to resume.
 */
export async function runChunks<T extends { line?: number }>(job: Chunked<T>): Promise<BatchResult> {
  const size = job.options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const chunks: T[][] = [];
  for (let i = 0; i < job.items.length; i += size) chunks.push(job.items.slice(i, i + size));
  const log = job.options.log ?? ((line: string) => console.log(line));
  const lines: string[] = [];
  const txHashes: string[] = [];
  let done = 0;
  const bar =
    job.options.progress === false
      ? undefined
      : new SingleBar(
          {
            format: `${job.kind} {bar} {value}/{total} rows | chunk {chunk}/{chunks}`,
            noTTYOutput: !process.stdout.isTTY,
            stream: process.stdout,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
  try {
    bar?.start(job.items.length, 0, { chunk: 0, chunks: chunks.length });
    for (const [index, chunk] of chunks.entries()) {
      const what = job.describe(chunk, index, chunks.length);
      let outcome: ExecuteResult;
      try {
        outcome = await job.send(chunk, what);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const firstLine = chunk[0].line;
        const from = firstLine === undefined ? "" : ` (from line ${firstLine})`;
        const verb = job.options.dryRun ? "simulated" : "sent";
        const earlier = index === 1 ? "chunk 1" : `chunks 1-${index}`;
        const hashes = txHashes.length > 0 ? `, tx ${txHashes.join(", ")}` : "";
        const previous = index === 0 ? "" : `; already ${verb}: ${earlier} (${done} rows${hashes})`;
        const resume =
          index > 0 && firstLine !== undefined && !job.options.dryRun ? `; resume with --start-line ${firstLine}` : "";
        throw new Error(
          `${job.kind} stopped at chunk ${index + 1}/${chunks.length}${from}: ${message}${previous}${resume}`,
        );
      }
      done += chunk.length;
      if (outcome.sent) {
        txHashes.push(outcome.receipt.hash);
        lines.push(txLine(what, outcome.receipt, await job.result(index, chunks.length, done)));
      } else {
        lines.push(dryRunLine(what, outcome.gasEstimate));
      }
      bar?.update(done, { chunk: index + 1, chunks: chunks.length });
      await job.options.afterChunk?.(index, done);
    }
  } finally {
    bar?.stop(); // a bar that is never stopped keeps Node alive
    for (const line of lines) log(line);
  }
  return { txHashes, rows: done, lines };
}

/**
 * Issues to many customers of the acting bank in chunks of `mintBatch` transactions, after checking every row
 * against the chain ({@link checkMint}): when any row fails, a {@link refusedBatch} error lists them and nothing is
 * sent. Each chunk is also simulated just before it is sent.
 * @param tenge The token, connected to the bank's signer.
 * @param bank The bank's address (the signer's).
 * @param items The issuances (e.g. from `parseMintCsv`).
 * @param options Chunk size, confirmations, dry run, progress bar.
 * @returns The transactions sent and one line per transaction.
 */
export async function batchMint(
  tenge: DigitalTenge,
  bank: string,
  items: readonly MintItem[],
  options: BatchOptions,
): Promise<BatchResult> {
  if (items.length === 0) throw new Error("nothing to mint: no rows");
  const { problems } = await checkMint(tenge, bank, items);
  if (problems.length > 0) {
    throw refusedBatch("mint", problems, items.length);
  }
  const iface = tenge.interface;
  const total = items.reduce((sum, item) => sum + item.amount, 0n);
  return runChunks({
    kind: "mint-batch",
    items,
    options,
    describe: (chunk, index, count) => {
      const sum = chunk.reduce((s, item) => s + item.amount, 0n);
      return `mint-batch ${index + 1}/${count}: ${chunk.length} recipients, ${kztText(sum)} by ${bank}`;
    },
    send: (chunk, what) =>
      execute(tenge.mintBatch, [chunk.map((item) => item.address), chunk.map((item) => item.amount)], {
        iface,
        what,
        confirmations: options.confirmations,
        dryRun: options.dryRun,
      }),
    result: async (index, count, done) => {
      const state = await tenge.bankOf(bank);
      const remaining = `bank remaining ${kztText(state.remaining)}`;
      if (index < count - 1) return `${done}/${items.length} rows issued; ${remaining}`;
      return `issued ${kztText(total)} to ${items.length} recipients; ${remaining}`;
    },
  });
}

/**
 * Onboards many customers of the acting bank with one tier in chunks of `onboardBatch` transactions, after
 * checking that the bank is registered and no wallet is onboarded yet ({@link checkOnboard}).
 * @param tenge The token, connected to the bank's signer.
 * @param bank The bank's address.
 * @param items The wallets.
 * @param tier KYC tier 0-3.
 * @param options Chunk size, confirmations, dry run, progress bar.
 * @returns The transactions sent and one line per transaction.
 */
export async function batchOnboard(
  tenge: DigitalTenge,
  bank: string,
  items: readonly OnboardItem[],
  tier: number,
  options: BatchOptions,
): Promise<BatchResult> {
  if (items.length === 0) throw new Error("nothing to onboard: no rows");
  const problems = await checkOnboard(tenge, bank, items);
  if (problems.length > 0) {
    throw refusedBatch("onboard", problems, items.length);
  }
  const iface = tenge.interface;
  return runChunks({
    kind: "onboard-batch",
    items,
    options,
    describe: (chunk, index, count) =>
      `onboard-batch ${index + 1}/${count}: ${chunk.length} wallets, tier ${tier}, by ${bank}`,
    send: (chunk, what) =>
      execute(tenge.onboardBatch, [chunk.map((item) => item.address), tier], {
        iface,
        what,
        confirmations: options.confirmations,
        dryRun: options.dryRun,
      }),
    result: (_index, _count, done) =>
      Promise.resolve(
        done < items.length
          ? `${done}/${items.length} wallets onboarded`
          : `onboarded ${items.length} wallets at tier ${tier}`,
      ),
  });
}
