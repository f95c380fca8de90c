import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { takeSnapshot, time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { MaxUint256, ZeroAddress, ZeroHash, formatUnits, id } from "ethers";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import type { DigitalTenge } from "../../typechain-types";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";
import { CheckedCommand, assertProperty, fuzzSettings, FuzzStats } from "../helpers/property";

/*
 * Stateful property test: random sequences of commands by random actors (authorised or not) run against the
 * token and against a TypeScript reference model. Each command predicts, from the model, either success or the
 * exact custom error and its arguments; the chain must agree. After every command the whole observable state is
 * compared with the model and the token's invariants are checked on chain.
 *
 * FUZZ_RUNS (default 25), FUZZ_SEED, FUZZ_PATH, FUZZ_STATS: test/helpers/property.ts (a failure prints its replay).
 * Tagged @property: excluded from coverage (see .solcover.js).
 */

const FUZZ = fuzzSettings(25);
const MAX_COMMANDS = 40;
/** FUZZ_STATS=1 prints how often each command succeeded or failed with each error. */
const STATS = new FuzzStats();

function count(label: string, outcome: string): void {
  STATS.outcome(label, outcome);
}

const DAY = 86_400;
const DAY_OFFSET = 5 * 3600; // Almaty, UTC+5
const MAX_SUPPLY = 2n ** 64n - 1n;
const REASON = id("property-test");

const HOLDERS = [
  "alice",
  "bob",
  "carol",
  "merchant",
  "treasury",
  "outsider",
  "spare0",
  "spare1",
  "spare2",
  "spare3",
  "spare4",
  "spare5",
] as const;
type Holder = (typeof HOLDERS)[number];
const OFFICIALS = ["centralBank", "desk", "pauser", "compliance", "enforcement", "bankA", "bankB"] as const;
type Official = (typeof OFFICIALS)[number];
type Name = Holder | Official;

type RoleName = "DEFAULT_ADMIN_ROLE" | "CENTRAL_BANK_ROLE" | "PAUSER_ROLE" | "COMPLIANCE_ROLE" | "SEIZURE_ROLE";
const roleId = (role: RoleName): string => (role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role));
const ROLES_OF: Partial<Record<Name, RoleName[]>> = {
  centralBank: ["DEFAULT_ADMIN_ROLE"],
  desk: ["CENTRAL_BANK_ROLE"],
  pauser: ["PAUSER_ROLE"],
  compliance: ["COMPLIANCE_ROLE"],
  enforcement: ["SEIZURE_ROLE"],
};

/* MODEL */

interface WalletState {
  onboarded: boolean;
  frozen: boolean;
  exempt: boolean;
  tier: number;
  bankId: number;
  balance: bigint;
  frozenAmount: bigint;
  /** Outflow recorded on `day`. */
  spent: bigint;
  day: number;
  /** The daily limit in force at the wallet's last payment: its recorded outflow never exceeds it. */
  cap: bigint;
}

interface BankState {
  id: number;
  suspended: boolean;
  ceiling: bigint;
  outstanding: bigint;
}

interface ModelState {
  wallets: Record<string, WalletState>;
  banks: Record<string, BankState>;
  bankAddress: Record<number, string>;
  totalSupply: bigint;
  paused: boolean;
  limits: { holding: bigint; daily: bigint }[];
  allowances: Record<string, bigint>;
  today: number;
}

/** What fast-check hands every command: the model, replaced wholesale when a command succeeds. */
interface ModelBox {
  state: ModelState;
}

/** The chain side: the token and who is who. */
interface World {
  tenge: DigitalTenge;
  signer: Record<Name, HardhatEthersSigner>;
  address: Record<Name, string>;
  nameOf: Record<string, Name>;
}

/** A revert the model predicts. */
class Revert extends Error {
  constructor(
    readonly error: string,
    readonly args: unknown[],
  ) {
    super(`the model predicts ${error}`);
  }
}

const emptyWallet = (): WalletState => ({
  onboarded: false,
  frozen: false,
  exempt: false,
  tier: 0,
  bankId: 0,
  balance: 0n,
  frozenAmount: 0n,
  spent: 0n,
  day: 0,
  cap: 0n,
});

const available = (w: WalletState): bigint => (w.balance > w.frozenAmount ? w.balance - w.frozenAmount : 0n);
const spentToday = (w: WalletState, today: number): bigint => (w.day === today ? w.spent : 0n);
const dayOf = (timestamp: number): number => Math.floor((timestamp + DAY_OFFSET) / DAY);

/** The token's rules, in the order the contract checks them. Mutates a draft; throws {Revert} on refusal. */
class Rules {
  constructor(
    readonly s: ModelState,
    readonly w: World,
  ) {}

  wallet(account: string): WalletState {
    return (this.s.wallets[account] ??= emptyWallet());
  }

