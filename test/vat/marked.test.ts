import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, ZeroHash } from "ethers";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";
import { Category, invoiceRef, taxpayerHash, vatFixture } from "../fixtures/vat.fixture";
import { checkVatInvariantsAfterEach } from "./helpers";

const SALE = invoiceRef("SALE-1");
const PURCHASE = invoiceRef("PURCHASE-1");
const SALE_GROSS = kzt("11600"); // 10,000.00 + 1,600.00 VAT
const SALE_VAT = kzt("1600");
const PURCHASE_NET = kzt("5000"); // + 800.00 VAT on top

/**
 * The VAT fixture after a sale: the supplier (a VAT payer) bought from the merchant for 11,600.00 KZT, so the
 * merchant holds 10,000.00 and 1,600.00 of marked VAT. The supplier has issued the merchant a B2B invoice of
 * 5,000.00 net + 800.00 VAT (payable by the merchant only).
 */
async function markedFixture() {
  const f = await loadFixture(vatFixture);
  const { tenge, users, vat } = f;
  await (
    await tenge.connect(users.merchant).issueInvoice(SALE, SALE_GROSS, false, Category.STANDARD, ZeroAddress)
  ).wait();
  await (await tenge.connect(vat.supplier).payInvoice(users.merchant, SALE)).wait();
  await (
    await tenge.connect(vat.supplier).issueInvoice(PURCHASE, PURCHASE_NET, true, Category.STANDARD, users.merchant)
  ).wait();
  return f;
}

/** The tenge fixture with the merchant registered for VAT but no budget wallet set. */
async function noBudgetFixture() {
  const f = await loadFixture(tengeFixture);
  const tax = await ethers.getSigner((await ethers.getSigners())[19].address);
  await (await f.tenge.connect(tax).registerVatPayer(f.users.merchant, taxpayerHash("1"), Category.STANDARD)).wait();
  await (await f.tenge.connect(f.users.merchant).issueInvoice(SALE, SALE_GROSS, false, 0, ZeroAddress)).wait();
  await (await f.tenge.connect(f.banks.bankB).mint(f.users.carol, kzt("10000"))).wait();
  await (await f.tenge.connect(f.users.carol).payInvoice(f.users.merchant, SALE)).wait();
  return f;
}

