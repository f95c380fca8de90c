import fc from "fast-check";
import { relative } from "node:path";

/*
 * What every stateful property test of the suite shares: its settings from the environment, a counter of how each
 * command ended, a command that checks the invariants after it runs, and the run itself, which says how to replay a
 * failure and how long a success took.
 *
 *   FUZZ_RUNS   number of runs (each test has its own default, sized for `npm test`)
 *   FUZZ_SEED   seed (default: from the clock, printed on failure)
 *   FUZZ_PATH   fast-check's path to a shrunk counterexample, printed on failure: replays only that one
 *   FUZZ_STATS  1 prints how often each command succeeded or failed with each error
 */

/** How many runs, from which seed, replaying which counterexample. */
export interface FuzzSettings {
  readonly runs: number;
  readonly seed: number;
  readonly path: string | undefined;
}

/**
 * The settings from FUZZ_RUNS, FUZZ_SEED and FUZZ_PATH.
 * @param defaultRuns Runs when FUZZ_RUNS is not set.
 * @param defaultSeed Seed when FUZZ_SEED is not set; a fresh one from the clock unless given.
 */
export function fuzzSettings(defaultRuns: number, defaultSeed: number = Date.now() % 2 ** 31): FuzzSettings {
  const { FUZZ_RUNS, FUZZ_SEED, FUZZ_PATH } = process.env;
  return {
    runs: FUZZ_RUNS !== undefined ? Number(FUZZ_RUNS) : defaultRuns,
    seed: FUZZ_SEED !== undefined ? Number(FUZZ_SEED) : defaultSeed,
    path: FUZZ_PATH,
  };
}

/** Counts outcomes by key when FUZZ_STATS=1 (and costs nothing otherwise). */
export class FuzzStats {
  private readonly counts = process.env.FUZZ_STATS === "1" ? new Map<string, number>() : undefined;

  /** Counts one `key`. */
  record(key: string): void {
    if (this.counts !== undefined) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Counts `label`'s outcome, keyed by the command's name (the label up to its first parenthesis). */
  outcome(label: string, outcome: string): void {
    this.record(`${label.split("(")[0]} → ${outcome}`);
  }

  /** Prints every count, sorted by key (nothing unless FUZZ_STATS=1). */
  print(): void {
    if (this.counts === undefined) return;
    for (const [key, n] of [...this.counts].sort()) console.log(`      ${String(n).padStart(5)}  ${key}`);
  }
}

/** A stateful command that runs its body against the chain and the model, then checks every invariant. */
export class CheckedCommand<Model extends object, Real> implements fc.AsyncCommand<Model, Real> {
  constructor(
    private readonly label: string,
    private readonly body: (model: Model, real: Real) => Promise<void>,
    private readonly invariants: (model: Model, real: Real) => Promise<void>,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: Model, real: Real): Promise<void> {
    await this.body(model, real);
    await this.invariants(model, real);
  }

  toString(): string {
    return this.label;
  }
}

/** The command line that replays a failure of the property test in `file` with `settings`. */
export function replayLine(file: string, settings: FuzzSettings): string {
  return `FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs} npx hardhat test ${relative(process.cwd(), file)}`;
}

/**
 * Checks `property` with `settings`. On failure it first prints the command that replays it (fast-check's report,
 * thrown after, gives the path of the shrunk counterexample for FUZZ_PATH); on success one line: runs, seed, time
 * and `extra`.
 * @param file The test file (`__filename`), named in the replay command.
 */
export async function assertProperty<Ts>(
  file: string,
  property: fc.IAsyncPropertyWithHooks<Ts>,
  settings: FuzzSettings,
  extra: () => string = () => "",
): Promise<void> {
  const started = Date.now();
  try {
    await fc.assert(property, { numRuns: settings.runs, seed: settings.seed, path: settings.path });
  } catch (error) {
    console.error(
      `\n  property failed with seed ${settings.seed}: re-run with ${replayLine(file, settings)}` +
        ` (add FUZZ_PATH=<path printed below> to replay only the shrunk counterexample)\n`,
    );
    throw error;
  }
  const more = extra();
  console.log(
    `    ${settings.runs} runs, seed ${settings.seed}${more ? `, ${more}` : ""}, ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