  requireRole(caller: string, role: RoleName): void {
    if (!(ROLES_OF[this.w.nameOf[caller]] ?? []).includes(role)) {
      throw new Revert("AccessControlUnauthorizedAccount", [caller, roleId(role)]);
    }
  }

  whenNotPaused(): void {
    if (this.s.paused) throw new Revert("EnforcedPause", []);
  }

  checkAmount(amount: bigint): void {
    if (amount === 0n || amount > MAX_SUPPLY) throw new Revert("DigitalTengeInvalidAmount", [amount]);
  }

  onboardedWallet(account: string): WalletState {
    const w = this.wallet(account);
    if (!w.onboarded) throw new Revert("DigitalTengeNotOnboarded", [account]);
    return w;
  }

  checkActive(account: string): WalletState {
    const w = this.onboardedWallet(account);
    if (w.frozen) throw new Revert("DigitalTengeAccountFrozen", [account]);
    return w;
  }

  checkAvailable(account: string, w: WalletState, needed: bigint): void {
    if (needed > available(w)) {
      if (needed > w.balance) throw new Revert("DigitalTengeInsufficientBalance", [account, w.balance, needed]);
      throw new Revert("DigitalTengeFundsFrozen", [account, available(w), needed]);
    }
  }

  checkManager(caller: string, account: string, w: WalletState): void {
    const manager =
      w.bankId === 0
        ? (ROLES_OF[this.w.nameOf[caller]] ?? []).includes("CENTRAL_BANK_ROLE")
        : this.s.bankAddress[w.bankId] === caller;
    if (!manager) throw new Revert("DigitalTengeNotAccountManager", [caller, account]);
  }

  bankId(caller: string): number {
    const bank = this.s.banks[caller];
    if (bank === undefined) throw new Revert("DigitalTengeNotBank", [caller]);
    return bank.id;
  }

  debit(from: string, value: bigint): void {
    const w = this.checkActive(from);
    this.checkAvailable(from, w, value);
    w.balance -= value;
    if (!w.exempt) {
      const spent = spentToday(w, this.s.today) + value;
      const limit = this.s.limits[w.tier].daily;
      if (spent > limit) throw new Revert("DigitalTengeDailyLimitExceeded", [from, limit, spent]);
      w.spent = spent;
      w.day = this.s.today;
      w.cap = limit;
    }
  }

  credit(to: string, value: bigint): void {
    const w = this.checkActive(to);
    w.balance += value;
    if (!w.exempt) {
      const limit = this.s.limits[w.tier].holding;
      if (w.balance > limit) throw new Revert("DigitalTengeHoldingLimitExceeded", [to, limit, w.balance]);
    }
  }

  creditCustomer(caller: string, bankId: number, to: string, value: bigint): void {
    const w = this.checkActive(to);
    if (w.bankId !== bankId) throw new Revert("DigitalTengeNotAccountManager", [caller, to]);
    w.balance += value;
    if (!w.exempt) {
      const limit = this.s.limits[w.tier].holding;
      if (w.balance > limit) throw new Revert("DigitalTengeHoldingLimitExceeded", [to, limit, w.balance]);
    }
  }

  issue(caller: string, amount: bigint): number {
    this.checkAmount(amount);
    const bank = this.s.banks[caller];
    if (bank === undefined) throw new Revert("DigitalTengeNotBank", [caller]);
    if (bank.suspended) throw new Revert("DigitalTengeBankSuspended", [caller]);
    const room = bank.ceiling - bank.outstanding;
    if (amount > room) throw new Revert("DigitalTengeCeilingExceeded", [caller, room < 0n ? 0n : room, amount]);
    const supply = this.s.totalSupply + amount;
    if (supply > MAX_SUPPLY) throw new Revert("DigitalTengeSupplyCapExceeded", [MAX_SUPPLY, supply]);
    this.s.totalSupply = supply;
    bank.outstanding += amount;
    return bank.id;
  }

  /* Commands */

  transfer(from: string, to: string, value: bigint): void {
    this.whenNotPaused();
    this.debit(from, value);
    this.credit(to, value);
  }

  approve(owner: string, spender: string, value: bigint): void {
    this.s.allowances[`${owner}:${spender}`] = value;
  }

  transferFrom(spender: string, from: string, to: string, value: bigint): void {
    const key = `${from}:${spender}`;
    const current = this.s.allowances[key] ?? 0n;
    if (current !== MaxUint256) {
      if (current < value) throw new Revert("DigitalTengeInsufficientAllowance", [spender, current, value]);
      this.s.allowances[key] = current - value;
    }
    this.transfer(from, to, value);
  }

  mint(caller: string, to: string, amount: bigint): void {
    this.whenNotPaused();
    const bankId = this.issue(caller, amount);
    this.creditCustomer(caller, bankId, to, amount);
  }

