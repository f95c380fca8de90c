import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import { tengeConfig } from "../scripts/lib/tenge-config";
import { tengeCodeHash } from "../scripts/lib/contracts";

/**
 * Deploys the DigitalTenge UUPS proxy through OpenZeppelin's upgrades plugin (storage-layout validation), and on
 * a re-run reuses it; when the compiled implementation changed since the recorded deployment, upgrades it
 * (validated against the recorded layout) instead of redeploying.
 */
const deployDigitalTenge: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network, ethers, upgrades } = hre;
  const { deployer, centralBank } = await getNamedAccounts();
  const cfg = tengeConfig(network.name);
  const signer = await ethers.getSigner(deployer);
  // The modules first: the implementation fixes their addresses as immutables.
  const moduleOptions = { from: deployer, log: true, waitConfirmations: network.live ? cfg.confirmations : 1 };
  const admin = await deployments.deploy("TengeAdmin", moduleOptions);
  const offline = await deployments.deploy("TengeOffline", moduleOptions);
  const factory = await ethers.getContractFactory("DigitalTenge", signer);
  const artifact = await deployments.getArtifact("DigitalTenge");
  // What is live is the implementation's code plus the modules it delegates to: a change to any is an upgrade.
  const codeHash = tengeCodeHash(artifact.deployedBytecode, admin.address, offline.address);
  const options = {
    kind: "uups" as const,
    constructorArgs: [cfg.name, cfg.symbol, admin.address, offline.address],
    txOverrides: {},
    timeout: 0,
  };

  const existing = await deployments.getOrNull("DigitalTenge");
  const liveCode = existing ? await ethers.provider.getCode(existing.address) : "0x";
  let address: string;
  if (existing && liveCode !== "0x") {
    address = existing.address;
    if (existing.solcInputHash === codeHash) {
      deployments.log(`reusing "DigitalTenge" at ${address}`);
      return;
    }
    deployments.log(`upgrading "DigitalTenge" at ${address} (implementation changed)`);
    await upgrades.validateUpgrade(address, factory, options);
    const upgraded = await upgrades.upgradeProxy(address, factory, options);
    await upgraded.waitForDeployment();
  } else {
    const proxy = await upgrades.deployProxy(factory, [centralBank], { ...options, initializer: "initialize" });
    await proxy.waitForDeployment();
    address = await proxy.getAddress();
    const receipt = await proxy.deploymentTransaction()?.wait(network.live ? cfg.confirmations : 1);
    deployments.log(`deployed "DigitalTenge" proxy at ${address} (tx ${receipt?.hash ?? "?"})`);
  }
  const implementation = await upgrades.erc1967.getImplementationAddress(address);
  await deployments.save("DigitalTenge", {
    address,
    abi: artifact.abi,
    implementation,
    args: [cfg.name, cfg.symbol, admin.address, offline.address],
    // hardhat-deploy has no field for "which compiled code is live"; this one is free and compared on re-runs.
    solcInputHash: codeHash,
  });
  deployments.log(
    `  implementation ${implementation}; verify with: npx hardhat verify --network ${network.name} ${implementation} "${cfg.name}" "${cfg.symbol}" ${admin.address} ${offline.address}`,
  );
};

deployDigitalTenge.tags = ["DigitalTenge", "tenge"];
export default deployDigitalTenge;
