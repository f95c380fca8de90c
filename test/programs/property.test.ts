import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { formatUnits, id } from "ethers";
import type { ContractTransactionResponse } from "ethers";
import type { DigitalTenge, PurposeBoundPrograms } from "../../typechain-types";
import { encodeFund, encodeTerms, signSpend } from "../../scripts/lib/programs";
import { ALMATY, DAY, PERIOD, kzt, lunchFixture } from "../fixtures/programs.fixture";
import { CheckedCommand, assertProperty, fuzzSettings, FuzzStats } from "../helpers/property";

/*
 * Stateful property test of the purpose-bound programs: random sequences of commands by random actors (authorised or
 * not) run against the escrow and against a TypeScript reference model. Each command predicts, from the model, either
 * success or the exact custom error with its arguments; the chain must agree. After every command: every program's
 * figures equal the model's and `budget == spent + returned + earmarked`; the escrow's tenge balance equals
 * `Σ earmarked` (+ tenge deliberately sent outside any program); funders and canteens hold what the model says.
 *
 * FUZZ_RUNS (default 25), FUZZ_SEED, FUZZ_PATH, FUZZ_STATS: test/helpers/property.ts (a failure prints its replay).
 * Tagged @property: excluded from coverage (see .solcover.js). The default is bounded to about 30 s.
 */

const FUZZ = fuzzSettings(25);
const MAX_COMMANDS = 40;
/** FUZZ_STATS=1 prints how often each command succeeded or failed with each error. */
const STATS = new FuzzStats();

const OPERATOR_ROLE = id("OPERATOR_ROLE");

const FUNDERS = ["city", "alice"] as const;
const KIDS = ["kid1", "kid2", "kid3"] as const;
const MERCHANTS = ["canteen1", "canteen2", "carol", "stranger"] as const;
type Funder = (typeof FUNDERS)[number];
type Kid = (typeof KIDS)[number];
type Merchant = (typeof MERCHANTS)[number];
type Actor = Funder | Kid | "desk" | "centralBank" | "outsider" | "bob";
/** Everyone whose tenge balance the model tracks. */
const TRACKED = ["city", "alice", "bob", "canteen1", "canteen2", "carol", "escrow"] as const;
type Tracked = (typeof TRACKED)[number];

/* MODEL */

interface BeneficiaryModel {
  enrolled: boolean;
  period: bigint;
  spentInPeriod: bigint;
  extra: bigint;
  nonce: bigint;
}

interface ProgramModel {
  funder: Funder;
  budget: bigint;
  spent: bigint;
  allowance: bigint;
  period: number;
  start: bigint;
  expiry: bigint;
  closed: boolean;
  merchants: Merchant[];
  beneficiaries: Partial<Record<Kid, BeneficiaryModel>>;
}

interface ModelState {
  programs: ProgramModel[];
  balances: Record<Tracked, bigint>;
  /** Tenge sent to the escrow outside any program. */
  surplus: bigint;
}

interface ModelBox {
  state: ModelState;
}

interface World {
  tenge: DigitalTenge;
  programs: PurposeBoundPrograms;
  signer: Record<Actor, HardhatEthersSigner>;
  address: Record<Actor | Merchant | "escrow", string>;
}

/** A revert the model predicts, and which contract's ABI names its error. */
class Revert extends Error {
  constructor(
    readonly error: string,
    readonly args: unknown[],
    readonly on: "programs" | "tenge" = "programs",
  ) {
    super(`the model predicts ${error}`);
  }
}

const emptyBeneficiary = (): BeneficiaryModel => ({
  enrolled: false,
  period: 0n,
  spentInPeriod: 0n,
  extra: 0n,
  nonce: 0n,
});

/** The contract's period index, from JavaScript's calendar in Almaty time. */
function periodIndex(period: number, timestamp: bigint): bigint {
  if (period === PERIOD.whole) return 0n;
  const day = (timestamp + ALMATY) / DAY;
  if (period === PERIOD.day) return day;
  if (period === PERIOD.week) return (day + 3n) / 7n;
  const local = new Date(Number((timestamp + ALMATY) * 1000n));
  return BigInt(local.getUTCFullYear() * 12 + local.getUTCMonth());
}

