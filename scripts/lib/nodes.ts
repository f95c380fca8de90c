import { spawn } from "child_process";
import type { ChildProcess } from "child_process";
import { createWriteStream, existsSync } from "fs";
import { join } from "path";

/** A local EVM node this process started, stopped by its PID. */
export interface LocalNode {
  kind: "hardhat" | "anvil";
  url: string;
  pid: number;
  /** Where the node's output went. */
  log: string;
  stop: () => Promise<void>;
}

/** Options of a local node. */
export interface NodeOptions {
  port: number;
  /** anvil only: chain id (97 rehearses BNB Chain testnet). */
  chainId?: number;
  /** anvil only: seconds between blocks (interval mining, so confirmations arrive), instead of automine. */
  blockTime?: number;
  /** Directory of the node's log file. */
  logDir: string;
}

const ROOT = join(__dirname, "..", "..");

function bin(name: string): string {
  const path = join(ROOT, "node_modules", ".bin", name);
  if (!existsSync(path)) throw new Error(`${name} is not installed (node_modules/.bin/${name}): run npm ci`);
  return path;
}

async function rpcUp(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `npx hardhat node` or anvil (from the npm package @foundry-rs/anvil) on loopback and waits until it answers
 * JSON-RPC. The node is its own process; `stop()` kills it by PID and waits for it to exit.
 * @param kind Which node.
 * @param options Port, anvil's chain id and block time, log directory.
 * @returns The running node.
 */
export async function startNode(kind: "hardhat" | "anvil", options: NodeOptions): Promise<LocalNode> {
  const url = `http://127.0.0.1:${options.port}`;
  if (await rpcUp(url)) throw new Error(`port ${options.port} already answers JSON-RPC: stop that node first`);
  const args =
    kind === "hardhat"
      ? ["node", "--hostname", "127.0.0.1", "--port", String(options.port)]
      : [
          "--host",
          "127.0.0.1",
          "--port",
          String(options.port),
          "--accounts",
          "20",
          "--hardfork",
          "prague",
          "--chain-id",
          String(options.chainId ?? 31337),
          ...(options.blockTime ? ["--block-time", String(options.blockTime)] : []),
        ];
  const log = join(options.logDir, `${kind}-${options.port}.log`);
  const out = createWriteStream(log);
  const child: ChildProcess = spawn(bin(kind), args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${kind} did not start`);
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(pid, "SIGTERM");
      const timer = setTimeout(() => child.exitCode === null && process.kill(pid, "SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  for (let waited = 0; waited < 120_000; waited += 250) {
    if (child.exitCode !== null) throw new Error(`${kind} exited with code ${child.exitCode} (log: ${log})`);
    if (await rpcUp(url)) return { kind, url, pid, log, stop };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`${kind} did not answer on ${url} within 120 s (log: ${log})`);
}

/** Result of a command run to completion. */
export interface CommandResult {
  code: number;
  seconds: number;
  output: string;
}

/**
 * Runs `npx hardhat <args>` with `env` added, echoing its output with a prefix, and resolves when it exits.
 * @param args Arguments after `hardhat`.
 * @param env Extra environment variables.
 * @param prefix Printed before each output line.
 */
export function runHardhat(
  args: readonly string[],
  env: Record<string, string>,
  prefix: string,
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(bin("hardhat"), [...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim() !== "") console.log(`${prefix}${line}`);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => resolve({ code: code ?? 1, seconds: (Date.now() - started) / 1000, output }));
  });
}
