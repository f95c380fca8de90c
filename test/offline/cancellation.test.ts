import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { ZeroHash, id } from "ethers";
import { offlineDomain, signOfflineCancellation } from "../../scripts/lib/offline";
import {
  expectOfflineInvariants,
  expectOutcomes,
  malleable,
  offlineFixture,
  payment,
  settle,
  sign,
  wallet,
} from "./helpers";
import type { OfflineCtx } from "./helpers";

const MAX_NONCE = (1n << 32n) - 1n;
const Status = { Unused: 0n, Used: 1n, Cancelled: 2n } as const;

describe("TengeOffline: cancellation", function () {
  let ctx: OfflineCtx;

  beforeEach(async function () {
    ctx = await loadFixture(offlineFixture);
  });

  afterEach("totalSupply == Σ balances, token address == Σ purses", async function () {
    await expectOfflineInvariants(ctx);
  });

  describe("cancelOfflinePayment", function () {
    it("cancels the caller's unsettled payment: status Cancelled, event, and settlement reports Cancelled", async function () {
      const { offline, payers, users, domain } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "10", { nonce: 513n }), domain);
      await expect(offline.connect(payers.dave).cancelOfflinePayment(513n))
        .to.emit(offline, "OfflineNoncesCancelled")
        .withArgs(payers.dave.address, 2n, 1n << 1n);
      expect(await offline.offlineNonceStatus(payers.dave, 513n)).to.equal(Status.Cancelled);
      expect(await offline.offlineNonceBitmap(payers.dave, 2n)).to.deep.equal([2n, 2n]);
      expectOutcomes(await settle(ctx, [p]), ["Cancelled"]);
    });

    it("reverts for a nonce already used or cancelled, and for nonce 255: TengeOfflineNonceUsed", async function () {
      const { offline, payers, users, domain } = ctx;
      await settle(ctx, [await sign(payers.dave, await payment(users.merchant.address, "1"), domain)]);
      await (await offline.connect(payers.dave).cancelOfflinePayment(1n)).wait();
      for (const nonce of [0n, 1n, 255n]) {
        await expect(offline.connect(payers.dave).cancelOfflinePayment(nonce))
          .to.be.revertedWithCustomError(offline, "TengeOfflineNonceUsed")
          .withArgs(payers.dave.address, nonce);
      }
    });

    it("reverts for a nonce no payment can carry: TengeOfflineNonceOutOfRange", async function () {
      const { offline, payers } = ctx;
      await (await offline.connect(payers.dave).cancelOfflinePayment(MAX_NONCE)).wait();
      await expect(offline.connect(payers.dave).cancelOfflinePayment(MAX_NONCE + 1n))
        .to.be.revertedWithCustomError(offline, "TengeOfflineNonceOutOfRange")
        .withArgs(MAX_NONCE + 1n);
    });

    it("works while paused and for a frozen wallet (it moves no value)", async function () {
      const { tenge, offline, payers, roles } = ctx;
      await (await tenge.connect(roles.pauser).pause()).wait();
      await (await tenge.connect(roles.compliance).freeze(payers.dave, id("x"))).wait();
      await (await offline.connect(payers.dave).cancelOfflinePayment(4n)).wait();
      expect(await offline.offlineNonceStatus(payers.dave, 4n)).to.equal(Status.Cancelled);
    });

    it("a used nonce reads Used, not Cancelled, and fails a later payment with AlreadyUsed", async function () {
      const { offline, payers, users, domain } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "1", { nonce: 9n }), domain);
      await settle(ctx, [p]);
      expect(await offline.offlineNonceStatus(payers.dave, 9n)).to.equal(Status.Used);
      expectOutcomes(await settle(ctx, [p]), ["AlreadyUsed"]);
    });
  });

  describe("cancelOfflinePaymentWithSignature", function () {
    it("a relayer submits the payer's signed cancellation", async function () {
      const { offline, payers, users, domain } = ctx;
      const sig = await signOfflineCancellation(payers.dave, domain, 42n);
      await expect(
        offline.connect(users.relayer).cancelOfflinePaymentWithSignature(payers.dave, 42n, sig.r, sig.yParityAndS),
      )
        .to.emit(offline, "OfflineNoncesCancelled")
        .withArgs(payers.dave.address, 0n, 1n << 42n);
      expect(await offline.offlineNonceStatus(payers.dave, 42n)).to.equal(Status.Cancelled);
      await expect(
        offline.connect(users.relayer).cancelOfflinePaymentWithSignature(payers.dave, 42n, sig.r, sig.yParityAndS),
      )
        .to.be.revertedWithCustomError(offline, "TengeOfflineNonceUsed")
        .withArgs(payers.dave.address, 42n);
    });

    it("reverts for another key's, another nonce's, another chain's, a malleable or a malformed signature", async function () {
      const { offline, payers, users, domain, tenge } = ctx;
      const dave = payers.dave.address;
      const good = await signOfflineCancellation(payers.dave, domain, 42n);
      const cases = [
        { nonce: 42n, sig: await signOfflineCancellation(wallet("mallory"), domain, 42n) },
        { nonce: 43n, sig: good },
        {
          nonce: 42n,
          sig: await signOfflineCancellation(payers.dave, offlineDomain(56n, await tenge.getAddress()), 42n),
        },
        { nonce: 42n, sig: malleable(good) },
        { nonce: 42n, sig: { r: ZeroHash, yParityAndS: good.yParityAndS } },
      ];
      for (const { nonce, sig } of cases) {
        await expect(
          offline.connect(users.relayer).cancelOfflinePaymentWithSignature(dave, nonce, sig.r, sig.yParityAndS),
        )
          .to.be.revertedWithCustomError(offline, "TengeOfflineInvalidSignature")
          .withArgs(dave);
      }
    });

    it("a high-s signature is refused even where plain ecrecover would return the payer", async function () {
      const { offline, users } = ctx;
      // s at the half order + 1 (a twin that stays below 2^255) for whatever key recovers from it.
      const half = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
      const r = "0x" + "11".repeat(32);
      const vs = "0x" + (half + 1n).toString(16).padStart(64, "0");
      await expect(
        offline.connect(users.relayer).cancelOfflinePaymentWithSignature(users.alice, 1n, r, vs),
      ).to.be.revertedWithCustomError(offline, "TengeOfflineInvalidSignature");
    });
  });

  describe("cancelOfflineNonces", function () {
    it("cancels the named unused nonces of a word and leaves used ones alone", async function () {
      const { offline, payers, users, domain } = ctx;
      await settle(ctx, [await sign(payers.dave, await payment(users.merchant.address, "1", { nonce: 1n }), domain)]);
      await expect(offline.connect(payers.dave).cancelOfflineNonces(0n, 0b1111n))
        .to.emit(offline, "OfflineNoncesCancelled")
        .withArgs(payers.dave.address, 0n, 0b1101n);
      expect(await offline.offlineNonceBitmap(payers.dave, 0n)).to.deep.equal([(1n << 255n) | 0b1111n, 0b1101n]);
      expect(await offline.offlineNonceStatus(payers.dave, 1n)).to.equal(Status.Used);
      expect(await offline.offlineNonceStatus(payers.dave, 3n)).to.equal(Status.Cancelled);
    });

    it("cancels a whole fresh word (a lost device)", async function () {
      const { offline, payers } = ctx;
      const all = (1n << 256n) - 1n;
      await (await offline.connect(payers.dave).cancelOfflineNonces(7n, all)).wait();
      expect(await offline.offlineNonceBitmap(payers.dave, 7n)).to.deep.equal([all, all]);
    });

    it("reverts when nothing named is unused: TengeOfflineNothingToCancel", async function () {
      const { offline, payers } = ctx;
      for (const mask of [0n, 1n << 255n]) {
        await expect(offline.connect(payers.dave).cancelOfflineNonces(0n, mask))
          .to.be.revertedWithCustomError(offline, "TengeOfflineNothingToCancel")
          .withArgs(payers.dave.address, 0n, mask);
      }
    });

    it("reverts for a word beyond the 32-bit nonces: TengeOfflineNonceOutOfRange", async function () {
      const { offline, payers } = ctx;
      const last = MAX_NONCE >> 8n;
      await (await offline.connect(payers.dave).cancelOfflineNonces(last, 1n)).wait();
      await expect(offline.connect(payers.dave).cancelOfflineNonces(last + 1n, 1n))
        .to.be.revertedWithCustomError(offline, "TengeOfflineNonceOutOfRange")
        .withArgs((last + 1n) << 8n);
    });
  });
});
