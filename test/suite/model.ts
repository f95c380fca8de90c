/*
 * The reference model of the whole suite for test/suite/property.test.ts: what each user-facing operation must do
 * to the tenge, the stablecoin (KZTS), the gold token and the programs escrow, written from the docs and the
 * interfaces, independently of the contracts. Each `try*` method either returns the error the chain must revert with
 * (and leaves the model untouched) or applies the operation and returns undefined.
 *
 * Deliberate simplifications, kept true by the generators: amounts stay far below every holding limit, daily limit
 * and bank ceiling; the clock does not cross a day or the program's expiry; nobody is blacklisted in the stablecoin
 * or frozen in gold; the VAT rate in force is the standard 16 %.
 */

/** The contract whose ABI declares an expected error. */
export type ErrorSource = "tenge" | "coin" | "gold" | "programs";

/** A revert the chain must produce: the error's name, its arguments, and which contract's ABI declares it. */
export interface Expected {
  source: ErrorSource;
  error: string;
  args: readonly unknown[];
}

const fail = (source: ErrorSource, error: string, ...args: unknown[]): Expected => ({ source, error, args });

/** Standard VAT rate in force (bps). */
export const STANDARD_BPS = 1_600n;
/** The desk's fee (bps) from scripts/lib/gold-config.ts. */
export const DESK_FEE_BPS = 50n;

/** round(num / den) half up. */
const roundHalfUp = (num: bigint, den: bigint): bigint => (2n * num + den) / (2n * den);
const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** VAT inside a VAT-inclusive gross at `bps`. */
export function inclusiveVat(gross: bigint, bps: bigint): bigint {
  return roundHalfUp(gross * bps, 10_000n + bps);
}

/** What buying `mg` of gold costs at `price` tiyn/g: cost to the desk, fee to the treasury. */
export function goldCost(mg: bigint, price: bigint): { cost: bigint; fee: bigint } {
  const cost = ceilDiv(mg * price, 1_000n);
  return { cost, fee: ceilDiv(cost * DESK_FEE_BPS, 10_000n) };
}

/** Fixed addresses the model needs to know. */
export interface ModelAddresses {
  coin: string;
  desk: string;
  programs: string;
  goldTreasury: string;
  merchant: string;
  funder: string;
  banks: readonly string[];
  compliance: string;
  pauser: string;
}

/** One program's books. */
export interface ProgramBooks {
  budget: bigint;
  spent: bigint;
  returned: bigint;
  closed: boolean;
  allowance: bigint;
  /** Spent by each beneficiary (the program's period is the whole program). */
  used: Map<string, bigint>;
}

/** One offline payment as the model sees it. */
export interface OfflineItem {
  payer: string;
  nonce: bigint;
  amount: bigint;
}

export class SuiteModel {
  tenge = new Map<string, bigint>();
  onboarded = new Set<string>();
  frozen = new Set<string>();
  /** Managing bank of each customer (institutions have none). */
  bankOf = new Map<string, string>();
  allowances = new Map<string, bigint>();
  outstanding = new Map<string, bigint>();
  supply = 0n;
  paused = false;
  markedVat = 0n;
  invoices = new Map<string, { gross: bigint; paid: boolean }>();
  kzts = new Map<string, bigint>();
  kztsSupply = 0n;
  gold = new Map<string, bigint>();
  goldSupply = 0n;
  goldPermitted = new Set<string>();
  goldPrice = 0n;
  program: ProgramBooks = { budget: 0n, spent: 0n, returned: 0n, closed: false, allowance: 0n, used: new Map() };
  offlineUsed = new Set<string>();

  constructor(readonly at: ModelAddresses) {}

  /* TENGE RULES */

  private bal(a: string): bigint {
    return this.tenge.get(a) ?? 0n;
  }

  private move(map: Map<string, bigint>, from: string, to: string, value: bigint): void {
    map.set(from, (map.get(from) ?? 0n) - value);
    map.set(to, (map.get(to) ?? 0n) + value);
  }

