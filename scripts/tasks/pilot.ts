import { task, types } from "hardhat/config";
import { cliAction } from "../lib/cli";
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";

interface PilotArgs {
  citizensPerBank: number;
  seed: string;
  report: string;
}

task("pilot", "Plays the digital tenge pilot end to end on the selected network and prints a summary")
  .addOptionalParam("citizensPerBank", "Citizens each of the 4 banks onboards (at least 4)", 25, types.int)
  .addOptionalParam("seed", "Seed of the citizens' deterministic keys", "almaty-2026")
  .addOptionalParam("report", "Where to write the JSON report", "reports/pilot.json")
  .setAction(
    cliAction("pilot", async (args: PilotArgs, hre) => {
      // Loaded lazily: the pilot library reads typechain output, which does not exist before the first compile.
      const { runPilot } = await import("../lib/pilot/run");
      await hre.run("compile", { quiet: true });
      console.log(`digital tenge pilot on "${hre.network.name}": ${args.citizensPerBank} citizens per bank\n`);
      const report = await runPilot(hre, {
        citizensPerBank: args.citizensPerBank,
        seed: args.seed,
        log: (l) => console.log(l),
      });
      console.log("\nIssuance per bank (KZT)");
      console.table(
        report.banks.map(({ name, ceiling, outstanding, remaining }) => ({
          bank: name,
          ceiling,
          outstanding,
          remaining,
        })),
      );
      console.log(
        `Total supply ${report.totals.supply} KZT · ${report.totals.transactions} transactions · ${BigInt(report.totals.gasUsed).toLocaleString("en-US")} gas · ${report.totals.expectedFailures} refusals as expected`,
      );
      for (const note of report.notes) console.log(`  refused as expected — ${note}`);
      console.log("\nInvariants");
      for (const inv of report.invariants)
        console.log(`  ${inv.held ? "held  " : "BROKEN"} ${inv.name} (${inv.detail})`);
      mkdirSync(join(process.cwd(), ...args.report.split("/").slice(0, -1)), { recursive: true });
      writeFileSync(
        args.report,
        JSON.stringify(report, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n",
      );
      console.log(`\nreport written to ${args.report}`);
      if (!report.ok) throw new Error("an invariant is broken (see above)");
    }),
  );