const earmarked = (p: ProgramModel): bigint => (p.closed ? 0n : p.budget - p.spent);
const returned = (p: ProgramModel): bigint => (p.closed ? p.budget - p.spent : 0n);

/** The escrow's rules, in the order the contract checks them. Mutates a draft; throws {Revert} on refusal. */
class Rules {
  constructor(
    readonly s: ModelState,
    readonly w: World,
    /** The timestamp of the block the transaction is mined in. */
    readonly now: bigint,
  ) {}

  program(programId: bigint): ProgramModel {
    const p = this.s.programs[Number(programId) - 1];
    if (p === undefined) throw new Revert("ProgramsUnknownProgram", [programId]);
    if (p.closed) throw new Revert("ProgramsProgramClosed", [programId]);
    return p;
  }

  open(programId: bigint): ProgramModel {
    const p = this.program(programId);
    if (this.now >= p.expiry) throw new Revert("ProgramsProgramExpired", [programId, p.expiry, this.now]);
    return p;
  }

  operator(caller: Actor): void {
    if (caller !== "desk")
      throw new Revert("AccessControlUnauthorizedAccount", [this.w.address[caller], OPERATOR_ROLE]);
  }

  /** A tenge payment from a tracked holder (the funders and bob are active, exempt or far within their limits). */
  pay(from: Tracked, to: Tracked, amount: bigint): void {
    const balance = this.s.balances[from];
    if (amount > balance) {
      throw new Revert("DigitalTengeInsufficientBalance", [this.w.address[from], balance, amount], "tenge");
    }
    this.s.balances[from] -= amount;
    this.s.balances[to] += amount;
  }

  create(funder: Funder, budget: bigint, allowance: bigint, period: number, start: bigint, expiry: bigint): void {
    if (budget === 0n) throw new Revert("ProgramsZeroAmount", []);
    const begin = start === 0n ? this.now : start;
    if (expiry <= begin || expiry <= this.now) throw new Revert("ProgramsInvalidSchedule", [begin, expiry, this.now]);
    this.s.programs.push({
      funder,
      budget,
      spent: 0n,
      allowance,
      period,
      start: begin,
      expiry,
      closed: false,
      merchants: [],
      beneficiaries: {},
    });
  }

  fund(caller: Actor, programId: bigint, amount: bigint): void {
    const p = this.open(programId);
    if (caller !== p.funder) throw new Revert("ProgramsNotFunder", [programId, this.w.address[caller]]);
    if (amount === 0n) throw new Revert("ProgramsZeroAmount", []);
    p.budget += amount;
  }

  addMerchant(caller: Actor, programId: bigint, merchant: Merchant): void {
    this.operator(caller);
    const p = this.open(programId);
    if (p.merchants.includes(merchant)) {
      throw new Revert("ProgramsMerchantAlreadyAdded", [programId, this.w.address[merchant]]);
    }
    if (merchant === "stranger") throw new Revert("ProgramsNotOnboardedInTenge", [this.w.address[merchant]]);
    p.merchants.push(merchant);
  }

  removeMerchant(caller: Actor, programId: bigint, merchant: Merchant): void {
    this.operator(caller);
    const p = this.open(programId);
    if (!p.merchants.includes(merchant)) {
      throw new Revert("ProgramsMerchantNotEligible", [programId, this.w.address[merchant]]);
    }
    p.merchants = p.merchants.filter((m) => m !== merchant);
  }

  enrol(caller: Actor, programId: bigint, kids: Kid[]): void {
    this.operator(caller);
    const p = this.open(programId);
    for (const kid of kids) {
      const b = (p.beneficiaries[kid] ??= emptyBeneficiary());
      if (b.enrolled) throw new Revert("ProgramsAlreadyEnrolled", [programId, this.w.address[kid]]);
      b.enrolled = true;
    }
  }

  remove(caller: Actor, programId: bigint, kid: Kid): void {
    this.operator(caller);
    const p = this.open(programId);
    const b = p.beneficiaries[kid] ?? emptyBeneficiary();
    if (!b.enrolled) throw new Revert("ProgramsNotEnrolled", [programId, this.w.address[kid]]);
    b.enrolled = false;
    b.extra = 0n;
  }

