import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress } from "ethers";
import { Category, invoiceRef, vatFixture } from "../fixtures/vat.fixture";
import { checkVatInvariants } from "./helpers";
import { fuzzSettings } from "../helpers/property";

/*
 * Property tests of the VAT arithmetic (VatMath through a test-only mock, against exact rational arithmetic in
 * TypeScript) and a stateful test of the token: random issue / pay / pay with input VAT / refund / pay to budget /
 * cancel / rate change / time advance by random actors, with every invariant checked on chain after every step.
 * FUZZ_RUNS and FUZZ_SEED override the number of runs and the seed (see test/helpers/property.ts); fast-check's
 * failure report carries the seed.
 */
const { runs: RUNS, seed: SEED } = fuzzSettings(200);
const STATEFUL_RUNS = fuzzSettings(15).runs;
const MAX = 2n ** 64n - 1n;

/** round(num / den) half up, exactly. */
const roundHalfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);

async function mockFixture() {
  return await ethers.deployContract("VatMathMock");
}

const amount = fc.bigInt({ min: 1n, max: MAX });
const rate = fc.oneof(fc.constantFrom(0n, 500n, 1000n, 1200n, 1600n, 10_000n), fc.bigInt({ min: 0n, max: 10_000n }));

describe("VatMath @property", function () {
  this.timeout(120_000);

  it("splitInclusive: net + vat == gross and vat == round(gross × rate / (10,000 + rate)) half up", async function () {
    const mock = await loadFixture(mockFixture);
    await fc.assert(
      fc.asyncProperty(amount, rate, async (gross, bps) => {
        const [net, vat] = await mock.splitInclusive(gross, bps);
        expect(net + vat).to.equal(gross);
        expect(vat).to.equal(roundHalfUp(gross * bps, 10_000n + bps));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("addExclusive: gross == net + vat and vat == round(net × rate / 10,000) half up", async function () {
    const mock = await loadFixture(mockFixture);
    await fc.assert(
      fc.asyncProperty(amount, rate, async (net, bps) => {
        const [gross, vat] = await mock.addExclusive(net, bps);
        expect(gross).to.equal(net + vat);
        expect(vat).to.equal(roundHalfUp(net * bps, 10_000n));
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it("refundVat: any sequence of partial refunds adding up to the gross returns exactly the VAT paid", async function () {
    const mock = await loadFixture(mockFixture);
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        rate,
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }),
        async (gross, bps, weights) => {
          const [, vat] = await mock.splitInclusive(gross, bps);
          const total = BigInt(weights.reduce((a, b) => a + b, 0));
          let refunded = 0n;
          let vatBack = 0n;
          for (let i = 0; i < weights.length; i++) {
            const part = i === weights.length - 1 ? gross - refunded : (gross * BigInt(weights[i])) / total;
            if (part === 0n) continue;
            const v = await mock.refundVat(gross, vat, refunded, part);
            expect(v <= part, "VAT part within the refund").to.equal(true);
            refunded += part;
            vatBack += v;
            expect(vatBack).to.equal(roundHalfUp(refunded * vat, gross));
          }
          expect(vatBack).to.equal(vat);
        },
      ),
      { numRuns: Math.max(20, Math.floor(RUNS / 4)), seed: SEED },
    );
  });
});

type Command =
  | { kind: "issue"; merchant: number; gross: bigint; exclusive: boolean; category: number }
  | { kind: "pay"; payer: number; invoice: number; inputVat: boolean }
  | { kind: "refund"; invoice: number; share: number }
  | { kind: "budget"; who: number; share: number }
  | { kind: "cancel"; invoice: number }
  | { kind: "rates"; standard: number; reduced: number; delay: number }
  | { kind: "time"; seconds: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    kind: fc.constant("issue" as const),
    merchant: fc.nat(2),
    gross: fc.bigInt({ min: 1n, max: 500_000n }),
    exclusive: fc.boolean(),
    category: fc.constantFrom(Category.STANDARD, Category.REDUCED, Category.ZERO, Category.EXEMPT),
  }),
  fc.record({ kind: fc.constant("pay" as const), payer: fc.nat(3), invoice: fc.nat(20), inputVat: fc.boolean() }),
  fc.record({ kind: fc.constant("refund" as const), invoice: fc.nat(20), share: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("budget" as const), who: fc.nat(1), share: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ kind: fc.constant("cancel" as const), invoice: fc.nat(20) }),
  fc.record({
    kind: fc.constant("rates" as const),
    standard: fc.integer({ min: 0, max: 10_000 }),
    reduced: fc.integer({ min: 0, max: 10_000 }),
    delay: fc.integer({ min: 0, max: 3 * 86_400 }),
  }),
  fc.record({ kind: fc.constant("time" as const), seconds: fc.integer({ min: 1, max: 2 * 86_400 }) }),
);

describe("VAT stateful @property", function () {
  this.timeout(300_000);

  it("keeps every VAT invariant after every step of random command sequences", async function () {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 5, maxLength: 25 }), async (commands) => {
        const { tenge, users, vat, tax } = await loadFixture(vatFixture);
        const merchants = [users.merchant, vat.supplier, vat.shop];
        const payers = [users.alice, users.bob, users.merchant, vat.supplier];
        const invoices: { merchant: (typeof merchants)[number]; ref: string }[] = [];
        for (const c of commands) {
          const inv = invoices.length > 0 ? invoices[("invoice" in c ? c.invoice : 0) % invoices.length] : undefined;
          // Each command may legitimately revert (the rules are tested elsewhere); a revert must change nothing,
          // which the invariants below would catch if it did.
          try {
            switch (c.kind) {
              case "issue": {
                const ref = invoiceRef(`P-${invoices.length}`);
                await tenge
                  .connect(merchants[c.merchant])
                  .issueInvoice(ref, c.gross, c.exclusive, c.category, ZeroAddress);
                invoices.push({ merchant: merchants[c.merchant], ref });
                break;
              }
              case "pay":
                if (!inv) break;
                if (c.inputVat) await tenge.connect(payers[c.payer]).payInvoiceWithInputVat(inv.merchant, inv.ref);
                else await tenge.connect(payers[c.payer]).payInvoice(inv.merchant, inv.ref);
                break;
              case "refund": {
                if (!inv) break;
                const i = await tenge.invoiceOf(inv.merchant, inv.ref);
                const left = i.gross - i.refundedGross;
                const part = c.share === 100 ? left : (left * BigInt(c.share)) / 100n;
                await tenge.connect(inv.merchant).refundInvoice(inv.ref, part);
                break;
              }
              case "budget": {
                const who = [users.merchant, vat.supplier][c.who];
                const marked = (await tenge.vatPayerOf(who)).markedVat;
                await tenge.connect(who).payVatToBudget((marked * BigInt(c.share)) / 100n);
                break;
              }
              case "cancel":
                if (inv) await tenge.connect(inv.merchant).cancelInvoice(inv.ref);
                break;
              case "rates":
                await tenge
                  .connect(tax)
                  .scheduleVatRates(c.standard, c.reduced, c.delay === 0 ? 0 : (await time.latest()) + c.delay);
                break;
              case "time":
                await time.increase(c.seconds);
                break;
            }
          } catch (error) {
            if (!(error instanceof Error) || !/reverted/.test(error.message)) throw error;
          }
          await checkVatInvariants(tenge);
        }
      }),
      { numRuns: STATEFUL_RUNS, seed: SEED },
    );
  });
});
