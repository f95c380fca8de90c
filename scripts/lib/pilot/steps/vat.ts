import { AbiCoder, Signature, TypedDataEncoder, ZeroAddress, concat, keccak256 } from "ethers";
import type { Result } from "ethers";
import type { DigitalTenge } from "../../../../typechain-types";
import { formatTenge } from "../../amounts";
import { RECEIVE_WITH_AUTHORIZATION_TYPES, domainOf } from "../../eip712";
import type { Authorization } from "../../eip712";
import { VAT_CATEGORIES, taxpayerIdHash, vatReport } from "../../vat";
import type { VatCategoryName } from "../../vat";
import type { Participant, PilotContext } from "../context";
import { pilotNonce, pilotWallet } from "../context";
import type { PipelineJob, PipelineReceipt } from "../pipeline";
import type { InvariantCheck, InvariantResult, PilotStep, StateProbe } from "./types";
import { kzt } from "./types";

/** Gas limits with a margin: issuing ~59k, a signed payment ~94k (more for a shop's first), a refund, paying VAT. */
const ISSUE_GAS = 120_000n;
const PAY_GAS = 160_000n;
const REFUND_GAS = 200_000n;
const BUDGET_GAS = 150_000n;
const DAY = 86_400n;
const AREA = "DigitalTenge VAT";

/** The contract's number of a VAT category (ITengeVatBase.VatCategory). */
function category(name: VatCategoryName): number {
  return VAT_CATEGORIES.indexOf(name);
}

/** The shop that refunds part of a sale, and the one that pays its marked VAT to the budget (indexes in cast.shops). */
const REFUNDING_SHOP = 0;
const BUDGET_PAYING_SHOP = 3;

/** The tax authority's salt for taxpayer-id hashes: derived from the seed, so two nodes store the same hashes. */
export function taxpayerSalt(seed: string): string {
  return pilotNonce(seed, "vat taxpayer salt", 0);
}

/** Shop `s`'s 12-digit BIN, derived from the seed (never sent: only its salted hash goes on chain). */
export function shopBin(seed: string, s: number): string {
  return (BigInt(pilotNonce(seed, "vat bin", s)) % 10n ** 12n).toString().padStart(12, "0");
}

/** The default category the tax authority registers shop `s` with: the pharmacy sells medicines (reduced rate). */
export function shopDefaultCategory(s: number): VatCategoryName {
  return s === 1 ? "reduced" : "standard";
}

/**
 * Citizen `i`'s purchase at shop `s` (`k`-th customer of that shop): VAT included, 1,000.00–20,000.00 KZT with tiyn
 * (within every tier's daily limit and every citizen's issuance). The pharmacy invoices its default (reduced)
 * category, Kazpost every other postal service as exempt, the book shop every third order as a zero-rated export;
 * everything else is standard-rated.
 */
export function saleOf(i: number, s: number, k: number): { amount: bigint; category: VatCategoryName } {
  const amount = kzt("1000") + BigInt((i * 104_729 + 7_919) % 1_900_001);
  if (s === 1) return { amount, category: "default" };
  if (s === 2 && k % 2 === 0) return { amount, category: "exempt" };
  if (s === 4 && k % 3 === 0) return { amount, category: "zero" };
  return { amount, category: "standard" };
}

/** The invoice nonce an EIP-3009 authorization carries to pay it: keccak256(abi.encode(merchant, invoiceRef)). */
function invoiceNonceOf(merchant: string, ref: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [merchant, ref]));
}

/**
 * The EIP-712 digest of `auth` as a ReceiveWithAuthorization, built from the token's domain separator and type hash
 * (read once) instead of ethers' typed-data encoder (3 ms a signature); the first sale's digest is checked against
 * the encoder with the library's types at run time, so the signature is the one `signAuthorization` would make.
 */
function receiveDigest(domainSeparator: string, typeHash: string, auth: Authorization): string {
  const structHash = keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["bytes32", "address", "address", "uint256", "uint256", "uint256", "bytes32"],
      [typeHash, auth.from, auth.to, auth.value, auth.validAfter, auth.validBefore, auth.nonce],
    ),
  );
  return keccak256(concat(["0x1901", domainSeparator, structHash]));
}