  topUp(caller: Actor, programId: bigint, kid: Kid, amount: bigint): void {
    this.operator(caller);
    const p = this.open(programId);
    if (amount === 0n) throw new Revert("ProgramsZeroAmount", []);
    const b = p.beneficiaries[kid] ?? emptyBeneficiary();
    if (!b.enrolled) throw new Revert("ProgramsNotEnrolled", [programId, this.w.address[kid]]);
    b.extra += amount;
  }

  /** What `kid` may spend now in program `p`: this period's allowance left plus top-ups. */
  available(
    p: ProgramModel,
    kid: Kid,
  ): { available: bigint; periodLeft: bigint; spentInPeriod: bigint; index: bigint } {
    const b = p.beneficiaries[kid] ?? emptyBeneficiary();
    const index = periodIndex(p.period, this.now);
    const spentInPeriod = b.period === index ? b.spentInPeriod : 0n;
    const periodLeft = p.allowance > spentInPeriod ? p.allowance - spentInPeriod : 0n;
    return { available: periodLeft + b.extra, periodLeft, spentInPeriod, index };
  }

  spend(kid: Kid, programId: bigint, merchant: Merchant, amount: bigint, signed: boolean): void {
    const p = this.program(programId);
    if (this.now < p.start) throw new Revert("ProgramsNotStarted", [programId, p.start, this.now]);
    if (this.now >= p.expiry) throw new Revert("ProgramsProgramExpired", [programId, p.expiry, this.now]);
    if (amount === 0n) throw new Revert("ProgramsZeroAmount", []);
    if (!p.merchants.includes(merchant)) {
      throw new Revert("ProgramsMerchantNotEligible", [programId, this.w.address[merchant]]);
    }
    const b = p.beneficiaries[kid] ?? emptyBeneficiary();
    if (!b.enrolled) throw new Revert("ProgramsNotEnrolled", [programId, this.w.address[kid]]);
    const { available, periodLeft, spentInPeriod, index } = this.available(p, kid);
    if (amount > available) {
      throw new Revert("ProgramsAllowanceExceeded", [programId, this.w.address[kid], available, amount]);
    }
    const remaining = p.budget - p.spent;
    if (amount > remaining) throw new Revert("ProgramsBudgetExhausted", [programId, remaining, amount]);
    const fromPeriod = amount < periodLeft ? amount : periodLeft;
    b.period = index;
    b.spentInPeriod = spentInPeriod + fromPeriod;
    b.extra -= amount - fromPeriod;
    if (signed) b.nonce += 1n;
    p.beneficiaries[kid] = b;
    p.spent += amount;
    this.pay("escrow", merchant as Tracked, amount);
  }

  close(caller: Actor, programId: bigint): void {
    const p = this.program(programId);
    if (caller !== p.funder && this.now < p.expiry) {
      throw new Revert("ProgramsCloseNotAllowed", [programId, this.w.address[caller], p.expiry]);
    }
    const back = p.budget - p.spent;
    p.closed = true;
    if (back > 0n) this.pay("escrow", p.funder, back);
  }
}

/* EXECUTION AND INVARIANTS */

/** Pins the next block's timestamp one second after the latest and returns it, so the model knows `now`. */
async function pin(): Promise<bigint> {
  const next = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(next);
  return next;
}

/** Runs one transaction: predicts with the model at the pinned time, sends, asserts the chain agreed, commits. */
async function step(
  box: ModelBox,
  world: World,
  label: string,
  predict: (rules: Rules) => void,
  send: (now: bigint) => Promise<ContractTransactionResponse>,
): Promise<void> {
  const now = await pin();
  const rules = new Rules(structuredClone(box.state), world, now);
  let revert: Revert | undefined;
  try {
    predict(rules);
  } catch (e) {
    if (!(e instanceof Revert)) throw e;
    revert = e;
  }
  STATS.record(`${label} → ${revert?.error ?? "ok"}`);
  if (revert !== undefined) {
    const contract = revert.on === "tenge" ? world.tenge : world.programs;
    await expect(send(now))
      .to.be.revertedWithCustomError(contract, revert.error)
      .withArgs(...revert.args);
    return;
  }
  const receipt = await (await send(now)).wait();
  expect(receipt?.status).to.equal(1);
  box.state = rules.s;
}

