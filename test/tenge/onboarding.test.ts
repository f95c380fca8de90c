import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { AddressLike, encodeBytes32String, MaxUint256, Wallet, ZeroAddress } from "ethers";
import type { DigitalTenge } from "../../typechain-types";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

const REASON = encodeBytes32String("AML-CASE-17");
const DAY = 86_400;
const ALMATY_OFFSET = 5 * 3_600; // Kazakhstan is UTC+5; days on chain are counted in Almaty time

/** Moves the chain to the next 12:00 Almaty time (07:00 UTC), half a day away from either day boundary. */
async function toAlmatyNoon(): Promise<void> {
  const now = await time.latest();
  const nextMidnight = (Math.floor((now + ALMATY_OFFSET) / DAY) + 1) * DAY - ALMATY_OFFSET;
  await time.increaseTo(nextMidnight + 12 * 3_600);
}

interface AccountState {
  onboarded: boolean;
  frozen: boolean;
  exempt: boolean;
  tier: bigint;
  bankId: bigint;
  bank: string;
  balance: bigint;
  frozenAmount: bigint;
  available: bigint;
  spentToday: bigint;
  dailyRemaining: bigint;
}

/** `accountOf` as a plain object, so whole views compare with `deep.equal`. */
async function accountState(tenge: DigitalTenge, account: AddressLike): Promise<AccountState> {
  const view = await tenge.accountOf(account);
  return {
    onboarded: view.onboarded,
    frozen: view.frozen,
    exempt: view.exempt,
    tier: view.tier,
    bankId: view.bankId,
    bank: view.bank,
    balance: view.balance,
    frozenAmount: view.frozenAmount,
    available: view.available,
    spentToday: view.spentToday,
    dailyRemaining: view.dailyRemaining,
  };
}

const NOT_ONBOARDED: AccountState = {
  onboarded: false,
  frozen: false,
  exempt: false,
  tier: 0n,
  bankId: 0n,
  bank: ZeroAddress,
  balance: 0n,
  frozenAmount: 0n,
  available: 0n,
  spentToday: 0n,
  dailyRemaining: 0n,
};

