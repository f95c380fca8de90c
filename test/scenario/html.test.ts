import { expect } from "chai";
import { writeFileSync } from "fs";
import { renderHtml } from "../../scripts/lib/pilot/html";
import type { PilotReport, ReportStep } from "../../scripts/lib/pilot/report";
import type { SummaryRow } from "../../scripts/lib/pilot/context";
import { compactNumber, groupDigits, niceTicks } from "../../scripts/lib/pilot/svg";

const STEP_NAMES = [
  "Central bank deploys and configures the suite",
  "Central bank admits banks with issuance ceilings; pauses and resumes once",
  "Banks onboard citizens, shops, canteens, market vendors and the city (KYC tiers, batched)",
  "Banks issue tenge to their customers against their ceilings (batched)",
  "The city funds school lunches; the operator enrols children and canteens; children eat; unspent returns",
  "Citizens pay shops with VAT split to the treasury",
  "Merchants redeem 60% of their takings to non-cash bank money through their banks",
  "Citizens swap tenge for the stablecoin and back",
  "Citizens buy gold at the desk",
  "Compliance freezes a wallet by court order; a bank recovers a lost card's wallet",
];

const LUNCH_ROWS: SummaryRow[] = [
  { section: "School lunches", item: "children", value: "1000" },
  { section: "School lunches", item: "canteens", value: "8" },
  { section: "School lunches", item: "lunches paid", value: "1000" },
  { section: "School lunches", item: "budget (KZT)", value: "1200000.00" },
  { section: "School lunches", item: "spent at canteens (KZT)", value: "912345.67" },
  { section: "School lunches", item: "returned to the city (KZT)", value: "287654.33" },
];

/** A report shaped like a real run's: 10 steps, 4 banks, summary sections, invariants, notes and state. */
function sampleReport(): PilotReport {
  const supplies = [
    "0.00",
    "0.00",
    "0.00",
    "26200000.00",
    "26200000.00",
    "26200000.00",
    "18341234.56",
    "18341234.56",
    "18341234.56",
    "18341234.56",
  ];
  const steps: ReportStep[] = STEP_NAMES.map((step, i) => ({
    step,
    transactions: [14, 6, 112, 104, 1012, 200, 18, 40, 20, 4][i],
    gasUsed: [
      "24512345",
      "312000",
      "5123456",
      "7345678",
      "92345678",
      "14000000",
      "1200000",
      "3100000",
      "2400000",
      "190000",
    ][i],
    seconds: [4.2, 0.4, 2.8, 2.1, 21.5, 3.9, 0.6, 1.2, 0.8, 0.3][i],
    detail: `detail of step ${i + 1}`,
    supplyAfter: supplies[i],
    expectedFailures: i === 4 ? 3 : i === 9 ? 1 : 0,
  }));
  return {
    network: "hardhat",
    chainId: 31337,
    startedAt: "2026-11-25T16:30:00.000Z",
    options: { children: 1000, citizensPerBank: 25, schoolDays: 1, seed: "almaty-2026", serial: false },
    steps,
    summary: [
      { section: "Issuance", item: "issued to citizens and the city (KZT)", value: "26200000.00" },
      ...LUNCH_ROWS,
      { section: "Issuance", item: "redeemed by merchants (KZT)", value: "7858765.44" },
      { section: "Compliance", item: "frozen by court order", value: "0x1234567890abcdef1234567890abcdef12345678" },
    ],
    banks: ["Halyk Bank", "Kaspi Bank", "Freedom Bank", "Bank CenterCredit"].map((name, i) => ({
      name,
      address: `0x${String(i + 1).repeat(40)}`,
      ceiling: "10000000.00",
      outstanding: ["6000000.00", "5000000.00", "4341234.56", "3000000.00"][i],
      remaining: ["4000000.00", "5000000.00", "5658765.44", "7000000.00"][i],
    })),
    totals: {
      supply: "18341234.56",
      transactions: 1530,
      gasUsed: "150528157",
      expectedFailures: 4,
      seconds: 38.2,
      txPerSecond: 40.05,
      gasPerSecond: 3940527.7,
    },
    invariants: [
      { area: "DigitalTenge", name: "total supply == Σ balances (incl. marked VAT)", held: true, detail: "ok" },
      { area: "DigitalTenge", name: "Σ banks' outstanding issuance == total supply", held: true, detail: "ok" },
      {
        area: "DigitalTenge",
        name: "no bank above its issuance ceiling",
        held: true,
        detail: "4 banks within ceiling",
      },
      { area: "DigitalTenge", name: "no wallet above its tier's holding limit", held: true, detail: "0 breaches" },
      { area: "School lunches", name: "lunch program: spent == Σ Spent events", held: true, detail: "ok" },
    ],
    finalState: {
      digest: "0x9f2c3a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccdd",
      values: { "tenge.totalSupply": "1834123456", "programs.lunch.spent": "91234567" },
    },
    notes: ["a child's second lunch on the same day is refused (DailyLimitExceeded)", "a frozen wallet cannot pay"],
    ok: true,
  };
}