  mintBatch(caller: string, to: string[], amounts: bigint[]): void {
    if (to.length !== amounts.length) {
      throw new Revert("DigitalTengeLengthMismatch", [BigInt(to.length), BigInt(amounts.length)]);
    }
    if (to.length === 0) throw new Revert("DigitalTengeEmptyBatch", []);
    this.whenNotPaused();
    const bankId = this.bankId(caller);
    let total = 0n;
    to.forEach((recipient, i) => {
      this.checkAmount(amounts[i]);
      total += amounts[i];
      this.creditCustomer(caller, bankId, recipient, amounts[i]);
    });
    this.issue(caller, total);
  }

  redeem(holder: string, amount: bigint): void {
    this.whenNotPaused();
    this.checkAmount(amount);
    const w = this.checkActive(holder);
    this.checkAvailable(holder, w, amount);
    if (w.bankId === 0) throw new Revert("DigitalTengeNoRedeemingBank", [holder]);
    w.balance -= amount;
    this.s.totalSupply -= amount;
    this.s.banks[this.s.bankAddress[w.bankId]].outstanding -= amount;
  }

  freeze(caller: string, account: string): void {
    this.requireRole(caller, "COMPLIANCE_ROLE");
    const w = this.onboardedWallet(account);
    if (w.frozen) throw new Revert("DigitalTengeFreezeUnchanged", [account, true]);
    w.frozen = true;
  }

  unfreeze(caller: string, account: string): void {
    this.requireRole(caller, "COMPLIANCE_ROLE");
    const w = this.onboardedWallet(account);
    if (!w.frozen) throw new Revert("DigitalTengeFreezeUnchanged", [account, false]);
    w.frozen = false;
  }

  freezeAmount(caller: string, account: string, amount: bigint): void {
    this.requireRole(caller, "COMPLIANCE_ROLE");
    this.checkAmount(amount);
    const w = this.onboardedWallet(account);
    const updated = w.frozenAmount + amount;
    if (updated > MAX_SUPPLY) throw new Revert("DigitalTengeInvalidAmount", [updated]);
    w.frozenAmount = updated;
  }

  unfreezeAmount(caller: string, account: string, amount: bigint): void {
    this.requireRole(caller, "COMPLIANCE_ROLE");
    this.checkAmount(amount);
    const w = this.onboardedWallet(account);
    if (amount > w.frozenAmount) {
      throw new Revert("DigitalTengeUnfreezeExceedsFrozen", [account, w.frozenAmount, amount]);
    }
    w.frozenAmount -= amount;
  }

  seize(caller: string, from: string, to: string, amount: bigint): void {
    this.requireRole(caller, "SEIZURE_ROLE");
    if (from === to) throw new Revert("DigitalTengeSelfSeizure", [from]);
    this.checkAmount(amount);
    const w = this.onboardedWallet(from);
    if (amount > w.balance) throw new Revert("DigitalTengeInsufficientBalance", [from, w.balance, amount]);
    w.frozenAmount = w.frozenAmount > amount ? w.frozenAmount - amount : 0n;
    w.balance -= amount;
    this.credit(to, amount);
  }

  setTier(caller: string, account: string, tier: number): void {
    if (tier >= 4) throw new Revert("DigitalTengeInvalidTier", [BigInt(tier)]);
    const w = this.onboardedWallet(account);
    this.checkManager(caller, account, w);
    if (!w.exempt) {
      const limit = this.s.limits[tier].holding;
      if (w.balance > limit) throw new Revert("DigitalTengeHoldingLimitExceeded", [account, limit, w.balance]);
    }
    w.tier = tier;
  }

  pause(caller: string): void {
    this.requireRole(caller, "PAUSER_ROLE");
    if (this.s.paused) throw new Revert("EnforcedPause", []);
    this.s.paused = true;
  }

  unpause(caller: string): void {
    this.requireRole(caller, "PAUSER_ROLE");
    if (!this.s.paused) throw new Revert("ExpectedPause", []);
    this.s.paused = false;
  }

  recoverWallet(caller: string, lost: string, replacement: string): void {
    this.whenNotPaused();
    const w = this.onboardedWallet(lost);
    this.checkManager(caller, lost, w);
    if (replacement === ZeroAddress) throw new Revert("DigitalTengeZeroAddress", []);
    if (this.wallet(replacement).onboarded) throw new Revert("DigitalTengeAlreadyOnboarded", [replacement]);
    this.s.wallets[replacement] = { ...w };
    this.s.wallets[lost] = emptyWallet();
  }
}

/* EXECUTION AND INVARIANTS */

/** "payment": every Transfer out of a wallet must be a payment the holder could make; "forced": seizure, recovery. */
type Kind = "payment" | "forced" | "none";

