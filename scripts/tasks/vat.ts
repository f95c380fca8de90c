import { writeFileSync } from "node:fs";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DigitalTenge } from "../../typechain-types";
import { kztText, parseTenge } from "../lib/amounts";
import { cliAction } from "../lib/cli";
import { getTenge } from "../lib/contracts";
import { requireNotPaused, requireOnboarded } from "../lib/preflight";
import { resolveSigner } from "../lib/signers";
import { confirmationsFor, dryRunLine, execute, txLine, type Sendable } from "../lib/tx";
import { parseAddress } from "../lib/validate";
import {
  INVOICE_STATUSES,
  VAT_CATEGORIES,
  invoiceRefOf,
  parseCategory,
  parseEffectiveFrom,
  parseRatePercent,
  taxpayerIdHash,
  vatReport,
  vatReportCsv,
  vatReportTable,
} from "../lib/vat";

const DRY_RUN = "Validate and simulate only; send nothing";
const FROM_TAX = "Signer with TAX_AUTHORITY_ROLE";

/** The deployed token; on the in-process hardhat network a fresh deployment is made for this command. */
async function loadTenge(hre: HardhatRuntimeEnvironment): Promise<DigitalTenge> {
  if (hre.network.name === "hardhat" && !(await hre.deployments.getOrNull("DigitalTenge"))) {
    await hre.deployments.fixture(["tenge"], { keepExistingDeployments: true });
    console.log("(in-process hardhat network: deployed a fresh DigitalTenge for this command only)");
  }
  return getTenge(hre);
}

interface Actor {
  tenge: DigitalTenge;
  address: string;
  label: string;
  confirmations: number;
  dryRun: boolean;
}

async function actAs(hre: HardhatRuntimeEnvironment, from: string, dryRun: boolean): Promise<Actor> {
  const who = await resolveSigner(hre, from);
  return {
    tenge: (await loadTenge(hre)).connect(who.signer),
    address: who.address,
    label: `--from ${who.label}`,
    confirmations: confirmationsFor(hre),
    dryRun,
  };
}

async function send<A extends unknown[]>(
  actor: Actor,
  method: Sendable<A>,
  args: A,
  what: string,
  result: () => Promise<string>,
): Promise<void> {
  const outcome = await execute(method, args, {
    iface: actor.tenge.interface,
    what,
    confirmations: actor.confirmations,
    dryRun: actor.dryRun,
  });
  console.log(outcome.sent ? txLine(what, outcome.receipt, await result()) : dryRunLine(what, outcome.gasEstimate));
}

async function requireTaxAuthority(actor: Actor): Promise<void> {
  const role = await actor.tenge.TAX_AUTHORITY_ROLE();
  if (!(await actor.tenge.hasRole(role, actor.address))) {
    throw new Error(`${actor.label} (${actor.address}) does not hold TAX_AUTHORITY_ROLE`);
  }
}

async function vatPayerLine(tenge: DigitalTenge, account: string): Promise<string> {
  const [registered, hash, category, marked] = await tenge.vatPayerOf(account);
  if (!registered) return `${account}: not a VAT payer`;
  return `${account}: VAT payer ${hash.slice(0, 10)}…, default ${VAT_CATEGORIES[Number(category)]}, marked VAT ${kztText(marked)}`;
}

function bps(rate: bigint): string {
  return `${Number(rate) / 100} %`;
}

async function invoiceLine(tenge: DigitalTenge, merchant: string, ref: string): Promise<string> {
  const inv = await tenge.invoiceOf(merchant, ref);
  if (inv.status === 0n) return `no invoice ${ref} of ${merchant}`;
  const who = inv.payer === "0x0000000000000000000000000000000000000000" ? "anyone" : inv.payer;
  return (
    `invoice ${ref} of ${merchant}: ${INVOICE_STATUSES[Number(inv.status)]}, ${VAT_CATEGORIES[Number(inv.category)]}` +
    `${inv.exclusive ? " (VAT on top)" : " (VAT included)"}, payer ${who}, gross ${kztText(inv.gross)} = net ` +
    `${kztText(inv.net)} + VAT ${kztText(inv.vat)} at ${bps(inv.rateBps)}` +
    (inv.status === 2n
      ? `, refunded ${kztText(inv.refundedGross)}${inv.paidWithInputVat ? ", paid with input VAT" : ""}`
      : "")
  );
}

interface Base {
  from: string;
  dryRun: boolean;
}

/* TAX AUTHORITY */

