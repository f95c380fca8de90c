import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ZeroAddress } from "ethers";
import { kzt } from "../fixtures/tenge.fixture";
import { PRICE, deployedGoldFixture, goldFixture, grams } from "../fixtures/gold.fixture";
import { withBackingInvariant } from "./helpers";

const MAX_AGE = 900n; // 15 minutes, scripts/lib/gold-config.ts
const MAX_MOVE_BPS = 500n;
const FEE_BPS = 50n;
const WEEK = 7n * 86_400n;

/** Publishes `price` observed `ago` seconds before the next block, which is mined `ago` seconds later. */
async function publishAt(ctx: Awaited<ReturnType<typeof goldFixture>>, price: bigint, ago = 0n) {
  const now = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(now);
  return ctx.goldDesk.connect(ctx.goldRoles.oracle).publishPrice(price, now - ago);
}

describe("GoldDesk: oracle, configuration, inventory and pause", function () {
  const load = withBackingInvariant();

  describe("publishPrice", function () {
    it("publishes a price with its observation time and emits PricePublished", async function () {
      const ctx = await load(goldFixture);
      const { goldDesk, goldRoles } = ctx;
      const now = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(now);
      await expect(goldDesk.connect(goldRoles.oracle).publishPrice(kzt("52100"), now - 5n))
        .to.emit(goldDesk, "PricePublished")
        .withArgs(goldRoles.oracle.address, kzt("52100"), now - 5n, PRICE);
      const price = await goldDesk.price();
      expect(price.priceTiynPerGram).to.equal(kzt("52100"));
      expect(price.publishedAt).to.equal(now - 5n);
      expect(price.age).to.equal(5n);
      expect(price.fresh).to.equal(true);
    });

    it("accepts the first price at any level (no previous price to bound the move)", async function () {
      const { goldDesk, goldRoles } = await load(deployedGoldFixture);
      expect((await goldDesk.price()).fresh).to.equal(false);
      const now = BigInt(await time.latest());
      await expect(goldDesk.connect(goldRoles.oracle).publishPrice(1n, now))
        .to.emit(goldDesk, "PricePublished")
        .withArgs(goldRoles.oracle.address, 1n, now, 0n);
    });

    it("accepts a move of exactly maxMoveBps either way", async function () {
      const ctx = await load(goldFixture);
      const up = (PRICE * (10_000n + MAX_MOVE_BPS)) / 10_000n;
      await expect(publishAt(ctx, up)).to.emit(ctx.goldDesk, "PricePublished");
      const down = (up * (10_000n - MAX_MOVE_BPS)) / 10_000n;
      await expect(publishAt(ctx, down)).to.emit(ctx.goldDesk, "PricePublished");
    });

    it("reverts with GoldDeskPriceMoveTooLarge one tiyn beyond the bound, up or down", async function () {
      const ctx = await load(goldFixture);
      const up = (PRICE * (10_000n + MAX_MOVE_BPS)) / 10_000n + 1n;
      await expect(publishAt(ctx, up))
        .to.be.revertedWithCustomError(ctx.goldDesk, "GoldDeskPriceMoveTooLarge")
        .withArgs(PRICE, up, MAX_MOVE_BPS);
      const down = (PRICE * (10_000n - MAX_MOVE_BPS)) / 10_000n - 1n;
      await expect(publishAt(ctx, down))
        .to.be.revertedWithCustomError(ctx.goldDesk, "GoldDeskPriceMoveTooLarge")
        .withArgs(PRICE, down, MAX_MOVE_BPS);
    });

    it("publishes a market gap once the manager raises the bound", async function () {
      const ctx = await load(goldFixture);
      await ctx.goldDesk.connect(ctx.goldRoles.manager).setConfig(MAX_AGE, 2_000n, FEE_BPS);
      await expect(publishAt(ctx, (PRICE * 12n) / 10n)).to.emit(ctx.goldDesk, "PricePublished");
    });

    for (const price of [0n, 2n ** 64n]) {
      it(`reverts with GoldDeskInvalidPrice for ${price}`, async function () {
        const ctx = await load(goldFixture);
        await expect(publishAt(ctx, price))
          .to.be.revertedWithCustomError(ctx.goldDesk, "GoldDeskInvalidPrice")
          .withArgs(price);
      });
    }

    it("reverts with GoldDeskPriceFromFuture for an observation after the block", async function () {
      const { goldDesk, goldRoles } = await load(goldFixture);
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(goldDesk.connect(goldRoles.oracle).publishPrice(PRICE, now + 1n))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskPriceFromFuture")
        .withArgs(now + 1n, now);
    });

    it("reverts with GoldDeskPriceNotNewer for an observation not after the price in force", async function () {
      const { goldDesk, goldRoles } = await load(goldFixture);
      const last = (await goldDesk.price()).publishedAt;
      await expect(goldDesk.connect(goldRoles.oracle).publishPrice(PRICE, last))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskPriceNotNewer")
        .withArgs(last, last);
    });

    it("reverts with GoldDeskStalePrice for an observation older than maxPriceAge", async function () {
      const ctx = await load(goldFixture);
      await time.increase(3_600);
      await expect(publishAt(ctx, PRICE, MAX_AGE)).to.emit(ctx.goldDesk, "PricePublished");
      await time.increase(3_600);
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(ctx.goldDesk.connect(ctx.goldRoles.oracle).publishPrice(PRICE, now - MAX_AGE - 1n))
        .to.be.revertedWithCustomError(ctx.goldDesk, "GoldDeskStalePrice")
        .withArgs(now - MAX_AGE - 1n, MAX_AGE + 1n, MAX_AGE);
    });

    it("goes on while trading is paused", async function () {
      const ctx = await load(goldFixture);
      await ctx.goldDesk.connect(ctx.roles.pauser).pause();
      await expect(publishAt(ctx, PRICE + 1n)).to.emit(ctx.goldDesk, "PricePublished");
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without ORACLE_ROLE", async function () {
      const { goldDesk, goldRoles } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).publishPrice(PRICE, await time.latest()))
        .to.be.revertedWithCustomError(goldDesk, "AccessControlUnauthorizedAccount")
        .withArgs(goldRoles.manager.address, await goldDesk.ORACLE_ROLE());
    });
  });

  describe("price", function () {
    it("is fresh up to maxPriceAge and stale after", async function () {
      const { goldDesk } = await load(goldFixture);
      const publishedAt = (await goldDesk.price()).publishedAt;
      await time.increaseTo(publishedAt + MAX_AGE);
      expect((await goldDesk.price()).fresh).to.equal(true);
      await time.increaseTo(publishedAt + MAX_AGE + 1n);
      const price = await goldDesk.price();
      expect(price.fresh).to.equal(false);
      expect(price.age).to.equal(MAX_AGE + 1n);
    });
  });

  describe("setConfig", function () {
    it("sets the bounds and the fee and emits DeskConfigSet", async function () {
      const { goldDesk, goldRoles } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).setConfig(WEEK, 10_000n, 1_000n))
        .to.emit(goldDesk, "DeskConfigSet")
        .withArgs(WEEK, 10_000n, 1_000n);
      const config = await goldDesk.config();
      expect([config.maxPriceAge, config.maxMoveBps, config.feeBps]).to.deep.equal([WEEK, 10_000n, 1_000n]);
      await goldDesk.connect(goldRoles.manager).setConfig(1n, 1n, 0n);
      expect((await goldDesk.config()).feeBps).to.equal(0n);
    });

    for (const [label, args] of [
      ["a zero max price age", [0n, MAX_MOVE_BPS, FEE_BPS]],
      ["a max price age above a week", [WEEK + 1n, MAX_MOVE_BPS, FEE_BPS]],
      ["a zero max move", [MAX_AGE, 0n, FEE_BPS]],
      ["a max move above 100%", [MAX_AGE, 10_001n, FEE_BPS]],
      ["a fee above 10%", [MAX_AGE, MAX_MOVE_BPS, 1_001n]],
    ] as const) {
      it(`reverts with GoldDeskInvalidConfig for ${label}`, async function () {
        const { goldDesk, goldRoles } = await load(goldFixture);
        await expect(goldDesk.connect(goldRoles.manager).setConfig(...args))
          .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidConfig")
          .withArgs(...args);
      });
    }

    it("reverts with AccessControlUnauthorizedAccount for a caller without MANAGER_ROLE", async function () {
      const { goldDesk, goldRoles } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.oracle).setConfig(MAX_AGE, MAX_MOVE_BPS, FEE_BPS))
        .to.be.revertedWithCustomError(goldDesk, "AccessControlUnauthorizedAccount")
        .withArgs(goldRoles.oracle.address, await goldDesk.MANAGER_ROLE());
    });
  });

  describe("setTreasury", function () {
    it("sets the fee treasury and emits TreasurySet", async function () {
      const { goldDesk, goldRoles, users } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).setTreasury(users.treasury))
        .to.emit(goldDesk, "TreasurySet")
        .withArgs(goldRoles.goldTreasury.address, users.treasury.address);
      expect((await goldDesk.config()).treasury).to.equal(users.treasury.address);
    });

    it("reverts with GoldDeskZeroAddress for the zero address", async function () {
      const { goldDesk, goldRoles } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).setTreasury(ZeroAddress)).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskZeroAddress",
      );
    });
  });

  describe("withdraw", function () {
    it("moves tenge inventory to a tenge participant with InventoryWithdrawn", async function () {
      const { goldDesk, tenge, goldRoles } = await load(goldFixture);
      const tx = goldDesk.connect(goldRoles.manager).withdraw(tenge, goldRoles.goldTreasury, kzt("1000"));
      await expect(tx).to.changeTokenBalances(tenge, [goldDesk, goldRoles.goldTreasury], [-kzt("1000"), kzt("1000")]);
      await expect(tx)
        .to.emit(goldDesk, "InventoryWithdrawn")
        .withArgs(await tenge.getAddress(), goldRoles.goldTreasury.address, kzt("1000"));
    });

    it("moves gold inventory to a gold participant", async function () {
      const { goldDesk, gold, goldRoles } = await load(goldFixture);
      await expect(
        goldDesk.connect(goldRoles.manager).withdraw(gold, goldRoles.custodian, grams("1")),
      ).to.changeTokenBalances(gold, [goldDesk, goldRoles.custodian], [-grams("1"), grams("1")]);
    });

    it("reverts with GoldDeskUnknownAsset for another token", async function () {
      const { goldDesk, goldRoles, users } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).withdraw(users.alice, users.alice, 1n))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskUnknownAsset")
        .withArgs(users.alice.address);
    });

    it("reverts with GoldDeskZeroAddress for a zero recipient and GoldDeskInvalidAmount for zero", async function () {
      const { goldDesk, gold, goldRoles } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).withdraw(gold, ZeroAddress, 1n)).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskZeroAddress",
      );
      await expect(goldDesk.connect(goldRoles.manager).withdraw(gold, goldRoles.custodian, 0n))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidAmount")
        .withArgs(0n);
    });

    it("reverts with the token's own error when the recipient may not hold it", async function () {
      const { goldDesk, gold, goldRoles, users } = await load(goldFixture);
      await expect(goldDesk.connect(goldRoles.manager).withdraw(gold, users.outsider, 1n))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.outsider.address);
    });
  });

  describe("pause and unpause", function () {
    it("halts and resumes trading with TradingPaused and TradingUnpaused", async function () {
      const { goldDesk, roles } = await load(goldFixture);
      await expect(goldDesk.connect(roles.pauser).pause())
        .to.emit(goldDesk, "TradingPaused")
        .withArgs(roles.pauser.address);
      expect((await goldDesk.config()).paused).to.equal(true);
      await expect(goldDesk.connect(roles.pauser).unpause())
        .to.emit(goldDesk, "TradingUnpaused")
        .withArgs(roles.pauser.address);
      expect((await goldDesk.config()).paused).to.equal(false);
    });

    it("reverts with GoldDeskTradingPaused when paused already and GoldDeskTradingNotPaused when not paused", async function () {
      const { goldDesk, roles } = await load(goldFixture);
      await expect(goldDesk.connect(roles.pauser).unpause()).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskTradingNotPaused",
      );
      await goldDesk.connect(roles.pauser).pause();
      await expect(goldDesk.connect(roles.pauser).pause()).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskTradingPaused",
      );
    });
  });

  describe("views", function () {
    it("names its tokens and its configuration", async function () {
      const { goldDesk, gold, tenge, goldRoles } = await load(goldFixture);
      expect(await goldDesk.tenge()).to.equal(await tenge.getAddress());
      expect(await goldDesk.gold()).to.equal(await gold.getAddress());
      const config = await goldDesk.config();
      expect(config.treasury).to.equal(goldRoles.goldTreasury.address);
      expect([config.maxPriceAge, config.maxMoveBps, config.feeBps, config.paused]).to.deep.equal([
        MAX_AGE,
        MAX_MOVE_BPS,
        FEE_BPS,
        false,
      ]);
    });

    it("quotes buys rounded up and sales rounded down, the fee rounded up", async function () {
      const ctx = await load(goldFixture);
      await publishAt(ctx, PRICE + 1n); // 5,200,001 tiyn per gram
      // 1 mg: cost ⌈5,200.001⌉ = 5,201, fee ⌈5,201 × 0.005⌉ = ⌈26.005⌉ = 27
      expect(await ctx.goldDesk.quoteBuy(1n)).to.deep.equal([5_201n, 27n, 5_228n]);
      // 1 mg: gross ⌊5,200.001⌋ = 5,200, fee ⌈26⌉ = 26, proceeds 5,174
      expect(await ctx.goldDesk.quoteSell(1n)).to.deep.equal([5_200n, 26n, 5_174n]);
    });
  });

  describe("construction", function () {
    it("refuses zero token addresses and bad initial arguments", async function () {
      const { goldDesk, gold, tenge, goldRoles, roles } = await load(goldFixture);
      const factory = await ethers.getContractFactory("GoldDesk");
      await expect(factory.deploy(ZeroAddress, gold)).to.be.revertedWithCustomError(goldDesk, "GoldDeskZeroAddress");
      await expect(factory.deploy(tenge, ZeroAddress)).to.be.revertedWithCustomError(goldDesk, "GoldDeskZeroAddress");
      const constructorArgs = [await tenge.getAddress(), await gold.getAddress()];
      const fresh = (await upgrades.deployProxy(factory, [], {
        kind: "uups",
        constructorArgs,
        initializer: false,
      })) as unknown as typeof goldDesk;
      const admin = roles.centralBank.address;
      const treasury = goldRoles.goldTreasury.address;
      await expect(
        fresh.initialize(ZeroAddress, treasury, MAX_AGE, MAX_MOVE_BPS, FEE_BPS),
      ).to.be.revertedWithCustomError(goldDesk, "GoldDeskZeroAddress");
      await expect(fresh.initialize(admin, ZeroAddress, MAX_AGE, MAX_MOVE_BPS, FEE_BPS)).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskZeroAddress",
      );
      await expect(fresh.initialize(admin, treasury, 0n, MAX_MOVE_BPS, FEE_BPS))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidConfig")
        .withArgs(0n, MAX_MOVE_BPS, FEE_BPS);
      await expect(fresh.initialize(admin, treasury, MAX_AGE, MAX_MOVE_BPS, FEE_BPS))
        .to.emit(fresh, "TreasurySet")
        .withArgs(ZeroAddress, treasury);
      await expect(fresh.initialize(admin, treasury, MAX_AGE, MAX_MOVE_BPS, FEE_BPS)).to.be.revertedWithCustomError(
        goldDesk,
        "InvalidInitialization",
      );
    });
  });
});
