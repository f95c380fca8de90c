import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { encodeBytes32String, ZeroAddress } from "ethers";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

const MAX_SUPPLY = 2n ** 64n - 1n;
const FREEZE_REASON = encodeBytes32String("AML-CASE-17");
const RELEASE_REASON = encodeBytes32String("AML-CASE-17-CLOSED");
const COURT_ORDER = encodeBytes32String("COURT-2025-001");
const DAY = 86_400;
const ALMATY_OFFSET = 5 * 3_600; // Kazakhstan is UTC+5; days on chain are counted in Almaty time

/** Moves the chain to the next 12:00 Almaty time (07:00 UTC), half a day away from either day boundary. */
async function toAlmatyNoon(): Promise<void> {
  const now = await time.latest();
  const nextMidnight = (Math.floor((now + ALMATY_OFFSET) / DAY) + 1) * DAY - ALMATY_OFFSET;
  await time.increaseTo(nextMidnight + 12 * 3_600);
}

/** The fixture with alice's wallet frozen as a whole. */
async function aliceFrozenFixture() {
  const base = await loadFixture(tengeFixture);
  await (await base.tenge.connect(base.roles.compliance).freeze(base.users.alice, FREEZE_REASON)).wait();
  return base;
}

/** The fixture with 3,000 of alice's 10,000 KZT frozen. */
async function aliceFundsFrozenFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, users } = base;
  await (await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("3000"), FREEZE_REASON)).wait();
  return base;
}

