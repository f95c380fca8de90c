import { expect } from "chai";
import fc from "fast-check";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress, id } from "ethers";
import type { Signer } from "ethers";
import { encodeOfflineBatch } from "../../scripts/lib/offline";
import type { SignedOfflinePayment } from "../../scripts/lib/offline";
import { kzt } from "../fixtures/tenge.fixture";
import { expectOfflineInvariants, now, offlineFixture, payment, settle, settleRaw, sign } from "./helpers";
import type { OfflineCtx } from "./helpers";
import { assertProperty, fuzzSettings, FuzzStats } from "../helpers/property";

/*
 * Stateful property test of offline payments: random sequences of batch settlements (with replays, cancelled and
 * expired payments, purse and balance payments, payers who signed more than they hold), purse reservations and
 * releases, cancellations, freezes, issuance, online spending and the passing of time. After every command:
 * totalSupply == Σ balances + Σ purses (the token's address holds Σ purses), no payment's nonce ever settles twice
 * (per payer and nonce space), a cancelled nonce never settles, and in every batch settled + failed == submitted,
 * with the payee credited exactly the settled total.
 *
 * FUZZ_RUNS (default 10), FUZZ_SEED, FUZZ_PATH, FUZZ_STATS: test/helpers/property.ts (a failure prints its replay).
 * Tagged @property: excluded from coverage (see .solcover.js).
 */

const FUZZ = fuzzSettings(10);
const MAX_COMMANDS = 25;
const REASON = id("property");
/** FUZZ_STATS=1 prints how often each command succeeded or failed with each error. */
const STATS = new FuzzStats();

function count(outcome: string): void {
  STATS.record(outcome);
}

/** The chain side: the fixture and who may pay and be paid. */
interface World {
  ctx: OfflineCtx;
  payers: Signer[];
  payerAddresses: string[];
  payees: HardhatEthersSigner[];
}

/** What the commands remember across a run. */
interface Model {
  /** `payer:balance:nonce` or `payer:purse:<validUntil>:nonce` of every settled payment. */
  settled: Set<string>;
  /** `payer:nonce` of every cancelled balance nonce. */
  cancelled: Set<string>;
  submitted: number;
  outcomes: number;
}

type Command = fc.AsyncCommand<Model, World>;

/** Runs `fn` only if a static call of it would succeed (commands may be invalid on purpose). */
async function ifAccepted(simulate: () => Promise<unknown>, fn: () => Promise<unknown>): Promise<void> {
  try {
    await simulate();
  } catch {
    return;
  }
  await fn();
}

interface Item {
  payer: number;
  amount: number;
  nonce: bigint;
  fromPurse: boolean;
  window: "ok" | "expired" | "future";
  repeat: boolean;
}

const itemArb = fc.record({
  payer: fc.integer({ min: 0, max: 3 }),
  amount: fc.integer({ min: 1, max: 900 }),
  nonce: fc.constantFrom(0n, 1n, 2n, 3n, 256n, 257n, 70_000n),
  fromPurse: fc.boolean(),
  window: fc.constantFrom<Item["window"]>("ok", "ok", "ok", "ok", "ok", "ok", "expired", "future"),
  repeat: fc.boolean(),
});

