import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, ZeroHash, id } from "ethers";
import { cardCommitment } from "../../scripts/lib/programs";
import {
  CARD_COMMITMENT,
  expectProgramsInvariant,
  fixedAddress,
  kzt,
  lunchFixture,
  type LunchFixture,
} from "../fixtures/programs.fixture";

const MAX_UINT64 = 2n ** 64n - 1n;

describe("PurposeBoundPrograms: merchants, beneficiaries and top-ups (operator)", function () {
  let ctx: LunchFixture;

  beforeEach(async function () {
    ctx = await loadFixture(lunchFixture);
  });

  afterEach(async function () {
    await expectProgramsInvariant(ctx.programs, ctx.tenge);
  });

  describe("addMerchants", function () {
    it("lists the merchants, counts them and emits MerchantAdded for each", async function () {
      const { programs, operator, programId, canteens } = ctx;
      expect(await programs.isMerchant(programId, canteens.canteen1)).to.equal(true);
      expect(await programs.isMerchant(programId, canteens.canteen2)).to.equal(true);
      expect((await programs.programOf(programId)).merchants).to.equal(2n);
      const { tenge, banks } = ctx;
      const canteen3 = fixedAddress("canteen 3");
      await tenge.connect(banks.bankA).onboard(canteen3, 3);
      await expect(programs.connect(operator).addMerchants(programId, [canteen3]))
        .to.emit(programs, "MerchantAdded")
        .withArgs(programId, canteen3);
      expect((await programs.programOf(programId)).merchants).to.equal(3n);
    });

    it("lists a merchant per program: one program's canteen is not another's", async function () {
      const { programs, tenge, city, operator, canteens } = ctx;
      await tenge.connect(city).approve(programs, kzt("10"));
      await programs.connect(city).createProgram(ctx.terms, kzt("10"));
      expect(await programs.isMerchant(2, canteens.canteen1)).to.equal(false);
      await programs.connect(operator).addMerchants(2, [canteens.canteen1]);
      expect(await programs.isMerchant(2, canteens.canteen1)).to.equal(true);
    });

    it("reverts with ProgramsMerchantAlreadyAdded for a listed merchant, even repeated within one batch", async function () {
      const { tenge, banks, programs, operator, programId, canteens } = ctx;
      await expect(programs.connect(operator).addMerchants(programId, [canteens.canteen1]))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantAlreadyAdded")
        .withArgs(programId, canteens.canteen1);
      const canteen3 = fixedAddress("canteen 3");
      await tenge.connect(banks.bankA).onboard(canteen3, 3);
      await expect(programs.connect(operator).addMerchants(programId, [canteen3, canteen3]))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantAlreadyAdded")
        .withArgs(programId, canteen3);
    });

    it("reverts with ProgramsNotOnboardedInTenge for a merchant the tenge would refuse to pay (or the zero address)", async function () {
      const { programs, operator, programId } = ctx;
      const stranger = fixedAddress("not a tenge wallet");
      await expect(programs.connect(operator).addMerchants(programId, [stranger]))
        .to.be.revertedWithCustomError(programs, "ProgramsNotOnboardedInTenge")
        .withArgs(stranger);
      await expect(programs.connect(operator).addMerchants(programId, [ZeroAddress]))
        .to.be.revertedWithCustomError(programs, "ProgramsNotOnboardedInTenge")
        .withArgs(ZeroAddress);
    });

    it("reverts with ProgramsEmptyBatch for no merchants", async function () {
      const { programs, operator, programId } = ctx;
      await expect(programs.connect(operator).addMerchants(programId, [])).to.be.revertedWithCustomError(
        programs,
        "ProgramsEmptyBatch",
      );
    });
  });

  describe("removeMerchants", function () {
    it("unlists the merchants, counts them down and emits MerchantRemoved", async function () {
      const { programs, operator, programId, canteens } = ctx;
      await expect(programs.connect(operator).removeMerchants(programId, [canteens.canteen2]))
        .to.emit(programs, "MerchantRemoved")
        .withArgs(programId, canteens.canteen2);
      expect(await programs.isMerchant(programId, canteens.canteen2)).to.equal(false);
      expect((await programs.programOf(programId)).merchants).to.equal(1n);
    });

    it("reverts with ProgramsMerchantNotEligible for a merchant not listed, and ProgramsEmptyBatch for none", async function () {
      const { programs, operator, programId, users } = ctx;
      await expect(programs.connect(operator).removeMerchants(programId, [users.alice]))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantNotEligible")
        .withArgs(programId, users.alice.address);
      await expect(programs.connect(operator).removeMerchants(programId, [])).to.be.revertedWithCustomError(
        programs,
        "ProgramsEmptyBatch",
      );
    });
  });

  describe("enrolBeneficiaries", function () {
    it("enrols wallets (card commitments optional), counts them and emits BeneficiaryEnrolled", async function () {
      const { programs, programId, kids } = ctx;
      const kid1 = await programs.beneficiaryOf(programId, kids.kid1);
      const kid2 = await programs.beneficiaryOf(programId, kids.kid2);
      expect([kid1.enrolled, kid1.cardCommitment]).to.deep.equal([true, CARD_COMMITMENT]);
      expect([kid2.enrolled, kid2.cardCommitment]).to.deep.equal([true, ZeroHash]);
      expect([kid1.available, kid1.periodLeft, kid1.spentThisPeriod, kid1.extra, kid1.nonce]).to.deep.equal([
        kzt("1200"),
        kzt("1200"),
        0n,
        0n,
        0n,
      ]);
      expect((await programs.programOf(programId)).beneficiaries).to.equal(2n);
    });

    it("emits BeneficiaryEnrolled with the commitment, or zero, for each wallet", async function () {
      const { programs, operator, programId, kids } = ctx;
      const others = [fixedAddress("child a"), fixedAddress("child b")];
      const tx = programs.connect(operator).enrolBeneficiaries(programId, [kids.kid3, ...others], []);
      for (const wallet of [kids.kid3.address, ...others]) {
        await expect(tx).to.emit(programs, "BeneficiaryEnrolled").withArgs(programId, wallet, ZeroHash);
      }
      const card = id("salted card of child c");
      await expect(programs.connect(operator).enrolBeneficiaries(programId, [fixedAddress("child c")], [card]))
        .to.emit(programs, "BeneficiaryEnrolled")
        .withArgs(programId, fixedAddress("child c"), card);
      expect((await programs.programOf(programId)).beneficiaries).to.equal(6n);
    });

    it("enrols wallets that are not tenge wallets: beneficiaries never hold tenge", async function () {
      const { tenge, programs, programId, kids } = ctx;
      expect((await tenge.accountOf(kids.kid1)).onboarded).to.equal(false);
      expect((await programs.beneficiaryOf(programId, kids.kid1)).enrolled).to.equal(true);
    });

    it("reverts with ProgramsAlreadyEnrolled for an enrolled wallet, even repeated within one batch", async function () {
      const { programs, operator, programId, kids } = ctx;
      await expect(programs.connect(operator).enrolBeneficiaries(programId, [kids.kid1], []))
        .to.be.revertedWithCustomError(programs, "ProgramsAlreadyEnrolled")
        .withArgs(programId, kids.kid1.address);
      await expect(programs.connect(operator).enrolBeneficiaries(programId, [kids.kid3, kids.kid3], []))
        .to.be.revertedWithCustomError(programs, "ProgramsAlreadyEnrolled")
        .withArgs(programId, kids.kid3.address);
    });

    it("reverts with ProgramsZeroAddress, ProgramsEmptyBatch and ProgramsLengthMismatch", async function () {
      const { programs, operator, programId, kids } = ctx;
      await expect(
        programs.connect(operator).enrolBeneficiaries(programId, [ZeroAddress], []),
      ).to.be.revertedWithCustomError(programs, "ProgramsZeroAddress");
      await expect(programs.connect(operator).enrolBeneficiaries(programId, [], [])).to.be.revertedWithCustomError(
        programs,
        "ProgramsEmptyBatch",
      );
      await expect(programs.connect(operator).enrolBeneficiaries(programId, [kids.kid3], [ZeroHash, ZeroHash]))
        .to.be.revertedWithCustomError(programs, "ProgramsLengthMismatch")
        .withArgs(1n, 2n);
    });
  });

  describe("removeBeneficiaries", function () {
    it("unenrols, drops top-ups and the card commitment, counts down and emits BeneficiaryRemoved", async function () {
      const { programs, operator, programId, kids } = ctx;
      await programs.connect(operator).topUp(programId, [kids.kid1], [kzt("500")]);
      await expect(programs.connect(operator).removeBeneficiaries(programId, [kids.kid1]))
        .to.emit(programs, "BeneficiaryRemoved")
        .withArgs(programId, kids.kid1.address);
      const b = await programs.beneficiaryOf(programId, kids.kid1);
      expect([b.enrolled, b.cardCommitment, b.extra, b.available]).to.deep.equal([false, ZeroHash, 0n, 0n]);
      expect((await programs.programOf(programId)).beneficiaries).to.equal(1n);
    });

    it("keeps the period's spending and the nonce: re-enrolment neither refreshes the allowance nor revives a signature", async function () {
      const { programs, operator, programId, kids, canteens } = ctx;
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("1000"));
      await programs.connect(operator).removeBeneficiaries(programId, [kids.kid1]);
      await programs.connect(operator).enrolBeneficiaries(programId, [kids.kid1], []);
      const b = await programs.beneficiaryOf(programId, kids.kid1);
      expect([b.enrolled, b.spentThisPeriod, b.available]).to.deep.equal([true, kzt("1000"), kzt("200")]);
    });

    it("reverts with ProgramsNotEnrolled for a wallet not enrolled, and ProgramsEmptyBatch for none", async function () {
      const { programs, operator, programId, kids } = ctx;
      await expect(programs.connect(operator).removeBeneficiaries(programId, [kids.kid3]))
        .to.be.revertedWithCustomError(programs, "ProgramsNotEnrolled")
        .withArgs(programId, kids.kid3.address);
      await expect(programs.connect(operator).removeBeneficiaries(programId, [])).to.be.revertedWithCustomError(
        programs,
        "ProgramsEmptyBatch",
      );
    });
  });

  describe("topUp", function () {
    it("adds extra allowance per beneficiary, kept across periods, and emits AllowanceToppedUp", async function () {
      const { programs, operator, programId, kids } = ctx;
      const tx = programs
        .connect(operator)
        .topUp(programId, [kids.kid1, kids.kid2, kids.kid1], [kzt("100"), kzt("250"), kzt("50")]);
      await expect(tx)
        .to.emit(programs, "AllowanceToppedUp")
        .withArgs(programId, kids.kid1.address, kzt("100"), kzt("100"));
      await expect(tx)
        .to.emit(programs, "AllowanceToppedUp")
        .withArgs(programId, kids.kid2.address, kzt("250"), kzt("250"));
      await expect(tx)
        .to.emit(programs, "AllowanceToppedUp")
        .withArgs(programId, kids.kid1.address, kzt("50"), kzt("150"));
      const kid1 = await programs.beneficiaryOf(programId, kids.kid1);
      expect([kid1.extra, kid1.available]).to.deep.equal([kzt("150"), kzt("1350")]);
      await time.increase(10n * 86_400n);
      expect((await programs.beneficiaryOf(programId, kids.kid1)).extra).to.equal(kzt("150"));
    });

    it("handles a batch of 200 beneficiaries in one transaction", async function () {
      const { programs, operator, programId } = ctx;
      const wallets = Array.from({ length: 200 }, (_, i) => fixedAddress(`batch child ${i}`));
      await programs.connect(operator).enrolBeneficiaries(programId, wallets, []);
      await programs.connect(operator).topUp(
        programId,
        wallets,
        wallets.map(() => kzt("10")),
      );
      expect((await programs.beneficiaryOf(programId, wallets[199])).extra).to.equal(kzt("10"));
      expect((await programs.programOf(programId)).beneficiaries).to.equal(202n);
    });

    it("reverts with ProgramsNotEnrolled, ProgramsZeroAmount, ProgramsLengthMismatch and ProgramsEmptyBatch", async function () {
      const { programs, operator, programId, kids } = ctx;
      await expect(programs.connect(operator).topUp(programId, [kids.kid3], [kzt("1")]))
        .to.be.revertedWithCustomError(programs, "ProgramsNotEnrolled")
        .withArgs(programId, kids.kid3.address);
      await expect(programs.connect(operator).topUp(programId, [kids.kid1], [0n])).to.be.revertedWithCustomError(
        programs,
        "ProgramsZeroAmount",
      );
      await expect(programs.connect(operator).topUp(programId, [kids.kid1], [kzt("1"), kzt("1")]))
        .to.be.revertedWithCustomError(programs, "ProgramsLengthMismatch")
        .withArgs(1n, 2n);
      await expect(programs.connect(operator).topUp(programId, [], [])).to.be.revertedWithCustomError(
        programs,
        "ProgramsEmptyBatch",
      );
    });

    it("reverts with ProgramsAmountTooLarge when a beneficiary's extra would exceed 2^64 - 1", async function () {
      const { programs, operator, programId, kids } = ctx;
      await programs.connect(operator).topUp(programId, [kids.kid1], [MAX_UINT64]);
      await expect(programs.connect(operator).topUp(programId, [kids.kid1], [1n]))
        .to.be.revertedWithCustomError(programs, "ProgramsAmountTooLarge")
        .withArgs(MAX_UINT64 + 1n, MAX_UINT64);
    });
  });

  describe("the program's state gates administration", function () {
    const calls = {
      addMerchants: (c: LunchFixture) => c.programs.connect(c.operator).addMerchants(c.programId, [c.users.merchant]),
      removeMerchants: (c: LunchFixture) =>
        c.programs.connect(c.operator).removeMerchants(c.programId, [c.canteens.canteen1]),
      enrolBeneficiaries: (c: LunchFixture) =>
        c.programs.connect(c.operator).enrolBeneficiaries(c.programId, [c.kids.kid3], []),
      removeBeneficiaries: (c: LunchFixture) =>
        c.programs.connect(c.operator).removeBeneficiaries(c.programId, [c.kids.kid1]),
      topUp: (c: LunchFixture) => c.programs.connect(c.operator).topUp(c.programId, [c.kids.kid1], [kzt("1")]),
    };

    for (const [name, call] of Object.entries(calls)) {
      it(`${name} reverts with ProgramsUnknownProgram, ProgramsProgramExpired and ProgramsProgramClosed`, async function () {
        await expect(call({ ...ctx, programId: 9n }))
          .to.be.revertedWithCustomError(ctx.programs, "ProgramsUnknownProgram")
          .withArgs(9n);
        await time.setNextBlockTimestamp(ctx.terms.expiry);
        await expect(call(ctx))
          .to.be.revertedWithCustomError(ctx.programs, "ProgramsProgramExpired")
          .withArgs(ctx.programId, ctx.terms.expiry, ctx.terms.expiry);
        await ctx.programs.connect(ctx.users.outsider).close(ctx.programId);
        await expect(call(ctx))
          .to.be.revertedWithCustomError(ctx.programs, "ProgramsProgramClosed")
          .withArgs(ctx.programId);
      });
    }

    it("allows administration before the program starts", async function () {
      const { programs, tenge, city, operator, canteens, kids } = ctx;
      const start = BigInt(await time.latest()) + 30n * 86_400n;
      await tenge.connect(city).approve(programs, kzt("10"));
      await programs.connect(city).createProgram({ ...ctx.terms, start, expiry: start + 86_400n }, kzt("10"));
      await programs.connect(operator).addMerchants(2, [canteens.canteen1]);
      await programs.connect(operator).enrolBeneficiaries(2, [kids.kid1], []);
      await programs.connect(operator).topUp(2, [kids.kid1], [kzt("5")]);
      expect((await programs.beneficiaryOf(2, kids.kid1)).available).to.equal(kzt("1205"));
    });
  });

  describe("privacy", function () {
    it("never puts a card number on chain: enrolment calldata and events carry only the salted commitment", async function () {
      const { programs, operator, programId } = ctx;
      const cardNumber = "9643104517823456";
      const salt = id("kazpost secret salt");
      const commitment = cardCommitment(cardNumber, salt);
      const wallet = fixedAddress("child with card");
      const tx = await programs.connect(operator).enrolBeneficiaries(programId, [wallet], [commitment]);
      const receipt = await tx.wait();
      const digits = Buffer.from(cardNumber).toString("hex");
      const asNumber = BigInt(cardNumber).toString(16);
      for (const blob of [tx.data, ...(receipt?.logs ?? []).flatMap((log) => [log.data, ...log.topics])]) {
        expect(blob.toLowerCase()).not.to.contain(digits);
        expect(blob.toLowerCase()).not.to.contain(asNumber);
      }
      expect((await programs.beneficiaryOf(programId, wallet)).cardCommitment).to.equal(commitment);
    });
  });
});
