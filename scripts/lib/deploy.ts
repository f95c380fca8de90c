import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { AbiCoder, concat, isAddress, keccak256 } from "ethers";

/**
 * Deployment records whose address holds no code on this chain: a development node restarted (or, in tests, a chain
 * reverted to a snapshot) after they were written. hardhat-deploy would wait forever for their transactions. On the
 * in-process `hardhat` network the records live only in memory and are dropped; elsewhere the command stops with one
 * line saying what to delete. Run first by the first deploy script, before anything is sent.
 * @param hre The Hardhat runtime.
 */
export async function dropOrRefuseStaleRecords(hre: HardhatRuntimeEnvironment): Promise<void> {
  const { deployments, ethers, network } = hre;
  const stale: string[] = [];
  for (const [name, record] of Object.entries(await deployments.all())) {
    if ((await ethers.provider.getCode(record.address)) === "0x") stale.push(name);
  }
  if (stale.length === 0) return;
  if (network.name !== "hardhat") {
    throw new Error(
      `deployments/${network.name}/ records ${stale.join(", ")} at addresses with no code on this chain (was the ` +
        `node restarted?): delete deployments/${network.name}/ and run again`,
    );
  }
  for (const name of stale) await deployments.delete(name);
  deployments.log(`dropped records of contracts this chain no longer has: ${stale.join(", ")}`);
}

/** One UUPS proxy of the suite, as a deploy script asks for it. */
export interface UupsProxySpec {
  /** The implementation's contract name (also the deployment record's name). */
  contract: string;
  /** ABI types of the implementation's constructor arguments (its immutables). */
  constructorTypes: readonly string[];
  constructorArgs: readonly unknown[];
  /** Arguments of `initialize`, sent only when the proxy is first deployed. */
  initArgs: readonly unknown[];
  /** Confirmations to wait for on a live network (1 on a development chain). */
  confirmations: number;
  /**
   * Checks a live proxy before it is reused or upgraded, and throws to refuse (e.g. a reserve that cannot follow a
   * redeployed tenge). Nothing has been sent when it runs.
   */
  checkLive?: (address: string) => Promise<void>;
}

/** What {@link deployUupsProxy} did. */
export interface UupsProxyDeployment {
  address: string;
  implementation: string;
  outcome: "deployed" | "upgraded" | "reused";
}

/**
 * What identifies the live logic of a proxy in its deployment record (hardhat-deploy's `solcInputHash` field): the
 * implementation's compiled code and its constructor arguments, which are immutables of the implementation (the
 * tenge's modules, the tenge a stablecoin wraps, a token's name). A change to either is an upgrade.
 * @param deployedBytecode The implementation's runtime bytecode.
 * @param constructorTypes ABI types of its constructor arguments.
 * @param constructorArgs The arguments.
 * @returns keccak256(bytecode ‖ abi.encode(args)).
 */
export function implementationHash(
  deployedBytecode: string,
  constructorTypes: readonly string[],
  constructorArgs: readonly unknown[],
): string {
  return keccak256(concat([deployedBytecode, AbiCoder.defaultAbiCoder().encode(constructorTypes, constructorArgs)]));
}

/**
 * Deploys `spec.contract` behind a UUPS proxy through OpenZeppelin's upgrades plugin (which validates the storage
 * layout), or, when a proxy is recorded and live, reuses it; when the compiled implementation or its constructor
 * arguments changed since, validates the new layout against the recorded one and upgrades in place. Records the
 * deployment (address, ABI, implementation, constructor arguments, {@link implementationHash}) and prints the
 * command that verifies the implementation. The one place the suite's deploy scripts deploy or upgrade a proxy.
 * @param hre The Hardhat runtime; the proxy is deployed from the `deployer` named account.
 * @param spec The proxy.
 * @returns Its address, implementation and what was done.
 */
export async function deployUupsProxy(
  hre: HardhatRuntimeEnvironment,
  spec: UupsProxySpec,
): Promise<UupsProxyDeployment> {
  const { deployments, ethers, upgrades, network } = hre;
  const { deployer } = await hre.getNamedAccounts();
  const factory = await ethers.getContractFactory(spec.contract, await ethers.getSigner(deployer));
  const artifact = await deployments.getArtifact(spec.contract);
  const codeHash = implementationHash(artifact.deployedBytecode, spec.constructorTypes, spec.constructorArgs);
  const constructorArgs = [...spec.constructorArgs];
  const options = { kind: "uups" as const, constructorArgs, txOverrides: {}, timeout: 0 };

  const existing = await deployments.getOrNull(spec.contract);
  // hardhat-deploy answers undefined, not null, for a name it has no record of.
  const live = existing ? (await ethers.provider.getCode(existing.address)) !== "0x" : false;
  let address: string;
  let outcome: UupsProxyDeployment["outcome"];
  if (existing && live) {
    address = existing.address;
    await spec.checkLive?.(address);
    if (existing.solcInputHash === codeHash) {
      outcome = "reused";
      deployments.log(`reusing "${spec.contract}" at ${address}`);
    } else {
      outcome = "upgraded";
      deployments.log(`upgrading "${spec.contract}" at ${address} (implementation changed)`);
      await upgrades.validateUpgrade(address, factory, options);
      await (await upgrades.upgradeProxy(address, factory, options)).waitForDeployment();
    }
  } else {
    outcome = "deployed";
    const proxy = await upgrades.deployProxy(factory, [...spec.initArgs], { ...options, initializer: "initialize" });
    await proxy.waitForDeployment();
    address = await proxy.getAddress();
    const receipt = await proxy.deploymentTransaction()?.wait(network.live ? spec.confirmations : 1);
    deployments.log(`deployed "${spec.contract}" proxy at ${address} (tx ${receipt?.hash ?? "?"})`);
  }
  const implementation = await upgrades.erc1967.getImplementationAddress(address);
  if (outcome !== "reused") {
    await deployments.save(spec.contract, {
      address,
      abi: artifact.abi,
      implementation,
      args: constructorArgs,
      // hardhat-deploy has no field for "which compiled code is live"; this one is free and compared on re-runs.
      solcInputHash: codeHash,
    });
  }
  const verifyArgs = constructorArgs
    .map((a) => (isAddress(a) ? a : typeof a === "string" ? `"${a}"` : String(a)))
    .join(" ");
  deployments.log(
    `  implementation ${implementation}; verify with: npx hardhat verify --network ${network.name} ${implementation} ${verifyArgs}`,
  );
  return { address, implementation, outcome };
}
