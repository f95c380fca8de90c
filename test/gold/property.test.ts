import { expect } from "chai";
import fc from "fast-check";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { encodeBytes32String, id } from "ethers";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import type { DigitalTenge, GoldDesk, GoldToken } from "../../typechain-types";
import { buyCost, encodeBuyOrder, sellProceeds } from "../../scripts/lib/gold";
import { kzt } from "../fixtures/tenge.fixture";
import { barInput, goldFixture } from "../fixtures/gold.fixture";
import { expectFullyBacked } from "./helpers";
import { CheckedCommand, assertProperty, fuzzSettings, FuzzStats } from "../helpers/property";

/*
 * Stateful property test of the gold system: random sequences of bar registrations, removals, redemptions and
 * releases, transfers, freezes, pauses, price publications, fee changes, clock moves, and desk purchases (both
 * payment paths) and sales at random prices, by random actors. Each command predicts from a TypeScript model
 * either success or the exact custom error; the chain must agree. After every command: the chain equals the model,
 * totalSupply == Σ fine weight of bars in vault (read bar by bar on chain), and every trade that went through left
 * the desk and treasury no worse than exact rational arithmetic, with no tiyn or mg lost.
 *
 * FUZZ_RUNS (default 40), FUZZ_SEED, FUZZ_PATH, FUZZ_STATS: test/helpers/property.ts (a failure prints its replay).
 * Tagged @property: excluded from coverage (see .solcover.js). About 30 s with the defaults.
 */

const FUZZ = fuzzSettings(40);
const MAX_COMMANDS = 40;
/** FUZZ_STATS=1 prints how often each command succeeded or failed with each error. */
const STATS = new FuzzStats();

const MAX_BAR = 20_000_000n;
const MAX_AGE = 900n;
const MAX_MOVE_BPS = 500n;
const DEADLINE = 2n ** 40n;
const REASON = encodeBytes32String("property");
const SERIALS = ["P-0", "P-1", "P-2", "P-3", "P-4", "P-5", "P-6", "P-7"] as const;

const TRADERS = ["alice", "bob", "carol", "merchant", "relayer"] as const;
type Trader = (typeof TRADERS)[number];
type Official = "custodian" | "oracle" | "manager" | "compliance" | "pauser";
type Name = Trader | Official | "desk" | "treasury";
/** Who gold balances are tracked for. */
const GOLD_HOLDERS: readonly Name[] = [...TRADERS, "custodian", "desk", "treasury"];
/** Who tenge balances are tracked for (all exempt or institutions: no tier limit applies). */
const TENGE_HOLDERS: readonly Name[] = [...TRADERS, "desk", "treasury"];

const ROLE_OF: Partial<Record<Name, string[]>> = {
  custodian: ["CUSTODIAN_ROLE"],
  oracle: ["ORACLE_ROLE"],
  manager: ["MANAGER_ROLE"],
  compliance: ["COMPLIANCE_ROLE"],
  pauser: ["PAUSER_ROLE"],
};

/* MODEL */

type Status = 0 | 1 | 2 | 3; // None, InVault, Allocated, Released

interface Model {
  bars: Record<string, { weight: bigint; status: Status }>;
  gold: Record<string, bigint>;
  tenge: Record<string, bigint>;
  permitted: Record<string, boolean>;
  frozen: Record<string, boolean>;
  paused: boolean;
  price: bigint;
  publishedAt: bigint;
  feeBps: bigint;
  trades: number;
}

interface World {
  gold: GoldToken;
  desk: GoldDesk;
  tenge: DigitalTenge;
  signer: Record<Exclude<Name, "desk">, HardhatEthersSigner>;
  address: Record<Name, string>;
}

interface Box {
  state: Model;
}

/** A revert the model predicts: which contract's error, its name and arguments. */
class Revert extends Error {
  constructor(
    readonly where: "gold" | "desk" | "tenge",
    readonly error: string,
    readonly args: unknown[],
  ) {
    super(`the model predicts ${error}`);
  }
}

