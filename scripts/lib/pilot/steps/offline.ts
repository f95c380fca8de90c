import type { Log } from "ethers";
import { ZeroAddress, getAddress, getBytes, hexlify, id } from "ethers";
import { TengeOffline__factory } from "../../../../typechain-types";
import type { TengeOffline } from "../../../../typechain-types";
import { formatTenge } from "../../amounts";
import { ProblemsError } from "../../csv";
import { domainOf } from "../../eip712";
import {
  FAILURE_TEXT,
  OFFLINE_FAILURES,
  OFFLINE_RECORD_SIZE,
  encodeOfflineBatch,
  encodeOfflineQr,
  parseOfflineFile,
  parseOfflineSettlement,
  resultRows,
  signOfflineCancellation,
  signOfflinePayment,
} from "../../offline";
import type { OfflineFailureName, OfflineFileRow, OfflinePayment, SignedOfflinePayment } from "../../offline";
import type { Participant, PilotContext } from "../context";
import { pilotNonce } from "../context";
import type { PipelineJob } from "../pipeline";
import type { InvariantCheck, InvariantResult, PilotStep, StateProbe } from "./types";
import { kzt } from "./types";

/**
 * Most citizens who shop at the market on the offline day, one payment each: signing and verifying a payment take
 * ~20 ms of CPU (EIP-712 hash, sign, recover), so this bounds the step's time.
 */
const MARKET_SHOPPERS = 64;
/** Payments per settlement transaction from a vendor's phone. */
const BATCH = 10;
/** Gas of a settlement: a base and a margin per payment (measured ~20k per payment with the nonce word in use). */
const BATCH_GAS = 150_000n;
const GAS_PER_PAYMENT = 45_000n;
/** Largest offline purse per KYC tier 0-3, the central bank's pilot setting (docs/offline.md's example). */
const PURSE_CAPS = [kzt("5000"), kzt("20000"), kzt("50000"), 0n] as const;
/** What the purse holder sets aside for the market, within every tier's cap. */
const PURSE = kzt("5000");
const HOUR = 3_600n;
const DAY = 86_400n;

/** Positions (in the market's shoppers) of the citizens who play a part in the failures; all below 16 citizens. */
const DOUBLE_SPENDER = 3;
const OVERSPENDER = 5;
const LATE_PAYER = 7;
const CANCELLER = 9;

/** Amount of offline payment `index` of the day: 150.00 to 4,000.00 KZT, from the seed. */
export function offlineAmount(seed: string, index: number): bigint {
  return kzt("150") + (BigInt(pilotNonce(seed, "offline amount", index)) % (kzt("3850") + 1n));
}

/** Where shopper `c`'s device counter stood before the market day: 0-199, so every nonce of the day is in word 0. */
export function deviceCounter(seed: string, c: number): bigint {
  return BigInt(pilotNonce(seed, "offline device", c)) % 200n;
}

/** What the story expects of a presented payment. */
type Outcome = OfflineFailureName | "settled";

/** One QR string a vendor presents for settlement, in which round, and what should become of it. */
interface Presented {
  vendor: number;
  /** 0: the day's takings; 1: the evening's batch (replays and double spends come to light here). */
  round: number;
  qr: string;
  expect: Outcome;
}

/** What the step leaves for the invariants. */
interface OfflineFacts {
  presented: number;
  failures: Partial<Record<OfflineFailureName, number>>;
  settled: number;
  total: bigint;
}

/** The TengeOffline ABI at the token's address (the token delegatecalls the module). */
async function offlineOf(ctx: PilotContext): Promise<TengeOffline> {
  return TengeOffline__factory.connect(await ctx.tenge.getAddress(), ctx.hre.ethers.provider);
}

