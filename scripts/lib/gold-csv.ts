import { CsvError } from "./csv";
import { MAX_BAR_FINE_WEIGHT_MG, MAX_FINENESS, MIN_FINENESS, encodeBarField, formatGrams, parseGrams } from "./gold";
import { parseAddress } from "./validate";

/** One validated row of a bars file. */
export interface BarRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** The serial as written, and as the contract stores it (bytes32). */
  serialText: string;
  serial: string;
  refiner: string;
  /** Fine weight in mg. */
  fineWeightMg: bigint;
  /** Parts per 10,000. */
  fineness: number;
  vault: string;
  /** Recipient of the minted tokens; undefined means the default given to the task (the custodian). */
  recipient?: string;
}

const HEADER_MG = "serial,refiner,fineweightmg,fineness,vault";
const HEADER_G = "serial,refiner,finegrams,fineness,vault";

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Parses a fine weight cell: an integer number of mg when the header says `fineWeightMg` (or there is no header and
 * the cell has no decimal point), or grams with at most 3 decimals when the header says `fineGrams` or the cell has a
 * decimal point ("999.9" g = 999,900 mg).
 */
function parseWeight(cell: string, unit: "mg" | "g" | "auto"): bigint {
  const asGrams = unit === "g" || (unit === "auto" && cell.includes("."));
  if (asGrams) return parseGrams(cell, { label: "fine weight (g)", maxMg: MAX_BAR_FINE_WEIGHT_MG });
  if (!/^[1-9]\d*$/.test(cell)) {
    throw new Error(
      `fine weight (mg) "${cell}" is not a whole number of milligrams (write grams with a decimal point)`,
    );
  }
  const mg = BigInt(cell);
  if (mg > MAX_BAR_FINE_WEIGHT_MG) {
    throw new Error(
      `fine weight ${cell} mg is above the 20 kg maximum of one bar (${formatGrams(MAX_BAR_FINE_WEIGHT_MG)})`,
    );
  }
  return mg;
}

function parseFineness(cell: string): number {
  if (!/^\d+(\.\d)?$/.test(cell)) throw new Error(`fineness "${cell}" is not a number (parts per 10,000, e.g. 9999)`);
  // 999.9 (per mille, one decimal) is accepted as 9999 parts per 10,000
  const value = cell.includes(".") ? Math.round(Number(cell) * 10) : Number(cell);
  if (value < MIN_FINENESS || value > MAX_FINENESS) {
    throw new Error(`fineness "${cell}" is outside ${MIN_FINENESS}-${MAX_FINENESS} parts per 10,000 (995.0-1000.0)`);
  }
  return value;
}

/**
 * Parses a bars CSV: `serial,refiner,fineWeightMg,fineness,vault[,recipient]` per line (or `fineGrams` in place of
 * `fineWeightMg`, grams with up to 3 decimals). Without a header, a weight with a decimal point is grams and one
 * without is mg. Fineness is parts per 10,000 (9999) or per mille with one decimal (999.9). Text fields are at
 * most 31 bytes. Blank lines and `#` comments are skipped. Every bad line and every repeated serial is collected
 * and thrown as one {@link CsvError} listing the first ten with their line numbers.
 * @param text The file's content.
 * @param source The file name for messages.
 * @returns The rows in file order.
 */
export function parseBarsCsv(text: string, source = "CSV"): BarRow[] {
  const problems: string[] = [];
  const rows: BarRow[] = [];
  const seen = new Map<string, number>();
  let unit: "mg" | "g" | "auto" = "auto";
  let seenContent = false;
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      const trimmed = raw.replace(/\r$/, "").trim();
      if (trimmed === "" || trimmed.startsWith("#")) return;
      const cells = trimmed.split(",").map((cell) => cell.trim());
      if (!seenContent) {
        seenContent = true;
        const header = cells.slice(0, 5).join(",").toLowerCase();
        if (header === HEADER_MG || header === HEADER_G) {
          unit = header === HEADER_MG ? "mg" : "g";
          return;
        }
      }
      if (cells.length !== 5 && cells.length !== 6) {
        problems.push(
          `line ${line}: expected 5 or 6 comma-separated fields (serial,refiner,fineWeightMg,fineness,vault[,recipient]), found ${cells.length}`,
        );
        return;
      }
      const [serialText, refinerText, weightText, finenessText, vaultText, recipientText] = cells;
      const before = problems.length;
      const attempt = <T>(fn: () => T): T | undefined => {
        try {
          return fn();
        } catch (error) {
          problems.push(`line ${line}: ${messageOf(error)}`);
          return undefined;
        }
      };
      const serial = attempt(() => encodeBarField(serialText, "serial"));
      const refiner = attempt(() => encodeBarField(refinerText, "refiner"));
      const fineWeightMg = attempt(() => parseWeight(weightText, unit));
      const fineness = attempt(() => parseFineness(finenessText));
      const vault = attempt(() => encodeBarField(vaultText, "vault"));
      const recipient =
        recipientText === undefined || recipientText === ""
          ? undefined
          : attempt(() => parseAddress(recipientText, "recipient"));
      if (serial !== undefined) {
        const first = seen.get(serial);
        if (first !== undefined) problems.push(`line ${line}: duplicate serial ${serialText} (first on line ${first})`);
        else seen.set(serial, line);
      }
      if (problems.length > before) return;
      rows.push({
        line,
        serialText,
        serial: serial as string,
        refiner: refiner as string,
        fineWeightMg: fineWeightMg as bigint,
        fineness: fineness as number,
        vault: vault as string,
        recipient,
      });
    });
  if (problems.length === 0 && rows.length === 0) {
    problems.push("no rows (expected lines of serial,refiner,fineWeightMg,fineness,vault[,recipient])");
  }
  if (problems.length > 0) throw new CsvError(source, problems);
  return rows;
}

/** One serial read from a file, with its line. */
export interface SerialRow {
  line: number;
  serialText: string;
  serial: string;
}

/**
 * Reads the serials of a file: the first field of each line, so a bars CSV (as given to gold:add-bars) or a plain
 * list of serials both work. A header whose first field is `serial`, blank lines and `#` comments are skipped;
 * bad and repeated serials are collected into one {@link CsvError}.
 * @param text The file's content.
 * @param source The file name for messages.
 * @returns The serials in file order.
 */
export function parseSerialsCsv(text: string, source = "CSV"): SerialRow[] {
  const problems: string[] = [];
  const rows: SerialRow[] = [];
  const seen = new Map<string, number>();
  let seenContent = false;
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      const trimmed = raw.replace(/\r$/, "").trim();
      if (trimmed === "" || trimmed.startsWith("#")) return;
      const serialText = trimmed.split(",")[0].trim();
      const isHeader = !seenContent && serialText.toLowerCase() === "serial";
      seenContent = true;
      if (isHeader) return;
      try {
        const serial = encodeBarField(serialText, "serial");
        const first = seen.get(serial);
        if (first !== undefined) problems.push(`line ${line}: duplicate serial ${serialText} (first on line ${first})`);
        else {
          seen.set(serial, line);
          rows.push({ line, serialText, serial });
        }
      } catch (error) {
        problems.push(`line ${line}: ${messageOf(error)}`);
      }
    });
  if (problems.length === 0 && rows.length === 0) problems.push("no rows (expected one serial per line)");
  if (problems.length > 0) throw new CsvError(source, problems);
  return rows;
}
