/**
 * `npm run fuzz -- [--runs N] [--seed S] [--path P] [--commands C]`: the whole-suite stateful property test
 * (test/suite/property.test.ts) with many more runs than `npm test` gives it. Options fall back to FUZZ_RUNS,
 * FUZZ_SEED, FUZZ_PATH and FUZZ_COMMANDS; the defaults are 200 runs of up to 25 commands and a fresh seed. The seed is
 * printed first; on failure the test prints the shrunk counterexample and the exact command that replays it.
 */
import { spawnSync } from "child_process";

const DEFAULT_RUNS = "200";
const OPTIONS = { runs: "FUZZ_RUNS", seed: "FUZZ_SEED", path: "FUZZ_PATH", commands: "FUZZ_COMMANDS" } as const;
type Option = keyof typeof OPTIONS;

/** Reads `--name value` / `--name=value` pairs; anything else is an error. */
function parseArgs(argv: readonly string[]): Partial<Record<Option, string>> {
  const out: Partial<Record<Option, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const name = flag.replace(/^--/, "");
    if (!flag.startsWith("--") || !(name in OPTIONS)) {
      throw new Error(`unknown argument ${argv[i]} (expected --runs, --seed, --path or --commands)`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    out[name as Option] = value;
  }
  return out;
}

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const env = process.env;
  const runs = args.runs ?? env.FUZZ_RUNS ?? DEFAULT_RUNS;
  const seed = args.seed ?? env.FUZZ_SEED ?? String(Date.now() % 2 ** 31);
  const path = args.path ?? env.FUZZ_PATH;
  const commands = args.commands ?? env.FUZZ_COMMANDS;
  for (const [name, value] of [
    ["runs", runs],
    ["seed", seed],
    ["commands", commands],
  ] as const) {
    if (value !== undefined && !/^\d+$/.test(value))
      throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  }
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new Error(`--path must look like 4:1:0, got ${path}`);
  console.log(`fuzz: seed ${seed}, ${runs} runs${path ? `, replaying path ${path}` : ""}`);
  const child = spawnSync("npx", ["hardhat", "test", "test/suite/property.test.ts"], {
    stdio: "inherit",
    env: {
      ...env,
      FUZZ_RUNS: runs,
      FUZZ_SEED: seed,
      ...(path !== undefined ? { FUZZ_PATH: path } : {}),
      ...(commands !== undefined ? { FUZZ_COMMANDS: commands } : {}),
    },
  });
  const status = child.status ?? 1;
  if (status !== 0) console.error(`fuzz: failed with seed ${seed}; the replay command is printed above`);
  return status;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`fuzz: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