const offlinePayments: PilotStep = {
  name: "Market vendors take signed offline payments and settle them in batches; failures are reported, not lost",
  async run(ctx) {
    const { tenge, cast, options } = ctx;
    const provider = ctx.hre.ethers.provider;
    const offline = await offlineOf(ctx);
    const token = await tenge.getAddress();
    const domain = await domainOf(tenge);
    const vendors = cast.vendors;
    const shoppers = cast.citizens.slice(0, Math.min(MARKET_SHOPPERS, cast.citizens.length));
    const now = await ctx.now();
    // Payments signed at the stalls this morning, valid for two days.
    const window = { validAfter: now - 6n * HOUR, validBefore: now + 2n * DAY };
    const counters = shoppers.map((_, c) => deviceCounter(options.seed, c));
    const nextNonce = (c: number): bigint => counters[c]++;
    const presented: Presented[] = [];
    const sign = async (shopper: Participant, payment: OfflinePayment): Promise<SignedOfflinePayment> =>
      signOfflinePayment(shopper.wallet, domain, payment);

    // 1. The central bank enables offline purses; one shopper sets 5,000 KZT aside for a vendor before going out.
    const caps = await offline.offlinePurseCaps();
    if (caps.some((cap, tier) => cap !== PURSE_CAPS[tier])) {
      await ctx.send(offline.connect(cast.desk).setOfflinePurseCaps([...PURSE_CAPS]));
    }
    const holder = shoppers[shoppers.length - 1];
    const purseVendor = vendors[(shoppers.length - 1) % vendors.length];
    const purseUntil = now + 7n * DAY;
    await ctx.fundGas([holder.address]);
    await ctx.send(
      offline.connect(holder.wallet.connect(provider)).reservePurse(PURSE, purseUntil, purseVendor.address),
    );

    // 2. At the market (offline): every shopper pays a stall from its balance; the device counts its nonces.
    const signBar = ctx.progress("offline payments signed", shoppers.length);
    const first: SignedOfflinePayment[] = [];
    for (const [c, shopper] of shoppers.entries()) {
      const vendor = c % vendors.length;
      const signed = await sign(shopper, {
        payee: vendors[vendor].address,
        amount: offlineAmount(options.seed, c),
        ...window,
        nonce: nextNonce(c),
        fromPurse: false,
      });
      first.push(signed);
      presented.push({ vendor, round: 0, qr: encodeOfflineQr(signed), expect: "settled" });
      signBar.increment();
    }
    signBar.stop();
    // The purse holder pays its designated vendor twice from the purse (nonces of the purse's own period).
    let pursePaid = 0n;
    for (let n = 0; n < 2; n++) {
      const amount = kzt("600") + (BigInt(pilotNonce(options.seed, "offline purse", n)) % kzt("1800"));
      const signed = await sign(holder, {
        payee: purseVendor.address,
        amount,
        validAfter: window.validAfter,
        validBefore: purseUntil,
        nonce: BigInt(n),
        fromPurse: true,
      });
      pursePaid += amount;
      presented.push({
        vendor: vendors.indexOf(purseVendor),
        round: 0,
        qr: encodeOfflineQr(signed),
        expect: "settled",
      });
    }

    // 3. The failures the day brings. A shopper signs more than it holds.
    const over = shoppers[OVERSPENDER];
    const overVendor = OVERSPENDER % vendors.length;
    const overSigned = await sign(over, {
      payee: vendors[overVendor].address,
      amount: (await tenge.balanceOf(over.address)) + kzt("10000"),
      ...window,
      nonce: nextNonce(OVERSPENDER),
      fromPurse: false,
    });
    presented.push({ vendor: overVendor, round: 0, qr: encodeOfflineQr(overSigned), expect: "InsufficientFunds" });
    // A payment taken three days ago, valid for two, found in a drawer.
    const late = shoppers[LATE_PAYER];
    const lateVendor = LATE_PAYER % vendors.length;
    const lateSigned = await sign(late, {
      payee: vendors[lateVendor].address,
      amount: offlineAmount(options.seed, 1_000_000),
      validAfter: now - 3n * DAY,
      validBefore: now - DAY,
      nonce: nextNonce(LATE_PAYER),
      fromPurse: false,
    });
    presented.push({ vendor: lateVendor, round: 0, qr: encodeOfflineQr(lateSigned), expect: "Expired" });
    // A shopper pays offline, then pays cash instead: its phone, back online, cancels; its bank relays the signature.
    const canceller = shoppers[CANCELLER];
    const cancelVendor = CANCELLER % vendors.length;
    const cancelled = await sign(canceller, {
      payee: vendors[cancelVendor].address,
      amount: offlineAmount(options.seed, 1_000_001),
      ...window,
      nonce: nextNonce(CANCELLER),
      fromPurse: false,
    });
    presented.push({ vendor: cancelVendor, round: 0, qr: encodeOfflineQr(cancelled), expect: "Cancelled" });
    const cancellation = await signOfflineCancellation(canceller.wallet, domain, cancelled.nonce);
    await ctx.send(
      offline
        .connect(cast.banks[canceller.bank].signer)
        .cancelOfflinePaymentWithSignature(
          canceller.address,
          cancelled.nonce,
          cancellation.r,
          cancellation.yParityAndS,
        ),
    );
    // A double spender's cloned device signs its first payment's nonce again, to another stall.
    const spender = shoppers[DOUBLE_SPENDER];
    const original = first[DOUBLE_SPENDER];
    const cloneVendor = (DOUBLE_SPENDER + 2) % vendors.length;
    const clone = await sign(spender, { ...original, payee: vendors[cloneVendor].address });
    presented.push({ vendor: cloneVendor, round: 1, qr: encodeOfflineQr(clone), expect: "AlreadyUsed" });
    // The first vendor scanned its first customer's QR twice: it goes out again with the evening's batch.
    const scannedTwice = presented.find((p) => p.vendor === 0 && p.round === 0 && p.expect === "settled");
    if (!scannedTwice) throw new Error("the first vendor took no payment to present twice");
    presented.push({ vendor: 0, round: 1, qr: scannedTwice.qr, expect: "AlreadyUsed" });
    // A QR made out to another stall never gets past the vendor's phone.
    const elsewhere = presented.find((p) => p.vendor === 1 && p.expect === "settled");
    if (!elsewhere) throw new Error("the second vendor took no payment");
    let refused = false;
    try {
      parseOfflineFile(elsewhere.qr, "a QR made out to another stall", vendors[2].address, domain);
    } catch (error) {
      if (!(error instanceof ProblemsError) || !error.problems[0].includes("not to")) throw error;
      refused = true;
    }
    if (!refused) throw new Error("the third vendor's phone accepted a payment made out to the second vendor");
    ctx.expected("an offline payment made out to another stall: refused by the vendor's phone");

    // 4. Back online, each vendor's phone decodes and verifies its takings (as offline:settle does), then settles
    // them in batches; the vendors settle side by side, round after round so every outcome is deterministic.
    const balancesBefore = await Promise.all(vendors.map((v) => tenge.balanceOf(v.address)));
    const settledBy = vendors.map(() => 0n);
    const failed = new Map<OfflineFailureName, number>();
    let settledCount = 0;
    let batches = 0;
    for (const round of [0, 1]) {
      const jobs: PipelineJob[] = [];
      const parts: { vendor: number; rows: OfflineFileRow[]; expect: Outcome[] }[] = [];
      for (const [v, vendor] of vendors.entries()) {
        const mine = presented.filter((p) => p.vendor === v && p.round === round);
        if (mine.length === 0) continue;
        const takings = `# ${vendor.name}, round ${round + 1}\n${mine.map((p) => p.qr).join("\n")}\n`;
        const rows = parseOfflineFile(takings, `${vendor.name}'s takings`, vendor.address, domain);
        for (let start = 0; start < rows.length; start += BATCH) {
          const part = rows.slice(start, start + BATCH);
          parts.push({ vendor: v, rows: part, expect: mine.slice(start, start + BATCH).map((p) => p.expect) });
          jobs.push({
            sender: vendor.wallet,
            to: token,
            data: offline.interface.encodeFunctionData("settleOfflinePayments", [
              vendor.address,
              encodeOfflineBatch(part.map((r) => r.payment)),
            ]),
            gasLimit: BATCH_GAS + GAS_PER_PAYMENT * BigInt(part.length),
          });
        }
      }
      const receipts = await ctx.sendMany(`offline settlement, round ${round + 1}`, jobs);
      batches += receipts.length;
      for (const [b, sent] of receipts.entries()) {
        const receipt = await provider.getTransactionReceipt(sent.hash);
        if (!receipt) throw new Error(`settlement ${sent.hash} has no receipt`);
        const { vendor, rows, expect } = parts[b];
        const settlement = parseOfflineSettlement(receipt.logs, offline.interface);
        const outcomes = outcomesOf(receipt.logs, vendors[vendor].address, rows.length, ctx);
        if (!outcomes.ok) throw new Error(`settlement ${sent.hash}: ${outcomes.problem}`);
        for (const [i, row] of resultRows(rows, settlement).entries()) {
          if (row.result !== expect[i]) {
            throw new Error(
              `${vendors[vendor].name}'s payment from ${row.payer} (nonce ${row.nonce}): expected ${expect[i]}, got ${row.result}`,
            );
          }
          if (row.result === "settled") settledCount += 1;
          else failed.set(row.result, (failed.get(row.result) ?? 0) + 1);
        }
        settledBy[vendor] += settlement.total;
      }
    }
    const received = await Promise.all(
      vendors.map(async (v, i) => (await tenge.balanceOf(v.address)) - balancesBefore[i]),
    );
    received.forEach((r, i) => {
      if (r !== settledBy[i]) {
        throw new Error(
          `${vendors[i].name} received ${formatTenge(r)} KZT, settlements credited ${formatTenge(settledBy[i])}`,
        );
      }
    });
    if (settledCount + [...failed.values()].reduce((a, n) => a + n, 0) !== presented.length) {
      throw new Error(`${presented.length} payments presented, but only ${settledCount} settled and some failed`);
    }
    for (const [reason, n] of failed)
      ctx.expected(`offline payments reported failed: ${reason} (${FAILURE_TEXT[reason]})`, n);

    const total = settledBy.reduce((a, v) => a + v, 0n);
    const failures = Object.fromEntries(failed) as Partial<Record<OfflineFailureName, number>>;
    const facts: OfflineFacts = { presented: presented.length, failures, settled: settledCount, total };
    ctx.facts.set("offline", facts);
    const failedRows: Record<string, string> = {};
    for (const [reason, n] of [...failed].sort()) failedRows[`failed: ${reason} (${FAILURE_TEXT[reason]})`] = String(n);
    const vendorRows: Record<string, string> = {};
    vendors.forEach((v, i) => (vendorRows[`${v.name} settled (KZT)`] = formatTenge(settledBy[i])));
    ctx.report("Offline", {
      "payments presented": String(presented.length),
      "settlement batches": String(batches),
      settled: String(settledCount),
      ...failedRows,
      ...vendorRows,
      "offline purse (KZT)": `${formatTenge(PURSE)} reserved, ${formatTenge(pursePaid)} paid to ${purseVendor.name}`,
    });
    const failedCount = presented.length - settledCount;
    return (
      `${presented.length} offline payments presented in ${batches} batches by ${vendors.length} vendors: ` +
      `${settledCount} settled (${formatTenge(total)} KZT), ${failedCount} reported failed ` +
      `(${[...failed].map(([r, n]) => `${n} ${r}`).join(", ")})`
    );
  },
};

