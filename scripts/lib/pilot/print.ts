import type { PilotReport } from "./report";

/** Prints the end of a run: issuance per bank, the summary table, totals, expected refusals and every invariant. */
export function printReport(report: PilotReport, print: (line: string) => void): void {
  print("\nIssuance per bank (KZT)");
  console.table(
    report.banks.map(({ name, ceiling, outstanding, remaining }) => ({ bank: name, ceiling, outstanding, remaining })),
  );
  print("Summary");
  console.table(report.summary.map(({ section, item, value }) => ({ section, item, value })));
  const t = report.totals;
  print(
    `Total supply ${t.supply} KZT · ${t.transactions.toLocaleString("en-US")} transactions · ` +
      `${BigInt(t.gasUsed).toLocaleString("en-US")} gas · ${t.seconds.toFixed(1)} s · ` +
      `${t.txPerSecond.toFixed(1)} tx/s · ${Math.round(t.gasPerSecond).toLocaleString("en-US")} gas/s · ` +
      `${t.expectedFailures} failures as expected`,
  );
  for (const note of report.notes) print(`  as expected — ${note}`);
  print("\nInvariants");
  for (const inv of report.invariants)
    print(`  ${inv.held ? "held  " : "BROKEN"} [${inv.area}] ${inv.name} (${inv.detail})`);
  print(`\nfinal state digest ${report.finalState.digest}`);
}
