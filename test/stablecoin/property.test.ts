import { expect } from "chai";
import fc from "fast-check";
import { takeSnapshot } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { MaxUint256, ZeroAddress, formatUnits, id } from "ethers";
import type { BaseContract, ContractTransactionResponse } from "ethers";
import type { DigitalTenge, TengeStablecoin } from "../../typechain-types";
import { kzt, recipientData, roleId, stablecoinFixture } from "../fixtures/stablecoin.fixture";
import { CheckedCommand, assertProperty, fuzzSettings, FuzzStats } from "../helpers/property";

/*
 * Stateful property test: random sequences of deposits (by ERC-1363 and by allowance), withdrawals, transfers,
 * surplus top-ups and recoveries, blacklisting, pauses of both tokens and tenge freezes, by random actors
 * (authorised or not), run against the two contracts and against a TypeScript reference model. Each command
 * predicts success or the exact custom error with its arguments; the chain must agree. After every command the
 * model is compared with the chain and the proof-of-reserves invariants are checked on chain:
 * `tenge.balanceOf(stablecoin) >= totalSupply`, `Σ balances == totalSupply`, `surplus == locked - supply`.
 *
 * FUZZ_RUNS (default 40, about 15-30 s), FUZZ_SEED, FUZZ_PATH and FUZZ_STATS: see test/helpers/property.ts; a failure
 * prints its replay.
 * Tagged @property: excluded from coverage (see .solcover.js).
 */

const FUZZ = fuzzSettings(40);
const MAX_COMMANDS = 30;
const REASON = id("stablecoin property test");
/** FUZZ_STATS=1 prints how often each command succeeded or failed with each error. */
const STATS = new FuzzStats();

const HOLDERS = ["alice", "bob", "carol", "merchant", "treasury", "outsider"] as const;
type Holder = (typeof HOLDERS)[number];
const OFFICIALS = ["centralBank", "desk", "pauser", "compliance"] as const;
type Official = (typeof OFFICIALS)[number];
type Name = Holder | Official;
/** Stablecoin roles the deploy script grants (the tenge's pauser and compliance are the same accounts). */
const COIN_ROLES: Partial<Record<Name, string[]>> = {
  centralBank: ["DEFAULT_ADMIN_ROLE"],
  desk: ["ISSUER_ROLE", "RESCUER_ROLE"],
  pauser: ["PAUSER_ROLE"],
  compliance: ["BLACKLISTER_ROLE"],
};

/* MODEL */

interface ModelState {
  /** Tenge balances of the holders and of the stablecoin contract. */
  tenge: Record<string, bigint>;
  onboarded: Record<string, boolean>;
  frozen: Record<string, boolean>;
  tengePaused: boolean;
  /** Stablecoin balances. */
  coin: Record<string, bigint>;
  blacklisted: Record<string, boolean>;
  supply: bigint;
  paused: boolean;
  /** Stablecoin allowances, `owner:spender`. */
  allowances: Record<string, bigint>;
}

interface ModelBox {
  state: ModelState;
}

interface World {
  tenge: DigitalTenge;
  coin: TengeStablecoin;
  coinAddress: string;
  signer: Record<Name, HardhatEthersSigner>;
  address: Record<Name, string>;
}

/** A revert the model predicts, and which contract's ABI names the error. */
class Revert extends Error {
  constructor(
    readonly where: "tenge" | "coin",
    readonly error: string,
    readonly args: unknown[],
  ) {
    super(`the model predicts ${error}`);
  }
}

/** The two contracts' rules, in the order they are checked. Mutates a draft; throws {Revert} on refusal. */
class Rules {
  constructor(
    readonly s: ModelState,
    readonly w: World,
  ) {}

  private coinBalance(a: string): bigint {
    return this.s.coin[a] ?? 0n;
  }

  private tengeBalance(a: string): bigint {
    return this.s.tenge[a] ?? 0n;
  }

  requireRole(caller: string, role: string): void {
    const name = (Object.keys(this.w.address) as Name[]).find((n) => this.w.address[n] === caller);
    if (name === undefined || !(COIN_ROLES[name] ?? []).includes(role)) {
      throw new Revert("coin", "AccessControlUnauthorizedAccount", [caller, id(role)]);
    }
  }

  requireNotBlacklisted(a: string): void {
    if (this.s.blacklisted[a]) throw new Revert("coin", "PackedERC20AccountBlocked", [a]);
  }

