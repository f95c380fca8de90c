import { clearSnapshots, loadFixture as loadNetworkFixture } from "@nomicfoundation/hardhat-network-helpers";
import { restoreDeploymentRecords } from "../fixtures/tenge.fixture";

type Records = Parameters<typeof restoreDeploymentRecords>[0];

function isFixtureSnapshotError(error: unknown): boolean {
  return error instanceof Error && error.message.includes("error reverting the snapshot of the fixture");
}

/**
 * The suite's `loadFixture`: the network helpers' one, made safe for a suite of 100+ files sharing one chain.
 * - A fixture's snapshot can have been invalidated since it was taken: a test that takes its own snapshot
 *   (`takeSnapshot`, the property tests and the pilot scenario do) and restores it reverts every snapshot taken
 *   after it, including those of fixtures first loaded in between, which the network helpers still list. Then every
 *   snapshot is forgotten and the fixture is built again from scratch, instead of failing every later test.
 * - Reverting the chain does not revert hardhat-deploy's in-memory records, which any later deployment of the same
 *   contracts replaced: a fixture that carries `records` (every deployed*Fixture does) has them saved again, so
 *   tasks and deploy scripts act on the contracts this chain has.
 * @param fixture A named fixture function, as for the network helpers' `loadFixture`.
 * @returns The fixture's result.
 */
export async function loadFixture<T>(fixture: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await loadNetworkFixture(fixture);
  } catch (error: unknown) {
    if (!isFixtureSnapshotError(error)) throw error;
    await clearSnapshots();
    result = await loadNetworkFixture(fixture);
  }
  const records = (result as { records?: Records }).records;
  if (records !== undefined) await restoreDeploymentRecords(records);
  return result;
}
