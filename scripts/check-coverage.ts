/**
 * Coverage gate for production contracts (everything under contracts/ except mocks/): 100% of lines and functions,
 * at least 95% of branches, per file. Reads coverage/coverage-summary.json written by `hardhat coverage`.
 */
import { readFileSync } from "fs";
import { relative } from "path";

interface Metric {
  total: number;
  covered: number;
  pct: number | "Unknown";
}
type Summary = Record<string, { lines: Metric; functions: Metric; branches: Metric; statements: Metric }>;

const GATE = { lines: 100, functions: 100, branches: 95 } as const;

function pct(metric: Metric): number {
  return metric.total === 0 ? 100 : (metric.covered / metric.total) * 100;
}

const summary = JSON.parse(readFileSync("coverage/coverage-summary.json", "utf8")) as Summary;
const rows = Object.entries(summary)
  .filter(([file]) => file !== "total")
  .map(([file, m]) => ({
    file: relative(process.cwd(), file),
    lines: pct(m.lines),
    functions: pct(m.functions),
    branches: pct(m.branches),
  }))
  .filter((r) => r.file.startsWith("contracts/") && !r.file.startsWith("contracts/mocks/"));

if (rows.length === 0) {
  console.error("coverage gate: no production contract in coverage/coverage-summary.json");
  process.exit(1);
}
const failures: string[] = [];
for (const r of rows) {
  for (const key of ["lines", "functions", "branches"] as const) {
    if (r[key] < GATE[key]) failures.push(`${r.file}: ${key} ${r[key].toFixed(2)}% < ${GATE[key]}%`);
  }
}
console.log("\nCoverage gate (lines 100%, functions 100%, branches >= 95%, per production contract)");
console.table(
  rows.map((r) => ({
    file: r.file,
    lines: r.lines.toFixed(2),
    functions: r.functions.toFixed(2),
    branches: r.branches.toFixed(2),
  })),
);
if (failures.length > 0) {
  console.error(`coverage gate FAILED:\n  ${failures.join("\n  ")}`);
  process.exit(1);
}
console.log("coverage gate passed");