/** The chain equals the model, and the money invariants hold on chain. */
async function checkInvariants(box: ModelBox, world: World): Promise<void> {
  const { programs, tenge } = world;
  const s = box.state;
  expect(await programs.programCount(), "programCount").to.equal(BigInt(s.programs.length));
  let sumEarmarked = 0n;
  const sums = [0n, 0n, 0n, 0n];
  await Promise.all(
    s.programs.map(async (p, i) => {
      const programId = BigInt(i + 1);
      const [view, figures, beneficiaries, merchants] = await Promise.all([
        programs.programOf(programId),
        programs.figuresOf(programId),
        Promise.all(KIDS.map((kid) => programs.beneficiaryOf(programId, world.address[kid]))),
        Promise.all(MERCHANTS.map((m) => programs.isMerchant(programId, world.address[m]))),
      ]);
      const [budget, spent, back, held] = figures;
      expect(budget, `program ${programId}: budget == spent + returned + earmarked`).to.equal(spent + back + held);
      expect([budget, spent, back, held], `program ${programId} figures`).to.deep.equal([
        p.budget,
        p.spent,
        returned(p),
        earmarked(p),
      ]);
      expect([view.budget, view.spent, view.returned, view.earmarked]).to.deep.equal([budget, spent, back, held]);
      expect(view.funder).to.equal(world.address[p.funder]);
      expect([view.start, view.expiry, view.allowance]).to.deep.equal([p.start, p.expiry, p.allowance]);
      expect(view.status === 4n, `program ${programId} closed`).to.equal(p.closed);
      const enrolledKids = KIDS.filter((kid) => p.beneficiaries[kid]?.enrolled === true);
      expect(view.beneficiaries, `program ${programId} beneficiaries`).to.equal(BigInt(enrolledKids.length));
      expect(view.merchants, `program ${programId} merchants`).to.equal(BigInt(p.merchants.length));
      KIDS.forEach((kid, k) => {
        const b = p.beneficiaries[kid] ?? emptyBeneficiary();
        const v = beneficiaries[k];
        expect([v.enrolled, v.nonce, v.extra], `program ${programId} ${kid}`).to.deep.equal([
          b.enrolled,
          b.nonce,
          b.enrolled ? b.extra : 0n,
        ]);
      });
      MERCHANTS.forEach((m, k) =>
        expect(merchants[k], `program ${programId} merchant ${m}`).to.equal(p.merchants.includes(m)),
      );
      sumEarmarked += held;
      sums[0] += budget;
      sums[1] += spent;
      sums[2] += back;
      sums[3] += held;
    }),
  );
  expect([...(await programs.totals())], "totals()").to.deep.equal(sums);
  const balances = await Promise.all(TRACKED.map((t) => tenge.balanceOf(world.address[t])));
  TRACKED.forEach((t, i) => expect(balances[i], `${t}'s tenge balance`).to.equal(s.balances[t]));
  expect(balances[TRACKED.indexOf("escrow")], "escrow balance == Σ earmarked + surplus").to.equal(
    sumEarmarked + s.surplus,
  );
}

/* COMMANDS */

/** A command of this test: its body, then every invariant ({@link checkInvariants}). */
class Command extends CheckedCommand<ModelBox, World> {
  constructor(label: string, body: (box: ModelBox, world: World) => Promise<void>) {
    super(label, body, checkInvariants);
  }
}

const tenge_ = (amount: bigint): string => formatUnits(amount, 2);
/** A program id: mostly an existing one, sometimes the next (unknown) one. */
/** A program: mostly the latest one, sometimes any existing one, rarely the next (unknown) id. */
const programRef = fc.oneof(
  { arbitrary: fc.constant(-1), weight: 6 },
  { arbitrary: fc.integer({ min: 0, max: 7 }), weight: 3 },
  { arbitrary: fc.constant(99), weight: 1 },
);
function resolveProgram(box: ModelBox, ref: number): bigint {
  const count = box.state.programs.length;
  if (ref === 99 || count === 0) return BigInt(count + 1);
  if (ref < 0) return BigInt(count);
  return BigInt((ref % count) + 1);
}
const operatorActor = fc.oneof(
  { arbitrary: fc.constant<Actor>("desk"), weight: 6 },
  fc.constantFrom<Actor>("outsider", "city", "centralBank"),
);
const kid = fc.oneof({ arbitrary: fc.constantFrom<Kid>("kid1", "kid2"), weight: 4 }, fc.constant<Kid>("kid3"));
const merchant = fc.oneof(
  { arbitrary: fc.constantFrom<Merchant>("canteen1", "canteen2"), weight: 8 },
  fc.constantFrom<Merchant>("carol", "stranger"),
);
/** Tiyn: small amounts mostly; sometimes zero. */
const smallAmount = fc.oneof(
  { arbitrary: fc.bigInt({ min: 1n, max: kzt("1500") }), weight: 8 },
  { arbitrary: fc.constant(0n), weight: 1 },
);

