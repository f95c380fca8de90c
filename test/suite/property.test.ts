import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { id } from "ethers";
import type { BaseContract, ContractTransactionResponse, Wallet } from "ethers";
import { encodeBuyOrder } from "../../scripts/lib/gold";
import { encodeFund } from "../../scripts/lib/programs";
import { encodeOfflineBatch, parseOfflineSettlement, signOfflinePayment } from "../../scripts/lib/offline";
import type { SignedOfflinePayment } from "../../scripts/lib/offline";
import { expectProgramsInvariant } from "../fixtures/programs.fixture";
import { PRICE } from "../fixtures/gold.fixture";
import { suiteFixture, type SuiteFixture } from "../fixtures/suite.fixture";
import { kzt } from "../fixtures/tenge.fixture";
import { SuiteModel, goldCost, type ErrorSource, type Expected, type OfflineItem } from "./model";
import { FuzzStats, fuzzSettings } from "../helpers/property";

/*
 * The whole suite under one stateful property test: random sequences of every user-facing operation (tenge
 * transfer / approve / transferFrom / mint / mintBatch / redeem / freeze / pause, VAT invoice issue and pay,
 * stablecoin wrap / unwrap / transfer, gold buy and transfer, program fund / spend / close, offline settlement) by
 * random actors, authorised or not, with a hostile ERC-1363 receiver that re-enters the tenge. The reference model
 * (./model.ts) predicts each outcome: success, or the exact custom error with its arguments. After every command the
 * chain must equal the model for every account, and every invariant of every contract must hold.
 *
 * FUZZ_RUNS (default 40, under a minute here: what `npm test` runs), FUZZ_SEED and FUZZ_PATH (replay) come from the environment;
 * `npm run fuzz -- --runs N --seed S [--path P]` sets them. On failure the message carries the replay command.
 * Tagged @property: excluded from coverage (see .solcover.js).
 */

const { runs: RUNS, seed: SEED, path: PATH } = fuzzSettings(40);
const MAX_COMMANDS = Number(process.env.FUZZ_COMMANDS ?? "25");
/** FUZZ_STATS=1 prints how often each command succeeded or failed with each error. */
const STATS = new FuzzStats();
let currentKind = "";

/** Who sends transactions (by index). */
const SENDERS = ["alice", "bob", "carol", "merchant", "treasury", "outsider"] as const;
/** Who receives: the senders and the hostile contract. */
const RECEIVERS = [...SENDERS, "hostile"] as const;
const MINTERS = ["bankA", "bankB", "alice", "desk"] as const;

const idx = (n: number) => fc.nat(n - 1);
/** KZTS amounts: alice holds 1,000 and bob 500 KZTS at the start. */
const small = fc.bigInt({ min: 1n, max: kzt("600") });
const amount = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 1n, max: kzt("3000") }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 1n, max: kzt("80000") }) },
);

