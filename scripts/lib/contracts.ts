import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DigitalTenge } from "../../typechain-types";

/** The deployed DigitalTenge on the current network, typed; a one-line error when it has not been deployed there. */
export async function getTenge(hre: HardhatRuntimeEnvironment): Promise<DigitalTenge> {
  const record = await hre.deployments.getOrNull("DigitalTenge");
  if (!record) {
    throw new Error(
      `DigitalTenge is not deployed on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\` first`,
    );
  }
  if ((await hre.ethers.provider.getCode(record.address)) === "0x") {
    throw new Error(
      `no contract at the recorded DigitalTenge address ${record.address} on "${hre.network.name}" (was the node restarted? redeploy)`,
    );
  }
  return await hre.ethers.getContractAt("DigitalTenge", record.address);
}

/** Role names as the contract defines them. */
export const ROLE_NAMES = [
  "DEFAULT_ADMIN_ROLE",
  "CENTRAL_BANK_ROLE",
  "PAUSER_ROLE",
  "COMPLIANCE_ROLE",
  "SEIZURE_ROLE",
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
