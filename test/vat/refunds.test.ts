import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, ZeroHash } from "ethers";
import { kzt } from "../fixtures/tenge.fixture";
import { Category, Status, invoiceRef, vatFixture } from "../fixtures/vat.fixture";
import { checkVatInvariantsAfterEach } from "./helpers";

const REF = invoiceRef("INV-R");
const GROSS = kzt("1160");
const NET = kzt("1000");
const VAT = kzt("160");
const SMALL = invoiceRef("INV-SMALL"); // 1.00 KZT: 0.86 + 0.14 VAT

/** The VAT fixture with a 1,160.00 KZT invoice and a 1.00 KZT invoice of the merchant, both paid by alice. */
async function paidFixture() {
  const f = await loadFixture(vatFixture);
  const { tenge, users } = f;
  await (await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress)).wait();
  await (await tenge.connect(users.alice).payInvoice(users.merchant, REF)).wait();
  await (await tenge.connect(users.merchant).issueInvoice(SMALL, 100n, false, Category.STANDARD, ZeroAddress)).wait();
  await (await tenge.connect(users.alice).payInvoice(users.merchant, SMALL)).wait();
  return f;
}

/** The VAT fixture after the merchant bought 5,000.00 + 800.00 VAT from the supplier with input VAT. */
async function inputVatFixture() {
  const f = await loadFixture(vatFixture);
  const { tenge, users, vat } = f;
  const sale = invoiceRef("SALE");
  await (
    await tenge.connect(users.merchant).issueInvoice(sale, kzt("11600"), false, Category.STANDARD, ZeroAddress)
  ).wait();
  await (await tenge.connect(vat.supplier).payInvoice(users.merchant, sale)).wait();
  await (
    await tenge.connect(vat.supplier).issueInvoice(REF, kzt("5000"), true, Category.STANDARD, users.merchant)
  ).wait();
  await (await tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, REF)).wait();
  return f;
}

