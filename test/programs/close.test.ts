import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, id } from "ethers";
import {
  STATUS,
  createByTransferAndCall,
  expectProgramsInvariant,
  fixedAddress,
  kzt,
  lunchFixture,
  lunchTerms,
  type LunchFixture,
} from "../fixtures/programs.fixture";

const LUNCH = kzt("1200");

describe("PurposeBoundPrograms: closing, funders and surplus", function () {
  let ctx: LunchFixture;
  /** Tenge a test deliberately sent to the escrow outside any program. */
  let surplus: bigint;

  beforeEach(async function () {
    ctx = await loadFixture(lunchFixture);
    surplus = 0n;
  });

  afterEach(async function () {
    await expectProgramsInvariant(ctx.programs, ctx.tenge, surplus);
  });

  describe("close", function () {
    it("lets the funder close at any time: the unspent budget returns to it and nothing stays in the escrow", async function () {
      const { tenge, programs, programId, city, kids, canteens } = ctx;
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      await programs.connect(kids.kid2).spend(programId, canteens.canteen2, kzt("800"));
      const tx = programs.connect(city).close(programId);
      await expect(tx).to.changeTokenBalances(tenge, [programs, city], [-kzt("48000"), kzt("48000")]);
      await expect(tx).to.emit(programs, "ProgramClosed").withArgs(programId, city.address, kzt("48000"), kzt("2000"));
      const p = await programs.programOf(programId);
      expect(p.status).to.equal(STATUS.closed);
      expect(p.closedAt).to.equal(BigInt(await time.latest()));
      expect([p.budget, p.spent, p.returned, p.earmarked]).to.deep.equal([kzt("50000"), kzt("2000"), kzt("48000"), 0n]);
      expect(await tenge.balanceOf(programs)).to.equal(0n);
    });

    it("lets anyone close from the expiry on, returning to the funder, not to the caller", async function () {
      const { tenge, programs, programId, city, users, terms } = ctx;
      await time.setNextBlockTimestamp(terms.expiry - 1n);
      await expect(programs.connect(users.outsider).close(programId))
        .to.be.revertedWithCustomError(programs, "ProgramsCloseNotAllowed")
        .withArgs(programId, users.outsider.address, terms.expiry);
      expect((await programs.programOf(programId)).status).to.equal(STATUS.active);
      await time.setNextBlockTimestamp(terms.expiry);
      const tx = programs.connect(users.outsider).close(programId);
      await expect(tx).to.changeTokenBalances(
        tenge,
        [programs, city, users.outsider],
        [-kzt("50000"), kzt("50000"), 0n],
      );
      await expect(tx).to.emit(programs, "ProgramClosed").withArgs(programId, users.outsider.address, kzt("50000"), 0n);
    });

    it("shows an expired program as Expired, still earmarked, until someone closes it", async function () {
      const { programs, programId, terms } = ctx;
      await time.increaseTo(terms.expiry);
      const p = await programs.programOf(programId);
      expect([p.status, p.earmarked, p.returned]).to.deep.equal([STATUS.expired, kzt("50000"), 0n]);
    });

    it("returns nothing (and makes no transfer) when everything was spent", async function () {
      const { tenge, programs, city, operator, canteens, kids } = ctx;
      const programId = await createByTransferAndCall(tenge, programs, city, LUNCH, await lunchTerms());
      await programs.connect(operator).addMerchants(programId, [canteens.canteen1]);
      await programs.connect(operator).enrolBeneficiaries(programId, [kids.kid1], []);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      const tx = programs.connect(city).close(programId);
      await expect(tx).to.emit(programs, "ProgramClosed").withArgs(programId, city.address, 0n, LUNCH);
      await expect(tx).not.to.emit(tenge, "Transfer");
    });

    it("reverts with ProgramsProgramClosed when closed twice and ProgramsUnknownProgram for no program", async function () {
      const { programs, programId, city } = ctx;
      await programs.connect(city).close(programId);
      await expect(programs.connect(city).close(programId))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramClosed")
        .withArgs(programId);
      await expect(programs.connect(city).close(2))
        .to.be.revertedWithCustomError(programs, "ProgramsUnknownProgram")
        .withArgs(2n);
    });

    it("leaves other programs untouched", async function () {
      const { tenge, programs, programId, city, users } = ctx;
      const other = await createByTransferAndCall(tenge, programs, users.alice, kzt("3000"), await lunchTerms());
      await programs.connect(city).close(programId);
      expect((await programs.programOf(other)).earmarked).to.equal(kzt("3000"));
      expect(await tenge.balanceOf(programs)).to.equal(kzt("3000"));
      expect(await programs.totals()).to.deep.equal([kzt("53000"), 0n, kzt("50000"), kzt("3000")]);
    });

    it("passes the tenge's error through when the funder cannot receive, and stays open with its budget earmarked", async function () {
      const { tenge, programs, programId, roles, users, terms } = ctx;
      await tenge.connect(roles.compliance).freeze(users.treasury, id("case 9"));
      await time.increaseTo(terms.expiry);
      await expect(programs.connect(users.outsider).close(programId))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.treasury.address);
      expect((await programs.programOf(programId)).earmarked).to.equal(kzt("50000"));
      await tenge.connect(roles.compliance).unfreeze(users.treasury, id("case 9"));
      await programs.connect(users.outsider).close(programId);
    });
  });

  describe("setFunder", function () {
    it("lets the funder hand the program over: the new funder funds, closes early and receives the rest", async function () {
      const { tenge, programs, programId, city, users } = ctx;
      await expect(programs.connect(city).setFunder(programId, users.alice))
        .to.emit(programs, "FunderChanged")
        .withArgs(programId, city.address, users.alice.address);
      expect((await programs.programOf(programId)).funder).to.equal(users.alice.address);
      await expect(programs.connect(city).close(programId))
        .to.be.revertedWithCustomError(programs, "ProgramsCloseNotAllowed")
        .withArgs(programId, city.address, ctx.terms.expiry);
      await expect(programs.connect(users.alice).close(programId)).to.changeTokenBalances(
        tenge,
        [programs, users.alice, city],
        [-kzt("50000"), kzt("50000"), 0n],
      );
    });

    it("lets the central bank's admin re-point a program whose funder's wallet was recovered, so nothing is stranded", async function () {
      const { tenge, programs, roles, banks, users, operator, canteens, kids } = ctx;
      const programId = await createByTransferAndCall(tenge, programs, users.alice, kzt("5000"), await lunchTerms());
      await programs.connect(operator).addMerchants(programId, [canteens.canteen1]);
      await programs.connect(operator).enrolBeneficiaries(programId, [kids.kid1], []);
      await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
      const replacement = fixedAddress("alice's new wallet");
      await tenge.connect(banks.bankA).recoverWallet(users.alice, replacement);
      await expect(programs.connect(users.alice).close(programId))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.alice.address);
      await expect(programs.connect(roles.centralBank).setFunder(programId, replacement))
        .to.emit(programs, "FunderChanged")
        .withArgs(programId, users.alice.address, replacement);
      await time.increaseTo((await programs.programOf(programId)).expiry);
      await expect(programs.connect(users.outsider).close(programId)).to.changeTokenBalances(
        tenge,
        [programs, replacement],
        [-kzt("3800"), kzt("3800")],
      );
    });

    it("works after the expiry too (the program still has to be closed)", async function () {
      const { programs, programId, city, users, terms } = ctx;
      await time.increaseTo(terms.expiry);
      await programs.connect(city).setFunder(programId, users.alice);
      expect((await programs.programOf(programId)).funder).to.equal(users.alice.address);
    });

    it("reverts with ProgramsNotFunder for anyone but the funder and the admin (the operator included)", async function () {
      const { programs, programId, users, operator } = ctx;
      for (const caller of [users.alice, operator]) {
        await expect(programs.connect(caller).setFunder(programId, caller))
          .to.be.revertedWithCustomError(programs, "ProgramsNotFunder")
          .withArgs(programId, caller.address);
      }
    });

    it("reverts with ProgramsZeroAddress and ProgramsNotOnboardedInTenge for a funder that could not be refunded", async function () {
      const { programs, programId, city, kids } = ctx;
      await expect(programs.connect(city).setFunder(programId, ZeroAddress)).to.be.revertedWithCustomError(
        programs,
        "ProgramsZeroAddress",
      );
      await expect(programs.connect(city).setFunder(programId, kids.kid3))
        .to.be.revertedWithCustomError(programs, "ProgramsNotOnboardedInTenge")
        .withArgs(kids.kid3.address);
    });

    it("reverts with ProgramsProgramClosed and ProgramsUnknownProgram", async function () {
      const { programs, programId, city, users, roles } = ctx;
      await expect(programs.connect(roles.centralBank).setFunder(8, users.alice))
        .to.be.revertedWithCustomError(programs, "ProgramsUnknownProgram")
        .withArgs(8n);
      await programs.connect(city).close(programId);
      await expect(programs.connect(city).setFunder(programId, users.alice))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramClosed")
        .withArgs(programId);
    });
  });

  describe("surplus (tenge sent outside any program)", function () {
    it("is counted apart from every program and sent on by the admin with recoverSurplus", async function () {
      const { tenge, programs, roles, users } = ctx;
      expect(await programs.surplus()).to.equal(0n);
      await tenge.connect(users.bob).transfer(programs, kzt("75"));
      surplus = kzt("75");
      await expectProgramsInvariant(programs, tenge, surplus);
      const tx = programs.connect(roles.centralBank).recoverSurplus(users.bob);
      await expect(tx).to.changeTokenBalances(tenge, [programs, users.bob], [-kzt("75"), kzt("75")]);
      await expect(tx).to.emit(programs, "SurplusRecovered").withArgs(users.bob.address, kzt("75"));
      surplus = 0n;
    });

    it("reverts with ProgramsNoSurplus when the escrow holds only earmarked funds", async function () {
      const { programs, roles, users } = ctx;
      await expect(programs.connect(roles.centralBank).recoverSurplus(users.bob))
        .to.be.revertedWithCustomError(programs, "ProgramsNoSurplus")
        .withArgs(kzt("50000"), kzt("50000"));
    });

    it("reverts with ProgramsZeroAddress and ProgramsInvalidRecipient for a bad recipient", async function () {
      const { tenge, programs, roles, users } = ctx;
      await tenge.connect(users.bob).transfer(programs, kzt("1"));
      surplus = kzt("1");
      await expect(programs.connect(roles.centralBank).recoverSurplus(ZeroAddress)).to.be.revertedWithCustomError(
        programs,
        "ProgramsZeroAddress",
      );
      await expect(programs.connect(roles.centralBank).recoverSurplus(programs))
        .to.be.revertedWithCustomError(programs, "ProgramsInvalidRecipient")
        .withArgs(await programs.getAddress());
    });

    it("counts closed programs as holding nothing", async function () {
      const { tenge, programs, programId, city, roles, users } = ctx;
      await programs.connect(city).close(programId);
      await tenge.connect(users.bob).transfer(programs, kzt("2"));
      await expect(programs.connect(roles.centralBank).recoverSurplus(users.treasury))
        .to.emit(programs, "SurplusRecovered")
        .withArgs(users.treasury.address, kzt("2"));
    });
  });

  describe("the whole life of a program", function () {
    it("nothing is stranded: budget == spent + returned, and the escrow ends empty", async function () {
      const { tenge, programs, programId, city, operator, kids, canteens, terms } = ctx;
      const cityBefore = await tenge.balanceOf(city);
      await programs.connect(operator).topUp(programId, [kids.kid2], [kzt("600")]);
      for (let day = 0; day < 5; day++) {
        await programs.connect(kids.kid1).spend(programId, canteens.canteen1, LUNCH);
        await programs.connect(kids.kid2).spend(programId, canteens.canteen2, kzt("1000"));
        await expectProgramsInvariant(programs, tenge);
        await time.increase(86_400n);
      }
      await programs.connect(kids.kid2).spend(programId, canteens.canteen2, kzt("1800"));
      await time.increaseTo(terms.expiry);
      await programs.connect(kids.kid1).close(programId);
      const spent = 5n * LUNCH + 5n * kzt("1000") + kzt("1800");
      const p = await programs.programOf(programId);
      expect([p.spent, p.returned]).to.deep.equal([spent, kzt("50000") - spent]);
      expect(await tenge.balanceOf(city)).to.equal(cityBefore + kzt("50000") - spent);
      expect(await tenge.balanceOf(programs)).to.equal(0n);
    });
  });
});
