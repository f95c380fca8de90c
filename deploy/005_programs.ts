import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import { PROGRAMS_OPERATOR_ENV, PROGRAMS_OPERATOR_NAMED } from "../scripts/lib/programs";
import { deployUupsProxy } from "../scripts/lib/deploy";
import { ROLE_ENV, addressFromEnv, tengeConfig } from "../scripts/lib/tenge-config";

/**
 * Deploys the purpose-bound programs escrow's UUPS proxy through OpenZeppelin's upgrades plugin and wires it: grants
 * OPERATOR_ROLE (the intermediary, Kazpost in the pilot: the `issuanceDesk` named account on local chains, or the
 * PROGRAMS_OPERATOR address in .env) and onboards the contract in the tenge as an institution (exempt from tier
 * limits) from the central bank's desk. Idempotent: a re-run reuses the proxy (upgrading it, validated, when the
 * implementation or the tenge it is built for changed) and sends nothing for what is already in place.
 */
const deployPrograms: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network, ethers } = hre;
  const named = await getNamedAccounts();
  const wait = network.live ? tengeConfig(network.name).confirmations : 1;
  const tengeRecord = await deployments.get("DigitalTenge");
  const args = [tengeRecord.address];
  // The tenge is an immutable of the implementation, but escrowed budgets cannot move to another tenge.
  const { address } = await deployUupsProxy(hre, {
    contract: "PurposeBoundPrograms",
    constructorTypes: ["address"],
    constructorArgs: args,
    initArgs: [named.centralBank],
    confirmations: tengeConfig(network.name).confirmations,
    checkLive: async (live) => {
      const escrowed = await (await ethers.getContractAt("PurposeBoundPrograms", live)).tenge();
      if (escrowed.toLowerCase() !== tengeRecord.address.toLowerCase()) {
        throw new Error(
          `PurposeBoundPrograms at ${live} escrows ${escrowed}, not the recorded DigitalTenge ${tengeRecord.address}; ` +
            `escrowed budgets cannot move to another tenge (remove deployments/${network.name}/PurposeBoundPrograms.json to deploy a new one)`,
        );
      }
    },
  });

  const programs = await ethers.getContractAt("PurposeBoundPrograms", address);
  const operator = addressFromEnv(PROGRAMS_OPERATOR_ENV) ?? named[PROGRAMS_OPERATOR_NAMED];
  const operatorRole = await programs.OPERATOR_ROLE();
  if (!(await programs.hasRole(operatorRole, operator))) {
    const admin = programs.connect(await ethers.getSigner(named.centralBank));
    await (await admin.grantRole(operatorRole, operator)).wait(wait);
    deployments.log(`granted programs OPERATOR_ROLE to ${operator}`);
  }

  // The escrow holds every program's budget: an institution of the tenge, exempt from holding and daily limits.
  const tenge = await ethers.getContractAt("DigitalTenge", tengeRecord.address);
  const desk = tenge.connect(await ethers.getSigner(addressFromEnv(ROLE_ENV.CENTRAL_BANK_ROLE) ?? named.issuanceDesk));
  const account = await tenge.accountOf(address);
  if (!account.onboarded) {
    await (await desk.onboardInstitution(address)).wait(wait);
    deployments.log(`onboarded the programs escrow ${address} in the tenge as an institution`);
  } else if (!account.exempt) {
    await (await desk.setExempt(address, true)).wait(wait);
    deployments.log(`exempted the programs escrow ${address} from tenge tier limits`);
  }
};

deployPrograms.tags = ["PurposeBoundPrograms", "programs"];
deployPrograms.dependencies = ["tenge"];
export default deployPrograms;