task("vat:register", "Tax authority: register a wallet as a VAT payer (the taxpayer id is hashed locally with a salt)")
  .addParam("account", "The business's wallet")
  .addParam("taxpayerId", "12-digit BIN/IIN; hashed here, never sent")
  .addOptionalParam("salt", "Secret salt (default: the VAT_TAXPAYER_SALT environment variable)")
  .addOptionalParam("category", "Default category: standard, reduced or zero", "standard")
  .addOptionalParam("from", FROM_TAX, "taxAuthority")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "vat:register",
      async (args: Base & { account: string; taxpayerId: string; salt?: string; category: string }, hre) => {
        const account = parseAddress(args.account, "--account");
        const hash = taxpayerIdHash(args.taxpayerId, args.salt ?? process.env.VAT_TAXPAYER_SALT ?? "");
        const category = parseCategory(args.category, ["standard", "reduced", "zero"]);
        const actor = await actAs(hre, args.from, args.dryRun);
        await requireTaxAuthority(actor);
        await requireOnboarded(actor.tenge, account, "--account");
        if ((await actor.tenge.vatPayerOf(account)).registered)
          throw new Error(`--account ${account} is already a VAT payer`);
        await send(actor, actor.tenge.registerVatPayer, [account, hash, category], `vat:register ${account}`, () =>
          vatPayerLine(actor.tenge, account),
        );
      },
    ),
  );

task("vat:update", "Tax authority: change a VAT payer's default category")
  .addParam("account", "The VAT payer")
  .addParam("category", "standard, reduced or zero")
  .addOptionalParam("from", FROM_TAX, "taxAuthority")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:update", async (args: Base & { account: string; category: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const category = parseCategory(args.category, ["standard", "reduced", "zero"]);
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireTaxAuthority(actor);
      if (!(await actor.tenge.vatPayerOf(account)).registered)
        throw new Error(`--account ${account} is not a VAT payer`);
      await send(actor, actor.tenge.updateVatPayer, [account, category], `vat:update ${account} ${args.category}`, () =>
        vatPayerLine(actor.tenge, account),
      );
    }),
  );

task("vat:deregister", "Tax authority: deregister a VAT payer whose marked VAT is zero")
  .addParam("account", "The VAT payer")
  .addOptionalParam("from", FROM_TAX, "taxAuthority")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:deregister", async (args: Base & { account: string }, hre) => {
      const account = parseAddress(args.account, "--account");
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireTaxAuthority(actor);
      const [registered, , , marked] = await actor.tenge.vatPayerOf(account);
      if (!registered) throw new Error(`--account ${account} is not a VAT payer`);
      if (marked !== 0n)
        throw new Error(
          `--account ${account} still holds ${kztText(marked)} of marked VAT; it must pay it to the budget first`,
        );
      await send(actor, actor.tenge.deregisterVatPayer, [account], `vat:deregister ${account}`, () =>
        vatPayerLine(actor.tenge, account),
      );
    }),
  );

task("vat:set-rates", "Tax authority: schedule VAT rates (percent, up to 2 decimals) from a moment")
  .addParam("standard", "Standard rate in percent, e.g. 16")
  .addParam("reduced", "Reduced rate in percent, e.g. 10")
  .addOptionalParam(
    "from",
    "Effective from: now, unix seconds or ISO 8601 with offset, e.g. 2027-01-01T00:00:00+05:00",
    "now",
  )
  .addOptionalParam("signer", FROM_TAX, "taxAuthority")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:set-rates", async (args: Base & { standard: string; reduced: string; signer: string }, hre) => {
      const standard = parseRatePercent(args.standard, "--standard");
      const reduced = parseRatePercent(args.reduced, "--reduced");
      const effective = parseEffectiveFrom(args.from, "--from");
      const actor = await actAs(hre, args.signer, args.dryRun);
      await requireTaxAuthority(actor);
      await send(
        actor,
        actor.tenge.scheduleVatRates,
        [standard, reduced, effective],
        `vat:set-rates ${standard} / ${reduced} bps from ${effective === 0n ? "now" : new Date(Number(effective) * 1000).toISOString()}`,
        async () => {
          const r = await actor.tenge.vatRates();
          const next =
            r.nextEffectiveFrom === 0n
              ? "none scheduled"
              : `${bps(r.nextStandardBps)} / ${bps(r.nextReducedBps)} from ${new Date(Number(r.nextEffectiveFrom) * 1000).toISOString()}`;
          return `in force ${bps(r.standardBps)} / ${bps(r.reducedBps)}; next ${next}`;
        },
      );
    }),
  );

