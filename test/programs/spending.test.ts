import { expect } from "chai";
import { ethers } from "hardhat";
import { setBalance, time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { Signature, TypedDataEncoder, Wallet, encodeBytes32String, id } from "ethers";
import { malleableTwin } from "../../scripts/lib/eip712";
import { SPEND_TYPES, signSpend } from "../../scripts/lib/programs";
import {
  ALMATY,
  DAY,
  PERIOD,
  createByTransferAndCall,
  expectProgramsInvariant,
  kzt,
  lunchFixture,
  lunchTerms,
  nextAlmatyMidnight,
  type LunchFixture,
} from "../fixtures/programs.fixture";

const LUNCH = kzt("1200");
const REF = encodeBytes32String("CANTEEN-2026-09");

/** Unix time of Almaty midnight starting the month after the one `timestamp` falls in. */
function nextAlmatyMonth(timestamp: bigint): bigint {
  const local = new Date(Number((timestamp + ALMATY) * 1000n));
  const next = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1);
  return BigInt(next / 1000) - ALMATY;
}

/** The program's period index as the contract should compute it, from JavaScript's calendar. */
function expectedIndex(period: number, timestamp: bigint): bigint {
  if (period === PERIOD.whole) return 0n;
  const day = (timestamp + ALMATY) / DAY;
  if (period === PERIOD.day) return day;
  if (period === PERIOD.week) return (day + 3n) / 7n;
  const local = new Date(Number((timestamp + ALMATY) * 1000n));
  return BigInt(local.getUTCFullYear() * 12 + local.getUTCMonth());
}

