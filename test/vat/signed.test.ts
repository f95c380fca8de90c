import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { AbiCoder, ZeroAddress, keccak256 } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { DigitalTenge } from "../../typechain-types";
import { kzt } from "../fixtures/tenge.fixture";
import { Category, Status, invoiceRef, vatFixture } from "../fixtures/vat.fixture";
import {
  CANCEL_VRS,
  PERMIT_VRS,
  domainOf,
  permitArgs,
  signAuthorization,
  signCancellation,
  signPermit,
} from "../../scripts/lib/eip712";
import type { Authorization, SplitSignature } from "../../scripts/lib/eip712";
import { checkVatInvariantsAfterEach } from "./helpers";

const A = invoiceRef("POS-A");
const B = invoiceRef("POS-B");
const GROSS = kzt("1160");

/** The VAT fixture with two identical 1,160.00 KZT invoices A and B of the merchant, and a far deadline. */
async function signedFixture() {
  const f = await loadFixture(vatFixture);
  const { tenge, users } = f;
  await (await tenge.connect(users.merchant).issueInvoice(A, GROSS, false, Category.STANDARD, ZeroAddress)).wait();
  await (await tenge.connect(users.merchant).issueInvoice(B, GROSS, false, Category.STANDARD, ZeroAddress)).wait();
  const deadline = BigInt(await time.latest()) + 86_400n;
  return { ...f, domain: await domainOf(tenge), deadline };
}
type Ctx = Awaited<ReturnType<typeof signedFixture>>;

async function authorize(
  ctx: Ctx,
  signer: HardhatEthersSigner,
  ref: string,
  overrides: Partial<Authorization> = {},
): Promise<{ auth: Authorization; sig: SplitSignature }> {
  const auth: Authorization = {
    from: ctx.users.alice.address,
    to: ctx.users.merchant.address,
    value: GROSS,
    validAfter: 0n,
    validBefore: ctx.deadline,
    nonce: await ctx.tenge.invoiceNonce(ctx.users.merchant, ref),
    ...overrides,
  };
  return { auth, sig: await signAuthorization(signer, ctx.domain, auth, true) };
}

function payWithAuth(
  tenge: DigitalTenge,
  caller: HardhatEthersSigner,
  ref: string,
  { auth, sig }: { auth: Authorization; sig: SplitSignature },
) {
  return tenge
    .connect(caller)
    .payInvoiceWithAuthorization(
      auth.to,
      ref,
      auth.from,
      auth.value,
      auth.validAfter,
      auth.validBefore,
      sig.v,
      sig.r,
      sig.s,
    );
}

async function permit(ctx: Ctx, spender: string, value: bigint, signer = ctx.users.alice) {
  const p = {
    owner: ctx.users.alice.address,
    spender,
    value,
    nonce: await ctx.tenge.nonces(ctx.users.alice),
    deadline: ctx.deadline,
  };
  return { p, sig: await signPermit(signer, ctx.domain, p) };
}

