import type { ContractTransactionReceipt, ContractTransactionResponse, ErrorDescription, Interface } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { formatTenge } from "./amounts";
import { ROLE_NAMES } from "./contracts";
import { tengeConfig } from "./tenge-config";
import { roleId } from "./validate";

/** A typed contract method as TypeChain generates it: callable, simulable and estimable with the same arguments. */
export interface Sendable<A extends unknown[]> {
  (...args: A): Promise<ContractTransactionResponse>;
  staticCall(...args: A): Promise<unknown>;
  estimateGas(...args: A): Promise<bigint>;
}

/** What {@link execute} needs besides the call. */
export interface ExecuteOptions {
  /** The contract's interface, to decode custom errors. */
  iface: Interface;
  /** What the transaction does, for messages (e.g. `mint 1500.00 KZT to 0x…`). */
  what: string;
  /** Blocks to wait for; see {@link confirmationsFor}. */
  confirmations: number;
  /** Simulate and estimate only; send nothing. */
  dryRun?: boolean;
}

/** The outcome of {@link execute}: a mined receipt, or the gas estimate of a dry run. */
export type ExecuteResult = { sent: true; receipt: ContractTransactionReceipt } | { sent: false; gasEstimate: bigint };

/**
 * Confirmations to wait for: 1 on local chains; on live networks at least 2, or the network's configured
 * number if higher (tenge-config: bsc 5).
 * @param hre The Hardhat runtime.
 * @returns The number of blocks.
 */
export function confirmationsFor(hre: HardhatRuntimeEnvironment): number {
  return hre.network.live ? Math.max(2, tengeConfig(hre.network.name).confirmations) : 1;
}

/** Names of custom-error arguments that hold tiyn amounts; they are shown in tenge. */
const AMOUNT_ARGS = new Set([
  "amount",
  "balance",
  "needed",
  "available",
  "limit",
  "newBalance",
  "spentToday",
  "outflowToday",
  "remaining",
  "frozenAmount",
  "requested",
  "cap",
  "newSupply",
  "allowance",
]);

function formatError(description: ErrorDescription): string {
  const args = description.fragment.inputs.map((input, i) => {
    const value: unknown = description.args[i];
    const role = typeof value === "string" ? ROLE_NAMES.find((name) => roleId(name) === value) : undefined;
    const shown =
      typeof value === "bigint" && AMOUNT_ARGS.has(input.name)
        ? `${formatTenge(value)} KZT`
        : input.type === "bytes32" && role
          ? role
          : String(value);
    return input.name ? `${input.name}=${shown}` : shown;
  });
  return `${description.name}(${args.join(", ")})`;
}

function findRevertData(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== "object" || error === null) return undefined;
  const record = error as Record<string, unknown>;
  const data = record.data;
  if (typeof data === "string" && /^0x[0-9a-fA-F]{8,}$/.test(data)) return data;
  if (typeof data === "object" && data !== null) {
    const nested = findRevertData(data, depth + 1);
    if (nested) return nested;
  }
  for (const key of ["error", "info", "cause", "parent"]) {
    const nested = findRevertData(record[key], depth + 1);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Explains a failed call in one line: the decoded custom error with named arguments (amounts in tenge) when the
 * revert data matches the contract's ABI, else the provider's short message.
 * @param error What the call threw.
 * @param iface The contract's interface.
 * @returns A one-line explanation.
 */
export function describeFailure(error: unknown, iface: Interface): string {
  const data = findRevertData(error);
  if (data) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) return formatError(parsed);
    } catch {
      // not one of the contract's errors; fall through to the message
    }
  }
  if (typeof error === "object" && error !== null) {
    const record = error as Record<string, unknown>;
    if (typeof record.shortMessage === "string") return record.shortMessage;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}

/**
 * Runs one state-changing call the safe way: simulates it first (a revert there sends nothing and is explained
 * in one line), then sends it and waits for `confirmations`. In a dry run it only simulates and estimates gas.
 * @param method The typed contract method, connected to the acting signer.
 * @param args Its arguments.
 * @param options Interface for decoding, description, confirmations, dry run.
 * @returns The receipt, or the gas estimate of a dry run.
 */
export async function execute<A extends unknown[]>(
  method: Sendable<A>,
  args: A,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  try {
    await method.staticCall(...args);
  } catch (error) {
    throw new Error(`${options.what} would revert: ${describeFailure(error, options.iface)}; nothing was sent`);
  }
  if (options.dryRun) {
    return { sent: false, gasEstimate: await method.estimateGas(...args) };
  }
  let response: ContractTransactionResponse;
  try {
    response = await method(...args);
  } catch (error) {
    throw new Error(`${options.what} failed to send: ${describeFailure(error, options.iface)}`);
  }
  let receipt: ContractTransactionReceipt | null;
  try {
    receipt = await response.wait(options.confirmations);
  } catch (error) {
    throw new Error(`${options.what} failed in tx ${response.hash}: ${describeFailure(error, options.iface)}`);
  }
  if (!receipt) throw new Error(`${options.what}: tx ${response.hash} has no receipt (dropped or replaced?)`);
  return { sent: true, receipt };
}

/**
 * The one line printed per transaction: what, tx hash, block, gas used, then the resulting state.
 * @param what What the transaction did.
 * @param receipt Its receipt.
 * @param result The resulting state, e.g. `balance 0x… 1500.00 KZT`.
 * @returns The line.
 */
export function txLine(what: string, receipt: ContractTransactionReceipt, result?: string): string {
  const tail = result ? ` | ${result}` : "";
  return `${what} | tx ${receipt.hash} | block ${receipt.blockNumber} | gas ${receipt.gasUsed}${tail}`;
}

/**
 * The line printed for a dry run.
 * @param what What the transaction would do.
 * @param gasEstimate The estimate.
 * @returns The line.
 */
export function dryRunLine(what: string, gasEstimate: bigint): string {
  return `dry run: ${what} | would succeed | gas estimate ${gasEstimate} | nothing sent`;
}
