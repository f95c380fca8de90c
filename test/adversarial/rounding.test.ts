import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { MaxUint256, ZeroAddress } from "ethers";
import { encodeBuyOrder } from "../../scripts/lib/gold";
import { suiteFixture } from "../fixtures/suite.fixture";
import { kzt } from "../fixtures/tenge.fixture";
import { invoiceRef } from "../fixtures/vat.fixture";
import { checkVatInvariants, extraWallets } from "../vat/helpers";

/*
 * Rounding attacks: many tiny payments must never create or lose a tiyn. VAT splits of 1-tiyn amounts add up to the
 * gross exactly; refunds in many small parts return exactly what was paid; the gold desk rounds every tiny trade in
 * its own favour, so splitting an order cannot buy gold cheaper or sell it dearer.
 */

/** A price not divisible by 1,000 tiyn/g (within the desk's 5 % move of 52,000.00 KZT/g), so mg trades round. */
const ODD_PRICE = 5_200_007n;

/** The whole suite (the merchant a VAT payer, alice 19,000 KZT), its contracts counted by the VAT invariants. */
async function vatFixture() {
  const ctx = await loadFixture(suiteFixture);
  const signers = new Set((await ethers.getSigners()).map((s) => s.address));
  for (const holder of ctx.holders) if (!signers.has(holder)) extraWallets.add(holder);
  return ctx;
}

async function oddPriceFixture() {
  const ctx = await loadFixture(suiteFixture);
  await time.increase(1);
  await (await ctx.goldDesk.connect(ctx.goldRoles.oracle).publishPrice(ODD_PRICE, await time.latest())).wait();
  // tenge for the desk to pay sellers with
  await (await ctx.tenge.connect(ctx.users.alice).transfer(ctx.goldDesk, kzt("1000"))).wait();
  return ctx;
}

