import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import { Wallet, ZeroHash, getAddress, id, keccak256 } from "ethers";
import type { AddressLike } from "ethers";
import type { DigitalTenge } from "../../typechain-types";
import { kzt, restoreDeploymentRecords, tengeFixture } from "../fixtures/tenge.fixture";
import type { TengeFixture } from "../fixtures/tenge.fixture";
import { dropOrRefuseStaleRecords, implementationHash } from "../../scripts/lib/deploy";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  CANCEL_VRS,
  PERMIT_VRS,
  TRANSFER_VRS,
  authorizationArgs,
  domainOf,
  permitArgs,
  randomNonce,
  signAuthorization,
  signCancellation,
  signPermit,
} from "../../scripts/lib/eip712";

const NAME = "Digital Tenge";
const SYMBOL = "DKZT";
/** Upgrade options for `tenge`: same name and symbol, and the admin module the live implementation delegates to. */
async function upgradeOptions(tenge: DigitalTenge) {
  return { kind: "uups" as const, constructorArgs: await v2Args(tenge) };
}

/** Constructor arguments of a V2 implementation for `tenge`. */
async function v2Args(tenge: DigitalTenge): Promise<[string, string, string, string]> {
  return [NAME, SYMBOL, await tenge.adminModule(), await tenge.offlineModule()];
}
const ROLES = [
  "DEFAULT_ADMIN_ROLE",
  "CENTRAL_BANK_ROLE",
  "PAUSER_ROLE",
  "COMPLIANCE_ROLE",
  "SEIZURE_ROLE",
  "TAX_AUTHORITY_ROLE",
] as const;

function roleId(role: (typeof ROLES)[number]): string {
  return role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role);
}

/**
 * The base fixture with state in every storage field an upgrade could lose: allowances (plain and by permit), a
 * consumed permit nonce, a used and a cancelled EIP-3009 nonce, frozen funds, a frozen wallet, an exempt
 * institution holding funds, a changed ceiling and a suspended bank; plus an authorization signed now and left
 * unused, to be submitted after the upgrade.
 */
async function populatedFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, banks, users } = base;
  const domain = await domainOf(tenge);
  const validBefore = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0) + 30n * 86_400n;

  await (await tenge.connect(users.alice).approve(users.relayer, kzt("300"))).wait();
  const permit = {
    owner: users.alice.address,
    spender: users.bob.address,
    value: kzt("50"),
    nonce: 0n,
    deadline: validBefore,
  };
  const permitSig = await signPermit(users.alice, domain, permit);
  await (
    await tenge.connect(users.relayer).getFunction(PERMIT_VRS)(...permitArgs("v, r, s", permit, permitSig))
  ).wait();

  const used = {
    from: users.alice.address,
    to: users.bob.address,
    value: kzt("25"),
    validAfter: 0n,
    validBefore,
    nonce: randomNonce(),
  };
  const usedSig = await signAuthorization(users.alice, domain, used);
  await (
    await tenge.connect(users.relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", used, usedSig))
  ).wait();

  const cancelledNonce = randomNonce();
  const cancelSig = await signCancellation(users.carol, domain, {
    authorizer: users.carol.address,
    nonce: cancelledNonce,
  });
  await (
    await tenge.connect(users.relayer).getFunction(CANCEL_VRS)(
      users.carol.address,
      cancelledNonce,
      cancelSig.v,
      cancelSig.r,
      cancelSig.s,
    )
  ).wait();

  const pending = { ...used, to: users.merchant.address, value: kzt("10"), nonce: randomNonce() };
  const pendingSig = await signAuthorization(users.alice, domain, pending);

  await (await tenge.connect(roles.compliance).freezeAmount(users.bob, kzt("100"), id("order-1"))).wait();
  await (await tenge.connect(roles.compliance).freeze(users.carol, id("order-2"))).wait();
  await (await tenge.connect(users.alice).transfer(users.treasury, kzt("500"))).wait();
  await (await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankB, kzt("750000"))).wait();
  await (await tenge.connect(roles.desk).setBankSuspended(banks.bankB, true)).wait();

  return {
    ...base,
    nonces: {
      used: used.nonce,
      usedAuthorization: { authorization: used, signature: usedSig },
      cancelled: cancelledNonce,
    },
    pending: { authorization: pending, signature: pendingSig },
  };
}

type PopulatedFixture = Awaited<ReturnType<typeof populatedFixture>>;

/** The views {readState} reads; both DigitalTenge and DigitalTengeV2Mock have them. */
type TengeViews = Pick<
  DigitalTenge,
  | "accountOf"
  | "allowance"
  | "balanceOf"
  | "bankById"
  | "bankCount"
  | "bankOf"
  | "hasRole"
  | "nonces"
  | "paused"
  | "tierLimits"
  | "totalSupply"
