import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { Wallet, id, verifyTypedData } from "ethers";
import type { ContractTransactionReceipt } from "ethers";
import type { PurposeBoundPrograms } from "../../typechain-types";
import { SPEND_TYPES, signSpend } from "../../scripts/lib/programs";
import {
  createByTransferAndCall,
  expectProgramsInvariant,
  kzt,
  lunchFixture,
  lunchTerms,
  DAY,
} from "../fixtures/programs.fixture";
import { assertProperty, fuzzSettings } from "../helpers/property";

/*
 * spendBatchFor: a canteen terminal uploads a lunch break's signed authorizations in one transaction. Batch-level
 * problems revert the whole batch; per-item problems skip the item with SpendRejected and the rest settle; the
 * merchant is paid the total in one tenge transfer.
 */

const LUNCH = kzt("1200");
/** SpendFailure as the contract numbers it. */
const REASON = {
  AuthorizationExpired: 0n,
  ZeroAmount: 1n,
  NotEnrolled: 2n,
  InvalidSignature: 3n,
  AllowanceExceeded: 4n,
  BudgetExhausted: 5n,
} as const;
type Reason = keyof typeof REASON;
/** The custom error spendFor reverts with where spendBatchFor rejects an item for each reason. */
const SINGLE_ERROR: Record<Reason, string> = {
  AuthorizationExpired: "ProgramsAuthorizationExpired",
  ZeroAmount: "ProgramsZeroAmount",
  NotEnrolled: "ProgramsNotEnrolled",
  InvalidSignature: "ProgramsInvalidSignature",
  AllowanceExceeded: "ProgramsAllowanceExceeded",
  BudgetExhausted: "ProgramsBudgetExhausted",
};
const REASON_NAME = Object.fromEntries(Object.entries(REASON).map(([k, v]) => [v.toString(), k as Reason]));

/** One uploaded item, as the contract's SignedSpend. */
interface Item {
  beneficiary: string;
  amount: bigint;
  deadline: bigint;
  signature: string;
}

/** What happened to one item: settled, or rejected with a reason. */
type Outcome = { beneficiary: string; amount: bigint } & ({ settled: true } | { settled: false; reason: Reason });

/** The lunch fixture plus five enrolled card wallets (they only sign), one card never enrolled, and a deadline. */
async function batchFixture() {
  const base = await loadFixture(lunchFixture);
  const { programs, operator, programId } = base;
  const cards = Array.from({ length: 5 }, (_, i) => new Wallet(id(`batch test card ${i}`)));
  await (
    await programs.connect(operator).enrolBeneficiaries(
      programId,
      cards.map((c) => c.address),
      [],
    )
  ).wait();
  const stranger = new Wallet(id("batch test card never enrolled"));
  const deadline = BigInt(await time.latest()) + 3_600n;
  return { ...base, cards, stranger, deadline, terminal: base.users.relayer };
}

type BatchFixture = Awaited<ReturnType<typeof batchFixture>>;

/** Signs a Spend with `signer` (for `beneficiary`, default the signer) and returns it as an upload item. */
async function signed(
  programs: PurposeBoundPrograms,
  signer: Wallet,
  terms: {
    programId: bigint;
    merchant: string;
    amount: bigint;
    deadline: bigint;
    nonce?: bigint;
    beneficiary?: string;
  },
): Promise<Item> {
  const beneficiary = terms.beneficiary ?? signer.address;
  const { signature } = await signSpend(signer, programs, {
    programId: terms.programId,
    beneficiary,
    merchant: terms.merchant,
    amount: terms.amount,
    deadline: terms.deadline,
    nonce: terms.nonce,
  });
  return { beneficiary, amount: terms.amount, deadline: terms.deadline, signature };
}

/** The Spent and SpendRejected events of a receipt, in order. */
function outcomesOf(programs: PurposeBoundPrograms, receipt: ContractTransactionReceipt | null): Outcome[] {
  const outcomes: Outcome[] = [];
  for (const log of receipt?.logs ?? []) {
    const parsed = programs.interface.parseLog(log);
    if (parsed?.name === "Spent") {
      outcomes.push({
        beneficiary: parsed.args.beneficiary as string,
        amount: parsed.args.amount as bigint,
        settled: true,
      });
    } else if (parsed?.name === "SpendRejected") {
      const reason = REASON_NAME[(parsed.args.reason as bigint).toString()];
      outcomes.push({
        beneficiary: parsed.args.beneficiary as string,
        amount: parsed.args.amount as bigint,
        settled: false,
        reason,
      });
    }
  }
  return outcomes;
}