describe("VAT: one-signature payments", function () {
  checkVatInvariantsAfterEach();

  describe("payInvoiceWithAuthorization (EIP-3009 ReceiveWithAuthorization)", function () {
    it("invoiceNonce is keccak256(abi.encode(merchant, invoiceRef))", async function () {
      const { tenge, users } = await loadFixture(signedFixture);
      const expected = keccak256(
        AbiCoder.defaultAbiCoder().encode(["address", "bytes32"], [users.merchant.address, A]),
      );
      expect(await tenge.invoiceNonce(users.merchant, A)).to.equal(expected);
    });

    it("pays the invoice from the signer when the merchant submits it", async function () {
      const ctx = await loadFixture(signedFixture);
      const { tenge, users } = ctx;
      await expect(payWithAuth(tenge, users.merchant, A, await authorize(ctx, users.alice, A))).to.changeTokenBalances(
        tenge,
        [users.alice, users.merchant, await tenge.VAT_LEDGER()],
        [-GROSS, kzt("1000"), kzt("160")],
      );
    });

    it("emits AuthorizationUsed(payer, invoice nonce) and InvoicePaid", async function () {
      const ctx = await loadFixture(signedFixture);
      const { tenge, users } = ctx;
      const signed = await authorize(ctx, users.alice, A);
      const tx = payWithAuth(tenge, users.merchant, A, signed);
      await expect(tx).to.emit(tenge, "AuthorizationUsed").withArgs(users.alice.address, signed.auth.nonce);
      await expect(tx)
        .to.emit(tenge, "InvoicePaid")
        .withArgs(users.merchant.address, users.alice.address, A, GROSS, kzt("1000"), kzt("160"), 1600n, false);
    });

    it("a signature for invoice A cannot pay invoice B: SignedTransfersInvalidSignature(payer)", async function () {
      const ctx = await loadFixture(signedFixture);
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, B, await authorize(ctx, ctx.users.alice, A)))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersInvalidSignature")
        .withArgs(ctx.users.alice.address);
    });

    it("only the merchant may submit: SignedTransfersCallerNotPayee(caller, merchant)", async function () {
      const ctx = await loadFixture(signedFixture);
      await expect(payWithAuth(ctx.tenge, ctx.users.relayer, A, await authorize(ctx, ctx.users.alice, A)))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersCallerNotPayee")
        .withArgs(ctx.users.relayer.address, ctx.users.merchant.address);
    });

    it("reverts VatAuthorizationAmount(value, gross) when the signed value is not the gross", async function () {
      const ctx = await loadFixture(signedFixture);
      await expect(
        payWithAuth(ctx.tenge, ctx.users.merchant, A, await authorize(ctx, ctx.users.alice, A, { value: GROSS - 1n })),
      )
        .to.be.revertedWithCustomError(ctx.tenge, "VatAuthorizationAmount")
        .withArgs(GROSS - 1n, GROSS);
    });

    it("cannot be replayed: SignedTransfersNonceUsed(payer, nonce)", async function () {
      const ctx = await loadFixture(signedFixture);
      const signed = await authorize(ctx, ctx.users.alice, A);
      await payWithAuth(ctx.tenge, ctx.users.merchant, A, signed);
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, A, signed))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersNonceUsed")
        .withArgs(ctx.users.alice.address, signed.auth.nonce);
    });

    it("an invoice already paid directly is not paid again: VatInvoiceStatus(…, PAID)", async function () {
      const ctx = await loadFixture(signedFixture);
      await ctx.tenge.connect(ctx.users.bob).payInvoice(ctx.users.merchant, A);
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, A, await authorize(ctx, ctx.users.alice, A)))
        .to.be.revertedWithCustomError(ctx.tenge, "VatInvoiceStatus")
        .withArgs(ctx.users.merchant.address, A, Status.PAID);
    });

    it("reverts SignedTransfersInvalidSignature when someone else signed", async function () {
      const ctx = await loadFixture(signedFixture);
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, A, await authorize(ctx, ctx.users.bob, A)))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersInvalidSignature")
        .withArgs(ctx.users.alice.address);
    });

    it("reverts SignedTransfersExpired at validBefore", async function () {
      const ctx = await loadFixture(signedFixture);
      const signed = await authorize(ctx, ctx.users.alice, A);
      await time.setNextBlockTimestamp(ctx.deadline);
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, A, signed))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersExpired")
        .withArgs(ctx.deadline);
    });

    it("reverts SignedTransfersNotYetValid before validAfter", async function () {
      const ctx = await loadFixture(signedFixture);
      const after = ctx.deadline - 10n;
      await expect(
        payWithAuth(ctx.tenge, ctx.users.merchant, A, await authorize(ctx, ctx.users.alice, A, { validAfter: after })),
      )
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersNotYetValid")
        .withArgs(after);
    });

    it("the payer can cancel it beforehand with cancelAuthorization on the invoice nonce", async function () {
      const ctx = await loadFixture(signedFixture);
      const signed = await authorize(ctx, ctx.users.alice, A);
      const c = await signCancellation(ctx.users.alice, ctx.domain, {
        authorizer: ctx.users.alice.address,
        nonce: signed.auth.nonce,
      });
      await ctx.tenge.connect(ctx.users.relayer).getFunction(CANCEL_VRS)(
        ctx.users.alice,
        signed.auth.nonce,
        c.v,
        c.r,
        c.s,
      );
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, A, signed))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersNonceUsed")
        .withArgs(ctx.users.alice.address, signed.auth.nonce);
    });

    it("respects a designated payer: VatNotInvoicePayer(signer, payer)", async function () {
      const ctx = await loadFixture(signedFixture);
      const ref = invoiceRef("POS-BOB");
      await ctx.tenge.connect(ctx.users.merchant).issueInvoice(ref, GROSS, false, Category.STANDARD, ctx.users.bob);
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, ref, await authorize(ctx, ctx.users.alice, ref)))
        .to.be.revertedWithCustomError(ctx.tenge, "VatNotInvoicePayer")
        .withArgs(ctx.users.alice.address, ctx.users.bob.address);
    });

    it("reverts VatAuthorizationAmount(value, 0) for an invoice that does not exist", async function () {
      const ctx = await loadFixture(signedFixture);
      const ref = invoiceRef("NOPE");
      await expect(payWithAuth(ctx.tenge, ctx.users.merchant, ref, await authorize(ctx, ctx.users.alice, ref)))
        .to.be.revertedWithCustomError(ctx.tenge, "VatAuthorizationAmount")
        .withArgs(GROSS, 0n);
    });
  });

  describe("payInvoiceWithPermit (EIP-2612)", function () {
    function payWithPermit(
      ctx: Ctx,
      caller: HardhatEthersSigner,
      ref: string,
      p: { value: bigint },
      sig: SplitSignature,
    ) {
      return ctx.tenge
        .connect(caller)
        .payInvoiceWithPermit(ctx.users.alice, ctx.users.merchant, ref, p.value, ctx.deadline, sig.v, sig.r, sig.s);
    }

    it("a POS pays the invoice from the payer in one transaction", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig)).to.changeTokenBalances(
        ctx.tenge,
        [ctx.users.alice, ctx.users.merchant, ctx.users.relayer],
        [-GROSS, kzt("1000"), 0n],
      );
    });

    it("emits Approval and InvoicePaid with the payer as payer", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS);
      const tx = payWithPermit(ctx, ctx.users.relayer, A, p, sig);
      await expect(tx)
        .to.emit(ctx.tenge, "Approval")
        .withArgs(ctx.users.alice.address, ctx.users.relayer.address, GROSS);
      await expect(tx)
        .to.emit(ctx.tenge, "InvoicePaid")
        .withArgs(ctx.users.merchant.address, ctx.users.alice.address, A, GROSS, kzt("1000"), kzt("160"), 1600n, false);
    });

    it("leaves the rest of a larger permit as allowance", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, kzt("5000"));
      await payWithPermit(ctx, ctx.users.relayer, A, p, sig);
      expect(await ctx.tenge.allowance(ctx.users.alice, ctx.users.relayer)).to.equal(kzt("5000") - GROSS);
    });

    it("works even when the permit was front-run (the allowance already covers the gross)", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS);
      await ctx.tenge.connect(ctx.users.outsider).getFunction(PERMIT_VRS)(...permitArgs("v, r, s", p, sig));
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig)).to.emit(ctx.tenge, "InvoicePaid");
    });

    it("reverts SignedTransfersInvalidSignature without allowance and with someone else's signature", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS, ctx.users.bob);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersInvalidSignature")
        .withArgs(ctx.users.alice.address);
    });

    it("a permit for another spender does not let this caller pay", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.bob.address, GROSS);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersInvalidSignature")
        .withArgs(ctx.users.alice.address);
    });

    it("reverts DigitalTengeInsufficientAllowance when the permit is below the gross", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS - 1n);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig))
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeInsufficientAllowance")
        .withArgs(ctx.users.relayer.address, GROSS - 1n, GROSS);
    });

    it("reverts SignedTransfersPermitExpired after the deadline", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS);
      await time.setNextBlockTimestamp(ctx.deadline + 1n);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig))
        .to.be.revertedWithCustomError(ctx.tenge, "SignedTransfersPermitExpired")
        .withArgs(ctx.deadline);
    });

    it("paying the same invoice twice with a larger allowance is rejected: VatInvoiceStatus(…, PAID)", async function () {
      const ctx = await loadFixture(signedFixture);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS * 2n);
      await payWithPermit(ctx, ctx.users.relayer, A, p, sig);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig))
        .to.be.revertedWithCustomError(ctx.tenge, "VatInvoiceStatus")
        .withArgs(ctx.users.merchant.address, A, Status.PAID);
    });

    it("a failed payment leaves the allowance untouched", async function () {
      const ctx = await loadFixture(signedFixture);
      await ctx.tenge.connect(ctx.users.alice).approve(ctx.users.relayer, GROSS);
      await ctx.tenge.connect(ctx.users.merchant).cancelInvoice(A);
      const { p, sig } = await permit(ctx, ctx.users.relayer.address, GROSS);
      await expect(payWithPermit(ctx, ctx.users.relayer, A, p, sig)).to.be.revertedWithCustomError(
        ctx.tenge,
        "VatInvoiceStatus",
      );
      expect(await ctx.tenge.allowance(ctx.users.alice, ctx.users.relayer)).to.equal(GROSS);
    });
  });
});