describe("VAT refunds", function () {
  checkVatInvariantsAfterEach();

  describe("a full refund", function () {
    it("returns the gross to the payer: net from the merchant's balance, VAT from VAT_LEDGER", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS)).to.changeTokenBalances(
        tenge,
        [users.alice, users.merchant, await tenge.VAT_LEDGER()],
        [GROSS, -NET, -VAT],
      );
    });

    it("takes the VAT from the merchant's marked VAT", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(REF, GROSS);
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(14n);
    });

    it("emits InvoiceRefunded(merchant, payer, ref, gross, net, vat) and both Transfers", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      const tx = tenge.connect(users.merchant).refundInvoice(REF, GROSS);
      await expect(tx)
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, NET, VAT);
      await expect(tx).to.emit(tenge, "Transfer").withArgs(users.merchant.address, users.alice.address, NET);
      await expect(tx)
        .to.emit(tenge, "Transfer")
        .withArgs(await tenge.VAT_LEDGER(), users.alice.address, VAT);
    });

    it("counts the VAT in vatTotals().refunded and out of collected", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(REF, GROSS);
      const t = await tenge.vatTotals();
      expect([t.refunded, t.collected, t.markedTotal]).to.deep.equal([VAT, 14n, 14n]);
    });

    it("records refundedGross and keeps the invoice PAID", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(REF, GROSS);
      const inv = await tenge.invoiceOf(users.merchant, REF);
      expect([inv.status, inv.refundedGross]).to.deep.equal([BigInt(Status.PAID), GROSS]);
    });

    it("refunds an exclusive invoice up to net + VAT", async function () {
      const { tenge, users, vat } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, NET, true, Category.STANDARD, ZeroAddress);
      await tenge.connect(vat.supplier).payInvoice(users.merchant, REF);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, vat.supplier.address, REF, GROSS, NET, VAT);
    });

    it("uses the rate of settlement, not a rate changed since", async function () {
      const { tenge, users, tax } = await loadFixture(paidFixture);
      await tenge.connect(tax).scheduleVatRates(2500, 500, 0);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, users.alice.address, REF, GROSS, NET, VAT);
    });

    it("refunds an unregistered merchant's EXEMPT invoice without a VAT leg", async function () {
      const { tenge, users, vat } = await loadFixture(vatFixture);
      await tenge.connect(vat.shop).issueInvoice(REF, GROSS, false, Category.EXEMPT, ZeroAddress);
      await tenge.connect(users.alice).payInvoice(vat.shop, REF);
      await expect(tenge.connect(vat.shop).refundInvoice(REF, GROSS))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(vat.shop.address, users.alice.address, REF, GROSS, GROSS, 0n);
    });
  });

  describe("partial refunds", function () {
    it("a half refund reverses half of each leg", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, kzt("580")))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, users.alice.address, REF, kzt("580"), kzt("500"), kzt("80"));
    });

    it("first of three steps on 1.00 KZT: 0.33 refunds 0.05 VAT (round(4.62 tiyn))", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.merchant).refundInvoice(SMALL, 33n))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, users.alice.address, SMALL, 33n, 28n, 5n);
    });

    it("second step: 0.33 more refunds 0.04 VAT (round(9.24) − 5)", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(SMALL, 33n);
      await expect(tenge.connect(users.merchant).refundInvoice(SMALL, 33n))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, users.alice.address, SMALL, 33n, 29n, 4n);
    });

    it("the last step refunds the rest: the VAT parts add up to exactly the 0.14 paid", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(SMALL, 33n);
      await tenge.connect(users.merchant).refundInvoice(SMALL, 33n);
      await expect(tenge.connect(users.merchant).refundInvoice(SMALL, 34n))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(users.merchant.address, users.alice.address, SMALL, 34n, 29n, 5n);
    });

    it("one-tiyn refunds of 1.00 KZT return exactly 0.14 VAT in total", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      let vatBack = 0n;
      for (let i = 0; i < 100; i++) {
        const receipt = await (await tenge.connect(users.merchant).refundInvoice(SMALL, 1n)).wait();
        for (const log of receipt?.logs ?? []) {
          const parsed = tenge.interface.parseLog(log);
          if (parsed?.name === "InvoiceRefunded") vatBack += parsed.args.vat as bigint;
        }
      }
      expect(vatBack).to.equal(14n);
    });
  });

  describe("refusals", function () {
    it("reverts VatRefundExceedsPaid(ref, paidGross, refunded, requested) above the paid gross", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS + 1n))
        .to.be.revertedWithCustomError(tenge, "VatRefundExceedsPaid")
        .withArgs(REF, GROSS, 0n, GROSS + 1n);
    });

    it("reverts VatRefundExceedsPaid when partial refunds would add up to more than paid", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(REF, kzt("1000"));
      await expect(tenge.connect(users.merchant).refundInvoice(REF, kzt("160.01")))
        .to.be.revertedWithCustomError(tenge, "VatRefundExceedsPaid")
        .withArgs(REF, GROSS, kzt("1000"), kzt("160.01"));
    });

    it("reverts VatInvoiceStatus(…, ISSUED) for an unpaid invoice", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await tenge.connect(users.merchant).issueInvoice(REF, GROSS, false, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, 1n))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, REF, Status.ISSUED);
    });

    it("only the merchant refunds: anyone else finds no such invoice of theirs (NONE)", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.alice).refundInvoice(REF, 1n))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.alice.address, REF, Status.NONE);
    });

    it("reverts DigitalTengeInvalidAmount for zero", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, 0n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts EnforcedPause while paused", async function () {
      const { tenge, roles, users } = await loadFixture(paidFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(tenge.connect(users.merchant).refundInvoice(REF, 1n)).to.be.revertedWithCustomError(
        tenge,
        "EnforcedPause",
      );
    });

    it("reverts VatMarkedBalanceInsufficient when the merchant already paid the VAT to the budget", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).payVatToBudget(VAT + 14n);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.be.revertedWithCustomError(tenge, "VatMarkedBalanceInsufficient")
        .withArgs(users.merchant.address, 0n, VAT);
    });

    it("reverts DigitalTengeInsufficientBalance when the merchant no longer holds the net", async function () {
      const { tenge, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).redeem(kzt("900"), ZeroHash);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.merchant.address, kzt("100.86"), NET);
    });

    it("reverts DigitalTengeAccountFrozen when the payer is frozen", async function () {
      const { tenge, roles, users } = await loadFixture(paidFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, ZeroHash);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
    });

    it("reverts DigitalTengeAccountFrozen for a frozen merchant, even when the part refunded is all VAT", async function () {
      const { tenge, roles, users } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).refundInvoice(SMALL, 3n); // round(0.42) = 0 VAT so far
      await tenge.connect(roles.compliance).freeze(users.merchant, ZeroHash);
      // 4 × 0.14 = 0.56 → 1 tiyn of VAT, 0 of net
      await expect(tenge.connect(users.merchant).refundInvoice(SMALL, 1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.merchant.address);
    });
  });

  describe("edge cases", function () {
    it("reverts VatMarkedBalanceInsufficient(merchant, 0, vat) when the merchant was deregistered since", async function () {
      const { tenge, users, tax } = await loadFixture(paidFixture);
      await tenge.connect(users.merchant).payVatToBudget(VAT + 14n);
      await tenge.connect(tax).deregisterVatPayer(users.merchant);
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.be.revertedWithCustomError(tenge, "VatMarkedBalanceInsufficient")
        .withArgs(users.merchant.address, 0n, VAT);
    });

    it("reverts DigitalTengeHoldingLimitExceeded when the refund takes the payer above its holding limit", async function () {
      const { tenge, roles, users } = await loadFixture(paidFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("8841"), kzt("500000"));
      await expect(tenge.connect(users.merchant).refundInvoice(REF, GROSS))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.alice.address, kzt("8841"), kzt("9999"));
    });
  });

  describe("refunds of input-VAT payments", function () {
    it("return the VAT to the buyer's marked VAT, not its balance", async function () {
      const { tenge, users, vat } = await loadFixture(inputVatFixture);
      await expect(tenge.connect(vat.supplier).refundInvoice(REF, kzt("5800"))).to.changeTokenBalances(
        tenge,
        [users.merchant, vat.supplier, await tenge.VAT_LEDGER()],
        [kzt("5000"), -kzt("5000"), 0n],
      );
    });

    it("move the VAT back from the seller's marked VAT to the buyer's", async function () {
      const { tenge, users, vat } = await loadFixture(inputVatFixture);
      await tenge.connect(vat.supplier).refundInvoice(REF, kzt("5800"));
      expect([
        (await tenge.vatPayerOf(users.merchant)).markedVat,
        (await tenge.vatPayerOf(vat.supplier)).markedVat,
      ]).to.deep.equal([kzt("1600"), 0n]);
    });

    it("a one-tiyn refund whose VAT part rounds to zero moves only net", async function () {
      const { tenge, users, vat } = await loadFixture(inputVatFixture);
      await expect(tenge.connect(vat.supplier).refundInvoice(REF, 1n))
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(vat.supplier.address, users.merchant.address, REF, 1n, 1n, 0n);
    });

    it("undo the offset and leave refunded untouched", async function () {
      const { tenge, vat } = await loadFixture(inputVatFixture);
      await tenge.connect(vat.supplier).refundInvoice(REF, kzt("2900"));
      const t = await tenge.vatTotals();
      expect([t.offset, t.refunded, t.markedTotal]).to.deep.equal([kzt("400"), 0n, kzt("1600")]);
    });

    it("emit InvoiceRefunded and only the net Transfer", async function () {
      const { tenge, users, vat } = await loadFixture(inputVatFixture);
      const tx = tenge.connect(vat.supplier).refundInvoice(REF, kzt("5800"));
      await expect(tx)
        .to.emit(tenge, "InvoiceRefunded")
        .withArgs(vat.supplier.address, users.merchant.address, REF, kzt("5800"), kzt("5000"), kzt("800"));
      await expect(tx).to.emit(tenge, "Transfer").withArgs(vat.supplier.address, users.merchant.address, kzt("5000"));
    });

    it("revert VatNotRegistered when the buyer was deregistered since", async function () {
      const { tenge, users, vat, tax } = await loadFixture(inputVatFixture);
      await tenge.connect(users.merchant).payVatToBudget(kzt("800"));
      await tenge.connect(tax).deregisterVatPayer(users.merchant);
      await expect(tenge.connect(vat.supplier).refundInvoice(REF, kzt("5800")))
        .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
        .withArgs(users.merchant.address);
    });
  });
});
