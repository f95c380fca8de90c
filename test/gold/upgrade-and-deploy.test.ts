import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { encodeBytes32String, getAddress, id, keccak256 } from "ethers";
import type { GoldDesk, GoldToken } from "../../typechain-types";
import { PERMIT_VRS, domainOf, signPermit } from "../../scripts/lib/eip712";
import { goldConfig } from "../../scripts/lib/gold-config";
import { implementationHash } from "../../scripts/lib/deploy";
import { PRICE, deployedGoldFixture, goldFixture, serial } from "../fixtures/gold.fixture";
import { expectFullyBacked } from "./helpers";

const REASON = encodeBytes32String("COURT-2026-7");

/** Constructor arguments of a deployed proxy's implementation, as the deploy script recorded them. */
async function constructorArgs(name: "GoldToken" | "GoldDesk"): Promise<unknown[]> {
  return ((await hre.deployments.get(name)).args as unknown[] | undefined) ?? [];
}

/**
 * The gold fixture with state in every field an upgrade could lose: an allocated and a released bar, a gold
 * freeze, a withdrawn permission, an allowance and a permit nonce; on the desk a new price, configuration and
 * treasury and a pause.
 */
async function populatedFixture() {
  const base = await loadFixture(goldFixture);
  const { gold, goldDesk, tenge, goldRoles, roles, users } = base;
  await (await gold.connect(users.alice).redeemBar(serial("KZ-0002"))).wait();
  await (await gold.connect(goldRoles.custodian).removeBar(serial("KZ-0003"))).wait();
  await (await gold.connect(users.bob).transfer(users.carol, 995n)).wait();
  await (await gold.connect(roles.compliance).freeze(users.carol, REASON)).wait();
  await (await tenge.connect(roles.compliance).freeze(users.merchant, REASON)).wait();
  await (await gold.syncParticipant(users.merchant)).wait();
  await (await gold.connect(users.bob).approve(users.alice, 123n)).wait();
  const deadline = BigInt(await time.latest()) + 3_600n;
  const p = { owner: users.bob.address, spender: users.carol.address, value: 7n, nonce: 0n, deadline };
  const sig = await signPermit(users.bob, await domainOf(gold), p);
  await (await gold.getFunction(PERMIT_VRS)(p.owner, p.spender, p.value, deadline, sig.v, sig.r, sig.s)).wait();
  await (await goldDesk.connect(goldRoles.manager).setConfig(1_800n, 300n, 25n)).wait();
  await (await goldDesk.connect(goldRoles.manager).setTreasury(users.treasury)).wait();
  await (await goldDesk.connect(goldRoles.oracle).publishPrice(PRICE + 100n, await time.latest())).wait();
  await (await goldDesk.connect(roles.pauser).pause()).wait();
  return base;
}

type Ctx = Awaited<ReturnType<typeof populatedFixture>>;

async function readGold(gold: GoldToken, ctx: Ctx) {
  const everyone = { ...ctx.users, ...ctx.goldRoles, desk: ctx.goldDesk };
  const wallets: Record<string, unknown[]> = {};
  for (const [label, account] of Object.entries(everyone)) {
    wallets[label] = [
      await gold.balanceOf(account),
      await gold.isPermitted(account),
      await gold.isFrozen(account),
      await gold.nonces(account),
    ];
  }
  const roles: boolean[] = [];
  for (const role of ["CUSTODIAN_ROLE", "PAUSER_ROLE", "COMPLIANCE_ROLE"]) {
    for (const account of Object.values(everyone)) roles.push(await gold.hasRole(id(role), account));
  }
  return {
    backing: [...(await gold.backing())],
    bars: (await gold.barsPage(0, 100)).map((b) => [...b]),
    wallets,
    roles,
    admin: await gold.hasRole(ethers.ZeroHash, ctx.roles.centralBank),
    allowance: await gold.allowance(ctx.users.bob, ctx.users.alice),
    permitAllowance: await gold.allowance(ctx.users.bob, ctx.users.carol),
    paused: await gold.paused(),
  };
}

async function readDesk(desk: GoldDesk, ctx: Ctx) {
  const roles: boolean[] = [];
  for (const role of ["ORACLE_ROLE", "MANAGER_ROLE", "PAUSER_ROLE"]) {
    for (const account of [ctx.goldRoles.oracle, ctx.goldRoles.manager, ctx.roles.pauser, ctx.users.alice]) {
      roles.push(await desk.hasRole(id(role), account));
    }
  }
  const price = await desk.price(); // its age moves with the clock
  return { price: [price.priceTiynPerGram, price.publishedAt], config: [...(await desk.config())], roles };
}