/** The tenge Transfer events of a receipt, as [from, to, value]. */
function transfersOf(ctx: BatchFixture, receipt: ContractTransactionReceipt | null): [string, string, bigint][] {
  return (receipt?.logs ?? [])
    .map((log) => ctx.tenge.interface.parseLog(log))
    .filter((parsed) => parsed?.name === "Transfer")
    .map((parsed) => [parsed?.args.from, parsed?.args.to, parsed?.args.value] as [string, string, bigint]);
}

describe("PurposeBoundPrograms: batched signed settlement (spendBatchFor)", function () {
  let ctx: BatchFixture;

  beforeEach(async function () {
    ctx = await loadFixture(batchFixture);
  });

  afterEach(async function () {
    await expectProgramsInvariant(ctx.programs, ctx.tenge);
  });

  /** kid-card `i` signs a lunch of `amount` at canteen1 in the lunch program. */
  function lunch(i: number, amount = LUNCH, extra: { nonce?: bigint; merchant?: string } = {}): Promise<Item> {
    return signed(ctx.programs, ctx.cards[i], {
      programId: ctx.programId,
      merchant: extra.merchant ?? ctx.canteens.canteen1,
      amount,
      deadline: ctx.deadline,
      nonce: extra.nonce,
    });
  }

  async function upload(items: Item[], merchant = ctx.canteens.canteen1, programId = ctx.programId) {
    return (await ctx.programs.connect(ctx.terminal).spendBatchFor(programId, merchant, items)).wait();
  }

  describe("a batch whose items are all valid", function () {
    let items: Item[];
    const AMOUNTS = [kzt("1200"), kzt("950"), kzt("1200"), kzt("300.50"), kzt("1")];
    const TOTAL = AMOUNTS.reduce((a, b) => a + b, 0n);

    beforeEach(async function () {
      items = await Promise.all(AMOUNTS.map((amount, i) => lunch(i, amount)));
    });

    it("returns how many items settled and the total paid", async function () {
      const { programs, terminal, programId, canteens } = ctx;
      const [paid, total] = await programs
        .connect(terminal)
        .spendBatchFor.staticCall(programId, canteens.canteen1, items);
      expect([paid, total]).to.deep.equal([5n, TOTAL]);
    });

    it("moves the total from the escrow to the canteen", async function () {
      const { programs, tenge, terminal, programId, canteens } = ctx;
      await expect(
        programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, items),
      ).to.changeTokenBalances(tenge, [programs, canteens.canteen1, terminal], [-TOTAL, TOTAL, 0n]);
    });

    it("pays the canteen in exactly one tenge transfer of the total", async function () {
      const receipt = await upload(items);
      expect(transfersOf(ctx, receipt)).to.deep.equal([
        [await ctx.programs.getAddress(), ctx.canteens.canteen1, TOTAL],
      ]);
    });

    it("emits the single path's Spent (signed) for every item, in order", async function () {
      const { programs, programId, canteens, cards } = ctx;
      const tx = programs.connect(ctx.terminal).spendBatchFor(programId, canteens.canteen1, items);
      for (let i = 0; i < items.length; i++) {
        await expect(tx)
          .to.emit(programs, "Spent")
          .withArgs(programId, cards[i].address, canteens.canteen1, AMOUNTS[i], true);
      }
      expect(outcomesOf(programs, await (await tx).wait())).to.deep.equal(
        AMOUNTS.map((amount, i) => ({ beneficiary: cards[i].address, amount, settled: true })),
      );
    });

    it("consumes each beneficiary's nonce and charges its allowance", async function () {
      const { programs, programId, cards } = ctx;
      await upload(items);
      for (let i = 0; i < items.length; i++) {
        const b = await programs.beneficiaryOf(programId, cards[i].address);
        expect([b.nonce, b.spentThisPeriod, b.periodLeft], `card ${i}`).to.deep.equal([
          1n,
          AMOUNTS[i],
          LUNCH - AMOUNTS[i],
        ]);
      }
    });

    it("adds the total to the program's spent", async function () {
      const { programs, programId } = ctx;
      const [budget, spentBefore] = await programs.figuresOf(programId);
      await upload(items);
      expect(await programs.figuresOf(programId)).to.deep.equal([
        budget,
        spentBefore + TOTAL,
        0n,
        budget - spentBefore - TOTAL,
      ]);
    });

    it("takes the same signSpend authorizations as spendFor: one child's items settle by either path", async function () {
      const { programs, terminal, programId, canteens, cards } = ctx;
      const a = await lunch(0, kzt("500"));
      await programs
        .connect(terminal)
        .spendFor(programId, a.beneficiary, canteens.canteen1, a.amount, a.deadline, a.signature);
      const second = await lunch(0, kzt("700"));
      await expect(upload([second])).to.not.be.reverted;
      expect((await programs.beneficiaryOf(programId, cards[0].address)).spentThisPeriod).to.equal(kzt("1200"));
    });
  });

  describe("allowance rules shared with the single path", function () {
    it("charges the period's allowance first, then top-ups", async function () {
      const { programs, operator, programId, cards } = ctx;
      await programs.connect(operator).topUp(programId, [cards[0].address], [kzt("500")]);
      await upload([await lunch(0, kzt("1500"))]);
      const b = await programs.beneficiaryOf(programId, cards[0].address);
      expect([b.spentThisPeriod, b.extra, b.available]).to.deep.equal([LUNCH, kzt("200"), kzt("200")]);
    });

    it("settles a child's two authorizations (nonces n and n + 1) in one batch while the allowance lasts", async function () {
      const { programs, programId, cards } = ctx;
      const receipt = await upload([
        await lunch(0, kzt("600"), { nonce: 0n }),
        await lunch(0, kzt("600"), { nonce: 1n }),
      ]);
      expect(outcomesOf(programs, receipt).map((o) => o.settled)).to.deep.equal([true, true]);
      expect((await programs.beneficiaryOf(programId, cards[0].address)).nonce).to.equal(2n);
    });

    it("renews the allowance the next Almaty day, as spendFor does", async function () {
      const { programs, programId, cards } = ctx;
      await upload([await lunch(0, LUNCH)]);
      await time.increase(DAY);
      const later = await signed(programs, cards[0], {
        programId,
        merchant: ctx.canteens.canteen1,
        amount: LUNCH,
        deadline: BigInt(await time.latest()) + 600n,
      });
      const receipt = await upload([later]);
      expect(outcomesOf(programs, receipt).map((o) => o.settled)).to.deep.equal([true]);
    });

    it("accepts an ERC-1271 contract wallet's signature and rejects a wrong one as InvalidSignature", async function () {
      const { programs, operator, programId, canteens, kids, deadline } = ctx;
      const wallet = await ethers.deployContract("ERC1271WalletMock", [kids.kid3.address]);
      const address = await wallet.getAddress();
      await programs.connect(operator).enrolBeneficiaries(programId, [wallet], []);
      const { signature: good } = await signSpend(kids.kid3, programs, {
        programId,
        beneficiary: address,
        merchant: canteens.canteen1,
        amount: kzt("10"),
        nonce: 0n,
        deadline,
      });
      const { signature: bad } = await signSpend(kids.kid2, programs, {
        programId,
        beneficiary: address,
        merchant: canteens.canteen1,
        amount: kzt("10"),
        nonce: 1n,
        deadline,
      });
      const receipt = await upload([
        { beneficiary: address, amount: kzt("10"), deadline, signature: good },
        { beneficiary: address, amount: kzt("10"), deadline, signature: bad },
      ]);
      expect(outcomesOf(programs, receipt)).to.deep.equal([
        { beneficiary: address, amount: kzt("10"), settled: true },
        { beneficiary: address, amount: kzt("10"), settled: false, reason: "InvalidSignature" },
      ]);
    });
  });

  describe("per-item failures skip the item and settle the rest", function () {
    /** Builds the bad item of each case (the good ones are cards 0 and 2). */
    const CASES: { name: string; reason: Reason; bad: (c: BatchFixture) => Promise<Item> }[] = [
      {
        name: "an authorization past its deadline",
        reason: "AuthorizationExpired",
        bad: async (c) =>
          signed(c.programs, c.cards[1], {
            programId: c.programId,
            merchant: c.canteens.canteen1,
            amount: LUNCH,
            deadline: BigInt(await time.latest()),
          }),
      },
      {
        name: "a zero amount",
        reason: "ZeroAmount",
        bad: (c) =>
          signed(c.programs, c.cards[1], {
            programId: c.programId,
            merchant: c.canteens.canteen1,
            amount: 0n,
            deadline: c.deadline,
          }),
      },
      {
        name: "a wallet not enrolled in the program",
        reason: "NotEnrolled",
        bad: (c) =>
          signed(c.programs, c.stranger, {
            programId: c.programId,
            merchant: c.canteens.canteen1,
            amount: LUNCH,
            deadline: c.deadline,
          }),
      },
      {
        name: "a signature by another key",
        reason: "InvalidSignature",
        bad: (c) =>
          signed(c.programs, c.cards[3], {
            programId: c.programId,
            beneficiary: c.cards[1].address,
            merchant: c.canteens.canteen1,
            amount: LUNCH,
            deadline: c.deadline,
          }),
      },
      {
        name: "an amount changed after signing",
        reason: "InvalidSignature",
        bad: async (c) => ({
          ...(await signed(c.programs, c.cards[1], {
            programId: c.programId,
            merchant: c.canteens.canteen1,
            amount: kzt("100"),
            deadline: c.deadline,
          })),
          amount: kzt("1000"),
        }),
      },
      {
        name: "an authorization signed for another canteen",
        reason: "InvalidSignature",
        bad: (c) =>
          signed(c.programs, c.cards[1], {
            programId: c.programId,
            merchant: c.canteens.canteen2,
            amount: LUNCH,
            deadline: c.deadline,
          }),
      },
      {
        name: "more than the period's allowance left plus top-ups",
        reason: "AllowanceExceeded",
        bad: (c) =>
          signed(c.programs, c.cards[1], {
            programId: c.programId,
            merchant: c.canteens.canteen1,
            amount: LUNCH + 1n,
            deadline: c.deadline,
          }),
      },
    ];

    for (const { name, reason, bad } of CASES) {
      describe(name, function () {
        it(`emits SpendRejected(${reason}) and settles the other items`, async function () {
          const { programs, tenge, terminal, programId, canteens, cards } = ctx;
          const item = await bad(ctx);
          const items = [await lunch(0, kzt("700")), item, await lunch(2, kzt("800"))];
          const tx = programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, items);
          await expect(tx)
            .to.emit(programs, "SpendRejected")
            .withArgs(programId, item.beneficiary, canteens.canteen1, item.amount, REASON[reason]);
          await expect(tx).to.changeTokenBalances(tenge, [programs, canteens.canteen1], [-kzt("1500"), kzt("1500")]);
          expect(outcomesOf(programs, await (await tx).wait())).to.deep.equal([
            { beneficiary: cards[0].address, amount: kzt("700"), settled: true },
            { beneficiary: item.beneficiary, amount: item.amount, settled: false, reason },
            { beneficiary: cards[2].address, amount: kzt("800"), settled: true },
          ]);
        });

        it("leaves the rejected beneficiary's nonce and allowance untouched", async function () {
          const { programs, programId } = ctx;
          const item = await bad(ctx);
          const before = await programs.beneficiaryOf(programId, item.beneficiary);
          await upload([await lunch(0, kzt("700")), item]);
          expect(await programs.beneficiaryOf(programId, item.beneficiary)).to.deep.equal(before);
        });

        it(`is the item spendFor refuses with ${SINGLE_ERROR[reason]}`, async function () {
          const { programs, terminal, programId, canteens } = ctx;
          const item = await bad(ctx);
          await expect(
            programs
              .connect(terminal)
              .spendFor(programId, item.beneficiary, canteens.canteen1, item.amount, item.deadline, item.signature),
          ).to.be.revertedWithCustomError(programs, SINGLE_ERROR[reason]);
        });
      });
    }

    describe("budget exhausted mid-batch", function () {
      /** A program of 2,500 KZT with cards 0-3 enrolled and canteen1 eligible. */
      async function smallProgram(): Promise<bigint> {
        const { tenge, programs, city, operator, canteens, cards } = ctx;
        const programId = await createByTransferAndCall(tenge, programs, city, kzt("2500"), await lunchTerms());
        await programs.connect(operator).addMerchants(programId, [canteens.canteen1]);
        await programs.connect(operator).enrolBeneficiaries(
          programId,
          cards.slice(0, 4).map((c) => c.address),
          [],
        );
        return programId;
      }

      async function items(programId: bigint): Promise<Item[]> {
        const { programs, canteens, cards, deadline } = ctx;
        const amounts = [kzt("1000"), kzt("1000"), kzt("1000"), kzt("500")];
        return Promise.all(
          amounts.map((amount, i) =>
            signed(programs, cards[i], { programId, merchant: canteens.canteen1, amount, deadline }),
          ),
        );
      }

      it("rejects the item the budget left cannot cover with BudgetExhausted and settles a later one that fits", async function () {
        const { programs, cards, canteens } = ctx;
        const programId = await smallProgram();
        const receipt = await upload(await items(programId), canteens.canteen1, programId);
        expect(outcomesOf(programs, receipt).map((o) => (o.settled ? "settled" : o.reason))).to.deep.equal([
          "settled",
          "settled",
          "BudgetExhausted",
          "settled",
        ]);
        expect((await programs.beneficiaryOf(programId, cards[2].address)).nonce).to.equal(0n);
      });

      it("spends the budget to the last tiyn and no further", async function () {
        const { programs, canteens, tenge } = ctx;
        const programId = await smallProgram();
        await expect(
          programs.connect(ctx.terminal).spendBatchFor(programId, canteens.canteen1, await items(programId)),
        ).to.changeTokenBalance(tenge, canteens.canteen1, kzt("2500"));
        expect(await programs.figuresOf(programId)).to.deep.equal([kzt("2500"), kzt("2500"), 0n, 0n]);
      });

      it("is the item spendFor refuses with ProgramsBudgetExhausted at that point", async function () {
        const { programs, terminal, canteens } = ctx;
        const programId = await smallProgram();
        const [a, b, c] = await items(programId);
        await upload([a, b], canteens.canteen1, programId);
        await expect(
          programs
            .connect(terminal)
            .spendFor(programId, c.beneficiary, canteens.canteen1, c.amount, c.deadline, c.signature),
        )
          .to.be.revertedWithCustomError(programs, "ProgramsBudgetExhausted")
          .withArgs(programId, kzt("500"), kzt("1000"));
      });
    });
  });

  describe("replays and duplicates", function () {
    it("rejects a signature already settled by an earlier batch as InvalidSignature (the nonce moved)", async function () {
      const { programs, programId, canteens, cards } = ctx;
      const item = await lunch(0);
      await upload([item]);
      const tx = ctx.programs.connect(ctx.terminal).spendBatchFor(programId, canteens.canteen1, [item]);
      await expect(tx)
        .to.emit(programs, "SpendRejected")
        .withArgs(programId, cards[0].address, canteens.canteen1, LUNCH, REASON.InvalidSignature);
      await expect(tx).to.changeTokenBalances(ctx.tenge, [programs, canteens.canteen1], [0n, 0n]);
      expect((await programs.beneficiaryOf(programId, cards[0].address)).nonce).to.equal(1n);
    });

    it("rejects a signature spendFor already settled, and spendFor refuses one a batch settled", async function () {
      const { programs, terminal, programId, canteens } = ctx;
      const viaSingle = await lunch(0, kzt("100"));
      await programs
        .connect(terminal)
        .spendFor(
          programId,
          viaSingle.beneficiary,
          canteens.canteen1,
          viaSingle.amount,
          viaSingle.deadline,
          viaSingle.signature,
        );
      expect(outcomesOf(programs, await upload([viaSingle]))[0]).to.deep.equal({
        beneficiary: viaSingle.beneficiary,
        amount: viaSingle.amount,
        settled: false,
        reason: "InvalidSignature",
      });
      const viaBatch = await lunch(1, kzt("100"));
      await upload([viaBatch]);
      await expect(
        programs
          .connect(terminal)
          .spendFor(
            programId,
            viaBatch.beneficiary,
            canteens.canteen1,
            viaBatch.amount,
            viaBatch.deadline,
            viaBatch.signature,
          ),
      )
        .to.be.revertedWithCustomError(programs, "ProgramsInvalidSignature")
        .withArgs(viaBatch.beneficiary);
    });

    it("settles a duplicated item once and rejects the copy as InvalidSignature", async function () {
      const { programs, tenge, terminal, programId, canteens, cards } = ctx;
      const item = await lunch(0, kzt("500"));
      const tx = programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, [item, item]);
      await expect(tx).to.changeTokenBalance(tenge, canteens.canteen1, kzt("500"));
      expect(outcomesOf(programs, await (await tx).wait())).to.deep.equal([
        { beneficiary: cards[0].address, amount: kzt("500"), settled: true },
        { beneficiary: cards[0].address, amount: kzt("500"), settled: false, reason: "InvalidSignature" },
      ]);
    });

    it("rejects a lunch a child signed for another canteen, which that canteen can still settle", async function () {
      const { programs, tenge, programId, canteens } = ctx;
      const forCanteen2 = await lunch(0, kzt("600"), { merchant: canteens.canteen2 });
      const forCanteen1 = await lunch(0, kzt("600"), { nonce: 0n });
      await upload([forCanteen1]);
      // canteen2's upload comes later: its item carried nonce 0, now used, so it is refused, not paid twice
      const receipt = await upload([forCanteen2], canteens.canteen2);
      expect(outcomesOf(programs, receipt)[0]).to.include({ settled: false, reason: "InvalidSignature" });
      expect(await tenge.balanceOf(canteens.canteen2)).to.equal(0n);
      expect((await programs.beneficiaryOf(programId, forCanteen1.beneficiary)).spentThisPeriod).to.equal(kzt("600"));
    });
  });

  describe("a batch that settles nothing", function () {
    async function allBad(): Promise<Item[]> {
      return [{ ...(await lunch(0)), deadline: 1n }, await lunch(1, 0n)];
    }

    it("returns zero paid and zero total", async function () {
      const { programs, terminal, programId, canteens } = ctx;
      expect(
        await programs.connect(terminal).spendBatchFor.staticCall(programId, canteens.canteen1, await allBad()),
      ).to.deep.equal([0n, 0n]);
    });

    it("makes no tenge transfer, not even of zero", async function () {
      const receipt = await upload(await allBad());
      expect(transfersOf(ctx, receipt)).to.deep.equal([]);
      expect(outcomesOf(ctx.programs, receipt).map((o) => o.settled)).to.deep.equal([false, false]);
    });

    it("leaves the program's spent unchanged", async function () {
      const { programs, programId } = ctx;
      const before = await programs.figuresOf(programId);
      await upload(await allBad());
      expect(await programs.figuresOf(programId)).to.deep.equal(before);
    });

    it("succeeds even while the tenge is paused, since it calls the tenge not at all", async function () {
      const { tenge, roles } = ctx;
      await tenge.connect(roles.pauser).pause();
      expect((await upload(await allBad()))?.status).to.equal(1);
    });
  });

  describe("batch-level problems revert the whole batch", function () {
    it("reverts with ProgramsUnknownProgram for a program that does not exist", async function () {
      const { programs, terminal, canteens } = ctx;
      await expect(programs.connect(terminal).spendBatchFor(99n, canteens.canteen1, [await lunch(0)]))
        .to.be.revertedWithCustomError(programs, "ProgramsUnknownProgram")
        .withArgs(99n);
    });

    it("reverts with ProgramsProgramClosed for a closed program", async function () {
      const { programs, terminal, city, programId, canteens } = ctx;
      const item = await lunch(0);
      await programs.connect(city).close(programId);
      await expect(programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, [item]))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramClosed")
        .withArgs(programId);
    });

    it("reverts with ProgramsNotStarted before the program's start", async function () {
      const { tenge, programs, city, terminal, canteens } = ctx;
      const start = BigInt(await time.latest()) + DAY;
      const programId = await createByTransferAndCall(tenge, programs, city, kzt("1000"), await lunchTerms({ start }));
      const now = BigInt(await time.latest()) + 10n;
      await time.setNextBlockTimestamp(now);
      await expect(programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, [await lunch(0)]))
        .to.be.revertedWithCustomError(programs, "ProgramsNotStarted")
        .withArgs(programId, start, now);
    });

    it("reverts with ProgramsProgramExpired at and after the program's expiry", async function () {
      const { programs, terminal, programId, canteens, terms } = ctx;
      const item = await lunch(0);
      await time.setNextBlockTimestamp(terms.expiry);
      await expect(programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, [item]))
        .to.be.revertedWithCustomError(programs, "ProgramsProgramExpired")
        .withArgs(programId, terms.expiry, terms.expiry);
    });

    it("reverts with ProgramsEmptyBatch for no items", async function () {
      const { programs, terminal, programId, canteens } = ctx;
      await expect(
        programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, []),
      ).to.be.revertedWithCustomError(programs, "ProgramsEmptyBatch");
    });

    it("reverts with ProgramsMerchantNotEligible for a merchant the program does not list", async function () {
      const { programs, terminal, programId, users } = ctx;
      const item = await lunch(0, LUNCH, { merchant: users.carol.address });
      await expect(programs.connect(terminal).spendBatchFor(programId, users.carol, [item]))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantNotEligible")
        .withArgs(programId, users.carol.address);
    });

    it("reverts with ProgramsMerchantNotEligible for a merchant removed from the program", async function () {
      const { programs, operator, terminal, programId, canteens } = ctx;
      const item = await lunch(0);
      await programs.connect(operator).removeMerchants(programId, [canteens.canteen1]);
      await expect(programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, [item]))
        .to.be.revertedWithCustomError(programs, "ProgramsMerchantNotEligible")
        .withArgs(programId, canteens.canteen1);
    });

    it("reverts with the tenge's own error when the tenge refuses the payment, consuming no nonce", async function () {
      const { programs, tenge, roles, terminal, programId, canteens, cards } = ctx;
      const item = await lunch(0);
      await tenge.connect(roles.pauser).pause();
      await expect(
        programs.connect(terminal).spendBatchFor(programId, canteens.canteen1, [item]),
      ).to.be.revertedWithCustomError(tenge, "EnforcedPause");
      expect((await programs.beneficiaryOf(programId, cards[0].address)).nonce).to.equal(0n);
    });
  });

  describe("property: a batch equals the same items sent one by one with spendFor", function () {
    /*
     * Random mixes of good items and items with a defect (late, zero, never enrolled, wrong signer, stale or future
     * nonce, duplicate), with allowances and a small budget that run out. Both runs start from the same state; the
     * batch settles in one block, the singles in consecutive blocks of the same Almaty day. The single path checks the
     * signature before the amount and the enrolment, the batch after them, so an item that is both zero (or not
     * enrolled) and badly signed is ZeroAmount (NotEnrolled) in the batch and ProgramsInvalidSignature alone.
     */
    const FUZZ = fuzzSettings(8, 20_261_125);
    const KINDS = ["good", "good", "good", "expired", "zero", "wrongSigner", "staleNonce", "nextNonce", "duplicate"];
    const spec = fc.record({
      card: fc.integer({ min: 0, max: 4 }), // 4: the wallet never enrolled
      kind: fc.constantFrom(...KINDS),
      amount: fc.constantFrom(kzt("100"), kzt("500"), kzt("700"), kzt("1200"), kzt("1300"), kzt("2000")),
    });

    it("settles the same items, rejects the others for the single path's reasons and leaves the same state", async function () {
      this.timeout(300_000);
      const { tenge, programs, city, operator, terminal, canteens, cards, stranger } = ctx;
      // A small budget (3,000 KZT) and top-ups, so allowances and the budget both run out in some runs
      const programId = await createByTransferAndCall(tenge, programs, city, kzt("3000"), await lunchTerms());
      await programs.connect(operator).addMerchants(programId, [canteens.canteen1]);
      const enrolled = cards.slice(0, 4);
      await programs.connect(operator).enrolBeneficiaries(
        programId,
        enrolled.map((c) => c.address),
        [],
      );
      await programs.connect(operator).topUp(
        programId,
        enrolled.map((c) => c.address),
        enrolled.map(() => kzt("1000")),
      );
      const wallets = [...enrolled, stranger];
      const watched = wallets.map((w) => w.address);

      async function state() {
        const beneficiaries = await Promise.all(watched.map((w) => programs.beneficiaryOf(programId, w)));
        return {
          beneficiaries: beneficiaries.map((b) => [b.nonce, b.spentThisPeriod, b.extra]),
          figures: await programs.figuresOf(programId),
          canteen: await tenge.balanceOf(canteens.canteen1),
          escrow: await tenge.balanceOf(programs),
        };
      }

      const { chainId } = await ethers.provider.getNetwork();
      const domain = {
        name: "PurposeBoundPrograms",
        version: "1",
        chainId,
        verifyingContract: await programs.getAddress(),
      };
      /** Whether the item's signature is its beneficiary's over its terms and current nonce. */
      async function signatureValid(item: Item): Promise<boolean> {
        const { nonce } = await programs.beneficiaryOf(programId, item.beneficiary);
        const { signature, ...terms } = item;
        const value = { programId, merchant: canteens.canteen1, ...terms, nonce };
        return verifyTypedData(domain, SPEND_TYPES, value, signature) === item.beneficiary;
      }
      /** The error spendFor gives an item the batch rejected for `reason` (see the precedence note above). */
      async function singleError(item: Item, reason: Reason): Promise<string> {
        const checkedBeforeSignature = reason === "ZeroAmount" || reason === "NotEnrolled";
        return checkedBeforeSignature && !(await signatureValid(item))
          ? "ProgramsInvalidSignature"
          : SINGLE_ERROR[reason];
      }
      const reached = new Set<string>();
      const property = fc.asyncProperty(fc.array(spec, { minLength: 8, maxLength: 20 }), async (specs) => {
        const snapshot = await takeSnapshot();
        try {
          const now = BigInt(await time.latest());
          const deadline = now + 3_600n;
          const planned = new Map<number, bigint>(); // nonce each card's next good item carries
          const items: Item[] = [];
          for (const s of specs) {
            const wallet = wallets[s.card];
            const nonce = planned.get(s.card) ?? 0n;
            const terms = { programId, merchant: canteens.canteen1, amount: s.amount, deadline, nonce };
            const previous = items.at(-1);
            if (s.kind === "duplicate" && previous !== undefined) {
              items.push(previous);
            } else if (s.kind === "expired") {
              items.push(await signed(programs, wallet, { ...terms, deadline: now - 100n }));
            } else if (s.kind === "zero") {
              items.push(await signed(programs, wallet, { ...terms, amount: 0n }));
            } else if (s.kind === "wrongSigner" && wallet !== stranger) {
              items.push(await signed(programs, cards[4], { ...terms, beneficiary: wallet.address }));
            } else if (s.kind === "staleNonce" && wallet !== stranger && nonce > 0n) {
              items.push(await signed(programs, wallet, { ...terms, nonce: nonce - 1n }));
            } else if (s.kind === "nextNonce" && wallet !== stranger) {
              items.push(await signed(programs, wallet, { ...terms, nonce: nonce + 1n }));
            } else {
              items.push(await signed(programs, wallet, terms));
              if (wallet !== stranger) planned.set(s.card, nonce + 1n); // the stranger's nonce never moves
            }
          }

          const receipt = await upload(items, canteens.canteen1, programId);
          const batchOutcomes = outcomesOf(programs, receipt);
          for (const o of batchOutcomes) reached.add(o.settled ? "settled" : o.reason);
          const afterBatch = await state();
          await snapshot.restore();

          // Each item sent alone, in order, must do what the batch did with it: settle, or revert with the error
          // of the batch's reason.
          expect(batchOutcomes.length, "one outcome per item").to.equal(items.length);
          for (const [i, item] of items.entries()) {
            const outcome = batchOutcomes[i];
            // What spendFor must do, decided before the transaction is sent (reads the nonce it would check)
            const error = outcome.settled ? undefined : await singleError(item, outcome.reason);
            const single = programs
              .connect(terminal)
              .spendFor(programId, item.beneficiary, canteens.canteen1, item.amount, item.deadline, item.signature);
            if (error === undefined) {
              await expect(single, `item ${i} settles`)
                .to.emit(programs, "Spent")
                .withArgs(programId, item.beneficiary, canteens.canteen1, item.amount, true);
            } else {
              await expect(single, `item ${i}: ${error}`).to.be.revertedWithCustomError(programs, error);
            }
          }
          expect(await state(), "final state").to.deep.equal(afterBatch);
        } finally {
          await snapshot.restore();
        }
      });
      await assertProperty(__filename, property, FUZZ);
      // The mix must have exercised every outcome, or the agreement above proves little.
      expect([...reached].sort(), `outcomes reached with seed ${FUZZ.seed}`).to.deep.equal(
        ["settled", ...Object.keys(REASON)].sort(),
      );
    });
  });
});
