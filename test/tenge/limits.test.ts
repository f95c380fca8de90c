import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { MaxUint256 } from "ethers";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

const DAY = 86_400;
const HOUR = 3_600;
const ALMATY_OFFSET = 5 * HOUR; // Kazakhstan is UTC+5; days on chain are counted in Almaty time
const MAX_LIMIT = kzt("2147483647"); // 2^31 - 1 whole tenge

/** The first Almaty midnight (19:00 UTC) strictly after `timestamp`. */
function nextAlmatyMidnight(timestamp: number): number {
  return (Math.floor((timestamp + ALMATY_OFFSET) / DAY) + 1) * DAY - ALMATY_OFFSET;
}

/** Moves the chain to the next 12:00 Almaty time (07:00 UTC); returns the Almaty midnight that ends that day. */
async function toAlmatyNoon(): Promise<number> {
  const noon = nextAlmatyMidnight(await time.latest()) + 12 * HOUR;
  await time.increaseTo(noon);
  return nextAlmatyMidnight(noon);
}

/**
 * The fixture with tier 1 (alice 10,000 KZT, bob 2,000 KZT) limited to 20,000 KZT held and 1,000 KZT paid out per
 * day, and carol (tier 2) topped up to 25,000 KZT to pay large sums. The chain is at noon in Almaty so no payment
 * crosses a day boundary by accident; `dayEnd` is the Almaty midnight (19:00 UTC) that ends the day.
 */
async function tightLimitsFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, banks, users } = base;
  await (await tenge.connect(roles.desk).setTierLimits(1, kzt("20000"), kzt("1000"))).wait();
  await (await tenge.connect(banks.bankB).mint(users.carol, kzt("20000"))).wait();
  const dayEnd = await toAlmatyNoon();
  return { ...base, dayEnd };
}

