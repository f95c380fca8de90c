import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import { AbiCoder, ZeroAddress, concat, getAddress, keccak256 } from "ethers";
import type { TengeStablecoin, TengeStablecoinV2Mock } from "../../typechain-types";
import deployStablecoin from "../../deploy/003_stablecoin";
import {
  PERMIT_VRS,
  TRANSFER_VRS,
  domainOf,
  randomNonce,
  signAuthorization,
  signPermit,
} from "../../scripts/lib/eip712";
import {
  STABLECOIN_ROLES,
  expectReservesHeld,
  kzt,
  roleId,
  stablecoinFixture,
  type StablecoinFixture,
} from "../fixtures/stablecoin.fixture";

const NAME = "Tenge Stablecoin";
const SYMBOL = "KZTS";

async function upgradeOptions(coin: TengeStablecoin) {
  return { kind: "uups" as const, constructorArgs: [await coin.underlying(), NAME, SYMBOL] };
}

/**
 * The base fixture with state in every field an upgrade could lose: an allowance, a consumed permit nonce, a used
 * EIP-3009 nonce, a blacklisted account, 25 KZT of surplus tenge and the pause.
 */
async function populatedFixture() {
  const base = await loadFixture(stablecoinFixture);
  const { tenge, coin, roles, users } = base;
  const domain = await domainOf(coin);
  const deadline = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0) + 86_400n;
  await (await coin.connect(users.alice).approve(users.relayer, kzt("300"))).wait();
  const permit = { owner: users.bob.address, spender: users.carol.address, value: kzt("50"), nonce: 0n, deadline };
  const ps = await signPermit(users.bob, domain, permit);
  await (
    await coin.connect(users.relayer).getFunction(PERMIT_VRS)(
      permit.owner,
      permit.spender,
      permit.value,
      deadline,
      ps.v,
      ps.r,
      ps.s,
    )
  ).wait();
  const auth = {
    from: users.alice.address,
    to: users.outsider.address,
    value: kzt("25"),
    validAfter: 0n,
    validBefore: deadline,
    nonce: randomNonce(),
  };
  const as = await signAuthorization(users.alice, domain, auth);
  await (
    await coin.connect(users.relayer).getFunction(TRANSFER_VRS)(
      auth.from,
      auth.to,
      auth.value,
      0n,
      deadline,
      auth.nonce,
      as.v,
      as.r,
      as.s,
    )
  ).wait();
  await (await coin.connect(roles.compliance).blacklist(users.outsider)).wait();
  await (await tenge.connect(users.carol).transfer(coin, kzt("25"))).wait();
  await (await coin.connect(roles.pauser).pause()).wait();
  return { ...base, usedNonce: auth.nonce };
}

type Populated = Awaited<ReturnType<typeof populatedFixture>>;

/** Everything an upgrade must keep, read through the public API. */
async function readState(coin: TengeStablecoin, ctx: Populated | StablecoinFixture) {
  const { users, roles } = ctx;
  const holders = [users.alice, users.bob, users.carol, users.outsider];
  const roleHolders = [roles.centralBank, roles.desk, roles.pauser, roles.compliance];
  return {
    name: await coin.name(),
    symbol: await coin.symbol(),
    decimals: await coin.decimals(),
    underlying: await coin.underlying(),
    reserves: await coin.reserves(),
    surplus: await coin.surplus(),
    paused: await coin.paused(),
    balances: await Promise.all(holders.map((h) => coin.balanceOf(h))),
    blacklisted: await Promise.all(holders.map((h) => coin.isBlacklisted(h))),
    allowance: await coin.allowance(users.alice, users.relayer),
    permitAllowance: await coin.allowance(users.bob, users.carol),
    nonces: await Promise.all(holders.map((h) => coin.nonces(h))),
    usedNonce: "usedNonce" in ctx ? await coin.authorizationState(users.alice, ctx.usedNonce) : false,
    roles: await Promise.all(
      roleHolders.flatMap((holder) => STABLECOIN_ROLES.map((role) => coin.hasRole(roleId(role), holder))),
    ),
    domain: await domainOf(coin),
  };
}

async function upgradeToV2(ctx: Populated): Promise<TengeStablecoinV2Mock> {
  const factory = await ethers.getContractFactory("TengeStablecoinV2Mock", ctx.roles.centralBank);
  const upgraded = await upgrades.upgradeProxy(await ctx.coin.getAddress(), factory, await upgradeOptions(ctx.coin));
  await upgraded.waitForDeployment();
  return ethers.getContractAt("TengeStablecoinV2Mock", await upgraded.getAddress());
}

/** The deploy script's code hash: the compiled implementation plus its constructor arguments. */
async function deployedCodeHash(coin: TengeStablecoin): Promise<string> {
  const args = AbiCoder.defaultAbiCoder().encode(
    ["address", "string", "string"],
    [await coin.underlying(), NAME, SYMBOL],
  );
  return keccak256(concat([(await hre.deployments.getArtifact("TengeStablecoin")).deployedBytecode, args]));
}

