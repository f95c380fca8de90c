import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroHash, id } from "ethers";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import { deployedSuiteFixture } from "../fixtures/suite.fixture";

/*
 * Adversarial upgrade and role tests over every UUPS contract of the suite: nobody but the admin upgrades a proxy
 * (not even to a malicious implementation), the implementations behind the proxies cannot be initialised or
 * upgraded directly, a role holder cannot raise itself to admin, and the storage layout of every contract accepts an
 * appending V2 while the OpenZeppelin validator refuses a V2 that reorders storage.
 */

/** The deployment record name and a role holder (not an admin) of each upgradeable contract. */
const CONTRACTS = ["DigitalTenge", "TengeStablecoin", "GoldToken", "GoldDesk", "PurposeBoundPrograms"] as const;
type Name = (typeof CONTRACTS)[number];

interface Upgradeable extends BaseContract {
  upgradeToAndCall(implementation: string, data: string): Promise<ContractTransactionResponse>;
  grantRole(role: string, account: string): Promise<ContractTransactionResponse>;
  revokeRole(role: string, account: string): Promise<ContractTransactionResponse>;
  renounceRole(role: string, confirmation: string): Promise<ContractTransactionResponse>;
  hasRole(role: string, account: string): Promise<boolean>;
  connect(signer: HardhatEthersSigner): Upgradeable;
}

async function suite() {
  const ctx = await loadFixture(deployedSuiteFixture);
  const proxies: Record<Name, Upgradeable> = {
    DigitalTenge: ctx.tenge,
    TengeStablecoin: ctx.coin,
    GoldToken: ctx.gold,
    GoldDesk: ctx.goldDesk,
    PurposeBoundPrograms: ctx.programs,
  };
  // a holder of a non-admin role in each contract, as the deploy scripts grant them locally
  const holders: Record<Name, { signer: HardhatEthersSigner; role: string }> = {
    DigitalTenge: { signer: ctx.roles.pauser, role: id("PAUSER_ROLE") },
    TengeStablecoin: { signer: ctx.roles.pauser, role: id("PAUSER_ROLE") },
    GoldToken: { signer: ctx.goldRoles.custodian, role: id("CUSTODIAN_ROLE") },
    GoldDesk: { signer: ctx.goldRoles.oracle, role: id("ORACLE_ROLE") },
    PurposeBoundPrograms: { signer: ctx.roles.desk, role: id("OPERATOR_ROLE") },
  };
  return { ...ctx, proxies, holders };
}

async function constructorArgs(name: Name): Promise<unknown[]> {
  return ((await hre.deployments.get(name)).args ?? []) as unknown[];
}

async function implementationOf(proxy: Upgradeable): Promise<Upgradeable> {
  const address = await upgrades.erc1967.getImplementationAddress(await proxy.getAddress());
  return proxy.attach(address) as Upgradeable;
}