  /** The tenge's payment rules (tier limits are set out of reach by the fixture); `mapPause` for calls the stablecoin makes. */
  tengeTransfer(from: string, to: string, value: bigint, mapPause: boolean): void {
    if (this.s.tengePaused) {
      throw mapPause
        ? new Revert("coin", "TengeStablecoinUnderlyingPaused", [])
        : new Revert("tenge", "EnforcedPause", []);
    }
    const where = mapPause ? "coin" : "tenge";
    for (const [party, isPayer] of [
      [from, true],
      [to, false],
    ] as const) {
      if (!this.s.onboarded[party]) throw new Revert(where, "DigitalTengeNotOnboarded", [party]);
      if (this.s.frozen[party]) throw new Revert(where, "DigitalTengeAccountFrozen", [party]);
      if (isPayer && value > this.tengeBalance(from)) {
        throw new Revert(where, "DigitalTengeInsufficientBalance", [from, this.tengeBalance(from), value]);
      }
      if (isPayer) this.s.tenge[from] = this.tengeBalance(from) - value;
    }
    this.s.tenge[to] = this.tengeBalance(to) + value;
  }

  mint(to: string, value: bigint): void {
    if (to === this.w.coinAddress) throw new Revert("coin", "TengeStablecoinInvalidRecipient", [to]);
    if (to === ZeroAddress) throw new Revert("coin", "ERC20InvalidReceiver", [ZeroAddress]);
    this.requireNotBlacklisted(to);
    this.s.coin[to] = this.coinBalance(to) + value;
    this.s.supply += value;
  }

  /** `tenge.transferAndCall(coin, value, data)` by `payer`. */
  wrap(payer: string, recipient: string, value: bigint): void {
    this.tengeTransfer(payer, this.w.coinAddress, value, false);
    if (this.s.paused) throw new Revert("coin", "EnforcedPause", []);
    if (value === 0n) throw new Revert("coin", "TengeStablecoinZeroAmount", []);
    if (payer !== recipient) this.requireNotBlacklisted(payer);
    this.mint(recipient, value);
  }

  /** `coin.deposit(value, to)` by `caller`, after approving exactly `allowance`. */
  deposit(caller: string, to: string, value: bigint, allowance: bigint): void {
    if (this.s.paused) throw new Revert("coin", "EnforcedPause", []);
    if (value === 0n) throw new Revert("coin", "TengeStablecoinZeroAmount", []);
    this.requireNotBlacklisted(caller);
    if (allowance < value) {
      throw new Revert("coin", "DigitalTengeInsufficientAllowance", [this.w.coinAddress, allowance, value]);
    }
    this.tengeTransfer(caller, this.w.coinAddress, value, true);
    this.mint(to, value);
  }

  withdraw(holder: string, to: string, value: bigint): void {
    if (this.s.paused) throw new Revert("coin", "EnforcedPause", []);
    if (value === 0n) throw new Revert("coin", "TengeStablecoinZeroAmount", []);
    if (to === this.w.coinAddress) throw new Revert("coin", "TengeStablecoinInvalidRecipient", [to]);
    this.requireNotBlacklisted(holder);
    if (to !== holder) this.requireNotBlacklisted(to);
    const balance = this.coinBalance(holder);
    if (value > balance) throw new Revert("coin", "ERC20InsufficientBalance", [holder, balance, value]);
    this.s.coin[holder] = balance - value;
    this.s.supply -= value;
    this.tengeTransfer(this.w.coinAddress, to, value, true);
  }

  transfer(sender: string, from: string, to: string, value: bigint): void {
    if (this.s.paused) throw new Revert("coin", "EnforcedPause", []);
    if (to === ZeroAddress) throw new Revert("coin", "ERC20InvalidReceiver", [ZeroAddress]);
    this.requireNotBlacklisted(from);
    this.requireNotBlacklisted(to);
    if (to === this.w.coinAddress) throw new Revert("coin", "TengeStablecoinInvalidRecipient", [to]);
    if (sender !== from && sender !== to) this.requireNotBlacklisted(sender);
    const balance = this.coinBalance(from);
    if (value > balance) throw new Revert("coin", "ERC20InsufficientBalance", [from, balance, value]);
    this.s.coin[from] = balance - value;
    this.s.coin[to] = this.coinBalance(to) + value;
  }

