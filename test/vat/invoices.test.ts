import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, ZeroHash } from "ethers";
import { kzt } from "../fixtures/tenge.fixture";
import { Category, JAN_2027, Status, invoiceRef, vatFixture } from "../fixtures/vat.fixture";
import { checkVatInvariantsAfterEach } from "./helpers";

const REF = invoiceRef("INV-1");
const GROSS = kzt("1160"); // 1,000.00 net + 160.00 VAT at 16 %
const NET = kzt("1000");
const VAT = kzt("160");

/** The VAT fixture with one VAT-inclusive STANDARD invoice of 1,160.00 KZT issued by the merchant, payable by anyone. */
async function issuedFixture() {
  const f = await loadFixture(vatFixture);
  await (
    await f.tenge.connect(f.users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress)
  ).wait();
  return f;
}

/** {@link issuedFixture} with the invoice paid by alice. */
async function paidFixture() {
  const f = await loadFixture(issuedFixture);
  await (await f.tenge.connect(f.users.alice).payInvoice(f.users.merchant, REF)).wait();
  return f;
}

describe("VAT invoices", function () {
  checkVatInvariantsAfterEach();

  describe("issueInvoice", function () {
    it("records an ISSUED invoice and emits InvoiceIssued", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, users.alice))
        .to.emit(tenge, "InvoiceIssued")
        .withArgs(users.merchant.address, REF, users.alice.address, GROSS, false, Category.STANDARD);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.status, inv.category, inv.exclusive, inv.amount, inv.payer]).to.deep.equal([
        BigInt(Status.ISSUED),
        BigInt(Category.STANDARD),
        false,
        GROSS,
        users.alice.address,
      ]);
    });

    it("shows the amounts an ISSUED invoice would be paid with now", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.gross, inv.net, inv.vat, inv.rateBps, inv.refundedGross]).to.deep.equal([GROSS, NET, VAT, 1600n, 0n]);
    });

    it("shows an unknown invoice as NONE with zero amounts", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.status, inv.amount, inv.gross]).to.deep.equal([BigInt(Status.NONE), 0n, 0n]);
    });

    it("DEFAULT takes the merchant's registered default category", async function () {
      const { tenge, users, tax } = await loadFixture(vatFixture);
      await tenge.connect(tax).updateVatPayer(users.merchant, Category.REDUCED);
      await expect(tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.DEFAULT, ZeroAddress))
        .to.emit(tenge, "InvoiceIssued")
        .withArgs(users.merchant.address, REF, ZeroAddress, GROSS, false, Category.REDUCED);
    });

    it("reverts VatEmptyValue for a zero reference", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(
        tenge.connect(users.merchant).issueInvoice(ZeroHash, GROSS, false, Category.STANDARD, ZeroAddress),
      ).to.be.revertedWithCustomError(tenge, "VatEmptyValue");
    });

    it("reverts DigitalTengeInvalidAmount for a zero amount", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.merchant).issueInvoice(REF, 0n, false, Category.STANDARD, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts DigitalTengeInvalidAmount above MAX_SUPPLY", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      const tooMuch = 2n ** 64n;
      await expect(tenge.connect(users.merchant).issueInvoice(REF, tooMuch, false, Category.STANDARD, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(tooMuch);
    });

    it("reverts VatInvoiceExists for a reference already used by the merchant", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await expect(tenge.connect(users.merchant).issueInvoice(REF, GROSS, true, Category.ZERO, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceExists")
        .withArgs(users.merchant.address, REF);
    });

    it("reverts VatInvoiceExists for the reference of a cancelled invoice (references are never reused)", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await tenge.connect(users.merchant).cancelInvoice(REF);
      await expect(tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceExists")
        .withArgs(users.merchant.address, REF);
    });

    it("lets another merchant use the same reference (references are per merchant)", async function () {
      const { tenge, vat } = await loadFixture(issuedFixture);
      await expect(tenge.connect(vat.supplier).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress)).to.emit(
        tenge,
        "InvoiceIssued",
      );
    });

    for (const category of [Category.STANDARD, Category.REDUCED, Category.ZERO, Category.DEFAULT]) {
      it(`reverts VatNotRegistered when an unregistered merchant issues category ${category}`, async function () {
        const { tenge, vat } = await loadFixture(vatFixture);
        await expect(tenge.connect(vat.shop).issueInvoice(REF, GROSS, false, category, ZeroAddress))
          .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
          .withArgs(vat.shop.address);
      });
    }

    it("lets an unregistered merchant issue an EXEMPT invoice", async function () {
      const { tenge, vat } = await loadFixture(vatFixture);
      await expect(tenge.connect(vat.shop).issueInvoice(REF, GROSS, false, Category.EXEMPT, ZeroAddress))
        .to.emit(tenge, "InvoiceIssued")
        .withArgs(vat.shop.address, REF, ZeroAddress, GROSS, false, Category.EXEMPT);
    });

    it("reverts DigitalTengeNotOnboarded for a caller that is not onboarded", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.outsider).issueInvoice(REF, GROSS, false, Category.EXEMPT, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts DigitalTengeAccountFrozen for a frozen merchant", async function () {
      const { tenge, roles, users } = await loadFixture(vatFixture);
      await tenge.connect(roles.compliance).freeze(users.merchant, ZeroHash);
      await expect(tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.merchant.address);
    });
  });

  describe("cancelInvoice", function () {
    it("marks the invoice CANCELLED and emits InvoiceCancelled", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await expect(tenge.connect(users.merchant).cancelInvoice(REF))
        .to.emit(tenge, "InvoiceCancelled")
        .withArgs(users.merchant.address, REF);
      expect((await tenge.invoiceOf(users.merchant, REF)).status).to.equal(Status.CANCELLED);
    });

    it("makes the invoice unpayable: VatInvoiceStatus(merchant, ref, CANCELLED)", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await tenge.connect(users.merchant).cancelInvoice(REF);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.CANCELLED);
    });

    it("reverts VatInvoiceStatus(…, CANCELLED) when cancelled twice", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await tenge.connect(users.merchant).cancelInvoice(REF);
      await expect(tenge.connect(users.merchant).cancelInvoice(REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.CANCELLED);
    });

    it("reverts VatInvoiceStatus(…, PAID) for a paid invoice", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.merchant).cancelInvoice(REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.PAID);
    });

    it("only the merchant can cancel: anyone else finds no such invoice of theirs (NONE)", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await expect(tenge.connect(users.alice).cancelInvoice(REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.alice.address, REF, Status.NONE);
    });
  });

  describe("payInvoice, VAT-inclusive (retail)", function () {
    it("moves gross from the payer, net to the merchant's balance and VAT to VAT_LEDGER", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      const ledger = await tenge.VAT_LEDGER();
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF)).to.changeTokenBalances(
        tenge,
        [users.alice, users.merchant, ledger],
        [-GROSS, NET, VAT],
      );
    });

    it("credits the VAT to the merchant's marked VAT", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(VAT);
    });

    it("emits the receipt InvoicePaid(merchant, payer, ref, gross, net, vat, rate, false)", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, NET, VAT, 1600n, false);
    });

    it("emits Transfer(payer, merchant, net) and Transfer(payer, VAT_LEDGER, vat)", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      const tx = tenge.connect(users.alice).payInvoice(users.merchant, REF);
      await expect(tx).to.emit(tenge, "Transfer").withArgs(users.alice.address, users.merchant.address, NET);
      await expect(tx)
        .to.emit(tenge, "Transfer")
        .withArgs(users.alice.address, await tenge.VAT_LEDGER(), VAT);
    });

    it("records the invoice as PAID with the actual payer and the rate at settlement", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.status, inv.payer, inv.rateBps, inv.gross, inv.net, inv.vat, inv.paidWithInputVat]).to.deep.equal([
        BigInt(Status.PAID),
        users.alice.address,
        1600n,
        GROSS,
        NET,
        VAT,
        false,
      ]);
    });

    it("adds the VAT to vatTotals: markedTotal and collected", async function () {
      const { tenge } = await loadFixture(paidFixture);
      const t = await tenge.vatTotals();
      expect([t.markedTotal, t.collected, t.paidToBudget, t.offset, t.refunded]).to.deep.equal([VAT, VAT, 0n, 0n, 0n]);
    });

    it("rounds VAT half up to the tiyn: 1.00 KZT at 16 % is 0.14 VAT + 0.86 net", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, 100n, false, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, 100n, 86n, 14n, 1600n, false);
    });

    it("puts no VAT in 1 tiyn at 16 % (0.138 rounds to 0)", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, 1n, false, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, 1n, 1n, 0n, 1600n, false);
    });

    it("uses the reduced rate (5 % in 2026) for a REDUCED invoice", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, kzt("1050"), false, Category.REDUCED, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, kzt("1050"), kzt("1000"), kzt("50"), 500n, false);
    });

    it("pays a ZERO-rated invoice of a VAT payer with no VAT leg", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.ZERO, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, GROSS, 0n, 0n, false);
    });

    it("emits no Transfer to VAT_LEDGER when there is no VAT", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.ZERO, ZeroAddress);
      const receipt = await (await tenge.connect(users.alice).payInvoice(users.merchant, REF)).wait();
      const transfers = (receipt?.logs ?? [])
        .map((log) => tenge.interface.parseLog(log))
        .filter((parsed) => parsed?.name === "Transfer")
        .map((parsed) => parsed?.args.to as string);
      expect(transfers).to.deep.equal([users.merchant.address]);
    });
  });

  describe("payInvoice, net + VAT on top (B2B)", function () {
    it("charges net + VAT: 1,000.00 net at 16 % costs 1,160.00", async function () {
      const { tenge, users, vat } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, NET, true, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(vat.supplier).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, vat.supplier.address, REF, GROSS, NET, VAT, 1600n, false);
    });

    it("moves gross from the payer, the net amount to the merchant and VAT to VAT_LEDGER", async function () {
      const { tenge, users, vat } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, NET, true, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(vat.supplier).payInvoice(users.merchant, REF)).to.changeTokenBalances(
        tenge,
        [vat.supplier, users.merchant, await tenge.VAT_LEDGER()],
        [-GROSS, NET, VAT],
      );
    });

    it("rounds an exact half tiyn up: 0.10 net at 5 % carries 0.01 VAT (0.005 → 0.01)", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, 10n, true, Category.REDUCED, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, 11n, 10n, 1n, 500n, false);
    });

    it("shows the exclusive invoice's gross in invoiceOf before payment", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, NET, true, Category.STANDARD, ZeroAddress);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.exclusive, inv.amount, inv.gross, inv.net, inv.vat]).to.deep.equal([true, NET, GROSS, NET, VAT]);
    });
  });

  describe("EXEMPT invoices (no VAT split)", function () {
    it("an unregistered merchant's EXEMPT invoice is paid plainly: gross to its balance", async function () {
      const { tenge, users, vat } = await loadFixture(vatFixture);
      await tenge.connect(vat.shop).issueInvoice(REF, GROSS, false, Category.EXEMPT, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(vat.shop, REF)).to.changeTokenBalances(
        tenge,
        [users.alice, vat.shop],
        [-GROSS, GROSS],
      );
    });

    it("emits InvoicePaid with zero VAT and rate", async function () {
      const { tenge, users, vat } = await loadFixture(vatFixture);
      await tenge.connect(vat.shop).issueInvoice(REF, GROSS, true, Category.EXEMPT, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(vat.shop, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(vat.shop.address, users.alice.address, REF, GROSS, GROSS, 0n, 0n, false);
    });

    it("a VAT payer's EXEMPT invoice carries no VAT either", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.EXEMPT, ZeroAddress);
      await tenge.connect(users.alice).payInvoice(users.merchant, REF);
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(0n);
    });
  });

  describe("designated payer, double payment and status", function () {
    it("reverts VatNotInvoicePayer(caller, payer) for anyone but the designated payer", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, users.alice);
      await expect(tenge.connect(users.bob).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "VatNotInvoicePayer")
        .withArgs(users.bob.address, users.alice.address);
    });

    it("lets the designated payer pay", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, users.alice);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF)).to.emit(tenge, "InvoicePaid");
    });

    it("rejects paying the same invoice twice: VatInvoiceStatus(merchant, ref, PAID)", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.PAID);
    });

    it("rejects paying it twice by another payer too", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.bob).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.PAID);
    });

    it("reverts VatInvoiceStatus(…, NONE) for an invoice never issued", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.NONE);
    });
  });

  describe("tenge payment rules apply", function () {
    it("reverts EnforcedPause while paused", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF)).to.be.revertedWithCustomError(
        tenge,
        "EnforcedPause",
      );
    });

    it("reverts DigitalTengeAccountFrozen for a frozen payer", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, ZeroHash);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
    });

    it("reverts DigitalTengeAccountFrozen for a frozen merchant", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.compliance).freeze(users.merchant, ZeroHash);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.merchant.address);
    });

    it("reverts DigitalTengeNotOnboarded for a payer that is not onboarded", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await expect(tenge.connect(users.outsider).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts DigitalTengeNotOnboarded when the merchant was offboarded after issuing", async function () {
      const { tenge, banks, vat, users } = await loadFixture(vatFixture);
      await tenge.connect(vat.shop).issueInvoice(REF, GROSS, false, Category.EXEMPT, ZeroAddress);
      await tenge.connect(banks.bankA).offboard(vat.shop);
      await expect(tenge.connect(users.alice).payInvoice(vat.shop, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(vat.shop.address);
    });

    it("reverts DigitalTengeInsufficientBalance when the payer lacks the gross", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await expect(tenge.connect(users.bob).payInvoice(users.merchant, REF)).not.to.be.reverted; // 2,000 ≥ 1,160
      await tenge
        .connect(users.merchant)
        .issueInvoice(invoiceRef("INV-2"), GROSS, false, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.bob).payInvoice(users.merchant, invoiceRef("INV-2")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.bob.address, kzt("840"), GROSS);
    });

    it("reverts DigitalTengeFundsFrozen when frozen funds leave too little available", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("9000"), ZeroHash);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeFundsFrozen")
        .withArgs(users.alice.address, kzt("1000"), GROSS);
    });

    it("counts the gross against a retail payer's daily outflow limit", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("1000"));
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("1000"), GROSS);
    });

    it("checks only the net against the merchant's holding limit (marked VAT is not holding)", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.desk).setTierLimits(3, NET, kzt("1000"));
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF)).to.emit(tenge, "InvoicePaid");
    });

    it("reverts DigitalTengeHoldingLimitExceeded when the net takes the merchant above its limit", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.desk).setTierLimits(3, kzt("999"), kzt("1000"));
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.merchant.address, kzt("999"), NET);
    });

    it("reverts VatNotRegistered when a VAT invoice's merchant was deregistered before payment", async function () {
      const { tenge, users, tax } = await loadFixture(issuedFixture);
      await tenge.connect(tax).deregisterVatPayer(users.merchant);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
        .withArgs(users.merchant.address);
    });

    it("still pays a deregistered merchant's ZERO-rated invoice (it carries no VAT)", async function () {
      const { tenge, users, tax } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.ZERO, ZeroAddress);
      await tenge.connect(tax).deregisterVatPayer(users.merchant);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF)).to.changeTokenBalance(
        tenge,
        users.merchant,
        GROSS,
      );
    });

    it("an institution registered for VAT is paid outside holding limits", async function () {
      const { tenge, users, tax, roles } = await loadFixture(vatFixture);
      await tenge.connect(tax).registerVatPayer(users.treasury, invoiceRef("BIN-T"), Category.STANDARD);
      await tenge.connect(roles.desk).setTierLimits(0, 0n, 0n);
      await tenge.connect(users.treasury).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.treasury, REF)).to.changeTokenBalance(
        tenge,
        users.treasury,
        NET,
      );
    });

    it("a failed payment changes nothing: the invoice stays ISSUED", async function () {
      const { tenge, roles, users } = await loadFixture(issuedFixture);
      await tenge.connect(roles.compliance).freeze(users.merchant, ZeroHash);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF)).to.be.reverted;
      expect((await tenge.invoiceOf(users.merchant, REF)).status).to.equal(Status.ISSUED);
    });
  });

  describe("rates in force at settlement", function () {
    async function scheduledFixture() {
      const f = await loadFixture(issuedFixture);
      const from = (await time.latest()) + 3600;
      await (await f.tenge.connect(f.tax).scheduleVatRates(2000, 700, from)).wait();
      return { ...f, from };
    }

    it("uses the old rate one second before effectiveFrom", async function () {
      const { tenge, users, from } = await loadFixture(scheduledFixture);
      await time.setNextBlockTimestamp(from - 1);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, NET, VAT, 1600n, false);
    });

    it("uses the new rate at exactly effectiveFrom, for an invoice issued before", async function () {
      const { tenge, users, from } = await loadFixture(scheduledFixture);
      await time.setNextBlockTimestamp(from);
      // 1,160.00 × 2,000 / 12,000 = 193.333… → 193.33
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, GROSS - 19333n, 19333n, 2000n, false);
    });

    it("vatRates shows the rates in force and the pending change", async function () {
      const { tenge, from } = await loadFixture(scheduledFixture);
      const r = await tenge.vatRates();
      expect([r.standardBps, r.reducedBps, r.nextStandardBps, r.nextReducedBps, r.nextEffectiveFrom]).to.deep.equal([
        1600n,
        500n,
        2000n,
        700n,
        BigInt(from),
      ]);
    });

    it("vatRates shows the new rates once in force", async function () {
      const { tenge, from } = await loadFixture(scheduledFixture);
      await time.increaseTo(from);
      const r = await tenge.vatRates();
      expect([r.standardBps, r.reducedBps]).to.deep.equal([2000n, 700n]);
    });

    it("folds a change already in force into the current rates before scheduling the next", async function () {
      const { tenge, tax, from } = await loadFixture(scheduledFixture);
      await time.increaseTo(from + 10);
      await tenge.connect(tax).scheduleVatRates(1200, 0, from + 7200);
      const r = await tenge.vatRates();
      expect([r.standardBps, r.reducedBps, r.nextStandardBps, r.nextReducedBps]).to.deep.equal([
        2000n,
        700n,
        1200n,
        0n,
      ]);
    });

    it("a paid invoice keeps the rate it settled at after the rates change", async function () {
      const { tenge, users, tax } = await loadFixture(paidFixture);
      await tenge.connect(tax).scheduleVatRates(2000, 700, 0);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.rateBps, inv.vat]).to.deep.equal([1600n, VAT]);
    });

    it("a rate effective now applies to the next payment at once", async function () {
      const { tenge, users, tax } = await loadFixture(issuedFixture);
      await tenge.connect(tax).scheduleVatRates(1000, 500, 0);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, kzt("1054.55"), kzt("105.45"), 1000n, false);
    });

    it("allows a 100 % rate: 1.00 KZT VAT-inclusive splits 0.50 / 0.50", async function () {
      const { tenge, users, tax } = await loadFixture(vatFixture);
      await tenge.connect(tax).scheduleVatRates(10_000, 500, 0);
      await tenge.connect(users.merchant).issueInvoice(REF, 100n, false, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, 100n, 50n, 50n, 10_000n, false);
    });
  });

  describe("Kazakhstan's 2027 reduced-rate change (deploy config)", function () {
    it("the deploy scheduled 16 % / 10 % from 2027-01-01 Almaty time", async function () {
      const { tenge } = await loadFixture(vatFixture);
      const r = await tenge.vatRates();
      expect([r.standardBps, r.reducedBps, r.nextStandardBps, r.nextReducedBps, r.nextEffectiveFrom]).to.deep.equal([
        1600n,
        500n,
        1600n,
        1000n,
        BigInt(JAN_2027),
      ]);
    });

    it("a REDUCED invoice paid at 23:59:59 on 31 December 2026 uses 5 %", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, kzt("1000"), true, Category.REDUCED, ZeroAddress);
      await time.setNextBlockTimestamp(JAN_2027 - 1);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, kzt("1050"), kzt("1000"), kzt("50"), 500n, false);
    });

    it("a REDUCED invoice paid at 00:00:00 on 1 January 2027 uses 10 %", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, kzt("1000"), true, Category.REDUCED, ZeroAddress);
      await time.setNextBlockTimestamp(JAN_2027);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, kzt("1100"), kzt("1000"), kzt("100"), 1000n, false);
    });

    it("the standard rate stays 16 % in 2027", async function () {
      const { tenge, users } = await loadFixture(issuedFixture);
      await time.setNextBlockTimestamp(JAN_2027);
      await expect(tenge.connect(users.alice).payInvoice(users.merchant, REF))
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, NET, VAT, 1600n, false);
    });
  });

  it("the fixture's cast is what the tests assume", async function () {
    const { tenge, users, vat } = await loadFixture(vatFixture);
    expect((await tenge.vatPayerOf(users.merchant)).registered).to.equal(true);
    expect((await tenge.vatPayerOf(vat.shop)).registered).to.equal(false);
    expect(await tenge.vatBudget()).to.equal(users.treasury.address);
    expect(await ethers.provider.getCode(await tenge.VAT_LEDGER())).to.equal("0x");
  });
});