describe("DigitalTenge: tier limits", function () {
  describe("setTierLimits", function () {
    it("sets a tier's holding and daily limits", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(2, kzt("70000"), kzt("3000"));
      expect(await tenge.tierLimits(2)).to.deep.equal([kzt("70000"), kzt("3000")]);
    });

    it("emits TierLimitsSet with the limits in tiyn", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setTierLimits(2, kzt("70000"), kzt("3000")))
        .to.emit(tenge, "TierLimitsSet")
        .withArgs(2n, kzt("70000"), kzt("3000"));
    });

    it("leaves the other tiers' limits unchanged", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(2, MAX_LIMIT, MAX_LIMIT);
      expect(await tenge.tierLimits(0)).to.deep.equal([kzt("100000"), kzt("50000")]);
      expect(await tenge.tierLimits(1)).to.deep.equal([kzt("1000000"), kzt("500000")]);
      expect(await tenge.tierLimits(3)).to.deep.equal([kzt("100000000"), kzt("50000000")]);
    });

    it("accepts 2,147,483,647 tenge for both limits of the top tier", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(3, MAX_LIMIT, MAX_LIMIT);
      expect(await tenge.tierLimits(3)).to.deep.equal([MAX_LIMIT, MAX_LIMIT]);
      expect(await tenge.tierLimits(2)).to.deep.equal([kzt("5000000"), kzt("2000000")]);
    });

    it("accepts zero limits", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(0, 0n, 0n);
      expect(await tenge.tierLimits(0)).to.deep.equal([0n, 0n]);
    });

    it("reverts with DigitalTengeInvalidLimit for a holding limit that is not whole tenge", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setTierLimits(1, kzt("20000.50"), kzt("1000")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidLimit")
        .withArgs(kzt("20000.50"));
      expect(await tenge.tierLimits(1)).to.deep.equal([kzt("1000000"), kzt("500000")]);
    });

    it("reverts with DigitalTengeInvalidLimit for a daily limit that is not whole tenge", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setTierLimits(1, kzt("20000"), kzt("999.99")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidLimit")
        .withArgs(kzt("999.99"));
      expect(await tenge.tierLimits(1)).to.deep.equal([kzt("1000000"), kzt("500000")]);
    });

    it("reverts with DigitalTengeInvalidLimit for a holding limit above 2,147,483,647 tenge", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setTierLimits(3, kzt("2147483648"), kzt("1000")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidLimit")
        .withArgs(kzt("2147483648"));
    });

    it("reverts with DigitalTengeInvalidLimit for a daily limit above 2,147,483,647 tenge", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setTierLimits(3, kzt("1000"), kzt("2147483648")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidLimit")
        .withArgs(kzt("2147483648"));
      expect(await tenge.tierLimits(3)).to.deep.equal([kzt("100000000"), kzt("50000000")]);
    });

    it("reverts with DigitalTengeInvalidTier for a tier above 3", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setTierLimits(4, kzt("1000"), kzt("1000")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidTier")
        .withArgs(4n);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without CENTRAL_BANK_ROLE", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).setTierLimits(1, kzt("1000"), kzt("1000")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, await tenge.CENTRAL_BANK_ROLE());
    });

    it("tierLimits reverts with DigitalTengeInvalidTier for a tier above 3", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      await expect(tenge.tierLimits(4)).to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidTier").withArgs(4n);
    });
  });

  describe("holding limit", function () {
    it("lets a payment take the recipient exactly to its limit", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await expect(tenge.connect(users.carol).transfer(users.bob, kzt("18000"))).to.changeTokenBalances(
        tenge,
        [users.carol, users.bob],
        [-kzt("18000"), kzt("18000")],
      );
    });

    it("reverts a payment with DigitalTengeHoldingLimitExceeded when it would take the recipient above", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await expect(tenge.connect(users.carol).transfer(users.bob, kzt("18000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.bob.address, kzt("20000"), kzt("20000.01"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
      expect(await tenge.balanceOf(users.carol)).to.equal(kzt("25000"));
    });

    it("lets a bank issue exactly up to the customer's limit", async function () {
      const { tenge, banks, users } = await loadFixture(tightLimitsFixture);
      await expect(tenge.connect(banks.bankA).mint(users.bob, kzt("18000"))).to.changeTokenBalance(
        tenge,
        users.bob,
        kzt("18000"),
      );
    });

    it("reverts issuance with DigitalTengeHoldingLimitExceeded when it would take the customer above", async function () {
      const { tenge, banks, users } = await loadFixture(tightLimitsFixture);
      await expect(tenge.connect(banks.bankA).mint(users.bob, kzt("18000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.bob.address, kzt("20000"), kzt("20000.01"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
      expect(await tenge.totalSupply()).to.equal(kzt("37000"));
    });

    it("does not apply to an exempt recipient of a payment", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setExempt(users.bob, true);
      await expect(tenge.connect(users.carol).transfer(users.bob, kzt("25000"))).to.changeTokenBalance(
        tenge,
        users.bob,
        kzt("25000"),
      );
    });

    it("does not apply to an exempt recipient of issuance", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setExempt(users.bob, true);
      await expect(tenge.connect(banks.bankA).mint(users.bob, kzt("50000"))).to.changeTokenBalance(
        tenge,
        users.bob,
        kzt("50000"),
      );
    });

    it("does not apply to an institution", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setTierLimits(0, 0n, 0n); // the treasury is tier 0
      await expect(tenge.connect(users.carol).transfer(users.treasury, kzt("25000"))).to.changeTokenBalance(
        tenge,
        users.treasury,
        kzt("25000"),
      );
    });
  });

  describe("daily outflow limit", function () {
    it("lets a wallet pay up to its daily limit", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1000"))).to.changeTokenBalances(
        tenge,
        [users.alice, users.bob],
        [-kzt("1000"), kzt("1000")],
      );
    });

    it("reverts with DigitalTengeDailyLimitExceeded when one payment exceeds the limit", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("1000"), kzt("1000.01"));
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect((await tenge.accountOf(users.alice)).spentToday).to.equal(0n);
    });

    it("accumulates the payments of the day", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.alice).transfer(users.bob, kzt("600"));
      await tenge.connect(users.alice).transfer(users.carol, kzt("400"));
      expect((await tenge.accountOf(users.alice)).spentToday).to.equal(kzt("1000"));
    });

    it("reverts with DigitalTengeDailyLimitExceeded carrying what the day's outflow would become", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.alice).transfer(users.bob, kzt("600"));
      await expect(tenge.connect(users.alice).transfer(users.carol, kzt("400.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("1000"), kzt("1000.01"));
      expect((await tenge.accountOf(users.alice)).spentToday).to.equal(kzt("600"));
    });

    it("counts payments made through transferFrom against the owner", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.alice).approve(users.merchant, kzt("5000"));
      await tenge.connect(users.alice).transfer(users.bob, kzt("600"));
      await expect(tenge.connect(users.merchant).transferFrom(users.alice, users.carol, kzt("400.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("1000"), kzt("1000.01"));
      expect(await tenge.allowance(users.alice, users.merchant)).to.equal(kzt("5000"));
    });

    it("does not count incoming payments", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.carol).transfer(users.bob, kzt("5000"));
      await expect(tenge.connect(users.bob).transfer(users.carol, kzt("1000"))).to.changeTokenBalance(
        tenge,
        users.bob,
        -kzt("1000"),
      );
    });

    it("resets on the next day", async function () {
      const { tenge, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.alice).transfer(users.bob, kzt("1000"));
      await time.increase(DAY);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1000"))).to.changeTokenBalance(
        tenge,
        users.alice,
        -kzt("1000"),
      );
      expect((await tenge.accountOf(users.alice)).spentToday).to.equal(kzt("1000"));
    });

    describe("at the Almaty day boundary (19:00 UTC)", function () {
      it("falls at 19:00 UTC", async function () {
        const { dayEnd } = await loadFixture(tightLimitsFixture);
        expect(dayEnd % DAY).to.equal(19 * HOUR);
      });

      it("still counts a payment at 18:59:59 UTC in the ending day", async function () {
        const { tenge, users, dayEnd } = await loadFixture(tightLimitsFixture);
        await tenge.connect(users.alice).transfer(users.bob, kzt("1000"));
        await time.setNextBlockTimestamp(dayEnd - 1);
        await expect(tenge.connect(users.alice).transfer(users.bob, kzt("0.01")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
          .withArgs(users.alice.address, kzt("1000"), kzt("1000.01"));
        expect(await time.latest()).to.equal(dayEnd - 1);
      });

      it("starts a new day for a payment at 19:00:00 UTC", async function () {
        const { tenge, users, dayEnd } = await loadFixture(tightLimitsFixture);
        await tenge.connect(users.alice).transfer(users.bob, kzt("1000"));
        await time.setNextBlockTimestamp(dayEnd);
        await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1000"))).to.changeTokenBalance(
          tenge,
          users.alice,
          -kzt("1000"),
        );
        expect(await time.latest()).to.equal(dayEnd);
      });

      it("counts the payment at 19:00:00 UTC alone in the new day's outflow", async function () {
        const { tenge, users, dayEnd } = await loadFixture(tightLimitsFixture);
        await tenge.connect(users.alice).transfer(users.bob, kzt("700"));
        await time.setNextBlockTimestamp(dayEnd);
        await tenge.connect(users.alice).transfer(users.bob, kzt("200"));
        expect((await tenge.accountOf(users.alice)).spentToday).to.equal(kzt("200"));
      });
    });

    it("does not apply to an exempt wallet", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setExempt(users.alice, true);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("5000"))).to.changeTokenBalance(
        tenge,
        users.alice,
        -kzt("5000"),
      );
    });

    it("does not apply to an institution", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.carol).transfer(users.treasury, kzt("20000"));
      await tenge.connect(roles.desk).setTierLimits(0, kzt("100000"), 0n); // the treasury is tier 0
      await expect(tenge.connect(users.treasury).transfer(users.merchant, kzt("20000"))).to.changeTokenBalance(
        tenge,
        users.treasury,
        -kzt("20000"),
      );
    });

    it("reports an exempt wallet's dailyRemaining as unlimited", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setExempt(users.alice, true);
      expect((await tenge.accountOf(users.alice)).dailyRemaining).to.equal(MaxUint256);
    });
  });

  describe("when a limit is lowered", function () {
    it("keeps a balance above the new holding limit", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("5000"), kzt("1000"));
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("lets a wallet above the new holding limit keep paying", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("5000"), kzt("1000"));
      await expect(tenge.connect(users.alice).transfer(users.carol, kzt("500"))).to.changeTokenBalance(
        tenge,
        users.alice,
        -kzt("500"),
      );
    });

    it("refuses further credits to a wallet above the new holding limit", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("5000"), kzt("1000"));
      await expect(tenge.connect(users.carol).transfer(users.alice, kzt("0.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.alice.address, kzt("5000"), kzt("10000.01"));
    });

    it("refuses further payments once today's outflow is above the new daily limit, keeping the balance", async function () {
      const { tenge, roles, users } = await loadFixture(tightLimitsFixture);
      await tenge.connect(users.alice).transfer(users.bob, kzt("800"));
      await tenge.connect(roles.desk).setTierLimits(1, kzt("20000"), kzt("500"));
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("0.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("500"), kzt("800.01"));
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("9200"));
    });
  });
});