const createCommand = fc
  .record({
    funder: fc.constantFrom<Funder>(...FUNDERS),
    path: fc.constantFrom("erc1363", "transferFrom"),
    budget: fc.oneof(
      { arbitrary: fc.bigInt({ min: kzt("1000"), max: kzt("20000") }), weight: 6 },
      { arbitrary: fc.bigInt({ min: 1n, max: kzt("100") }), weight: 2 },
      { arbitrary: fc.constant(0n), weight: 1 },
      { arbitrary: fc.constant(kzt("90000")), weight: 1 }, // more than alice holds
    ),
    allowance: fc.oneof({ arbitrary: fc.bigInt({ min: kzt("500"), max: kzt("1500") }), weight: 4 }, fc.constant(0n)),
    period: fc.constantFrom(PERIOD.day, PERIOD.day, PERIOD.week, PERIOD.month, PERIOD.whole),
    startDays: fc.oneof({ arbitrary: fc.constant(-1), weight: 6 }, fc.integer({ min: 0, max: 2 })),
    durationDays: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 8 }), weight: 8 }, fc.constant(0)),
    setUp: fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
  })
  .map(
    (c) =>
      new Command(
        `create(${c.funder} by ${c.path}, budget ${tenge_(c.budget)}, allowance ${tenge_(c.allowance)}, period ${c.period}, start ${c.startDays}d, ${c.durationDays}d${c.setUp ? ", then both canteens and kid1, kid2" : ""})`,
        async (box, world) => {
          const funder = world.signer[c.funder];
          const escrow = world.address.escrow;
          const terms = (now: bigint) => {
            const start = c.startDays < 0 ? 0n : now + BigInt(c.startDays) * DAY;
            const expiry = (start === 0n ? now : start) + BigInt(c.durationDays) * DAY;
            return { allowance: c.allowance, period: c.period, start, expiry };
          };
          const before = box.state.programs.length;
          if (c.path === "erc1363") {
            if (c.budget === 0n) return; // the tenge's rules for a zero payment are its own suite's business
            await step(
              box,
              world,
              "create/erc1363",
              (r) => {
                const t = { start: c.startDays < 0 ? 0n : r.now + BigInt(c.startDays) * DAY };
                const expiry = (t.start === 0n ? r.now : t.start) + BigInt(c.durationDays) * DAY;
                r.pay(c.funder, "escrow", c.budget);
                r.create(c.funder, c.budget, c.allowance, c.period, t.start, expiry);
              },
              async (now) =>
                world.tenge
                  .connect(funder)
                  ["transferAndCall(address,uint256,bytes)"](escrow, c.budget, encodeTerms(terms(now))),
            );
          } else {
            await (await world.tenge.connect(funder).approve(escrow, c.budget)).wait();
            await step(
              box,
              world,
              "create/transferFrom",
              (r) => {
                const start = c.startDays < 0 ? 0n : r.now + BigInt(c.startDays) * DAY;
                const expiry = (start === 0n ? r.now : start) + BigInt(c.durationDays) * DAY;
                r.create(c.funder, c.budget, c.allowance, c.period, start, expiry);
                r.pay(c.funder, "escrow", c.budget);
              },
              async (now) => world.programs.connect(funder).createProgram(terms(now), c.budget),
            );
          }
          if (!c.setUp || box.state.programs.length === before) return;
          const programId = BigInt(box.state.programs.length);
          const operator = world.programs.connect(world.signer.desk);
          await step(
            box,
            world,
            "merchants",
            (r) => {
              r.addMerchant("desk", programId, "canteen1");
              r.addMerchant("desk", programId, "canteen2");
            },
            () => operator.addMerchants(programId, [world.address.canteen1, world.address.canteen2]),
          );
          await step(
            box,
            world,
            "enrol",
            (r) => r.enrol("desk", programId, ["kid1", "kid2"]),
            () => operator.enrolBeneficiaries(programId, [world.address.kid1, world.address.kid2], []),
          );
        },
      ),
  );