/** Runs one transaction: predicts with the model, sends, asserts the chain agreed, commits the model. */
async function step(
  box: ModelBox,
  world: World,
  label: string,
  kind: Kind,
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
  count(label, revert?.error ?? "ok");
  if (revert !== undefined) {
    await expect(send())
      .to.be.revertedWithCustomError(world.tenge, revert.error)
      .withArgs(...revert.args);
    return;
  }
  const receipt = await (await send()).wait();
  if (receipt === null) throw new Error("no receipt");
  if (kind === "payment") checkPaymentsAllowed(box.state, world, receipt);
  box.state = rules.s;
}

/** No frozen or non-onboarded wallet ever sent or received a payment, and no one paid more than was available. */
function checkPaymentsAllowed(before: ModelState, world: World, receipt: ContractTransactionReceipt): void {
  const outflow = new Map<string, bigint>();
  for (const log of receipt.logs) {
    const parsed = world.tenge.interface.parseLog(log);
    if (parsed === null || parsed.name !== "Transfer") continue;
    const from = String(parsed.args[0]);
    const to = String(parsed.args[1]);
    const value = BigInt(parsed.args[2] as bigint);
    for (const party of [from, to]) {
      if (party === ZeroAddress) continue;
      const w = before.wallets[party] ?? emptyWallet();
      expect(w.onboarded && !w.frozen, `${world.nameOf[party]} took part in a payment while inactive`).to.equal(true);
    }
    if (from !== ZeroAddress) outflow.set(from, (outflow.get(from) ?? 0n) + value);
  }
  for (const [from, total] of outflow) {
    const w = before.wallets[from] ?? emptyWallet();
    expect(total <= available(w), `${world.nameOf[from]} paid ${total} with ${available(w)} available`).to.equal(true);
  }
}

/** The chain equals the model, and the token's invariants hold on chain. */
async function checkInvariants(box: ModelBox, world: World): Promise<void> {
  const { tenge } = world;
  const s = box.state;
  const holders = HOLDERS.map((h) => world.address[h]);
  const bankAddresses = Object.keys(s.banks);
  const [views, erc20Balances, totalSupply, paused, banks, latest] = await Promise.all([
    Promise.all(holders.map((a) => tenge.accountOf(a))),
    Promise.all(holders.map((a) => tenge.balanceOf(a))),
    tenge.totalSupply(),
    tenge.paused(),
    Promise.all(bankAddresses.map((b) => tenge.bankOf(b))),
    time.latest(),
  ]);

  expect(dayOf(latest), "the run drifted across a day boundary the model did not see").to.equal(s.today);
  expect(paused, "paused").to.equal(s.paused);

  // The chain equals the model, wallet by wallet.
  holders.forEach((address, i) => {
    const w = s.wallets[address] ?? emptyWallet();
    const v = views[i];
    const name = world.nameOf[address];
    expect(
      {
        onboarded: v.onboarded,
        frozen: v.frozen,
        exempt: v.exempt,
        tier: Number(v.tier),
        bankId: Number(v.bankId),
        balance: v.balance,
        frozenAmount: v.frozenAmount,
        spentToday: v.spentToday,
      },
      name,
    ).to.deep.equal({
      onboarded: w.onboarded,
      frozen: w.frozen,
      exempt: w.exempt,
      tier: w.tier,
      bankId: w.bankId,
      balance: w.balance,
      frozenAmount: w.frozenAmount,
      spentToday: spentToday(w, s.today),
    });
    expect(erc20Balances[i], `${name} balanceOf`).to.equal(w.balance);
  });
  expect(totalSupply, "totalSupply").to.equal(s.totalSupply);
  for (const [key, value] of Object.entries(s.allowances)) {
    const [owner, spender] = key.split(":");
    expect(await tenge.allowance(owner, spender), `allowance ${key}`).to.equal(value);
  }

  // totalSupply == Σ balances of every wallet that ever held tenge.
  expect(
    erc20Balances.reduce((a, b) => a + b, 0n),
    "totalSupply == Σ balances",
  ).to.equal(totalSupply);
  // Σ banks' outstanding == totalSupply.
  expect(
    banks.reduce((a, b) => a + b.outstanding, 0n),
    "Σ outstanding == totalSupply",
  ).to.equal(totalSupply);
  banks.forEach((bank, i) => {
    const name = world.nameOf[bankAddresses[i]];
    expect(bank.outstanding).to.equal(s.banks[bankAddresses[i]].outstanding);
    // Ceilings do not change during a run, so "outstanding <= ceiling after every issuance" holds throughout.
    expect(bank.outstanding <= bank.ceiling, `${name} outstanding above its ceiling`).to.equal(true);
  });
  views.forEach((v, i) => {
    const name = world.nameOf[holders[i]];
    if (!v.onboarded) {
      expect(v.balance, `${name} holds tenge without being onboarded`).to.equal(0n);
      return;
    }
    if (v.exempt) return;
    const limits = s.limits[Number(v.tier)];
    // Tier limits do not change during a run, and setTier refuses a tier whose holding limit the balance exceeds.
    expect(v.balance <= limits.holding, `${name} above its holding limit`).to.equal(true);
    // A lower tier may leave today's outflow above the new daily limit; it never exceeds the limit it was paid under.
    const cap = (s.wallets[holders[i]] ?? emptyWallet()).cap;
    expect(v.spentToday <= cap || v.spentToday === 0n, `${name} spent above its daily limit`).to.equal(true);
  });
}

