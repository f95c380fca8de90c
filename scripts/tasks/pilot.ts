import { task } from "hardhat/config";
import { cliAction } from "../lib/cli";
import { mkdirSync, writeFileSync } from "fs";
import { dirname } from "path";

interface PilotArgs {
  children: string;
  citizensPerBank: string;
  schoolDays: string;
  seed: string;
  serial: boolean;
  report: string;
  html: string;
  quiet: boolean;
}

/** A count typed on the command line: digits only (the range is checked with the other options, in one line). */
function count(text: string, label: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new Error(`${label} "${text}" must be a whole number`);
  return Number(text);
}

task("pilot", "Plays the digital tenge pilot end to end on the selected network and prints a summary")
  .addOptionalParam("children", "Children enrolled in the school-lunch program", "1000")
  .addOptionalParam("citizensPerBank", "Citizens each of the 4 banks onboards (at least 4)", "25")
  .addOptionalParam("schoolDays", "School days of lunches (above 1 moves a development chain's clock)", "1")
  .addOptionalParam("seed", "Seed of every participant's deterministic key", "almaty-2026")
  .addFlag("serial", "Send one transaction at a time (the throughput benchmark's baseline)")
  .addOptionalParam("report", "Where to write the JSON report", "reports/pilot.json")
  .addOptionalParam("html", "Where to write the HTML report", "reports/pilot.html")
  .addFlag("quiet", "No progress bars")
  .setAction(
    cliAction("pilot", async (args: PilotArgs, hre) => {
      // Loaded lazily: the pilot library reads typechain output, which does not exist before the first compile.
      const { runPilot, checkOptions } = await import("../lib/pilot/run");
      const { printReport } = await import("../lib/pilot/print");
      const { renderHtml } = await import("../lib/pilot/html");
      const options = {
        children: count(args.children, "--children"),
        citizensPerBank: count(args.citizensPerBank, "--citizens-per-bank"),
        schoolDays: count(args.schoolDays, "--school-days"),
        seed: args.seed,
        serial: args.serial,
        progress: !args.quiet && process.stdout.isTTY === true,
        log: (line: string) => console.log(line),
      };
      checkOptions(options);
      await hre.run("compile", { quiet: true });
      console.log(
        `digital tenge pilot on "${hre.network.name}": ${options.children.toLocaleString("en-US")} children, ` +
          `${options.citizensPerBank} citizens per bank, ${options.schoolDays} school day(s)` +
          `${args.serial ? ", serial" : ""}\n`,
      );
      const report = await runPilot(hre, options);
      printReport(report, (line) => console.log(line));
      for (const [file, text] of [
        [args.report, JSON.stringify(report, null, 2) + "\n"],
        [args.html, renderHtml(report)],
      ]) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
      console.log(`\nreports written to ${args.report} and ${args.html}`);
      if (!report.ok) throw new Error("an invariant is broken (see above)");
    }),
  );
