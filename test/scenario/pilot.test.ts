import { expect } from "chai";
import hre from "hardhat";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import type { SnapshotRestorer } from "@nomicfoundation/hardhat-network-helpers";
import { runPilot } from "../../scripts/lib/pilot/run";
import type { PilotReport } from "../../scripts/lib/pilot/report";
import { PILOT_STEPS } from "../../scripts/lib/pilot/story";

describe("Pilot scenario (the steps `npm run pilot` plays)", function () {
  let snapshot: SnapshotRestorer;
  let report: PilotReport;
  const lines: string[] = [];

  before(async function () {
    snapshot = await takeSnapshot();
    report = await runPilot(hre, {
      children: 60,
      citizensPerBank: 5,
      schoolDays: 2,
      seed: "scenario-test",
      serial: false,
      progress: false,
      log: (line) => lines.push(line),
    });
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

  it("pays one lunch per child per school day", function () {
    const lunches = report.summary.find((r) => r.item === "lunches paid");
    expect(lunches?.value).to.equal("120");
  });

  it("pays one signed VAT invoice per citizen at the shops", function () {
    const paid = report.summary.find((r) => r.section === "VAT" && r.item === "invoices paid (one signature each)");
    expect(paid?.value.split(":")[0]).to.equal("20");
  });

  it("reconciles the tax authority's VAT report with the shops' marked VAT", function () {
    const check = report.summary.find((r) => r.section === "VAT" && r.item === "report vs chain");
    expect(check?.value.startsWith("held")).to.equal(true);
  });

  it("burns what merchants redeem: supply falls in the redemption step", function () {
    const index = report.steps.findIndex((s) => s.step.startsWith("Merchants redeem"));
    expect(Number(report.steps[index].supplyAfter) < Number(report.steps[index - 1].supplyAfter)).to.equal(true);
  });

  it("reports the stablecoin backed 1:1: tenge locked equals the KZTS supply", function () {
    const row = (item: string) => report.summary.find((r) => r.section === "Stablecoin" && r.item === item)?.value;
    expect(row("tenge locked in reserve (KZT)")).to.equal(row("KZTS supply"));
    expect(row("backing ratio")).to.equal("1:1 (100.00%)");
  });

  it("keeps gold fully backed: tokens in circulation equal the fine gold left in the vault", function () {
    const row = (item: string) => report.summary.find((r) => r.section === "Gold" && r.item === item)?.value;
    expect(row("fine gold in vault")).to.equal(`${row("tokens in circulation")} in 3 bars`);
  });

  it("has a citizen redeem the whole 20 g bar and the custodian release it", function () {
    const redeemed = report.summary.find((r) => r.section === "Gold" && r.item === "bar redeemed");
    expect(redeemed?.value).to.match(/\(19\.998 g\), released to citizen/);
  });

  it("reports every offline payment presented as settled or failed, none lost", function () {
    const offline = report.summary.filter((r) => r.section === "Offline");
    const count = (item: string): number => Number(offline.find((r) => r.item === item)?.value);
    const failed = offline.filter((r) => r.item.startsWith("failed: ")).reduce((sum, r) => sum + Number(r.value), 0);
    expect(count("settled") + failed).to.equal(count("payments presented"));
  });

  it("fails offline double spends, an overspend, an expired and a cancelled payment with their reasons", function () {
    const failed = report.summary
      .filter((r) => r.section === "Offline" && r.item.startsWith("failed: "))
      .map((r) => `${r.item.split(" ")[1]} ${r.value}`);
    expect(failed).to.deep.equal(["AlreadyUsed 2", "Cancelled 1", "Expired 1", "InsufficientFunds 1"]);
  });
});