type Command =
  | { kind: "transfer"; from: number; to: number; value: bigint }
  | { kind: "approve"; owner: number; spender: number; value: bigint }
  | { kind: "transferFrom"; spender: number; from: number; to: number; value: bigint; approveFirst: boolean }
  | { kind: "mint"; caller: number; to: number; value: bigint }
  | { kind: "mintBatch"; caller: number; to: [number, number]; values: [bigint, bigint] }
  | { kind: "redeem"; holder: number; value: bigint }
  | { kind: "freeze"; caller: number; account: number; freeze: boolean }
  | { kind: "pause"; caller: number; pause: boolean }
  | { kind: "invoice"; issuer: number; payer: number; gross: bigint }
  | { kind: "payAgain"; payer: number; invoice: number }
  | { kind: "wrap"; holder: number; value: bigint }
  | { kind: "unwrap"; holder: number; value: bigint }
  | { kind: "kzts"; from: number; to: number; value: bigint }
  | { kind: "goldBuy"; buyer: number; mg: bigint }
  | { kind: "gold"; from: number; to: number; mg: bigint }
  | { kind: "fund"; caller: number; value: bigint }
  | { kind: "spend"; kid: number; value: bigint }
  | { kind: "close"; caller: number }
  | { kind: "offline"; items: { payer: number; value: bigint; reuse: boolean }[] };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("transfer" as const), from: idx(6), to: idx(7), value: amount }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("approve" as const), owner: idx(3), spender: idx(3), value: amount }),
  },
  fc.record({
    kind: fc.constant("transferFrom" as const),
    spender: idx(3),
    from: idx(3),
    to: idx(7),
    value: amount,
    approveFirst: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("mint" as const), caller: idx(4), to: idx(7), value: amount }),
  fc.record({
    kind: fc.constant("mintBatch" as const),
    caller: idx(4),
    to: fc.tuple(idx(7), idx(7)),
    values: fc.tuple(amount, amount),
  }),
  fc.record({ kind: fc.constant("redeem" as const), holder: idx(6), value: amount }),
  fc.record({ kind: fc.constant("freeze" as const), caller: idx(2), account: idx(7), freeze: fc.boolean() }),
  fc.record({ kind: fc.constant("pause" as const), caller: idx(2), pause: fc.boolean() }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("invoice" as const),
      issuer: fc.constantFrom(3, 3, 3, 0),
      payer: idx(6),
      gross: fc.oneof(fc.bigInt({ min: 1n, max: 100n }), amount),
    }),
  },
  fc.record({ kind: fc.constant("payAgain" as const), payer: idx(6), invoice: fc.nat(20) }),
  fc.record({ kind: fc.constant("wrap" as const), holder: idx(6), value: amount }),
  fc.record({ kind: fc.constant("unwrap" as const), holder: fc.constantFrom(0, 0, 1, 2, 5), value: small }),
  fc.record({ kind: fc.constant("kzts" as const), from: fc.constantFrom(0, 0, 1, 2, 5), to: idx(7), value: small }),
  fc.record({ kind: fc.constant("goldBuy" as const), buyer: idx(6), mg: fc.bigInt({ min: 1n, max: 300n }) }),
  fc.record({
    kind: fc.constant("gold" as const),
    from: fc.constantFrom(0, 0, 0, 1, 5),
    to: idx(6),
    mg: fc.bigInt({ min: 1n, max: 30_000n }),
  }),
  fc.record({ kind: fc.constant("fund" as const), caller: fc.constantFrom(4, 4, 0), value: amount }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("spend" as const), kid: idx(2), value: amount }) },
  fc.record({ kind: fc.constant("close" as const), caller: fc.constantFrom(4, 0, 0, 0) }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("offline" as const),
      items: fc.array(
        fc.record({ payer: idx(2), value: fc.bigInt({ min: 1n, max: kzt("700") }), reuse: fc.boolean() }),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  },
);

/** A run: the deployed suite, who is who by name, and the model read from the chain. */
interface Run {
  ctx: SuiteFixture;
  model: SuiteModel;
  signer: Record<string, HardhatEthersSigner>;
  addr: Record<string, string>;
  tracked: string[];
  invoices: string[];
  nonces: Map<string, bigint>;
  roleIds: { compliance: string; pauser: string };
}