/** The arguments of every `event` the token emitted in the receipts, decoded (only that event's logs are read). */
function tengeEvents(
  tenge: DigitalTenge,
  address: string,
  receipts: readonly PipelineReceipt[],
  event: "InvoicePaid" | "InvoiceRefunded",
): Result[] {
  const fragment = tenge.interface.getEvent(event);
  const out: Result[] = [];
  for (const r of receipts) {
    for (const log of r.logs) {
      if (log.topics[0] !== fragment.topicHash || log.address.toLowerCase() !== address.toLowerCase()) continue;
      out.push(tenge.interface.decodeEventLog(fragment, log.data, log.topics));
    }
  }
  return out;
}

/** One sale: who bought where, the invoice and the signed payment. */
interface Sale {
  citizen: Participant;
  shop: Participant;
  ref: string;
  auth: Authorization;
  sig: Signature;
}

/** What the step leaves for the invariants and the state probe. */
interface VatFacts {
  /** First block of the step (its events are this run's VAT). */
  fromBlock: number;
  budget: string;
}

const shopsSell: PilotStep = {
  name: "Shops sell with VAT: the tax authority registers them; citizens sign invoice payments; a refund; the report",
  async run(ctx) {
    const { tenge } = ctx.contracts;
    const { cast, options } = ctx;
    const provider = ctx.hre.ethers.provider;
    const tax = tenge.connect(cast.taxAuthority);
    const tengeAddress = await tenge.getAddress();
    const fromBlock = (await provider.getBlockNumber()) + 1;

    // 1. The rates in force are the deploy's (deploy/002_tenge_roles.ts): read them, do not set them.
    const rates = await tenge.vatRates();
    const pct = (bps: bigint): string => `${bps / 100n}.${(bps % 100n).toString().padStart(2, "0")}%`;

    // 2. The budget (treasury) wallet marked VAT is paid to: the deploy does not set one. The Treasury Committee's
    // wallet is onboarded as an institution (tier 3, outside tier limits, like the city) and named by the authority.
    let budget = await tenge.vatBudget();
    if (budget === ZeroAddress) {
      budget = pilotWallet(options.seed, "vat budget", 0).address;
      const bank = cast.banks[0];
      if (!(await tenge.accountOf(budget)).onboarded) {
        await ctx.send(tenge.connect(bank.signer).onboardBatch([budget], 3));
        await ctx.send(tenge.connect(cast.desk).setExempt(budget, true));
      }
      await ctx.send(tax.setVatBudget(budget));
    }
    ctx.wallets.add(budget);

    // 3. The tax authority registers the shops as VAT payers: only the salted hash of each BIN goes on chain.
    const salt = taxpayerSalt(options.seed);
    for (const [s, shop] of cast.shops.entries()) {
      if ((await tenge.vatPayerOf(shop.address)).registered) continue;
      const hash = taxpayerIdHash(shopBin(options.seed, s), salt);
      await ctx.send(tax.registerVatPayer(shop.address, hash, category(shopDefaultCategory(s))));
    }

    // 4. Every citizen buys at a shop: the shop issues the invoice, the citizen signs one ReceiveWithAuthorization
    // for its gross bound to the invoice by its nonce, and the shop's terminal submits it.
    const ref0 = pilotNonce(options.seed, "vat invoice", 0);
    const shop0 = cast.shops[0].address;
    if ((await tenge.invoiceNonce(shop0, ref0)) !== invoiceNonceOf(shop0, ref0)) {
      throw new Error("the token's invoiceNonce differs from the pilot's: rebuild the scripts");
    }
    const domain = await domainOf(tenge);
    const domainSeparator = await tenge.DOMAIN_SEPARATOR();
    const typeHash = await tenge.RECEIVE_WITH_AUTHORIZATION_TYPEHASH();
    const validBefore = (await ctx.now()) + DAY;
    const sales: Sale[] = [];
    const issueJobs: PipelineJob[] = [];
    const payJobs: PipelineJob[] = [];
    const signBar = ctx.progress("citizens sign at the till", cast.citizens.length);
    for (const [i, citizen] of cast.citizens.entries()) {
      const s = i % cast.shops.length;
      const shop = cast.shops[s];
      const { amount, category: cat } = saleOf(i, s, Math.floor(i / cast.shops.length));
      const ref = pilotNonce(options.seed, "vat invoice", i);
      issueJobs.push({
        sender: shop.wallet,
        to: tengeAddress,
        data: tenge.interface.encodeFunctionData("issueInvoice", [ref, amount, false, category(cat), citizen.address]),
        gasLimit: ISSUE_GAS,
      });
      // VAT included: the gross is the amount, whatever the category, so the citizen signs the shelf price.
      const auth: Authorization = {
        from: citizen.address,
        to: shop.address,
        value: amount,
        validAfter: 0n,
        validBefore,
        nonce: invoiceNonceOf(shop.address, ref),
      };
      const digest = receiveDigest(domainSeparator, typeHash, auth);
      if (i === 0 && digest !== TypedDataEncoder.hash(domain, RECEIVE_WITH_AUTHORIZATION_TYPES, auth)) {
        throw new Error("the pilot's ReceiveWithAuthorization digest differs from the typed-data encoder's");
      }
      const sig = citizen.wallet.signingKey.sign(digest);
      payJobs.push({
        sender: shop.wallet,
        to: tengeAddress,
        data: tenge.interface.encodeFunctionData("payInvoiceWithAuthorization", [
          shop.address,
          ref,
          citizen.address,
          amount,
          0n,
          validBefore,
          sig.v,
          sig.r,
          sig.s,
        ]),
        gasLimit: PAY_GAS,
      });
      sales.push({ citizen, shop, ref, auth, sig });
      signBar.increment();
    }
    signBar.stop();
    await ctx.sendMany("shops issue invoices", issueJobs);
    const paidReceipts = await ctx.sendMany("terminals submit signed payments", payJobs);
    const paid = tengeEvents(tenge, tengeAddress, paidReceipts, "InvoicePaid");
    if (paid.length !== sales.length)
      throw new Error(`${sales.length} payments sent, ${paid.length} InvoicePaid events`);
    const byCategory = new Map<string, number>();
    for (const [i] of cast.citizens.entries()) {
      const s = i % cast.shops.length;
      const { category: cat } = saleOf(i, s, Math.floor(i / cast.shops.length));
      const name = cat === "default" ? shopDefaultCategory(s) : cat;
      byCategory.set(name, (byCategory.get(name) ?? 0) + 1);
    }
    const gross = paid.reduce((sum, e) => sum + (e.gross as bigint), 0n);
    const vatPaid = paid.reduce((sum, e) => sum + (e.vat as bigint), 0n);

    // 5. The terminal submits a signed payment a second time: the authorization is spent.
    const replay = sales[cast.shops.length + REFUNDING_SHOP]; // the refunding shop's second customer
    const terminal = tenge.connect(replay.shop.wallet.connect(provider));
    await ctx.expectRefusal("a signed payment submitted twice", "SignedTransfersNonceUsed", () =>
      terminal.payInvoiceWithAuthorization.staticCall(
        replay.shop.address,
        replay.ref,
        replay.citizen.address,
        replay.auth.value,
        replay.auth.validAfter,
        replay.auth.validBefore,
        replay.sig.v,
        replay.sig.r,
        replay.sig.s,
      ),
    );

    // 6. A refund: the supermarket takes back a third of its first customer's purchase; both legs in proportion.
    const refunded = sales[REFUNDING_SHOP];
    const refundShop = refunded.shop;
    const refundGross = refunded.auth.value / 3n;
    const refundReceipts = await ctx.sendMany("refund", [
      {
        sender: refundShop.wallet,
        to: tengeAddress,
        data: tenge.interface.encodeFunctionData("refundInvoice", [refunded.ref, refundGross]),
        gasLimit: REFUND_GAS,
      },
    ]);
    const [refund] = tengeEvents(tenge, tengeAddress, refundReceipts, "InvoiceRefunded");
    if (!refund) throw new Error("the refund emitted no InvoiceRefunded event");
    const refundNet = refund.net as bigint;
    const refundVat = refund.vat as bigint;
    const left = refunded.auth.value - refundGross;
    await ctx.expectRefusal("a refund above what is left of the invoice", "VatRefundExceedsPaid", () =>
      tenge.connect(refundShop.wallet.connect(provider)).refundInvoice.staticCall(refunded.ref, left + 1n),
    );

    // 7. One shop pays its marked VAT to the budget (vat:pay-to-budget --amount all).
    const payer = cast.shops[BUDGET_PAYING_SHOP];
    const marked = (await tenge.vatPayerOf(payer.address)).markedVat;
    if (marked > 0n) {
      await ctx.sendMany("VAT to the budget", [
        {
          sender: payer.wallet,
          to: tengeAddress,
          data: tenge.interface.encodeFunctionData("payVatToBudget", [marked]),
          gasLimit: BUDGET_GAS,
        },
      ]);
    }

    // 8. The tax authority's reconciliation over this run's blocks (vat:report), checked against the chain.
    const report = await vatReport(tenge, ctx.hre, { fromBlock, period: "month" });
    const perShop = new Map<string, bigint>();
    for (const row of report.rows) {
      perShop.set(row.merchant, (perShop.get(row.merchant) ?? 0n) + row.vatCollected - row.vatRefunded);
    }
    let markedHeld = 0n;
    for (const shop of cast.shops) markedHeld += (await tenge.vatPayerOf(shop.address)).markedVat;
    const t = report.totals;
    const reconciled = t.collected - t.paidToBudget - t.offset === markedHeld && t.collected === vatPaid - refundVat;
    ctx.facts.set("vat", { fromBlock, budget } satisfies VatFacts);

    const rows: Record<string, string> = {
      "rates in force": `${pct(rates.standardBps)} standard, ${pct(rates.reducedBps)} reduced`,
      "VAT payers registered": `${cast.shops.length} shops (BINs hashed with the tax authority's salt)`,
      "budget wallet": budget,
      "invoices paid (one signature each)": `${paid.length}: ${[...byCategory.entries()].map(([k, v]) => `${v} ${k}`).join(", ")}`,
      "gross sales (KZT)": formatTenge(gross),
    };
    for (const shop of cast.shops)
      rows[`VAT collected: ${shop.name} (KZT)`] = formatTenge(perShop.get(shop.address) ?? 0n);
    Object.assign(rows, {
      "VAT collected, total (KZT)": formatTenge(t.collected),
      "refund (KZT)":
        `${formatTenge(refundGross)} of ${formatTenge(refunded.auth.value)} by ${refundShop.name} to ` +
        `${refunded.citizen.name} (net ${formatTenge(refundNet)} + VAT ${formatTenge(refundVat)})`,
      "paid to the budget (KZT)": `${formatTenge(t.paidToBudget)} by ${payer.name}`,
      "marked VAT held by the shops (KZT)": formatTenge(markedHeld),
      "report vs chain": reconciled
        ? "held: collected − paid to the budget == Σ marked VAT"
        : `MISMATCH: report ${formatTenge(t.collected - t.paidToBudget - t.offset)}, chain ${formatTenge(markedHeld)}`,
    });
    ctx.report("VAT", rows);
    return (
      `${cast.shops.length} VAT payers; ${paid.length} signed invoice payments, ${formatTenge(gross)} KZT gross, ` +
      `${formatTenge(t.collected)} KZT VAT net of a ${formatTenge(refundGross)} KZT refund; ` +
      `${formatTenge(t.paidToBudget)} KZT paid to the budget; report ${reconciled ? "reconciles" : "DOES NOT reconcile"}`
    );
  },
};

