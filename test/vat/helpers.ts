import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { getTenge } from "../../scripts/lib/contracts";
import type { DigitalTenge } from "../../typechain-types";

/** Wallets beyond the node's signers that a test made hold tenge (e.g. generated keys); the invariants count them. */
export const extraWallets = new Set<string>();

/** What the VAT events of the chain's history add up to. */
export interface VatEventTotals {
  /** Σ InvoicePaid.vat − Σ InvoiceRefunded.vat (every invoice). */
  collected: bigint;
  /** Σ InvoicePaid.vat of input-VAT payments − Σ InvoiceRefunded.vat of those invoices. */
  offset: bigint;
  /** Σ VatPaidToBudget.amount. */
  paidToBudget: bigint;
  /** Σ InvoiceRefunded.vat of invoices paid from the payer's balance (their VAT left the marked total). */
  refunded: bigint;
}

/** Rebuilds the VAT totals from InvoicePaid, InvoiceRefunded and VatPaidToBudget events alone. */
export async function vatTotalsFromEvents(tenge: DigitalTenge): Promise<VatEventTotals> {
  const paid = await tenge.queryFilter(tenge.filters.InvoicePaid());
  const refunds = await tenge.queryFilter(tenge.filters.InvoiceRefunded());
  const budget = await tenge.queryFilter(tenge.filters.VatPaidToBudget());
  const inputVatInvoices = new Set<string>();
  const totals: VatEventTotals = { collected: 0n, offset: 0n, paidToBudget: 0n, refunded: 0n };
  for (const { args } of paid) {
    totals.collected += args.vat;
    if (args.withInputVat) {
      totals.offset += args.vat;
      inputVatInvoices.add(`${args.merchant}:${args.invoiceRef}`);
    }
  }
  for (const { args } of refunds) {
    totals.collected -= args.vat;
    if (inputVatInvoices.has(`${args.merchant}:${args.invoiceRef}`)) totals.offset -= args.vat;
    else totals.refunded += args.vat;
  }
  for (const { args } of budget) totals.paidToBudget += args.amount;
  return totals;
}

/**
 * The VAT invariants, read from the chain: Σ marked VAT of the known VAT payers == markedTotal ==
 * balanceOf(VAT_LEDGER); totalSupply == Σ balances of the known wallets + markedTotal; and the totals rebuilt from
 * events agree with vatTotals(), with markedTotal == collected − paidToBudget − offset.
 */
export async function checkVatInvariants(tenge: DigitalTenge): Promise<void> {
  const wallets = [...(await ethers.getSigners()).map((s) => s.address), ...extraWallets];
  const totals = await tenge.vatTotals();
  let marked = 0n;
  let balances = 0n;
  for (const wallet of wallets) {
    const [registered, , , markedVat] = await tenge.vatPayerOf(wallet);
    if (registered) marked += markedVat;
    balances += await tenge.balanceOf(wallet);
  }
  expect(marked, "Σ marked VAT of VAT payers == markedTotal").to.equal(totals.markedTotal);
  expect(await tenge.balanceOf(await tenge.VAT_LEDGER()), "balanceOf(VAT_LEDGER)").to.equal(totals.markedTotal);
  expect(await tenge.totalSupply(), "totalSupply == Σ balances + markedTotal").to.equal(balances + totals.markedTotal);
  const events = await vatTotalsFromEvents(tenge);
  expect(totals.paidToBudget, "paidToBudget from events").to.equal(events.paidToBudget);
  expect(totals.offset, "offset from events").to.equal(events.offset);
  expect(totals.refunded, "refunded from events").to.equal(events.refunded);
  expect(totals.collected, "collected from events").to.equal(events.collected);
  expect(totals.markedTotal, "markedTotal == collected − paidToBudget − offset").to.equal(
    events.collected - events.paidToBudget - events.offset,
  );
}

/** Registers the invariant check after every test of the enclosing describe. */
export function checkVatInvariantsAfterEach(): void {
  afterEach(async function () {
    if (this.currentTest?.state === "failed") return;
    if (!(await hre.deployments.getOrNull("DigitalTenge"))) return;
    await checkVatInvariants(await getTenge(hre));
  });
}