describe("PurposeBoundPrograms: spending", function () {
  let ctx: LunchFixture;

  beforeEach(async function () {
    ctx = await loadFixture(lunchFixture);
  });

  afterEach(async function () {
    await expectProgramsInvariant(ctx.programs, ctx.tenge);
  });

  /** A program of `period` with the lunch fixture's canteens and kid1 enrolled; returns its id. */
  async function programWith(period: number, allowance = LUNCH, budget = kzt("10000")): Promise<bigint> {
    const { tenge, programs, city, operator, canteens, kids } = ctx;
    const programId = await createByTransferAndCall(
      tenge,
      programs,
      city,
      budget,
      await lunchTerms({ period, allowance, expiry: BigInt(await time.latest()) + 400n * DAY }),
    );
    await programs.connect(operator).addMerchants(programId, [canteens.canteen1]);
    await programs.connect(operator).enrolBeneficiaries(programId, [kids.kid1], []);
    return programId;
  }

  describe("spend", function () {
    it("pays the canteen ordinary tenge from the escrow at once and emits Spent", async function () {
      const { tenge, programs, programId, kids, canteens } = ctx;
      const tx = programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("950"));
      await expect(tx).to.changeTokenBalances(tenge, [programs, canteens.canteen1], [-kzt("950"), kzt("950")]);
      await expect(tx)
        .to.emit(programs, "Spent")
        .withArgs(programId, kids.kid1.address, canteens.canteen1, kzt("950"), false);
      const b = await programs.beneficiaryOf(programId, kids.kid1);
      expect([b.spentThisPeriod, b.periodLeft, b.available, b.nonce]).to.deep.equal([
        kzt("950"),
        kzt("250"),
        kzt("250"),
        0n,
      ]);
      const p = await programs.programOf(programId);
      expect([p.spent, p.earmarked]).to.deep.equal([kzt("950"), kzt("49050")]);
    });

    it("gives the canteen money it can redeem to bank money through its bank", async function () {
      const { tenge, programs, programId, kids, canteens, users } = ctx;
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      await expect(tenge.connect(users.merchant).redeem(LUNCH, REF))
        .to.emit(tenge, "Redeemed")
        .withArgs(users.merchant.address, ctx.banks.bankA.address, LUNCH, REF);
    });

    it("lets each child spend its own allowance, at any eligible canteen", async function () {
      const { tenge, programs, programId, kids, canteens } = ctx;
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("700"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen2, kzt("500"));
      await programs.connect(kids.kid2).spend(programId, canteens.canteen2, LUNCH);
      expect(await tenge.balanceOf(canteens.canteen2)).to.equal(kzt("1700"));
      expect((await programs.programOf(programId)).spent).to.equal(kzt("2400"));
    });

    it("reverts with ProgramsAllowanceExceeded naming what is left, then allows exactly that", async function () {
      const { programs, programId, kids, canteens } = ctx;
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1000"));
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("200.01")))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, kzt("200"), kzt("200.01"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("200"));
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, 0n, 1n);
    });

    it("spends the period's allowance first, then top-ups, which carry over", async function () {
      const { programs, operator, programId, kids, canteens } = ctx;
      await programs.connect(operator).topUp(programId, [kids.kid1], [kzt("500")]);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1500"));
      let b = await programs.beneficiaryOf(programId, kids.kid1);
      expect([b.spentThisPeriod, b.periodLeft, b.extra, b.available]).to.deep.equal([
        LUNCH,
        0n,
        kzt("200"),
        kzt("200"),
      ]);
      await time.increaseTo(nextAlmatyMidnight(BigInt(await time.latest())) + 3_600n);
      b = await programs.beneficiaryOf(programId, kids.kid1);
      expect([b.spentThisPeriod, b.periodLeft, b.extra, b.available]).to.deep.equal([
        0n,
        LUNCH,
        kzt("200"),
        kzt("1400"),
      ]);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1400.01")))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, kzt("1400"), kzt("1400.01"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1300"));
      b = await programs.beneficiaryOf(programId, kids.kid1);
      expect([b.spentThisPeriod, b.extra]).to.deep.equal([LUNCH, kzt("100")]);
    });

    it("with an allowance of 0, spends top-ups only", async function () {
      const { programs, operator, kids, canteens } = ctx;
      const programId = await programWith(PERIOD.day, 0n);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, 0n, 1n);
      await programs.connect(operator).topUp(programId, [kids.kid1], [kzt("300")]);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("300"));
      expect((await programs.beneficiaryOf(programId, kids.kid1)).available).to.equal(0n);
    });

    it("reverts with ProgramsBudgetExhausted when the budget left is short, whatever the allowances", async function () {
      const { programs, operator, kids, canteens } = ctx;
      const programId = await programWith(PERIOD.day, LUNCH, kzt("2000"));
      await programs.connect(operator).enrolBeneficiaries(programId, [kids.kid2], []);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      await expect(programs.connect(kids.kid2).spend(programId, canteens.canteen1, LUNCH))
        .to.be.revertedWithCustomError(programs, "ProgramsBudgetExhausted")
        .withArgs(programId, kzt("800"), LUNCH);
      await programs.connect(kids.kid2).spend(programId, canteens.canteen1, kzt("800"));
      expect((await programs.programOf(programId)).earmarked).to.equal(0n);
    });

    it("reverts with ProgramsMerchantNotEligible anywhere but the program's canteens", async function () {
      const { programs, operator, programId, kids, canteens, users } = ctx;
      await expect(programs.connect(kids.kid1).spend(programId, users.alice, kzt("10")))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantNotEligible")
        .withArgs(programId, users.alice.address);
      await programs.connect(operator).removeMerchants(programId, [canteens.canteen2]);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen2, kzt("10")))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantNotEligible")
        .withArgs(programId, canteens.canteen2);
    });

    it("reverts with ProgramsNotEnrolled for a wallet not (or no longer) enrolled", async function () {
      const { programs, operator, programId, kids, canteens } = ctx;
      await expect(programs.connect(kids.kid3).spend(programId, canteens.canteen1, kzt("10")))
        .to.be.revertedWithCustomError(programs, "ProgramsNotEnrolled")
        .withArgs(programId, kids.kid3.address);
      await programs.connect(operator).removeBeneficiaries(programId, [kids.kid2]);
      await expect(programs.connect(kids.kid2).spend(programId, canteens.canteen1, kzt("10")))
        .to.be.revertedWithCustomError(programs, "ProgramsNotEnrolled")
        .withArgs(programId, kids.kid2.address);
    });

    it("reverts with ProgramsZeroAmount for nothing", async function () {
      const { programs, programId, kids, canteens } = ctx;
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, 0n)).to.be.revertedWithCustomError(
        programs,
        "ProgramsZeroAmount",
      );
    });

    it("reverts with ProgramsNotStarted before the start and ProgramsProgramExpired from the expiry on", async function () {
      const { tenge, programs, city, operator, kids, canteens } = ctx;
      const start = BigInt(await time.latest()) + DAY;
      const expiry = start + 5n * DAY;
      const programId = await createByTransferAndCall(
        tenge,
        programs,
        city,
        kzt("100"),
        await lunchTerms({ start, expiry }),
      );
      await programs.connect(operator).addMerchants(programId, [canteens.canteen1]);
      await programs.connect(operator).enrolBeneficiaries(programId, [kids.kid1], []);
      await time.setNextBlockTimestamp(start - 1n);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsNotStarted")
        .withArgs(programId, start, start - 1n);
      await time.setNextBlockTimestamp(start);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1"));
      await time.setNextBlockTimestamp(expiry - 1n);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1"));
      await time.setNextBlockTimestamp(expiry);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramExpired")
        .withArgs(programId, expiry, expiry);
    });

    it("reverts with ProgramsProgramClosed after close and ProgramsUnknownProgram for no program", async function () {
      const { programs, programId, kids, canteens, city } = ctx;
      await expect(programs.connect(kids.kid1).spend(5, canteens.canteen1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsUnknownProgram")
        .withArgs(5n);
      await programs.connect(city).close(programId);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramClosed")
        .withArgs(programId);
    });

    it("checks in the documented order: program, amount, merchant, enrolment, allowance, budget", async function () {
      const { programs, programId, kids, users } = ctx;
      // not eligible and not enrolled: the merchant is named first
      await expect(programs.connect(kids.kid3).spend(programId, users.alice, kzt("99999")))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantNotEligible")
        .withArgs(programId, users.alice.address);
      // zero amount before the merchant
      await expect(programs.connect(kids.kid3).spend(programId, users.alice, 0n)).to.be.revertedWithCustomError(
        programs,
        "ProgramsZeroAmount",
      );
      // above both allowance and budget: the allowance is named
      await expect(programs.connect(kids.kid1).spend(programId, ctx.canteens.canteen1, kzt("60000")))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, LUNCH, kzt("60000"));
    });
  });

  describe("the tenge's rules still apply to the payment", function () {
    it("passes DigitalTengeAccountFrozen through for a frozen canteen, and spends nothing", async function () {
      const { tenge, programs, programId, kids, canteens, roles } = ctx;
      await tenge.connect(roles.compliance).freeze(canteens.canteen1, id("case 1"));
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(canteens.canteen1);
      expect((await programs.beneficiaryOf(programId, kids.kid1)).available).to.equal(LUNCH);
    });

    it("passes DigitalTengeNotOnboarded through for a canteen its bank offboarded", async function () {
      const { tenge, programs, programId, kids, canteens, banks } = ctx;
      await tenge.connect(banks.bankB).offboard(canteens.canteen2);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen2, LUNCH))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(canteens.canteen2);
    });

    it("passes DigitalTengeHoldingLimitExceeded through when the canteen would exceed its tier's holding limit", async function () {
      const { tenge, programs, programId, kids, canteens, roles } = ctx;
      await tenge.connect(roles.desk).setTierLimits(3, kzt("1000"), kzt("1000"));
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen2, LUNCH))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(canteens.canteen2, kzt("1000"), LUNCH);
    });

    it("passes EnforcedPause through while the tenge is paused", async function () {
      const { tenge, programs, programId, kids, canteens, roles } = ctx;
      await tenge.connect(roles.pauser).pause();
      await expect(
        programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH),
      ).to.be.revertedWithCustomError(tenge, "EnforcedPause");
      await tenge.connect(roles.pauser).unpause();
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
    });
  });

  describe("allowance periods (Almaty time)", function () {
    it("day: the allowance renews at Almaty midnight, not before", async function () {
      const { programs, programId, kids, canteens } = ctx;
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      const midnight = nextAlmatyMidnight(BigInt(await time.latest()));
      await time.setNextBlockTimestamp(midnight - 1n);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, 0n, 1n);
      await time.setNextBlockTimestamp(midnight);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      expect(midnight % DAY, "Almaty midnight is 19:00 UTC").to.equal(19n * 3_600n);
    });

    it("day: an unused day's allowance does not accumulate", async function () {
      const { programs, programId, kids, canteens } = ctx;
      await time.increase(3n * DAY);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH + 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, LUNCH, LUNCH + 1n);
    });

    it("week: renews on Monday at Almaty midnight", async function () {
      const { programs, kids, canteens } = ctx;
      const programId = await programWith(PERIOD.week, kzt("6000"), kzt("20000"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("6000")); // Monday
      const now = BigInt(await time.latest());
      const nextMonday = nextAlmatyMidnight(now) + 6n * DAY;
      await time.setNextBlockTimestamp(nextMonday - 1n); // Sunday 23:59:59
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, 0n, 1n);
      await time.setNextBlockTimestamp(nextMonday);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("6000"));
    });

    it("month: renews on the first of the month at Almaty midnight", async function () {
      const { programs, kids, canteens } = ctx;
      const programId = await programWith(PERIOD.month, kzt("25000"), kzt("100000"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("25000"));
      const first = nextAlmatyMonth(BigInt(await time.latest()));
      await time.setNextBlockTimestamp(first - 1n);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, 0n, 1n);
      await time.setNextBlockTimestamp(first);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("25000"));
      const second = nextAlmatyMonth(first);
      await time.setNextBlockTimestamp(second);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("25000"));
    });

    it("whole: one allowance for the program's whole life", async function () {
      const { programs, kids, canteens } = ctx;
      const programId = await programWith(PERIOD.whole, kzt("3000"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("2000"));
      await time.increase(200n * DAY);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1000.01")))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, kids.kid1.address, kzt("1000"), kzt("1000.01"));
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1000"));
    });

    it("periodIndex agrees with the calendar for every kind, across leap years and centuries", async function () {
      const { programs } = ctx;
      const samples: bigint[] = [
        0n,
        1n,
        19n * 3_600n - 1n, // 1970-01-01 23:59:59 Almaty
        19n * 3_600n,
        951_782_400n - ALMATY, // 2000-02-29 Almaty midnight
        951_868_800n - ALMATY, // 2000-03-01
        4_107_542_400n - ALMATY, // 2100-03-01 (2100 is not a leap year)
        4_107_542_400n - ALMATY - 1n,
        2n ** 32n - 1n,
      ];
      let x = 123_456_789n;
      for (let i = 0; i < 120; i++) {
        x = (x * 6_364_136_223_846_793_005n + 1_442_695_040_888_963_407n) % 2n ** 64n;
        samples.push(x % 2n ** 32n);
      }
      for (const timestamp of samples) {
        for (const period of [PERIOD.day, PERIOD.week, PERIOD.month, PERIOD.whole]) {
          expect(await programs.periodIndex(period, timestamp), `period ${period} at ${timestamp}`).to.equal(
            expectedIndex(period, timestamp),
          );
        }
      }
    });
  });

  describe("spendFor: the card signs, the canteen's terminal submits", function () {
    /** A gasless card wallet enrolled in the lunch program, and the terminal that relays for it. */
    async function cardSetUp() {
      const { programs, operator, programId, users } = ctx;
      const card = Wallet.createRandom();
      await programs.connect(operator).enrolBeneficiaries(programId, [card.address], []);
      return { card, terminal: users.relayer, deadline: BigInt(await time.latest()) + 600n, programId };
    }

    it("pays the canteen on the card's signature; the child needs no gas; the nonce moves on", async function () {
      const { tenge, programs, canteens } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      expect(await ethers.provider.getBalance(card.address)).to.equal(0n);
      const { authorization: a, signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: LUNCH,
        deadline,
      });
      expect(a.nonce).to.equal(0n);
      const tx = programs
        .connect(terminal)
        .spendFor(programId, card.address, canteens.canteen1, LUNCH, deadline, signature);
      await expect(tx).to.changeTokenBalances(tenge, [programs, canteens.canteen1], [-LUNCH, LUNCH]);
      await expect(tx).to.emit(programs, "Spent").withArgs(programId, card.address, canteens.canteen1, LUNCH, true);
      const b = await programs.beneficiaryOf(programId, card.address);
      expect([b.nonce, b.spentThisPeriod]).to.deep.equal([1n, LUNCH]);
    });

    it("refuses a replay with ProgramsInvalidSignature (the nonce has moved on)", async function () {
      const { programs, canteens } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      const { signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("100"),
        deadline,
      });
      await programs
        .connect(terminal)
        .spendFor(programId, card.address, canteens.canteen1, kzt("100"), deadline, signature);
      await expect(
        programs
          .connect(terminal)
          .spendFor(programId, card.address, canteens.canteen1, kzt("100"), deadline, signature),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsInvalidSignature")
        .withArgs(card.address);
    });

    it("refuses with ProgramsInvalidSignature a changed amount, merchant or program, another signer, or a malleable twin", async function () {
      const { programs, canteens, users } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      const signed = {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("100"),
        deadline,
      };
      const { signature } = await signSpend(card, programs, signed);
      const bad: [bigint, string, bigint, string][] = [
        [programId, canteens.canteen1, kzt("101"), signature],
        [programId, canteens.canteen2, kzt("100"), signature],
        [programId + 1n, canteens.canteen1, kzt("100"), signature],
        [programId, canteens.canteen1, kzt("100"), (await signSpend(users.alice, programs, signed)).signature],
        [programId, canteens.canteen1, kzt("100"), malleable(signature)],
        [programId, canteens.canteen1, kzt("100"), "0x1234"],
      ];
      for (const [program, merchant, amount, sig] of bad) {
        await expect(programs.connect(terminal).spendFor(program, card.address, merchant, amount, deadline, sig))
          .to.be.revertedWithCustomError(programs, "ProgramsInvalidSignature")
          .withArgs(card.address);
      }
    });

    it("refuses with ProgramsAuthorizationExpired after the deadline", async function () {
      const { programs, canteens } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      const { signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("100"),
        deadline,
      });
      await time.setNextBlockTimestamp(deadline + 1n);
      await expect(
        programs
          .connect(terminal)
          .spendFor(programId, card.address, canteens.canteen1, kzt("100"), deadline, signature),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsAuthorizationExpired")
        .withArgs(deadline, deadline + 1n);
    });

    it("accepts the authorization up to and including its deadline", async function () {
      const { programs, canteens } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      const { signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("100"),
        deadline,
      });
      await time.setNextBlockTimestamp(deadline);
      await programs
        .connect(terminal)
        .spendFor(programId, card.address, canteens.canteen1, kzt("100"), deadline, signature);
    });

    it("applies every spending rule after the signature, and a refused payment does not consume the nonce", async function () {
      const { programs, canteens, operator } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      const over = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: LUNCH + 1n,
        deadline,
      });
      await expect(
        programs
          .connect(terminal)
          .spendFor(programId, card.address, canteens.canteen1, LUNCH + 1n, deadline, over.signature),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, card.address, LUNCH, LUNCH + 1n);
      expect((await programs.beneficiaryOf(programId, card.address)).nonce).to.equal(0n);
      await programs.connect(operator).removeBeneficiaries(programId, [card.address]);
      const ok = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("1"),
        deadline,
      });
      await expect(
        programs
          .connect(terminal)
          .spendFor(programId, card.address, canteens.canteen1, kzt("1"), deadline, ok.signature),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsNotEnrolled")
        .withArgs(programId, card.address);
    });

    it("keeps the nonce across removal and re-enrolment, so an old authorization stays void", async function () {
      const { programs, canteens, operator } = ctx;
      const { card, terminal, deadline, programId } = await cardSetUp();
      const first = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("1"),
        deadline,
      });
      await programs
        .connect(terminal)
        .spendFor(programId, card.address, canteens.canteen1, kzt("1"), deadline, first.signature);
      await programs.connect(operator).removeBeneficiaries(programId, [card.address]);
      await programs.connect(operator).enrolBeneficiaries(programId, [card.address], []);
      expect((await programs.beneficiaryOf(programId, card.address)).nonce).to.equal(1n);
      await expect(
        programs
          .connect(terminal)
          .spendFor(programId, card.address, canteens.canteen1, kzt("1"), deadline, first.signature),
      ).to.be.revertedWithCustomError(programs, "ProgramsInvalidSignature");
    });

    it("accepts an ERC-1271 contract wallet's signature", async function () {
      const { programs, operator, programId, canteens, kids, users } = ctx;
      const wallet = await ethers.deployContract("ERC1271WalletMock", [kids.kid3.address]);
      await programs.connect(operator).enrolBeneficiaries(programId, [wallet], []);
      const deadline = BigInt(await time.latest()) + 600n;
      const { signature } = await signSpend(kids.kid3, programs, {
        programId,
        beneficiary: await wallet.getAddress(),
        merchant: canteens.canteen1,
        amount: kzt("10"),
        deadline,
      });
      await expect(
        programs.connect(users.relayer).spendFor(programId, wallet, canteens.canteen1, kzt("10"), deadline, signature),
      )
        .to.emit(programs, "Spent")
        .withArgs(programId, await wallet.getAddress(), canteens.canteen1, kzt("10"), true);
      const wrong = await signSpend(kids.kid2, programs, {
        programId,
        beneficiary: await wallet.getAddress(),
        merchant: canteens.canteen1,
        amount: kzt("10"),
        deadline,
      });
      await expect(
        programs
          .connect(users.relayer)
          .spendFor(programId, wallet, canteens.canteen1, kzt("10"), deadline, wrong.signature),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsInvalidSignature")
        .withArgs(await wallet.getAddress());
    });

    it("a child may also pay in its own transaction when it has gas, with the same allowance", async function () {
      const { programs, programId, canteens } = ctx;
      const { card, terminal, deadline } = await cardSetUp();
      const { signature } = await signSpend(card, programs, {
        programId,
        beneficiary: card.address,
        merchant: canteens.canteen1,
        amount: kzt("700"),
        deadline,
      });
      await programs
        .connect(terminal)
        .spendFor(programId, card.address, canteens.canteen1, kzt("700"), deadline, signature);
      const funded = card.connect(ethers.provider);
      await setBalance(card.address, 10n ** 18n);
      await expect(programs.connect(funded).spend(programId, canteens.canteen1, kzt("501")))
        .to.be.revertedWithCustomError(programs, "ProgramsAllowanceExceeded")
        .withArgs(programId, card.address, kzt("500"), kzt("501"));
    });

    it("publishes its EIP-712 domain (EIP-5267) and a matching DOMAIN_SEPARATOR and SPEND_TYPEHASH", async function () {
      const { programs } = ctx;
      const [fields, name, version, chainId, verifyingContract, salt, extensions] = await programs.eip712Domain();
      expect([fields, name, version, salt, extensions]).to.deep.equal([
        "0x0f",
        "PurposeBoundPrograms",
        "1",
        ethers.ZeroHash,
        [],
      ]);
      expect(chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(verifyingContract).to.equal(await programs.getAddress());
      expect(await programs.DOMAIN_SEPARATOR()).to.equal(
        TypedDataEncoder.hashDomain({ name, version, chainId, verifyingContract }),
      );
      expect(await programs.SPEND_TYPEHASH()).to.equal(id(TypedDataEncoder.from(SPEND_TYPES).encodeType("Spend")));
    });
  });

  describe("many children", function () {
    it("two hundred children enrolled in one batch each pay for lunch", async function () {
      const { programs, operator, programId, canteens, users } = ctx;
      const cards = Array.from({ length: 200 }, (_, i) => new Wallet(id(`lunch child ${i}`)));
      await programs.connect(operator).enrolBeneficiaries(
        programId,
        cards.map((c) => c.address),
        [],
      );
      const deadline = BigInt(await time.latest()) + 3_600n;
      for (const card of cards.slice(0, 20)) {
        const { signature } = await signSpend(card, programs, {
          programId,
          beneficiary: card.address,
          merchant: canteens.canteen2,
          amount: kzt("450"),
          nonce: 0n,
          deadline,
        });
        await programs
          .connect(users.relayer)
          .spendFor(programId, card.address, canteens.canteen2, kzt("450"), deadline, signature);
      }
      expect((await programs.programOf(programId)).spent).to.equal(kzt("9000"));
    });
  });
});

/** The high-s twin of a packed 65-byte signature. */
function malleable(signature: string): string {
  const sig = Signature.from(signature);
  return malleableTwin({ v: sig.v, r: sig.r, s: sig.s, serialized: sig.serialized }).serialized;
}
