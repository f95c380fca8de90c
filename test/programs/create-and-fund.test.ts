import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { AbiCoder, MaxUint256 } from "ethers";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { encodeFund, encodeTerms } from "../../scripts/lib/programs";
import {
  DAY,
  PERIOD,
  STATUS,
  createByTransferAndCall,
  expectProgramsInvariant,
  kzt,
  lunchFixture,
  lunchTerms,
  programsFixture,
  type ProgramsFixture,
} from "../fixtures/programs.fixture";

const MAX_UINT64 = 2n ** 64n - 1n;
const MAX_UINT48 = 2n ** 48n - 1n;
const MAX_UINT32 = 2n ** 32n - 1n;

describe("PurposeBoundPrograms: creating and funding programs", function () {
  let ctx: ProgramsFixture;

  beforeEach(async function () {
    ctx = await loadFixture(programsFixture);
  });

  afterEach(async function () {
    await expectProgramsInvariant(ctx.programs, ctx.tenge);
  });

  describe("deployment", function () {
    it("escrows the deployed tenge, is an exempt institution of it and starts with no program", async function () {
      const { programs, tenge } = ctx;
      expect(await programs.tenge()).to.equal(await tenge.getAddress());
      const account = await tenge.accountOf(programs);
      expect([account.onboarded, account.exempt, account.bankId]).to.deep.equal([true, true, 0n]);
      expect(await programs.programCount()).to.equal(0n);
      expect(await programs.totals()).to.deep.equal([0n, 0n, 0n, 0n]);
    });

    it("shows an unknown program as all zero with status None", async function () {
      const p = await ctx.programs.programOf(7);
      expect(p.status).to.equal(STATUS.none);
      expect([p.funder, p.budget, p.expiry]).to.deep.equal([ethers.ZeroAddress, 0n, 0n]);
      expect(await ctx.programs.figuresOf(7)).to.deep.equal([0n, 0n, 0n, 0n]);
    });
  });

  describe("createProgram (transferFrom)", function () {
    it("escrows the budget from the caller, who becomes the funder, and emits ProgramCreated", async function () {
      const { tenge, programs, city } = ctx;
      const terms = await lunchTerms({ period: PERIOD.month, allowance: kzt("25000") });
      await tenge.connect(city).approve(programs, kzt("40000"));
      const tx = programs.connect(city).createProgram(terms, kzt("40000"));
      await expect(tx).to.changeTokenBalances(tenge, [city, programs], [-kzt("40000"), kzt("40000")]);
      const start = BigInt(await time.latest());
      await expect(tx)
        .to.emit(programs, "ProgramCreated")
        .withArgs(1n, city.address, kzt("40000"), kzt("25000"), PERIOD.month, start, terms.expiry);
      const p = await programs.programOf(1);
      expect(p.funder).to.equal(city.address);
      expect(p.status).to.equal(STATUS.active);
      expect(p.period).to.equal(BigInt(PERIOD.month));
      expect([p.allowance, p.start, p.expiry, p.closedAt]).to.deep.equal([kzt("25000"), start, terms.expiry, 0n]);
      expect([p.budget, p.spent, p.returned, p.earmarked]).to.deep.equal([kzt("40000"), 0n, 0n, kzt("40000")]);
      expect([p.beneficiaries, p.merchants]).to.deep.equal([0n, 0n]);
      expect(await tenge.allowance(city, programs), "the approval is used up").to.equal(0n);
    });

    it("numbers programs from 1 and lets any onboarded holder fund one (a tier-limited customer too)", async function () {
      const { tenge, programs, city, users } = ctx;
      await tenge.connect(city).approve(programs, MaxUint256);
      await tenge.connect(users.alice).approve(programs, MaxUint256);
      await programs.connect(city).createProgram(await lunchTerms(), kzt("100"));
      await expect(programs.connect(users.alice).createProgram(await lunchTerms(), kzt("200")))
        .to.emit(programs, "ProgramCreated")
        .withArgs(2n, users.alice.address, kzt("200"), kzt("1200"), PERIOD.day, anyValue, anyValue);
      expect(await programs.programCount()).to.equal(2n);
      expect((await programs.programOf(2)).funder).to.equal(users.alice.address);
      // the funder's daily outflow counts the escrow payment, as any payment
      expect((await tenge.accountOf(users.alice)).spentToday).to.equal(kzt("200"));
    });

    it("keeps a future start: the program is Scheduled until then", async function () {
      const { tenge, programs, city } = ctx;
      const start = BigInt(await time.latest()) + 7n * DAY;
      await tenge.connect(city).approve(programs, kzt("100"));
      await programs.connect(city).createProgram(await lunchTerms({ start, expiry: start + DAY }), kzt("100"));
      expect((await programs.programOf(1)).status).to.equal(STATUS.scheduled);
      expect((await programs.programOf(1)).start).to.equal(start);
      await time.increaseTo(start);
      expect((await programs.programOf(1)).status).to.equal(STATUS.active);
      await time.increaseTo(start + DAY);
      expect((await programs.programOf(1)).status).to.equal(STATUS.expired);
    });

    it("accepts an allowance of 0 (top-ups only) or 2^48 - 1 and an expiry of 2^32 - 1", async function () {
      const { tenge, programs, city } = ctx;
      await tenge.connect(city).approve(programs, MaxUint256);
      await programs.connect(city).createProgram(await lunchTerms({ allowance: 0n }), kzt("1"));
      await programs.connect(city).createProgram(await lunchTerms({ allowance: MAX_UINT48, expiry: MAX_UINT32 }), 1n);
      expect((await programs.programOf(1)).allowance).to.equal(0n);
      expect((await programs.programOf(2)).allowance).to.equal(MAX_UINT48);
      expect((await programs.programOf(2)).expiry).to.equal(MAX_UINT32);
    });

    it("reverts with ProgramsZeroAmount for a zero budget", async function () {
      const { programs, city } = ctx;
      await expect(programs.connect(city).createProgram(await lunchTerms(), 0n)).to.be.revertedWithCustomError(
        programs,
        "ProgramsZeroAmount",
      );
    });

    it("reverts with ProgramsAmountTooLarge for a budget above 2^64 - 1 or an allowance above 2^48 - 1", async function () {
      const { programs, city } = ctx;
      await expect(programs.connect(city).createProgram(await lunchTerms(), MAX_UINT64 + 1n))
        .to.be.revertedWithCustomError(programs, "ProgramsAmountTooLarge")
        .withArgs(MAX_UINT64 + 1n, MAX_UINT64);
      await expect(programs.connect(city).createProgram(await lunchTerms({ allowance: MAX_UINT48 + 1n }), kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsAmountTooLarge")
        .withArgs(MAX_UINT48 + 1n, MAX_UINT48);
    });

    it("reverts with ProgramsInvalidSchedule when the expiry is not after the start, past, or beyond 2^32 - 1", async function () {
      const { programs, city } = ctx;
      // [start, expiry, start as reported] from the next block's time
      const cases: ((next: bigint) => [bigint, bigint, bigint])[] = [
        (next) => [next + 100n, next + 100n, next + 100n], // expiry == start
        (next) => [next + 100n, next + 50n, next + 100n], // expiry before start
        (next) => [0n, next, next], // start now, expiry now
        (next) => [next - 1_000n, next - 10n, next - 1_000n], // in the past
        (next) => [0n, MAX_UINT32 + 1n, next], // beyond 2^32 - 1
      ];
      for (const make of cases) {
        const next = BigInt(await time.latest()) + 1n;
        const [start, expiry, shownStart] = make(next);
        await time.setNextBlockTimestamp(next);
        await expect(programs.connect(city).createProgram(await lunchTerms({ start, expiry }), kzt("1")))
          .to.be.revertedWithCustomError(programs, "ProgramsInvalidSchedule")
          .withArgs(shownStart, expiry, next);
      }
    });

    it("passes the tenge's error through when the funder lacks the allowance or the funds", async function () {
      const { tenge, programs, city, users } = ctx;
      await expect(programs.connect(city).createProgram(await lunchTerms(), kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
        .withArgs(await programs.getAddress(), 0n, kzt("1"));
      await tenge.connect(users.bob).approve(programs, MaxUint256);
      await expect(programs.connect(users.bob).createProgram(await lunchTerms(), kzt("2001")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.bob.address, kzt("2000"), kzt("2001"));
    });

    it("passes the tenge's error through for a funder that is not onboarded", async function () {
      const { tenge, programs, users } = ctx;
      await expect(programs.connect(users.outsider).createProgram(await lunchTerms(), kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
        .withArgs(await programs.getAddress(), 0n, kzt("1"));
      await tenge.connect(users.outsider).approve(programs, MaxUint256);
      await expect(programs.connect(users.outsider).createProgram(await lunchTerms(), kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });
  });

  describe("createProgram by the tenge's transferAndCall (ERC-1363)", function () {
    it("creates the program in the payment's transaction, without an allowance", async function () {
      const { tenge, programs, city } = ctx;
      const terms = await lunchTerms();
      const tx = tenge
        .connect(city)
        ["transferAndCall(address,uint256,bytes)"](programs, kzt("50000"), encodeTerms(terms));
      await expect(tx).to.changeTokenBalances(tenge, [city, programs], [-kzt("50000"), kzt("50000")]);
      await expect(tx)
        .to.emit(programs, "ProgramCreated")
        .withArgs(
          1n,
          city.address,
          kzt("50000"),
          terms.allowance,
          PERIOD.day,
          BigInt(await time.latest()),
          terms.expiry,
        );
      expect((await programs.programOf(1)).funder).to.equal(city.address);
    });

    it("makes `from` the funder when a spender pays with transferFromAndCall", async function () {
      const { tenge, programs, city, users } = ctx;
      await tenge.connect(city).approve(users.bob, kzt("300"));
      await tenge
        .connect(users.bob)
        ["transferFromAndCall(address,address,uint256,bytes)"](
          city,
          programs,
          kzt("300"),
          encodeTerms(await lunchTerms()),
        );
      expect((await programs.programOf(1)).funder).to.equal(city.address);
    });

    it("reverts with ProgramsInvalidCallbackData for data that is neither terms nor a program id", async function () {
      const { tenge, programs, city } = ctx;
      for (const data of ["0x", "0x01", AbiCoder.defaultAbiCoder().encode(["uint256", "uint256"], [1, 2])]) {
        await expect(tenge.connect(city)["transferAndCall(address,uint256,bytes)"](programs, kzt("1"), data))
          .to.be.revertedWithCustomError(programs, "ProgramsInvalidCallbackData")
          .withArgs(ethers.dataLength(data));
      }
      await expect(tenge.connect(city)["transferAndCall(address,uint256)"](programs, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsInvalidCallbackData")
        .withArgs(0n);
    });

    it("reverts with the same validation errors as createProgram", async function () {
      const { tenge, programs, city } = ctx;
      const now = BigInt(await time.latest());
      await time.setNextBlockTimestamp(now + 1n);
      await expect(
        tenge
          .connect(city)
          ["transferAndCall(address,uint256,bytes)"](
            programs,
            kzt("1"),
            encodeTerms(await lunchTerms({ start: now + 10n, expiry: now + 5n })),
          ),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsInvalidSchedule")
        .withArgs(now + 10n, now + 5n, now + 1n);
    });

    it("reverts with ProgramsCallerNotTenge when anyone but the tenge calls onTransferReceived", async function () {
      const { programs, city } = ctx;
      await expect(programs.connect(city).onTransferReceived(city, city, kzt("1"), encodeTerms(await lunchTerms())))
        .to.be.revertedWithCustomError(programs, "ProgramsCallerNotTenge")
        .withArgs(city.address);
    });
  });

  describe("fund", function () {
    it("adds to the budget by transferFrom or by transferAndCall, and emits ProgramFunded", async function () {
      const { tenge, programs, city } = await loadFixture(lunchFixture);
      await tenge.connect(city).approve(programs, kzt("1000"));
      await expect(programs.connect(city).fund(1, kzt("1000")))
        .to.emit(programs, "ProgramFunded")
        .withArgs(1n, city.address, kzt("1000"), kzt("51000"));
      const tx = tenge.connect(city)["transferAndCall(address,uint256,bytes)"](programs, kzt("500"), encodeFund(1n));
      await expect(tx).to.changeTokenBalances(tenge, [city, programs], [-kzt("500"), kzt("500")]);
      await expect(tx).to.emit(programs, "ProgramFunded").withArgs(1n, city.address, kzt("500"), kzt("51500"));
      expect((await programs.programOf(1)).earmarked).to.equal(kzt("51500"));
    });

    it("reverts with ProgramsNotFunder for anyone but the funder, by either path", async function () {
      const { tenge, programs, users } = await loadFixture(lunchFixture);
      await tenge.connect(users.alice).approve(programs, kzt("10"));
      await expect(programs.connect(users.alice).fund(1, kzt("10")))
        .to.be.revertedWithCustomError(programs, "ProgramsNotFunder")
        .withArgs(1n, users.alice.address);
      await expect(
        tenge.connect(users.alice)["transferAndCall(address,uint256,bytes)"](programs, kzt("10"), encodeFund(1n)),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsNotFunder")
        .withArgs(1n, users.alice.address);
    });

    it("reverts for an unknown, expired or closed program and for a zero amount", async function () {
      const { programs, city, terms } = await loadFixture(lunchFixture);
      await expect(programs.connect(city).fund(2, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsUnknownProgram")
        .withArgs(2n);
      await expect(programs.connect(city).fund(1, 0n)).to.be.revertedWithCustomError(programs, "ProgramsZeroAmount");
      await time.setNextBlockTimestamp(terms.expiry);
      await expect(programs.connect(city).fund(1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramExpired")
        .withArgs(1n, terms.expiry, terms.expiry);
      await programs.connect(city).close(1);
      await expect(programs.connect(city).fund(1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramClosed")
        .withArgs(1n);
    });

    it("reverts with ProgramsAmountTooLarge when the budget would exceed 2^64 - 1", async function () {
      const { programs, city } = await loadFixture(lunchFixture);
      await expect(programs.connect(city).fund(1, MAX_UINT64))
        .to.be.revertedWithCustomError(programs, "ProgramsAmountTooLarge")
        .withArgs(MAX_UINT64 + kzt("50000"), MAX_UINT64);
    });
  });

  describe("creating many programs", function () {
    it("keeps each program's money apart and the totals equal to their sums", async function () {
      const { tenge, programs, city, users } = ctx;
      await createByTransferAndCall(tenge, programs, city, kzt("1000"), await lunchTerms());
      await createByTransferAndCall(
        tenge,
        programs,
        users.alice,
        kzt("2000"),
        await lunchTerms({ period: PERIOD.week }),
      );
      await createByTransferAndCall(tenge, programs, city, kzt("3000"), await lunchTerms({ period: PERIOD.whole }));
      expect(await programs.totals()).to.deep.equal([kzt("6000"), 0n, 0n, kzt("6000")]);
      expect((await programs.programOf(2)).period).to.equal(BigInt(PERIOD.week));
      expect((await programs.programOf(3)).period).to.equal(BigInt(PERIOD.whole));
    });
  });
});