  transferFrom(spender: string, from: string, to: string, value: bigint): void {
    const key = `${from}:${spender}`;
    const current = this.s.allowances[key] ?? 0n;
    if (current !== MaxUint256) {
      if (current < value) throw new Revert("coin", "ERC20InsufficientAllowance", [spender, current, value]);
      this.s.allowances[key] = current - value;
    }
    this.transfer(spender, from, to, value);
  }

  recoverSurplus(caller: string, to: string): void {
    this.requireRole(caller, "ISSUER_ROLE");
    if (to === this.w.coinAddress) throw new Revert("coin", "TengeStablecoinInvalidRecipient", [to]);
    const locked = this.tengeBalance(this.w.coinAddress);
    if (locked <= this.s.supply) throw new Revert("coin", "TengeStablecoinNoSurplus", [locked, this.s.supply]);
    this.tengeTransfer(this.w.coinAddress, to, locked - this.s.supply, true);
  }

  setBlacklisted(caller: string, account: string, on: boolean): void {
    this.requireRole(caller, "BLACKLISTER_ROLE");
    if (!!this.s.blacklisted[account] === on) {
      throw new Revert("coin", "TengeStablecoinBlacklistUnchanged", [account, on]);
    }
    this.s.blacklisted[account] = on;
  }

  setPaused(caller: string, on: boolean): void {
    this.requireRole(caller, "PAUSER_ROLE");
    if (this.s.paused === on) throw new Revert("coin", on ? "EnforcedPause" : "ExpectedPause", []);
    this.s.paused = on;
  }

  setTengePaused(on: boolean): void {
    if (this.s.tengePaused === on) throw new Revert("tenge", on ? "EnforcedPause" : "ExpectedPause", []);
    this.s.tengePaused = on;
  }

  setFrozen(account: string, on: boolean): void {
    if (!this.s.onboarded[account]) throw new Revert("tenge", "DigitalTengeNotOnboarded", [account]);
    if (!!this.s.frozen[account] === on) throw new Revert("tenge", "DigitalTengeFreezeUnchanged", [account, on]);
    this.s.frozen[account] = on;
  }
}

/* EXECUTION AND INVARIANTS */

async function step(
  kind: string,
  box: ModelBox,
  world: World,
  predict: (rules: Rules) => void,
  send: () => Promise<ContractTransactionResponse>,
): Promise<void> {
  const rules = new Rules(structuredClone(box.state), world);
  let revert: Revert | undefined;
  try {
    predict(rules);
  } catch (e) {
    if (!(e instanceof Revert)) throw e;
    revert = e;
  }
  STATS.record(`${kind} → ${revert?.error ?? "ok"}`);
  if (revert !== undefined) {
    const contract: BaseContract = revert.where === "tenge" ? world.tenge : world.coin;
    await expect(send())
      .to.be.revertedWithCustomError(contract, revert.error)
      .withArgs(...revert.args);
    return;
  }
  await (await send()).wait();
  box.state = rules.s;
}

/** The chain equals the model, and the proof-of-reserves invariants hold on chain. */
async function checkInvariants(box: ModelBox, world: World): Promise<void> {
  const { tenge, coin, coinAddress } = world;
  const s = box.state;
  const holders = HOLDERS.map((h) => world.address[h]);
  const [coinBalances, tengeBalances, blacklisted, supply, paused, tengePaused, [locked, reportedSupply], surplus] =
    await Promise.all([
      Promise.all(holders.map((a) => coin.balanceOf(a))),
      Promise.all([...holders, coinAddress].map((a) => tenge.balanceOf(a))),
      Promise.all(holders.map((a) => coin.isBlacklisted(a))),
      coin.totalSupply(),
      coin.paused(),
      tenge.paused(),
      coin.reserves(),
      coin.surplus(),
    ]);
  expect({ coinBalances, tengeBalances, blacklisted, supply, paused, tengePaused }).to.deep.equal({
    coinBalances: holders.map((a) => s.coin[a] ?? 0n),
    tengeBalances: [...holders, coinAddress].map((a) => s.tenge[a] ?? 0n),
    blacklisted: holders.map((a) => !!s.blacklisted[a]),
    supply: s.supply,
    paused: s.paused,
    tengePaused: s.tengePaused,
  });
  expect(locked >= reportedSupply, `locked ${locked} >= supply ${reportedSupply}`).to.equal(true);
  expect(locked, "reserves().locked is the tenge held").to.equal(tengeBalances[holders.length]);
  expect(reportedSupply, "reserves().supply is the total supply").to.equal(supply);
  expect(
    coinBalances.reduce((a, b) => a + b, 0n),
    "Σ balances == totalSupply",
  ).to.equal(supply);
  expect(surplus, "surplus == locked - supply").to.equal(locked - supply);
}