export const VAT_STEPS = { shopsSell };

/** Every wallet the tax authority registered (and any VAT payer's recovered wallet) since `from`, still registered. */
async function vatPayers(ctx: PilotContext, from: number): Promise<string[]> {
  const { tenge } = ctx.contracts;
  const candidates = new Set<string>(ctx.cast.shops.map((s) => s.address));
  for (const e of await ctx.events(tenge, tenge.filters.VatPayerRegistered(), from)) candidates.add(e.args.account);
  for (const e of await ctx.events(tenge, tenge.filters.WalletRecovered(), from)) candidates.add(e.args.replacement);
  const registered: string[] = [];
  for (const account of candidates) if ((await tenge.vatPayerOf(account)).registered) registered.push(account);
  return registered.sort();
}

/** The VAT side of the token, from the chain: marked VAT against the ledger, invoices, refunds, the report. */
export const vatInvariants: InvariantCheck = async (ctx) => {
  const { tenge } = ctx.contracts;
  const facts = ctx.facts.get("vat") as VatFacts | undefined;
  if (!facts) return [];
  const live = ctx.hre.network.live;
  const results: InvariantResult[] = [];

  // Σ marked VAT of every VAT payer == balanceOf(VAT_LEDGER) == markedTotal (every payer since genesis on a
  // development chain; this run's on a live one, where earlier payers may hold more).
  const ledger = await tenge.balanceOf(await tenge.VAT_LEDGER());
  const totals = await tenge.vatTotals();
  const payers = await vatPayers(ctx, live ? facts.fromBlock : 0);
  let markedSum = 0n;
  for (const p of payers) markedSum += (await tenge.vatPayerOf(p)).markedVat;
  let shopsMarked = 0n;
  for (const shop of ctx.cast.shops) shopsMarked += (await tenge.vatPayerOf(shop.address)).markedVat;
  results.push({
    area: AREA,
    name: "Σ marked VAT of VAT payers == VAT ledger balance == markedTotal",
    held: (live ? markedSum <= ledger : markedSum === ledger) && ledger === totals.markedTotal,
    detail:
      `${formatTenge(markedSum)} over ${payers.length} VAT payers (the shops ${formatTenge(shopsMarked)}), ` +
      `ledger ${formatTenge(ledger)}, markedTotal ${formatTenge(totals.markedTotal)} KZT`,
  });

  // Every invoice paid in this run: gross == net + VAT in its event, and the token's record says the same.
  const paid = await ctx.events(tenge, tenge.filters.InvoicePaid(), facts.fromBlock);
  let split = 0;
  let recorded = 0;
  const paidOf = new Map<string, { gross: bigint; vat: bigint }>();
  for (const e of paid) {
    const { merchant, invoiceRef, gross, net, vat } = e.args;
    if (gross === net + vat) split += 1;
    const inv = await tenge.invoiceOf(merchant, invoiceRef);
    if (inv.status === 2n && inv.gross === gross && inv.net === net && inv.vat === vat) recorded += 1;
    paidOf.set(`${merchant}|${invoiceRef}`, { gross, vat });
  }
  results.push({
    area: AREA,
    name: "each paid invoice: gross == net + VAT, as the invoice records",
    held: split === paid.length && recorded === paid.length && paid.length > 0,
    detail: `${split} of ${paid.length} split exactly, ${recorded} match their PAID record`,
  });

  // Refunds never exceed what was paid: Σ refunded gross ≤ paid gross, Σ refunded VAT ≤ paid VAT, per invoice.
  const refunds = await ctx.events(tenge, tenge.filters.InvoiceRefunded(), facts.fromBlock);
  const refundedOf = new Map<string, { merchant: string; ref: string; gross: bigint; vat: bigint }>();
  for (const e of refunds) {
    const key = `${e.args.merchant}|${e.args.invoiceRef}`;
    const r = refundedOf.get(key) ?? { merchant: e.args.merchant, ref: e.args.invoiceRef, gross: 0n, vat: 0n };
    r.gross += e.args.gross;
    r.vat += e.args.vat;
    refundedOf.set(key, r);
  }
  let within = 0;
  for (const [key, r] of refundedOf) {
    const inv = await tenge.invoiceOf(r.merchant, r.ref);
    const p = paidOf.get(key) ?? { gross: inv.gross, vat: inv.vat };
    if (r.gross <= p.gross && r.vat <= p.vat && inv.refundedGross === r.gross) within += 1;
  }
  results.push({
    area: AREA,
    name: "refunds never exceed what was paid (gross and VAT, per invoice)",
    held: within === refundedOf.size,
    detail: `${within} of ${refundedOf.size} refunded invoices within their payment (${refunds.length} refunds)`,
  });

  // The tax authority's report over this run equals the chain: its VAT − paid to the budget − offset is the
  // shops' marked VAT; over the whole history (development chains) its totals equal vatTotals().
  const report = await vatReport(tenge, ctx.hre, { fromBlock: facts.fromBlock });
  const t = report.totals;
  const net = t.collected - t.paidToBudget - t.offset;
  results.push({
    area: AREA,
    name: "the reconciliation report's VAT (this run) == Σ the shops' marked VAT + paid to the budget",
    held: net === shopsMarked,
    detail: `report ${formatTenge(t.collected)} collected − ${formatTenge(t.paidToBudget)} paid = ${formatTenge(net)}, shops hold ${formatTenge(shopsMarked)} KZT`,
  });
  if (!live) {
    const whole = await vatReport(tenge, ctx.hre);
    results.push({
      area: AREA,
      name: "the reconciliation report over the whole history == vatTotals()",
      held: whole.check?.held === true,
      detail: whole.check?.lines.join("; ") ?? "no check",
    });
  }
  return results;
};

/** The VAT part of the final state: the ledger, each shop's marked VAT, the invoices paid in this run, the budget. */
export const vatState: StateProbe = async (ctx) => {
  const { tenge } = ctx.contracts;
  const facts = ctx.facts.get("vat") as VatFacts | undefined;
  if (!facts) return {};
  const state: Record<string, string> = {
    "vat.ledger": (await tenge.balanceOf(await tenge.VAT_LEDGER())).toString(),
    "vat.paidInvoices": String((await ctx.events(tenge, tenge.filters.InvoicePaid(), facts.fromBlock)).length),
    "vat.budgetBalance": (await tenge.balanceOf(facts.budget)).toString(),
  };
  for (const shop of ctx.cast.shops) {
    state[`vat.marked.${shop.name}`] = (await tenge.vatPayerOf(shop.address)).markedVat.toString();
  }
  return state;
};
