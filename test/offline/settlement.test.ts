import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { Signature, ZeroAddress, ZeroHash, concat, id, recoverAddress, toBeHex } from "ethers";
import { SECP256K1_N } from "../../scripts/lib/eip712";
import {
  HALF_ORDER,
  OFFLINE_RECORD_SIZE,
  encodeOfflineBatch,
  encodeOfflineRecord,
  offlineDomain,
  offlinePaymentDigest,
} from "../../scripts/lib/offline";
import { kzt } from "../fixtures/tenge.fixture";
import {
  expectOfflineInvariants,
  expectOutcomes,
  malleable,
  now,
  offlineFixture,
  patchRecord,
  payment,
  reason,
  recordUnchecked,
  settle,
  settleRaw,
  sign,
  signUnchecked,
  wallet,
} from "./helpers";
import type { OfflineCtx } from "./helpers";

const REASON = id("court-order");

describe("TengeOffline: batch settlement", function () {
  let ctx: OfflineCtx;
  /** Holders a test adds beyond the fixture's, for the invariant check. */
  let extraHolders: string[];

  beforeEach(async function () {
    ctx = await loadFixture(offlineFixture);
    extraHolders = [];
  });

  afterEach("totalSupply == Σ balances, token address == Σ purses", async function () {
    await expectOfflineInvariants(ctx, extraHolders);
  });

  describe("payments that settle", function () {
    it("debits each payer, credits the payee once with the total, emits a Transfer per payment and the summary", async function () {
      const { tenge, offline, domain, payers, users } = ctx;
      const m = users.merchant.address;
      const signed = [
        await sign(payers.dave, await payment(m, "100"), domain),
        await sign(payers.erin, await payment(m, "200.50"), domain),
        await sign(users.alice, await payment(m, "300", { nonce: 7n }), domain),
      ];
      const data = encodeOfflineBatch(signed);
      expect(await offline.connect(users.merchant).settleOfflinePayments.staticCall(m, data)).to.deep.equal([
        3n,
        kzt("600.50"),
      ]);
      const tx = offline.connect(users.merchant).settleOfflinePayments(m, data);
      await expect(tx).to.changeTokenBalances(
        tenge,
        [payers.dave.address, payers.erin.address, users.alice.address, m],
        [-kzt("100"), -kzt("200.50"), -kzt("300"), kzt("600.50")],
      );
      await expect(tx).to.emit(offline, "Transfer").withArgs(payers.dave.address, m, kzt("100"));
      await expect(tx).to.emit(offline, "Transfer").withArgs(payers.erin.address, m, kzt("200.50"));
      await expect(tx).to.emit(offline, "Transfer").withArgs(users.alice.address, m, kzt("300"));
      await expect(tx).to.emit(offline, "OfflineBatchSettled").withArgs(m, 3n, 0n, kzt("600.50"));
      await expect(tx).not.to.emit(offline, "OfflinePaymentFailed");
    });

    it("marks each nonce used and counts the payment in the payer's outflow today", async function () {
      const { tenge, offline, domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "40", { nonce: 300n }), domain);
      expect(await offline.offlineNonceStatus(payers.dave, 300n)).to.equal(0n);
      await settle(ctx, [p]);
      expect(await offline.offlineNonceStatus(payers.dave, 300n)).to.equal(1n);
      expect(await offline.offlineNonceStatus(payers.dave, 301n)).to.equal(0n);
      const [used, cancelled] = await offline.offlineNonceBitmap(payers.dave, 1n);
      expect(used).to.equal(1n << 44n);
      expect(cancelled).to.equal(0n);
      expect((await tenge.accountOf(payers.dave)).spentToday).to.equal(kzt("40"));
    });

    it("settles several payments of one payer with distinct nonces in one batch", async function () {
      const { tenge, domain, payers, users } = ctx;
      const m = users.merchant.address;
      const signed = await Promise.all(
        [0n, 1n, 2n, 256n].map(async (nonce) => sign(payers.dave, await payment(m, "10", { nonce }), domain)),
      );
      const settled = await settle(ctx, signed);
      expectOutcomes(settled, ["settled", "settled", "settled", "settled"]);
      expect(await tenge.balanceOf(payers.dave)).to.equal(kzt("960"));
      expect(settled.result.total).to.equal(kzt("40"));
    });

    it("an exempt institution pays beyond its tier's daily limit", async function () {
      const { tenge, domain, roles, users } = ctx;
      await (await tenge.connect(users.alice).transfer(users.treasury, kzt("500"))).wait();
      await (await tenge.connect(roles.desk).setTierLimits(0, kzt("100000"), kzt("100"))).wait();
      const p = await sign(users.treasury, await payment(users.merchant.address, "400"), domain);
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
      expect(await tenge.balanceOf(users.treasury)).to.equal(kzt("100"));
    });

    it("a payer may pay itself: its balance is unchanged and the outflow is counted", async function () {
      const { tenge, domain, users } = ctx;
      await (await tenge.connect(users.alice).transfer(users.merchant, kzt("50"))).wait();
      const p = await sign(users.merchant, await payment(users.merchant.address, "30"), domain);
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
      expect(await tenge.balanceOf(users.merchant)).to.equal(kzt("50"));
      expect((await tenge.accountOf(users.merchant)).spentToday).to.equal(kzt("30"));
    });

    it("settles a payment exactly one second after validAfter and one second before validBefore", async function () {
      const { domain, payers, users } = ctx;
      const t = (await now()) + 100n;
      const p = await sign(
        payers.dave,
        await payment(users.merchant.address, "1", { validAfter: t - 1n, validBefore: t + 1n }),
        domain,
      );
      await time.setNextBlockTimestamp(t);
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
    });
  });

  describe("double spending", function () {
    it("the same authorization twice in one batch settles once: the second is AlreadyUsed", async function () {
      const { tenge, offline, domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "100"), domain);
      const settled = await settle(ctx, [p, p]);
      expectOutcomes(settled, ["settled", "AlreadyUsed"]);
      expect(await tenge.balanceOf(payers.dave)).to.equal(kzt("900"));
      await expect(settled.receipt)
        .to.emit(offline, "OfflinePaymentFailed")
        .withArgs(users.merchant.address, 1n, payers.dave.address, 0n, reason("AlreadyUsed"));
    });

    it("the same authorization in a later batch is AlreadyUsed and moves nothing", async function () {
      const { tenge, offline, domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "100"), domain);
      await settle(ctx, [p]);
      const data = encodeOfflineBatch([p]);
      const tx = offline.connect(users.merchant).settleOfflinePayments(users.merchant.address, data);
      await expect(tx).to.changeTokenBalances(tenge, [payers.dave, users.merchant], [0n, 0n]);
      await expect(tx).to.emit(offline, "OfflineBatchSettled").withArgs(users.merchant.address, 0n, 1n, 0n);
      await expect(tx).not.to.emit(offline, "Transfer");
    });

    it("a second payment with a used nonce (other amount) is AlreadyUsed", async function () {
      const { domain, payers, users } = ctx;
      const m = users.merchant.address;
      const a = await sign(payers.dave, await payment(m, "100", { nonce: 5n }), domain);
      const b = await sign(payers.dave, await payment(m, "1", { nonce: 5n }), domain);
      expectOutcomes(await settle(ctx, [a, b]), ["settled", "AlreadyUsed"]);
    });

    it("nonce 255 (the mark written at onboarding) is never usable", async function () {
      const { offline, domain, payers, users } = ctx;
      expect(await offline.offlineNonceStatus(payers.dave, 255n)).to.equal(1n);
      const p = await signUnchecked(payers.dave, domain, await payment(users.merchant.address, "1", { nonce: 255n }));
      const settled = await settleRaw(ctx, users.merchant, users.merchant.address, recordUnchecked(p));
      expectOutcomes(settled, ["AlreadyUsed"]);
    });
  });

  describe("a payer who signed more than it holds", function () {
    it("is detected at settlement: the payment that does not fit fails with InsufficientFunds, the others settle", async function () {
      const { tenge, offline, domain, payers, users } = ctx;
      const m = users.merchant.address;
      const signed = [
        await sign(payers.dave, await payment(m, "600", { nonce: 0n }), domain),
        await sign(payers.erin, await payment(m, "10", { nonce: 0n }), domain),
        await sign(payers.dave, await payment(m, "600", { nonce: 1n }), domain),
        await sign(payers.dave, await payment(m, "400", { nonce: 2n }), domain),
      ];
      const settled = await settle(ctx, signed);
      expectOutcomes(settled, ["settled", "settled", "InsufficientFunds", "settled"]);
      await expect(settled.receipt)
        .to.emit(offline, "OfflinePaymentFailed")
        .withArgs(m, 2n, payers.dave.address, 1n, reason("InsufficientFunds"));
      expect(await tenge.balanceOf(payers.dave)).to.equal(0n);
      expect(settled.result.total).to.equal(kzt("1010"));
    });

    it("a failed payment changes nothing and stays settleable once the payer has the funds", async function () {
      const { tenge, offline, domain, payers, users, banks } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "1500"), domain);
      expectOutcomes(await settle(ctx, [p]), ["InsufficientFunds"]);
      expect(await offline.offlineNonceStatus(payers.dave, 0n)).to.equal(0n);
      expect((await tenge.accountOf(payers.dave)).spentToday).to.equal(0n);
      await (await tenge.connect(banks.bankA).mint(payers.dave, kzt("500"))).wait();
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
    });

    it("a batch whose payments all fail credits nothing", async function () {
      const { tenge, domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "5000"), domain);
      const before = await tenge.balanceOf(users.merchant);
      const settled = await settle(ctx, [p, p]);
      expectOutcomes(settled, ["InsufficientFunds", "InsufficientFunds"]);
      expect(settled.result.total).to.equal(0n);
      expect(await tenge.balanceOf(users.merchant)).to.equal(before);
    });
  });

  describe("the payer's rules (policy refusals)", function () {
    it("FundsFrozen: the balance covers the amount but part of it is frozen", async function () {
      const { tenge, domain, payers, roles, users } = ctx;
      await (await tenge.connect(roles.compliance).freezeAmount(payers.dave, kzt("900"), REASON)).wait();
      const m = users.merchant.address;
      const settled = await settle(ctx, [
        await sign(payers.dave, await payment(m, "200", { nonce: 0n }), domain),
        await sign(payers.dave, await payment(m, "100", { nonce: 1n }), domain),
      ]);
      expectOutcomes(settled, ["FundsFrozen", "settled"]);
    });

    it("PayerFrozen: the payer's whole wallet is frozen", async function () {
      const { tenge, domain, payers, roles, users } = ctx;
      await (await tenge.connect(roles.compliance).freeze(payers.dave, REASON)).wait();
      const p = await sign(payers.dave, await payment(users.merchant.address, "1"), domain);
      expectOutcomes(await settle(ctx, [p]), ["PayerFrozen"]);
    });

    it("DailyLimitExceeded: the payment would take the payer's outflow today above its tier's limit", async function () {
      const { tenge, domain, payers, roles, users } = ctx;
      await (await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("150"))).wait();
      const m = users.merchant.address;
      const settled = await settle(ctx, [
        await sign(payers.dave, await payment(m, "100", { nonce: 0n }), domain),
        await sign(payers.dave, await payment(m, "100", { nonce: 1n }), domain),
        await sign(payers.dave, await payment(m, "50", { nonce: 2n }), domain),
      ]);
      expectOutcomes(settled, ["settled", "DailyLimitExceeded", "settled"]);
      expect((await tenge.accountOf(payers.dave)).spentToday).to.equal(kzt("150"));
    });

    it("a VAT payer has no daily limit and its marked-VAT bits are left alone", async function () {
      const { tenge, domain, roles, users } = ctx;
      const taxAuthority = (await ethers.getSigners())[19];
      await (await tenge.connect(taxAuthority).registerVatPayer(users.merchant, id("BIN-1"), 0)).wait();
      await (await tenge.connect(users.alice).transfer(users.merchant, kzt("500"))).wait();
      await (await tenge.connect(roles.desk).setTierLimits(3, kzt("100000000"), kzt("100"))).wait();
      const p = await sign(users.merchant, await payment(users.carol.address, "300"), domain);
      const settled = await settleRaw(ctx, users.carol, users.carol.address, encodeOfflineRecord(p));
      expectOutcomes(settled, ["settled"]);
      expect((await tenge.vatPayerOf(users.merchant)).markedVat).to.equal(0n);
      expect(await tenge.balanceOf(users.merchant)).to.equal(kzt("200"));
    });

    it("an earlier day's outflow does not count: a new day starts from zero", async function () {
      const { tenge, domain, payers, roles, users } = ctx;
      await (await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("150"))).wait();
      await (await tenge.connect(payers.dave).transfer(users.alice, kzt("150"))).wait();
      const p = await sign(
        payers.dave,
        await payment(users.merchant.address, "100", { validBefore: (await now()) + 3n * 86_400n }),
        domain,
      );
      expectOutcomes(await settle(ctx, [p]), ["DailyLimitExceeded"]);
      await time.increase(86_400);
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
      expect((await tenge.accountOf(payers.dave)).spentToday).to.equal(kzt("100"));
    });
  });

  describe("validity window", function () {
    it("NotYetValid at or before validAfter; Expired at or after validBefore", async function () {
      const { domain, payers, users } = ctx;
      const m = users.merchant.address;
      const t = (await now()) + 100n;
      const signed = [
        await sign(payers.dave, await payment(m, "1", { nonce: 0n, validAfter: t, validBefore: t + 100n }), domain),
        await sign(
          payers.dave,
          await payment(m, "1", { nonce: 1n, validAfter: t + 5n, validBefore: t + 100n }),
          domain,
        ),
        await sign(payers.dave, await payment(m, "1", { nonce: 2n, validAfter: 0n, validBefore: t }), domain),
        await sign(payers.dave, await payment(m, "1", { nonce: 3n, validAfter: 0n, validBefore: t - 1n }), domain),
      ];
      await time.setNextBlockTimestamp(t);
      expectOutcomes(await settle(ctx, signed), ["NotYetValid", "NotYetValid", "Expired", "Expired"]);
    });
  });

  describe("signatures", function () {
    it("refuses high s: of a signature and its malleable twin (same signer for plain ecrecover) only the low-s one settles", async function () {
      const { tenge, offline, domain, banks, users } = ctx;
      const m = users.merchant.address;
      const p = await payment(m, "1");
      // A signature with s exactly at the half order, for the key that recovers from it (any r, s, digest is a
      // valid signature of some key): its twin has s = n - s = half + 1, still representable in EIP-2098 form.
      const digest = offlinePaymentDigest(domain, p);
      const r = (await sign(ctx.payers.dave, p, domain)).signature.r;
      const signer = recoverAddress(digest, { r, s: toBeHex(HALF_ORDER, 32), v: 27 });
      const twinSigner = recoverAddress(digest, { r, s: toBeHex(SECP256K1_N - HALF_ORDER, 32), v: 28 });
      expect(twinSigner).to.equal(signer);
      await (await tenge.connect(banks.bankA).onboard(signer, 1)).wait();
      await (await tenge.connect(banks.bankA).mint(signer, kzt("5"))).wait();
      extraHolders = [signer];
      const low = { ...p, payer: signer, signature: { r, yParityAndS: toBeHex(HALF_ORDER, 32) } };
      const twin = { ...low, signature: { r, yParityAndS: toBeHex((1n << 255n) | (SECP256K1_N - HALF_ORDER), 32) } };
      const settled = await settleRaw(ctx, users.merchant, m, concat([recordUnchecked(twin), recordUnchecked(low)]));
      expectOutcomes(settled, ["BadSignature", "settled"]);
      await expect(settled.receipt)
        .to.emit(offline, "OfflinePaymentFailed")
        .withArgs(m, 0n, ZeroAddress, 0n, reason("BadSignature"));
      expect(await tenge.balanceOf(signer)).to.equal(kzt("4"));
    });

    it("an EIP-2098 signature cannot carry the usual malleable twin (s' >= 2^255 overflows into the parity bit)", async function () {
      const { domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "1"), domain);
      const twin = { ...p, signature: malleable(p.signature) };
      const settled = await settleRaw(ctx, users.merchant, users.merchant.address, recordUnchecked(twin));
      expectOutcomes(settled, ["BadSignature"]);
      expect(settled.result.failed[0].payer).not.to.equal(payers.dave.address);
      expectOutcomes(await settle(ctx, [p]), ["settled"]);
    });

    it("BadSignature with payer zero for a signature that recovers to nothing (r = 0)", async function () {
      const { offline, domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "1"), domain);
      const settled = await settleRaw(ctx, users.merchant, users.merchant.address, patchRecord(p, 23, ZeroHash));
      expectOutcomes(settled, ["BadSignature"]);
      await expect(settled.receipt)
        .to.emit(offline, "OfflinePaymentFailed")
        .withArgs(users.merchant.address, 0n, ZeroAddress, 0n, reason("BadSignature"));
    });

    it("BadSignature for a tampered amount, window or nonce: it recovers to an unrelated address", async function () {
      const { tenge, domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "1"), domain);
      const tampered = [
        patchRecord(p, 0, toBeHex(kzt("900"), 8)),
        patchRecord(p, 13, toBeHex((await now()) + 999_999n, 5)),
        patchRecord(p, 18, toBeHex(9n, 4)),
      ];
      const settled = await settleRaw(ctx, users.merchant, users.merchant.address, concat(tampered));
      expectOutcomes(settled, ["BadSignature", "BadSignature", "BadSignature"]);
      for (const f of settled.result.failed) expect(f.payer).not.to.equal(payers.dave.address);
      expect(await tenge.balanceOf(payers.dave)).to.equal(kzt("1000"));
    });

    it("BadSignature for a fromPurse byte other than 0 or 1", async function () {
      const { domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.merchant.address, "1"), domain);
      const settled = await settleRaw(ctx, users.merchant, users.merchant.address, patchRecord(p, 22, "0x02"));
      expectOutcomes(settled, ["BadSignature"]);
      expect(settled.result.failed[0].payer).to.equal(ZeroAddress);
    });

    it("BadSignature for a payer that is not onboarded", async function () {
      const { domain, users } = ctx;
      const stranger = wallet("stranger");
      const p = await sign(stranger, await payment(users.merchant.address, "1"), domain);
      const settled = await settle(ctx, [p]);
      expectOutcomes(settled, ["BadSignature"]);
      expect(settled.result.failed[0].payer).to.equal(stranger.address);
    });

    it("BadSignature for a payment to another payee submitted in this payee's batch", async function () {
      const { domain, payers, users } = ctx;
      const p = await sign(payers.dave, await payment(users.carol.address, "1"), domain);
      const settled = await settleRaw(ctx, users.merchant, users.merchant.address, encodeOfflineRecord(p));
      expectOutcomes(settled, ["BadSignature"]);
    });

    it("no replay across chains or contracts: a payment signed for another chain id or token is a BadSignature", async function () {
      const { tenge, domain, payers, users } = ctx;
      const m = users.merchant.address;
      const token = await tenge.getAddress();
      const otherChain = offlineDomain(56n, token);
      const otherToken = offlineDomain(domain.chainId as bigint, await users.relayer.getAddress());
      const otherName = offlineDomain(domain.chainId as bigint, token, "Digital Tenge V2");
      const signed = [
        await sign(payers.dave, await payment(m, "1", { nonce: 1n }), otherChain),
        await sign(payers.dave, await payment(m, "1", { nonce: 2n }), otherToken),
        await sign(payers.dave, await payment(m, "1", { nonce: 3n }), otherName),
        await sign(payers.dave, await payment(m, "1", { nonce: 4n }), offlineDomain(domain.chainId as bigint, token)),
      ];
      expectOutcomes(await settle(ctx, signed), ["BadSignature", "BadSignature", "BadSignature", "settled"]);
    });

    it("a signature of the same fields under another type name is a BadSignature", async function () {
      const { domain, payers, users } = ctx;
      const p = await payment(users.merchant.address, "1");
      const fields = [
        { name: "payee", type: "address" },
        { name: "amount", type: "uint256" },
        { name: "validAfter", type: "uint256" },
        { name: "validBefore", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "fromPurse", type: "bool" },
      ];
      const other = Signature.from(
        await payers.dave.signTypedData(domain, { TransferWithAuthorization: fields }, { ...p }),
      );
      const record = encodeOfflineRecord({
        ...p,
        payer: payers.dave.address,
        signature: { r: other.r, yParityAndS: other.yParityAndS },
      });
      expectOutcomes(await settleRaw(ctx, users.merchant, users.merchant.address, record), ["BadSignature"]);
    });
  });

  describe("the batch as a whole", function () {
    it("reports each failure with its index and settles the rest (mixed batch)", async function () {
      const { tenge, domain, payers, roles, users } = ctx;
      const m = users.merchant.address;
      await (await tenge.connect(roles.compliance).freeze(payers.frank, REASON)).wait();
      await (await ctx.offline.connect(payers.erin).cancelOfflinePayment(3n)).wait();
      const settled = await settle(ctx, [
        await sign(payers.dave, await payment(m, "10", { nonce: 1n }), domain),
        await sign(payers.frank, await payment(m, "10"), domain),
        await sign(payers.erin, await payment(m, "10", { nonce: 3n }), domain),
        await sign(payers.erin, await payment(m, "5000", { nonce: 4n }), domain),
        await sign(payers.erin, await payment(m, "10", { nonce: 5n }), domain),
      ]);
      expectOutcomes(settled, ["settled", "PayerFrozen", "Cancelled", "InsufficientFunds", "settled"]);
      expect(settled.result.total).to.equal(kzt("20"));
    });

    it("reverts for anyone but the payee: TengeOfflineCallerNotPayee", async function () {
      const { offline, domain, payers, users } = ctx;
      const data = encodeOfflineBatch([await sign(payers.dave, await payment(users.merchant.address, "1"), domain)]);
      await expect(offline.connect(users.relayer).settleOfflinePayments(users.merchant, data))
        .to.be.revertedWithCustomError(offline, "TengeOfflineCallerNotPayee")
        .withArgs(users.relayer.address, users.merchant.address);
    });

    for (const length of [0, 1, OFFLINE_RECORD_SIZE - 1, OFFLINE_RECORD_SIZE + 1, 2 * OFFLINE_RECORD_SIZE - 1]) {
      it(`reverts for a batch of ${length} bytes: TengeOfflineMalformedBatch`, async function () {
        const { offline, users } = ctx;
        const data = toBeHex(0n, length === 0 ? 0 : length);
        await expect(offline.connect(users.merchant).settleOfflinePayments(users.merchant, length === 0 ? "0x" : data))
          .to.be.revertedWithCustomError(offline, "TengeOfflineMalformedBatch")
          .withArgs(BigInt(length), BigInt(OFFLINE_RECORD_SIZE));
      });
    }

    it("reverts while paused: EnforcedPause, and nothing moves", async function () {
      const { tenge, offline, domain, payers, roles, users } = ctx;
      const data = encodeOfflineBatch([await sign(payers.dave, await payment(users.merchant.address, "1"), domain)]);
      await (await tenge.connect(roles.pauser).pause()).wait();
      await expect(
        offline.connect(users.merchant).settleOfflinePayments(users.merchant, data),
      ).to.be.revertedWithCustomError(offline, "EnforcedPause");
      expect(await offline.offlineNonceStatus(payers.dave, 0n)).to.equal(0n);
    });

    it("reverts when the payee is not onboarded, frozen, or would exceed its holding limit", async function () {
      const { tenge, offline, domain, payers, roles, users } = ctx;
      const stranger = users.outsider;
      const toStranger = encodeOfflineBatch([await sign(payers.dave, await payment(stranger.address, "1"), domain)]);
      await expect(offline.connect(stranger).settleOfflinePayments(stranger, toStranger))
        .to.be.revertedWithCustomError(offline, "DigitalTengeNotOnboarded")
        .withArgs(stranger.address);

      const m = users.merchant.address;
      const data = encodeOfflineBatch([
        await sign(payers.dave, await payment(m, "600"), domain),
        await sign(payers.erin, await payment(m, "600"), domain),
      ]);
      await (await tenge.connect(roles.compliance).freeze(users.merchant, REASON)).wait();
      await expect(offline.connect(users.merchant).settleOfflinePayments(m, data))
        .to.be.revertedWithCustomError(offline, "DigitalTengeAccountFrozen")
        .withArgs(m);
      await (await tenge.connect(roles.compliance).unfreeze(users.merchant, REASON)).wait();

      await (await tenge.connect(roles.desk).setTierLimits(3, kzt("1000"), kzt("1000"))).wait();
      await expect(offline.connect(users.merchant).settleOfflinePayments(m, data))
        .to.be.revertedWithCustomError(offline, "DigitalTengeHoldingLimitExceeded")
        .withArgs(m, kzt("1000"), kzt("1200"));
      expect(await tenge.balanceOf(payers.dave)).to.equal(kzt("1000"));
      expect(await offline.offlineNonceStatus(payers.dave, 0n)).to.equal(0n);
    });

    it("a batch of 100 payments from distinct payers settles in one transaction", async function () {
      const { tenge, domain, banks, users } = ctx;
      const many = Array.from({ length: 100 }, (_, i) => wallet(`many ${i}`));
      await (await tenge.connect(banks.bankA).onboardBatch(many, 0)).wait();
      await (
        await tenge.connect(banks.bankA).mintBatch(
          many.map((w) => w.address),
          many.map(() => kzt("10")),
        )
      ).wait();
      const m = users.merchant.address;
      const signed = await Promise.all(many.map(async (w) => sign(w, await payment(m, "1.5"), domain)));
      const settled = await settle(ctx, signed);
      expect(settled.result.settled).to.equal(100);
      expect(await tenge.balanceOf(m)).to.equal(kzt("150"));
      extraHolders = many.map((w) => w.address);
    });
  });
});