describe("DigitalTenge: compliance", function () {
  describe("freeze", function () {
    it("marks the wallet frozen", async function () {
      const { tenge, users } = await loadFixture(aliceFrozenFixture);
      expect((await tenge.accountOf(users.alice)).frozen).to.equal(true);
    });

    it("emits AccountFrozen with the reason", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).freeze(users.alice, FREEZE_REASON))
        .to.emit(tenge, "AccountFrozen")
        .withArgs(users.alice.address, FREEZE_REASON);
    });

    it("keeps the wallet's balance", async function () {
      const { tenge, users } = await loadFixture(aliceFrozenFixture);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("stops the wallet from paying", async function () {
      const { tenge, users } = await loadFixture(aliceFrozenFixture);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
    });

    it("stops a spender from moving the wallet's funds, keeping the allowance", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).approve(users.merchant, kzt("100"));
      await tenge.connect(roles.compliance).freeze(users.alice, FREEZE_REASON);
      await expect(tenge.connect(users.merchant).transferFrom(users.alice, users.bob, kzt("100")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
      expect(await tenge.allowance(users.alice, users.merchant)).to.equal(kzt("100"));
    });

    it("stops the wallet from receiving", async function () {
      const { tenge, users } = await loadFixture(aliceFrozenFixture);
      await expect(tenge.connect(users.bob).transfer(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
    });

    it("reverts with DigitalTengeFreezeUnchanged for a wallet already frozen", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await expect(tenge.connect(roles.compliance).freeze(users.alice, FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeFreezeUnchanged")
        .withArgs(users.alice.address, true);
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).freeze(users.outsider, FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without COMPLIANCE_ROLE", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).freeze(users.alice, FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, await tenge.COMPLIANCE_ROLE());
      expect((await tenge.accountOf(users.alice)).frozen).to.equal(false);
    });
  });

  describe("unfreeze", function () {
    it("lifts the freeze", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await tenge.connect(roles.compliance).unfreeze(users.alice, RELEASE_REASON);
      expect((await tenge.accountOf(users.alice)).frozen).to.equal(false);
    });

    it("emits AccountUnfrozen with the reason", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await expect(tenge.connect(roles.compliance).unfreeze(users.alice, RELEASE_REASON))
        .to.emit(tenge, "AccountUnfrozen")
        .withArgs(users.alice.address, RELEASE_REASON);
    });

    it("lets the wallet pay again", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await tenge.connect(roles.compliance).unfreeze(users.alice, RELEASE_REASON);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1"))).to.changeTokenBalances(
        tenge,
        [users.alice, users.bob],
        [-kzt("1"), kzt("1")],
      );
    });

    it("reverts with DigitalTengeFreezeUnchanged for a wallet that is not frozen", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).unfreeze(users.alice, RELEASE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeFreezeUnchanged")
        .withArgs(users.alice.address, false);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without COMPLIANCE_ROLE", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await expect(tenge.connect(roles.enforcement).unfreeze(users.alice, RELEASE_REASON))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.enforcement.address, await tenge.COMPLIANCE_ROLE());
      expect((await tenge.accountOf(users.alice)).frozen).to.equal(true);
    });
  });

  describe("freezeAmount", function () {
    it("freezes part of the balance, lowering the available balance", async function () {
      const { tenge, users } = await loadFixture(aliceFundsFrozenFixture);
      expect(await tenge.availableBalanceOf(users.alice)).to.equal(kzt("7000"));
      expect((await tenge.accountOf(users.alice)).frozenAmount).to.equal(kzt("3000"));
    });

    it("emits FrozenAmountChanged with the previous and new frozen amounts and the reason", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("3000"), FREEZE_REASON))
        .to.emit(tenge, "FrozenAmountChanged")
        .withArgs(users.alice.address, 0n, kzt("3000"), FREEZE_REASON);
    });

    it("adds to an amount already frozen", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("500"), FREEZE_REASON))
        .to.emit(tenge, "FrozenAmountChanged")
        .withArgs(users.alice.address, kzt("3000"), kzt("3500"), FREEZE_REASON);
    });

    it("lets the wallet pay out of its available balance", async function () {
      const { tenge, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("7000"))).to.changeTokenBalances(
        tenge,
        [users.alice, users.bob],
        [-kzt("7000"), kzt("7000")],
      );
    });

    it("reverts with DigitalTengeFundsFrozen when a payment is covered by the balance but reaches frozen funds", async function () {
      const { tenge, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("7000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeFundsFrozen")
        .withArgs(users.alice.address, kzt("7000"), kzt("7000.01"));
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeInsufficientBalance when a payment exceeds the balance itself", async function () {
      const { tenge, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("10000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.alice.address, kzt("10000"), kzt("10000.01"));
    });

    it("lets the wallet keep receiving", async function () {
      const { tenge, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(users.bob).transfer(users.alice, kzt("100"))).to.changeTokenBalance(
        tenge,
        users.alice,
        kzt("100"),
      );
    });

    describe("when the frozen amount is larger than the balance", function () {
      async function overFrozenFixture() {
        const base = await loadFixture(tengeFixture);
        const { tenge, roles, users } = base;
        await (await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("15000"), FREEZE_REASON)).wait();
        return base;
      }

      it("leaves nothing available", async function () {
        const { tenge, users } = await loadFixture(overFrozenFixture);
        expect(await tenge.availableBalanceOf(users.alice)).to.equal(0n);
      });

      it("freezes later credits up to the frozen amount", async function () {
        const { tenge, users } = await loadFixture(overFrozenFixture);
        await tenge.connect(users.bob).transfer(users.alice, kzt("2000"));
        expect(await tenge.balanceOf(users.alice)).to.equal(kzt("12000"));
        expect(await tenge.availableBalanceOf(users.alice)).to.equal(0n);
        await expect(tenge.connect(users.alice).transfer(users.bob, kzt("0.01")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeFundsFrozen")
          .withArgs(users.alice.address, 0n, kzt("0.01"));
      });

      it("makes credits beyond the frozen amount available", async function () {
        const { tenge, banks, users } = await loadFixture(overFrozenFixture);
        await tenge.connect(banks.bankA).mint(users.alice, kzt("6000"));
        expect(await tenge.availableBalanceOf(users.alice)).to.equal(kzt("1000"));
      });
    });

    it("works on a whole-frozen wallet", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await expect(tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("10"), FREEZE_REASON))
        .to.emit(tenge, "FrozenAmountChanged")
        .withArgs(users.alice.address, 0n, kzt("10"), FREEZE_REASON);
    });

    it("reverts with DigitalTengeInvalidAmount for a zero amount", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).freezeAmount(users.alice, 0n, FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts with DigitalTengeInvalidAmount when the total frozen would exceed MAX_SUPPLY", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(roles.compliance).freezeAmount(users.alice, MAX_SUPPLY, FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(MAX_SUPPLY + kzt("3000"));
      expect((await tenge.accountOf(users.alice)).frozenAmount).to.equal(kzt("3000"));
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).freezeAmount(users.outsider, kzt("1"), FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without COMPLIANCE_ROLE", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).freezeAmount(users.alice, kzt("1"), FREEZE_REASON))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, await tenge.COMPLIANCE_ROLE());
    });
  });

  describe("unfreezeAmount", function () {
    it("releases part of the frozen amount", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await tenge.connect(roles.compliance).unfreezeAmount(users.alice, kzt("1000"), RELEASE_REASON);
      expect((await tenge.accountOf(users.alice)).frozenAmount).to.equal(kzt("2000"));
      expect(await tenge.availableBalanceOf(users.alice)).to.equal(kzt("8000"));
    });

    it("emits FrozenAmountChanged with the previous and new frozen amounts and the reason", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(roles.compliance).unfreezeAmount(users.alice, kzt("1000"), RELEASE_REASON))
        .to.emit(tenge, "FrozenAmountChanged")
        .withArgs(users.alice.address, kzt("3000"), kzt("2000"), RELEASE_REASON);
    });

    it("releases the whole frozen amount", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await tenge.connect(roles.compliance).unfreezeAmount(users.alice, kzt("3000"), RELEASE_REASON);
      expect(await tenge.availableBalanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeUnfreezeExceedsFrozen when releasing more than is frozen", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(roles.compliance).unfreezeAmount(users.alice, kzt("3000.01"), RELEASE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeUnfreezeExceedsFrozen")
        .withArgs(users.alice.address, kzt("3000"), kzt("3000.01"));
      expect((await tenge.accountOf(users.alice)).frozenAmount).to.equal(kzt("3000"));
    });

    it("reverts with DigitalTengeInvalidAmount for a zero amount", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
      await expect(tenge.connect(roles.compliance).unfreezeAmount(users.alice, 0n, RELEASE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).unfreezeAmount(users.outsider, kzt("1"), RELEASE_REASON))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });
  });

  describe("seize", function () {
    it("moves the funds to the destination", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(
        tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER),
      ).to.changeTokenBalances(tenge, [users.alice, users.treasury], [-kzt("4000"), kzt("4000")]);
    });

    it("emits Transfer and Seized with the reason", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER))
        .to.emit(tenge, "Transfer")
        .withArgs(users.alice.address, users.treasury.address, kzt("4000"))
        .and.to.emit(tenge, "Seized")
        .withArgs(users.alice.address, users.treasury.address, kzt("4000"), COURT_ORDER);
    });

    it("does not emit FrozenAmountChanged when nothing was frozen", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(
        tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER),
      ).not.to.emit(tenge, "FrozenAmountChanged");
    });

    it("keeps the total supply", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER);
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
    });

    it("is not counted as the holder's outflow", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await toAlmatyNoon();
      await tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER);
      expect((await tenge.accountOf(users.alice)).spentToday).to.equal(0n);
    });

    describe("when part of the balance is frozen", function () {
      it("takes frozen funds first, lowering the frozen amount by the sum taken", async function () {
        const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
        await tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("2000"), COURT_ORDER);
        const view = await tenge.accountOf(users.alice);
        expect([view.balance, view.frozenAmount, view.available]).to.deep.equal([
          kzt("8000"),
          kzt("1000"),
          kzt("7000"),
        ]);
      });

      it("emits FrozenAmountChanged with the court order as reason", async function () {
        const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
        await expect(tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("2000"), COURT_ORDER))
          .to.emit(tenge, "FrozenAmountChanged")
          .withArgs(users.alice.address, kzt("3000"), kzt("1000"), COURT_ORDER);
      });

      it("takes the rest from available funds once the frozen amount is used up", async function () {
        const { tenge, roles, users } = await loadFixture(aliceFundsFrozenFixture);
        await tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("5000"), COURT_ORDER);
        const view = await tenge.accountOf(users.alice);
        expect([view.balance, view.frozenAmount, view.available]).to.deep.equal([kzt("5000"), 0n, kzt("5000")]);
      });

      it("takes from frozen funds when the frozen amount exceeds the balance", async function () {
        const { tenge, roles, users } = await loadFixture(tengeFixture);
        await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("15000"), FREEZE_REASON);
        await tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("10000"), COURT_ORDER);
        const view = await tenge.accountOf(users.alice);
        expect([view.balance, view.frozenAmount]).to.deep.equal([0n, kzt("5000")]);
      });
    });

    it("works on a whole-frozen wallet", async function () {
      const { tenge, roles, users } = await loadFixture(aliceFrozenFixture);
      await expect(
        tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER),
      ).to.changeTokenBalances(tenge, [users.alice, users.treasury], [-kzt("4000"), kzt("4000")]);
      expect((await tenge.accountOf(users.alice)).frozen).to.equal(true);
    });

    it("works while the token is paused", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(
        tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER),
      ).to.changeTokenBalances(tenge, [users.alice, users.treasury], [-kzt("4000"), kzt("4000")]);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without SEIZURE_ROLE", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.compliance).seize(users.alice, users.treasury, kzt("4000"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.compliance.address, await tenge.SEIZURE_ROLE());
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeSelfSeizure when source and destination are the same", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.alice, kzt("4000"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeSelfSeizure")
        .withArgs(users.alice.address);
    });

    it("reverts with DigitalTengeAccountFrozen when the destination is frozen", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freeze(users.bob, FREEZE_REASON);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.bob, kzt("4000"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.bob.address);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeNotOnboarded when the destination is not onboarded", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.outsider, kzt("4000"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with DigitalTengeNotOnboarded when the destination is the zero address", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, ZeroAddress, kzt("4000"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(ZeroAddress);
    });

    it("reverts with DigitalTengeHoldingLimitExceeded when the destination would exceed its holding limit", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("5000"), kzt("1000"));
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.bob, kzt("3000.01"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.bob.address, kzt("5000"), kzt("5000.01"));
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
    });

    it("reverts with DigitalTengeInsufficientBalance when the amount exceeds the balance", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.treasury, kzt("10000.01"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.alice.address, kzt("10000"), kzt("10000.01"));
    });

    it("reverts with DigitalTengeInvalidAmount for a zero amount", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.alice, users.treasury, 0n, COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts with DigitalTengeNotOnboarded when the source is not onboarded", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.outsider, users.treasury, kzt("1"), COURT_ORDER))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });
  });

  describe("recoverWallet", function () {
    it("moves the balance to the replacement wallet", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider)).to.changeTokenBalances(
        tenge,
        [users.alice, users.outsider],
        [-kzt("10000"), kzt("10000")],
      );
    });

    it("gives the replacement the lost wallet's tier and bank", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      const view = await tenge.accountOf(users.outsider);
      expect([view.onboarded, view.tier, view.bankId, view.bank, view.exempt]).to.deep.equal([
        true,
        1n,
        1n,
        banks.bankA.address,
        false,
      ]);
    });

    it("carries a whole-wallet freeze over to the replacement", async function () {
      const { tenge, banks, users } = await loadFixture(aliceFrozenFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      expect((await tenge.accountOf(users.outsider)).frozen).to.equal(true);
    });

    it("carries the frozen amount over to the replacement", async function () {
      const { tenge, banks, users } = await loadFixture(aliceFundsFrozenFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      const view = await tenge.accountOf(users.outsider);
      expect([view.frozenAmount, view.available]).to.deep.equal([kzt("3000"), kzt("7000")]);
    });

    it("carries today's outflow over, so the daily limit cannot be reset", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await toAlmatyNoon();
      await tenge.connect(users.alice).transfer(users.bob, kzt("600"));
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      const view = await tenge.accountOf(users.outsider);
      expect([view.spentToday, view.dailyRemaining]).to.deep.equal([kzt("600"), kzt("499400")]);
    });

    it("offboards the lost wallet", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      const view = await tenge.accountOf(users.alice);
      expect([view.onboarded, view.balance]).to.deep.equal([false, 0n]);
    });

    it("stops the lost wallet from paying", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      await expect(tenge.connect(users.alice).transfer(users.bob, 0n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.alice.address);
    });

    it("does not carry allowances over", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).approve(users.merchant, kzt("100"));
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      expect(await tenge.allowance(users.outsider, users.merchant)).to.equal(0n);
    });

    it("keeps the total supply", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider);
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
    });

    it("emits Transfer, AccountOffboarded, AccountOnboarded and WalletRecovered", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      const { alice, outsider } = users;
      await expect(tenge.connect(banks.bankA).recoverWallet(alice, outsider))
        .to.emit(tenge, "Transfer")
        .withArgs(alice.address, outsider.address, kzt("10000"))
        .and.to.emit(tenge, "AccountOffboarded")
        .withArgs(alice.address, banks.bankA.address)
        .and.to.emit(tenge, "AccountOnboarded")
        .withArgs(outsider.address, banks.bankA.address, 1n, false)
        .and.to.emit(tenge, "WalletRecovered")
        .withArgs(alice.address, outsider.address, banks.bankA.address, kzt("10000"));
    });

    it("reverts with DigitalTengeAlreadyOnboarded when the replacement is onboarded", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).recoverWallet(users.alice, users.bob))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(users.bob.address);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
    });

    it("reverts with DigitalTengeZeroAddress when the replacement is the zero address", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).recoverWallet(users.alice, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeZeroAddress")
        .withArgs();
    });

    it("reverts with DigitalTengeNotAccountManager when another bank recovers the wallet", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankB).recoverWallet(users.alice, users.outsider))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankB.address, users.alice.address);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect((await tenge.accountOf(users.outsider)).onboarded).to.equal(false);
    });

    it("reverts with DigitalTengeNotAccountManager when the central bank recovers a bank's customer", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).recoverWallet(users.alice, users.outsider))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(roles.desk.address, users.alice.address);
    });

    it("reverts with DigitalTengeNotOnboarded when the lost wallet is not onboarded", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).recoverWallet(users.outsider, users.relayer))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with EnforcedPause while the token is paused", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider))
        .to.be.revertedWithCustomError(tenge, "EnforcedPause")
        .withArgs();
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect((await tenge.accountOf(users.outsider)).onboarded).to.equal(false);
    });
  });
});