describe("DigitalTenge: onboarding", function () {
  describe("onboard", function () {
    it("onboards the bank's customer with the tier and the bank", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankB).onboard(users.outsider, 2);
      expect(await accountState(tenge, users.outsider)).to.deep.equal({
        ...NOT_ONBOARDED,
        onboarded: true,
        tier: 2n,
        bankId: 2n,
        bank: banks.bankB.address,
        dailyRemaining: kzt("2000000"),
      });
    });

    it("emits AccountOnboarded with the wallet, bank, tier and no exemption", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankB).onboard(users.outsider, 2))
        .to.emit(tenge, "AccountOnboarded")
        .withArgs(users.outsider.address, banks.bankB.address, 2n, false);
    });

    it("lets the new customer receive tenge", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankB).onboard(users.outsider, 2);
      await expect(tenge.connect(users.alice).transfer(users.outsider, kzt("10"))).to.changeTokenBalance(
        tenge,
        users.outsider,
        kzt("10"),
      );
    });

    it("reverts with DigitalTengeNotBank when the caller is not a bank", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).onboard(users.outsider, 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(roles.desk.address);
      expect((await tenge.accountOf(users.outsider)).onboarded).to.equal(false);
    });

    it("reverts with DigitalTengeAlreadyOnboarded for the bank's own customer", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboard(users.alice, 2))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(users.alice.address);
      expect((await tenge.accountOf(users.alice)).tier).to.equal(1n);
    });

    it("reverts with DigitalTengeAlreadyOnboarded for another bank's customer", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankB).onboard(users.alice, 2))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(users.alice.address);
      expect((await tenge.accountOf(users.alice)).bank).to.equal(banks.bankA.address);
    });

    it("reverts with DigitalTengeZeroAddress for the zero address", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboard(ZeroAddress, 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeZeroAddress")
        .withArgs();
    });

    it("reverts with DigitalTengeInvalidTier for a tier above 3", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboard(users.outsider, 4))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidTier")
        .withArgs(4n);
      expect((await tenge.accountOf(users.outsider)).onboarded).to.equal(false);
    });
  });

  describe("onboardBatch", function () {
    it("onboards every wallet with the same tier", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      const wallets = [Wallet.createRandom().address, Wallet.createRandom().address];
      await tenge.connect(banks.bankB).onboardBatch(wallets, 0);
      for (const wallet of wallets) {
        const view = await tenge.accountOf(wallet);
        expect([view.onboarded, view.tier, view.bank]).to.deep.equal([true, 0n, banks.bankB.address]);
      }
    });

    it("emits AccountOnboarded for each wallet", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      const [first, second] = [Wallet.createRandom().address, Wallet.createRandom().address];
      const tx = tenge.connect(banks.bankB).onboardBatch([first, second], 0);
      await expect(tx).to.emit(tenge, "AccountOnboarded").withArgs(first, banks.bankB.address, 0n, false);
      await expect(tx).to.emit(tenge, "AccountOnboarded").withArgs(second, banks.bankB.address, 0n, false);
    });

    it("reverts with DigitalTengeEmptyBatch for an empty list", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboardBatch([], 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeEmptyBatch")
        .withArgs();
    });

    it("reverts with DigitalTengeAlreadyOnboarded and onboards nobody when one wallet is onboarded", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboardBatch([users.outsider, users.bob], 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(users.bob.address);
      expect((await tenge.accountOf(users.outsider)).onboarded).to.equal(false);
    });

    it("reverts with DigitalTengeAlreadyOnboarded when a wallet appears twice", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboardBatch([users.outsider, users.outsider], 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with DigitalTengeZeroAddress when one wallet is the zero address", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboardBatch([users.outsider, ZeroAddress], 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeZeroAddress")
        .withArgs();
    });

    it("reverts with DigitalTengeInvalidTier for a tier above 3", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboardBatch([users.outsider], 7))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidTier")
        .withArgs(7n);
    });

    it("reverts with DigitalTengeNotBank when the caller is not a bank", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).onboardBatch([users.outsider], 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(users.alice.address);
    });
  });

  describe("offboard", function () {
    it("removes an empty customer's wallet", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).offboard(users.merchant);
      expect(await accountState(tenge, users.merchant)).to.deep.equal(NOT_ONBOARDED);
    });

    it("emits AccountOffboarded with the wallet and its bank", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).offboard(users.merchant))
        .to.emit(tenge, "AccountOffboarded")
        .withArgs(users.merchant.address, banks.bankA.address);
    });

    it("stops the wallet from receiving tenge", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).offboard(users.merchant);
      await expect(tenge.connect(users.alice).transfer(users.merchant, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.merchant.address);
    });

    it("lets another bank onboard the wallet afterwards", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).offboard(users.merchant);
      await tenge.connect(banks.bankB).onboard(users.merchant, 0);
      expect((await tenge.accountOf(users.merchant)).bank).to.equal(banks.bankB.address);
    });

    it("reverts with DigitalTengeAccountNotEmpty for a wallet holding funds", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).offboard(users.alice))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountNotEmpty")
        .withArgs(users.alice.address, kzt("10000"), 0n);
      expect((await tenge.accountOf(users.alice)).onboarded).to.equal(true);
    });

    it("reverts with DigitalTengeAccountNotEmpty for an empty wallet with a frozen amount", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freezeAmount(users.merchant, kzt("50"), REASON);
      await expect(tenge.connect(banks.bankA).offboard(users.merchant))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountNotEmpty")
        .withArgs(users.merchant.address, 0n, kzt("50"));
      expect((await tenge.accountOf(users.merchant)).onboarded).to.equal(true);
    });

    it("reverts with DigitalTengeAccountFrozen for a frozen wallet", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freeze(users.merchant, REASON);
      await expect(tenge.connect(banks.bankA).offboard(users.merchant))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.merchant.address);
      expect((await tenge.accountOf(users.merchant)).onboarded).to.equal(true);
    });

    it("reverts with DigitalTengeNotAccountManager when another bank offboards the customer", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankB).offboard(users.merchant))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankB.address, users.merchant.address);
      expect((await tenge.accountOf(users.merchant)).onboarded).to.equal(true);
    });

    it("reverts with DigitalTengeNotAccountManager when the central bank offboards a bank's customer", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).offboard(users.merchant))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(roles.desk.address, users.merchant.address);
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).offboard(users.outsider))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    describe("of an institution", function () {
      it("lets the central bank offboard it and emits AccountOffboarded with no bank", async function () {
        const { tenge, roles, users } = await loadFixture(tengeFixture);
        await expect(tenge.connect(roles.desk).offboard(users.treasury))
          .to.emit(tenge, "AccountOffboarded")
          .withArgs(users.treasury.address, ZeroAddress);
        expect((await tenge.accountOf(users.treasury)).onboarded).to.equal(false);
      });

      it("reverts with DigitalTengeNotAccountManager when a bank offboards it", async function () {
        const { tenge, banks, users } = await loadFixture(tengeFixture);
        await expect(tenge.connect(banks.bankA).offboard(users.treasury))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
          .withArgs(banks.bankA.address, users.treasury.address);
        expect((await tenge.accountOf(users.treasury)).onboarded).to.equal(true);
      });
    });
  });

  describe("setTier", function () {
    it("changes the customer's tier", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).setTier(users.alice, 2);
      expect((await tenge.accountOf(users.alice)).tier).to.equal(2n);
    });

    it("emits TierChanged with the previous and new tiers", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).setTier(users.alice, 2))
        .to.emit(tenge, "TierChanged")
        .withArgs(users.alice.address, 1n, 2n);
    });

    it("applies the new tier's daily limit", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).setTier(users.alice, 0);
      expect((await tenge.accountOf(users.alice)).dailyRemaining).to.equal(kzt("50000"));
    });

    it("accepts a tier whose holding limit equals the balance", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(0, kzt("10000"), kzt("5000"));
      await tenge.connect(banks.bankA).setTier(users.alice, 0);
      expect((await tenge.accountOf(users.alice)).tier).to.equal(0n);
    });

    it("reverts with DigitalTengeHoldingLimitExceeded when the balance is above the new tier's limit", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(0, kzt("9999"), kzt("5000"));
      await expect(tenge.connect(banks.bankA).setTier(users.alice, 0))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.alice.address, kzt("9999"), kzt("10000"));
      expect((await tenge.accountOf(users.alice)).tier).to.equal(1n);
    });

    it("moves an exempt wallet to a tier whose limit is below its balance", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setTierLimits(0, kzt("9999"), kzt("5000"));
      await tenge.connect(roles.desk).setExempt(users.alice, true);
      await tenge.connect(banks.bankA).setTier(users.alice, 0);
      expect((await tenge.accountOf(users.alice)).tier).to.equal(0n);
    });

    it("reverts with DigitalTengeInvalidTier for a tier above 3", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).setTier(users.alice, 4))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidTier")
        .withArgs(4n);
    });

    it("reverts with DigitalTengeNotAccountManager when another bank sets the tier", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankB).setTier(users.alice, 2))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankB.address, users.alice.address);
      expect((await tenge.accountOf(users.alice)).tier).to.equal(1n);
    });

    it("reverts with DigitalTengeNotAccountManager when the customer sets its own tier", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).setTier(users.alice, 3))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(users.alice.address, users.alice.address);
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).setTier(users.outsider, 1))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });
  });

  describe("onboardInstitution", function () {
    it("onboards an exempt wallet managed by the central bank", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).onboardInstitution(users.outsider);
      expect(await accountState(tenge, users.outsider)).to.deep.equal({
        ...NOT_ONBOARDED,
        onboarded: true,
        exempt: true,
        dailyRemaining: MaxUint256,
      });
    });

    it("emits AccountOnboarded with no bank, tier 0 and the exemption", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).onboardInstitution(users.outsider))
        .to.emit(tenge, "AccountOnboarded")
        .withArgs(users.outsider.address, ZeroAddress, 0n, true);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without CENTRAL_BANK_ROLE", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).onboardInstitution(users.outsider))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, await tenge.CENTRAL_BANK_ROLE());
    });

    it("reverts with DigitalTengeAlreadyOnboarded for a bank's customer", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).onboardInstitution(users.alice))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(users.alice.address);
      expect((await tenge.accountOf(users.alice)).bank).to.equal(banks.bankA.address);
    });

    it("reverts with DigitalTengeZeroAddress for the zero address", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).onboardInstitution(ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeZeroAddress")
        .withArgs();
    });
  });

  describe("setExempt", function () {
    it("exempts a customer from tier limits", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setExempt(users.alice, true);
      const view = await tenge.accountOf(users.alice);
      expect([view.exempt, view.dailyRemaining]).to.deep.equal([true, MaxUint256]);
    });

    it("emits ExemptionSet", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setExempt(users.alice, true))
        .to.emit(tenge, "ExemptionSet")
        .withArgs(users.alice.address, true);
    });

    it("revokes an institution's exemption", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setExempt(users.treasury, false))
        .to.emit(tenge, "ExemptionSet")
        .withArgs(users.treasury.address, false);
      const view = await tenge.accountOf(users.treasury);
      expect([view.exempt, view.dailyRemaining]).to.deep.equal([false, kzt("50000")]);
    });

    it("keeps the wallet's tier and bank", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setExempt(users.alice, true);
      const view = await tenge.accountOf(users.alice);
      expect([view.tier, view.bank]).to.deep.equal([1n, banks.bankA.address]);
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setExempt(users.outsider, true))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without CENTRAL_BANK_ROLE", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).setExempt(users.alice, true))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, await tenge.CENTRAL_BANK_ROLE());
      expect((await tenge.accountOf(users.alice)).exempt).to.equal(false);
    });
  });

  describe("accountOf", function () {
    it("returns all zero for a wallet that is not onboarded", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect(await accountState(tenge, users.outsider)).to.deep.equal(NOT_ONBOARDED);
    });

    it("returns a funded customer's full state", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      expect(await accountState(tenge, users.alice)).to.deep.equal({
        onboarded: true,
        frozen: false,
        exempt: false,
        tier: 1n,
        bankId: 1n,
        bank: banks.bankA.address,
        balance: kzt("10000"),
        frozenAmount: 0n,
        available: kzt("10000"),
        spentToday: 0n,
        dailyRemaining: kzt("500000"),
      });
    });

    it("reports the balance minus the frozen amount as available", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("2500"), REASON);
      const view = await tenge.accountOf(users.alice);
      expect([view.balance, view.frozenAmount, view.available]).to.deep.equal([kzt("10000"), kzt("2500"), kzt("7500")]);
    });

    it("reports nothing available for a whole-frozen wallet but keeps its balance", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, REASON);
      const view = await tenge.accountOf(users.alice);
      expect([view.frozen, view.balance, view.available]).to.deep.equal([true, kzt("10000"), 0n]);
    });

    it("counts today's payments in spentToday and dailyRemaining", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await toAlmatyNoon();
      await tenge.connect(users.alice).transfer(users.bob, kzt("1200"));
      await tenge.connect(users.alice).transfer(users.carol, kzt("300.50"));
      const view = await tenge.accountOf(users.alice);
      expect([view.spentToday, view.dailyRemaining]).to.deep.equal([kzt("1500.50"), kzt("498499.50")]);
    });

    it("does not count incoming payments in spentToday", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await toAlmatyNoon();
      await tenge.connect(users.alice).transfer(users.bob, kzt("1200"));
      expect((await tenge.accountOf(users.bob)).spentToday).to.equal(0n);
    });

    it("resets spentToday on the next day", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await toAlmatyNoon();
      await tenge.connect(users.alice).transfer(users.bob, kzt("1200"));
      await time.increase(DAY);
      const view = await tenge.accountOf(users.alice);
      expect([view.spentToday, view.dailyRemaining]).to.deep.equal([0n, kzt("500000")]);
    });

    it("reports an unlimited dailyRemaining for an institution", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect((await tenge.accountOf(users.treasury)).dailyRemaining).to.equal(MaxUint256);
    });

    it("reports no dailyRemaining once the day's payments reach a lowered limit", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await toAlmatyNoon();
      await tenge.connect(users.alice).transfer(users.bob, kzt("1200"));
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("1000"));
      expect((await tenge.accountOf(users.alice)).dailyRemaining).to.equal(0n);
    });
  });

  describe("availableBalanceOf", function () {
    it("returns the balance minus the frozen amount", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("2500"), REASON);
      expect(await tenge.availableBalanceOf(users.alice)).to.equal(kzt("7500"));
    });

    it("returns zero for a whole-frozen wallet", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, REASON);
      expect(await tenge.availableBalanceOf(users.alice)).to.equal(0n);
    });

    it("returns zero for a wallet that is not onboarded", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect(await tenge.availableBalanceOf(users.outsider)).to.equal(0n);
    });
  });
});