/* COMMANDS */

/** A command of this test: its body, then every invariant ({@link checkInvariants}). */
class Command extends CheckedCommand<ModelBox, World> {
  constructor(label: string, body: (box: ModelBox, world: World) => Promise<void>) {
    super(label, body, checkInvariants);
  }
}

const tenge_ = (amount: bigint): string => formatUnits(amount, 2);

/** Mostly onboarded customers; sometimes the institution, the outsider or a fresh wallet. */
const holder: fc.Arbitrary<Holder> = fc.oneof(
  { arbitrary: fc.constantFrom<Holder>("alice", "bob", "carol", "merchant", "spare0", "spare1"), weight: 8 },
  { arbitrary: fc.constant<Holder>("treasury"), weight: 1 },
  { arbitrary: fc.constantFrom<Holder>("outsider", "spare2", "spare3", "spare4", "spare5"), weight: 1 },
);
/** A replacement wallet for recovery: mostly fresh ones. */
const replacement: fc.Arbitrary<Holder> = fc.oneof(
  { arbitrary: fc.constantFrom<Holder>("spare2", "spare3", "spare4", "spare5", "outsider"), weight: 3 },
  { arbitrary: fc.constantFrom(...HOLDERS), weight: 1 },
);
/** Tiyn: mostly up to 3,000 KZT, sometimes dust or zero, sometimes enough to hit limits and ceilings. */
const amount = fc.oneof(
  { arbitrary: fc.bigInt({ min: 0n, max: 100n }), weight: 1 },
  { arbitrary: fc.bigInt({ min: 1n, max: kzt("3000") }), weight: 8 },
  { arbitrary: fc.bigInt({ min: kzt("3000"), max: kzt("60000") }), weight: 2 },
);
/**
 * A payment amount: fixed; a share (per mille, up to 110 %) of the payer's balance; or one tiyn either side of (or
 * exactly at) a boundary when the command runs: the payer's available funds, its daily allowance left, or the
 * payee's room under its holding limit.
 */
type Payment = { tiyn: bigint } | { permille: number } | { edge: "available" | "daily" | "holding"; delta: bigint };
const payment: fc.Arbitrary<Payment> = fc.oneof(
  { arbitrary: amount.map((tiyn) => ({ tiyn })), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 1100 }).map((permille) => ({ permille })), weight: 2 },
  {
    arbitrary: fc.record({
      edge: fc.constantFrom<"available" | "daily" | "holding">("available", "daily", "holding"),
      delta: fc.constantFrom(-1n, 0n, 1n),
    }),
    weight: 2,
  },
);
function paymentLabel(p: Payment): string {
  if ("tiyn" in p) return tenge_(p.tiyn);
  if ("permille" in p) return `${p.permille / 10}% of balance`;
  return `${p.edge} boundary ${p.delta < 0n ? "- 1" : p.delta > 0n ? "+ 1" : "exactly"}`;
}
function resolve(p: Payment, box: ModelBox, payer: string, payee?: string): bigint {
  if ("tiyn" in p) return p.tiyn;
  const s = box.state;
  const from = s.wallets[payer] ?? emptyWallet();
  if ("permille" in p) return (from.balance * BigInt(p.permille)) / 1000n;
  let boundary: bigint;
  if (p.edge === "available") {
    boundary = available(from);
  } else if (p.edge === "daily") {
    const left = s.limits[from.tier].daily - spentToday(from, s.today);
    boundary = left > 0n ? left : 0n;
  } else {
    const to = s.wallets[payee ?? payer] ?? emptyWallet();
    const room = s.limits[to.tier].holding - to.balance;
    boundary = room > 0n ? room : 0n;
  }
  const value = boundary + p.delta;
  return value > 0n ? value : 0n;
}