/** A command of this test: its body, then every invariant ({@link checkInvariants}). */
class Command extends CheckedCommand<ModelBox, World> {
  constructor(label: string, body: (box: ModelBox, world: World) => Promise<void>) {
    super(label, body, checkInvariants);
  }
}

/* COMMANDS */

const show = (tiyn: bigint): string => formatUnits(tiyn, 2);

/** Mostly tenge holders; sometimes the institution, the merchant (no tenge yet) or the outsider (not onboarded). */
const holder: fc.Arbitrary<Holder> = fc.oneof(
  { arbitrary: fc.constantFrom<Holder>("alice", "bob", "carol"), weight: 6 },
  { arbitrary: fc.constantFrom<Holder>("merchant", "treasury", "outsider"), weight: 2 },
);
/** A recipient: a holder, sometimes the stablecoin itself or the zero address. */
type Target = Holder | "coin" | "zero";
const target: fc.Arbitrary<Target> = fc.oneof(
  { arbitrary: holder, weight: 12 },
  { arbitrary: fc.constantFrom<Target>("coin", "zero"), weight: 1 },
);
/** Tiyn: mostly up to 3,000 KZT, sometimes zero or dust, sometimes more than anyone holds. */
const amount = fc.oneof(
  { arbitrary: fc.bigInt({ min: 0n, max: 100n }), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: kzt("3000") }), weight: 8 },
  { arbitrary: fc.bigInt({ min: kzt("3000"), max: kzt("20000") }), weight: 1 },
);
/** A payment: a fixed amount, or a share (per mille, up to 110 %) of the payer's stablecoin balance when it runs. */
type Payment = bigint | { permille: number };
const payment: fc.Arbitrary<Payment> = fc.oneof(
  { arbitrary: amount, weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 1100 }).map((permille) => ({ permille })), weight: 2 },
);
const paymentLabel = (p: Payment): string => (typeof p === "bigint" ? show(p) : `${p.permille / 10}% of balance`);
const resolvePayment = (p: Payment, box: ModelBox, payer: string): bigint =>
  typeof p === "bigint" ? p : ((box.state.coin[payer] ?? 0n) * BigInt(p.permille)) / 1000n;
/** Mostly false: pauses are lifted more often than they are set, so value usually moves. */
const mostlyFalse = fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 });
/** Rarely true: a deposit's allowance is one tiyn short now and then. */
const rarelyTrue = fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 });

/** The authorised actor most of the time, an unauthorised one otherwise. */
function actor(authorised: Name, others: Name[]): fc.Arbitrary<Name> {
  return fc.oneof(
    { arbitrary: fc.constant(authorised), weight: 4 },
    { arbitrary: fc.constantFrom(...others), weight: 1 },
  );
}

function resolveTarget(world: World, t: Target): string {
  if (t === "coin") return world.coinAddress;
  if (t === "zero") return ZeroAddress;
  return world.address[t];
}

const wrapCommand = fc.tuple(holder, fc.option(target, { nil: undefined }), amount).map(
  ([payer, to, value]) =>
    new Command(`wrap(${payer} → ${to ?? "self"}, ${show(value)})`, async (box, world) => {
      const from = world.address[payer];
      const recipient = to === undefined ? from : resolveTarget(world, to);
      const data = to === undefined ? "0x" : await recipientData(recipient);
      await step(
        "wrap",
        box,
        world,
        (r) => r.wrap(from, recipient, value),
        () =>
          world.tenge.connect(world.signer[payer]).getFunction("transferAndCall(address,uint256,bytes)")(
            world.coinAddress,
            value,
            data,
          ),
      );
    }),
);

const depositCommand = fc.tuple(holder, target, amount, rarelyTrue).map(
  ([payer, to, value, short]) =>
    new Command(`deposit(${payer} → ${to}, ${show(value)}${short ? ", allowance short" : ""})`, async (box, world) => {
      const allowance = short && value > 0n ? value - 1n : value;
      await (await world.tenge.connect(world.signer[payer]).approve(world.coinAddress, allowance)).wait();
      const recipient = resolveTarget(world, to);
      await step(
        "deposit",
        box,
        world,
        (r) => r.deposit(world.address[payer], recipient, value, allowance),
        () => world.coin.connect(world.signer[payer]).deposit(value, recipient),
      );
    }),
);