const fundCommand = fc.tuple(fc.constantFrom<Actor>("city", "alice", "city", "bob"), programRef, smallAmount).map(
  ([caller, ref, amount]) =>
    new Command(`fund(program #${ref}, ${tenge_(amount)}) by ${caller}`, async (box, world) => {
      const programId = resolveProgram(box, ref);
      if (amount === 0n) return;
      await step(
        box,
        world,
        "fund",
        (r) => {
          r.pay(caller as Tracked, "escrow", amount);
          r.fund(caller, programId, amount);
        },
        () =>
          world.tenge
            .connect(world.signer[caller])
            ["transferAndCall(address,uint256,bytes)"](world.address.escrow, amount, encodeFund(programId)),
      );
    }),
);

const merchantCommand = fc
  .tuple(operatorActor, programRef, merchant, fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, fc.constant(false)))
  .map(
    ([caller, ref, m, add]) =>
      new Command(
        `${add ? "addMerchants" : "removeMerchants"}(program #${ref}, ${m}) by ${caller}`,
        async (box, world) => {
          const programId = resolveProgram(box, ref);
          const escrow = world.programs.connect(world.signer[caller]);
          await step(
            box,
            world,
            "merchants",
            (r) => (add ? r.addMerchant(caller, programId, m) : r.removeMerchant(caller, programId, m)),
            () =>
              add
                ? escrow.addMerchants(programId, [world.address[m]])
                : escrow.removeMerchants(programId, [world.address[m]]),
          );
        },
      ),
  );

const enrolCommand = fc.tuple(operatorActor, programRef, fc.array(kid, { minLength: 1, maxLength: 3 })).map(
  ([caller, ref, kids]) =>
    new Command(`enrolBeneficiaries(program #${ref}, [${kids.join(", ")}]) by ${caller}`, async (box, world) => {
      const programId = resolveProgram(box, ref);
      await step(
        box,
        world,
        "enrol",
        (r) => r.enrol(caller, programId, kids),
        () =>
          world.programs.connect(world.signer[caller]).enrolBeneficiaries(
            programId,
            kids.map((k) => world.address[k]),
            kids.map((k) => id(`card of ${k}`)),
          ),
      );
    }),
);

const removeCommand = fc.tuple(operatorActor, programRef, kid).map(
  ([caller, ref, k]) =>
    new Command(`removeBeneficiaries(program #${ref}, ${k}) by ${caller}`, async (box, world) => {
      const programId = resolveProgram(box, ref);
      await step(
        box,
        world,
        "remove",
        (r) => r.remove(caller, programId, k),
        () => world.programs.connect(world.signer[caller]).removeBeneficiaries(programId, [world.address[k]]),
      );
    }),
);

const topUpCommand = fc.tuple(operatorActor, programRef, kid, smallAmount).map(
  ([caller, ref, k, amount]) =>
    new Command(`topUp(program #${ref}, ${k}, ${tenge_(amount)}) by ${caller}`, async (box, world) => {
      const programId = resolveProgram(box, ref);
      await step(
        box,
        world,
        "topUp",
        (r) => r.topUp(caller, programId, k, amount),
        () => world.programs.connect(world.signer[caller]).topUp(programId, [world.address[k]], [amount]),
      );
    }),
);

/**
 * A payment amount: a share (per mille) of what the child may spend now; one tiyn either side of (or at) that or the
 * budget left; or a fixed amount.
 */
