import type { PilotReport, ReportStep } from "./report";
import type { SummaryRow } from "./context";
import {
  areaChart,
  drawingNumber,
  escapeHtml as esc,
  groupDigits,
  horizontalBars,
  parseBigInt,
  verticalBars,
  type Datum,
} from "./svg";

/** The summary rows the school-lunch chart reads (section "School lunches"). */
export const LUNCH_SECTION = "School lunches";
export const LUNCH_ITEMS = {
  budget: "budget (KZT)",
  spent: "spent at canteens (KZT)",
  returned: "returned to the city (KZT)",
} as const;

/** SVG width of the charts in half-width cards, so that their text shows at about the size of the page's. */
const HALF_WIDTH = 520;

/**
 * Renders the report as one self-contained HTML page: inline CSS and SVG, no script, no network.
 * Every string from the report is escaped; amounts show as the report's exact decimal strings in the tables.
 */
export function renderHtml(report: PilotReport): string {
  const broken = report.invariants.filter((i) => !i.held).length;
  const title = `Digital tenge pilot · ${report.network}`;
  return [
    `<!doctype html>`,
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    header(report),
    `<main>`,
    statusBanner(report, broken),
    headline(report, broken),
    charts(report),
    section("Steps", stepsTable(report.steps)),
    section("Issuance per bank (KZT)", banksTable(report)),
    section("Summary", summaryTables(report.summary)),
    section(
      `Invariants (${report.invariants.length - broken}/${report.invariants.length} held)`,
      invariantsTable(report),
    ),
    section(`Expected failures (${report.notes.length})`, notesList(report.notes)),
    section("Final state", finalState(report)),
    `</main>`,
    `<footer>Generated from the pilot's JSON report · self-contained: no scripts, no network</footer>`,
    `</body></html>`,
    ``,
  ].join("\n");
}