const fail = (where: Revert["where"], error: string, ...args: unknown[]): never => {
  throw new Revert(where, error, args);
};

/** The gold token's and the desk's rules, in the order the contracts check them; mutates a draft model. */
class Rules {
  constructor(
    readonly s: Model,
    readonly w: World,
  ) {}

  role(caller: Name, role: string, where: "gold" | "desk"): void {
    if (!(ROLE_OF[caller] ?? []).includes(role)) {
      fail(where, "AccessControlUnauthorizedAccount", this.w.address[caller], id(role));
    }
  }

  notPaused(): void {
    if (this.s.paused) fail("gold", "EnforcedPause");
  }

  active(who: string): void {
    if (this.s.frozen[who]) fail("gold", "PackedERC20AccountBlocked", who);
    if (!this.s.permitted[who]) fail("gold", "GoldTokenNotPermitted", who);
  }

  goldMove(from: string, to: string, value: bigint): void {
    this.notPaused();
    if (this.s.frozen[from]) fail("gold", "PackedERC20AccountBlocked", from);
    if (this.s.frozen[to]) fail("gold", "PackedERC20AccountBlocked", to);
    if (!this.s.permitted[from]) fail("gold", "GoldTokenNotPermitted", from);
    if (!this.s.permitted[to]) fail("gold", "GoldTokenNotPermitted", to);
    const balance = this.s.gold[from] ?? 0n;
    if (value > balance) fail("gold", "ERC20InsufficientBalance", from, balance, value);
    this.s.gold[from] = balance - value;
    this.s.gold[to] = (this.s.gold[to] ?? 0n) + value;
  }

  tengeMove(from: string, to: string, value: bigint): void {
    const balance = this.s.tenge[from] ?? 0n;
    if (value > balance) fail("tenge", "DigitalTengeInsufficientBalance", from, balance, value);
    this.s.tenge[from] = balance - value;
    this.s.tenge[to] = (this.s.tenge[to] ?? 0n) + value;
  }

  burn(from: string, value: bigint): void {
    const balance = this.s.gold[from] ?? 0n;
    if (value > balance) fail("gold", "ERC20InsufficientBalance", from, balance, value);
    this.s.gold[from] = balance - value;
  }

  bar(serial: string): { weight: bigint; status: Status } {
    return (this.s.bars[serial] ??= { weight: 0n, status: 0 });
  }

  addBar(caller: Name, serial: string, weight: bigint, recipient: string): void {
    this.role(caller, "CUSTODIAN_ROLE", "gold");
    this.notPaused();
    const key = encodeBytes32String(serial);
    if (weight === 0n || weight > MAX_BAR) fail("gold", "GoldTokenInvalidFineWeight", key, weight);
    const bar = this.bar(serial);
    if (bar.status === 1 || bar.status === 2) fail("gold", "GoldTokenBarExists", key, BigInt(bar.status));
    this.active(recipient);
    bar.weight = weight;
    bar.status = 1;
    this.s.gold[recipient] = (this.s.gold[recipient] ?? 0n) + weight;
  }

  takeOut(caller: string, serial: string, status: Status): void {
    this.notPaused();
    const bar = this.bar(serial);
    if (bar.status !== 1) fail("gold", "GoldTokenBarNotInVault", encodeBytes32String(serial), BigInt(bar.status));
    this.active(caller);
    this.burn(caller, bar.weight);
    bar.status = status;
  }

  release(caller: Name, serial: string): void {
    this.role(caller, "CUSTODIAN_ROLE", "gold");
    const bar = this.bar(serial);
    if (bar.status !== 2) fail("gold", "GoldTokenBarNotAllocated", encodeBytes32String(serial), BigInt(bar.status));
    bar.status = 3;
  }