async function setUp(): Promise<Run> {
  const ctx = await loadFixture(suiteFixture);
  const { tenge, coin, gold, goldDesk, programs, hostile, goldRoles, roles, banks, users, kids, payers } = ctx;
  // the price must be fresh in every run, whatever the wall clock did since the fixture's snapshot
  await (await goldDesk.connect(goldRoles.oracle).publishPrice(PRICE, await time.latest())).wait();
  // the hostile receiver tries to pull a tiyn more from alice inside every callback, and swallows the failure
  const reentry = tenge.interface.encodeFunctionData("transferFrom", [
    users.alice.address,
    await hostile.getAddress(),
    1n,
  ]);
  await (await hostile.setAttack(tenge, reentry, false)).wait();

  const signer: Record<string, HardhatEthersSigner> = { ...users, ...banks, ...roles };
  const addr: Record<string, string> = Object.fromEntries(Object.entries(signer).map(([k, s]) => [k, s.address]));
  addr.hostile = await hostile.getAddress();
  const at = {
    coin: await coin.getAddress(),
    desk: await goldDesk.getAddress(),
    programs: await programs.getAddress(),
    goldTreasury: goldRoles.goldTreasury.address,
    merchant: users.merchant.address,
    funder: users.treasury.address,
    banks: [banks.bankA.address, banks.bankB.address],
    compliance: roles.compliance.address,
    pauser: roles.pauser.address,
  };
  const model = new SuiteModel(at);
  const tracked = [
    ...(await ethers.getSigners()).map((s) => s.address),
    ...[...Object.values(kids), ...Object.values(payers)].map((w: Wallet) => w.address),
    addr.hostile,
    at.coin,
    at.desk,
    at.programs,
    await tenge.getAddress(),
  ];
  for (const a of tracked) {
    const view = await tenge.accountOf(a);
    model.tenge.set(a, view.balance);
    if (view.onboarded) model.onboarded.add(a);
    if (view.frozen) model.frozen.add(a);
    if (view.bankId !== 0n) model.bankOf.set(a, view.bank);
    model.kzts.set(a, await coin.balanceOf(a));
    model.gold.set(a, await gold.balanceOf(a));
    if (await gold.isPermitted(a)) model.goldPermitted.add(a);
  }
  for (const bank of at.banks) model.outstanding.set(bank, (await tenge.bankOf(bank)).outstanding);
  model.supply = await tenge.totalSupply();
  model.paused = await tenge.paused();
  model.markedVat = (await tenge.vatTotals()).markedTotal;
  model.kztsSupply = await coin.totalSupply();
  model.goldSupply = await gold.totalSupply();
  model.goldPrice = (await goldDesk.price()).priceTiynPerGram;
  const [budget, spent, returned] = await programs.figuresOf(ctx.programId);
  model.program = { budget, spent, returned, closed: false, allowance: ctx.terms.allowance, used: new Map() };
  return {
    ctx,
    model,
    signer,
    addr,
    tracked,
    invoices: [],
    nonces: new Map(),
    roleIds: { compliance: await tenge.COMPLIANCE_ROLE(), pauser: await tenge.PAUSER_ROLE() },
  };
}

/** The contract whose ABI declares errors from `source`. */
function contractFor(run: Run, source: ErrorSource): BaseContract {
  const { tenge, coin, gold, programs } = run.ctx;
  return { tenge, coin, gold, programs }[source];
}

/** Sends `tx` and asserts the model's verdict: it succeeds, or reverts with exactly the expected error. */
async function settle(run: Run, tx: () => Promise<ContractTransactionResponse>, expected: Expected | undefined) {
  STATS.record(`${currentKind} → ${expected?.error ?? "ok"}`);
  if (expected === undefined) {
    await (await tx()).wait();
    return;
  }
  await expect(tx())
    .to.be.revertedWithCustomError(contractFor(run, expected.source), expected.error)
    .withArgs(...expected.args);
}