task("vat:set-budget", "Tax authority: set the budget (treasury) wallet marked VAT is paid to")
  .addParam("budget", "The budget's onboarded wallet")
  .addOptionalParam("from", FROM_TAX, "taxAuthority")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:set-budget", async (args: Base & { budget: string }, hre) => {
      const budget = parseAddress(args.budget, "--budget");
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireTaxAuthority(actor);
      await requireOnboarded(actor.tenge, budget, "--budget");
      await send(
        actor,
        actor.tenge.setVatBudget,
        [budget],
        `vat:set-budget ${budget}`,
        async () => `budget ${await actor.tenge.vatBudget()}`,
      );
    }),
  );

/* MERCHANTS AND PAYERS */

task("vat:issue", "Merchant: issue an invoice (VAT included by default; --exclusive for net + VAT on top)")
  .addParam("ref", "Invoice number (hashed) or a 0x 32-byte reference")
  .addParam("amount", "Tenge, exact decimal: the gross, or the net with --exclusive")
  .addFlag("exclusive", "The amount is net; VAT comes on top (B2B)")
  .addOptionalParam("category", "standard, reduced, zero, exempt or default", "default")
  .addOptionalParam("payer", "Only this wallet may pay (default: anyone)")
  .addParam("from", "The merchant")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction(
      "vat:issue",
      async (
        args: Base & { ref: string; amount: string; exclusive: boolean; category: string; payer?: string },
        hre,
      ) => {
        const ref = invoiceRefOf(args.ref);
        const amount = parseTenge(args.amount, { label: "--amount" });
        const category = parseCategory(args.category, VAT_CATEGORIES);
        const payer =
          args.payer === undefined ? "0x0000000000000000000000000000000000000000" : parseAddress(args.payer, "--payer");
        const actor = await actAs(hre, args.from, args.dryRun);
        await requireOnboarded(actor.tenge, actor.address, actor.label);
        if (category !== 3 && !(await actor.tenge.vatPayerOf(actor.address)).registered) {
          throw new Error(`${actor.label} is not a VAT payer: it may only issue --category exempt invoices`);
        }
        if ((await actor.tenge.invoiceOf(actor.address, ref)).status !== 0n) {
          throw new Error(`--ref ${args.ref}: ${actor.label} already has an invoice with this reference`);
        }
        await send(
          actor,
          actor.tenge.issueInvoice,
          [ref, amount, args.exclusive, category, payer],
          `vat:issue ${args.ref}`,
          () => invoiceLine(actor.tenge, actor.address, ref),
        );
      },
    ),
  );

task("vat:pay", "Payer: pay an invoice (shows gross, net and VAT first); --input-vat pays the VAT from marked VAT")
  .addParam("merchant", "The invoice's merchant")
  .addParam("ref", "Invoice number or 0x reference")
  .addFlag("inputVat", "VAT payers: pay the VAT leg with input VAT (own marked VAT)")
  .addParam("from", "The payer")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:pay", async (args: Base & { merchant: string; ref: string; inputVat: boolean }, hre) => {
      const merchant = parseAddress(args.merchant, "--merchant");
      const ref = invoiceRefOf(args.ref);
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireNotPaused(actor.tenge, "pay an invoice");
      const inv = await actor.tenge.invoiceOf(merchant, ref);
      if (inv.status !== 1n)
        throw new Error(`--ref ${args.ref}: invoice is ${INVOICE_STATUSES[Number(inv.status)]}, not issued`);
      console.log(await invoiceLine(actor.tenge, merchant, ref));
      const method = args.inputVat ? actor.tenge.payInvoiceWithInputVat : actor.tenge.payInvoice;
      await send(
        actor,
        method,
        [merchant, ref],
        `vat:pay ${args.ref} gross ${kztText(inv.gross)} (net ${kztText(inv.net)}, VAT ${kztText(inv.vat)})`,
        () => invoiceLine(actor.tenge, merchant, ref),
      );
    }),
  );