/** The authorised actor most of the time, an unauthorised one otherwise. */
function actor(authorised: Name[], others: Name[]): fc.Arbitrary<Name> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...authorised), weight: 4 },
    { arbitrary: fc.constantFrom(...others), weight: 1 },
  );
}
const issuer = actor(["bankA", "bankA", "bankB"], ["desk", "outsider", "alice"]);
const manager = actor(["bankA", "bankA", "bankB"], ["desk", "outsider", "compliance"]);
const complianceActor = actor(["compliance"], ["outsider", "bankA", "desk"]);
const enforcementActor = actor(["enforcement"], ["outsider", "compliance", "centralBank"]);
const pauserActor = actor(["pauser"], ["outsider", "centralBank", "desk"]);
/** An issuer and a recipient: mostly one of the issuer's own customers (as the fixture set them up). */
const CUSTOMERS: Partial<Record<Name, Holder[]>> = {
  bankA: ["alice", "bob", "merchant", "spare1"],
  bankB: ["carol", "spare0"],
};
const issuerAndRecipient: fc.Arbitrary<[Name, Holder]> = issuer.chain((bank) => {
  const own = CUSTOMERS[bank];
  const to =
    own === undefined
      ? holder
      : fc.oneof({ arbitrary: fc.constantFrom(...own), weight: 3 }, { arbitrary: holder, weight: 1 });
  return to.map((h): [Name, Holder] => [bank, h]);
});

const transferCommand = fc.tuple(holder, holder, payment).map(
  ([from, to, p]) =>
    new Command(`transfer(${from} → ${to}, ${paymentLabel(p)})`, (box, world) => {
      const value = resolve(p, box, world.address[from], world.address[to]);
      return step(
        box,
        world,
        "transfer",
        "payment",
        (r) => r.transfer(world.address[from], world.address[to], value),
        () => world.tenge.connect(world.signer[from]).transfer(world.address[to], value),
      );
    }),
);

const transferFromCommand = fc
  .tuple(
    holder,
    fc.constantFrom<Name>(...HOLDERS, "bankA"),
    holder,
    payment,
    fc.constantFrom("exact", "short", "infinite"),
  )
  .map(
    ([owner, spender, to, p, allowanceKind]) =>
      new Command(
        `approve(${owner} → ${spender}, ${allowanceKind}) then transferFrom(${owner} → ${to}, ${paymentLabel(p)}) by ${spender}`,
        async (box, world) => {
          const value = resolve(p, box, world.address[owner], world.address[to]);
          const allowance =
            allowanceKind === "infinite" ? MaxUint256 : allowanceKind === "short" && value > 0n ? value - 1n : value;
          await step(
            box,
            world,
            "approve",
            "none",
            (r) => r.approve(world.address[owner], world.address[spender], allowance),
            () => world.tenge.connect(world.signer[owner]).approve(world.address[spender], allowance),
          );
          await step(
            box,
            world,
            "transferFrom",
            "payment",
            (r) => r.transferFrom(world.address[spender], world.address[owner], world.address[to], value),
            () =>
              world.tenge.connect(world.signer[spender]).transferFrom(world.address[owner], world.address[to], value),
          );
        },
      ),
  );

/** Issuance: mostly a fixed amount, sometimes one tiyn either side of (or exactly at) the recipient's holding room. */
const issuance: fc.Arbitrary<Payment> = fc.oneof(
  { arbitrary: amount.map((tiyn) => ({ tiyn })), weight: 3 },
  { arbitrary: fc.constantFrom(-1n, 0n, 1n).map((delta) => ({ edge: "holding" as const, delta })), weight: 1 },
);

const mintCommand = fc.tuple(issuerAndRecipient, issuance).map(
  ([[bank, to], p]) =>
    new Command(`mint(${to}, ${paymentLabel(p)}) by ${bank}`, (box, world) => {
      const value = resolve(p, box, world.address[to], world.address[to]);
      return step(
        box,
        world,
        "mint",
        "payment",
        (r) => r.mint(world.address[bank], world.address[to], value),
        () => world.tenge.connect(world.signer[bank]).mint(world.address[to], value),
      );
    }),
);

const mintBatchCommand = fc
  .tuple(issuerAndRecipient, fc.array(fc.tuple(holder, amount), { minLength: 0, maxLength: 2 }), amount)
  .map(([[bank, first], more, firstAmount]) => [bank, [[first, firstAmount], ...more]] as const)
  .map(
    ([bank, items]) =>
      new Command(
        `mintBatch([${items.map(([to, v]) => `${to}: ${tenge_(v)}`).join(", ")}]) by ${bank}`,
        (box, world) => {
          const to = items.map(([h]) => world.address[h]);
          const values = items.map(([, v]) => v);
          return step(
            box,
            world,
            "mintBatch",
            "payment",
            (r) => r.mintBatch(world.address[bank], to, values),
            () => world.tenge.connect(world.signer[bank]).mintBatch(to, values),
          );
        },
      ),
  );

const redeemCommand = fc.tuple(holder, payment).map(
  ([who, p]) =>
    new Command(`redeem(${paymentLabel(p)}) by ${who}`, (box, world) => {
      const value = resolve(p, box, world.address[who]);
      return step(
        box,
        world,
        "redeem",
        "payment",
        (r) => r.redeem(world.address[who], value),
        () => world.tenge.connect(world.signer[who]).redeem(value, REASON),
      );
    }),
);