  tradable(amount: bigint, now: bigint): void {
    if (amount === 0n) fail("desk", "GoldDeskInvalidAmount", amount);
    const age = now - this.s.publishedAt;
    if (age > MAX_AGE) fail("desk", "GoldDeskStalePrice", this.s.publishedAt, anyValue, MAX_AGE);
  }

  /** A purchase; `paid` is the ERC-1363 payment (undefined: allowance path). */
  buy(buyer: string, amount: bigint, maxPrice: bigint, now: bigint, paid?: bigint): { total: bigint } {
    const desk = this.w.address.desk;
    if (paid !== undefined) this.tengeMove(buyer, desk, paid); // the payment arrives before the callback runs
    this.tradable(amount, now);
    if (this.s.price > maxPrice) fail("desk", "GoldDeskPriceAboveLimit", this.s.price, maxPrice);
    const { fee, total } = buyCost(amount, this.s.price, this.s.feeBps);
    if (paid === undefined) this.tengeMove(buyer, desk, total);
    else if (paid < total) fail("desk", "GoldDeskPaymentTooLow", paid, total);
    this.goldMove(desk, buyer, amount);
    if (fee !== 0n) this.tengeMove(desk, this.w.address.treasury, fee);
    if (paid !== undefined && paid > total) this.tengeMove(desk, buyer, paid - total);
    return { total };
  }

  sell(seller: string, amount: bigint, minPrice: bigint, now: bigint): void {
    this.tradable(amount, now);
    if (this.s.price < minPrice) fail("desk", "GoldDeskPriceBelowLimit", this.s.price, minPrice);
    const { fee, proceeds } = sellProceeds(amount, this.s.price, this.s.feeBps);
    if (proceeds === 0n) fail("desk", "GoldDeskAmountTooSmall", amount);
    const desk = this.w.address.desk;
    this.goldMove(seller, desk, amount);
    this.tengeMove(desk, seller, proceeds);
    if (fee !== 0n) this.tengeMove(desk, this.w.address.treasury, fee);
  }
}

/* EXECUTION */

function contractOf(world: World, where: Revert["where"]): BaseContract {
  return where === "gold" ? world.gold : where === "desk" ? world.desk : world.tenge;
}

/** The next block's timestamp, fixed so the model knows the age of the price the transaction sees. */
async function nextTimestamp(): Promise<bigint> {
  const next = BigInt(await time.latest()) + 1n;
  await time.setNextBlockTimestamp(next);
  return next;
}

/** Predicts, sends, asserts the chain agreed, commits the model; returns whether it succeeded. */
async function step(
  label: string,
  box: Box,
  world: World,
  predict: (rules: Rules, now: bigint) => void,
  send: () => Promise<ContractTransactionResponse>,
): Promise<boolean> {
  const now = await nextTimestamp();
  const rules = new Rules(structuredClone(box.state), world);
  let revert: Revert | undefined;
  try {
    predict(rules, now);
  } catch (e) {
    if (!(e instanceof Revert)) throw e;
    revert = e;
  }
  STATS.record(`${label} → ${revert?.error ?? "ok"}`);
  if (revert !== undefined) {
    await expect(send())
      .to.be.revertedWithCustomError(contractOf(world, revert.where), revert.error)
      .withArgs(...revert.args);
    return false;
  }
  await (await send()).wait();
  box.state = rules.s;
  return true;
}

/** The chain equals the model; the backing invariant holds on chain. */
async function check(box: Box, world: World): Promise<void> {
  const s = box.state;
  for (const name of GOLD_HOLDERS) {
    expect(await world.gold.balanceOf(world.address[name]), `gold ${name}`).to.equal(s.gold[world.address[name]] ?? 0n);
  }
  for (const name of TENGE_HOLDERS) {
    expect(await world.tenge.balanceOf(world.address[name]), `tenge ${name}`).to.equal(
      s.tenge[world.address[name]] ?? 0n,
    );
  }
  for (const serial of SERIALS) {
    const bar = await world.gold.barOf(encodeBytes32String(serial));
    expect(bar.status, `bar ${serial}`).to.equal(BigInt(s.bars[serial]?.status ?? 0));
  }
  expect(await world.gold.paused()).to.equal(s.paused);
  await expectFullyBacked(world.gold);
}

