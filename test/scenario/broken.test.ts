import { expect } from "chai";
import { ethers } from "hardhat";
import { HardhatPluginError } from "hardhat/plugins";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbiCoder, keccak256, toBeHex, toUtf8Bytes } from "ethers";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import type { SnapshotRestorer } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { runTask } from "../helpers/tasks";
import { deployedSuiteFixture } from "../fixtures/suite.fixture";
import type { PilotReport } from "../../scripts/lib/pilot/report";

/** ERC-7201 slot of the token's storage: keccak256(abi.encode(uint256(keccak256(id)) - 1)) & ~0xff. */
function erc7201(id: string): bigint {
  const inner = BigInt(keccak256(toUtf8Bytes(id))) - 1n;
  return BigInt(keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [inner]))) & ~0xffn;
}

/*
 * The pilot's invariants are read from the chain, so they can fail: here the token's total supply is raised by one
 * tiyn behind its back (no Transfer, no bank) before the pilot plays. The pilot must still play every step, then
 * report exactly the invariants that tampering breaks, write its reports, and fail the command.
 */
describe("Pilot on a tampered chain (the invariants can fail)", function () {
  let snapshot: SnapshotRestorer;
  let dir: string;
  let report: PilotReport;
  let message: string;

  before(async function () {
    snapshot = await takeSnapshot();
    dir = mkdtempSync(join(tmpdir(), "pilot-broken-"));
    const { tenge } = await loadFixture(deployedSuiteFixture);
    const supplySlot = erc7201("digitaltenge.storage.DigitalTenge") + 1n; // TengeStorage: policy, totalSupply, …
    const supply = await tenge.totalSupply();
    await ethers.provider.send("hardhat_setStorageAt", [
      await tenge.getAddress(),
      toBeHex(supplySlot, 32),
      toBeHex(supply + 1n, 32),
    ]);
    expect(await tenge.totalSupply()).to.equal(supply + 1n);
    const reportFile = join(dir, "pilot.json");
    let caught: unknown;
    try {
      await runTask("pilot", {
        children: "8",
        citizensPerBank: "4",
        schoolDays: "1",
        seed: "tampered-chain",
        report: reportFile,
        html: join(dir, "pilot.html"),
        quiet: true,
      });
    } catch (error: unknown) {
      caught = error;
    }
    expect(HardhatPluginError.isHardhatPluginError(caught), `the pilot must fail, got: ${String(caught)}`).to.equal(
      true,
    );
    message = (caught as Error).message;
    report = JSON.parse(readFileSync(reportFile, "utf8")) as PilotReport;
  });

  after(async function () {
    rmSync(dir, { recursive: true, force: true });
    await snapshot.restore();
  });

  it("fails the command with a one-line reason", function () {
    expect(message).to.equal("an invariant is broken (see above)");
  });

  it("still plays every step and writes both reports", function () {
    expect(report.steps.length).to.be.greaterThan(1);
    expect(readFileSync(join(dir, "pilot.html"), "utf8")).to.contain("BROKEN");
  });

  it("reports exactly the invariants the tampering breaks, and marks the run not ok", function () {
    const broken = report.invariants.filter((i) => !i.held).map((i) => i.name);
    expect(broken).to.deep.equal([
      "total supply == Σ balances (incl. marked VAT)",
      "Σ banks' outstanding issuance == total supply",
    ]);
    expect(report.ok).to.equal(false);
  });
});