>;

/** Everything the token stores, read through its views, as plain values. */
async function readState(tenge: TengeViews, ctx: TengeFixture | PopulatedFixture) {
  const { roles, banks, users } = ctx;
  const everyone: Record<string, AddressLike> = { ...roles, ...banks, ...users };
  const accounts: Record<string, unknown[]> = {};
  const balances: Record<string, bigint> = {};
  for (const [label, account] of Object.entries(everyone)) {
    accounts[label] = [...(await tenge.accountOf(account))];
    balances[label] = await tenge.balanceOf(account);
  }
  const roleHolders: Record<string, boolean> = {};
  for (const role of ROLES) {
    for (const [label, account] of Object.entries(everyone)) {
      roleHolders[`${role}:${label}`] = await tenge.hasRole(roleId(role), account);
    }
  }
  const tiers: unknown[][] = [];
  for (let tier = 0; tier < 4; tier++) tiers.push([...(await tenge.tierLimits(tier))]);
  return {
    totalSupply: await tenge.totalSupply(),
    balances,
    accounts,
    roleHolders,
    banks: {
      count: await tenge.bankCount(),
      byId: [await tenge.bankById(1), await tenge.bankById(2)],
      bankA: [...(await tenge.bankOf(banks.bankA))],
      bankB: [...(await tenge.bankOf(banks.bankB))],
    },
    tiers,
    allowances: {
      aliceRelayer: await tenge.allowance(users.alice, users.relayer),
      aliceBob: await tenge.allowance(users.alice, users.bob),
    },
    permitNonces: { alice: await tenge.nonces(users.alice), bob: await tenge.nonces(users.bob) },
    paused: await tenge.paused(),
  };
}

/** The populated token upgraded to DigitalTengeV2Mock by the central bank's governance through the OZ plugin. */
async function upgradedFixture() {
  const ctx = await loadFixture(populatedFixture);
  const proxy = await ctx.tenge.getAddress();
  const before = await readState(ctx.tenge, ctx);
  const implementationBefore = await upgrades.erc1967.getImplementationAddress(proxy);
  const factory = await ethers.getContractFactory("DigitalTengeV2Mock", ctx.roles.centralBank);
  await (await upgrades.upgradeProxy(proxy, factory, await upgradeOptions(ctx.tenge))).waitForDeployment();
  const v2 = await ethers.getContractAt("DigitalTengeV2Mock", proxy);
  return { ...ctx, proxy, before, implementationBefore, v2 };
}