  /** `_checkActive`: onboarded and not frozen. */
  private active(a: string): Expected | undefined {
    if (!this.onboarded.has(a)) return fail("tenge", "DigitalTengeNotOnboarded", a);
    if (this.frozen.has(a)) return fail("tenge", "DigitalTengeAccountFrozen", a);
    return undefined;
  }

  /** A tenge transfer's checks, in the contract's order: pause, sender, balance, recipient. */
  private transferCheck(from: string, to: string, value: bigint): Expected | undefined {
    if (this.paused) return fail("tenge", "EnforcedPause");
    const sender = this.active(from);
    if (sender) return sender;
    if (value > this.bal(from)) return fail("tenge", "DigitalTengeInsufficientBalance", from, this.bal(from), value);
    return this.active(to);
  }

  tryTransfer(from: string, to: string, value: bigint): Expected | undefined {
    const e = this.transferCheck(from, to, value);
    if (e) return e;
    this.move(this.tenge, from, to, value);
    return undefined;
  }

  tryApprove(owner: string, spender: string, value: bigint): Expected | undefined {
    this.allowances.set(`${owner}|${spender}`, value);
    return undefined;
  }

  allowance(owner: string, spender: string): bigint {
    return this.allowances.get(`${owner}|${spender}`) ?? 0n;
  }

  tryTransferFrom(spender: string, from: string, to: string, value: bigint): Expected | undefined {
    const current = this.allowance(from, spender);
    if (current < value) return fail("tenge", "DigitalTengeInsufficientAllowance", spender, current, value);
    const e = this.transferCheck(from, to, value);
    if (e) return e;
    this.allowances.set(`${from}|${spender}`, current - value);
    this.move(this.tenge, from, to, value);
    return undefined;
  }

  /** mint and mintBatch: pause, (batch: bank first), each credit, then the issuer checks on the total. */
  tryMint(caller: string, to: readonly string[], amounts: readonly bigint[], batch: boolean): Expected | undefined {
    if (this.paused) return fail("tenge", "EnforcedPause");
    const isBank = this.outstanding.has(caller);
    if (batch && !isBank) return fail("tenge", "DigitalTengeNotBank", caller);
    if (!batch && !isBank) return fail("tenge", "DigitalTengeNotBank", caller);
    for (const recipient of to) {
      const e = this.active(recipient);
      if (e) return e;
      if (this.bankOf.get(recipient) !== caller)
        return fail("tenge", "DigitalTengeNotAccountManager", caller, recipient);
    }
    let total = 0n;
    to.forEach((recipient, i) => {
      this.tenge.set(recipient, this.bal(recipient) + amounts[i]);
      total += amounts[i];
    });
    this.supply += total;
    this.outstanding.set(caller, (this.outstanding.get(caller) ?? 0n) + total);
    return undefined;
  }

  tryRedeem(holder: string, value: bigint): Expected | undefined {
    if (this.paused) return fail("tenge", "EnforcedPause");
    const e = this.active(holder);
    if (e) return e;
    if (value > this.bal(holder))
      return fail("tenge", "DigitalTengeInsufficientBalance", holder, this.bal(holder), value);
    const bank = this.bankOf.get(holder);
    if (bank === undefined) return fail("tenge", "DigitalTengeNoRedeemingBank", holder);
    this.tenge.set(holder, this.bal(holder) - value);
    this.supply -= value;
    this.outstanding.set(bank, (this.outstanding.get(bank) ?? 0n) - value);
    return undefined;
  }

  tryFreeze(caller: string, account: string, freeze: boolean, complianceRole: string): Expected | undefined {
    if (caller !== this.at.compliance) return fail("tenge", "AccessControlUnauthorizedAccount", caller, complianceRole);
    if (!this.onboarded.has(account)) return fail("tenge", "DigitalTengeNotOnboarded", account);
    if (this.frozen.has(account) === freeze) return fail("tenge", "DigitalTengeFreezeUnchanged", account, freeze);
    if (freeze) this.frozen.add(account);
    else this.frozen.delete(account);
    return undefined;
  }

