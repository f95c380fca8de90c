import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { encodeBytes32String } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import { buyCost, encodeBuyOrder, sellProceeds } from "../../scripts/lib/gold";
import { kzt } from "../fixtures/tenge.fixture";
import { PRICE, deployedGoldFixture, goldFixture, grams } from "../fixtures/gold.fixture";
import type { GoldFixture } from "../fixtures/gold.fixture";
import { withBackingInvariant } from "./helpers";

const FEE_BPS = 50n;
const MAX_AGE = 900n;
const REASON = encodeBytes32String("COURT-2026-7");
const AND_CALL = "transferAndCall(address,uint256,bytes)";
const FROM_AND_CALL = "transferFromAndCall(address,address,uint256,bytes)";

async function deadline(seconds = 600n): Promise<bigint> {
  return BigInt(await time.latest()) + seconds;
}

/** Pays for `amountMg` through the tenge's transferAndCall, `value` tiyn, with the given order. */
async function payAndCall(
  ctx: GoldFixture,
  amountMg: bigint,
  value: bigint,
  maxPrice = PRICE,
  by = ctx.users.alice,
): Promise<ContractTransactionResponse> {
  return ctx.tenge.connect(by).getFunction(AND_CALL)(
    ctx.goldDesk,
    value,
    encodeBuyOrder(amountMg, maxPrice, await deadline()),
  );
}