export const OFFLINE_STEPS = { offlinePayments };

/** The TengeOffline ABI's interface, built once. */
const OFFLINE_INTERFACE = TengeOffline__factory.createInterface();
/** keccak256 of the ERC-20 Transfer event's signature. */
const TRANSFER_TOPIC = id("Transfer(address,address,uint256)");

/** How each payment of one settlement ended, read from the transaction's logs alone. */
interface Outcomes {
  ok: boolean;
  problem: string;
  /** Per payment: "settled" (one Transfer to the payee) or the failure's reason (one OfflinePaymentFailed). */
  outcomes: Outcome[];
  /** Per payment: the payer of the Transfer, or of the failure. */
  payers: string[];
  /** Per settled payment: the amount of its Transfer; zero for failures. */
  amounts: bigint[];
  /** OfflineBatchSettled's total. */
  total: bigint;
}

/**
 * Gives every payment of a batch of `size` its one outcome event: an OfflinePaymentFailed naming its index, or, in
 * order, the next Transfer to the payee. Anything else (two outcomes, none, a count that disagrees with
 * OfflineBatchSettled) is a problem.
 */
function outcomesOf(logs: readonly Log[], payee: string, size: number, ctx: PilotContext): Outcomes {
  const failures = new Map<number, { reason: OfflineFailureName; payer: string }>();
  const transfers: { from: string; value: bigint }[] = [];
  let summary: { settled: number; failed: number; total: bigint } | undefined;
  let duplicate = false;
  for (const log of logs) {
    if (log.topics[0] === TRANSFER_TOPIC) {
      const parsed = ctx.tenge.interface.parseLog(log);
      if (parsed && getAddress(parsed.args.to as string) === getAddress(payee)) {
        transfers.push({ from: getAddress(parsed.args.from as string), value: parsed.args.value as bigint });
      }
      continue;
    }
    let parsed;
    try {
      parsed = OFFLINE_INTERFACE.parseLog(log);
    } catch {
      continue;
    }
    if (parsed?.name === "OfflinePaymentFailed") {
      const index = Number(parsed.args.index);
      if (failures.has(index)) duplicate = true;
      failures.set(index, { reason: OFFLINE_FAILURES[Number(parsed.args.reason)], payer: String(parsed.args.payer) });
    } else if (parsed?.name === "OfflineBatchSettled") {
      summary = {
        settled: Number(parsed.args.settled),
        failed: Number(parsed.args.failed),
        total: parsed.args.total as bigint,
      };
    }
  }
  const outcomes: Outcome[] = [];
  const payers: string[] = [];
  const amounts: bigint[] = [];
  let next = 0;
  for (let i = 0; i < size; i++) {
    const failure = failures.get(i);
    if (failure) {
      outcomes.push(failure.reason);
      payers.push(failure.payer);
      amounts.push(0n);
    } else if (next < transfers.length) {
      outcomes.push("settled");
      payers.push(transfers[next].from);
      amounts.push(transfers[next].value);
      next += 1;
    } else {
      outcomes.push("None");
      payers.push(ZeroAddress);
      amounts.push(0n);
    }
  }
  const problems: string[] = [];
  if (!summary) problems.push("no OfflineBatchSettled event");
  if (duplicate) problems.push("a payment reported failed twice");
  if ([...failures.keys()].some((i) => i < 0 || i >= size)) problems.push("a failure names an index outside the batch");
  if (outcomes.includes("None")) problems.push("a payment has no outcome event");
  if (next !== transfers.length) problems.push(`${transfers.length - next} Transfers to the payee beyond the batch`);
  if (summary && (summary.settled !== next || summary.failed !== failures.size)) {
    problems.push(`OfflineBatchSettled says ${summary.settled} settled, ${summary.failed} failed`);
  }
  return {
    ok: problems.length === 0,
    problem: problems.join("; "),
    outcomes,
    payers,
    amounts,
    total: summary?.total ?? 0n,
  };
}