function header(report: PilotReport): string {
  const o = report.options;
  const facts: [string, string][] = [
    ["network", report.network],
    ["chain id", String(report.chainId)],
    ["started", formatTime(report.startedAt)],
    ["children", groupDigits(String(o.children))],
    ["citizens per bank", groupDigits(String(o.citizensPerBank))],
    ["school days", String(o.schoolDays)],
    ["seed", o.seed],
    ["sending", o.serial ? "serial" : "pipelined"],
  ];
  return (
    `<header><div class="wrap"><div class="brand"><span class="sun" aria-hidden="true"></span>` +
    `<div><h1>Digital tenge pilot</h1><p class="sub">End-to-end run of the retail CBDC suite</p></div></div>` +
    `<dl class="facts">${facts.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join("")}</dl>` +
    `</div></header>`
  );
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

function statusBanner(report: PilotReport, broken: number): string {
  const total = report.invariants.length;
  if (broken > 0) {
    return (
      `<div class="banner bad" role="alert"><strong>${broken} of ${total} invariant${total === 1 ? "" : "s"} BROKEN</strong>` +
      `<span>The run's final state breaks what the suite promises: see the invariants below.</span></div>`
    );
  }
  if (!report.ok) {
    return `<div class="banner bad" role="alert"><strong>Run failed</strong><span>The report is marked not ok.</span></div>`;
  }
  if (total === 0) {
    return `<div class="banner warn"><strong>No invariants checked</strong><span>The run recorded no invariant results.</span></div>`;
  }
  return (
    `<div class="banner good"><strong>All ${total} invariants held</strong>` +
    `<span>Every invariant was checked against the chain after the story.</span></div>`
  );
}

function headline(report: PilotReport, broken: number): string {
  const t = report.totals;
  const held = report.invariants.length - broken;
  const tiles: [string, string, string, string?][] = [
    ["Total supply", groupDigits(t.supply), "KZT"],
    [
      "Transactions",
      groupDigits(String(t.transactions)),
      `${groupDigits(String(t.expectedFailures))} failed as expected`,
    ],
    ["Gas used", groupDigits(t.gasUsed), "gas"],
    ["Run time", fixed(t.seconds, 1), "seconds"],
    ["Throughput", fixed(t.txPerSecond, 1), "tx/s"],
    ["Gas rate", groupDigits(fixed(t.gasPerSecond, 0)), "gas/s"],
    [
      "Invariants",
      `${held}/${report.invariants.length}`,
      broken > 0 ? `${broken} BROKEN` : "held",
      broken > 0 || !report.ok ? "bad" : "good",
    ],
  ];
  return (
    `<section class="tiles">` +
    tiles
      .map(
        ([label, value, unit, tone]) =>
          `<div class="tile${tone ? ` ${tone}` : ""}"><div class="label">${esc(label)}</div>` +
          `<div class="value">${esc(value)}</div><div class="unit">${esc(unit)}</div></div>`,
      )
      .join("") +
    `</section>`
  );
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "—";
}

function stepLabel(index: number, step: ReportStep): string {
  return `${index + 1}. ${step.step}`;
}

function charts(report: PilotReport): string {
  const steps = report.steps;
  if (steps.length === 0) {
    return section("Charts", `<p class="empty">No steps were recorded, so there is nothing to chart.</p>`);
  }
  const supply: Datum[] = steps.map((s, i) => ({
    label: String(i + 1),
    value: drawingNumber(s.supplyAfter),
    tooltip: `${stepLabel(i, s)}\nsupply after: ${groupDigits(s.supplyAfter)} KZT`,
  }));
  const gas: Datum[] = steps.map((s, i) => ({
    label: stepLabel(i, s),
    value: Number(parseBigInt(s.gasUsed)),
    tooltip: `${stepLabel(i, s)}\ngas: ${groupDigits(String(parseBigInt(s.gasUsed)))}`,
  }));
  const transactions: Datum[] = steps.map((s, i) => ({
    label: String(i + 1),
    value: s.transactions,
    tooltip: `${stepLabel(i, s)}\ntransactions: ${groupDigits(String(s.transactions))}`,
  }));
  const lunches = lunchChart(report.summary);
  const cards = [
    card(
      "Tenge supply over the story",
      "Total supply after each step (KZT)",
      areaChart("supply", supply, "KZT", "Tenge supply after each step"),
      "wide",
    ),
    card(
      "Gas per step",
      "Gas used by each step's transactions",
      horizontalBars(
        "gas",
        gas,
        steps.map((s) => groupDigits(String(parseBigInt(s.gasUsed)))),
        "Gas used per step",
        { labelWidth: 420 },
      ),
      "wide",
    ),
    // Beside the lunch chart when there is one, full width otherwise.
    card(
      "Transactions per step",
      "Transactions each step sent",
      verticalBars(
        "transactions",
        transactions,
        "transactions",
        "Transactions per step",
        lunches ? HALF_WIDTH : undefined,
      ),
      lunches ? "" : "wide",
    ),
  ];
  if (lunches) cards.push(lunches);
  return `<section class="charts">${cards.join("")}</section>`;
}

/** Budget, spent and returned from the "School lunches" summary rows, or undefined when any is missing. */
export function lunchFigures(summary: SummaryRow[]): { budget: string; spent: string; returned: string } | undefined {
  const find = (item: string): string | undefined =>
    summary.find((row) => row.section === LUNCH_SECTION && row.item === item)?.value;
  const budget = find(LUNCH_ITEMS.budget);
  const spent = find(LUNCH_ITEMS.spent);
  const returned = find(LUNCH_ITEMS.returned);
  return budget !== undefined && spent !== undefined && returned !== undefined
    ? { budget, spent, returned }
    : undefined;
}

function lunchChart(summary: SummaryRow[]): string | undefined {
  const figures = lunchFigures(summary);
  if (!figures) return undefined;
  const rows: [string, string][] = [
    ["Budget", figures.budget],
    ["Spent at canteens", figures.spent],
    ["Returned to the city", figures.returned],
  ];
  const data: Datum[] = rows.map(([label, value]) => ({
    label,
    value: drawingNumber(value),
    tooltip: `${label}: ${groupDigits(value)} KZT`,
  }));
  const budget = drawingNumber(figures.budget);
  const share = budget > 0 ? `${((drawingNumber(figures.spent) / budget) * 100).toFixed(1)}% of the budget spent` : "";
  return card(
    "School lunches",
    `Budget vs spent vs returned (KZT)${share ? ` · ${share}` : ""}`,
    horizontalBars(
      "lunches",
      data,
      rows.map(([, v]) => groupDigits(v)),
      "School-lunch budget, spent and returned",
      { width: HALF_WIDTH, labelWidth: 150, colors: ["#0b3d91", "#00afca", "#f2a900"] },
    ),
  );
}

function card(title: string, subtitle: string, body: string, size = ""): string {
  return (
    `<figure class="card${size ? ` ${size}` : ""}"><figcaption><h3>${esc(title)}</h3>` +
    `<p>${esc(subtitle)}</p></figcaption>${body}</figure>`
  );
}

function section(title: string, body: string): string {
  return `<section class="block"><h2>${esc(title)}</h2>${body}</section>`;
}

function table(head: [string, string?][], rows: string[], foot = ""): string {
  return (
    `<div class="scroll"><table><thead><tr>` +
    head.map(([h, cls]) => `<th${cls ? ` class="${cls}"` : ""}>${esc(h)}</th>`).join("") +
    `</tr></thead><tbody>${rows.join("")}</tbody>${foot}</table></div>`
  );
}

function td(value: string, cls = ""): string {
  return `<td${cls ? ` class="${cls}"` : ""}>${esc(value)}</td>`;
}

function stepsTable(steps: ReportStep[]): string {
  if (steps.length === 0) return `<p class="empty">No steps.</p>`;
  const gas = steps.reduce((sum, s) => sum + parseBigInt(s.gasUsed), 0n);
  const transactions = steps.reduce((sum, s) => sum + s.transactions, 0);
  const seconds = steps.reduce((sum, s) => sum + s.seconds, 0);
  const failures = steps.reduce((sum, s) => sum + s.expectedFailures, 0);
  const rows = steps.map(
    (s, i) =>
      `<tr>${td(String(i + 1), "num dim")}${td(s.step, "name")}${td(groupDigits(String(s.transactions)), "num")}` +
      `${td(groupDigits(s.gasUsed), "num")}${td(fixed(s.seconds, 2), "num")}${td(s.supplyAfter, "num")}` +
      `${td(String(s.expectedFailures), s.expectedFailures > 0 ? "num note" : "num dim")}${td(s.detail, "detail")}</tr>`,
  );
  const foot =
    `<tfoot><tr><td></td><td>Total</td>${td(groupDigits(String(transactions)), "num")}` +
    `${td(groupDigits(gas.toString()), "num")}${td(fixed(seconds, 2), "num")}<td></td>${td(String(failures), "num")}<td></td></tr></tfoot>`;
  return table(
    [
      ["#", "num"],
      ["step"],
      ["tx", "num"],
      ["gas", "num"],
      ["seconds", "num"],
      ["supply after (KZT)", "num"],
      ["expected failures", "num"],
      ["detail"],
    ],
    rows,
    foot,
  );
}

function banksTable(report: PilotReport): string {
  if (report.banks.length === 0) return `<p class="empty">No banks.</p>`;
  const rows = report.banks.map((b) => {
    const ceiling = drawingNumber(b.ceiling);
    const used = ceiling > 0 ? Math.min(100, Math.max(0, (drawingNumber(b.outstanding) / ceiling) * 100)) : 0;
    return (
      `<tr><td class="name">${esc(b.name)}<div class="addr">${esc(b.address)}</div></td>` +
      `${td(b.ceiling, "num")}${td(b.outstanding, "num")}${td(b.remaining, "num")}` +
      `<td class="meter-cell"><div class="meter" title="${esc(`${used.toFixed(1)}% of the ceiling issued`)}">` +
      `<span style="width:${used.toFixed(1)}%"></span></div><span class="pct">${esc(used.toFixed(1))}%</span></td></tr>`
    );
  });
  return table([["bank"], ["ceiling", "num"], ["outstanding", "num"], ["remaining", "num"], ["of ceiling used"]], rows);
}

function summaryTables(summary: SummaryRow[]): string {
  if (summary.length === 0) return `<p class="empty">No summary rows.</p>`;
  const sections = new Map<string, SummaryRow[]>();
  for (const row of summary) sections.set(row.section, [...(sections.get(row.section) ?? []), row]);
  return (
    `<div class="summary">` +
    [...sections]
      .map(
        ([name, rows]) =>
          `<div class="summary-section"><h3>${esc(name)}</h3><table><tbody>` +
          rows.map((row) => `<tr>${td(row.item)}${td(row.value, "num")}</tr>`).join("") +
          `</tbody></table></div>`,
      )
      .join("") +
    `</div>`
  );
}

function invariantsTable(report: PilotReport): string {
  if (report.invariants.length === 0) return `<p class="empty">No invariants were checked.</p>`;
  const rows = report.invariants.map(
    (inv) =>
      `<tr class="${inv.held ? "held" : "broken"}"><td><span class="badge ${inv.held ? "good" : "bad"}">` +
      `${inv.held ? "held" : "BROKEN"}</span></td>${td(inv.area, "area")}${td(inv.name, "name")}${td(inv.detail, "detail")}</tr>`,
  );
  return table([["status"], ["area"], ["invariant"], ["detail"]], rows);
}

function notesList(notes: string[]): string {
  if (notes.length === 0) return `<p class="empty">No transaction failed.</p>`;
  return (
    `<p class="lead">Refusals the story provokes on purpose: each one is the suite saying no where it must.</p>` +
    `<ul class="notes">${notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>`
  );
}

function finalState(report: PilotReport): string {
  const entries = Object.entries(report.finalState.values);
  return (
    `<p class="lead">Two nodes playing the same seed must agree on these values; the digest is keccak256 over all of them.</p>` +
    `<details><summary>digest <code>${esc(report.finalState.digest)}</code> · ${entries.length} values</summary>` +
    (entries.length === 0
      ? `<p class="empty">No values.</p>`
      : `<table class="state"><tbody>${entries.map(([k, v]) => `<tr>${td(k, "key")}${td(v, "num")}</tr>`).join("")}</tbody></table>`) +
    `</details>`
  );
}

const CSS = `
:root{--ink:#14213d;--muted:#5b6475;--line:#e3e8ef;--bg:#f5f7fa;--card:#fff;--sky:#00afca;--navy:#0b3d91;--gold:#f2a900;
--good:#12805c;--good-bg:#e6f5ee;--bad:#c62828;--bad-bg:#fdecea;--warn:#a15c00;--warn-bg:#fff4e0}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap,main{max-width:1160px;margin:0 auto;padding:0 24px}
header{background:linear-gradient(120deg,#0b3d91 0%,#0077a8 55%,#00afca 100%);color:#fff;padding:28px 0 24px}
.brand{display:flex;align-items:center;gap:16px}
.sun{width:44px;height:44px;border-radius:50%;background:radial-gradient(circle,#fec50c 0 45%,transparent 47%),
repeating-conic-gradient(#fec50c 0 6deg,transparent 6deg 15deg);flex:none}
h1{margin:0;font-size:26px;letter-spacing:.2px}
.sub{margin:2px 0 0;opacity:.85}
.facts{display:flex;flex-wrap:wrap;gap:8px 28px;margin:20px 0 0}
.facts div{min-width:90px}.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.6px;opacity:.75}
.facts dd{margin:0;font-weight:600;word-break:break-all}
.banner{margin:20px 0 0;padding:14px 18px;border-radius:10px;display:flex;gap:14px;align-items:baseline;flex-wrap:wrap;border:1px solid}
.banner strong{font-size:17px}
.banner.good{background:var(--good-bg);color:var(--good);border-color:#b7e0cc}
.banner.bad{background:var(--bad-bg);color:var(--bad);border-color:#f3b9b4}
.banner.warn{background:var(--warn-bg);color:var(--warn);border-color:#f1d29a}
.tiles{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.tile{flex:1 1 auto;min-width:130px;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px;border-top:4px solid var(--sky)}
.tile.good{border-top-color:var(--good)}.tile.bad{border-top-color:var(--bad);background:var(--bad-bg)}
.tile .label{font-size:11px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted)}
.tile .value{font-size:22px;font-weight:700;font-variant-numeric:tabular-nums;margin:4px 0 0;white-space:nowrap}
.tile.good .value{color:var(--good)}.tile.bad .value{color:var(--bad)}
.tile .unit{font-size:12px;color:var(--muted)}
.charts{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin:8px 0 16px}
.card{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.card.wide{grid-column:1/-1}
figcaption h3{margin:0;font-size:15px}figcaption p{margin:2px 0 8px;color:var(--muted);font-size:12px}
svg.chart{width:100%;height:auto;display:block;font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
svg .grid{stroke:#edf0f5}svg .axis{stroke:#9aa5b5}
svg .tick,svg .xlabel,svg .unit,svg .axis-title{fill:var(--muted)}svg .unit,svg .axis-title{font-size:11px}
svg .line{fill:none;stroke:var(--sky);stroke-width:2.5;stroke-linejoin:round}
svg .point circle{fill:#fff;stroke:var(--navy);stroke-width:2.5}
svg .point:hover circle{fill:var(--gold)}
svg[data-chart=transactions] .bar rect{fill:var(--sky)}
svg .bar:hover rect{opacity:.8}
svg .label{fill:var(--ink)}svg .value{fill:var(--muted);font-variant-numeric:tabular-nums}
.block{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 16px}
.block h2{margin:0 0 10px;font-size:17px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:7px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:11px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);background:#fafbfc}
tbody tr:hover{background:#f7fafc}
tfoot td{font-weight:700;border-top:2px solid var(--line)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.dim{color:var(--muted)}.note{color:var(--warn);font-weight:600}
td.name{font-weight:600;min-width:180px}td.detail{color:var(--muted);font-size:12.5px;min-width:240px;max-width:460px;overflow-wrap:break-word}
th.num{white-space:normal}
.addr{font:11px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:var(--muted);font-weight:400;word-break:break-all}
.meter-cell{white-space:nowrap;min-width:160px}
.meter{display:inline-block;vertical-align:middle;width:110px;height:8px;border-radius:4px;background:#e8edf3;overflow:hidden}
.meter span{display:block;height:100%;background:var(--navy)}
.pct{margin-left:8px;font-variant-numeric:tabular-nums;color:var(--muted)}
.summary{columns:3 300px;column-gap:24px}.summary-section{break-inside:avoid;margin-bottom:12px}
.summary h3{margin:6px 0 4px;font-size:13px;color:var(--navy);text-transform:uppercase;letter-spacing:.5px}
.summary td.num{white-space:normal;overflow-wrap:break-word;max-width:220px}
.badge{display:inline-block;padding:2px 9px;border-radius:999px;font-size:11px;font-weight:700;letter-spacing:.4px}
.badge.good{background:var(--good-bg);color:var(--good)}.badge.bad{background:var(--bad);color:#fff}
tr.broken td{background:var(--bad-bg)}td.area{color:var(--muted);white-space:nowrap}
.notes{margin:0;padding-left:20px}.notes li{margin:3px 0}
.lead{margin:0 0 8px;color:var(--muted)}.empty{color:var(--muted);font-style:italic;margin:4px 0}
details summary{cursor:pointer;font-weight:600}details code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
table.state{margin-top:10px}table.state td.key{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
table.state td.num{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:normal;word-break:break-all}
footer{max-width:1160px;margin:0 auto;padding:8px 24px 32px;color:var(--muted);font-size:12px}
@media (max-width:800px){.charts{grid-template-columns:1fr}}
@media print{body{background:#fff}header{-webkit-print-color-adjust:exact;print-color-adjust:exact}.card,.block{break-inside:avoid}}
`;