/**
 * After a successful trade, from the chain's balance changes: the trader's tenge moved exactly into desk and
 * treasury (or out of them), gold moved exactly `amount`, and rounding never favoured the trader.
 */
function checkTrade(
  side: "buy" | "sell",
  amount: bigint,
  price: bigint,
  feeBps: bigint,
  tengeDelta: { trader: bigint; desk: bigint; treasury: bigint },
  goldDelta: { trader: bigint; desk: bigint },
): void {
  expect(tengeDelta.trader + tengeDelta.desk + tengeDelta.treasury, "no tiyn lost").to.equal(0n);
  expect(goldDelta.trader + goldDelta.desk, "no mg lost").to.equal(0n);
  const exactScaled = amount * price; // tiyn × 1000
  if (side === "buy") {
    expect(goldDelta.trader).to.equal(amount);
    // paid × 1000 × 10,000 >= amount × price × (10,000 + fee)
    expect(-tengeDelta.trader * 10_000_000n >= exactScaled * (10_000n + feeBps), "buyer paid below exact").to.equal(
      true,
    );
  } else {
    expect(goldDelta.trader).to.equal(-amount);
    expect(tengeDelta.trader * 10_000_000n <= exactScaled * (10_000n - feeBps), "seller got above exact").to.equal(
      true,
    );
  }
}

/** A command of this test: its body, then every invariant ({@link check}). */
class Command extends CheckedCommand<Box, World> {
  constructor(label: string, body: (box: Box, world: World) => Promise<void>) {
    super(label, body, check);
  }
}

/* ARBITRARIES */

const trader = fc.constantFrom(...TRADERS);
const goldHolder = fc.constantFrom<Name>("alice", "bob", "carol", "merchant", "relayer", "custodian");
const serial = fc.constantFrom(...SERIALS);
const gramsMg = fc.oneof(
  { arbitrary: fc.bigInt({ min: 1n, max: 60_000n }), weight: 5 },
  { arbitrary: fc.constantFrom(0n, 1n, 999n), weight: 1 },
);
/** An authorised caller most of the time, an outsider to the role sometimes. */
const callerFor = (official: Official) =>
  fc.oneof({ arbitrary: fc.constant<Name>(official), weight: 6 }, { arbitrary: fc.constant<Name>("alice"), weight: 1 });

const addBarCommand = fc
  .tuple(
    callerFor("custodian"),
    serial,
    fc.oneof(
      { arbitrary: fc.bigInt({ min: 1n, max: 60_000n }), weight: 6 },
      { arbitrary: fc.bigInt({ min: 60_001n, max: 1_000_000n }), weight: 2 },
      { arbitrary: fc.constantFrom(0n, MAX_BAR, MAX_BAR + 1n), weight: 1 },
    ),
    fc.constantFrom<Name>("alice", "bob", "carol", "merchant", "relayer", "custodian", "desk"),
  )
  .map(
    ([caller, s, weight, to]) =>
      new Command(`addBar(${s}, ${weight} mg → ${to}) by ${caller}`, async (box, world) => {
        const signer = caller === "alice" ? world.signer.alice : world.signer.custodian;
        await step(
          "addBar",
          box,
          world,
          (r) => r.addBar(caller, s, weight, world.address[to]),
          () => world.gold.connect(signer).addBar(barInput(s, weight, world.address[to])),
        );
      }),
  );

const removeBarCommand = fc.oneof(serial, fc.constant<"any">("any")).map(
  (pickSerial) =>
    new Command(`removeBar(${pickSerial})`, async (box, world) => {
      // "any": the first bar in the vault the custodian holds enough for, else P-0
      const s =
        pickSerial === "any"
          ? (SERIALS.find((x) => {
              const bar = box.state.bars[x];
              return bar?.status === 1 && bar.weight <= (box.state.gold[world.address.custodian] ?? 0n);
            }) ?? "P-0")
          : pickSerial;
      await step(
        "removeBar",
        box,
        world,
        (r) => r.takeOut(world.address.custodian, s, 3),
        () => world.gold.connect(world.signer.custodian).removeBar(encodeBytes32String(s)),
      );
    }),
);

