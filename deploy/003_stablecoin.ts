import { HardhatRuntimeEnvironment } from "hardhat/types";
import { DeployFunction } from "hardhat-deploy/types";
import { AbiCoder, concat, keccak256 } from "ethers";
import { STABLECOIN_ROLE_HOLDERS, stablecoinConfig } from "../scripts/lib/stablecoin-config";
import { ROLE_ENV, addressFromEnv } from "../scripts/lib/tenge-config";

/**
 * Deploys the tenge-backed stablecoin's UUPS proxy through OpenZeppelin's upgrades plugin and wires it: grants the
 * operational roles (named accounts, or the STABLECOIN_* overrides in .env) and onboards the stablecoin contract in
 * the tenge as an institution (exempt from tier limits) from the central bank's desk. Idempotent: a re-run reuses
 * the proxy (upgrading it, validated, when the implementation or its constructor arguments changed) and sends
 * nothing for what is already in place.
 */
const deployStablecoin: DeployFunction = async (hre: HardhatRuntimeEnvironment) => {
  const { deployments, getNamedAccounts, network, ethers, upgrades } = hre;
  const named = await getNamedAccounts();
  const cfg = stablecoinConfig(network.name);
  const wait = network.live ? cfg.confirmations : 1;
  const tengeRecord = await deployments.get("DigitalTenge");
  const args = [tengeRecord.address, cfg.name, cfg.symbol];
  const factory = await ethers.getContractFactory("TengeStablecoin", await ethers.getSigner(named.deployer));
  const artifact = await deployments.getArtifact("TengeStablecoin");
  // The underlying, name and symbol are immutables of the implementation: a change to any of them is an upgrade.
  const encodedArgs = AbiCoder.defaultAbiCoder().encode(["address", "string", "string"], args);
  const codeHash = keccak256(concat([artifact.deployedBytecode, encodedArgs]));
  const options = { kind: "uups" as const, constructorArgs: args, txOverrides: {}, timeout: 0 };

  const existing = await deployments.getOrNull("TengeStablecoin");
  const liveCode = existing ? await ethers.provider.getCode(existing.address) : "0x";
  let address: string;
  if (existing && liveCode !== "0x") {
    address = existing.address;
    const live = await ethers.getContractAt("TengeStablecoin", address);
    const underlying = await live.underlying();
    if (underlying.toLowerCase() !== tengeRecord.address.toLowerCase()) {
      throw new Error(
        `TengeStablecoin at ${address} wraps ${underlying}, not the recorded DigitalTenge ${tengeRecord.address}; ` +
          `a live stablecoin's reserve cannot move to another tenge (remove deployments/${network.name}/TengeStablecoin.json to deploy a new one)`,
      );
    }
    if (existing.solcInputHash === codeHash) {
      deployments.log(`reusing "TengeStablecoin" at ${address}`);
    } else {
      deployments.log(`upgrading "TengeStablecoin" at ${address} (implementation changed)`);
      await upgrades.validateUpgrade(address, factory, options);
      const upgraded = await upgrades.upgradeProxy(address, factory, options);
      await upgraded.waitForDeployment();
    }
  } else {
    const proxy = await upgrades.deployProxy(factory, [named.centralBank], { ...options, initializer: "initialize" });
    await proxy.waitForDeployment();
    address = await proxy.getAddress();
    const receipt = await proxy.deploymentTransaction()?.wait(wait);
    deployments.log(`deployed "TengeStablecoin" proxy at ${address} (tx ${receipt?.hash ?? "?"})`);
  }
  const implementation = await upgrades.erc1967.getImplementationAddress(address);
  await deployments.save("TengeStablecoin", {
    address,
    abi: artifact.abi,
    implementation,
    args,
    // As for DigitalTenge: compared on re-runs to tell whether the live code is the compiled one.
    solcInputHash: codeHash,
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
  deployments.log(
    `  implementation ${implementation}; verify with: npx hardhat verify --network ${network.name} ${implementation} ${args[0]} "${cfg.name}" "${cfg.symbol}"`,
  );
};

deployStablecoin.tags = ["TengeStablecoin", "stablecoin"];
deployStablecoin.dependencies = ["tenge"];
export default deployStablecoin;
