import { loadFixture as loadNetworkFixture } from "@nomicfoundation/hardhat-network-helpers";
import { restoreDeploymentRecords } from "../fixtures/tenge.fixture";

type Records = Parameters<typeof restoreDeploymentRecords>[0];

/**
 * `loadFixture` for tests that run tasks or deploy scripts: reverts the chain to the fixture's snapshot like the
 * network helpers' `loadFixture`, then re-saves the hardhat-deploy records the fixture captured (its `records`),
 * because reverting the chain does not revert them and any suite deploying the same contracts since (the whole-suite
 * fixture, another contract's fixture) has replaced them with addresses this chain does not have.
 * @param fixture A fixture whose result carries `records` (every deployed*Fixture does).
 * @returns The fixture's result.
 */
export async function loadFixture<T extends { records: Records }>(fixture: () => Promise<T>): Promise<T> {
  const result = await loadNetworkFixture(fixture);
  await restoreDeploymentRecords(result.records);
  return result;
}