/** A holder by name, or "richest": whoever holds the most gold when the command runs (so whole bars get redeemed). */
const redeemBarCommand = fc
  .tuple(fc.oneof(goldHolder, fc.constant<"richest">("richest")), fc.oneof(serial, fc.constant<"any">("any")))
  .map(
    ([pick, pickSerial]) =>
      new Command(`redeemBar(${pickSerial}) by ${pick}`, async (box, world) => {
        const holders = GOLD_HOLDERS.filter((n) => n !== "desk" && n !== "treasury");
        const who =
          pick === "richest"
            ? holders.reduce((a, b) =>
                (box.state.gold[world.address[b]] ?? 0n) > (box.state.gold[world.address[a]] ?? 0n) ? b : a,
              )
            : pick;
        // "any": the first bar in the vault this holder can afford, else P-0
        const s =
          pickSerial === "any"
            ? (SERIALS.find((x) => {
                const bar = box.state.bars[x];
                return bar?.status === 1 && bar.weight <= (box.state.gold[world.address[who]] ?? 0n);
              }) ?? "P-0")
            : pickSerial;
        await step(
          "redeemBar",
          box,
          world,
          (r) => r.takeOut(world.address[who], s, 2),
          () => world.gold.connect(world.signer[who as Exclude<Name, "desk">]).redeemBar(encodeBytes32String(s)),
        );
      }),
  );

const releaseBarCommand = fc.tuple(callerFor("custodian"), fc.oneof(serial, fc.constant<"any">("any"))).map(
  ([caller, pickSerial]) =>
    new Command(`releaseBar(${pickSerial}) by ${caller}`, async (box, world) => {
      const signer = caller === "alice" ? world.signer.alice : world.signer.custodian;
      // "any": the first allocated bar, else P-0
      const s = pickSerial === "any" ? (SERIALS.find((x) => box.state.bars[x]?.status === 2) ?? "P-0") : pickSerial;
      await step(
        "releaseBar",
        box,
        world,
        (r) => r.release(caller, s),
        () => world.gold.connect(signer).releaseBar(encodeBytes32String(s)),
      );
    }),
);

const transferCommand = fc
  .tuple(
    goldHolder,
    fc.constantFrom<Name>("alice", "bob", "carol", "merchant", "relayer", "custodian", "desk"),
    gramsMg,
  )
  .map(
    ([from, to, amount]) =>
      new Command(`transfer(${from} → ${to}, ${amount} mg)`, async (box, world) => {
        await step(
          "transfer",
          box,
          world,
          (r) => r.goldMove(world.address[from], world.address[to], amount),
          () => world.gold.connect(world.signer[from as Exclude<Name, "desk">]).transfer(world.address[to], amount),
        );
      }),
  );

const freezeCommand = fc.tuple(callerFor("compliance"), trader, fc.boolean()).map(
  ([caller, who, on]) =>
    new Command(`${on ? "freeze" : "unfreeze"}(${who}) by ${caller}`, async (box, world) => {
      const signer = caller === "alice" ? world.signer.alice : world.signer.compliance;
      await step(
        "freeze",
        box,
        world,
        (r) => {
          r.role(caller, "COMPLIANCE_ROLE", "gold");
          const account = world.address[who];
          if (!!r.s.frozen[account] === on) fail("gold", "GoldTokenFreezeUnchanged", account, on);
          r.s.frozen[account] = on;
        },
        () =>
          on
            ? world.gold.connect(signer).freeze(world.address[who], REASON)
            : world.gold.connect(signer).unfreeze(world.address[who], REASON),
      );
    }),
);