const freezeCommand = fc
  .tuple(complianceActor, holder, fc.oneof({ arbitrary: fc.constant(true), weight: 2 }, fc.constant(false)))
  .map(
    ([caller, account, on]) =>
      new Command(`${on ? "freeze" : "unfreeze"}(${account}) by ${caller}`, (box, world) =>
        step(
          box,
          world,
          on ? "freeze" : "unfreeze",
          "none",
          (r) =>
            on
              ? r.freeze(world.address[caller], world.address[account])
              : r.unfreeze(world.address[caller], world.address[account]),
          () =>
            on
              ? world.tenge.connect(world.signer[caller]).freeze(world.address[account], REASON)
              : world.tenge.connect(world.signer[caller]).unfreeze(world.address[account], REASON),
        ),
      ),
  );

const freezeAmountCommand = fc.tuple(complianceActor, holder, amount, fc.boolean()).map(
  ([caller, account, value, on]) =>
    new Command(`${on ? "freezeAmount" : "unfreezeAmount"}(${account}, ${tenge_(value)}) by ${caller}`, (box, world) =>
      step(
        box,
        world,
        on ? "freezeAmount" : "unfreezeAmount",
        "none",
        (r) =>
          on
            ? r.freezeAmount(world.address[caller], world.address[account], value)
            : r.unfreezeAmount(world.address[caller], world.address[account], value),
        () =>
          on
            ? world.tenge.connect(world.signer[caller]).freezeAmount(world.address[account], value, REASON)
            : world.tenge.connect(world.signer[caller]).unfreezeAmount(world.address[account], value, REASON),
      ),
    ),
);

const seizeCommand = fc.tuple(enforcementActor, holder, holder, payment).map(
  ([caller, from, to, p]) =>
    new Command(`seize(${from} → ${to}, ${paymentLabel(p)}) by ${caller}`, (box, world) => {
      const value = resolve(p, box, world.address[from], world.address[to]);
      return step(
        box,
        world,
        "seize",
        "forced",
        (r) => r.seize(world.address[caller], world.address[from], world.address[to], value),
        () => world.tenge.connect(world.signer[caller]).seize(world.address[from], world.address[to], value, REASON),
      );
    }),
);

const setTierCommand = fc.tuple(manager, holder, fc.integer({ min: 0, max: 4 })).map(
  ([caller, account, tier]) =>
    new Command(`setTier(${account}, ${tier}) by ${caller}`, (box, world) =>
      step(
        box,
        world,
        "setTier",
        "none",
        (r) => r.setTier(world.address[caller], world.address[account], tier),
        () => world.tenge.connect(world.signer[caller]).setTier(world.address[account], tier),
      ),
    ),
);

const pauseCommand = (on: boolean) =>
  (on ? pauserActor : actor(["pauser", "pauser", "pauser"], ["outsider"])).map(
    (caller) =>
      new Command(`${on ? "pause" : "unpause"}() by ${caller}`, (box, world) =>
        step(
          box,
          world,
          on ? "pause" : "unpause",
          "none",
          (r) => (on ? r.pause(world.address[caller]) : r.unpause(world.address[caller])),
          () =>
            on
              ? world.tenge.connect(world.signer[caller]).pause()
              : world.tenge.connect(world.signer[caller]).unpause(),
        ),
      ),
  );

const recoverCommand = fc.tuple(manager, holder, replacement).map(
  ([caller, lost, replacement]) =>
    new Command(`recoverWallet(${lost} → ${replacement}) by ${caller}`, (box, world) =>
      step(
        box,
        world,
        "recoverWallet",
        "forced",
        (r) => r.recoverWallet(world.address[caller], world.address[lost], world.address[replacement]),
        () => world.tenge.connect(world.signer[caller]).recoverWallet(world.address[lost], world.address[replacement]),
      ),
    ),
);

/** Moves the clock to `hour` o'clock (Almaty) `days` days ahead: never within 4 hours of a day boundary. */
const advanceTimeCommand = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 20 })).map(
  ([days, hour]) =>
    new Command(`advanceTime(+${days} days, ${hour}:00 Almaty)`, async (box) => {
      const latest = await time.latest();
      let target = (box.state.today + days) * DAY - DAY_OFFSET + hour * 3600;
      if (target <= latest) target += DAY;
      await time.increaseTo(target);
      box.state.today = dayOf(target);
    }),
);

/** Repeated entries weigh a command up: payments and issuance are the bulk of the traffic. */
const COMMANDS = [
  transferCommand,
  transferCommand,
  transferCommand,
  transferCommand,
  transferFromCommand,
  transferFromCommand,
  mintCommand,
  mintCommand,
  mintCommand,
  mintBatchCommand,
  mintBatchCommand,
  redeemCommand,
  freezeCommand,
  freezeCommand,
  freezeAmountCommand,
  seizeCommand,
  setTierCommand,
  pauseCommand(true),
  pauseCommand(false),
  pauseCommand(false),
  advanceTimeCommand,
  recoverCommand,
];

