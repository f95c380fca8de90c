import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import type { GoldToken } from "../../typechain-types";

/** Bar statuses as the contract numbers them. */
export const BarStatus = { None: 0n, InVault: 1n, Allocated: 2n, Released: 3n } as const;

/**
 * The full-backing invariant, read from the chain: totalSupply equals the Σ fine weight of every registered bar
 * whose status is InVault (enumerated bar by bar), and the contract's own counters agree with the enumeration.
 * @param gold The gold token.
 */
export async function expectFullyBacked(gold: GoldToken): Promise<void> {
  const backing = await gold.backing();
  const bars = await gold.barsPage(0, backing.barsRegistered);
  expect(BigInt(bars.length)).to.equal(backing.barsRegistered);
  let inVault = 0n;
  let inVaultCount = 0n;
  let allocatedCount = 0n;
  for (const bar of bars) {
    if (bar.status === BarStatus.InVault) {
      inVault += bar.fineWeightMg;
      inVaultCount += 1n;
    }
    if (bar.status === BarStatus.Allocated) allocatedCount += 1n;
  }
  const supply = await gold.totalSupply();
  expect(supply, "totalSupply == Σ fine weight of bars in vault").to.equal(inVault);
  expect(backing.totalSupply).to.equal(supply);
  expect(backing.inVaultFineWeightMg).to.equal(inVault);
  expect(backing.barsInVault).to.equal(inVaultCount);
  expect(backing.barsAllocated).to.equal(allocatedCount);
}

/**
 * Registers an `afterEach` that checks {@link expectFullyBacked} on the gold token of the fixture each test loaded,
 * and returns the loader the tests use instead of `loadFixture`.
 * @returns `load(fixture)`: `loadFixture(fixture)`, remembering its gold token for the check.
 */
export function withBackingInvariant(): <T extends { gold: GoldToken }>(fixture: () => Promise<T>) => Promise<T> {
  let gold: GoldToken | undefined;
  afterEach("totalSupply == Σ fine weight of bars in vault", async function () {
    // read-only: never loadFixture here, it would revert the state under test
    if (gold !== undefined) await expectFullyBacked(gold);
    gold = undefined;
  });
  return async (fixture) => {
    const loaded = await loadFixture(fixture);
    gold = loaded.gold;
    return loaded;
  };
}