type SpendAmount = { tiyn: bigint } | { permille: bigint } | { edge: "available" | "budget"; delta: bigint };
const spendAmount: fc.Arbitrary<SpendAmount> = fc.oneof(
  { arbitrary: fc.bigInt({ min: 1n, max: 1000n }).map((permille) => ({ permille })), weight: 5 },
  {
    arbitrary: fc.record({
      edge: fc.constantFrom<"available" | "budget">("available", "budget"),
      delta: fc.constantFrom(-1n, 0n, 0n, 1n),
    }),
    weight: 3,
  },
  { arbitrary: smallAmount.map((tiyn) => ({ tiyn })), weight: 1 },
);
function resolveAmount(a: SpendAmount, box: ModelBox, programId: bigint, k: Kid, now: bigint, world: World): bigint {
  if ("tiyn" in a) return a.tiyn;
  const p = box.state.programs[Number(programId) - 1];
  if (p === undefined) return kzt("1");
  const { available } = new Rules(box.state, world, now).available(p, k);
  if ("permille" in a) return (available * a.permille) / 1000n;
  const value = (a.edge === "budget" ? earmarked(p) : available) + a.delta;
  return value > 0n ? value : 1n;
}

const spendCommand = fc
  .tuple(
    kid,
    programRef,
    merchant,
    spendAmount,
    fc.oneof({ arbitrary: fc.constantFrom("direct", "signed", "signed"), weight: 8 }, fc.constantFrom("stale", "late")),
  )
  .map(
    ([k, ref, m, a, mode]) =>
      new Command(
        `spend(${k}, program #${ref}, ${m}, ${JSON.stringify(a, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))}, ${mode})`,
        async (box, world) => {
          const programId = resolveProgram(box, ref);
          const now = BigInt(await time.latest()) + 1n;
          const amount = resolveAmount(a, box, programId, k, now, world);
          const beneficiary = world.address[k];
          if (mode === "direct") {
            await step(
              box,
              world,
              "spend",
              (r) => r.spend(k, programId, m, amount, false),
              () => world.programs.connect(world.signer[k]).spend(programId, world.address[m], amount),
            );
            return;
          }
          const p = box.state.programs[Number(programId) - 1];
          const nonce = p?.beneficiaries[k]?.nonce ?? 0n;
          const signedNonce = mode === "stale" ? nonce + 1n : nonce;
          const deadline = mode === "late" ? now - 1n : now + 600n;
          const { signature } = await signSpend(world.signer[k], world.programs, {
            programId,
            beneficiary,
            merchant: world.address[m],
            amount,
            nonce: signedNonce,
            deadline,
          });
          await step(
            box,
            world,
            "spendFor",
            (r) => {
              if (r.now > deadline) throw new Revert("ProgramsAuthorizationExpired", [deadline, r.now]);
              if (signedNonce !== nonce) throw new Revert("ProgramsInvalidSignature", [beneficiary]);
              r.spend(k, programId, m, amount, true);
            },
            () =>
              world.programs
                .connect(world.signer.outsider)
                .spendFor(programId, beneficiary, world.address[m], amount, deadline, signature),
          );
        },
      ),
  );

const closeCommand = fc.tuple(fc.constantFrom<Actor>("city", "alice", "outsider", "kid1", "desk"), programRef).map(
  ([caller, ref]) =>
    new Command(`close(program #${ref}) by ${caller}`, async (box, world) => {
      const programId = resolveProgram(box, ref);
      await step(
        box,
        world,
        "close",
        (r) => r.close(caller, programId),
        () => world.programs.connect(world.signer[caller]).close(programId),
      );
    }),
);

const strayCommand = fc.bigInt({ min: 1n, max: kzt("50") }).map(
  (amount) =>
    new Command(
      `bob sends ${tenge_(amount)} to the escrow outside any program, then the admin recovers the surplus`,
      async (box, world) => {
        await step(
          box,
          world,
          "stray transfer",
          (r) => {
            r.pay("bob", "escrow", amount);
            r.s.surplus += amount;
          },
          () => world.tenge.connect(world.signer.bob).transfer(world.address.escrow, amount),
        );
        await checkInvariants(box, world);
        await step(
          box,
          world,
          "recoverSurplus",
          (r) => {
            if (r.s.surplus === 0n) {
              const balance = r.s.balances.escrow;
              throw new Revert("ProgramsNoSurplus", [balance, balance]);
            }
            r.pay("escrow", "bob", r.s.surplus);
            r.s.surplus = 0n;
          },
          () => world.programs.connect(world.signer.centralBank).recoverSurplus(world.address.bob),
        );
      },
    ),
);