describe("DigitalTenge upgrades", function () {
  describe("upgradeProxy to DigitalTengeV2Mock by the central bank admin", function () {
    it("keeps the proxy address and points it at a new implementation", async function () {
      const { v2, proxy, implementationBefore } = await loadFixture(upgradedFixture);
      expect(await v2.getAddress()).to.equal(proxy);
      expect(await upgrades.erc1967.getImplementationAddress(proxy)).to.not.equal(implementationBefore);
    });

    it("returns 2 from implementationVersion()", async function () {
      const { v2 } = await loadFixture(upgradedFixture);
      expect(await v2.implementationVersion()).to.equal(2n);
    });

    it("keeps every balance", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).balances).to.deep.equal(before.balances);
    });

    it("keeps the total supply", async function () {
      const { v2, before } = await loadFixture(upgradedFixture);
      expect(await v2.totalSupply()).to.equal(before.totalSupply);
      expect(before.totalSupply).to.equal(kzt("17000"));
    });

    it("keeps every role assignment", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).roleHolders).to.deep.equal(before.roleHolders);
    });

    it("keeps the bank records and the bank registry", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).banks).to.deep.equal(before.banks);
    });

    it("keeps the tier limits", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).tiers).to.deep.equal(before.tiers);
    });

    it("keeps every wallet's record: onboarding, tier, bank, freezes, exemption, outflow today", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).accounts).to.deep.equal(before.accounts);
    });

    it("keeps allowances, both approved and permitted", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).allowances).to.deep.equal(before.allowances);
      expect(before.allowances).to.deep.equal({ aliceRelayer: kzt("300"), aliceBob: kzt("50") });
    });

    it("keeps permit nonces", async function () {
      const { v2, before, ...ctx } = await loadFixture(upgradedFixture);
      expect((await readState(v2, ctx)).permitNonces).to.deep.equal(before.permitNonces);
      expect(before.permitNonces.alice).to.equal(1n);
    });

    it("keeps used and cancelled EIP-3009 nonces spent", async function () {
      const { v2, users, nonces } = await loadFixture(upgradedFixture);
      expect(await v2.authorizationState(users.alice, nonces.used)).to.equal(true);
      expect(await v2.authorizationState(users.carol, nonces.cancelled)).to.equal(true);
    });

    it("still refuses a used authorization with SignedTransfersNonceUsed(authorizer, nonce)", async function () {
      const { v2, users, nonces } = await loadFixture(upgradedFixture);
      const { authorization: a, signature: s } = nonces.usedAuthorization;
      await expect(v2.connect(users.relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", a, s)))
        .to.be.revertedWithCustomError(v2, "SignedTransfersNonceUsed")
        .withArgs(users.alice.address, a.nonce);
    });

    it("keeps the EIP-712 domain, so an authorization signed before the upgrade is accepted after it", async function () {
      const { v2, users, pending } = await loadFixture(upgradedFixture);
      const { authorization: a, signature: s } = pending;
      await expect(
        v2.connect(users.relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", a, s)),
      ).to.changeTokenBalances(v2, [users.alice, users.merchant], [-kzt("10"), kzt("10")]);
    });

    it("keeps enforcing the rules: a frozen wallet still cannot pay", async function () {
      const { v2, users } = await loadFixture(upgradedFixture);
      await expect(v2.connect(users.carol).transfer(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(v2, "DigitalTengeAccountFrozen")
        .withArgs(users.carol.address);
    });
  });

  describe("authorisation of upgrades", function () {
    for (const who of ["outsider", "desk", "bankA"] as const) {
      it(`reverts upgradeToAndCall from the ${who} with AccessControlUnauthorizedAccount(caller, DEFAULT_ADMIN_ROLE)`, async function () {
        const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
        const caller = who === "outsider" ? users.outsider : who === "desk" ? roles.desk : banks.bankA;
        const implementation = await ethers.deployContract("DigitalTengeV2Mock", await v2Args(tenge));
        await expect(tenge.connect(caller).upgradeToAndCall(implementation, "0x"))
          .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
          .withArgs(caller.address, ZeroHash);
      });
    }

    it("lets the central bank admin call upgradeToAndCall directly", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      const implementation = await ethers.deployContract("DigitalTengeV2Mock", await v2Args(tenge));
      await expect(tenge.connect(roles.centralBank).upgradeToAndCall(implementation, "0x"))
        .to.emit(tenge, "Upgraded")
        .withArgs(await implementation.getAddress());
    });

    it("reverts upgradeToAndCall called on the implementation itself with UUPSUnauthorizedCallContext", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      const implementationAddress = await upgrades.erc1967.getImplementationAddress(await tenge.getAddress());
      const implementation = await ethers.getContractAt("DigitalTenge", implementationAddress);
      const next = await ethers.deployContract("DigitalTengeV2Mock", await v2Args(tenge));
      await expect(implementation.connect(roles.centralBank).upgradeToAndCall(next, "0x"))
        .to.be.revertedWithCustomError(implementation, "UUPSUnauthorizedCallContext")
        .withArgs();
    });
  });

  describe("initialization", function () {
    it("reverts initialize on the live implementation contract with InvalidInitialization", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const implementationAddress = await upgrades.erc1967.getImplementationAddress(await tenge.getAddress());
      const implementation = await ethers.getContractAt("DigitalTenge", implementationAddress);
      await expect(implementation.connect(users.outsider).initialize(users.outsider))
        .to.be.revertedWithCustomError(implementation, "InvalidInitialization")
        .withArgs();
    });

    it("reverts initialize on a freshly deployed V2 implementation with InvalidInitialization", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const implementation = await ethers.deployContract("DigitalTengeV2Mock", await v2Args(tenge));
      await expect(implementation.connect(users.outsider).initialize(users.outsider))
        .to.be.revertedWithCustomError(implementation, "InvalidInitialization")
        .withArgs();
    });

    it("reverts a second initialize on the proxy with InvalidInitialization", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.outsider).initialize(users.outsider))
        .to.be.revertedWithCustomError(tenge, "InvalidInitialization")
        .withArgs();
    });

    it("reverts initialize on the proxy after the upgrade with InvalidInitialization", async function () {
      const { v2, users } = await loadFixture(upgradedFixture);
      await expect(v2.connect(users.outsider).initialize(users.outsider))
        .to.be.revertedWithCustomError(v2, "InvalidInitialization")
        .withArgs();
    });
  });

  describe("OpenZeppelin upgrade validation", function () {
    it("passes validateUpgrade from the deployed proxy to DigitalTengeV2Mock", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      const factory = await ethers.getContractFactory("DigitalTengeV2Mock");
      expect(await upgrades.validateUpgrade(await tenge.getAddress(), factory, await upgradeOptions(tenge))).to.equal(
        undefined,
      );
    });

    it("passes validateImplementation for DigitalTengeV2Mock", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      const factory = await ethers.getContractFactory("DigitalTengeV2Mock");
      expect(await upgrades.validateImplementation(factory, await upgradeOptions(tenge))).to.equal(undefined);
    });
  });

  describe("re-running the deploy scripts", function () {
    it("keeps the recorded DigitalTenge address", async function () {
      const { tenge, records } = await loadFixture(tengeFixture);
      await restoreDeploymentRecords(records);
      await hre.deployments.run(["tenge"], { resetMemory: false });
      expect((await hre.deployments.get("DigitalTenge")).address).to.equal(await tenge.getAddress());
    });

    it("sends no transaction when the implementation's code is unchanged", async function () {
      const { records } = await loadFixture(tengeFixture);
      await restoreDeploymentRecords(records);
      const blockBefore = await ethers.provider.getBlockNumber();
      await hre.deployments.run(["tenge"], { resetMemory: false });
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("keeps the implementation when the code is unchanged", async function () {
      const { tenge, records } = await loadFixture(tengeFixture);
      await restoreDeploymentRecords(records);
      const proxy = await tenge.getAddress();
      const implementationBefore = await upgrades.erc1967.getImplementationAddress(proxy);
      await hre.deployments.run(["tenge"], { resetMemory: false });
      expect(await upgrades.erc1967.getImplementationAddress(proxy)).to.equal(implementationBefore);
    });

    it("upgrades in place, keeping the address and the state, when the recorded code hash differs", async function () {
      const ctx = await loadFixture(tengeFixture);
      await restoreDeploymentRecords(ctx.records);
      const proxy = await ctx.tenge.getAddress();
      const before = await readState(ctx.tenge, ctx);
      const record = await hre.deployments.get("DigitalTenge");
      const implementation = await upgrades.erc1967.getImplementationAddress(proxy);
      const blockBefore = await ethers.provider.getBlockNumber();
      await hre.deployments.save("DigitalTenge", { ...record, solcInputHash: keccak256("0x00") });
      await hre.deployments.run(["tenge"], { resetMemory: false });
      const upgradeEvents = await ctx.tenge.queryFilter(ctx.tenge.filters.Upgraded(), blockBefore + 1);
      expect(upgradeEvents.map((event) => event.args.implementation)).to.deep.equal([getAddress(implementation)]);
      const after = await hre.deployments.get("DigitalTenge");
      expect(getAddress(after.address)).to.equal(proxy);
      expect(after.solcInputHash).to.equal(
        implementationHash(
          (await hre.deployments.getArtifact("DigitalTenge")).deployedBytecode,
          ["string", "string", "address", "address"],
          [
            await ctx.tenge.name(),
            await ctx.tenge.symbol(),
            await ctx.tenge.adminModule(),
            await ctx.tenge.offlineModule(),
          ],
        ),
      );
      expect(await readState(ctx.tenge, ctx)).to.deep.equal(before);
    });

    it("drops, on the in-process chain, records of contracts the chain no longer has, and deploys afresh", async function () {
      const { records } = await loadFixture(tengeFixture);
      await restoreDeploymentRecords(records);
      const ghost = Wallet.createRandom().address; // no code there
      await hre.deployments.save("DigitalTenge", { ...records.DigitalTenge, address: ghost });
      await hre.deployments.save("TengeAdmin", { ...records.TengeAdmin, address: ghost });
      try {
        await hre.deployments.run(["tenge"], { resetMemory: false });
        for (const name of ["DigitalTenge", "TengeAdmin"]) {
          const { address } = await hre.deployments.get(name);
          expect(address, name).not.to.equal(ghost);
          expect(await ethers.provider.getCode(address), name).not.to.equal("0x");
        }
      } finally {
        // The fresh deployment is reverted with the next fixture: later suites read the fixture's records.
        await restoreDeploymentRecords(records);
      }
    });

    it("refuses, on a node's chain, records of contracts it does not have, in one line, before sending anything", async function () {
      const ghost = Wallet.createRandom().address;
      const present = await (await loadFixture(tengeFixture)).tenge.getAddress();
      const deleted: string[] = [];
      const node = {
        network: { name: "anvil" },
        ethers: { provider: ethers.provider },
        deployments: {
          all: () => Promise.resolve({ DigitalTenge: { address: present }, GoldToken: { address: ghost } }),
          delete: (name: string) => Promise.resolve(void deleted.push(name)),
          log: () => undefined,
        },
      } as unknown as HardhatRuntimeEnvironment;
      await expect(dropOrRefuseStaleRecords(node)).to.be.rejectedWith(
        /^deployments\/anvil\/ records GoldToken at addresses with no code on this chain \(was the node restarted\?\): delete deployments\/anvil\/ and run again$/,
      );
      expect(deleted).to.deep.equal([]);
    });
  });
});