  tryPause(caller: string, pause: boolean, pauserRole: string): Expected | undefined {
    if (caller !== this.at.pauser) return fail("tenge", "AccessControlUnauthorizedAccount", caller, pauserRole);
    if (pause && this.paused) return fail("tenge", "EnforcedPause");
    if (!pause && !this.paused) return fail("tenge", "ExpectedPause");
    this.paused = pause;
    return undefined;
  }

  /* VAT */

  /** issueInvoice (STANDARD, VAT-inclusive, open to any payer): not paused-gated; only VAT payers may charge VAT. */
  tryIssueInvoice(issuer: string, ref: string, gross: bigint): Expected | undefined {
    const e = this.active(issuer);
    if (e) return e;
    if (issuer !== this.at.merchant) return fail("tenge", "VatNotRegistered", issuer);
    this.invoices.set(ref, { gross, paid: false });
    return undefined;
  }

  /** payInvoice from the payer's balance: gross out, net to the merchant, the VAT marked on the merchant. */
  tryPayInvoice(payer: string, ref: string): Expected | undefined {
    const invoice = this.invoices.get(ref);
    if (invoice === undefined) throw new Error(`model: unknown invoice ${ref}`);
    if (this.paused) return fail("tenge", "EnforcedPause");
    if (invoice.paid) return fail("tenge", "VatInvoiceStatus", this.at.merchant, ref, 2n);
    const e = this.active(payer);
    if (e) return e;
    if (invoice.gross > this.bal(payer)) {
      return fail("tenge", "DigitalTengeInsufficientBalance", payer, this.bal(payer), invoice.gross);
    }
    const m = this.active(this.at.merchant);
    if (m) return m;
    const vat = inclusiveVat(invoice.gross, STANDARD_BPS);
    this.tenge.set(payer, this.bal(payer) - invoice.gross);
    this.tenge.set(this.at.merchant, this.bal(this.at.merchant) + invoice.gross - vat);
    this.markedVat += vat;
    invoice.paid = true;
    return undefined;
  }

  /* STABLECOIN */

  /** Wrap by `transferAndCall(coin, value)`: a tenge transfer to the coin, then KZTS minted to the sender. */
  tryWrap(holder: string, value: bigint): Expected | undefined {
    const e = this.tryTransfer(holder, this.at.coin, value);
    if (e) return e;
    this.kzts.set(holder, (this.kzts.get(holder) ?? 0n) + value);
    this.kztsSupply += value;
    return undefined;
  }

  /** `withdraw(value, holder)`: burn, then the coin's tenge transfer (its pause renamed). */
  tryUnwrap(holder: string, value: bigint): Expected | undefined {
    const held = this.kzts.get(holder) ?? 0n;
    if (value > held) return fail("coin", "ERC20InsufficientBalance", holder, held, value);
    if (this.paused) return fail("coin", "TengeStablecoinUnderlyingPaused");
    const e = this.active(holder);
    if (e) return e;
    this.kzts.set(holder, held - value);
    this.kztsSupply -= value;
    this.move(this.tenge, this.at.coin, holder, value);
    return undefined;
  }

  tryKztsTransfer(from: string, to: string, value: bigint): Expected | undefined {
    const held = this.kzts.get(from) ?? 0n;
    if (value > held) return fail("coin", "ERC20InsufficientBalance", from, held, value);
    this.move(this.kzts, from, to, value);
    return undefined;
  }

  /* GOLD */

  /** Buy by `transferAndCall(desk, total, order)`: tenge to the desk, gold to the buyer, the fee to the treasury. */
  tryGoldBuy(buyer: string, mg: bigint): Expected | undefined {
    const { cost, fee } = goldCost(mg, this.goldPrice);
    const e = this.transferCheck(buyer, this.at.desk, cost + fee);
    if (e) return e;
    if (!this.goldPermitted.has(buyer)) return fail("gold", "GoldTokenNotPermitted", buyer);
    const inventory = this.gold.get(this.at.desk) ?? 0n;
    if (mg > inventory) return fail("gold", "ERC20InsufficientBalance", this.at.desk, inventory, mg);
    this.move(this.tenge, buyer, this.at.desk, cost + fee);
    this.move(this.gold, this.at.desk, buyer, mg);
    if (fee !== 0n) this.move(this.tenge, this.at.desk, this.at.goldTreasury, fee);
    return undefined;
  }

