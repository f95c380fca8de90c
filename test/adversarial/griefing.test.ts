import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { encodeOfflineBatch } from "../../scripts/lib/offline";
import { expectOfflineInvariants, expectOutcomes, payment, settle, sign } from "../offline/helpers";
import type { OfflineCtx } from "../offline/helpers";
import { suiteFixture } from "../fixtures/suite.fixture";
import { deploymentRecords, kzt } from "../fixtures/tenge.fixture";

/*
 * Griefing of offline batch settlement: one bad payment in a batch (double spent, signed for another chain,
 * unfunded, cancelled by its payer) must fail alone while the rest of the batch settles, and nobody but the payee can
 * submit (and so grief) the payee's batch. Built on the whole-suite fixture (dave, erin, frank hold 1,000 KZT each;
 * the merchant is the payee) and the offline suite's helpers. One fixture family for every file of test/adversarial
 * and test/suite: mixing hardhat-deploy fixture families in one mocha run can invalidate loadFixture snapshots.
 */

/** The whole suite, shaped as the offline helpers expect. */
async function offlineSuite(): Promise<OfflineCtx> {
  return { ...(await loadFixture(suiteFixture)), records: await deploymentRecords() };
}

describe("Adversarial: griefing of offline batch settlement", function () {
  it("a double-spent payment fails alone: AlreadyUsed, the rest settle", async function () {
    const ctx = await offlineSuite();
    const { payers, users, domain, tenge } = ctx;
    const spent = await sign(payers.dave, await payment(users.merchant.address, "100"), domain);
    await settle(ctx, [spent]);
    const erin = await sign(payers.erin, await payment(users.merchant.address, "50"), domain);
    const frank = await sign(payers.frank, await payment(users.merchant.address, "20"), domain);
    const before = await tenge.balanceOf(users.merchant);
    expectOutcomes(await settle(ctx, [erin, spent, frank]), ["settled", "AlreadyUsed", "settled"]);
    expect(await tenge.balanceOf(users.merchant)).to.equal(before + kzt("70"));
    await expectOfflineInvariants(ctx);
  });

  it("a payment signed for another chain fails alone: BadSignature, the rest settle", async function () {
    const ctx = await offlineSuite();
    const { payers, users, domain } = ctx;
    const foreign = await sign(payers.dave, await payment(users.merchant.address, "100"), { ...domain, chainId: 56n });
    const good = await sign(payers.erin, await payment(users.merchant.address, "50"), domain);
    expectOutcomes(await settle(ctx, [foreign, good]), ["BadSignature", "settled"]);
    await expectOfflineInvariants(ctx);
  });

  it("an unfunded payment fails alone: InsufficientFunds, the rest settle", async function () {
    const ctx = await offlineSuite();
    const { payers, users, domain } = ctx;
    const unfunded = await sign(payers.dave, await payment(users.merchant.address, "5000"), domain);
    const good = await sign(payers.erin, await payment(users.merchant.address, "50"), domain);
    expectOutcomes(await settle(ctx, [good, unfunded]), ["settled", "InsufficientFunds"]);
    await expectOfflineInvariants(ctx);
  });

  it("a payment its payer cancelled first fails alone: Cancelled, the rest settle", async function () {
    const ctx = await offlineSuite();
    const { payers, users, domain, offline } = ctx;
    const cancelled = await sign(payers.dave, await payment(users.merchant.address, "100", { nonce: 7n }), domain);
    const good = await sign(payers.erin, await payment(users.merchant.address, "50"), domain);
    await (await offline.connect(payers.dave).cancelOfflinePayment(7n)).wait();
    expectOutcomes(await settle(ctx, [cancelled, good]), ["Cancelled", "settled"]);
    await expectOfflineInvariants(ctx);
  });

  it("a third party cannot submit the payee's batch: TengeOfflineCallerNotPayee", async function () {
    const ctx = await offlineSuite();
    const { payers, users, domain, offline } = ctx;
    const good = await sign(payers.erin, await payment(users.merchant.address, "50"), domain);
    await expect(offline.connect(users.outsider).settleOfflinePayments(users.merchant, encodeOfflineBatch([good])))
      .to.be.revertedWithCustomError(offline, "TengeOfflineCallerNotPayee")
      .withArgs(users.outsider.address, users.merchant.address);
  });
});