const pauseCommand = fc
  .tuple(
    callerFor("pauser"),
    fc.oneof({ arbitrary: fc.constant(true), weight: 1 }, { arbitrary: fc.constant(false), weight: 2 }),
  )
  .map(
    ([caller, on]) =>
      new Command(`${on ? "pause" : "unpause"}() by ${caller}`, async (box, world) => {
        const signer = caller === "alice" ? world.signer.alice : world.signer.pauser;
        await step(
          "pause",
          box,
          world,
          (r) => {
            r.role(caller, "PAUSER_ROLE", "gold");
            if (on && r.s.paused) fail("gold", "EnforcedPause");
            if (!on && !r.s.paused) fail("gold", "ExpectedPause");
            r.s.paused = on;
          },
          () => (on ? world.gold.connect(signer).pause() : world.gold.connect(signer).unpause()),
        );
      }),
  );

const syncCommand = trader.map(
  (who) =>
    new Command(`syncParticipant(${who})`, async (box, world) => {
      await step(
        "sync",
        box,
        world,
        (r) => {
          r.s.permitted[world.address[who]] = true; // every trader is onboarded in the tenge and not frozen there
        },
        () => world.gold.connect(world.signer.bob).syncParticipant(world.address[who]),
      );
    }),
);

/** A new price: a move in basis points from the current one, sometimes beyond the bound. */
const publishCommand = fc.integer({ min: -600, max: 600 }).map(
  (moveBps) =>
    new Command(`publishPrice(${moveBps >= 0 ? "+" : ""}${moveBps} bps)`, async (box, world) => {
      await time.increase(1); // the observation is the last block's time, after the price in force
      const observedAt = BigInt(await time.latest());
      const previous = box.state.price;
      const price = (previous * BigInt(10_000 + moveBps)) / 10_000n;
      await step(
        "publishPrice",
        box,
        world,
        (r) => {
          const move = price > previous ? price - previous : previous - price;
          if (move * 10_000n > previous * MAX_MOVE_BPS) {
            fail("desk", "GoldDeskPriceMoveTooLarge", previous, price, MAX_MOVE_BPS);
          }
          r.s.price = price;
          r.s.publishedAt = observedAt;
        },
        () => world.desk.connect(world.signer.oracle).publishPrice(price, observedAt),
      );
    }),
);

const feeCommand = fc.integer({ min: 0, max: 1_000 }).map(
  (fee) =>
    new Command(`setConfig(fee ${fee} bps)`, async (box, world) => {
      await step(
        "setConfig",
        box,
        world,
        (r) => {
          r.s.feeBps = BigInt(fee);
        },
        () => world.desk.connect(world.signer.manager).setConfig(MAX_AGE, MAX_MOVE_BPS, fee),
      );
    }),
);

/** Moves the clock: mostly within the price's life, sometimes far past it. */
const clockCommand = fc.constantFrom(20, 150, 400, 2_000).map(
  (seconds) =>
    new Command(`advanceTime(+${seconds} s)`, async () => {
      await time.increase(seconds);
    }),
);

/** Runs a trade unless the price's age at the next block is within 2 s of the bound (ambiguous by a block). */
async function ambiguousAge(box: Box): Promise<boolean> {
  const age = BigInt(await time.latest()) + 1n - box.state.publishedAt;
  return age >= MAX_AGE - 2n && age <= MAX_AGE + 2n;
}

async function tradeBalances(world: World, who: Name) {
  return {
    tenge: {
      trader: await world.tenge.balanceOf(world.address[who]),
      desk: await world.tenge.balanceOf(world.address.desk),
      treasury: await world.tenge.balanceOf(world.address.treasury),
    },
    gold: {
      trader: await world.gold.balanceOf(world.address[who]),
      desk: await world.gold.balanceOf(world.address.desk),
    },
  };
}