const withdrawCommand = fc.tuple(holder, target, payment).map(
  ([who, to, p]) =>
    new Command(`withdraw(${who} → ${to}, ${paymentLabel(p)})`, async (box, world) => {
      const holderAddress = world.address[who];
      const value = resolvePayment(p, box, holderAddress);
      const recipient = resolveTarget(world, to);
      await step(
        "withdraw",
        box,
        world,
        (r) => r.withdraw(holderAddress, recipient, value),
        () => world.coin.connect(world.signer[who]).withdraw(value, recipient),
      );
    }),
);

const transferCommand = fc.tuple(holder, target, payment).map(
  ([from, to, p]) =>
    new Command(`transfer(${from} → ${to}, ${paymentLabel(p)})`, (box, world) => {
      const value = resolvePayment(p, box, world.address[from]);
      const recipient = resolveTarget(world, to);
      return step(
        "transfer",
        box,
        world,
        (r) => r.transfer(world.address[from], world.address[from], recipient, value),
        () => world.coin.connect(world.signer[from]).transfer(recipient, value),
      );
    }),
);

const transferFromCommand = fc
  .tuple(holder, holder, target, payment, fc.constantFrom("exact", "exact", "unlimited", "short"))
  .map(
    ([owner, spender, to, p, kind]) =>
      new Command(
        `approve(${owner} → ${spender}, ${kind}) then transferFrom(${owner} → ${to}, ${paymentLabel(p)}) by ${spender}`,
        async (box, world) => {
          const value = resolvePayment(p, box, world.address[owner]);
          const allowance = kind === "unlimited" ? MaxUint256 : kind === "short" && value > 0n ? value - 1n : value;
          await (await world.coin.connect(world.signer[owner]).approve(world.address[spender], allowance)).wait();
          box.state.allowances[`${world.address[owner]}:${world.address[spender]}`] = allowance;
          const recipient = resolveTarget(world, to);
          await step(
            "transferFrom",
            box,
            world,
            (r) => r.transferFrom(world.address[spender], world.address[owner], recipient, value),
            () => world.coin.connect(world.signer[spender]).transferFrom(world.address[owner], recipient, value),
          );
        },
      ),
  );

const topUpCommand = fc.tuple(holder, amount).map(
  ([from, value]) =>
    new Command(`tenge.transfer(${from} → stablecoin, ${show(value)}) without a deposit`, (box, world) =>
      step(
        "topUp",
        box,
        world,
        (r) => r.tengeTransfer(world.address[from], world.coinAddress, value, false),
        () => world.tenge.connect(world.signer[from]).transfer(world.coinAddress, value),
      ),
    ),
);

const recoverCommand = fc.tuple(actor("desk", ["alice", "compliance", "centralBank"]), target).map(
  ([caller, to]) =>
    new Command(`recoverSurplus(→ ${to}) by ${caller}`, (box, world) => {
      const recipient = resolveTarget(world, to);
      return step(
        "recoverSurplus",
        box,
        world,
        (r) => r.recoverSurplus(world.address[caller], recipient),
        () => world.coin.connect(world.signer[caller]).recoverSurplus(recipient),
      );
    }),
);

const blacklistCommand = fc
  .tuple(
    actor("compliance", ["alice", "desk", "pauser"]),
    holder,
    fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false)),
  )
  .map(
    ([caller, account, on]) =>
      new Command(`${on ? "blacklist" : "unBlacklist"}(${account}) by ${caller}`, (box, world) =>
        step(
          "blacklist",
          box,
          world,
          (r) => r.setBlacklisted(world.address[caller], world.address[account], on),
          () =>
            on
              ? world.coin.connect(world.signer[caller]).blacklist(world.address[account])
              : world.coin.connect(world.signer[caller]).unBlacklist(world.address[account]),
        ),
      ),
  );