class SettleCommand implements Command {
  constructor(
    readonly payee: number,
    readonly items: Item[],
  ) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, world: World): Promise<void> {
    const { ctx } = world;
    const payee = world.payees[this.payee];
    const t = await now();
    const signed: SignedOfflinePayment[] = [];
    const keys: string[] = [];
    for (const item of this.items) {
      const payer = world.payers[item.payer];
      const address = world.payerAddresses[item.payer];
      const purse = await ctx.offline.purseOf(address);
      const end = item.fromPurse && purse.inForce ? purse.validUntil : t + 86_400n;
      const window =
        item.window === "expired"
          ? { validAfter: 0n, validBefore: t }
          : item.window === "future"
            ? { validAfter: t + 3_600n, validBefore: end > t + 3_601n ? end : t + 7_200n }
            : { validAfter: 0n, validBefore: end };
      const p = await sign(
        payer,
        await payment(payee.address, String(item.amount), {
          ...window,
          nonce: item.nonce,
          fromPurse: item.fromPurse,
        }),
        ctx.domain,
      );
      const key = item.fromPurse
        ? `${address}:purse:${purse.validUntil}:${item.nonce}`
        : `${address}:balance:${item.nonce}`;
      const copies = item.repeat ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        signed.push(p);
        keys.push(key);
      }
    }
    const before = await ctx.tenge.balanceOf(payee);
    const { result } =
      this.payee === 0
        ? await settle(ctx, signed)
        : await settleRaw(ctx, payee, payee.address, encodeOfflineBatch(signed));
    expect(result.settled + result.failed.length, "settled + failed == submitted").to.equal(signed.length);
    const failedAt = new Set(result.failed.map((f) => f.index));
    let total = 0n;
    signed.forEach((p, i) => {
      if (failedAt.has(i)) return;
      const key = keys[i];
      expect(model.settled.has(key), `nonce settled twice: ${key}`).to.equal(false);
      if (!p.fromPurse) {
        expect(model.cancelled.has(`${p.payer}:${p.nonce}`), `cancelled nonce settled: ${key}`).to.equal(false);
      }
      model.settled.add(key);
      total += p.amount;
      count(p.fromPurse ? "settled from purse" : "settled from balance");
    });
    for (const f of result.failed) {
      expect(f.reason, "only reasons this command can produce").to.be.oneOf([
        "NotYetValid",
        "Expired",
        "AlreadyUsed",
        "Cancelled",
        "InsufficientFunds",
        "FundsFrozen",
        "PayerFrozen",
        "DailyLimitExceeded",
        "NoPurse",
        "PurseTermsMismatch",
      ]);
      expect(f.payer).to.equal(signed[f.index].payer);
      count(f.reason);
    }
    expect(result.total).to.equal(total);
    // Payees are never payers here, so the payee's balance moves by exactly the settled total.
    expect((await ctx.tenge.balanceOf(payee)) - before, "payee credited the settled total").to.equal(total);
    model.submitted += signed.length;
    model.outcomes += result.settled + result.failed.length;
    await expectOfflineInvariants(ctx);
  }
  toString(): string {
    return `settle(payee ${this.payee}, ${JSON.stringify(this.items, (_, v: unknown) => (typeof v === "bigint" ? `${v}` : v))})`;
  }
}

/** A command that always applies; the invariants are checked after it. */
function simple(label: string, run: (model: Model, world: World) => Promise<void>): Command {
  return {
    check: () => true,
    run: async (model, world) => {
      await run(model, world);
      await expectOfflineInvariants(world.ctx);
    },
    toString: () => label,
  };
}

const settleCommand = fc
  .tuple(fc.integer({ min: 0, max: 1 }), fc.array(itemArb, { minLength: 1, maxLength: 6 }))
  .map(([payee, items]) => new SettleCommand(payee, items));

const reserveCommand = fc
  .tuple(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 1, max: 600 }),
    fc.constantFrom(0, 0, 1, 2),
    fc.integer({ min: 1, max: 3 }),
  )
  .map(([p, amount, payeeChoice, days]) =>
    simple(`reservePurse(payer ${p}, ${amount}, payee ${payeeChoice}, ${days} d)`, async (_m, world) => {
      const { offline } = world.ctx;
      const address = world.payerAddresses[p];
      const purse = await offline.purseOf(address);
      const payee = payeeChoice === 2 ? ZeroAddress : world.payees[payeeChoice].address;
      const until = purse.inForce ? purse.validUntil : (await now()) + BigInt(days) * 86_400n;
      const terms = purse.inForce ? purse.payee : payee;
      const c = offline.connect(world.payers[p]);
      await ifAccepted(
        () => c.reservePurse.staticCall(kzt(String(amount)), until, terms),
        async () => (await c.reservePurse(kzt(String(amount)), until, terms)).wait(),
      );
    }),
  );

const releaseCommand = fc.integer({ min: 0, max: 3 }).map((p) =>
  simple(`releasePurse(payer ${p})`, async (_m, world) => {
    const c = world.ctx.offline.connect(world.payers[p]);
    await ifAccepted(
      () => c.releasePurse.staticCall(),
      async () => (await c.releasePurse()).wait(),
    );
  }),
);

