import { Presets, SingleBar } from "cli-progress";
import type { GoldToken } from "../../typechain-types";
import { mapLimit } from "./batch";
import { refusedBatch } from "./csv";
import { BAR_STATUS, formatGrams } from "./gold";
import type { BarRow, SerialRow } from "./gold-csv";
import { dryRunLine, execute, txLine } from "./tx";

/** Bars per addBars transaction unless told otherwise (about 150,000 gas a bar). */
export const DEFAULT_BAR_CHUNK = 50;
/** Largest accepted chunk: keeps a chunk well inside a 30 M gas block. */
export const MAX_BAR_CHUNK = 150;
const READ_CONCURRENCY = 16;

/** A bar row with its recipient resolved. */
export interface BarItem extends BarRow {
  recipient: string;
}

/**
 * Checks every precondition of `addBars` against the chain without sending: the token not paused; each serial
 * unknown or released; each recipient permitted and not frozen in gold.
 * @param gold The gold token.
 * @param items The bars with their recipients.
 * @returns Every problem found (each with its line), empty when all would succeed.
 */
export async function checkBars(gold: GoldToken, items: readonly BarItem[]): Promise<string[]> {
  const problems: string[] = [];
  if (await gold.paused()) problems.push("the gold token is paused (gold:unpause lifts it)");
  const bars = await mapLimit(items, READ_CONCURRENCY, (item) => gold.barOf(item.serial));
  const recipients = [...new Set(items.map((item) => item.recipient))];
  const states = await mapLimit(recipients, READ_CONCURRENCY, async (r) => ({
    permitted: await gold.isPermitted(r),
    frozen: await gold.isFrozen(r),
  }));
  const stateOf = new Map(recipients.map((r, i) => [r, states[i]]));
  items.forEach((item, i) => {
    const status = Number(bars[i].status);
    if (status === 1 || status === 2) {
      problems.push(`line ${item.line}: bar ${item.serialText} is already registered (${BAR_STATUS[status]})`);
    }
    const state = stateOf.get(item.recipient);
    if (state?.frozen) problems.push(`line ${item.line}: recipient ${item.recipient} is frozen in gold`);
    else if (!state?.permitted) {
      problems.push(
        `line ${item.line}: recipient ${item.recipient} is not a gold participant (onboard it in the tenge, then gold:sync)`,
      );
    }
  });
  return problems;
}

/** Options of {@link batchAddBars}. */
export interface BarBatchOptions {
  chunkSize: number;
  confirmations: number;
  dryRun: boolean;
  /** Show a progress bar. Default true. */
  progress?: boolean;
  log?: (line: string) => void;
}

/**
 * Registers bars in chunks of `addBars` transactions behind a progress bar, after {@link checkBars} found nothing
 * wrong (else a {@link refusedBatch} error and nothing is sent). When a chunk fails, the error names the transactions
 * already mined and the `--start-line` to resume from.
 * @param gold The gold token, connected to the custodian.
 * @param items The bars.
 * @param options Chunk size, confirmations, dry run.
 * @returns One line per transaction.
 */