async function upgradedFixture() {
  const ctx = await loadFixture(populatedFixture);
  const before = { gold: await readGold(ctx.gold, ctx), desk: await readDesk(ctx.goldDesk, ctx) };
  const admin = ctx.roles.centralBank;
  const goldFactory = await ethers.getContractFactory("GoldTokenV2Mock", admin);
  const deskFactory = await ethers.getContractFactory("GoldDeskV2Mock", admin);
  await upgrades.upgradeProxy(ctx.gold, goldFactory, {
    kind: "uups",
    constructorArgs: await constructorArgs("GoldToken"),
  });
  await upgrades.upgradeProxy(ctx.goldDesk, deskFactory, {
    kind: "uups",
    constructorArgs: await constructorArgs("GoldDesk"),
  });
  return {
    ...ctx,
    before,
    goldV2: await ethers.getContractAt("GoldTokenV2Mock", ctx.gold),
    deskV2: await ethers.getContractAt("GoldDeskV2Mock", ctx.goldDesk),
  };
}

describe("Gold upgrades and deployment", function () {
  describe("upgrading both proxies to V2 mocks by the central bank admin", function () {
    it("runs the new implementations", async function () {
      const { goldV2, deskV2 } = await loadFixture(upgradedFixture);
      expect(await goldV2.implementationVersion()).to.equal(2n);
      expect(await deskV2.implementationVersion()).to.equal(2n);
    });

    it("keeps every bar, balance, permission, freeze, nonce, allowance and role of the gold token", async function () {
      const ctx = await loadFixture(upgradedFixture);
      expect(await readGold(ctx.gold, ctx)).to.deep.equal(ctx.before.gold);
      await expectFullyBacked(ctx.gold);
    });

    it("keeps the desk's price, configuration, treasury, pause and roles", async function () {
      const ctx = await loadFixture(upgradedFixture);
      expect(await readDesk(ctx.goldDesk, ctx)).to.deep.equal(ctx.before.desk);
    });

    it("keeps working: a holder transfers and a bar is redeemed after the upgrade", async function () {
      const { gold, users } = await loadFixture(upgradedFixture);
      await expect(gold.connect(users.bob).transfer(users.alice, 5n)).to.changeTokenBalance(gold, users.alice, 5n);
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0004"))).to.be.revertedWithCustomError(
        gold,
        "ERC20InsufficientBalance",
      );
    });

    it("refuses an upgrade by anyone but DEFAULT_ADMIN_ROLE", async function () {
      const { gold, goldDesk, goldRoles } = await loadFixture(goldFixture);
      const goldImpl = await upgrades.erc1967.getImplementationAddress(await gold.getAddress());
      await expect(gold.connect(goldRoles.custodian).upgradeToAndCall(goldImpl, "0x"))
        .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
        .withArgs(goldRoles.custodian.address, ethers.ZeroHash);
      const deskImpl = await upgrades.erc1967.getImplementationAddress(await goldDesk.getAddress());
      await expect(goldDesk.connect(goldRoles.manager).upgradeToAndCall(deskImpl, "0x"))
        .to.be.revertedWithCustomError(goldDesk, "AccessControlUnauthorizedAccount")
        .withArgs(goldRoles.manager.address, ethers.ZeroHash);
    });

    it("refuses initialize on the live implementations", async function () {
      const { gold, goldDesk, users } = await loadFixture(goldFixture);
      const goldImpl = await ethers.getContractAt(
        "GoldToken",
        await upgrades.erc1967.getImplementationAddress(await gold.getAddress()),
      );
      await expect(goldImpl.initialize(users.outsider)).to.be.revertedWithCustomError(gold, "InvalidInitialization");
      const deskImpl = await ethers.getContractAt(
        "GoldDesk",
        await upgrades.erc1967.getImplementationAddress(await goldDesk.getAddress()),
      );
      await expect(deskImpl.initialize(users.outsider, users.outsider, 900n, 500n, 50n)).to.be.revertedWithCustomError(
        goldDesk,
        "InvalidInitialization",
      );
    });
  });

  describe("OpenZeppelin upgrade validation", function () {
    it("passes validateUpgrade from both deployed proxies to their V2 mocks", async function () {
      const { gold, goldDesk } = await loadFixture(deployedGoldFixture);
      const goldOptions = { kind: "uups" as const, constructorArgs: await constructorArgs("GoldToken") };
      const deskOptions = { kind: "uups" as const, constructorArgs: await constructorArgs("GoldDesk") };
      const goldV2 = await ethers.getContractFactory("GoldTokenV2Mock");
      const deskV2 = await ethers.getContractFactory("GoldDeskV2Mock");
      expect(await upgrades.validateUpgrade(await gold.getAddress(), goldV2, goldOptions)).to.equal(undefined);
      expect(await upgrades.validateUpgrade(await goldDesk.getAddress(), deskV2, deskOptions)).to.equal(undefined);
      expect(await upgrades.validateImplementation(goldV2, goldOptions)).to.equal(undefined);
      expect(await upgrades.validateImplementation(deskV2, deskOptions)).to.equal(undefined);
    });
  });

  describe("deploy/004_gold.ts", function () {
    it("records both proxies with their implementation's constructor arguments", async function () {
      const { gold, goldDesk, tenge } = await loadFixture(deployedGoldFixture);
      const cfg = goldConfig("hardhat");
      expect(await constructorArgs("GoldToken")).to.deep.equal([cfg.name, cfg.symbol, await tenge.getAddress()]);
      expect(await constructorArgs("GoldDesk")).to.deep.equal([await tenge.getAddress(), await gold.getAddress()]);
      expect(await goldDesk.gold()).to.equal(await gold.getAddress());
    });

    it("configures the desk from scripts/lib/gold-config.ts with the named treasury", async function () {
      const { goldDesk, goldRoles } = await loadFixture(deployedGoldFixture);
      const { desk } = goldConfig("hardhat");
      const config = await goldDesk.config();
      expect(config.treasury).to.equal(goldRoles.goldTreasury.address);
      expect([config.maxPriceAge, config.maxMoveBps, config.feeBps]).to.deep.equal(
        [desk.maxPriceAgeSeconds, desk.maxMoveBps, desk.feeBps].map(BigInt),
      );
      expect(config.paused).to.equal(false);
      expect((await goldDesk.price()).priceTiynPerGram).to.equal(0n);
    });

    it("onboards the desk, the treasury and the custodian as tenge institutions and permits them in gold", async function () {
      const { gold, goldDesk, tenge, goldRoles } = await loadFixture(deployedGoldFixture);
      for (const account of [goldDesk, goldRoles.goldTreasury, goldRoles.custodian]) {
        const state = await tenge.accountOf(account);
        expect(state.onboarded && state.exempt && state.bankId === 0n).to.equal(true);
        expect(await gold.isPermitted(account)).to.equal(true);
      }
      expect(await gold.totalSupply()).to.equal(0n);
    });

    it("sends nothing when re-run with the code unchanged", async function () {
      const { gold } = await loadFixture(deployedGoldFixture);
      const block = await ethers.provider.getBlockNumber();
      await hre.deployments.run(["gold"], { resetMemory: false });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect((await hre.deployments.get("GoldToken")).address).to.equal(await gold.getAddress());
    });

    it("upgrades in place when the recorded code hash differs, and restores drifted configuration", async function () {
      const ctx = await loadFixture(goldFixture);
      const { gold, goldDesk, goldRoles } = ctx;
      const record = await hre.deployments.get("GoldToken");
      const implementation = await upgrades.erc1967.getImplementationAddress(await gold.getAddress());
      const blockBefore = await ethers.provider.getBlockNumber();
      await hre.deployments.save("GoldToken", { ...record, solcInputHash: keccak256("0x00") });
      await goldDesk.connect(goldRoles.manager).setConfig(60n, 100n, 0n);
      await goldDesk.connect(goldRoles.manager).setTreasury(ctx.users.treasury);
      await hre.deployments.run(["gold"], { resetMemory: false });
      const upgraded = await gold.queryFilter(gold.filters.Upgraded(), blockBefore + 1);
      expect(upgraded.map((e) => e.args.implementation)).to.deep.equal([getAddress(implementation)]);
      expect((await hre.deployments.get("GoldToken")).solcInputHash).to.equal(
        implementationHash(
          (await hre.deployments.getArtifact("GoldToken")).deployedBytecode,
          ["string", "string", "address"],
          [await gold.name(), await gold.symbol(), await ctx.tenge.getAddress()],
        ),
      );
      const config = await goldDesk.config();
      expect(config.treasury).to.equal(goldRoles.goldTreasury.address);
      expect(config.feeBps).to.equal(50n);
      await expectFullyBacked(gold);
    });
  });
});