/** One settlement transaction of this run, read back from the chain: its records, outcomes and credited total. */
interface SettlementOnChain {
  hash: string;
  payee: string;
  /** The 87-byte records the vendor sent, as hex. */
  records: string[];
  result: Outcomes;
  /** Σ Transfer values to the payee in the transaction. */
  transferred: bigint;
}

/** Every settlement of this run, from the OfflineBatchSettled events, with its calldata and receipt. */
async function settlementsOnChain(ctx: PilotContext, offline: TengeOffline): Promise<SettlementOnChain[]> {
  const provider = ctx.hre.ethers.provider;
  const events = await ctx.events(offline, offline.filters.OfflineBatchSettled());
  const hashes = [...new Set(events.map((e) => e.transactionHash))];
  const out: SettlementOnChain[] = [];
  for (const hash of hashes) {
    const [tx, receipt] = await Promise.all([provider.getTransaction(hash), provider.getTransactionReceipt(hash)]);
    if (!tx || !receipt) throw new Error(`settlement ${hash} is not on the chain`);
    const call = offline.interface.parseTransaction({ data: tx.data });
    if (!call || call.name !== "settleOfflinePayments") throw new Error(`${hash} is not a settleOfflinePayments call`);
    const payee = getAddress(String(call.args[0]));
    const bytes = getBytes(String(call.args[1]));
    const records: string[] = [];
    for (let at = 0; at < bytes.length; at += OFFLINE_RECORD_SIZE) {
      records.push(hexlify(bytes.slice(at, at + OFFLINE_RECORD_SIZE)));
    }
    const result = outcomesOf(receipt.logs, payee, records.length, ctx);
    out.push({ hash, payee, records, result, transferred: result.amounts.reduce((a, v) => a + v, 0n) });
  }
  return out;
}