export async function batchAddBars(
  gold: GoldToken,
  items: readonly BarItem[],
  options: BarBatchOptions,
): Promise<string[]> {
  const problems = await checkBars(gold, items);
  if (problems.length > 0) {
    throw refusedBatch("add bars", problems, items.length);
  }
  const chunks: BarItem[][] = [];
  for (let i = 0; i < items.length; i += options.chunkSize) chunks.push(items.slice(i, i + options.chunkSize));
  const log = options.log ?? ((line: string) => console.log(line));
  const lines: string[] = [];
  const hashes: string[] = [];
  let done = 0;
  const bar =
    options.progress === false
      ? undefined
      : new SingleBar(
          {
            format: "add-bars {bar} {value}/{total} bars | chunk {chunk}/{chunks}",
            noTTYOutput: !process.stdout.isTTY,
            stream: process.stdout,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
  try {
    bar?.start(items.length, 0, { chunk: 0, chunks: chunks.length });
    for (const [index, chunk] of chunks.entries()) {
      const weight = chunk.reduce((sum, item) => sum + item.fineWeightMg, 0n);
      const what = `add-bars ${index + 1}/${chunks.length}: ${chunk.length} bars, ${formatGrams(weight)} fine`;
      const input = chunk.map((item) => ({
        serial: item.serial,
        refiner: item.refiner,
        fineWeightMg: item.fineWeightMg,
        fineness: item.fineness,
        vault: item.vault,
        recipient: item.recipient,
      }));
      let outcome;
      try {
        outcome = await execute(gold.addBars, [input], {
          iface: gold.interface,
          what,
          confirmations: options.confirmations,
          dryRun: options.dryRun,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const already = index === 0 ? "" : `; already sent: ${done} bars (tx ${hashes.join(", ")})`;
        const resume = index > 0 && !options.dryRun ? `; resume with --start-line ${chunk[0].line}` : "";
        throw new Error(
          `add-bars stopped at chunk ${index + 1}/${chunks.length} (from line ${chunk[0].line}): ${message}${already}${resume}`,
        );
      }
      done += chunk.length;
      if (outcome.sent) {
        hashes.push(outcome.receipt.hash);
        const backing = await gold.backing();
        lines.push(
          txLine(
            what,
            outcome.receipt,
            `supply ${formatGrams(backing.totalSupply)}, ${backing.barsInVault} bars in vault`,
          ),
        );
      } else {
        lines.push(dryRunLine(what, outcome.gasEstimate));
      }
      bar?.update(done, { chunk: index + 1, chunks: chunks.length });
    }
  } finally {
    bar?.stop();
    for (const line of lines) log(line);
  }
  return lines;
}

/**
 * Takes bars out of the backing one `removeBar` transaction each, behind a progress bar, after checking every
 * serial against the chain (each in the vault; the custodian active and holding their total fine weight): any
 * problem is listed in one {@link refusedBatch} error and nothing is sent. When a transaction fails, the error names the
 * bars already removed and the `--start-line` to resume from.
 * @param gold The gold token, connected to the custodian.
 * @param custodian The custodian's address.
 * @param rows The serials (e.g. from `parseSerialsCsv`).
 * @param options Confirmations, dry run, progress bar, log.
 * @returns One line per transaction.
 */
export async function batchRemoveBars(
  gold: GoldToken,
  custodian: string,
  rows: readonly SerialRow[],
  options: Omit<BarBatchOptions, "chunkSize">,
): Promise<string[]> {
  const bars = await mapLimit(rows, READ_CONCURRENCY, (row) => gold.barOf(row.serial));
  const problems: string[] = [];
  if (await gold.paused()) problems.push("the gold token is paused (gold:unpause lifts it)");
  if (await gold.isFrozen(custodian)) problems.push(`the custodian ${custodian} is frozen in gold`);
  else if (!(await gold.isPermitted(custodian))) problems.push(`the custodian ${custodian} is not a gold participant`);
  let total = 0n;
  rows.forEach((row, i) => {
    const status = Number(bars[i].status);
    if (status !== 1) {
      problems.push(
        `line ${row.line}: bar ${row.serialText} is ${status === 0 ? "not registered" : BAR_STATUS[status]}, not in vault`,
      );
    } else total += bars[i].fineWeightMg;
  });
  const balance = await gold.balanceOf(custodian);
  if (total > balance) {
    problems.push(`the bars weigh ${formatGrams(total)}; the custodian holds ${formatGrams(balance)} to burn`);
  }
  if (problems.length > 0) {
    throw refusedBatch("remove bars", problems, rows.length);
  }
  const log = options.log ?? ((line: string) => console.log(line));
  const lines: string[] = [];
  const bar =
    options.progress === false
      ? undefined
      : new SingleBar(
          {
            format: "remove-bars {bar} {value}/{total} bars",
            noTTYOutput: !process.stdout.isTTY,
            stream: process.stdout,
            hideCursor: true,
          },
          Presets.shades_classic,
        );
  try {
    bar?.start(rows.length, 0);
    for (const [index, row] of rows.entries()) {
      const what = `remove-bar ${row.serialText} (${formatGrams(bars[index].fineWeightMg)})`;
      let outcome;
      try {
        outcome = await execute(gold.removeBar, [row.serial], {
          iface: gold.interface,
          what,
          confirmations: options.confirmations,
          dryRun: options.dryRun,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const resume =
          index > 0 && !options.dryRun ? `; ${index} bars already removed; resume with --start-line ${row.line}` : "";
        throw new Error(`remove-bars stopped at line ${row.line}: ${message}${resume}`);
      }
      lines.push(
        outcome.sent
          ? txLine(what, outcome.receipt, `custodian holds ${formatGrams(await gold.balanceOf(custodian))}`)
          : dryRunLine(what, outcome.gasEstimate),
      );
      bar?.update(index + 1);
    }
  } finally {
    bar?.stop();
    for (const line of lines) log(line);
  }
  return lines;
}