describe("Adversarial: rounding", function () {
  describe("VAT", function () {
    it("VAT-inclusive invoices of 1 to 40 tiyn split into net + VAT without creating or losing a tiyn", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      const [alice0, merchant0, supply0] = await Promise.all([
        tenge.balanceOf(users.alice),
        tenge.balanceOf(users.merchant),
        tenge.totalSupply(),
      ]);
      let gross = 0n;
      let vat = 0n;
      for (let g = 1n; g <= 40n; g++) {
        const ref = invoiceRef(`tiny-${g}`);
        await (await tenge.connect(users.merchant).issueInvoice(ref, g, false, 0, ZeroAddress)).wait();
        await (await tenge.connect(users.alice).payInvoice(users.merchant, ref)).wait();
        const invoice = await tenge.invoiceOf(users.merchant, ref);
        expect(invoice.net + invoice.vat, `invoice of ${g} tiyn`).to.equal(g);
        gross += g;
        vat += invoice.vat;
      }
      expect(await tenge.balanceOf(users.alice)).to.equal(alice0 - gross);
      expect(await tenge.balanceOf(users.merchant)).to.equal(merchant0 + gross - vat);
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(vat);
      expect(await tenge.totalSupply()).to.equal(supply0);
      await checkVatInvariants(tenge);
    });

    it("VAT-exclusive invoices of 1 to 40 tiyn charge exactly net + VAT", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      const alice0 = await tenge.balanceOf(users.alice);
      let charged = 0n;
      for (let net = 1n; net <= 40n; net++) {
        const ref = invoiceRef(`tiny-exclusive-${net}`);
        await (await tenge.connect(users.merchant).issueInvoice(ref, net, true, 0, ZeroAddress)).wait();
        await (await tenge.connect(users.alice).payInvoice(users.merchant, ref)).wait();
        const invoice = await tenge.invoiceOf(users.merchant, ref);
        expect([invoice.net, invoice.gross], `invoice of ${net} tiyn net`).to.deep.equal([net, net + invoice.vat]);
        charged += invoice.gross;
      }
      expect(await tenge.balanceOf(users.alice)).to.equal(alice0 - charged);
      await checkVatInvariants(tenge);
    });

    it("a refund in many small parts returns exactly the gross and the VAT paid", async function () {
      const { tenge, users } = await loadFixture(vatFixture);
      const ref = invoiceRef("refund-in-parts");
      const gross = 10_007n;
      const [alice0, merchant0] = await Promise.all([tenge.balanceOf(users.alice), tenge.balanceOf(users.merchant)]);
      await (await tenge.connect(users.merchant).issueInvoice(ref, gross, false, 0, ZeroAddress)).wait();
      await (await tenge.connect(users.alice).payInvoice(users.merchant, ref)).wait();
      const vat = (await tenge.invoiceOf(users.merchant, ref)).vat;
      const parts = [1n, 1n, 2n, 3n, 5n, 8n, 13n, 21n, 34n, 55n, 89n, 144n, 233n, 377n, 610n, 987n, 1597n, 2584n];
      let refunded = 0n;
      for (const part of parts) {
        await (await tenge.connect(users.merchant).refundInvoice(ref, part)).wait();
        refunded += part;
      }
      await (await tenge.connect(users.merchant).refundInvoice(ref, gross - refunded)).wait();
      expect(await tenge.balanceOf(users.alice)).to.equal(alice0);
      expect(await tenge.balanceOf(users.merchant)).to.equal(merchant0);
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(0n);
      expect((await tenge.vatTotals()).refunded).to.equal(vat);
      await checkVatInvariants(tenge);
    });
  });

  describe("gold desk", function () {
    it("a 1 mg buy costs at least its exact value, rounded up in the desk's favour", async function () {
      const { tenge, goldDesk, users } = await loadFixture(oddPriceFixture);
      const [cost, fee, total] = await goldDesk.quoteBuy(1n);
      expect(cost * 1_000n >= ODD_PRICE, "cost × 1000 >= mg × price").to.equal(true);
      expect(cost * 1_000n - ODD_PRICE < 1_000n, "by less than a tiyn").to.equal(true);
      const order = encodeBuyOrder(1n, ODD_PRICE, BigInt(await time.latest()) + 3_600n);
      await expect(
        tenge.connect(users.alice).getFunction("transferAndCall(address,uint256,bytes)")(goldDesk, total, order),
      ).to.changeTokenBalances(tenge, [users.alice, goldDesk], [-total, cost]);
      expect(fee * 10_000n >= cost * 50n, "fee rounded up").to.equal(true);
    });

    it("ten 1 mg buys cost at least one 10 mg buy", async function () {
      const { tenge, goldDesk, gold, users } = await loadFixture(oddPriceFixture);
      const before = await tenge.balanceOf(users.alice);
      const gold0 = await gold.balanceOf(users.alice);
      const [, , one] = await goldDesk.quoteBuy(1n);
      const [, , ten] = await goldDesk.quoteBuy(10n);
      for (let i = 0; i < 10; i++) {
        const order = encodeBuyOrder(1n, ODD_PRICE, BigInt(await time.latest()) + 3_600n);
        await (
          await tenge.connect(users.alice).getFunction("transferAndCall(address,uint256,bytes)")(goldDesk, one, order)
        ).wait();
      }
      expect(await gold.balanceOf(users.alice)).to.equal(gold0 + 10n);
      const paid = before - (await tenge.balanceOf(users.alice));
      expect(paid).to.equal(one * 10n);
      expect(paid >= ten, `10 × 1 mg (${paid}) >= 10 mg (${ten})`).to.equal(true);
    });

    it("a 1 mg sale pays at most its exact value, rounded down in the desk's favour", async function () {
      const { tenge, gold, goldDesk, users } = await loadFixture(oddPriceFixture);
      await (await gold.connect(users.alice).approve(goldDesk, MaxUint256)).wait();
      const [gross, , proceeds] = await goldDesk.quoteSell(1n);
      expect(gross * 1_000n <= ODD_PRICE, "gross × 1000 <= mg × price").to.equal(true);
      await expect(
        goldDesk.connect(users.alice).sell(1n, ODD_PRICE, BigInt(await time.latest()) + 3_600n),
      ).to.changeTokenBalance(tenge, users.alice, proceeds);
    });
  });
});