/* SET-UP */

/**
 * The base fixture with limits and ceilings small enough for random amounts to hit them: tier holding/daily limits
 * 3,000/1,000, 20,000/6,000, 40,000/15,000 and 100,000/50,000 KZT; ceilings 60,000 (bank A) and 30,000 (bank B).
 * Extra customers: spare0 (bank B, tier 0) and spare1 (bank A, tier 2); spare2-5 are fresh wallets.
 */
async function propertyFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, banks } = base;
  const signers = await ethers.getSigners();
  const spares = signers.slice(14, 20);
  const limits: [number, string, string][] = [
    [0, "3000", "1000"],
    [1, "20000", "6000"],
    [2, "40000", "15000"],
    [3, "100000", "50000"],
  ];
  for (const [tier, holding, daily] of limits) {
    await (await tenge.connect(roles.desk).setTierLimits(tier, kzt(holding), kzt(daily))).wait();
  }
  await (await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("60000"))).wait();
  await (await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankB, kzt("30000"))).wait();
  await (await tenge.connect(banks.bankB).onboard(spares[0], 0)).wait();
  await (await tenge.connect(banks.bankA).onboard(spares[1], 2)).wait();
  const signer = {
    ...base.roles,
    ...base.banks,
    ...base.users,
    spare0: spares[0],
    spare1: spares[1],
    spare2: spares[2],
    spare3: spares[3],
    spare4: spares[4],
    spare5: spares[5],
  } satisfies Record<string, HardhatEthersSigner>;
  return { ...base, signer };
}

/** Reads the model's starting point from the chain (the fixture's state). */
async function initialState(world: World): Promise<ModelState> {
  const { tenge } = world;
  const today = dayOf(await time.latest());
  const wallets: Record<string, WalletState> = {};
  for (const h of HOLDERS) {
    const v = await tenge.accountOf(world.address[h]);
    wallets[world.address[h]] = {
      onboarded: v.onboarded,
      frozen: v.frozen,
      exempt: v.exempt,
      tier: Number(v.tier),
      bankId: Number(v.bankId),
      balance: v.balance,
      frozenAmount: v.frozenAmount,
      spent: v.spentToday,
      day: today,
      cap: 0n,
    };
  }
  const banks: Record<string, BankState> = {};
  const bankAddress: Record<number, string> = {};
  for (const name of ["bankA", "bankB"] as const) {
    const b = await tenge.bankOf(world.address[name]);
    banks[world.address[name]] = {
      id: Number(b.id),
      suspended: b.suspended,
      ceiling: b.ceiling,
      outstanding: b.outstanding,
    };
    bankAddress[Number(b.id)] = world.address[name];
  }
  const limits: { holding: bigint; daily: bigint }[] = [];
  for (let tier = 0; tier < 4; tier++) {
    const [holding, daily] = await tenge.tierLimits(tier);
    limits.push({ holding, daily });
  }
  return {
    wallets,
    banks,
    bankAddress,
    totalSupply: await tenge.totalSupply(),
    paused: await tenge.paused(),
    limits,
    allowances: {},
    today,
  };
}

describe("DigitalTenge @property", function () {
  it("agrees with the reference model and keeps its invariants under random commands by random actors", async function () {
    this.timeout(Math.max(300_000, FUZZ.runs * 20_000));
    const { tenge, signer } = await loadFixture(propertyFixture);
    const names = [...HOLDERS, ...OFFICIALS];
    const address = Object.fromEntries(names.map((n) => [n, signer[n].address])) as Record<Name, string>;
    const nameOf = Object.fromEntries(names.map((n) => [signer[n].address, n])) as Record<string, Name>;
    const world: World = { tenge, signer, address, nameOf };
    const start = await initialState(world);

    const property = fc.asyncProperty(
      fc.commands(COMMANDS, { maxCommands: MAX_COMMANDS, size: "max" }),
      async (commands) => {
        const snapshot = await takeSnapshot();
        try {
          // Start each run 2 hours into a fresh Almaty day, so no day boundary falls inside a command.
          const latest = await time.latest();
          const begin = (dayOf(latest) + 1) * DAY - DAY_OFFSET + 2 * 3600;
          await time.increaseTo(begin);
          const state = structuredClone(start);
          state.today = dayOf(begin);
          await fc.asyncModelRun(() => Promise.resolve({ model: { state }, real: world }), commands);
        } finally {
          await snapshot.restore();
        }
      },
    );

    await assertProperty(__filename, property, FUZZ);
    STATS.print();
  });
});
