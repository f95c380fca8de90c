import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import { tengeConfig } from "../scripts/lib/tenge-config";
import { deployUupsProxy, dropOrRefuseStaleRecords } from "../scripts/lib/deploy";

/**
 * Deploys the DigitalTenge UUPS proxy through OpenZeppelin's upgrades plugin (storage-layout validation), and on
 * a re-run reuses it; when the compiled implementation changed since the recorded deployment, upgrades it
 * (validated against the recorded layout) instead of redeploying.
 */
const deployDigitalTenge: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network } = hre;
  const { deployer, centralBank } = await getNamedAccounts();
  const cfg = tengeConfig(network.name);
  await dropOrRefuseStaleRecords(hre);
  // The modules first: the implementation fixes their addresses as immutables.
  const moduleOptions = { from: deployer, log: true, waitConfirmations: network.live ? cfg.confirmations : 1 };
  const admin = await deployments.deploy("TengeAdmin", moduleOptions);
  const offline = await deployments.deploy("TengeOffline", moduleOptions);
  // The implementation's immutables include the modules: a new module (new code, new address) is an upgrade.
  await deployUupsProxy(hre, {
    contract: "DigitalTenge",
    constructorTypes: ["string", "string", "address", "address"],
    constructorArgs: [cfg.name, cfg.symbol, admin.address, offline.address],
    initArgs: [centralBank],
    confirmations: cfg.confirmations,
  });
};

deployDigitalTenge.tags = ["DigitalTenge", "tenge"];
export default deployDigitalTenge;
