import { expect } from "chai";
import hre from "hardhat";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import type { SnapshotRestorer } from "@nomicfoundation/hardhat-network-helpers";
import { runPilot } from "../../scripts/lib/pilot/run";
import type { PilotReport } from "../../scripts/lib/pilot/run";
import { PILOT_STEPS } from "../../scripts/lib/pilot/steps";

describe("Pilot scenario (the steps `npm run pilot` plays)", function () {
  let snapshot: SnapshotRestorer;
  let report: PilotReport;
  const lines: string[] = [];

  before(async function () {
    snapshot = await takeSnapshot();
    report = await runPilot(hre, { citizensPerBank: 5, seed: "scenario-test", log: (line) => lines.push(line) });
  });

  after(async function () {
    await snapshot.restore();
  });

  it("plays every step and logs one line per step", function () {
    expect(report.steps).to.have.length(PILOT_STEPS.length + 1);
    expect(lines).to.have.length(PILOT_STEPS.length + 1);
  });

  it("keeps every invariant", function () {
    const broken = report.invariants.filter((i) => !i.held).map((i) => `${i.name}: ${i.detail}`);
    expect(broken).to.deep.equal([]);
    expect(report.ok).to.equal(true);
  });

  it("onboards and pays 20 citizens", function () {
    expect(report.citizens).to.equal(20);
    expect(report.steps.find((s) => s.step.startsWith("Citizens pay"))?.transactions).to.equal(20);
  });

  it("sees each refusal the story expects (pause, daily limit or balance, frozen wallet)", function () {
    expect(report.totals.expectedFailures).to.equal(3);
  });

  it("burns what merchants redeem: supply falls in the redemption step", function () {
    const index = report.steps.findIndex((s) => s.step.startsWith("Merchants redeem"));
    expect(report.steps[index].supplyAfter < report.steps[index - 1].supplyAfter).to.equal(true);
  });
});