/** The fixture with alice's tenge allowance to the desk for a 1.5 g purchase at the fixture's price. */
async function approvedFixture() {
  const base = await loadFixture(goldFixture);
  const { total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
  await (await base.tenge.connect(base.users.alice).approve(base.goldDesk, total)).wait();
  await (await base.gold.connect(base.users.alice).approve(base.goldDesk, grams("10"))).wait();
  return base;
}

describe("GoldDesk: trading", function () {
  const load = withBackingInvariant();

  describe("buy (tenge allowance)", function () {
    it("delivers the gold against the tenge in one transaction: cost to the desk, fee to the treasury", async function () {
      const ctx = await load(approvedFixture);
      const { goldDesk, tenge, gold, goldRoles, users } = ctx;
      const { cost, fee, total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      expect([cost, fee]).to.deep.equal([kzt("78000"), kzt("390")]);
      const tx = goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline());
      await expect(tx).to.changeTokenBalances(
        tenge,
        [users.alice, goldDesk, goldRoles.goldTreasury],
        [-total, cost, fee],
      );
      await expect(tx).to.changeTokenBalances(gold, [goldDesk, users.alice], [-grams("1.5"), grams("1.5")]);
      await expect(tx).to.emit(goldDesk, "GoldBought").withArgs(users.alice.address, grams("1.5"), PRICE, cost, fee);
    });

    it("returns the total paid", async function () {
      const { goldDesk, users } = await load(approvedFixture);
      const { total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      expect(await goldDesk.connect(users.alice).buy.staticCall(grams("1.5"), PRICE, await deadline())).to.equal(total);
    });

    it("rounds the cost and the fee up: 1 mg at 5,200,001 tiyn/g costs 5,201 + 27 tiyn", async function () {
      const ctx = await load(approvedFixture);
      const { goldDesk, tenge, goldRoles, users } = ctx;
      await goldDesk.connect(goldRoles.oracle).publishPrice(PRICE + 1n, await time.latest());
      const tx = goldDesk.connect(users.alice).buy(1n, PRICE + 1n, await deadline());
      await expect(tx).to.changeTokenBalances(
        tenge,
        [users.alice, goldDesk, goldRoles.goldTreasury],
        [-5_228n, 5_201n, 27n],
      );
      // exact: 5,200.001 × 1.005 = 5,226.001005 tiyn; the buyer paid more, never less
      expect(5_228n * 1_000n * 10_000n).to.be.gte(1n * (PRICE + 1n) * (10_000n + FEE_BPS));
    });

    it("sends no fee transfer when the fee is zero", async function () {
      const ctx = await load(approvedFixture);
      const { goldDesk, tenge, goldRoles, users } = ctx;
      await goldDesk.connect(goldRoles.manager).setConfig(MAX_AGE, 500n, 0n);
      const tx = goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline());
      await expect(tx).to.changeTokenBalances(tenge, [goldDesk, goldRoles.goldTreasury], [kzt("78000"), 0n]);
      await expect(tx)
        .to.emit(goldDesk, "GoldBought")
        .withArgs(users.alice.address, grams("1.5"), PRICE, kzt("78000"), 0n);
    });

    for (const amount of [0n, 2n ** 128n]) {
      it(`reverts with GoldDeskInvalidAmount for ${amount} mg`, async function () {
        const { goldDesk, users } = await load(approvedFixture);
        await expect(goldDesk.connect(users.alice).buy(amount, PRICE, await deadline()))
          .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidAmount")
          .withArgs(amount);
      });
    }

    it("reverts with GoldDeskDeadlinePassed after the deadline", async function () {
      const { goldDesk, users } = await load(approvedFixture);
      const now = BigInt(await time.latest()) + 1n;
      await time.setNextBlockTimestamp(now);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, now - 1n))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskDeadlinePassed")
        .withArgs(now - 1n, now);
    });

    it("reverts with GoldDeskPriceAboveLimit when the price is above the buyer's maximum", async function () {
      const { goldDesk, users } = await load(approvedFixture);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE - 1n, await deadline()))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskPriceAboveLimit")
        .withArgs(PRICE, PRICE - 1n);
    });

    it("reverts with GoldDeskStalePrice once the price is older than maxPriceAge", async function () {
      const { goldDesk, users } = await load(approvedFixture);
      const publishedAt = (await goldDesk.price()).publishedAt;
      await time.setNextBlockTimestamp(publishedAt + MAX_AGE + 1n);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, publishedAt + 10_000n))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskStalePrice")
        .withArgs(publishedAt, MAX_AGE + 1n, MAX_AGE);
    });

    it("reverts with GoldDeskNoPrice before the first price", async function () {
      const { goldDesk, users } = await load(deployedGoldFixture);
      await expect(goldDesk.connect(users.alice).buy(1n, PRICE, await deadline())).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskNoPrice",
      );
    });

    it("reverts with GoldDeskTradingPaused while trading is paused", async function () {
      const { goldDesk, roles, users } = await load(approvedFixture);
      await goldDesk.connect(roles.pauser).pause();
      await expect(
        goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline()),
      ).to.be.revertedWithCustomError(goldDesk, "GoldDeskTradingPaused");
    });

    it("reverts with the tenge's DigitalTengeInsufficientAllowance without an allowance", async function () {
      const { goldDesk, tenge, users } = await load(goldFixture);
      const { total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
        .withArgs(await goldDesk.getAddress(), 0n, total);
    });

    it("reverts with the gold's ERC20InsufficientBalance when the desk's inventory is short, moving no tenge", async function () {
      const { goldDesk, gold, tenge, goldRoles, users } = await load(approvedFixture);
      await goldDesk.connect(goldRoles.manager).withdraw(gold, goldRoles.custodian, grams("998.9"));
      const before = await tenge.balanceOf(users.alice);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(gold, "ERC20InsufficientBalance")
        .withArgs(await goldDesk.getAddress(), grams("1"), grams("1.5"));
      expect(await tenge.balanceOf(users.alice)).to.equal(before);
    });

    it("reverts with GoldTokenNotPermitted for a buyer who is not a gold participant", async function () {
      const { goldDesk, gold, tenge, banks, users } = await load(goldFixture);
      await tenge.connect(banks.bankB).onboard(users.relayer, 2);
      await tenge.connect(banks.bankB).mint(users.relayer, kzt("100000"));
      await tenge.connect(users.relayer).approve(goldDesk, kzt("100000"));
      await expect(goldDesk.connect(users.relayer).buy(grams("1"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.relayer.address);
    });

    it("reverts with PackedERC20AccountBlocked for a buyer frozen in gold", async function () {
      const { goldDesk, gold, roles, users } = await load(approvedFixture);
      await gold.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(gold, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("reverts with the gold's EnforcedPause while the gold token is paused", async function () {
      const { goldDesk, gold, roles, users } = await load(approvedFixture);
      await gold.connect(roles.pauser).pause();
      await expect(
        goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline()),
      ).to.be.revertedWithCustomError(gold, "EnforcedPause");
    });

    it("applies every tenge payment rule to the buyer: a tier's daily limit", async function () {
      const { goldDesk, tenge, roles, users } = await load(approvedFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("1000"));
      const { total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      await expect(goldDesk.connect(users.alice).buy(grams("1.5"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("1000"), total);
    });
  });

  describe("buy through tenge transferAndCall (no allowance)", function () {
    it("delivers the gold for an exact payment", async function () {
      const ctx = await load(goldFixture);
      const { goldDesk, tenge, gold, goldRoles, users } = ctx;
      const { cost, fee, total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      const tx = await payAndCall(ctx, grams("1.5"), total);
      await expect(tx).to.changeTokenBalances(
        tenge,
        [users.alice, goldDesk, goldRoles.goldTreasury],
        [-total, cost, fee],
      );
      await expect(tx).to.changeTokenBalances(gold, [goldDesk, users.alice], [-grams("1.5"), grams("1.5")]);
      await expect(tx).to.emit(goldDesk, "GoldBought").withArgs(users.alice.address, grams("1.5"), PRICE, cost, fee);
    });

    it("pays back what exceeds cost + fee in the same transaction", async function () {
      const ctx = await load(goldFixture);
      const { goldDesk, tenge, goldRoles, users } = ctx;
      const maxPrice = PRICE + kzt("500");
      const atMax = buyCost(grams("1.5"), maxPrice, FEE_BPS);
      const { cost, fee, total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      const tx = await payAndCall(ctx, grams("1.5"), atMax.total, maxPrice);
      await expect(tx).to.changeTokenBalances(
        tenge,
        [users.alice, goldDesk, goldRoles.goldTreasury],
        [-total, cost, fee],
      );
      await expect(tx)
        .to.emit(tenge, "Transfer")
        .withArgs(await goldDesk.getAddress(), users.alice.address, atMax.total - total);
    });

    it("delivers to the payer when a spender pays with transferFromAndCall", async function () {
      const ctx = await load(goldFixture);
      const { goldDesk, tenge, gold, users } = ctx;
      const { total } = buyCost(grams("1"), PRICE, FEE_BPS);
      await tenge.connect(users.alice).approve(users.bob, total);
      const order = encodeBuyOrder(grams("1"), PRICE, await deadline());
      const tx = tenge.connect(users.bob).getFunction(FROM_AND_CALL)(users.alice, goldDesk, total, order);
      await expect(tx).to.changeTokenBalances(gold, [users.alice, users.bob], [grams("1"), 0n]);
    });

    it("reverts with GoldDeskPaymentTooLow when the payment does not cover cost + fee", async function () {
      const ctx = await load(goldFixture);
      const { total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      await expect(payAndCall(ctx, grams("1.5"), total - 1n))
        .to.be.revertedWithCustomError(ctx.goldDesk, "GoldDeskPaymentTooLow")
        .withArgs(total - 1n, total);
    });

    it("reverts with GoldDeskInvalidOrder for data that is not an order", async function () {
      const { goldDesk, tenge, users } = await load(goldFixture);
      await expect(tenge.connect(users.alice).getFunction(AND_CALL)(goldDesk, kzt("10"), "0x1234"))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidOrder")
        .withArgs(2n);
      await expect(tenge.connect(users.alice).getFunction("transferAndCall(address,uint256)")(goldDesk, kzt("10")))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidOrder")
        .withArgs(0n);
    });

    it("reverts with GoldDeskPriceAboveLimit through the callback", async function () {
      const ctx = await load(goldFixture);
      const { total } = buyCost(grams("1.5"), PRICE, FEE_BPS);
      await expect(payAndCall(ctx, grams("1.5"), total, PRICE - 1n))
        .to.be.revertedWithCustomError(ctx.goldDesk, "GoldDeskPriceAboveLimit")
        .withArgs(PRICE, PRICE - 1n);
    });

    it("reverts with GoldDeskNotTenge when anyone but the tenge calls onTransferReceived", async function () {
      const { goldDesk, users } = await load(goldFixture);
      const order = encodeBuyOrder(grams("1"), PRICE, await deadline());
      await expect(goldDesk.connect(users.alice).onTransferReceived(users.alice, users.alice, kzt("100000"), order))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskNotTenge")
        .withArgs(users.alice.address);
    });
  });

  describe("sell (gold allowance)", function () {
    it("pays tenge for the gold in one transaction: proceeds to the seller, fee to the treasury", async function () {
      const ctx = await load(approvedFixture);
      const { goldDesk, tenge, gold, goldRoles, users } = ctx;
      const { gross, fee, proceeds } = sellProceeds(grams("1.5"), PRICE, FEE_BPS);
      expect([gross, fee, proceeds]).to.deep.equal([kzt("78000"), kzt("390"), kzt("77610")]);
      const tx = goldDesk.connect(users.alice).sell(grams("1.5"), PRICE, await deadline());
      await expect(tx).to.changeTokenBalances(gold, [users.alice, goldDesk], [-grams("1.5"), grams("1.5")]);
      await expect(tx).to.changeTokenBalances(
        tenge,
        [goldDesk, users.alice, goldRoles.goldTreasury],
        [-gross, proceeds, fee],
      );
      await expect(tx).to.emit(goldDesk, "GoldSold").withArgs(users.alice.address, grams("1.5"), PRICE, proceeds, fee);
      expect(await goldDesk.connect(users.alice).sell.staticCall(1_000n, PRICE, await deadline())).to.equal(
        sellProceeds(1_000n, PRICE, FEE_BPS).proceeds,
      );
    });

    it("rounds the gross down and the fee up: 1 mg at 5,200,001 tiyn/g pays 5,174 tiyn", async function () {
      const ctx = await load(approvedFixture);
      const { goldDesk, tenge, goldRoles, users } = ctx;
      await goldDesk.connect(goldRoles.oracle).publishPrice(PRICE + 1n, await time.latest());
      const tx = goldDesk.connect(users.alice).sell(1n, PRICE, await deadline());
      await expect(tx).to.changeTokenBalances(
        tenge,
        [goldDesk, users.alice, goldRoles.goldTreasury],
        [-5_200n, 5_174n, 26n],
      );
      // exact: 5,200.001 × 0.995 = 5,174.000995 tiyn; the seller received less, never more
      expect(5_174n * 1_000n * 10_000n).to.be.lte(1n * (PRICE + 1n) * (10_000n - FEE_BPS));
    });

    it("sends no fee transfer when the fee is zero", async function () {
      const ctx = await load(approvedFixture);
      const { goldDesk, tenge, goldRoles, users } = ctx;
      await goldDesk.connect(goldRoles.manager).setConfig(MAX_AGE, 500n, 0n);
      await expect(goldDesk.connect(users.alice).sell(grams("1"), PRICE, await deadline())).to.changeTokenBalances(
        tenge,
        [users.alice, goldRoles.goldTreasury],
        [kzt("52000"), 0n],
      );
    });

    it("reverts with GoldDeskPriceBelowLimit when the price is below the seller's minimum", async function () {
      const { goldDesk, users } = await load(approvedFixture);
      await expect(goldDesk.connect(users.alice).sell(grams("1"), PRICE + 1n, await deadline()))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskPriceBelowLimit")
        .withArgs(PRICE, PRICE + 1n);
    });

    it("reverts with GoldDeskAmountTooSmall when rounding and the fee leave the seller nothing", async function () {
      const { goldDesk, goldRoles, users } = await load(approvedFixture);
      await goldDesk.connect(goldRoles.manager).setConfig(MAX_AGE, 10_000n, FEE_BPS);
      await goldDesk.connect(goldRoles.oracle).publishPrice(1_000n, await time.latest()); // 10 KZT per gram
      // 1 mg: gross ⌊1⌋ = 1 tiyn, fee ⌈0.005⌉ = 1 tiyn, proceeds 0
      await expect(goldDesk.connect(users.alice).sell(1n, 0n, await deadline()))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskAmountTooSmall")
        .withArgs(1n);
    });

    it("reverts with the gold's ERC20InsufficientAllowance without an allowance", async function () {
      const { goldDesk, gold, users } = await load(goldFixture);
      await expect(goldDesk.connect(users.bob).sell(grams("1"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(gold, "ERC20InsufficientAllowance")
        .withArgs(await goldDesk.getAddress(), 0n, grams("1"));
    });

    it("reverts with the tenge's DigitalTengeInsufficientBalance when the desk's tenge is short", async function () {
      const { goldDesk, tenge, goldRoles, users } = await load(approvedFixture);
      await goldDesk.connect(goldRoles.manager).withdraw(tenge, goldRoles.goldTreasury, kzt("300000"));
      const { proceeds } = sellProceeds(grams("1"), PRICE, FEE_BPS);
      await expect(goldDesk.connect(users.alice).sell(grams("1"), PRICE, await deadline()))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(await goldDesk.getAddress(), 0n, proceeds);
    });

    it("reverts with the shared trade checks: zero amount, deadline, staleness, pause", async function () {
      const { goldDesk, roles, users } = await load(approvedFixture);
      await expect(goldDesk.connect(users.alice).sell(0n, PRICE, await deadline()))
        .to.be.revertedWithCustomError(goldDesk, "GoldDeskInvalidAmount")
        .withArgs(0n);
      await expect(goldDesk.connect(users.alice).sell(grams("1"), PRICE, 1n)).to.be.revertedWithCustomError(
        goldDesk,
        "GoldDeskDeadlinePassed",
      );
      await goldDesk.connect(roles.pauser).pause();
      await expect(
        goldDesk.connect(users.alice).sell(grams("1"), PRICE, await deadline()),
      ).to.be.revertedWithCustomError(goldDesk, "GoldDeskTradingPaused");
      await goldDesk.connect(roles.pauser).unpause();
      await time.increase(MAX_AGE + 1n);
      await expect(
        goldDesk.connect(users.alice).sell(grams("1"), PRICE, await deadline()),
      ).to.be.revertedWithCustomError(goldDesk, "GoldDeskStalePrice");
    });
  });

  describe("partial-bar holdings", function () {
    it("a holder below a whole bar sells the rest to the desk for tenge after redeeming what it can", async function () {
      const { goldDesk, gold, tenge, users } = await load(approvedFixture);
      // bob holds 49.995 g (bar KZ-0004) and buys 0.005 g more: he redeems the whole bar and sells the remainder
      const { total } = buyCost(grams("0.01"), PRICE, FEE_BPS);
      await tenge.connect(users.bob).approve(goldDesk, total);
      await goldDesk.connect(users.bob).buy(grams("0.01"), PRICE, await deadline());
      await gold.connect(users.bob).redeemBar(encodeBytes32String("KZ-0004"));
      expect(await gold.balanceOf(users.bob)).to.equal(grams("0.01"));
      await gold.connect(users.bob).approve(goldDesk, grams("0.01"));
      const { proceeds } = sellProceeds(grams("0.01"), PRICE, FEE_BPS);
      await expect(goldDesk.connect(users.bob).sell(grams("0.01"), PRICE, await deadline())).to.changeTokenBalance(
        tenge,
        users.bob,
        proceeds,
      );
      expect(await gold.balanceOf(users.bob)).to.equal(0n);
    });
  });
});
