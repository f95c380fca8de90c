import { readFileSync } from "node:fs";
import { parseTenge } from "./amounts";
import { parseAddress } from "./validate";

/** How many problems one CSV error lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 10;

/** One validated `address,amount` row of a batch-mint file. */
export interface MintRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** Checksummed recipient. */
  address: string;
  /** Amount in tiyn, > 0. */
  amount: bigint;
}

/** One validated row of an address-list file. */
export interface AddressRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** Checksummed address. */
  address: string;
}

/** Options of the CSV parsers. */
export interface CsvOptions {
  /** Name of the file in messages. Default `CSV`. */
  source?: string;
}

/**
 * Several problems found in one pass (bad CSV lines, rows that fail on-chain checks). The message is a title line
 * followed by the first {@link MAX_LISTED_PROBLEMS} problems, one per line; `problems` holds them all.
 */
export class ProblemsError extends Error {
  /** Every problem, each prefixed with its line number where it has one. */
  readonly problems: readonly string[];

  /**
   * @param title What failed, e.g. `payroll.csv has 3 problems`; `(first 10 listed)` is added when some are left out.
   *   A single problem follows the title on the same line.
   * @param problems The problems, at least one.
   */
  constructor(title: string, problems: readonly string[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    const more = problems.length > listed.length ? ` (first ${listed.length} listed)` : "";
    // One problem stays on one line; several are listed one per line under the title.
    super(listed.length === 1 ? `${title}: ${listed[0]}` : `${title}${more}:\n  ${listed.join("\n  ")}`);
    this.name = "ProblemsError";
    this.problems = problems;
  }
}

/**
 * The error of a batch refused before anything was sent: `cannot <what>: N problems in M rows; nothing was sent`.
 * @param what The action, e.g. `mint`, `add bars`.
 * @param problems Every problem found, at least one.
 * @param rows How many rows the batch had.
 * @returns The error to throw.
 */
export function refusedBatch(what: string, problems: readonly string[], rows: number): ProblemsError {
  const title = `cannot ${what}: ${problemCount(problems.length)} in ${rows} row${rows === 1 ? "" : "s"}`;
  return new ProblemsError(`${title}; nothing was sent`, problems);
}

/**
 * `N problem` or `N problems`.
 * @param count How many.
 * @returns The phrase.
 */
export function problemCount(count: number): string {
  return `${count} problem${count === 1 ? "" : "s"}`;
}

/** A CSV that failed validation; see {@link ProblemsError}. */
export class CsvError extends ProblemsError {
  constructor(source: string, problems: readonly string[]) {
    super(`${source} has ${problemCount(problems.length)}`, problems);
    this.name = "CsvError";
  }
}

interface RawLine {
  line: number;
  cells: string[];
}

/** Splits text into content lines: strips a BOM and CR, skips blank lines and `#` comments and a known header. */
function contentLines(text: string, header: string): RawLine[] {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  const result: RawLine[] = [];
  let seenContent = false;
  lines.forEach((raw, index) => {
    const trimmed = raw.replace(/\r$/, "").trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const cells = trimmed.split(",").map((cell) => cell.trim());
    const isHeader = !seenContent && cells.join(",").toLowerCase() === header;
    seenContent = true;
    if (!isHeader) result.push({ line: index + 1, cells });
  });
  return result;
}

function fieldCountProblem(cells: string[], expected: string): string | undefined {
  const want = expected.split(",").length;
  if (cells.length === want) return undefined;
  const hint = cells.length === 1 && /[;\t]/.test(cells[0]) ? "; separate fields with commas" : "";
  const thousands = cells.length > want ? "; amounts must not contain thousands separators" : "";
  return `expected ${want} comma-separated field${want === 1 ? "" : "s"} (${expected}), found ${cells.length}${hint}${
    want === 2 ? thousands : ""
  }`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkDuplicate(seen: Map<string, number>, address: string, line: number, problems: string[]): void {
  const first = seen.get(address);
  if (first !== undefined) problems.push(`line ${line}: duplicate address ${address} (first on line ${first})`);
  else seen.set(address, line);
}

/**
 * Parses a batch-mint CSV of `address,amount` lines (amounts in tenge, at most 2 decimals, > 0). An optional
 * `address,amount` header, blank lines and `#` comment lines are skipped. Every bad line is collected and thrown
 * as one {@link CsvError} listing the first ten with their line numbers; a repeated address is a problem too.
 * @param text The file's content.
 * @param options The file name for messages.
 * @returns The rows in file order.
 */
export function parseMintCsv(text: string, options: CsvOptions = {}): MintRow[] {
  const source = options.source ?? "CSV";
  const problems: string[] = [];
  const rows: MintRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of contentLines(text, "address,amount")) {
    const countProblem = fieldCountProblem(cells, "address,amount");
    if (countProblem) {
      problems.push(`line ${line}: ${countProblem}`);
      continue;
    }
    let address: string | undefined;
    let amount: bigint | undefined;
    try {
      address = parseAddress(cells[0], "address");
    } catch (error) {
      problems.push(`line ${line}: ${messageOf(error)}`);
    }
    try {
      amount = parseTenge(cells[1]);
    } catch (error) {
      problems.push(`line ${line}: ${messageOf(error)}`);
    }
    if (address !== undefined) checkDuplicate(seen, address, line, problems);
    if (address !== undefined && amount !== undefined) rows.push({ line, address, amount });
  }
  if (problems.length === 0 && rows.length === 0) problems.push("no rows (expected lines of address,amount)");
  if (problems.length > 0) throw new CsvError(source, problems);
  return rows;
}

/**
 * Parses a CSV with one address per line (an optional `address` header, blank lines and `#` comments skipped).
 * Errors are collected like {@link parseMintCsv}'s, duplicates included.
 * @param text The file's content.
 * @param options The file name for messages.
 * @returns The rows in file order.
 */
export function parseAddressCsv(text: string, options: CsvOptions = {}): AddressRow[] {
  const source = options.source ?? "CSV";
  const problems: string[] = [];
  const rows: AddressRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of contentLines(text, "address")) {
    const countProblem = fieldCountProblem(cells, "address");
    if (countProblem) {
      problems.push(`line ${line}: ${countProblem}`);
      continue;
    }
    try {
      const address = parseAddress(cells[0], "address");
      checkDuplicate(seen, address, line, problems);
      rows.push({ line, address });
    } catch (error) {
      problems.push(`line ${line}: ${messageOf(error)}`);
    }
  }
  if (problems.length === 0 && rows.length === 0) problems.push("no rows (expected one address per line)");
  if (problems.length > 0) throw new CsvError(source, problems);
  return rows;
}

/**
 * Reads a UTF-8 text file with a one-line error when it cannot be read.
 * @param path The file's path.
 * @param label Name of the input in messages, e.g. `--file`.
 * @returns The content.
 */
export function readTextFile(path: string, label: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a directory" : messageOf(error);
    throw new Error(`${label} "${path}": file ${why}`);
  }
}
