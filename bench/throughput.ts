/**
 * Throughput of the pilot over JSON-RPC (`npm run bench`, after the gas tables): plays the same pilot on a fresh
 * `npx hardhat node` twice — pipelined (several senders, batched transactions, signed locally: the default) and
 * `--serial` (the naive way: one transaction at a time through an ethers wallet that estimates gas and reads nonce
 * and fees for each, each receipt awaited) — and reports transactions and gas per second of each, and their ratio,
 * measured in the same run. Then plays `--children 10000` (one school day) and reports its wall time against the
 * 90-second target. Each run gets its own node, started here on loopback and stopped by PID.
 * Writes bench/results/throughput.json.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { runHardhat, startNode } from "../scripts/lib/nodes";
import type { PilotReport } from "../scripts/lib/pilot/report";

const ROOT = join(__dirname, "..");
const OUT = join(__dirname, "results");
const PORT = 18_645;
/** Children of the pipelined-vs-serial comparison: large enough for the lunch step to dominate. */
const COMPARE_CHILDREN = Number(process.env.BENCH_PILOT_CHILDREN ?? "2000");
const TARGET_CHILDREN = 10_000;
const TARGET_SECONDS = 90;

interface Row {
  mode: string;
  children: number;
  transactions: number;
  gasUsed: string;
  /** The story's seconds (deployment included), from the pilot's report. */
  storySeconds: number;
  /** The whole command's wall time, compile check and startup included. */
  commandSeconds: number;
  txPerSecond: number;
  gasPerSecond: number;
}

async function play(mode: "pipelined" | "serial", children: number): Promise<Row> {
  rmSync(join(ROOT, "deployments", "localhost"), { recursive: true, force: true });
  const node = await startNode("hardhat", { port: PORT, logDir: OUT });
  const report = join(OUT, `pilot-${mode}-${children}.json`);
  try {
    const run = await runHardhat(
      [
        "pilot",
        "--network",
        "localhost",
        "--children",
        String(children),
        "--quiet",
        "--report",
        report,
        "--html",
        join(OUT, `pilot-${mode}-${children}.html`),
        ...(mode === "serial" ? ["--serial"] : []),
      ],
      { LOCALHOST_RPC_URL: node.url },
      "",
    ).then((r) => {
      if (r.code !== 0) throw new Error(`the ${mode} pilot failed (exit code ${r.code})`);
      return r;
    });
    const parsed = JSON.parse(readFileSync(report, "utf8")) as PilotReport;
    if (!parsed.ok) throw new Error(`the ${mode} pilot broke an invariant`);
    return {
      mode,
      children,
      transactions: parsed.totals.transactions,
      gasUsed: parsed.totals.gasUsed,
      storySeconds: Math.round(parsed.totals.seconds * 10) / 10,
      commandSeconds: Math.round(run.seconds * 10) / 10,
      txPerSecond: Math.round(parsed.totals.txPerSecond * 10) / 10,
      gasPerSecond: Math.round(parsed.totals.gasPerSecond),
    };
  } finally {
    await node.stop();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  console.log(`\nPilot throughput on a fresh \`npx hardhat node\` over JSON-RPC (${COMPARE_CHILDREN} children)\n`);
  const pipelined = await play("pipelined", COMPARE_CHILDREN);
  const serial = await play("serial", COMPARE_CHILDREN);
  const target = await play("pipelined", TARGET_CHILDREN);
  const rows = [pipelined, serial, target];
  console.table(rows);
  const txRatio = pipelined.txPerSecond / serial.txPerSecond;
  const gasRatio = pipelined.gasPerSecond / serial.gasPerSecond;
  console.log(
    `pipelined vs naive serial, same run: ${txRatio.toFixed(2)}× the transactions per second, ` +
      `${gasRatio.toFixed(2)}× the gas per second (story ${serial.storySeconds} s → ${pipelined.storySeconds} s)`,
  );
  const met = target.commandSeconds <= TARGET_SECONDS;
  console.log("Targets:");
  console.log(
    `  ${met ? "met   " : "MISSED"} --children ${TARGET_CHILDREN} on hardhat node ≤ ${TARGET_SECONDS} s: ` +
      `${target.commandSeconds} s for the whole command (${target.storySeconds} s of story)`,
  );
  const file = join(OUT, "throughput.json");
  writeFileSync(file, JSON.stringify({ rows, txRatio, gasRatio, targetMet: met }, null, 2) + "\n");
  console.log(`\nwrote ${file}`);
}

main().catch((error: unknown) => {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
