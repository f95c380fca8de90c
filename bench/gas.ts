/**
 * Gas benchmark of the suite: `npm run bench`. Each suite measures its contracts against a baseline measured in
 * the same run (a plain OpenZeppelin 5.7 ERC-20, or the plain tenge transfer), every figure one transaction's
 * receipt gasUsed from a snapshot in which every slot is cold. Prints each table and the issues' targets, and writes
 * every row to bench/results/gas.json as `{subject, operation, gas, baselineGas, ratio}`.
 */
import hre from "hardhat";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import type { GasRow, SuiteResult } from "./lib";
import { benchTenge } from "./suites/tenge";
import { benchVat } from "./suites/vat";
import { benchGold } from "./suites/gold";
import { benchStablecoin } from "./suites/stablecoin";
import { benchOffline } from "./suites/offline";
import { benchPrograms } from "./suites/programs";

function print(result: SuiteResult): void {
  console.log(`\n${result.title}\n`);
  console.table(
    result.rows.map((r) => ({ operation: r.operation, gas: r.gas, baseline: r.baselineGas, ratio: r.ratio })),
  );
  for (const note of result.notes) console.log(note);
  console.log("Targets:");
  for (const t of result.targets) console.log(`  ${t.met ? "met   " : "MISSED"} ${t.what}: ${t.figure}`);
}

async function main(): Promise<void> {
  if (hre.network.name !== "hardhat") throw new Error("the gas bench runs on the in-process hardhat network only");
  const rows: GasRow[] = [];
  const tenge = await benchTenge(hre);
  print(tenge);
  rows.push(...tenge.rows);
  const vat = await benchVat(hre, tenge.baselines);
  print(vat);
  rows.push(...vat.rows);
  const gold = await benchGold(hre, tenge.baselines);
  print(gold);
  rows.push(...gold.rows);
  const stablecoin = await benchStablecoin(hre, tenge.baselines);
  print(stablecoin);
  rows.push(...stablecoin.rows);
  const offline = await benchOffline(hre, tenge.baselines);
  print(offline);
  rows.push(...offline.rows);
  const programs = await benchPrograms(hre, tenge.baselines);
  print(programs);
  rows.push(...programs.rows);

  const outDir = join(__dirname, "results");
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, "gas.json");
  writeFileSync(file, JSON.stringify(rows, null, 2) + "\n");
  console.log(`\nwrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