type Path = "allowance" | "exact" | "over" | "under";
const buyCommand = fc
  .tuple(
    trader,
    gramsMg,
    fc.constantFrom<Path>("allowance", "exact", "exact", "over", "under"),
    fc.integer({ min: -50, max: 300 }),
  )
  .map(
    ([who, amount, path, slackBps]) =>
      new Command(
        `buy(${amount} mg, max price ${slackBps >= 0 ? "+" : ""}${slackBps} bps, ${path}) by ${who}`,
        async (box, world) => {
          if (await ambiguousAge(box)) return;
          const { price, feeBps } = box.state;
          const maxPrice = (price * BigInt(10_000 + slackBps)) / 10_000n;
          const signer = world.signer[who];
          const at = buyCost(amount, price, feeBps).total;
          const paid =
            path === "allowance"
              ? undefined
              : path === "exact"
                ? at
                : path === "over"
                  ? buyCost(amount, maxPrice, feeBps).total
                  : at > 0n
                    ? at - 1n
                    : 0n;
          if (path === "allowance") await (await world.tenge.connect(signer).approve(world.desk, at)).wait();
          const before = await tradeBalances(world, who);
          const ok = await step(
            "buy",
            box,
            world,
            (r, now) => r.buy(world.address[who], amount, maxPrice, now, paid),
            () =>
              path === "allowance"
                ? world.desk.connect(signer).buy(amount, maxPrice, DEADLINE)
                : world.tenge.connect(signer).getFunction("transferAndCall(address,uint256,bytes)")(
                    world.desk,
                    paid ?? 0n,
                    encodeBuyOrder(amount, maxPrice, DEADLINE),
                  ),
          );
          if (!ok) return;
          const after = await tradeBalances(world, who);
          checkTrade(
            "buy",
            amount,
            price,
            feeBps,
            {
              trader: after.tenge.trader - before.tenge.trader,
              desk: after.tenge.desk - before.tenge.desk,
              treasury: after.tenge.treasury - before.tenge.treasury,
            },
            { trader: after.gold.trader - before.gold.trader, desk: after.gold.desk - before.gold.desk },
          );
          box.state.trades += 1;
        },
      ),
  );

const sellCommand = fc.tuple(trader, gramsMg, fc.integer({ min: -300, max: 50 })).map(
  ([who, amount, slackBps]) =>
    new Command(
      `sell(${amount} mg, min price ${slackBps >= 0 ? "+" : ""}${slackBps} bps) by ${who}`,
      async (box, world) => {
        if (await ambiguousAge(box)) return;
        const { price, feeBps } = box.state;
        const minPrice = (price * BigInt(10_000 + slackBps)) / 10_000n;
        const signer = world.signer[who];
        await (await world.gold.connect(signer).approve(world.desk, amount)).wait();
        const before = await tradeBalances(world, who);
        const ok = await step(
          "sell",
          box,
          world,
          (r, now) => r.sell(world.address[who], amount, minPrice, now),
          () => world.desk.connect(signer).sell(amount, minPrice, DEADLINE),
        );
        if (!ok) return;
        const after = await tradeBalances(world, who);
        checkTrade(
          "sell",
          amount,
          price,
          feeBps,
          {
            trader: after.tenge.trader - before.tenge.trader,
            desk: after.tenge.desk - before.tenge.desk,
            treasury: after.tenge.treasury - before.tenge.treasury,
          },
          { trader: after.gold.trader - before.gold.trader, desk: after.gold.desk - before.gold.desk },
        );
        box.state.trades += 1;
      },
    ),
);

const COMMANDS = [
  addBarCommand,
  addBarCommand,
  addBarCommand,
  removeBarCommand,
  removeBarCommand,
  redeemBarCommand,
  redeemBarCommand,
  redeemBarCommand,
  releaseBarCommand,
  releaseBarCommand,
  transferCommand,
  transferCommand,
  buyCommand,
  buyCommand,
  buyCommand,
  buyCommand,
  sellCommand,
  sellCommand,
  sellCommand,
  publishCommand,
  publishCommand,
  feeCommand,
  clockCommand,
  freezeCommand,
  pauseCommand,
  syncCommand,
];