async function execute(run: Run, c: Command): Promise<void> {
  const { ctx, model, signer, addr } = run;
  const { tenge, coin, gold, goldDesk, programs, offline, kids, payers, users } = ctx;
  const s = (i: number) => signer[SENDERS[i]];
  const r = (i: number) => addr[RECEIVERS[i]];
  switch (c.kind) {
    case "transfer": {
      const from = s(c.from);
      const to = r(c.to);
      const expected = model.tryTransfer(from.address, to, c.value);
      // to the hostile contract by ERC-1363, so that its callback re-enters the tenge
      if (RECEIVERS[c.to] === "hostile") {
        return settle(
          run,
          () => tenge.connect(from).getFunction("transferAndCall(address,uint256)")(to, c.value),
          expected,
        );
      }
      return settle(run, () => tenge.connect(from).transfer(to, c.value), expected);
    }
    case "approve": {
      const owner = s(c.owner);
      const spender = s(c.spender).address;
      await settle(
        run,
        () => tenge.connect(owner).approve(spender, c.value),
        model.tryApprove(owner.address, spender, c.value),
      );
      expect(await tenge.allowance(owner, spender)).to.equal(model.allowance(owner.address, spender));
      return;
    }
    case "transferFrom": {
      const spender = s(c.spender);
      const from = s(c.from).address;
      if (c.approveFirst) {
        // the owner approves exactly the value first, so that the allowance is then used up
        const owner = s(c.from);
        const approved = model.tryApprove(from, spender.address, c.value);
        await settle(run, () => tenge.connect(owner).approve(spender, c.value), approved);
      }
      const expected = model.tryTransferFrom(spender.address, from, r(c.to), c.value);
      await settle(run, () => tenge.connect(spender).transferFrom(from, r(c.to), c.value), expected);
      expect(await tenge.allowance(from, spender)).to.equal(model.allowance(from, spender.address));
      return;
    }
    case "mint": {
      const caller = signer[MINTERS[c.caller]];
      const expected = model.tryMint(caller.address, [r(c.to)], [c.value], false);
      return settle(run, () => tenge.connect(caller).mint(r(c.to), c.value), expected);
    }
    case "mintBatch": {
      const caller = signer[MINTERS[c.caller]];
      const to = c.to.map(r);
      const expected = model.tryMint(caller.address, to, c.values, true);
      return settle(run, () => tenge.connect(caller).mintBatch(to, c.values), expected);
    }
    case "redeem": {
      const holder = s(c.holder);
      return settle(
        run,
        () => tenge.connect(holder).redeem(c.value, id("suite")),
        model.tryRedeem(holder.address, c.value),
      );
    }
    case "freeze": {
      const caller = c.caller === 0 ? signer.compliance : signer.alice;
      const account = r(c.account);
      const expected = model.tryFreeze(caller.address, account, c.freeze, run.roleIds.compliance);
      const reason = id("suite");
      return settle(
        run,
        () =>
          c.freeze ? tenge.connect(caller).freeze(account, reason) : tenge.connect(caller).unfreeze(account, reason),
        expected,
      );
    }
    case "pause": {
      const caller = c.caller === 0 ? signer.pauser : signer.bob;
      const expected = model.tryPause(caller.address, c.pause, run.roleIds.pauser);
      return settle(run, () => (c.pause ? tenge.connect(caller).pause() : tenge.connect(caller).unpause()), expected);
    }
    case "invoice": {
      const issuer = s(c.issuer);
      const ref = id(`suite invoice ${run.invoices.length}`);
      const issued = model.tryIssueInvoice(issuer.address, ref, c.gross);
      await settle(run, () => tenge.connect(issuer).issueInvoice(ref, c.gross, false, 0, ethers.ZeroAddress), issued);
      if (issued !== undefined) return;
      run.invoices.push(ref);
      const payer = s(c.payer);
      return settle(
        run,
        () => tenge.connect(payer).payInvoice(users.merchant, ref),
        model.tryPayInvoice(payer.address, ref),
      );
    }
    case "payAgain": {
      if (run.invoices.length === 0) return;
      const ref = run.invoices[c.invoice % run.invoices.length];
      const payer = s(c.payer);
      return settle(
        run,
        () => tenge.connect(payer).payInvoice(users.merchant, ref),
        model.tryPayInvoice(payer.address, ref),
      );
    }
    case "wrap": {
      const holder = s(c.holder);
      const expected = model.tryWrap(holder.address, c.value);
      return settle(
        run,
        () => tenge.connect(holder).getFunction("transferAndCall(address,uint256)")(coin, c.value),
        expected,
      );
    }
    case "unwrap": {
      const holder = s(c.holder);
      return settle(
        run,
        () => coin.connect(holder).withdraw(c.value, holder),
        model.tryUnwrap(holder.address, c.value),
      );
    }
    case "kzts": {
      const from = s(c.from);
      return settle(
        run,
        () => coin.connect(from).transfer(r(c.to), c.value),
        model.tryKztsTransfer(from.address, r(c.to), c.value),
      );
    }
    case "goldBuy": {
      const buyer = s(c.buyer);
      const { cost, fee } = goldCost(c.mg, model.goldPrice);
      const order = encodeBuyOrder(c.mg, model.goldPrice, BigInt(await time.latest()) + 3_600n);
      const expected = model.tryGoldBuy(buyer.address, c.mg);
      return settle(
        run,
        () => tenge.connect(buyer).getFunction("transferAndCall(address,uint256,bytes)")(goldDesk, cost + fee, order),
        expected,
      );
    }
    case "gold": {
      const from = s(c.from);
      const to = s(c.to).address;
      return settle(run, () => gold.connect(from).transfer(to, c.mg), model.tryGoldTransfer(from.address, to, c.mg));
    }
    case "fund": {
      const caller = s(c.caller);
      const expected = model.tryProgramFund(caller.address, ctx.programId, c.value);
      const data = encodeFund(ctx.programId);
      return settle(
        run,
        () => tenge.connect(caller).getFunction("transferAndCall(address,uint256,bytes)")(programs, c.value, data),
        expected,
      );
    }
    case "spend": {
      const kid = c.kid === 0 ? kids.kid1 : kids.kid2;
      const expected = model.tryProgramSpend(ctx.programId, kid.address, c.value);
      return settle(run, () => programs.connect(kid).spend(ctx.programId, users.merchant, c.value), expected);
    }
    case "close": {
      const caller = s(c.caller);
      const expected = model.tryProgramClose(caller.address, ctx.programId, ctx.terms.expiry);
      return settle(run, () => programs.connect(caller).close(ctx.programId), expected);
    }
    case "offline": {
      const wallets = [payers.dave, payers.erin];
      const validBefore = BigInt(await time.latest()) + 86_400n;
      const items: OfflineItem[] = [];
      const signed: SignedOfflinePayment[] = [];
      for (const item of c.items) {
        const payer = wallets[item.payer];
        const next = run.nonces.get(payer.address) ?? 0n;
        // a reused nonce: the last one this payer signed (already settled, or earlier in this batch)
        const nonce = item.reuse && next > 0n ? next - 1n : next;
        if (nonce === next) run.nonces.set(payer.address, next + 1n);
        items.push({ payer: payer.address, nonce, amount: item.value });
        signed.push(
          await signOfflinePayment(payer, ctx.domain, {
            payee: users.merchant.address,
            amount: item.value,
            validAfter: 0n,
            validBefore,
            nonce,
            fromPurse: false,
          }),
        );
      }
      const outcome = model.trySettleOffline(items);
      const tx = () =>
        offline.connect(users.merchant).settleOfflinePayments(users.merchant, encodeOfflineBatch(signed));
      if (!Array.isArray(outcome)) return settle(run, tx, outcome);
      for (const o of outcome) STATS.record(`offline payment → ${o}`);
      const receipt = await (await tx()).wait();
      if (receipt === null) throw new Error("no receipt");
      const result = parseOfflineSettlement(receipt.logs, offline.interface);
      const got = items.map(() => "settled");
      for (const f of result.failed) got[f.index] = f.reason;
      expect(got, "offline outcomes").to.deep.equal(outcome);
      return;
    }
  }
}