task("vat:refund", "Merchant: refund (part of) a paid invoice; both legs reversed in proportion")
  .addParam("ref", "Invoice number or 0x reference")
  .addParam("amount", "Gross to refund, tenge")
  .addParam("from", "The merchant")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:refund", async (args: Base & { ref: string; amount: string }, hre) => {
      const ref = invoiceRefOf(args.ref);
      const amount = parseTenge(args.amount, { label: "--amount" });
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireNotPaused(actor.tenge, "refund");
      const inv = await actor.tenge.invoiceOf(actor.address, ref);
      if (inv.status !== 2n)
        throw new Error(`--ref ${args.ref}: invoice is ${INVOICE_STATUSES[Number(inv.status)]}, not paid`);
      if (inv.refundedGross + amount > inv.gross) {
        throw new Error(
          `--amount ${kztText(amount)}: only ${kztText(inv.gross - inv.refundedGross)} of ${kztText(inv.gross)} is left to refund`,
        );
      }
      await send(actor, actor.tenge.refundInvoice, [ref, amount], `vat:refund ${args.ref} ${kztText(amount)}`, () =>
        invoiceLine(actor.tenge, actor.address, ref),
      );
    }),
  );

task("vat:pay-to-budget", "VAT payer: pay marked VAT to the budget")
  .addParam("amount", "Tenge, or 'all' for the whole marked VAT")
  .addParam("from", "The VAT payer")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("vat:pay-to-budget", async (args: Base & { amount: string }, hre) => {
      const actor = await actAs(hre, args.from, args.dryRun);
      const [registered, , , marked] = await actor.tenge.vatPayerOf(actor.address);
      if (!registered) throw new Error(`${actor.label} is not a VAT payer`);
      const amount = args.amount === "all" ? marked : parseTenge(args.amount, { label: "--amount" });
      if (amount === 0n) throw new Error(`${actor.label} holds no marked VAT`);
      if (amount > marked)
        throw new Error(`--amount ${kztText(amount)} is above the marked VAT held, ${kztText(marked)}`);
      if ((await actor.tenge.vatBudget()) === "0x0000000000000000000000000000000000000000") {
        throw new Error("the tax authority has not set the budget wallet yet (vat:set-budget)");
      }
      await send(actor, actor.tenge.payVatToBudget, [amount], `vat:pay-to-budget ${kztText(amount)}`, () =>
        vatPayerLine(actor.tenge, actor.address),
      );
    }),
  );

/* VIEWS */

task("vat:invoice", "Show an invoice with its amounts (as they would be paid now, or as paid)")
  .addParam("merchant", "The merchant")
  .addParam("ref", "Invoice number or 0x reference")
  .setAction(
    cliAction("vat:invoice", async (args: { merchant: string; ref: string }, hre) => {
      const merchant = parseAddress(args.merchant, "--merchant");
      console.log(await invoiceLine(await loadTenge(hre), merchant, invoiceRefOf(args.ref)));
    }),
  );

task("vat:report", "Tax authority: VAT collected per merchant and period (Almaty time), rebuilt from events")
  .addOptionalParam("fromBlock", "First block (default 0)")
  .addOptionalParam("toBlock", "Last block (default latest)")
  .addOptionalParam("period", "day or month", "month")
  .addOptionalParam("csv", "Also write the report to this CSV file")
  .setAction(
    cliAction(
      "vat:report",
      async (args: { fromBlock?: string; toBlock?: string; period: string; csv?: string }, hre) => {
        const block = (text: string | undefined, label: string): number | undefined => {
          if (text === undefined) return undefined;
          if (!/^\d+$/.test(text)) throw new Error(`${label} "${text}" must be a block number`);
          return Number(text);
        };
        if (args.period !== "day" && args.period !== "month")
          throw new Error(`--period "${args.period}" must be day or month`);
        const tenge = await loadTenge(hre);
        const report = await vatReport(tenge, hre, {
          fromBlock: block(args.fromBlock, "--from-block"),
          toBlock: block(args.toBlock, "--to-block"),
          period: args.period,
        });
        console.log(
          `VAT reconciliation, blocks ${report.fromBlock}-${report.toBlock}, by ${args.period} (Almaty time)`,
        );
        console.log(report.rows.length === 0 ? "(no VAT events in range)" : vatReportTable(report));
        const t = report.totals;
        console.log(
          `totals: collected ${kztText(t.collected)} (net of refunds), paid to the budget ${kztText(t.paidToBudget)}, offset ${kztText(t.offset)}`,
        );
        if (args.csv !== undefined) {
          writeFileSync(args.csv, vatReportCsv(report));
          console.log(`wrote ${report.rows.length} rows to ${args.csv}`);
        }
        if (report.check) {
          for (const line of report.check.lines) console.log(`  ${line}`);
          console.log(
            `invariant markedTotal == collected − paidToBudget − offset: ${report.check.held ? "held" : "BROKEN"}`,
          );
        } else {
          console.log("invariant check: only over the whole history (no --from-block / --to-block)");
        }
      },
    ),
  );