describe("TengeStablecoin upgrades", function () {
  afterEach(expectReservesHeld);

  describe("by the central bank's admin", function () {
    it("runs the new implementation behind the same proxy", async function () {
      const ctx = await loadFixture(populatedFixture);
      const v2 = await upgradeToV2(ctx);
      expect(await v2.implementationVersion()).to.equal(2n);
    });

    it("keeps balances, reserves, flags, allowances, nonces, roles, the pause and the domain", async function () {
      const ctx = await loadFixture(populatedFixture);
      const before = await readState(ctx.coin, ctx);
      await upgradeToV2(ctx);
      expect(await readState(ctx.coin, ctx)).to.deep.equal(before);
    });

    it("keeps deposits and withdrawals working after the upgrade", async function () {
      const ctx = await loadFixture(populatedFixture);
      await upgradeToV2(ctx);
      await ctx.coin.connect(ctx.roles.pauser).unpause();
      await expect(ctx.coin.connect(ctx.users.alice).withdraw(kzt("100"), ctx.users.alice)).to.changeTokenBalance(
        ctx.tenge,
        ctx.users.alice,
        kzt("100"),
      );
    });
  });

  describe("refusals", function () {
    it("refuses an upgrade by anyone without DEFAULT_ADMIN_ROLE: AccessControlUnauthorizedAccount", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      const implementation = await upgrades.erc1967.getImplementationAddress(await coin.getAddress());
      await expect(coin.connect(roles.desk).upgradeToAndCall(implementation, "0x"))
        .to.be.revertedWithCustomError(coin, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, roleId("DEFAULT_ADMIN_ROLE"));
    });

    it("refuses to initialize the proxy twice: InvalidInitialization", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.outsider).initialize(users.outsider)).to.be.revertedWithCustomError(
        coin,
        "InvalidInitialization",
      );
    });

    it("refuses to initialize the implementation itself: InvalidInitialization", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      const implementation = await ethers.getContractAt(
        "TengeStablecoin",
        await upgrades.erc1967.getImplementationAddress(await coin.getAddress()),
      );
      await expect(implementation.connect(users.outsider).initialize(users.outsider)).to.be.revertedWithCustomError(
        coin,
        "InvalidInitialization",
      );
    });

    it("refuses a zero admin at initialization: TengeStablecoinZeroAddress", async function () {
      const { tenge, coin } = await loadFixture(stablecoinFixture);
      const factory = await ethers.getContractFactory("TengeStablecoin");
      await expect(
        upgrades.deployProxy(factory, [ZeroAddress], {
          kind: "uups",
          initializer: "initialize",
          constructorArgs: [await tenge.getAddress(), NAME, SYMBOL],
        }),
      ).to.be.revertedWithCustomError(coin, "TengeStablecoinZeroAddress");
    });
  });

  describe("OpenZeppelin upgrade validation", function () {
    it("passes validateUpgrade from the deployed proxy to TengeStablecoinV2Mock", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      const factory = await ethers.getContractFactory("TengeStablecoinV2Mock");
      expect(await upgrades.validateUpgrade(await coin.getAddress(), factory, await upgradeOptions(coin))).to.equal(
        undefined,
      );
    });
  });

  describe("re-running the deploy script", function () {
    it("keeps the recorded TengeStablecoin address", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      await deployStablecoin(hre);
      expect((await hre.deployments.get("TengeStablecoin")).address).to.equal(await coin.getAddress());
    });

    it("sends no transaction when nothing changed", async function () {
      await loadFixture(stablecoinFixture);
      const blockBefore = await ethers.provider.getBlockNumber();
      await deployStablecoin(hre);
      expect(await ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("re-grants a revoked operational role", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.centralBank).revokeRole(roleId("PAUSER_ROLE"), roles.pauser);
      await deployStablecoin(hre);
      expect(await coin.hasRole(roleId("PAUSER_ROLE"), roles.pauser)).to.equal(true);
    });

    it("restores the stablecoin's exemption in the tenge", async function () {
      const { tenge, coin, roles } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.desk).setExempt(coin, false);
      await deployStablecoin(hre);
      expect((await tenge.accountOf(coin)).exempt).to.equal(true);
    });

    it("upgrades in place, keeping the address and the state, when the recorded code hash differs", async function () {
      const ctx = await loadFixture(stablecoinFixture);
      const proxy = await ctx.coin.getAddress();
      const before = await readState(ctx.coin, ctx);
      const record = await hre.deployments.get("TengeStablecoin");
      const implementation = await upgrades.erc1967.getImplementationAddress(proxy);
      const blockBefore = await ethers.provider.getBlockNumber();
      await hre.deployments.save("TengeStablecoin", { ...record, solcInputHash: keccak256("0x00") });
      await deployStablecoin(hre);
      const upgradeEvents = await ctx.coin.queryFilter(ctx.coin.filters.Upgraded(), blockBefore + 1);
      expect({
        upgraded: upgradeEvents.map((event) => event.args.implementation),
        address: getAddress((await hre.deployments.get("TengeStablecoin")).address),
        hash: (await hre.deployments.get("TengeStablecoin")).solcInputHash,
        state: await readState(ctx.coin, ctx),
      }).to.deep.equal({
        upgraded: [getAddress(implementation)],
        address: proxy,
        hash: await deployedCodeHash(ctx.coin),
        state: before,
      });
    });

    it("refuses to rewire a live stablecoin to another tenge", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      const record = await hre.deployments.get("DigitalTenge");
      const other = await ethers.deployContract("BaselineERC20");
      await hre.deployments.save("DigitalTenge", { ...record, address: await other.getAddress() });
      try {
        await expect(deployStablecoin(hre)).to.be.rejectedWith(
          `TengeStablecoin at ${await coin.getAddress()} wraps ${await coin.underlying()}, not the recorded DigitalTenge ${await other.getAddress()}`,
        );
      } finally {
        await hre.deployments.save("DigitalTenge", record);
      }
    });
  });
});
