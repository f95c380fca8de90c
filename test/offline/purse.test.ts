import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, id } from "ethers";
import { encodeOfflineBatch } from "../../scripts/lib/offline";
import { kzt } from "../fixtures/tenge.fixture";
import {
  PURSE_CAPS,
  expectOfflineInvariants,
  expectOutcomes,
  now,
  offlineFixture,
  patchRecord,
  payment,
  recordUnchecked,
  settle,
  settleRaw,
  sign,
  signUnchecked,
} from "./helpers";
import type { OfflineCtx } from "./helpers";

const REASON = id("court-order");
const DAY = 86_400n;
const MAX_40 = (1n << 40n) - 1n;
const MAX_56 = (1n << 56n) - 1n;

describe("TengeOffline: offline purses", function () {
  let ctx: OfflineCtx;

  beforeEach(async function () {
    ctx = await loadFixture(offlineFixture);
  });

  afterEach("totalSupply == Σ balances, token address == Σ purses", async function () {
    await expectOfflineInvariants(ctx);
  });

  /** Reserves `amount` tenge for `days` days as `holder` (a fixture payer or user), designated to `payee`. */
  async function reserve(
    holder: Parameters<OfflineCtx["offline"]["connect"]>[0],
    amount: string,
    payee: string,
    days = 7n,
  ): Promise<bigint> {
    const until = (await now()) + days * DAY;
    await (await ctx.offline.connect(holder).reservePurse(kzt(amount), until, payee)).wait();
    return until;
  }

  describe("setOfflinePurseCaps", function () {
    it("sets every tier's cap and emits OfflinePurseCapsSet", async function () {
      const { offline, roles } = ctx;
      expect(await offline.offlinePurseCaps()).to.deep.equal(PURSE_CAPS);
      const caps: [bigint, bigint, bigint, bigint] = [1n, 2n, 3n, MAX_56];
      await expect(offline.connect(roles.desk).setOfflinePurseCaps(caps))
        .to.emit(offline, "OfflinePurseCapsSet")
        .withArgs(caps);
      expect(await offline.offlinePurseCaps()).to.deep.equal(caps);
    });

    it("reverts for a cap that does not fit 56 bits: TengeOfflineInvalidPurseCap(tier, cap)", async function () {
      const { offline, roles } = ctx;
      await expect(offline.connect(roles.desk).setOfflinePurseCaps([0n, 0n, MAX_56 + 1n, 0n]))
        .to.be.revertedWithCustomError(offline, "TengeOfflineInvalidPurseCap")
        .withArgs(2n, MAX_56 + 1n);
    });

    it("lowering a cap leaves existing purses alone and limits the next reservation", async function () {
      const { offline, roles, payers, users } = ctx;
      await reserve(payers.dave, "300", users.merchant.address);
      await (await offline.connect(roles.desk).setOfflinePurseCaps([0n, kzt("100"), 0n, 0n])).wait();
      expect((await offline.purseOf(payers.dave)).amount).to.equal(kzt("300"));
      await expect(offline.connect(payers.erin).reservePurse(kzt("101"), (await now()) + DAY, ZeroAddress))
        .to.be.revertedWithCustomError(offline, "TengeOfflinePurseCapExceeded")
        .withArgs(payers.erin.address, kzt("100"), kzt("101"));
    });
  });

  describe("reservePurse", function () {
    it("moves the amount from the balance to the token's address, records the terms and emits both events", async function () {
      const { tenge, offline, payers, users } = ctx;
      const until = (await now()) + 7n * DAY;
      const token = await tenge.getAddress();
      const tx = offline.connect(payers.dave).reservePurse(kzt("300"), until, users.merchant);
      await expect(tx).to.changeTokenBalances(tenge, [payers.dave.address, token], [-kzt("300"), kzt("300")]);
      await expect(tx).to.emit(offline, "Transfer").withArgs(payers.dave.address, token, kzt("300"));
      await expect(tx)
        .to.emit(offline, "OfflinePurseReserved")
        .withArgs(payers.dave.address, users.merchant.address, kzt("300"), kzt("300"), until);
      expect(await offline.purseOf(payers.dave)).to.deep.equal([kzt("300"), until, users.merchant.address, true]);
      expect(await tenge.totalSupply()).to.equal(kzt("20000"));
    });

    it("counts the reservation as the holder's outflow today (its purse payments are not counted again)", async function () {
      const { tenge, payers, users, domain } = ctx;
      const until = await reserve(payers.dave, "300", users.merchant.address);
      expect((await tenge.accountOf(payers.dave)).spentToday).to.equal(kzt("300"));
      const p = await sign(
        payers.dave,
        await payment(users.merchant.address, "100", { fromPurse: true, validBefore: until }),
        domain,
      );
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
      expect((await tenge.accountOf(payers.dave)).spentToday).to.equal(kzt("300"));
    });

    it("opens a purse period with its own nonce bitmap, marked (nonce 255 used) so its first payment rewrites a word", async function () {
      const { offline, payers, users } = ctx;
      const until = await reserve(payers.dave, "300", users.merchant.address);
      expect(await offline.purseNonceUsed(payers.dave, until, 255n)).to.equal(true);
      expect(await offline.purseNonceUsed(payers.dave, until, 0n)).to.equal(false);
      expect(await offline.purseNonceUsed(payers.dave, until + 1n, 255n)).to.equal(false);
    });

    it("tops up a purse in force on the same terms, within the cap", async function () {
      const { offline, payers, users } = ctx;
      const until = await reserve(payers.dave, "300", users.merchant.address);
      await expect(offline.connect(payers.dave).reservePurse(kzt("200"), until, users.merchant))
        .to.emit(offline, "OfflinePurseReserved")
        .withArgs(payers.dave.address, users.merchant.address, kzt("200"), kzt("500"), until);
      expect((await offline.purseOf(payers.dave)).amount).to.equal(kzt("500"));
    });

    it("reverts when a top-up changes the payee or the end: TengeOfflinePurseTermsLocked", async function () {
      const { offline, payers, users } = ctx;
      const until = await reserve(payers.dave, "300", users.merchant.address);
      for (const [end, payee] of [
        [until + 1n, users.merchant.address],
        [until - 1n, users.merchant.address],
        [until, ZeroAddress],
        [until, users.carol.address],
      ] as const) {
        await expect(offline.connect(payers.dave).reservePurse(kzt("1"), end, payee))
          .to.be.revertedWithCustomError(offline, "TengeOfflinePurseTermsLocked")
          .withArgs(payers.dave.address, users.merchant.address, until);
      }
    });

    it("the terms stay locked while in force even when the purse has been drawn to zero", async function () {
      const { offline, payers, users, domain } = ctx;
      const until = await reserve(payers.dave, "100", users.merchant.address);
      const p = await sign(
        payers.dave,
        await payment(users.merchant.address, "100", { fromPurse: true, validBefore: until }),
        domain,
      );
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
      expect((await offline.purseOf(payers.dave)).amount).to.equal(0n);
      await expect(offline.connect(payers.dave).reservePurse(kzt("100"), until + DAY, users.carol))
        .to.be.revertedWithCustomError(offline, "TengeOfflinePurseTermsLocked")
        .withArgs(payers.dave.address, users.merchant.address, until);
    });

    it("after the end, a new reservation carries the remainder into a new period with new terms", async function () {
      const { offline, payers, users } = ctx;
      const first = await reserve(payers.dave, "300", users.merchant.address, 1n);
      await time.increaseTo(first);
      const second = first + 5n * DAY;
      await expect(offline.connect(payers.dave).reservePurse(kzt("100"), second, users.carol))
        .to.emit(offline, "OfflinePurseReserved")
        .withArgs(payers.dave.address, users.carol.address, kzt("100"), kzt("400"), second);
      expect(await offline.purseOf(payers.dave)).to.deep.equal([kzt("400"), second, users.carol.address, true]);
      expect(await offline.purseNonceUsed(payers.dave, second, 255n)).to.equal(true);
    });

    it("reverts for an end in the past, now, or beyond 40 bits: TengeOfflineInvalidValidUntil", async function () {
      const { offline, payers, users } = ctx;
      for (const until of [0n, 1n, await now()]) {
        await expect(offline.connect(payers.dave).reservePurse(kzt("1"), until, users.merchant))
          .to.be.revertedWithCustomError(offline, "TengeOfflineInvalidValidUntil")
          .withArgs(until);
      }
      await expect(offline.connect(payers.dave).reservePurse(kzt("1"), MAX_40 + 1n, users.merchant))
        .to.be.revertedWithCustomError(offline, "TengeOfflineInvalidValidUntil")
        .withArgs(MAX_40 + 1n);
      await (await offline.connect(payers.dave).reservePurse(kzt("1"), MAX_40, users.merchant)).wait();
    });

    it("reverts above the holder's tier cap, and for a tier whose cap is zero: TengeOfflinePurseCapExceeded", async function () {
      const { tenge, offline, payers, users, banks } = ctx;
      const until = (await now()) + DAY;
      await (await tenge.connect(banks.bankA).mint(payers.dave, kzt("30000"))).wait();
      await expect(offline.connect(payers.dave).reservePurse(PURSE_CAPS[1] + 1n, until, users.merchant))
        .to.be.revertedWithCustomError(offline, "TengeOfflinePurseCapExceeded")
        .withArgs(payers.dave.address, PURSE_CAPS[1], PURSE_CAPS[1] + 1n);
      await (await offline.connect(payers.dave).reservePurse(PURSE_CAPS[1] - 1n, until, users.merchant)).wait();
      await expect(offline.connect(payers.dave).reservePurse(2n, until, users.merchant))
        .to.be.revertedWithCustomError(offline, "TengeOfflinePurseCapExceeded")
        .withArgs(payers.dave.address, PURSE_CAPS[1], PURSE_CAPS[1] + 1n);
      await (await tenge.connect(users.alice).transfer(users.merchant, kzt("10"))).wait();
      await expect(offline.connect(users.merchant).reservePurse(1n, until, ZeroAddress))
        .to.be.revertedWithCustomError(offline, "TengeOfflinePurseCapExceeded")
        .withArgs(users.merchant.address, 0n, 1n);
    });

    it("reverts for a zero amount or one above MAX_SUPPLY: DigitalTengeInvalidAmount", async function () {
      const { offline, payers, users } = ctx;
      const until = (await now()) + DAY;
      for (const amount of [0n, 2n ** 64n]) {
        await expect(offline.connect(payers.dave).reservePurse(amount, until, users.merchant))
          .to.be.revertedWithCustomError(offline, "DigitalTengeInvalidAmount")
          .withArgs(amount);
      }
    });

    it("applies the rules of a payment: balance, frozen funds, frozen wallet, onboarding, daily limit", async function () {
      const { tenge, offline, payers, users, roles } = ctx;
      const until = (await now()) + DAY;
      const m = users.merchant.address;
      await expect(offline.connect(payers.dave).reservePurse(kzt("1001"), until, m))
        .to.be.revertedWithCustomError(offline, "DigitalTengeInsufficientBalance")
        .withArgs(payers.dave.address, kzt("1000"), kzt("1001"));
      await (await tenge.connect(roles.compliance).freezeAmount(payers.dave, kzt("900"), REASON)).wait();
      await expect(offline.connect(payers.dave).reservePurse(kzt("200"), until, m))
        .to.be.revertedWithCustomError(offline, "DigitalTengeFundsFrozen")
        .withArgs(payers.dave.address, kzt("100"), kzt("200"));
      await (await tenge.connect(roles.compliance).freeze(payers.erin, REASON)).wait();
      await expect(offline.connect(payers.erin).reservePurse(kzt("1"), until, m))
        .to.be.revertedWithCustomError(offline, "DigitalTengeAccountFrozen")
        .withArgs(payers.erin.address);
      await expect(offline.connect(users.outsider).reservePurse(kzt("1"), until, m))
        .to.be.revertedWithCustomError(offline, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
      await (await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("50"))).wait();
      await expect(offline.connect(payers.frank).reservePurse(kzt("51"), until, m))
        .to.be.revertedWithCustomError(offline, "DigitalTengeDailyLimitExceeded")
        .withArgs(payers.frank.address, kzt("50"), kzt("51"));
    });

    it("reverts while paused: EnforcedPause", async function () {
      const { tenge, offline, payers, users, roles } = ctx;
      await (await tenge.connect(roles.pauser).pause()).wait();
      await expect(
        offline.connect(payers.dave).reservePurse(kzt("1"), (await now()) + DAY, users.merchant),
      ).to.be.revertedWithCustomError(offline, "EnforcedPause");
    });

    it("reverts if the token's own address was onboarded as a wallet: TengeOfflineEscrowOnboarded", async function () {
      const { tenge, offline, payers, users, roles } = ctx;
      const token = await tenge.getAddress();
      await (await tenge.connect(roles.desk).onboardInstitution(token)).wait();
      await expect(offline.connect(payers.dave).reservePurse(kzt("1"), (await now()) + DAY, users.merchant))
        .to.be.revertedWithCustomError(offline, "TengeOfflineEscrowOnboarded")
        .withArgs(token);
    });

    it("once a purse exists the token's address cannot be onboarded (its word is not empty)", async function () {
      const { tenge, payers, users, roles } = ctx;
      await reserve(payers.dave, "1", users.merchant.address);
      const token = await tenge.getAddress();
      await expect(tenge.connect(roles.desk).onboardInstitution(token))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAlreadyOnboarded")
        .withArgs(token);
      expect((await tenge.accountOf(token)).onboarded).to.equal(false);
    });
  });

  describe("releasePurse", function () {
    it("after the end, returns the remainder to the balance, removes the purse and emits both events", async function () {
      const { tenge, offline, payers, users } = ctx;
      const until = await reserve(payers.dave, "300", users.merchant.address, 1n);
      await time.increaseTo(until);
      const token = await tenge.getAddress();
      expect(await offline.connect(payers.dave).releasePurse.staticCall()).to.equal(kzt("300"));
      const tx = offline.connect(payers.dave).releasePurse();
      await expect(tx).to.changeTokenBalances(tenge, [payers.dave.address, token], [kzt("300"), -kzt("300")]);
      await expect(tx).to.emit(offline, "Transfer").withArgs(token, payers.dave.address, kzt("300"));
      await expect(tx).to.emit(offline, "OfflinePurseReleased").withArgs(payers.dave.address, kzt("300"));
      expect(await offline.purseOf(payers.dave)).to.deep.equal([0n, 0n, ZeroAddress, false]);
    });

    it("removes a purse drawn to zero without a Transfer", async function () {
      const { offline, payers, users, domain } = ctx;
      const until = await reserve(payers.dave, "100", users.merchant.address, 1n);
      const p = await sign(
        payers.dave,
        await payment(users.merchant.address, "100", { fromPurse: true, validBefore: until }),
        domain,
      );
      await settle(ctx, [p]);
      await time.increaseTo(until);
      const tx = offline.connect(payers.dave).releasePurse();
      await expect(tx).to.emit(offline, "OfflinePurseReleased").withArgs(payers.dave.address, 0n);
      await expect(tx).not.to.emit(offline, "Transfer");
    });

    it("reverts before the end: TengeOfflinePurseInForce; and without a purse: TengeOfflineNoPurse", async function () {
      const { offline, payers, users } = ctx;
      await expect(offline.connect(payers.dave).releasePurse())
        .to.be.revertedWithCustomError(offline, "TengeOfflineNoPurse")
        .withArgs(payers.dave.address);
      const until = await reserve(payers.dave, "300", users.merchant.address, 1n);
      await time.setNextBlockTimestamp(until - 1n);
      await expect(offline.connect(payers.dave).releasePurse())
        .to.be.revertedWithCustomError(offline, "TengeOfflinePurseInForce")
        .withArgs(payers.dave.address, until);
    });

    it("reverts while paused, for a frozen holder, and above the holder's holding limit", async function () {
      const { tenge, offline, payers, users, roles, banks } = ctx;
      const until = await reserve(payers.dave, "300", users.merchant.address, 1n);
      await time.increaseTo(until);
      await (await tenge.connect(roles.pauser).pause()).wait();
      await expect(offline.connect(payers.dave).releasePurse()).to.be.revertedWithCustomError(offline, "EnforcedPause");
      await (await tenge.connect(roles.pauser).unpause()).wait();
      await (await tenge.connect(roles.compliance).freeze(payers.dave, REASON)).wait();
      await expect(offline.connect(payers.dave).releasePurse())
        .to.be.revertedWithCustomError(offline, "DigitalTengeAccountFrozen")
        .withArgs(payers.dave.address);
      await (await tenge.connect(roles.compliance).unfreeze(payers.dave, REASON)).wait();
      // The purse counts toward no holding limit: the holder filled its wallet meanwhile.
      await (await tenge.connect(roles.desk).setTierLimits(1, kzt("1000"), kzt("500000"))).wait();
      await (await tenge.connect(banks.bankA).mint(payers.dave, kzt("300"))).wait();
      await expect(offline.connect(payers.dave).releasePurse())
        .to.be.revertedWithCustomError(offline, "DigitalTengeHoldingLimitExceeded")
        .withArgs(payers.dave.address, kzt("1000"), kzt("1300"));
    });
  });

  describe("purse payments", function () {
    it("draw from the purse, not the balance: Transfer token → payer → payee, the payee credited", async function () {
      const { tenge, offline, payers, users, domain } = ctx;
      const m = users.merchant.address;
      const until = await reserve(payers.dave, "300", m);
      const token = await tenge.getAddress();
      const p = await sign(payers.dave, await payment(m, "120", { fromPurse: true, validBefore: until }), domain);
      const tx = offline.connect(users.merchant).settleOfflinePayments(m, encodeOfflineBatch([p]));
      await expect(tx).to.changeTokenBalances(tenge, [payers.dave.address, token, m], [0n, -kzt("120"), kzt("120")]);
      await expect(tx).to.emit(offline, "Transfer").withArgs(token, payers.dave.address, kzt("120"));
      await expect(tx).to.emit(offline, "Transfer").withArgs(payers.dave.address, m, kzt("120"));
      await expect(tx).to.emit(offline, "OfflineBatchSettled").withArgs(m, 1n, 0n, kzt("120"));
      expect((await offline.purseOf(payers.dave)).amount).to.equal(kzt("180"));
      expect(await offline.purseNonceUsed(payers.dave, until, 0n)).to.equal(true);
      expect(await offline.offlineNonceStatus(payers.dave, 0n)).to.equal(0n);
    });

    it("a purse for any payee (zero) pays any payee", async function () {
      const { payers, users, domain } = ctx;
      const until = await reserve(payers.dave, "300", ZeroAddress);
      const p = await sign(
        payers.dave,
        await payment(users.carol.address, "50", { fromPurse: true, validBefore: until }),
        domain,
      );
      const settled = await settleRaw(ctx, users.carol, users.carol.address, encodeOfflineBatch([p]));
      expectOutcomes(settled, ["settled"]);
    });

    it("the purse and the balance have separate nonces: nonce 0 settles once from each", async function () {
      const { payers, users, domain } = ctx;
      const m = users.merchant.address;
      const until = await reserve(payers.dave, "300", m);
      const fromPurse = await sign(
        payers.dave,
        await payment(m, "10", { fromPurse: true, validBefore: until }),
        domain,
      );
      const fromBalance = await sign(payers.dave, await payment(m, "10"), domain);
      expectOutcomes(await settle(ctx, [fromPurse, fromBalance, fromPurse, fromBalance]), [
        "settled",
        "settled",
        "AlreadyUsed",
        "AlreadyUsed",
      ]);
    });

    it("NoPurse: without a purse, after the purse's end, and for a tampered purse payment", async function () {
      const { payers, users, domain } = ctx;
      const m = users.merchant.address;
      const none = await sign(payers.erin, await payment(m, "1", { fromPurse: true }), domain);
      const until = await reserve(payers.dave, "300", m, 1n);
      const good = await sign(payers.dave, await payment(m, "1", { fromPurse: true, validBefore: until }), domain);
      const tampered = patchRecord(good, 0, "0x0000000000002710");
      expectOutcomes(await settleRaw(ctx, users.merchant, m, encodeOfflineBatch([none]) + tampered.slice(2)), [
        "NoPurse",
        "NoPurse",
      ]);
      const late = await sign(
        payers.dave,
        await payment(m, "1", { fromPurse: true, nonce: 1n, validBefore: until + DAY }),
        domain,
      );
      await time.setNextBlockTimestamp(until);
      expectOutcomes(await settle(ctx, [late]), ["NoPurse"]);
    });

    it("PurseTermsMismatch: to a payee other than the designated one, or valid beyond the purse's end", async function () {
      const { payers, users, domain } = ctx;
      const m = users.merchant.address;
      const until = await reserve(payers.dave, "300", m);
      const toCarol = await sign(
        payers.dave,
        await payment(users.carol.address, "1", { fromPurse: true, validBefore: until }),
        domain,
      );
      expectOutcomes(await settleRaw(ctx, users.carol, users.carol.address, encodeOfflineBatch([toCarol])), [
        "PurseTermsMismatch",
      ]);
      const tooLong = await sign(
        payers.dave,
        await payment(m, "1", { fromPurse: true, validBefore: until + 1n }),
        domain,
      );
      const exact = await sign(payers.dave, await payment(m, "1", { fromPurse: true, validBefore: until }), domain);
      expectOutcomes(await settle(ctx, [tooLong, exact]), ["PurseTermsMismatch", "settled"]);
    });

    it("InsufficientFunds when the purse holds less than the payment; AlreadyUsed for a reused nonce or nonce 255", async function () {
      const { payers, users, domain } = ctx;
      const m = users.merchant.address;
      const until = await reserve(payers.dave, "300", m);
      const sign1 = async (amount: string, nonce: bigint) =>
        sign(payers.dave, await payment(m, amount, { fromPurse: true, validBefore: until, nonce }), domain);
      const a = await sign1("200", 1n);
      const b = await sign1("200", 2n);
      const c = await sign1("100", 3n);
      const sentinel = await signUnchecked(
        payers.dave,
        domain,
        await payment(m, "1", { fromPurse: true, validBefore: until, nonce: 255n }),
      );
      const data = encodeOfflineBatch([a, b, c, a]) + recordUnchecked(sentinel).slice(2);
      expectOutcomes(await settleRaw(ctx, users.merchant, m, data), [
        "settled",
        "InsufficientFunds",
        "settled",
        "AlreadyUsed",
        "AlreadyUsed",
      ]);
    });

    it("a payment settles against one purse period only: it cannot settle again in the next period", async function () {
      const { offline, payers, users, domain } = ctx;
      const m = users.merchant.address;
      const first = await reserve(payers.dave, "300", m, 1n);
      const p = await sign(payers.dave, await payment(m, "10", { fromPurse: true, validBefore: first }), domain);
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
      // A payment valid beyond the first period could not draw on it, and draws once on the second.
      const q = await sign(
        payers.dave,
        await payment(m, "10", { fromPurse: true, nonce: 1n, validBefore: first + 3n * DAY }),
        domain,
      );
      expectOutcomes(await settle(ctx, [q]), ["PurseTermsMismatch"]);
      await time.increaseTo(first);
      const second = first + 5n * DAY;
      await (await offline.connect(payers.dave).reservePurse(kzt("10"), second, m)).wait();
      expectOutcomes(await settle(ctx, [p, q, q]), ["Expired", "settled", "AlreadyUsed"]);
    });
  });

  describe("the merchant's guarantee", function () {
    it("purse payments the merchant accepted all settle whatever the payer does meanwhile", async function () {
      const { tenge, offline, payers, users, roles, banks, domain } = ctx;
      const m = users.merchant.address;
      const dave = payers.dave;
      const until = await reserve(dave, "600", m, 3n);
      // What the merchant's terminal read from the chain before going offline: purse 600, designated to it.
      const purse = await offline.purseOf(dave);
      expect([purse.amount, purse.payee, purse.inForce]).to.deep.equal([kzt("600"), m, true]);
      // Offline: three payments with distinct nonces, ending no later than the purse, 600 in total.
      const accepted = await Promise.all(
        [0n, 1n, 2n].map(async (nonce) =>
          sign(dave, await payment(m, "200", { fromPurse: true, nonce, validBefore: until }), domain),
        ),
      );
      // Meanwhile the payer empties its wallet, cancels nonces, tries to take the purse back or redirect it, and is
      // frozen by compliance.
      await (await tenge.connect(dave).transfer(users.alice, await tenge.balanceOf(dave))).wait();
      await (await offline.connect(dave).cancelOfflineNonces(0n, 7n)).wait();
      await expect(offline.connect(dave).releasePurse()).to.be.revertedWithCustomError(
        offline,
        "TengeOfflinePurseInForce",
      );
      await expect(offline.connect(dave).reservePurse(1n, until + DAY, users.carol)).to.be.revertedWithCustomError(
        offline,
        "TengeOfflinePurseTermsLocked",
      );
      const toCarol = await sign(
        dave,
        await payment(users.carol.address, "200", { fromPurse: true, validBefore: until }),
        domain,
      );
      expectOutcomes(await settleRaw(ctx, users.carol, users.carol.address, encodeOfflineBatch([toCarol])), [
        "PurseTermsMismatch",
      ]);
      await (await tenge.connect(roles.compliance).freeze(dave, REASON)).wait();
      await (await tenge.connect(banks.bankA).mint(users.merchant, kzt("1"))).wait();
      // Back online, two days later: every accepted payment settles.
      await time.increase(2n * DAY);
      const settled = await settle(ctx, accepted);
      expectOutcomes(settled, ["settled", "settled", "settled"]);
      expect(settled.result.total).to.equal(kzt("600"));
      expect((await offline.purseOf(dave)).amount).to.equal(0n);
    });

    it("does not cover payments beyond the purse: the merchant sees them fail", async function () {
      const { payers, users, domain } = ctx;
      const m = users.merchant.address;
      const until = await reserve(payers.dave, "100", m);
      const over = await Promise.all(
        [0n, 1n].map(async (nonce) =>
          sign(payers.dave, await payment(m, "60", { fromPurse: true, nonce, validBefore: until }), domain),
        ),
      );
      expectOutcomes(await settle(ctx, over), ["settled", "InsufficientFunds"]);
    });

    it("a global pause stops settlement: the merchant settles once the pause is lifted, before the payments end", async function () {
      const { tenge, offline, payers, users, roles, domain } = ctx;
      const m = users.merchant.address;
      const until = await reserve(payers.dave, "100", m);
      const p = await sign(payers.dave, await payment(m, "100", { fromPurse: true, validBefore: until }), domain);
      await (await tenge.connect(roles.pauser).pause()).wait();
      await expect(
        offline.connect(users.merchant).settleOfflinePayments(m, encodeOfflineBatch([p])),
      ).to.be.revertedWithCustomError(offline, "EnforcedPause");
      await (await tenge.connect(roles.pauser).unpause()).wait();
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
    });
  });
});