const pauseCommand = fc.tuple(actor("pauser", ["alice", "centralBank", "compliance"]), mostlyFalse).map(
  ([caller, on]) =>
    new Command(`${on ? "pause" : "unpause"}() by ${caller}`, (box, world) =>
      step(
        "pause",
        box,
        world,
        (r) => r.setPaused(world.address[caller], on),
        () =>
          on ? world.coin.connect(world.signer[caller]).pause() : world.coin.connect(world.signer[caller]).unpause(),
      ),
    ),
);

const tengePauseCommand = mostlyFalse.map(
  (on) =>
    new Command(`tenge.${on ? "pause" : "unpause"}() by the tenge's pauser`, (box, world) =>
      step(
        "tenge.pause",
        box,
        world,
        (r) => r.setTengePaused(on),
        () =>
          on ? world.tenge.connect(world.signer.pauser).pause() : world.tenge.connect(world.signer.pauser).unpause(),
      ),
    ),
);

const tengeFreezeCommand = fc.tuple(holder, fc.boolean()).map(
  ([account, on]) =>
    new Command(`tenge.${on ? "freeze" : "unfreeze"}(${account}) by the tenge's compliance`, (box, world) =>
      step(
        "tenge.freeze",
        box,
        world,
        (r) => r.setFrozen(world.address[account], on),
        () =>
          on
            ? world.tenge.connect(world.signer.compliance).freeze(world.address[account], REASON)
            : world.tenge.connect(world.signer.compliance).unfreeze(world.address[account], REASON),
      ),
    ),
);

/** Repeated entries weigh a command up: deposits, withdrawals and payments are the bulk of the traffic. */
const COMMANDS = [
  wrapCommand,
  wrapCommand,
  wrapCommand,
  depositCommand,
  depositCommand,
  withdrawCommand,
  withdrawCommand,
  withdrawCommand,
  transferCommand,
  transferCommand,
  transferFromCommand,
  topUpCommand,
  recoverCommand,
  blacklistCommand,
  pauseCommand,
  tengePauseCommand,
  tengeFreezeCommand,
];

/* SET-UP */

/** The base fixture with every tier's limits at the maximum, so the tenge's tier rules never interfere. */
async function propertyFixture() {
  const base = await loadFixture(stablecoinFixture);
  const { tenge, roles } = base;
  const max = ((1n << 31n) - 1n) * 100n;
  for (const tier of [0, 1, 2, 3]) await (await tenge.connect(roles.desk).setTierLimits(tier, max, max)).wait();
  return base;
}

describe("TengeStablecoin @property", function () {
  it("agrees with the reference model and keeps its reserves under random commands by random actors", async function () {
    this.timeout(Math.max(300_000, FUZZ.runs * 20_000));
    const base = await loadFixture(propertyFixture);
    const { tenge, coin, roles, users } = base;
    const signer: Record<Name, HardhatEthersSigner> = {
      alice: users.alice,
      bob: users.bob,
      carol: users.carol,
      merchant: users.merchant,
      treasury: users.treasury,
      outsider: users.outsider,
      centralBank: roles.centralBank,
      desk: roles.desk,
      pauser: roles.pauser,
      compliance: roles.compliance,
    };
    const names = [...HOLDERS, ...OFFICIALS];
    const address = Object.fromEntries(names.map((n) => [n, signer[n].address])) as Record<Name, string>;
    const coinAddress = await coin.getAddress();
    const world: World = { tenge, coin, coinAddress, signer, address };
    expect(await coin.hasRole(roleId("ISSUER_ROLE"), roles.desk), "the model's role holders").to.equal(true);

    const start: ModelState = {
      tenge: {},
      onboarded: {},
      frozen: {},
      tengePaused: await tenge.paused(),
      coin: {},
      blacklisted: {},
      supply: await coin.totalSupply(),
      paused: await coin.paused(),
      allowances: {},
    };
    for (const a of [...HOLDERS.map((h) => address[h]), coinAddress]) {
      const account = await tenge.accountOf(a);
      start.tenge[a] = account.balance;
      start.onboarded[a] = account.onboarded;
      start.frozen[a] = account.frozen;
      start.coin[a] = await coin.balanceOf(a);
    }

    const property = fc.asyncProperty(
      fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: "max" }),
      async (commands) => {
        const snapshot = await takeSnapshot();
        try {
          await fc.asyncModelRun(
            () => Promise.resolve({ model: { state: structuredClone(start) }, real: world }),
            commands,
          );
        } finally {
          await snapshot.restore();
        }
      },
    );

    await assertProperty(__filename, property, FUZZ);
    STATS.print();
  });
});