/** The chain equals the model for every tracked account, and every contract's invariants hold. */
async function checkState(run: Run): Promise<void> {
  const { ctx, model, tracked } = run;
  const { tenge, coin, gold, programs } = ctx;
  const rows = await Promise.all(
    tracked.map(async (a) => {
      const [view, k, g] = await Promise.all([tenge.accountOf(a), coin.balanceOf(a), gold.balanceOf(a)]);
      return { a, view, k, g };
    }),
  );
  let tengeSum = 0n;
  let kztsSum = 0n;
  let goldSum = 0n;
  for (const { a, view, k, g } of rows) {
    expect(view.balance, `tenge balance of ${a}`).to.equal(model.tenge.get(a) ?? 0n);
    expect(view.frozen, `frozen ${a}`).to.equal(model.frozen.has(a));
    expect(k, `KZTS balance of ${a}`).to.equal(model.kzts.get(a) ?? 0n);
    expect(g, `gold balance of ${a}`).to.equal(model.gold.get(a) ?? 0n);
    tengeSum += view.balance;
    kztsSum += k;
    goldSum += g;
  }
  const [supply, paused, totals, merchantVat, ledger, banks, reserves, kztsSupply, goldSupply, backing, figures] =
    await Promise.all([
      tenge.totalSupply(),
      tenge.paused(),
      tenge.vatTotals(),
      tenge.vatPayerOf(model.at.merchant),
      tenge.balanceOf(await tenge.VAT_LEDGER()),
      Promise.all(model.at.banks.map((b) => tenge.bankOf(b))),
      coin.reserves(),
      coin.totalSupply(),
      gold.totalSupply(),
      gold.backing(),
      programs.figuresOf(ctx.programId),
    ]);
  // tenge
  expect(paused, "paused").to.equal(model.paused);
  expect(supply, "tenge supply").to.equal(model.supply);
  expect(supply, "Σ tenge balances + marked VAT == supply").to.equal(tengeSum + totals.markedTotal);
  const outstanding = banks.reduce((sum, b) => sum + b.outstanding, 0n);
  expect(outstanding, "Σ bank outstanding == supply").to.equal(supply);
  banks.forEach((b, i) => expect(b.outstanding, `outstanding ${i}`).to.equal(model.outstanding.get(model.at.banks[i])));
  // VAT
  expect(totals.markedTotal, "VAT ledger == model").to.equal(model.markedVat);
  expect(merchantVat.markedVat, "Σ marked VAT (one VAT payer) == ledger").to.equal(totals.markedTotal);
  expect(ledger, "balanceOf(VAT_LEDGER) == markedTotal").to.equal(totals.markedTotal);
  // stablecoin
  expect(kztsSupply, "KZTS supply").to.equal(model.kztsSupply);
  expect(kztsSum, "Σ KZTS balances == supply").to.equal(kztsSupply);
  expect(reserves.locked, "locked == tenge held").to.equal(model.tenge.get(model.at.coin));
  expect(reserves.locked >= reserves.supply, "locked >= supply").to.equal(true);
  // gold
  expect(goldSum, "Σ gold balances == supply").to.equal(goldSupply);
  expect(backing.inVaultFineWeightMg, "gold supply == Σ bar weights in vault").to.equal(goldSupply);
  // programs
  const p = model.program;
  expect([...figures], "program figures").to.deep.equal([
    p.budget,
    p.spent,
    p.returned,
    p.closed ? 0n : p.budget - p.spent,
  ]);
  await expectProgramsInvariant(programs, tenge, 0n);
}