/** The markup of the chart whose `data-chart` is `name`. */
function chart(html: string, name: string): string {
  const match = new RegExp(`<svg class="chart" data-chart="${name}"[\\s\\S]*?</svg>`).exec(html);
  if (!match) throw new Error(`no ${name} chart`);
  return match[0];
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe("Pilot HTML report (renderHtml)", function () {
  before(function () {
    // PILOT_HTML_SAMPLE=/tmp/pilot-sample.html writes the sample report for a look in a browser.
    const target = process.env.PILOT_HTML_SAMPLE;
    if (target) writeFileSync(target, renderHtml(sampleReport()));
  });

  it("is self-contained: no network references and no scripts", function () {
    const html = renderHtml(sampleReport());
    expect(html).to.not.match(/https?:\/\//i);
    expect(html).to.not.match(/<script/i);
    expect(html).to.not.match(/<link/i);
    expect(html).to.match(/^<!doctype html>/);
  });

  it("shows the header's network, chain id, start time and options", function () {
    const html = renderHtml(sampleReport());
    for (const text of ["hardhat", "31337", "2026-11-25 16:30:00 UTC", "almaty-2026", "pipelined", "1,000"]) {
      expect(html).to.include(text);
    }
  });

  it("escapes a malicious step name, detail, summary value and seed", function () {
    const report = sampleReport();
    report.steps[0].step = `<img src=x onerror="alert('x')"> & co`;
    report.steps[0].detail = `</td><script>alert(1)</script>`;
    report.summary[0].value = `"><b>bold</b>`;
    report.options.seed = `'seed'<i>`;
    const html = renderHtml(report);
    expect(html).to.not.include("<img");
    expect(html).to.not.include("<script");
    expect(html).to.not.include("<b>bold");
    expect(html).to.not.include("<i>");
    expect(html).to.include("&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt; &amp; co");
    expect(html).to.include("&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows every invariant with its status and a green banner when all hold", function () {
    const report = sampleReport();
    const html = renderHtml(report);
    for (const inv of report.invariants) expect(html).to.include(inv.name.replace(/'/g, "&#39;"));
    expect(count(html, `<span class="badge good">held</span>`)).to.equal(report.invariants.length);
    expect(html).to.include(`class="banner good"`);
    expect(html).to.include("All 5 invariants held");
    expect(html).to.include("5/5");
  });

  it("marks a broken invariant and turns the banner red", function () {
    const report = sampleReport();
    report.invariants[1] = { ...report.invariants[1], held: false, detail: "1.00 vs 2.00 KZT" };
    report.ok = false;
    const html = renderHtml(report);
    expect(count(html, `<span class="badge bad">BROKEN</span>`)).to.equal(1);
    expect(count(html, `<span class="badge good">held</span>`)).to.equal(4);
    expect(html).to.include(`class="banner bad"`);
    expect(html).to.not.include(`class="banner good"`);
    expect(html).to.include("1 of 5 invariants BROKEN");
    expect(html).to.include("4/5");
  });

  it("draws one supply point, one gas bar and one transaction bar per step", function () {
    const report = sampleReport();
    const html = renderHtml(report);
    const n = report.steps.length;
    expect(count(html, `<svg class="chart" data-chart="supply"`)).to.equal(1);
    expect(count(html, `<svg class="chart" data-chart="gas"`)).to.equal(1);
    expect(count(html, `<svg class="chart" data-chart="transactions"`)).to.equal(1);
    expect(count(chart(html, "supply"), `<g class="point">`)).to.equal(n);
    expect(count(chart(html, "gas"), `<g class="bar">`)).to.equal(n);
    expect(count(chart(html, "transactions"), `<g class="bar">`)).to.equal(n);
  });

  it("keeps exact amounts in the tables", function () {
    const html = renderHtml(sampleReport());
    expect(html).to.include("18341234.56");
    expect(html).to.include("4341234.56");
    expect(html).to.include("1200000.00");
  });

  it("adds gas above 2^53 exactly and still draws the bars", function () {
    const report = sampleReport();
    report.steps[0].gasUsed = "9007199254740993"; // 2^53 + 1: a Number would round it
    report.steps[1].gasUsed = "9007199254740993";
    const html = renderHtml(report);
    const total = report.steps.reduce((sum, s) => sum + BigInt(s.gasUsed), 0n);
    expect(html).to.include(total.toLocaleString("en-US"));
    expect(html).to.include("9,007,199,254,740,993");
    expect(count(chart(html, "gas"), `<g class="bar">`)).to.equal(report.steps.length);
    expect(chart(html, "gas")).to.not.include("NaN");
  });

  it("draws the school-lunch chart only when the lunch summary rows exist", function () {
    const report = sampleReport();
    const withLunches = renderHtml(report);
    expect(count(withLunches, `data-chart="lunches"`)).to.equal(1);
    expect(count(chart(withLunches, "lunches"), `<g class="bar">`)).to.equal(3);
    report.summary = report.summary.filter((row) => row.section !== "School lunches");
    expect(renderHtml(report)).to.not.include(`data-chart="lunches"`);
  });

  it("renders zero steps without charts and without NaN", function () {
    const report = sampleReport();
    report.steps = [];
    const html = renderHtml(report);
    expect(html).to.not.include("<svg");
    expect(html).to.include("nothing to chart");
    expect(html).to.not.include("NaN");
  });

  it("renders one step and all-zero gas without NaN or Infinity", function () {
    const report = sampleReport();
    report.steps = [{ ...report.steps[0], gasUsed: "0", transactions: 0, supplyAfter: "0.00" }];
    const html = renderHtml(report);
    expect(count(chart(html, "supply"), `<g class="point">`)).to.equal(1);
    expect(count(chart(html, "gas"), `<g class="bar">`)).to.equal(1);
    expect(html).to.not.match(/NaN|Infinity/);
  });

  it("lists the notes and the final-state digest with its values in a collapsible block", function () {
    const report = sampleReport();
    const html = renderHtml(report);
    for (const note of report.notes) expect(html).to.include(note.replace(/'/g, "&#39;"));
    expect(html).to.match(/<details><summary>digest <code>0x9f2c/);
    expect(html).to.include("tenge.totalSupply");
    expect(html).to.include("1834123456");
  });
});

describe("Pilot HTML report helpers (svg.ts)", function () {
  it("groups digits without losing any", function () {
    expect(groupDigits("1234567.89")).to.equal("1,234,567.89");
    expect(groupDigits("-1000")).to.equal("-1,000");
    expect(groupDigits("999")).to.equal("999");
    expect(groupDigits("not a number")).to.equal("not a number");
  });

  it("labels axis ticks compactly and exactly enough", function () {
    expect(compactNumber(1250)).to.equal("1.25k");
    expect(compactNumber(30_000_000)).to.equal("30M");
    expect(compactNumber(0)).to.equal("0");
  });

  it("picks round ticks from 0 up to at least the maximum", function () {
    expect(niceTicks(26_200_000)).to.deep.equal([0, 10_000_000, 20_000_000, 30_000_000]);
    expect(niceTicks(1)).to.deep.equal([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.6)).to.deep.equal([0, 0.2, 0.4, 0.6]);
    expect(niceTicks(3, true)).to.deep.equal([0, 1, 2, 3]);
    expect(niceTicks(0)).to.deep.equal([0, 1]);
  });
});
