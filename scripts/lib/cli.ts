import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment, RunSuperFunction, TaskArguments } from "hardhat/types";

/** Plugin name under which task errors are reported to programmatic callers. */
export const PLUGIN_NAME = "digital-tenge";

/** Hardhat's own errors (`HH108: Cannot connect…`), recognised as `HardhatError.isHardhatError` does (not exported). */
function isHardhatError(error: unknown): boolean {
  return error instanceof Error && (error as { _isHardhatError?: unknown })._isHardhatError === true;
}

/** Errors that already read well as messages: ours after conversion, and Hardhat's own. */
function isReported(error: unknown): error is Error {
  return error instanceof Error && (HardhatPluginError.isHardhatPluginError(error) || isHardhatError(error));
}

/**
 * True for errors the tooling means as messages to the operator: plain Errors and our subclasses (ProblemsError,
 * CsvError), and ethers errors (`code` plus `shortMessage`). TypeError, RangeError and the like are bugs.
 */
function isOperatorError(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const isPlain = Object.getPrototypeOf(error) === Error.prototype;
  const isOurs = error.name === "ProblemsError" || error.name === "CsvError";
  const isEthers = typeof (error as { code?: unknown }).code === "string" && "shortMessage" in error;
  return isPlain || isOurs || isEthers;
}

/**
 * Converts an operator-facing error into a {@link HardhatPluginError} carrying the same message (ethers errors:
 * their short message) and the original as parent. Hardhat's own errors (HH108 cannot connect, …) and bugs
 * (TypeError …) pass through unchanged.
 * @param error What was thrown.
 * @returns The error to rethrow.
 */
export function toPluginError(error: unknown): unknown {
  if (isReported(error) || !isOperatorError(error)) return error;
  const record = error as { shortMessage?: unknown };
  const message = typeof record.shortMessage === "string" ? record.shortMessage : error.message;
  return new HardhatPluginError(PLUGIN_NAME, message, error);
}

/**
 * True when `taskName` is the task the Hardhat CLI was started with (`npx hardhat … tenge:mint …`), as opposed
 * to a task run through `hre.run` by tests, `hardhat run` scripts or other tasks.
 * @param taskName The task's name.
 * @returns Whether it is the command-line entry task.
 */
export function isCliEntryTask(taskName: string): boolean {
  return process.argv.slice(2).includes(taskName);
}

/**
 * Wraps a task action so that a validation or chain error ends it with a clean message and no transaction:
 * - run from the command line, the error is printed as one `Error: …` line on stderr and the exit code set to 1
 *   (Hardhat 2.29 prints a full stack for any thrown error on Linux without a display, which it takes for CI,
 *   and a hint line elsewhere; `--show-stack-traces` still shows the stack);
 * - run through `hre.run`, it throws a {@link HardhatPluginError} with that message, so callers can catch it.
 * Errors that are bugs (TypeError …) propagate unchanged with their stack.
 * @param taskName The task's name, to recognise the command-line entry task.
 * @param action The task's action.
 * @returns The wrapped action, for `task(...).setAction`.
 */
export function cliAction<A extends TaskArguments, R>(
  taskName: string,
  action: (args: A, hre: HardhatRuntimeEnvironment, runSuper: RunSuperFunction<A>) => Promise<R>,
): (args: A, hre: HardhatRuntimeEnvironment, runSuper: RunSuperFunction<A>) => Promise<R | undefined> {
  return async (args, hre, runSuper) => {
    try {
      return await action(args, hre, runSuper);
    } catch (error) {
      const converted = toPluginError(error);
      if (isReported(converted) && isCliEntryTask(taskName) && hre.hardhatArguments.showStackTraces !== true) {
        // Problem lists (bad CSV lines) keep their lines; Hardhat's own multi-line messages are joined.
        const text = isHardhatError(converted) ? converted.message.replace(/\s*\n\s*/g, " ") : converted.message;
        console.error(`Error: ${text}`);
        process.exitCode = 1;
        return undefined;
      }
      throw converted;
    }
  };
}