/** The command that replays a failure: the seed, and fast-check's path to the shrunk counterexample. */
export function replayCommand(seed: number, path: string | undefined, runs: number): string {
  return `npm run fuzz -- --runs ${runs} --seed ${seed}${path ? ` --path ${path}` : ""}`;
}

describe("Whole suite stateful @property", function () {
  this.timeout(0);

  it("every command matches the reference model and every contract invariant holds after each one", async function () {
    console.log(`      seed ${SEED}, ${RUNS} runs of up to ${MAX_COMMANDS} commands${PATH ? `, path ${PATH}` : ""}`);
    const details = await fc.check(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: MAX_COMMANDS }), async (commands) => {
        const run = await setUp();
        await checkState(run);
        for (const [i, c] of commands.entries()) {
          try {
            currentKind = c.kind;
            await execute(run, c);
            await checkState(run);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(
              `command ${i} ${JSON.stringify(c, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))}: ${message}`,
            );
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, path: PATH, endOnFailure: PATH !== undefined },
    );
    STATS.print();
    if (details.failed) {
      const report = fc.defaultReportMessage(details) ?? "property failed";
      const cause =
        details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(
        `${report}\nError: ${cause}\nReplay: ${replayCommand(details.seed, details.counterexamplePath ?? undefined, RUNS)}`,
      );
    }
  });
});
