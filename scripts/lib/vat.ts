import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { id, isHexString, keccak256, toUtf8Bytes, ZeroHash } from "ethers";
import type { DigitalTenge } from "../../typechain-types";
import { formatTenge } from "./amounts";

/** VAT categories as the contract numbers them (ITengeVatBase.VatCategory). */
export const VAT_CATEGORIES = ["standard", "reduced", "zero", "exempt", "default"] as const;
export type VatCategoryName = (typeof VAT_CATEGORIES)[number];
/** Invoice statuses as the contract numbers them (ITengeVatBase.InvoiceStatus). */
export const INVOICE_STATUSES = ["none", "issued", "paid", "cancelled"] as const;

/** Seconds added to UTC to get Almaty time (UTC+5), as the contract counts days. */
export const ALMATY_OFFSET_SECONDS = 5 * 3600;

/**
 * Parses a VAT category name.
 * @param text `standard`, `reduced`, `zero`, `exempt` or `default` (case-insensitive).
 * @param allowed Which names are valid here.
 * @param label Name of the input in messages.
 * @returns The category's number.
 */
export function parseCategory(text: string, allowed: readonly VatCategoryName[], label = "--category"): number {
  const name = text.trim().toLowerCase() as VatCategoryName;
  if (!allowed.includes(name)) throw new Error(`${label} "${text}" must be one of ${allowed.join(", ")}`);
  return VAT_CATEGORIES.indexOf(name);
}

/**
 * A rate in percent with at most 2 decimals, as basis points, exactly (no floating point): "16" → 1600,
 * "12.5" → 1250, "0" → 0. At most 100 %.
 * @param text The percentage as typed.
 * @param label Name of the input in messages.
 * @returns Basis points.
 */
export function parseRatePercent(text: string, label: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw new Error(`${label} "${text}" must be a percentage with at most 2 decimals, e.g. 16 or 12.5`);
  const [, whole, fraction = ""] = match;
  if (whole.length > 1 && whole.startsWith("0")) throw new Error(`${label} "${text}" has leading zeros`);
  const bps = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (bps > 10_000) throw new Error(`${label} "${text}" is above 100 %`);
  return bps;
}

/**
 * When rates take effect: `now` (0: at once), unix seconds, or ISO 8601 with an explicit offset
 * (`2027-01-01T00:00:00+05:00`); a time without offset is refused as ambiguous.
 * @param text The moment as typed.
 * @param label Name of the input in messages.
 * @returns Unix seconds (0 for now).
 */
export function parseEffectiveFrom(text: string, label = "--from"): bigint {
  if (text === "now") return 0n;
  if (/^\d+$/.test(text)) return BigInt(text);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new Error(
      `${label} "${text}" must be "now", unix seconds or ISO 8601 with an offset, e.g. 2027-01-01T00:00:00+05:00`,
    );
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || ms % 1000 !== 0) throw new Error(`${label} "${text}" is not a valid moment`);
  return BigInt(ms / 1000);
}

/**
 * The bytes32 invoice reference of an e-invoice number: a 0x-prefixed 32-byte hex is taken as is, any other text
 * is hashed (keccak256 of its UTF-8), so the same number always gives the same reference.
 * @param text The invoice number (e.g. INV-2026-000123) or a 32-byte hex.
 * @returns The reference.
 */
export function invoiceRefOf(text: string): string {
  if (text.trim() === "") throw new Error("--ref is empty");
  if (/^0x/i.test(text)) {
    if (!isHexString(text, 32) || text.toLowerCase() === ZeroHash) {
      throw new Error(`--ref "${text}" starts with 0x but is not a non-zero 32-byte hex`);
    }
    return text.toLowerCase();
  }
  return id(text);
}

/**
 * The salted hash of a taxpayer identifier (12-digit BIN/IIN): keccak256("<salt>:<identifier>"). Computed locally;
 * the identifier never leaves the machine, and without the salt the hash cannot be matched against the register.
 * @param taxpayerId The BIN or IIN, 12 digits.
 * @param salt The tax authority's secret salt, at least 16 characters.
 * @returns The hash.
 */