describe("VAT: marked VAT", function () {
  checkVatInvariantsAfterEach();

  describe("restricted value", function () {
    it("balanceOf excludes marked VAT", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      expect(await tenge.balanceOf(users.merchant)).to.equal(kzt("10000"));
    });

    it("balanceOf(VAT_LEDGER) is the marked total", async function () {
      const { tenge } = await loadFixture(markedFixture);
      expect(await tenge.balanceOf(await tenge.VAT_LEDGER())).to.equal(SALE_VAT);
    });

    it("cannot be transferred: a transfer above the balance reverts DigitalTengeInsufficientBalance", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.merchant).transfer(users.alice, kzt("10000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.merchant.address, kzt("10000"), kzt("10000.01"));
    });

    it("cannot be redeemed to bank money", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.merchant).redeem(kzt("11600"), ZeroHash))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.merchant.address, kzt("10000"), kzt("11600"));
    });

    it("cannot be seized as ordinary balance", async function () {
      const { tenge, roles, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(roles.enforcement).seize(users.merchant, users.treasury, kzt("10000.01"), ZeroHash))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.merchant.address, kzt("10000"), kzt("10000.01"));
    });

    it("VAT_LEDGER cannot receive a plain transfer (it is not a wallet)", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      const ledger = await tenge.VAT_LEDGER();
      await expect(tenge.connect(users.alice).transfer(ledger, 1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(ledger);
    });

    it("Σ balanceOf of every holder and VAT_LEDGER equals totalSupply", async function () {
      const { tenge } = await loadFixture(markedFixture);
      let sum = await tenge.balanceOf(await tenge.VAT_LEDGER());
      for (const s of await ethers.getSigners()) sum += await tenge.balanceOf(s);
      expect(sum).to.equal(await tenge.totalSupply());
    });
  });

  describe("payVatToBudget", function () {
    it("moves marked VAT to the budget wallet's balance", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.merchant).payVatToBudget(kzt("600"))).to.changeTokenBalances(
        tenge,
        [users.treasury, await tenge.VAT_LEDGER(), users.merchant],
        [kzt("600"), -kzt("600"), 0n],
      );
    });

    it("lowers the payer's marked VAT", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payVatToBudget(kzt("600"));
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(kzt("1000"));
    });

    it("emits Transfer(VAT_LEDGER, budget, amount) and VatPaidToBudget(payer, budget, amount)", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      const tx = tenge.connect(users.merchant).payVatToBudget(kzt("600"));
      await expect(tx)
        .to.emit(tenge, "Transfer")
        .withArgs(await tenge.VAT_LEDGER(), users.treasury.address, kzt("600"));
      await expect(tx)
        .to.emit(tenge, "VatPaidToBudget")
        .withArgs(users.merchant.address, users.treasury.address, kzt("600"));
    });

    it("counts the payment in vatTotals().paidToBudget and keeps collected", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payVatToBudget(SALE_VAT);
      const t = await tenge.vatTotals();
      expect([t.markedTotal, t.paidToBudget, t.collected]).to.deep.equal([0n, SALE_VAT, SALE_VAT]);
    });

    it("reverts VatMarkedBalanceInsufficient above the marked VAT", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.merchant).payVatToBudget(SALE_VAT + 1n))
        .to.be.revertedWithCustomError(tenge, "VatMarkedBalanceInsufficient")
        .withArgs(users.merchant.address, SALE_VAT, SALE_VAT + 1n);
    });

    it("reverts VatNotRegistered for a caller that is not a VAT payer", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.alice).payVatToBudget(1n))
        .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
        .withArgs(users.alice.address);
    });

    it("reverts DigitalTengeInvalidAmount for zero", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.merchant).payVatToBudget(0n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts VatBudgetNotSet before the tax authority set the budget", async function () {
      const { tenge, users } = await loadFixture(noBudgetFixture);
      await expect(tenge.connect(users.merchant).payVatToBudget(1n)).to.be.revertedWithCustomError(
        tenge,
        "VatBudgetNotSet",
      );
    });

    it("reverts EnforcedPause while paused", async function () {
      const { tenge, roles, users } = await loadFixture(markedFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(tenge.connect(users.merchant).payVatToBudget(1n)).to.be.revertedWithCustomError(
        tenge,
        "EnforcedPause",
      );
    });

    it("reverts DigitalTengeAccountFrozen for a frozen VAT payer", async function () {
      const { tenge, roles, users } = await loadFixture(markedFixture);
      await tenge.connect(roles.compliance).freeze(users.merchant, ZeroHash);
      await expect(tenge.connect(users.merchant).payVatToBudget(1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.merchant.address);
    });

    it("reverts DigitalTengeAccountFrozen when the budget wallet is frozen", async function () {
      const { tenge, roles, users } = await loadFixture(markedFixture);
      await tenge.connect(roles.compliance).freeze(users.treasury, ZeroHash);
      await expect(tenge.connect(users.merchant).payVatToBudget(1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.treasury.address);
    });
  });

  describe("payInvoiceWithInputVat (input VAT offsets output VAT)", function () {
    it("takes the net from the buyer's balance and the VAT from its marked VAT", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await expect(tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE)).to.changeTokenBalances(
        tenge,
        [users.merchant, vat.supplier, await tenge.VAT_LEDGER()],
        [-PURCHASE_NET, PURCHASE_NET, 0n],
      );
    });

    it("moves the VAT from the buyer's marked VAT to the seller's", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE);
      expect([
        (await tenge.vatPayerOf(users.merchant)).markedVat,
        (await tenge.vatPayerOf(vat.supplier)).markedVat,
      ]).to.deep.equal([kzt("800"), kzt("800")]);
    });

    it("counts the VAT as offset and keeps the marked total", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE);
      const t = await tenge.vatTotals();
      expect([t.markedTotal, t.offset, t.collected]).to.deep.equal([SALE_VAT, kzt("800"), SALE_VAT + kzt("800")]);
    });

    it("emits InvoicePaid(…, withInputVat = true) and only the net Transfer", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      const tx = tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE);
      await expect(tx)
        .to.emit(tenge, "InvoicePaid")
        .withArgs(
          vat.supplier.address,
          users.merchant.address,
          PURCHASE,
          kzt("5800"),
          PURCHASE_NET,
          kzt("800"),
          1600n,
          true,
        );
      await expect(tx).to.emit(tenge, "Transfer").withArgs(users.merchant.address, vat.supplier.address, PURCHASE_NET);
    });

    it("records paidWithInputVat on the invoice", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE);
      expect((await tenge.invoiceOf(vat.supplier, PURCHASE)).paidWithInputVat).to.equal(true);
    });

    it("reverts VatMarkedBalanceInsufficient when the buyer's marked VAT is short", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payVatToBudget(kzt("1000"));
      await expect(tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE))
        .to.be.revertedWithCustomError(tenge, "VatMarkedBalanceInsufficient")
        .withArgs(users.merchant.address, kzt("600"), kzt("800"));
    });

    it("reverts VatNotRegistered for a buyer that is not a VAT payer", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      const ref = invoiceRef("PURCHASE-ALICE");
      await tenge.connect(vat.supplier).issueInvoice(ref, kzt("100"), true, Category.STANDARD, ZeroAddress);
      await expect(tenge.connect(users.alice).payInvoiceWithInputVat(vat.supplier, ref))
        .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
        .withArgs(users.alice.address);
    });

    it("reverts VatInvoiceExempt for an invoice without VAT", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      const ref = invoiceRef("SHOP-1");
      await tenge.connect(vat.shop).issueInvoice(ref, kzt("100"), false, Category.EXEMPT, ZeroAddress);
      await expect(tenge.connect(users.merchant).payInvoiceWithInputVat(vat.shop, ref))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceExempt")
        .withArgs(vat.shop.address, ref);
    });

    it("reverts VatInvoiceStatus(…, PAID) on a second payment", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE);
      await expect(tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE))
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(vat.supplier.address, PURCHASE, 2);
    });

    it("reverts VatNotInvoicePayer for someone other than the designated payer", async function () {
      const { tenge, users, vat } = await loadFixture(markedFixture);
      await expect(tenge.connect(vat.supplier).payInvoiceWithInputVat(vat.supplier, PURCHASE))
        .to.be.revertedWithCustomError(tenge, "VatNotInvoicePayer")
        .withArgs(vat.supplier.address, users.merchant.address);
    });

    it("reverts EnforcedPause while paused", async function () {
      const { tenge, roles, users, vat } = await loadFixture(markedFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(
        tenge.connect(users.merchant).payInvoiceWithInputVat(vat.supplier, PURCHASE),
      ).to.be.revertedWithCustomError(tenge, "EnforcedPause");
    });
  });

  describe("VAT payers and the rest of the tenge", function () {
    it("a VAT payer is outside the daily outflow limit", async function () {
      const { tenge, roles, vat, users } = await loadFixture(markedFixture);
      await tenge.connect(roles.desk).setTierLimits(3, kzt("100000000"), kzt("100"));
      await expect(tenge.connect(vat.supplier).transfer(users.alice, kzt("1000"))).to.changeTokenBalance(
        tenge,
        users.alice,
        kzt("1000"),
      );
    });

    it("an unregistered business of the same tier is held to it", async function () {
      const { tenge, roles, vat, users } = await loadFixture(markedFixture);
      await tenge.connect(users.alice).transfer(vat.shop, kzt("1000"));
      await tenge.connect(roles.desk).setTierLimits(3, kzt("100000000"), kzt("100"));
      await expect(tenge.connect(vat.shop).transfer(users.alice, kzt("1000")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(vat.shop.address, kzt("100"), kzt("1000"));
    });

    it("accountOf shows a VAT payer's daily allowance as unlimited, not its marked VAT as spending", async function () {
      const { tenge, users } = await loadFixture(markedFixture);
      const a = await tenge.accountOf(users.merchant);
      expect([a.spentToday, a.dailyRemaining]).to.deep.equal([0n, ethers.MaxUint256]);
    });

    it("offboarding a VAT payer holding marked VAT reverts VatMarkedBalanceNotZero", async function () {
      const { tenge, banks, users } = await loadFixture(markedFixture);
      await expect(tenge.connect(banks.bankA).offboard(users.merchant))
        .to.be.revertedWithCustomError(tenge, "VatMarkedBalanceNotZero")
        .withArgs(users.merchant.address, SALE_VAT);
    });

    it("recovery moves the marked VAT to the replacement wallet", async function () {
      const { tenge, banks, users } = await loadFixture(markedFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.merchant, users.relayer);
      const [registered, , , marked] = await tenge.vatPayerOf(users.relayer);
      expect([registered, marked]).to.deep.equal([true, SALE_VAT]);
    });

    it("recovery moves the VAT registration (taxpayer hash, default category) with it", async function () {
      const { tenge, banks, users } = await loadFixture(markedFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.merchant, users.relayer);
      const [, hash, category] = await tenge.vatPayerOf(users.relayer);
      const [lostRegistered, lostHash] = await tenge.vatPayerOf(users.merchant);
      expect([hash, category, lostRegistered, lostHash]).to.deep.equal([
        taxpayerHash("990140000001"),
        BigInt(Category.STANDARD),
        false,
        ZeroHash,
      ]);
    });

    it("the recovered wallet can pay the marked VAT to the budget", async function () {
      const { tenge, banks, users } = await loadFixture(markedFixture);
      await tenge.connect(banks.bankA).recoverWallet(users.merchant, users.relayer);
      await expect(tenge.connect(users.relayer).payVatToBudget(SALE_VAT))
        .to.emit(tenge, "VatPaidToBudget")
        .withArgs(users.relayer.address, users.treasury.address, SALE_VAT);
    });
  });
});
