import hre, { ethers } from "hardhat";
import { expect } from "chai";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

/** A task's arguments as `hre.run` takes them. */
export type TaskArgs = Record<string, string | boolean>;

/** Runs a task through hre.run and returns what it printed, one entry per console line. */
export async function runTask(name: string, args: TaskArgs = {}): Promise<string[]> {
  const lines: string[] = [];
  const { log, error } = console;
  const capture = (...parts: unknown[]) => {
    lines.push(parts.map(String).join(" "));
  };
  console.log = capture;
  console.error = capture;
  try {
    await hre.run(name, args);
  } finally {
    console.log = log;
    console.error = error;
  }
  return lines;
}

/**
 * Runs a task that must refuse: asserts it throws a HardhatPluginError whose message matches, on one line unless
 * `multiline`, and that nothing was sent (the actor's nonce and the block number are unchanged).
 */
export async function refusedTask(
  name: string,
  args: TaskArgs,
  actor: HardhatEthersSigner,
  message: RegExp,
  multiline = false,
): Promise<string> {
  const nonce = await actor.getNonce();
  const block = await ethers.provider.getBlockNumber();
  let caught: unknown;
  try {
    await runTask(name, args);
  } catch (error) {
    caught = error;
  }
  expect(HardhatPluginError.isHardhatPluginError(caught), `expected a HardhatPluginError, got: ${String(caught)}`).to.be
    .true;
  const text = (caught as Error).message;
  expect(text).to.match(message);
  if (!multiline) expect(text, "one-line message").not.to.contain("\n");
  expect(await actor.getNonce(), "actor's nonce").to.equal(nonce);
  expect(await ethers.provider.getBlockNumber(), "block number").to.equal(block);
  return text;
}
