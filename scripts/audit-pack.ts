/**
 * `npm run audit-pack [-- --skip-coverage] [-- --skip-bench]`: writes everything an auditor asks for into one
 * folder, audit-pack/ (gitignored):
 *   coverage/          the coverage HTML and coverage.json (`hardhat coverage`, several minutes; --skip-coverage
 *                      copies the existing ./coverage and ./coverage.json instead)
 *   gas.md, gas.json   the gas table (`npm run bench`; --skip-bench reuses bench/results/gas.json)
 *   access-matrix.md   who may call every state-changing function (generated from scripts/lib/access-matrix.ts)
 *   api/<Contract>.md  NatSpec API docs of every production contract, from the compiler's userdoc/devdoc
 *   invariants.md      every invariant and where it is checked (docs/invariants.md)
 *   README.md          the index
 */
import { spawnSync } from "child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { renderAccessMatrix } from "./lib/access-matrix";
import { loadContractDocs, productionArtifacts, renderContractDocs } from "./lib/natspec-docs";

const ROOT = join(__dirname, "..");

export interface GasRow {
  subject: string;
  operation: string;
  gas: number;
  baselineGas: number;
  ratio: number;
}

/** The gas rows of bench/results/gas.json as one markdown table per subject. */
export function renderGasTable(rows: readonly GasRow[]): string {
  const lines = [
    "# Gas",
    "",
    "From `npm run bench` (bench/results/gas.json): each figure is one transaction's receipt gasUsed from a cold",
    "snapshot, against the baseline the bench measured in the same run.",
    "",
  ];
  const subjects = [...new Set(rows.map((r) => r.subject))];
  for (const subject of subjects) {
    lines.push(`## ${subject}`, "", "| operation | gas | baseline | ratio |", "| --- | ---: | ---: | ---: |");
    for (const r of rows.filter((x) => x.subject === subject)) {
      lines.push(`| ${r.operation.replace(/\|/g, "\\|")} | ${r.gas} | ${r.baselineGas} | ${r.ratio} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function run(command: string, args: string[]): void {
  console.log(`\n$ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`\`${command} ${args.join(" ")}\` failed (exit ${result.status})`);
}

const age = (path: string): string => statSync(path).mtime.toISOString();

function main(): void {
  const flags = new Set(process.argv.slice(2));
  for (const flag of flags) {
    if (flag !== "--skip-coverage" && flag !== "--skip-bench") {
      throw new Error(`unknown flag ${flag} (known: --skip-coverage, --skip-bench)`);
    }
  }
  const out = join(ROOT, "audit-pack");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "api"), { recursive: true });
  const index: string[] = [];

  // Coverage first: it instruments and recompiles, so the plain compile below leaves clean artifacts.
  if (!flags.has("--skip-coverage")) run("npx", ["hardhat", "coverage"]);
  const coverageDir = join(ROOT, "coverage");
  const coverageJson = join(ROOT, "coverage.json");
  if (existsSync(coverageDir)) {
    cpSync(coverageDir, join(out, "coverage"), { recursive: true });
    if (existsSync(coverageJson)) copyFileSync(coverageJson, join(out, "coverage", "coverage.json"));
    index.push(
      `- [coverage/index.html](coverage/index.html), [coverage/coverage.json](coverage/coverage.json): coverage ` +
        `(${flags.has("--skip-coverage") ? `reused, written ${age(coverageDir)}` : "run now"})`,
    );
  } else {
    index.push("- coverage: MISSING (no ./coverage; run without --skip-coverage or `npm run coverage` first)");
  }

  run("npx", ["hardhat", "compile", "--quiet"]);

  if (!flags.has("--skip-bench")) run("npx", ["hardhat", "run", "bench/gas.ts"]);
  const gasJson = join(ROOT, "bench", "results", "gas.json");
  if (existsSync(gasJson)) {
    const rows = JSON.parse(readFileSync(gasJson, "utf8")) as GasRow[];
    writeFileSync(join(out, "gas.md"), renderGasTable(rows));
    copyFileSync(gasJson, join(out, "gas.json"));
    index.push(
      `- [gas.md](gas.md), [gas.json](gas.json): the gas table, ${rows.length} rows ` +
        `(${flags.has("--skip-bench") ? `reused, written ${age(gasJson)}` : "run now"})`,
    );
  } else {
    index.push("- gas: MISSING (no bench/results/gas.json; run without --skip-bench)");
  }

  writeFileSync(join(out, "access-matrix.md"), renderAccessMatrix());
  index.push("- [access-matrix.md](access-matrix.md): who may call every state-changing function of every contract");

  const contracts: string[] = [];
  for (const artifact of productionArtifacts(join(ROOT, "artifacts"))) {
    const docs = loadContractDocs(artifact);
    writeFileSync(join(out, "api", `${docs.contractName}.md`), renderContractDocs(docs));
    contracts.push(docs.contractName);
  }
  contracts.sort();
  index.push(
    `- api/: NatSpec API docs of the production contracts: ${contracts.map((c) => `[${c}](api/${c}.md)`).join(", ")}`,
  );

  copyFileSync(join(ROOT, "docs", "invariants.md"), join(out, "invariants.md"));
  index.push("- [invariants.md](invariants.md): every invariant of every contract and where it is checked");

  const commit = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--untracked-files=no"], {
    cwd: ROOT,
    encoding: "utf8",
  }).stdout.trim();
  writeFileSync(
    join(out, "README.md"),
    [
      "# Audit pack: digital tenge suite",
      "",
      `Generated ${new Date().toISOString()} by \`npm run audit-pack${flags.size > 0 ? ` -- ${[...flags].join(" ")}` : ""}\` ` +
        `at commit \`${commit}\`${dirty === "" ? "" : " (with uncommitted changes)"}.`,
      "",
      ...index,
      "",
      "Also read the repository's README.md (design, role matrix, limits) and docs/*.md (one per feature).",
      "",
    ].join("\n"),
  );
  console.log(`\nwrote ${out}`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