export function taxpayerIdHash(taxpayerId: string, salt: string): string {
  if (!/^\d{12}$/.test(taxpayerId)) throw new Error(`--taxpayer-id must be a 12-digit BIN/IIN`);
  if (salt.length < 16) throw new Error("the salt must be at least 16 characters (--salt or VAT_TAXPAYER_SALT)");
  return keccak256(toUtf8Bytes(`${salt}:${taxpayerId}`));
}

/** Grouping of the reconciliation report. */
export type ReportPeriod = "day" | "month";

/** One line of the report: one merchant in one period (Almaty time). */
export interface VatReportRow {
  merchant: string;
  period: string;
  invoices: number;
  gross: bigint;
  net: bigint;
  /** VAT of the invoices paid in the period. */
  vatCollected: bigint;
  /** VAT given back by refunds in the period. */
  vatRefunded: bigint;
  /** Of which input VAT: VAT the buyer paid from its own marked VAT. */
  vatInput: bigint;
  /** Marked VAT the merchant paid to the budget in the period. */
  paidToBudget: bigint;
}

/** The report, its totals and the check against the chain. */
export interface VatReport {
  rows: VatReportRow[];
  fromBlock: number;
  toBlock: number;
  totals: { collected: bigint; refunded: bigint; paidToBudget: bigint; offset: bigint; inputRefunded: bigint };
  /** Only when the range covers the whole history: the on-chain totals rebuilt from events. */
  check?: { held: boolean; lines: string[] };
}

/** The period label of a unix time in Almaty: YYYY-MM-DD or YYYY-MM. */
export function periodOf(timestamp: number, period: ReportPeriod): string {
  const iso = new Date((timestamp + ALMATY_OFFSET_SECONDS) * 1000).toISOString();
  return period === "day" ? iso.slice(0, 10) : iso.slice(0, 7);
}

/**
 * The tax authority's reconciliation, rebuilt from InvoicePaid, InvoiceRefunded and VatPaidToBudget events: VAT
 * per merchant and period. When the range starts at block 0 and ends at the latest block, the totals are checked
 * against vatTotals(): markedTotal == collected − paidToBudget − offset, and each total equals its events' sum.
 * @param tenge The token.
 * @param hre The runtime (for block timestamps).
 * @param range Blocks (default: the whole history) and grouping (default month).
 * @returns The report.
 */