  tryGoldTransfer(from: string, to: string, mg: bigint): Expected | undefined {
    if (!this.goldPermitted.has(from)) return fail("gold", "GoldTokenNotPermitted", from);
    if (!this.goldPermitted.has(to)) return fail("gold", "GoldTokenNotPermitted", to);
    const held = this.gold.get(from) ?? 0n;
    if (mg > held) return fail("gold", "ERC20InsufficientBalance", from, held, mg);
    this.move(this.gold, from, to, mg);
    return undefined;
  }

  /* PROGRAMS */

  /** Fund by `transferAndCall(programs, value, abi.encode(id))`: the tenge moves first, then the escrow's checks. */
  tryProgramFund(caller: string, programId: bigint, value: bigint): Expected | undefined {
    const e = this.transferCheck(caller, this.at.programs, value);
    if (e) return e;
    if (this.program.closed) return fail("programs", "ProgramsProgramClosed", programId);
    if (caller !== this.at.funder) return fail("programs", "ProgramsNotFunder", programId, caller);
    this.move(this.tenge, caller, this.at.programs, value);
    this.program.budget += value;
    return undefined;
  }

  tryProgramSpend(programId: bigint, kid: string, value: bigint): Expected | undefined {
    const p = this.program;
    if (p.closed) return fail("programs", "ProgramsProgramClosed", programId);
    const used = p.used.get(kid) ?? 0n;
    const available = p.allowance > used ? p.allowance - used : 0n;
    if (value > available) return fail("programs", "ProgramsAllowanceExceeded", programId, kid, available, value);
    const remaining = p.budget - p.spent;
    if (value > remaining) return fail("programs", "ProgramsBudgetExhausted", programId, remaining, value);
    const e = this.transferCheck(this.at.programs, this.at.merchant, value);
    if (e) return e;
    p.used.set(kid, used + value);
    p.spent += value;
    this.move(this.tenge, this.at.programs, this.at.merchant, value);
    return undefined;
  }

  tryProgramClose(caller: string, programId: bigint, expiry: bigint): Expected | undefined {
    const p = this.program;
    if (p.closed) return fail("programs", "ProgramsProgramClosed", programId);
    if (caller !== this.at.funder) return fail("programs", "ProgramsCloseNotAllowed", programId, caller, expiry);
    const returned = p.budget - p.spent;
    if (returned !== 0n) {
      const e = this.transferCheck(this.at.programs, this.at.funder, returned);
      if (e) return e;
      this.move(this.tenge, this.at.programs, this.at.funder, returned);
    }
    p.returned = returned;
    p.closed = true;
    return undefined;
  }

  /* OFFLINE */

  /**
   * A batch of balance payments to the merchant: the whole batch reverts only when paused or the merchant cannot
   * receive; otherwise each payment settles or fails on its own (double spend, insufficient funds).
   * @returns The batch's revert, or the outcome of each payment ("settled" or the failure's name).
   */
  trySettleOffline(items: readonly OfflineItem[]): Expected | string[] {
    if (this.paused) return fail("tenge", "EnforcedPause");
    const m = this.active(this.at.merchant);
    if (m) return m;
    const outcomes: string[] = [];
    let total = 0n;
    for (const item of items) {
      const key = `${item.payer}|${item.nonce}`;
      if (this.offlineUsed.has(key)) outcomes.push("AlreadyUsed");
      else if (this.frozen.has(item.payer)) outcomes.push("PayerFrozen");
      else if (item.amount > this.bal(item.payer)) outcomes.push("InsufficientFunds");
      else {
        this.offlineUsed.add(key);
        this.tenge.set(item.payer, this.bal(item.payer) - item.amount);
        total += item.amount;
        outcomes.push("settled");
      }
    }
    this.tenge.set(this.at.merchant, this.bal(this.at.merchant) + total);
    return outcomes;
  }
}