/* SET-UP */

/**
 * The gold fixture with the traders exempt from tenge tier limits and well funded (5,000,000 KZT each), relayer a
 * tenge customer who was never synced in gold, and the desk holding 20,000,000 KZT.
 */
async function propertyFixture() {
  const base = await loadFixture(goldFixture);
  const { tenge, roles, banks, users, goldDesk } = base;
  await (await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("100000000"))).wait();
  await (await tenge.connect(banks.bankA).onboard(users.relayer, 1)).wait();
  for (const t of [users.alice, users.bob, users.carol, users.merchant, users.relayer]) {
    await (await tenge.connect(roles.desk).setExempt(t, true)).wait();
  }
  const aTraders = [users.alice, users.bob, users.merchant, users.relayer];
  await (
    await tenge.connect(banks.bankA).mintBatch(
      aTraders,
      aTraders.map(() => kzt("5000000")),
    )
  ).wait();
  await (await tenge.connect(banks.bankA).mint(users.merchant, kzt("20000000"))).wait();
  await (await tenge.connect(users.merchant).transfer(goldDesk, kzt("20000000"))).wait();
  return base;
}

async function initialModel(world: World): Promise<Model> {
  const gold: Record<string, bigint> = {};
  const tengeBalances: Record<string, bigint> = {};
  const permitted: Record<string, boolean> = {};
  for (const name of GOLD_HOLDERS) {
    gold[world.address[name]] = await world.gold.balanceOf(world.address[name]);
    permitted[world.address[name]] = await world.gold.isPermitted(world.address[name]);
  }
  for (const name of TENGE_HOLDERS)
    tengeBalances[world.address[name]] = await world.tenge.balanceOf(world.address[name]);
  const price = await world.desk.price();
  return {
    bars: {},
    gold,
    tenge: tengeBalances,
    permitted,
    frozen: {},
    paused: false,
    price: price.priceTiynPerGram,
    publishedAt: price.publishedAt,
    feeBps: (await world.desk.config()).feeBps,
    trades: 0,
  };
}

describe("Gold system @property", function () {
  it("agrees with the reference model, stays fully backed and never rounds in the trader's favour", async function () {
    this.timeout(Math.max(300_000, FUZZ.runs * 30_000));
    const ctx = await loadFixture(propertyFixture);
    const signer = {
      alice: ctx.users.alice,
      bob: ctx.users.bob,
      carol: ctx.users.carol,
      merchant: ctx.users.merchant,
      relayer: ctx.users.relayer,
      custodian: ctx.goldRoles.custodian,
      oracle: ctx.goldRoles.oracle,
      manager: ctx.goldRoles.manager,
      compliance: ctx.roles.compliance,
      pauser: ctx.roles.pauser,
      treasury: ctx.goldRoles.goldTreasury,
    };
    const address = Object.fromEntries(Object.entries(signer).map(([n, s]) => [n, s.address])) as Record<Name, string>;
    address.desk = await ctx.goldDesk.getAddress();
    const world: World = { gold: ctx.gold, desk: ctx.goldDesk, tenge: ctx.tenge, signer, address };
    let trades = 0;

    const property = fc.asyncProperty(
      fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: "max" }),
      async (commands) => {
        const snapshot = await takeSnapshot();
        try {
          // a fresh price at the start of each run
          await time.increase(1);
          const { priceTiynPerGram } = await world.desk.price();
          await (await world.desk.connect(signer.oracle).publishPrice(priceTiynPerGram, await time.latest())).wait();
          const state = await initialModel(world);
          const box: Box = { state };
          await fc.asyncModelRun(() => ({ model: box, real: world }), commands);
          trades += box.state.trades;
        } finally {
          await snapshot.restore();
        }
      },
    );

    await assertProperty(__filename, property, FUZZ, () => `${trades} trades`);
    STATS.print();
  });
});
