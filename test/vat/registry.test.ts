import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, ZeroHash, id } from "ethers";
import { kzt } from "../fixtures/tenge.fixture";
import { Category, invoiceRef, taxpayerHash, vatFixture } from "../fixtures/vat.fixture";
import { checkVatInvariantsAfterEach } from "./helpers";

const TAX_AUTHORITY_ROLE = id("TAX_AUTHORITY_ROLE");
const BIN = taxpayerHash("990140000003");

describe("VAT registry, rates and budget (tax authority)", function () {
  checkVatInvariantsAfterEach();

  describe("registerVatPayer", function () {
    it("registers an onboarded wallet and emits VatPayerRegistered", async function () {
      const { tenge, tax, vat } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).registerVatPayer(vat.shop, BIN, Category.REDUCED))
        .to.emit(tenge, "VatPayerRegistered")
        .withArgs(vat.shop.address, BIN, Category.REDUCED);
    });

    it("vatPayerOf shows the registration with zero marked VAT", async function () {
      const { tenge, tax, vat } = await loadFixture(vatFixture);
      await tenge.connect(tax).registerVatPayer(vat.shop, BIN, Category.ZERO);
      const [registered, hash, category, marked] = await tenge.vatPayerOf(vat.shop);
      expect([registered, hash, category, marked]).to.deep.equal([true, BIN, BigInt(Category.ZERO), 0n]);
    });

    it("drops today's outflow count: a registered wallet is outside the daily limit", async function () {
      const { tenge, tax, roles, users } = await loadFixture(vatFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("1000"));
      await tenge.connect(users.alice).transfer(users.bob, kzt("1000"));
      await tenge.connect(tax).registerVatPayer(users.alice, BIN, Category.STANDARD);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1000"))).to.changeTokenBalance(
        tenge,
        users.bob,
        kzt("1000"),
      );
    });

    it("reverts DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).registerVatPayer(users.outsider, BIN, Category.STANDARD))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts VatAlreadyRegistered for a VAT payer", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).registerVatPayer(users.merchant, BIN, Category.STANDARD))
        .to.be.revertedWithCustomError(tenge, "VatAlreadyRegistered")
        .withArgs(users.merchant.address);
    });

    it("reverts VatEmptyValue for a zero taxpayer hash", async function () {
      const { tenge, tax, vat } = await loadFixture(vatFixture);
      await expect(
        tenge.connect(tax).registerVatPayer(vat.shop, ZeroHash, Category.STANDARD),
      ).to.be.revertedWithCustomError(tenge, "VatEmptyValue");
    });

    for (const category of [Category.EXEMPT, Category.DEFAULT]) {
      it(`reverts VatInvalidCategory(${category}) for a default category that carries no rate`, async function () {
        const { tenge, tax, vat } = await loadFixture(vatFixture);
        await expect(tenge.connect(tax).registerVatPayer(vat.shop, BIN, category))
          .to.be.revertedWithCustomError(tenge, "VatInvalidCategory")
          .withArgs(category);
      });
    }
  });

  describe("updateVatPayer", function () {
    it("changes the default category and emits VatPayerUpdated", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).updateVatPayer(users.merchant, Category.REDUCED))
        .to.emit(tenge, "VatPayerUpdated")
        .withArgs(users.merchant.address, Category.REDUCED);
      expect((await tenge.vatPayerOf(users.merchant)).defaultCategory).to.equal(Category.REDUCED);
    });

    it("reverts VatNotRegistered for a wallet that is not a VAT payer", async function () {
      const { tenge, tax, vat } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).updateVatPayer(vat.shop, Category.REDUCED))
        .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
        .withArgs(vat.shop.address);
    });

    it("reverts VatInvalidCategory(EXEMPT)", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).updateVatPayer(users.merchant, Category.EXEMPT))
        .to.be.revertedWithCustomError(tenge, "VatInvalidCategory")
        .withArgs(Category.EXEMPT);
    });
  });

  describe("deregisterVatPayer", function () {
    it("deregisters a VAT payer without marked VAT and emits VatPayerDeregistered", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).deregisterVatPayer(users.merchant))
        .to.emit(tenge, "VatPayerDeregistered")
        .withArgs(users.merchant.address);
      const [registered, hash] = await tenge.vatPayerOf(users.merchant);
      expect([registered, hash]).to.deep.equal([false, ZeroHash]);
    });

    it("puts the wallet back under the daily outflow limit", async function () {
      const { tenge, tax, roles, vat, users } = await loadFixture(vatFixture);
      await tenge.connect(tax).deregisterVatPayer(vat.supplier);
      await tenge.connect(roles.desk).setTierLimits(3, kzt("100000000"), kzt("100"));
      await expect(tenge.connect(vat.supplier).transfer(users.alice, kzt("101")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(vat.supplier.address, kzt("100"), kzt("101"));
    });

    it("reverts VatMarkedBalanceNotZero while the payer holds marked VAT", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      const ref = invoiceRef("D-1");
      await tenge.connect(users.merchant).issueInvoice(ref, kzt("116"), false, Category.STANDARD, ZeroAddress);
      await tenge.connect(users.alice).payInvoice(users.merchant, ref);
      await expect(tenge.connect(tax).deregisterVatPayer(users.merchant))
        .to.be.revertedWithCustomError(tenge, "VatMarkedBalanceNotZero")
        .withArgs(users.merchant.address, kzt("16"));
    });

    it("reverts VatNotRegistered for a wallet that is not a VAT payer", async function () {
      const { tenge, tax, vat } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).deregisterVatPayer(vat.shop))
        .to.be.revertedWithCustomError(tenge, "VatNotRegistered")
        .withArgs(vat.shop.address);
    });
  });

  describe("scheduleVatRates", function () {
    it("emits VatRatesScheduled(standard, reduced, effectiveFrom)", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      const from = (await time.latest()) + 100;
      await expect(tenge.connect(tax).scheduleVatRates(1700, 800, from))
        .to.emit(tenge, "VatRatesScheduled")
        .withArgs(1700n, 800n, BigInt(from));
    });

    it("replaces a change not yet in force", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      const from = (await time.latest()) + 100;
      await tenge.connect(tax).scheduleVatRates(1700, 800, from);
      const r = await tenge.vatRates();
      expect([r.standardBps, r.reducedBps, r.nextStandardBps, r.nextReducedBps, r.nextEffectiveFrom]).to.deep.equal([
        1600n,
        500n,
        1700n,
        800n,
        BigInt(from),
      ]);
    });

    it("rates effective now replace the current ones and clear the pending change", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      await tenge.connect(tax).scheduleVatRates(1200, 0, 0);
      const r = await tenge.vatRates();
      expect([r.standardBps, r.reducedBps, r.nextEffectiveFrom]).to.deep.equal([1200n, 0n, 0n]);
    });

    it("reverts VatInvalidRate for a standard rate above 10,000 bps", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).scheduleVatRates(10_001, 500, 0))
        .to.be.revertedWithCustomError(tenge, "VatInvalidRate")
        .withArgs(10_001n);
    });

    it("reverts VatInvalidRate for a reduced rate above 10,000 bps", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).scheduleVatRates(1600, 10_001, 0))
        .to.be.revertedWithCustomError(tenge, "VatInvalidRate")
        .withArgs(10_001n);
    });

    it("reverts VatInvalidRate for an effective time beyond 40 bits", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).scheduleVatRates(1600, 500, 2n ** 40n))
        .to.be.revertedWithCustomError(tenge, "VatInvalidRate")
        .withArgs(2n ** 40n);
    });
  });

  describe("setVatBudget", function () {
    it("sets the budget wallet and emits VatBudgetSet", async function () {
      const { tenge, tax, vat } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).setVatBudget(vat.shop)).to.emit(tenge, "VatBudgetSet").withArgs(vat.shop.address);
      expect(await tenge.vatBudget()).to.equal(vat.shop.address);
    });

    it("reverts DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, tax, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(tax).setVatBudget(users.outsider))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });
  });

  describe("only the tax authority", function () {
    it("the deploy scripts granted TAX_AUTHORITY_ROLE to the taxAuthority named account", async function () {
      const { tenge, tax } = await loadFixture(vatFixture);
      expect(await tenge.hasRole(TAX_AUTHORITY_ROLE, tax)).to.equal(true);
    });

    it("the central bank desk cannot register a VAT payer", async function () {
      const { tenge, roles, vat } = await loadFixture(vatFixture);
      await expect(tenge.connect(roles.desk).registerVatPayer(vat.shop, BIN, Category.STANDARD))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, TAX_AUTHORITY_ROLE);
    });

    it("a merchant cannot change its own default category", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.merchant).updateVatPayer(users.merchant, Category.ZERO))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(users.merchant.address, TAX_AUTHORITY_ROLE);
    });

    it("a merchant cannot deregister itself", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.merchant).deregisterVatPayer(users.merchant))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(users.merchant.address, TAX_AUTHORITY_ROLE);
    });

    it("the central bank admin cannot set rates", async function () {
      const { tenge, roles } = await loadFixture(vatFixture);
      await expect(tenge.connect(roles.centralBank).scheduleVatRates(0, 0, 0))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.centralBank.address, TAX_AUTHORITY_ROLE);
    });

    it("a VAT payer cannot redirect the budget", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      await expect(tenge.connect(users.merchant).setVatBudget(users.merchant))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(users.merchant.address, TAX_AUTHORITY_ROLE);
    });
  });
});