/** Moves the clock `days` ahead to `hour` o'clock Almaty, or to one second before or at a program's expiry. */
const advanceTimeCommand = fc
  .oneof(
    fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 22 })).map(([days, hour]) => ({ days, hour })),
    fc.tuple(programRef, fc.constantFrom(-1n, 0n)).map(([ref, delta]) => ({ ref, delta })),
  )
  .map(
    (t) =>
      new Command(
        `advanceTime(${JSON.stringify(t, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v))})`,
        async (box) => {
          const latest = BigInt(await time.latest());
          let target: bigint;
          if ("days" in t) {
            const today = (latest + ALMATY) / DAY;
            target = (today + BigInt(t.days)) * DAY - ALMATY + BigInt(t.hour) * 3_600n;
          } else {
            const p = box.state.programs[Number(resolveProgram(box, t.ref)) - 1];
            target = p === undefined ? latest : p.expiry + t.delta - 1n; // the next block lands one second later
          }
          if (target > latest) await time.increaseTo(target);
        },
      ),
  );

/** Repeated entries weigh a command up: lunches are the bulk of the traffic. */
const COMMANDS = [
  createCommand,
  createCommand,
  createCommand,
  fundCommand,
  merchantCommand,
  merchantCommand,
  enrolCommand,
  enrolCommand,
  removeCommand,
  topUpCommand,
  spendCommand,
  spendCommand,
  spendCommand,
  spendCommand,
  spendCommand,
  spendCommand,
  spendCommand,
  spendCommand,
  closeCommand,
  strayCommand,
  advanceTimeCommand,
  advanceTimeCommand,
];

/* SET-UP */

/**
 * The lunch fixture (program 1: the city's 50,000 KZT, 1,200 KZT a day, both canteens, kid1 and kid2 enrolled) plus
 * carol (a bank B customer) as a possible merchant and a stranger that is not onboarded.
 */
async function propertyFixture() {
  const base = await loadFixture(lunchFixture);
  const { tenge, programs, roles, users, city, kids, canteens } = base;
  const signer = {
    city,
    alice: users.alice,
    bob: users.bob,
    desk: roles.desk,
    centralBank: roles.centralBank,
    outsider: users.outsider,
    ...kids,
  } satisfies Record<Actor, HardhatEthersSigner>;
  const address = {
    ...(Object.fromEntries(Object.entries(signer).map(([name, s]) => [name, s.address])) as Record<Actor, string>),
    canteen1: canteens.canteen1,
    canteen2: canteens.canteen2,
    carol: users.carol.address,
    stranger: ethers.getAddress(`0x${"5a".repeat(20)}`),
    escrow: await programs.getAddress(),
  };
  const p = await programs.programOf(base.programId);
  const lunch: ProgramModel = {
    funder: "city",
    budget: p.budget,
    spent: 0n,
    allowance: p.allowance,
    period: Number(p.period),
    start: p.start,
    expiry: p.expiry,
    closed: false,
    merchants: ["canteen1", "canteen2"],
    beneficiaries: { kid1: { ...emptyBeneficiary(), enrolled: true }, kid2: { ...emptyBeneficiary(), enrolled: true } },
  };
  return { tenge, programs, signer, address, lunch };
}

describe("PurposeBoundPrograms @property", function () {
  it("agrees with the reference model and keeps budget == spent + returned + earmarked under random commands", async function () {
    this.timeout(Math.max(300_000, FUZZ.runs * 30_000));
    const { tenge, programs, signer, address, lunch } = await loadFixture(propertyFixture);
    const world: World = { tenge, programs, signer, address };
    const balances = Object.fromEntries(
      await Promise.all(TRACKED.map(async (t) => [t, await tenge.balanceOf(address[t])] as const)),
    ) as Record<Tracked, bigint>;
    expect(await programs.programCount()).to.equal(1n);

    const property = fc.asyncProperty(
      fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: "max" }),
      async (commands) => {
        const snapshot = await takeSnapshot();
        try {
          const state: ModelState = { programs: [structuredClone(lunch)], balances: { ...balances }, surplus: 0n };
          await fc.asyncModelRun(() => ({ model: { state }, real: world }), commands);
        } finally {
          await snapshot.restore();
        }
      },
    );

    await assertProperty(__filename, property, FUZZ);
    STATS.print();
  });
});
