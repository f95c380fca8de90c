/**
 * `npm run pilot:nodes [-- --children N]`: plays the pilot against a real `npx hardhat node` and against anvil
 * (an independent EVM implementation), each started here on loopback and stopped by PID, and fails unless both runs
 * keep every invariant and end in the same final state (every balance, supply and total the pilot probes).
 */
import { mkdirSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { startNode, runHardhat } from "./lib/nodes";
import type { PilotReport } from "./lib/pilot/report";

const ROOT = join(__dirname, "..");
const REPORTS = join(ROOT, "reports");

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  const value = process.argv[index + 1];
  if (value === undefined || value.startsWith("--")) throw new Error(`--${name} needs a value`);
  return value;
}

async function playOn(kind: "hardhat" | "anvil", port: number, children: string): Promise<PilotReport> {
  const network = kind === "hardhat" ? "localhost" : "anvil";
  // A fresh node has none of the contracts an earlier node's records name, but the same deployer nonces put new
  // contracts at the same addresses: stale records would make the deploy scripts take them for the proxies.
  rmSync(join(ROOT, "deployments", network), { recursive: true, force: true });
  const node = await startNode(kind, { port, logDir: REPORTS });
  console.log(`== ${kind} node up at ${node.url} (pid ${node.pid}, log ${node.log})`);
  const report = join(REPORTS, `pilot-${network}.json`);
  try {
    const run = await runHardhat(
      [
        "pilot",
        "--network",
        network,
        "--children",
        children,
        "--quiet",
        "--report",
        report,
        "--html",
        join(REPORTS, `pilot-${network}.html`),
      ],
      kind === "hardhat" ? { LOCALHOST_RPC_URL: node.url } : { ANVIL_RPC_URL: node.url },
      `[${network}] `,
    );
    if (run.code !== 0) throw new Error(`the pilot failed on ${kind} (exit code ${run.code})`);
    console.log(`== pilot on ${kind}: ${run.seconds.toFixed(1)} s`);
  } finally {
    await node.stop();
    console.log(`== ${kind} node (pid ${node.pid}) stopped`);
  }
  return JSON.parse(readFileSync(report, "utf8")) as PilotReport;
}

async function main(): Promise<void> {
  const children = option("children", "1000");
  mkdirSync(REPORTS, { recursive: true });
  const onHardhat = await playOn("hardhat", Number(option("hardhat-port", "18545")), children);
  const onAnvil = await playOn("anvil", Number(option("anvil-port", "18546")), children);

  const problems: string[] = [];
  for (const [name, report] of [
    ["hardhat node", onHardhat],
    ["anvil", onAnvil],
  ] as const) {
    for (const broken of report.invariants.filter((i) => !i.held)) {
      problems.push(`${name}: invariant broken: [${broken.area}] ${broken.name} (${broken.detail})`);
    }
  }
  const keys = [...new Set([...Object.keys(onHardhat.finalState.values), ...Object.keys(onAnvil.finalState.values)])];
  for (const key of keys.sort()) {
    const a = onHardhat.finalState.values[key];
    const b = onAnvil.finalState.values[key];
    if (a !== b)
      problems.push(`final state differs at ${key}: hardhat node ${a ?? "(missing)"}, anvil ${b ?? "(missing)"}`);
  }
  console.log(
    `\nfinal state: hardhat node ${onHardhat.finalState.digest}\n             anvil        ${onAnvil.finalState.digest}` +
      ` (${keys.length} values compared)`,
  );
  if (problems.length > 0) {
    for (const p of problems) console.error(`  ${p}`);
    throw new Error(`${problems.length} problem(s): the two nodes disagree or an invariant broke`);
  }
  console.log("both nodes kept every invariant and reached the same final state");
}

main().catch((error: unknown) => {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