/** The amount field of a record (its first 8 bytes). */
function recordAmount(record: string): bigint {
  return BigInt(record.slice(0, 2 + 16));
}

/** The offline module's invariants, from the chain: one outcome per payment, totals, no nonce twice, purses. */
export const offlineInvariants: InvariantCheck = async (ctx) => {
  const facts = ctx.facts.get("offline") as OfflineFacts | undefined;
  if (!facts) return [];
  const offline = await offlineOf(ctx);
  const { tenge, cast } = ctx;
  const results: InvariantResult[] = [];
  const settlements = await settlementsOnChain(ctx, offline);
  const records = settlements.reduce((a, s) => a + s.records.length, 0);
  const settled = settlements.reduce((a, s) => a + s.result.outcomes.filter((o) => o === "settled").length, 0);
  const broken = settlements.filter((s) => !s.result.ok);
  results.push({
    area: "TengeOffline",
    name: "every presented payment has exactly one outcome event (Transfer to the vendor or OfflinePaymentFailed)",
    held: broken.length === 0 && records === facts.presented && settled === facts.settled,
    detail:
      broken.length > 0
        ? `${broken[0].hash}: ${broken[0].result.problem}`
        : `${records} payments in ${settlements.length} settlements (presented ${facts.presented}): ` +
          `${settled} settled, ${records - settled} failed`,
  });

  const credited = settlements.reduce((a, s) => a + s.result.total, 0n);
  const transferred = settlements.reduce((a, s) => a + s.transferred, 0n);
  const signed = settlements.reduce(
    (a, s) => a + s.records.reduce((b, r, i) => b + (s.result.outcomes[i] === "settled" ? recordAmount(r) : 0n), 0n),
    0n,
  );
  results.push({
    area: "TengeOffline",
    name: "Σ settled (OfflineBatchSettled) == Σ vendors' tenge received (Transfer events) == Σ signed amounts settled",
    held: credited === transferred && credited === signed && credited === facts.total,
    detail: `${formatTenge(credited)} vs ${formatTenge(transferred)} vs ${formatTenge(signed)} KZT`,
  });

  const failedEvents = await ctx.events(offline, offline.filters.OfflinePaymentFailed());
  const onChain = new Map<string, number>();
  for (const e of failedEvents) {
    const reason = OFFLINE_FAILURES[Number(e.args.reason)];
    onChain.set(reason, (onChain.get(reason) ?? 0) + 1);
  }
  const expected = Object.entries(facts.failures);
  const same = expected.length === onChain.size && expected.every(([r, n]) => onChain.get(r) === n);
  results.push({
    area: "TengeOffline",
    name: "failed payments reported with the reasons the story caused",
    held: same,
    detail: [...onChain].map(([r, n]) => `${n} ${r}`).join(", "),
  });

  // A settled payment of each kind (balance, purse) presented again: nothing settles, no revert.
  const replays: string[] = [];
  let replayed = true;
  for (const fromPurse of [false, true]) {
    const found = settlements
      .flatMap((s) => s.records.map((record, i) => ({ s, record, i })))
      .find(({ s, record, i }) => s.result.outcomes[i] === "settled" && getBytes(record)[22] === (fromPurse ? 1 : 0));
    if (!found) continue;
    const vendor = cast.vendors.find((v) => v.address === found.s.payee);
    if (!vendor) continue;
    const [again, total] = await offline
      .connect(vendor.wallet.connect(ctx.hre.ethers.provider))
      .settleOfflinePayments.staticCall(vendor.address, found.record);
    const nonce = BigInt(hexlify(getBytes(found.record).slice(18, 22)));
    const payer = found.s.result.payers[found.i];
    const marked = fromPurse
      ? await offline.purseNonceUsed(payer, (await offline.purseOf(payer)).validUntil, nonce)
      : (await offline.offlineNonceStatus(payer, nonce)) === 1n;
    replayed = replayed && again === 0n && total === 0n && marked;
    replays.push(`${fromPurse ? "purse" : "balance"} nonce ${nonce}: ${again} settled again, nonce used ${marked}`);
  }
  results.push({
    area: "TengeOffline",
    name: "a settled nonce cannot settle again (re-presented by staticCall: reported failed, not credited)",
    held: replayed && replays.length === 2,
    detail: replays.join("; "),
  });

  // Every purse ever reserved on this chain (from genesis on a development chain, as the tenge's holders are).
  const reserved = await ctx.events(
    offline,
    offline.filters.OfflinePurseReserved(),
    ctx.hre.network.live ? undefined : 0,
  );
  const holders = [...new Set(reserved.map((e) => e.args.holder))];
  const purses = (await Promise.all(holders.map((h) => offline.purseOf(h)))).reduce((a, p) => a + p.amount, 0n);
  const escrow = await tenge.balanceOf(await tenge.getAddress());
  results.push({
    area: "TengeOffline",
    name: "Σ offline purses == the token's own balance (where purses are held)",
    held: ctx.hre.network.live ? purses <= escrow : purses === escrow,
    detail: `${formatTenge(purses)} in ${holders.length} purses vs ${formatTenge(escrow)} KZT`,
  });
  return results;
};

/** The offline module's part of the final state: this run's settlements and the purses. */
export const offlineState: StateProbe = async (ctx) => {
  const offline = await offlineOf(ctx);
  const batches = await ctx.events(offline, offline.filters.OfflineBatchSettled());
  const failed = await ctx.events(offline, offline.filters.OfflinePaymentFailed());
  const reasons = new Map<string, number>();
  for (const e of failed) {
    const reason = OFFLINE_FAILURES[Number(e.args.reason)];
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return {
    "offline.settled": batches.reduce((a, e) => a + e.args.settled, 0n).toString(),
    "offline.failed": batches.reduce((a, e) => a + e.args.failed, 0n).toString(),
    "offline.settledTotal": batches.reduce((a, e) => a + e.args.total, 0n).toString(),
    "offline.failedByReason": [...reasons]
      .sort()
      .map(([r, n]) => `${r}:${n}`)
      .join(","),
    "offline.purses": (await ctx.tenge.balanceOf(await ctx.tenge.getAddress())).toString(),
  };
};