describe("Adversarial: upgrades and roles", function () {
  for (const name of CONTRACTS) {
    describe(name, function () {
      it("refuses upgradeToAndCall to a malicious implementation from a non-admin: AccessControlUnauthorizedAccount", async function () {
        const { proxies, users } = await suite();
        const malicious = await ethers.deployContract("ReentrantReceiverMock");
        await expect(proxies[name].connect(users.outsider).upgradeToAndCall(await malicious.getAddress(), "0x"))
          .to.be.revertedWithCustomError(proxies[name], "AccessControlUnauthorizedAccount")
          .withArgs(users.outsider.address, ZeroHash);
      });

      it("refuses upgradeToAndCall from a role holder that is not the admin", async function () {
        const { proxies, holders } = await suite();
        const malicious = await ethers.deployContract("ReentrantReceiverMock");
        const { signer } = holders[name];
        await expect(proxies[name].connect(signer).upgradeToAndCall(await malicious.getAddress(), "0x"))
          .to.be.revertedWithCustomError(proxies[name], "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, ZeroHash);
      });

      it("refuses upgradeToAndCall called on the implementation directly: UUPSUnauthorizedCallContext", async function () {
        const { proxies, users } = await suite();
        const implementation = await implementationOf(proxies[name]);
        await expect(
          implementation.connect(users.outsider).upgradeToAndCall(await implementation.getAddress(), "0x"),
        ).to.be.revertedWithCustomError(proxies[name], "UUPSUnauthorizedCallContext");
      });

      it("refuses to initialise the implementation: InvalidInitialization", async function () {
        const { proxies, users } = await suite();
        const implementation = await implementationOf(proxies[name]);
        const fragment = implementation.interface.getFunction("initialize");
        if (fragment === null) throw new Error(`${name} has no initialize`);
        // every initializer takes the admin first; the rest (desk configuration) are plausible values
        const args = fragment.inputs.map((input, i) =>
          i === 0 || input.type === "address" ? users.outsider.address : 100n,
        );
        await expect(
          users.outsider.sendTransaction({
            to: await implementation.getAddress(),
            data: implementation.interface.encodeFunctionData(fragment, args),
          }),
        ).to.be.revertedWithCustomError(proxies[name], "InvalidInitialization");
      });

      it("a role holder cannot grant itself the admin role: AccessControlUnauthorizedAccount", async function () {
        const { proxies, holders } = await suite();
        const { signer } = holders[name];
        await expect(proxies[name].connect(signer).grantRole(ZeroHash, signer.address))
          .to.be.revertedWithCustomError(proxies[name], "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, ZeroHash);
      });

      it("a role holder cannot hand its own role to another account", async function () {
        const { proxies, holders, users } = await suite();
        const { signer, role } = holders[name];
        await expect(proxies[name].connect(signer).grantRole(role, users.outsider.address))
          .to.be.revertedWithCustomError(proxies[name], "AccessControlUnauthorizedAccount")
          .withArgs(signer.address, ZeroHash);
      });

      it("a role holder cannot revoke another holder's role", async function () {
        const { proxies, holders, users } = await suite();
        const { signer, role } = holders[name];
        await expect(proxies[name].connect(users.outsider).revokeRole(role, signer.address))
          .to.be.revertedWithCustomError(proxies[name], "AccessControlUnauthorizedAccount")
          .withArgs(users.outsider.address, ZeroHash);
      });

      it("renouncing someone else's role fails: AccessControlBadConfirmation", async function () {
        const { proxies, holders, users } = await suite();
        const { signer, role } = holders[name];
        await expect(
          proxies[name].connect(users.outsider).renounceRole(role, signer.address),
        ).to.be.revertedWithCustomError(proxies[name], "AccessControlBadConfirmation");
      });

      it("a holder that renounces its role loses it", async function () {
        const { proxies, holders } = await suite();
        const { signer, role } = holders[name];
        await (await proxies[name].connect(signer).renounceRole(role, signer.address)).wait();
        expect(await proxies[name].hasRole(role, signer.address)).to.equal(false);
      });

      it("validateUpgrade accepts a V2 that appends storage", async function () {
        const { proxies } = await suite();
        const factory = await ethers.getContractFactory(`${name}AppendMock`);
        const options = { kind: "uups" as const, constructorArgs: await constructorArgs(name) };
        expect(await upgrades.validateUpgrade(await proxies[name].getAddress(), factory, options)).to.equal(undefined);
      });

      it("validateUpgrade rejects a V2 that reorders the appended storage", async function () {
        await suite();
        const from = await ethers.getContractFactory(`${name}AppendMock`);
        const to = await ethers.getContractFactory(`${name}ReorderedMock`);
        const options = { kind: "uups" as const, constructorArgs: await constructorArgs(name) };
        await expect(upgrades.validateUpgrade(from, to, options)).to.be.rejectedWith(
          /New storage layout is incompatible/,
        );
      });
    });
  }

  it("validateUpgrade rejects a reordered ERC-7201 namespaced struct (the layout every contract uses)", async function () {
    const from = await ethers.getContractFactory("NamespacedV1Mock");
    const to = await ethers.getContractFactory("NamespacedReorderedMock");
    await expect(upgrades.validateUpgrade(from, to, { kind: "transparent" })).to.be.rejectedWith(
      /New storage layout is incompatible/,
    );
  });
});