export async function vatReport(
  tenge: DigitalTenge,
  hre: HardhatRuntimeEnvironment,
  range: { fromBlock?: number; toBlock?: number; period?: ReportPeriod } = {},
): Promise<VatReport> {
  const latest = await hre.ethers.provider.getBlockNumber();
  const fromBlock = range.fromBlock ?? 0;
  const toBlock = range.toBlock ?? latest;
  if (fromBlock > toBlock) throw new Error(`--from-block ${fromBlock} is after --to-block ${toBlock}`);
  const period = range.period ?? "month";
  const [paid, refunds, budget] = await Promise.all([
    tenge.queryFilter(tenge.filters.InvoicePaid(), fromBlock, toBlock),
    tenge.queryFilter(tenge.filters.InvoiceRefunded(), fromBlock, toBlock),
    tenge.queryFilter(tenge.filters.VatPaidToBudget(), fromBlock, toBlock),
  ]);
  const times = new Map<number, number>();
  const timeOf = async (block: number): Promise<number> => {
    let t = times.get(block);
    if (t === undefined) {
      t = (await hre.ethers.provider.getBlock(block))?.timestamp ?? 0;
      times.set(block, t);
    }
    return t;
  };
  const rows = new Map<string, VatReportRow>();
  const rowOf = async (merchant: string, block: number): Promise<VatReportRow> => {
    const label = periodOf(await timeOf(block), period);
    const key = `${merchant}|${label}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        merchant,
        period: label,
        invoices: 0,
        gross: 0n,
        net: 0n,
        vatCollected: 0n,
        vatRefunded: 0n,
        vatInput: 0n,
        paidToBudget: 0n,
      };
      rows.set(key, row);
    }
    return row;
  };
  const totals = { collected: 0n, refunded: 0n, paidToBudget: 0n, offset: 0n, inputRefunded: 0n };
  // Input-VAT invoices: looked up over the whole history, since a refund may fall in a later range than its payment.
  const inputVat = new Set<string>();
  for (const e of await tenge.queryFilter(tenge.filters.InvoicePaid(), 0, toBlock)) {
    if (e.args.withInputVat) inputVat.add(`${e.args.merchant}|${e.args.invoiceRef}`);
  }
  for (const e of paid) {
    const row = await rowOf(e.args.merchant, e.blockNumber);
    row.invoices += 1;
    row.gross += e.args.gross;
    row.net += e.args.net;
    row.vatCollected += e.args.vat;
    totals.collected += e.args.vat;
    if (e.args.withInputVat) {
      row.vatInput += e.args.vat;
      totals.offset += e.args.vat;
    }
  }
  for (const e of refunds) {
    const row = await rowOf(e.args.merchant, e.blockNumber);
    row.vatRefunded += e.args.vat;
    totals.collected -= e.args.vat;
    if (inputVat.has(`${e.args.merchant}|${e.args.invoiceRef}`)) {
      totals.offset -= e.args.vat;
      totals.inputRefunded += e.args.vat;
    } else {
      totals.refunded += e.args.vat;
    }
  }
  for (const e of budget) {
    const row = await rowOf(e.args.payer, e.blockNumber);
    row.paidToBudget += e.args.amount;
    totals.paidToBudget += e.args.amount;
  }
  const sorted = [...rows.values()].sort((a, b) =>
    a.period === b.period ? a.merchant.localeCompare(b.merchant) : a.period.localeCompare(b.period),
  );
  const report: VatReport = { rows: sorted, fromBlock, toBlock, totals };
  if (fromBlock === 0 && toBlock === latest) {
    const chain = await tenge.vatTotals();
    const checks: [string, bigint, bigint][] = [
      ["collected (net of refunds)", chain.collected, totals.collected],
      ["paid to the budget", chain.paidToBudget, totals.paidToBudget],
      ["offset as input VAT", chain.offset, totals.offset],
      ["refunded", chain.refunded, totals.refunded],
      ["marked VAT held", chain.markedTotal, totals.collected - totals.paidToBudget - totals.offset],
    ];
    report.check = {
      held: checks.every(([, a, b]) => a === b),
      lines: checks.map(
        ([what, a, b]) => `${what}: chain ${formatTenge(a)}, events ${formatTenge(b)}${a === b ? "" : "  MISMATCH"}`,
      ),
    };
  }
  return report;
}

const COLUMNS = [
  "period",
  "merchant",
  "invoices",
  "gross",
  "net",
  "vat_collected",
  "vat_refunded",
  "vat_input",
  "vat_net",
  "paid_to_budget",
];

function cells(row: VatReportRow): string[] {
  return [
    row.period,
    row.merchant,
    String(row.invoices),
    formatTenge(row.gross),
    formatTenge(row.net),
    formatTenge(row.vatCollected),
    formatTenge(row.vatRefunded),
    formatTenge(row.vatInput),
    formatTenge(row.vatCollected - row.vatRefunded),
    formatTenge(row.paidToBudget),
  ];
}

/** The report as CSV (header line, amounts in tenge with 2 decimals, LF line ends). */
export function vatReportCsv(report: VatReport): string {
  return [COLUMNS.join(","), ...report.rows.map((r) => cells(r).join(","))].join("\n") + "\n";
}

/** The report as an aligned text table. */
export function vatReportTable(report: VatReport): string {
  const body = report.rows.map(cells);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  return [line(COLUMNS), ...body.map(line)].join("\n");
}