const cancelCommand = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(0n, 1n, 2n, 3n, 256n, 70_000n))
  .map(([p, nonce]) =>
    simple(`cancel(payer ${p}, nonce ${nonce})`, async (model, world) => {
      const c = world.ctx.offline.connect(world.payers[p]);
      await ifAccepted(
        () => c.cancelOfflinePayment.staticCall(nonce),
        async () => {
          await (await c.cancelOfflinePayment(nonce)).wait();
          model.cancelled.add(`${world.payerAddresses[p]}:${nonce}`);
        },
      );
    }),
  );

const freezeCommand = fc.integer({ min: 0, max: 3 }).map((p) =>
  simple(`toggleFreeze(payer ${p})`, async (_m, world) => {
    const { tenge, roles } = world.ctx;
    const address = world.payerAddresses[p];
    const frozen = (await tenge.accountOf(address)).frozen;
    const c = tenge.connect(roles.compliance);
    await (await (frozen ? c.unfreeze(address, REASON) : c.freeze(address, REASON))).wait();
  }),
);

const mintCommand = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 2_000 })).map(([p, amount]) =>
  simple(`mint(payer ${p}, ${amount})`, async (_m, world) => {
    const { tenge, banks } = world.ctx;
    const c = tenge.connect(banks.bankA);
    const to = world.payerAddresses[p];
    await ifAccepted(
      () => c.mint.staticCall(to, kzt(String(amount))),
      async () => (await c.mint(to, kzt(String(amount)))).wait(),
    );
  }),
);

const spendCommand = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 1_500 })).map(([p, amount]) =>
  simple(`transfer(payer ${p} → bob, ${amount})`, async (_m, world) => {
    const c = world.ctx.tenge.connect(world.payers[p]);
    const bob = world.ctx.users.bob.address;
    await ifAccepted(
      () => c.transfer.staticCall(bob, kzt(String(amount))),
      async () => (await c.transfer(bob, kzt(String(amount)))).wait(),
    );
  }),
);

const timeCommand = fc.integer({ min: 1, max: 40 }).map((hours) =>
  simple(`advanceTime(${hours} h)`, async () => {
    await time.increase(hours * 3_600);
  }),
);

const COMMANDS = [
  settleCommand,
  settleCommand,
  settleCommand,
  settleCommand,
  reserveCommand,
  reserveCommand,
  reserveCommand,
  releaseCommand,
  cancelCommand,
  freezeCommand,
  mintCommand,
  spendCommand,
  timeCommand,
];

/**
 * The offline fixture with a low daily limit for tier 1 (so it bites) and purses in force from the start: dave 400
 * for the merchant (3 days), erin 300 for any payee (2 days), alice 1,000 for carol (1 day).
 */
async function propertyFixture() {
  const ctx = await loadFixture(offlineFixture);
  const { tenge, offline, roles, payers, users } = ctx;
  const t = await now();
  await (await offline.connect(payers.dave).reservePurse(kzt("400"), t + 3n * 86_400n, users.merchant)).wait();
  await (await offline.connect(payers.erin).reservePurse(kzt("300"), t + 2n * 86_400n, ZeroAddress)).wait();
  await (await offline.connect(users.alice).reservePurse(kzt("1000"), t + 86_400n, users.carol)).wait();
  await (await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("1500"))).wait();
  return ctx;
}

describe("TengeOffline @property", function () {
  it("keeps Σ balances + Σ purses == totalSupply, settles no nonce twice, reports every payment of a batch", async function () {
    this.timeout(Math.max(300_000, FUZZ.runs * 60_000));
    const ctx = await loadFixture(propertyFixture);
    const payers: Signer[] = [ctx.payers.dave, ctx.payers.erin, ctx.payers.frank, ctx.users.alice];
    const world: World = {
      ctx,
      payers,
      payerAddresses: await Promise.all(payers.map((p) => p.getAddress())),
      payees: [ctx.users.merchant, ctx.users.carol],
    };

    const property = fc.asyncProperty(
      fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: "max" }),
      async (commands) => {
        const snapshot = await takeSnapshot();
        try {
          const model: Model = { settled: new Set(), cancelled: new Set(), submitted: 0, outcomes: 0 };
          await fc.asyncModelRun(() => ({ model, real: world }), commands);
          expect(model.outcomes).to.equal(model.submitted);
        } finally {
          await snapshot.restore();
        }
      },
    );

    await assertProperty(__filename, property, FUZZ);
    STATS.print();
  });
});
