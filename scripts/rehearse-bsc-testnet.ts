/**
 * `npm run rehearse:bsc-testnet`: rehearses the BNB Chain testnet deployment without any network. Starts anvil on
 * loopback with chain id 97 and one-second blocks, points `--network bscTestnet` at it (BSC_TESTNET_RPC_URL) with
 * anvil's first key as DEPLOYER_PRIVATE_KEY, and runs the real deploy scripts through the live-network code path:
 * the key check, waiting for 2 confirmations, `deployments/bscTestnet`-style records (written under
 * reports/rehearsal/, not the repo's deployments/), and the verification commands each script prints. Then runs
 * the deployment again, which must reuse everything and send nothing. Stops anvil by PID.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "fs";
import { join } from "path";
import { runHardhat, startNode } from "./lib/nodes";

const ROOT = join(__dirname, "..");
const OUT = join(ROOT, "reports", "rehearsal");
/** anvil's (and Hardhat's) first development key: public knowledge, worthless anywhere but a local node. */
const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const CONTRACTS = [
  "DigitalTenge",
  "TengeAdmin",
  "TengeOffline",
  "TengeStablecoin",
  "GoldToken",
  "GoldDesk",
  "PurposeBoundPrograms",
];
const VERIFIED = ["DigitalTenge", "TengeStablecoin", "GoldToken", "GoldDesk", "PurposeBoundPrograms"];

async function main(): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const manifest = join(ROOT, ".openzeppelin", "bsc-testnet.json");
  const hadManifest = existsSync(manifest);
  const node = await startNode("anvil", { port: 18597, chainId: 97, blockTime: 1, logDir: OUT });
  console.log(`== anvil as BNB Chain testnet (chain id 97) at ${node.url}, pid ${node.pid}`);
  const env = { BSC_TESTNET_RPC_URL: node.url, DEPLOYER_PRIVATE_KEY: ANVIL_KEY_0, DEPLOYMENTS_DIR: OUT };
  const problems: string[] = [];
  try {
    const first = await runHardhat(["deploy", "--network", "bscTestnet"], env, "[bscTestnet] ");
    if (first.code !== 0) throw new Error(`the deployment failed (exit code ${first.code})`);
    console.log(`== first deployment: ${first.seconds.toFixed(1)} s`);
    const records = join(OUT, "bscTestnet");
    const chainId = existsSync(join(records, ".chainId")) ? readFileSync(join(records, ".chainId"), "utf8").trim() : "";
    if (chainId !== "97") problems.push(`deployments record .chainId is "${chainId}", expected 97`);
    for (const name of CONTRACTS) {
      const file = join(records, `${name}.json`);
      if (!existsSync(file)) {
        problems.push(`no record ${name}.json`);
        continue;
      }
      const record = JSON.parse(readFileSync(file, "utf8")) as { address?: string };
      if (!record.address) problems.push(`${name}.json has no address`);
    }
    // One verification command per implementation the first run deployed (the token's modules are verified with
    // the token's own command's arguments).
    const verifyLines = first.output
      .split("\n")
      .filter((l) => /verify with: npx hardhat verify --network bscTestnet 0x[0-9a-fA-F]{40}/.test(l));
    if (verifyLines.length < VERIFIED.length) {
      problems.push(`${verifyLines.length} verification commands printed, expected one per implementation`);
    }
    const second = await runHardhat(["deploy", "--network", "bscTestnet"], env, "[bscTestnet again] ");
    if (second.code !== 0) problems.push(`the second deployment failed (exit code ${second.code})`);
    if (/deploying "|deployed "/.test(second.output)) problems.push("the second deployment deployed something again");
    console.log(`== second deployment (must reuse everything): ${second.seconds.toFixed(1)} s`);
  } finally {
    await node.stop();
    console.log(`== anvil (pid ${node.pid}) stopped`);
    if (!hadManifest) rmSync(manifest, { force: true });
  }
  if (problems.length > 0) {
    for (const p of problems) console.error(`  ${p}`);
    throw new Error(`the BNB testnet rehearsal found ${problems.length} problem(s)`);
  }
  console.log(`BNB testnet rehearsal passed: records in ${join("reports", "rehearsal", "bscTestnet")}`);
}

main().catch((error: unknown) => {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
