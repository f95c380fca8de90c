import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import { STABLECOIN_ROLE_HOLDERS, stablecoinConfig } from "../scripts/lib/stablecoin-config";
import { ROLE_ENV, addressFromEnv } from "../scripts/lib/tenge-config";
import { deployUupsProxy } from "../scripts/lib/deploy";

/**
 * Deploys the tenge-backed stablecoin's UUPS proxy through OpenZeppelin's upgrades plugin and wires it: grants the
 * operational roles (named accounts, or the STABLECOIN_* overrides in .env) and onboards the stablecoin contract in
 * the tenge as an institution (exempt from tier limits) from the central bank's desk. Idempotent: a re-run reuses
 * the proxy (upgrading it, validated, when the implementation or its constructor arguments changed) and sends
 * nothing for what is already in place.
 */
const deployStablecoin: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network, ethers } = hre;
  const named = await getNamedAccounts();
  const cfg = stablecoinConfig(network.name);
  const wait = network.live ? cfg.confirmations : 1;
  const tengeRecord = await deployments.get("DigitalTenge");
  const args = [tengeRecord.address, cfg.name, cfg.symbol];
  // The underlying, name and symbol are immutables of the implementation: a change to any of them is an upgrade,
  // except the underlying: a live stablecoin's reserve cannot move to another tenge.
  const { address } = await deployUupsProxy(hre, {
    contract: "TengeStablecoin",
    constructorTypes: ["address", "string", "string"],
    constructorArgs: args,
    initArgs: [named.centralBank],
    confirmations: cfg.confirmations,
    checkLive: async (live) => {
      const underlying = await (await ethers.getContractAt("TengeStablecoin", live)).underlying();
      if (underlying.toLowerCase() !== tengeRecord.address.toLowerCase()) {
        throw new Error(
          `TengeStablecoin at ${live} wraps ${underlying}, not the recorded DigitalTenge ${tengeRecord.address}; ` +
            `a live stablecoin's reserve cannot move to another tenge (remove deployments/${network.name}/TengeStablecoin.json to deploy a new one)`,
        );
      }
    },
  });

  const coin = await ethers.getContractAt("TengeStablecoin", address);
  const admin = coin.connect(await ethers.getSigner(named.centralBank));
  for (const [role, holder] of Object.entries(STABLECOIN_ROLE_HOLDERS)) {
    const account = addressFromEnv(holder.env) ?? named[holder.named];
    const roleId = ethers.id(role);
    if (await coin.hasRole(roleId, account)) continue;
    await (await admin.grantRole(roleId, account)).wait(wait);
    deployments.log(`granted stablecoin ${role} to ${account}`);
  }

  // The stablecoin holds the reserve: an institution of the tenge, exempt from holding and daily limits.
  const tenge = await ethers.getContractAt("DigitalTenge", tengeRecord.address);
  const desk = tenge.connect(await ethers.getSigner(addressFromEnv(ROLE_ENV.CENTRAL_BANK_ROLE) ?? named.issuanceDesk));
  const account = await tenge.accountOf(address);
  if (!account.onboarded) {
    await (await desk.onboardInstitution(address)).wait(wait);
    deployments.log(`onboarded the stablecoin ${address} in the tenge as an institution`);
  } else if (!account.exempt) {
    await (await desk.setExempt(address, true)).wait(wait);
    deployments.log(`exempted the stablecoin ${address} from tenge tier limits`);
  }

  if ((await coin.decimals()) !== (await tenge.decimals()))
    throw new Error("TengeStablecoin: decimals differ from the tenge's");
};

deployStablecoin.tags = ["TengeStablecoin", "stablecoin"];
deployStablecoin.dependencies = ["tenge"];
export default deployStablecoin;
