import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { authorization, authorizationWith, permitWith } from "../helpers/signed";
import { TypedDataEncoder, ZeroAddress } from "ethers";
import type { TypedDataDomain } from "ethers";
import { domainOf, signAuthorization, signPermit } from "../../scripts/lib/eip712";
import type { Authorization } from "../../scripts/lib/eip712";
import { suiteFixture } from "../fixtures/suite.fixture";
import { kzt } from "../fixtures/tenge.fixture";
import { invoiceRef } from "../fixtures/vat.fixture";

/*
 * Signature replay and front-running across the contracts that share SignedTransfers (tenge, stablecoin, gold) and
 * the programs escrow. Replays across contracts and chains must not verify; a third party that copies a signature
 * from the mempool must not redirect funds nor block the action where the docs promise it goes ahead.
 *
 * Forks: no contract caches its domain separator; each computes it from `block.chainid` on every call
 * (SignedTransfers._domainSeparator, PurposeBoundPrograms._domainSeparator), so after a fork that changes the chain
 * id, signatures for the old chain stop verifying. Hardhat cannot change the chain id mid-run; the tests below check
 * that DOMAIN_SEPARATOR() equals the separator rebuilt from eip712Domain() (whose chainId is block.chainid), and that
 * a signature for another chain id is refused.
 */

const HOUR = 3_600n;

async function deadline(): Promise<bigint> {
  return BigInt(await time.latest()) + HOUR;
}

describe("Adversarial: signature replay and front-running", function () {
  describe("domains", function () {
    for (const name of ["tenge", "coin", "gold", "programs"] as const) {
      it(`${name}: DOMAIN_SEPARATOR() is the separator of eip712Domain() on this chain`, async function () {
        const ctx = await loadFixture(suiteFixture);
        const contract = ctx[name];
        const domain = await domainOf(contract);
        expect(domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
        expect(await contract.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(domain));
      });
    }

    it("the four signing contracts have four different separators", async function () {
      const { tenge, coin, gold, programs } = await loadFixture(suiteFixture);
      const separators = await Promise.all([tenge, coin, gold, programs].map((c) => c.DOMAIN_SEPARATOR()));
      expect(new Set(separators).size).to.equal(4);
    });
  });

  describe("replay", function () {
    it("a tenge permit replayed on the stablecoin does not verify: SignedTransfersInvalidSignature", async function () {
      const { tenge, coin, users } = await loadFixture(suiteFixture);
      const permit = {
        owner: users.alice.address,
        spender: users.bob.address,
        value: kzt("100"),
        nonce: 0n,
        deadline: await deadline(),
      };
      const sig = await signPermit(users.alice, await domainOf(tenge), permit);
      await expect(permitWith(coin, "v, r, s", permit, sig))
        .to.be.revertedWithCustomError(coin, "SignedTransfersInvalidSignature")
        .withArgs(users.alice.address);
    });

    it("a tenge permit replayed on the gold token does not verify: SignedTransfersInvalidSignature", async function () {
      const { tenge, gold, users } = await loadFixture(suiteFixture);
      const permit = {
        owner: users.alice.address,
        spender: users.bob.address,
        value: 100n,
        nonce: 0n,
        deadline: await deadline(),
      };
      const sig = await signPermit(users.alice, await domainOf(tenge), permit);
      await expect(permitWith(gold, "v, r, s", permit, sig))
        .to.be.revertedWithCustomError(gold, "SignedTransfersInvalidSignature")
        .withArgs(users.alice.address);
    });

    it("a tenge transferWithAuthorization replayed on the stablecoin does not verify", async function () {
      const { tenge, coin, users } = await loadFixture(suiteFixture);
      const auth = await authorization(users.alice.address, users.bob.address, kzt("10"));
      const sig = await signAuthorization(users.alice, await domainOf(tenge), auth);
      await expect(authorizationWith(coin.connect(users.relayer), "v, r, s", false, auth, sig))
        .to.be.revertedWithCustomError(coin, "SignedTransfersInvalidSignature")
        .withArgs(users.alice.address);
    });

    it("a permit signed for another chain id does not verify on this chain", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const domain: TypedDataDomain = { ...(await domainOf(tenge)), chainId: 56n };
      const permit = {
        owner: users.alice.address,
        spender: users.bob.address,
        value: kzt("100"),
        nonce: 0n,
        deadline: await deadline(),
      };
      const sig = await signPermit(users.alice, domain, permit);
      await expect(permitWith(tenge, "v, r, s", permit, sig))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(users.alice.address);
    });

    it("a used permit cannot be replayed on the same contract", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const permit = {
        owner: users.alice.address,
        spender: users.bob.address,
        value: kzt("100"),
        nonce: 0n,
        deadline: await deadline(),
      };
      const sig = await signPermit(users.alice, await domainOf(tenge), permit);
      await (await permitWith(tenge, "v, r, s", permit, sig)).wait();
      await expect(permitWith(tenge, "v, r, s", permit, sig))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(users.alice.address);
    });
  });

  describe("front-running", function () {
    it("a third party cannot submit a receiveWithAuthorization: SignedTransfersCallerNotPayee", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const auth = await authorization(users.alice.address, users.bob.address, kzt("10"));
      const sig = await signAuthorization(users.alice, await domainOf(tenge), auth, true);
      await expect(authorizationWith(tenge.connect(users.outsider), "v, r, s", true, auth, sig))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersCallerNotPayee")
        .withArgs(users.outsider.address, users.bob.address);
    });

    it("a front-run transferWithAuthorization still pays the signed recipient, once", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const auth = await authorization(users.alice.address, users.bob.address, kzt("10"));
      const sig = await signAuthorization(users.alice, await domainOf(tenge), auth);
      const submit = (by: typeof users.outsider) => authorizationWith(tenge.connect(by), "v, r, s", false, auth, sig);
      await expect(submit(users.outsider)).to.changeTokenBalances(
        tenge,
        [users.alice, users.bob],
        [-kzt("10"), kzt("10")],
      );
      await expect(submit(users.relayer))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
        .withArgs(users.alice.address, auth.nonce);
    });

    it("payInvoiceWithPermit goes ahead after its permit was front-run through permit()", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const ref = invoiceRef("front-run");
      const gross = kzt("116");
      await (await tenge.connect(users.merchant).issueInvoice(ref, gross, false, 0, ZeroAddress)).wait();
      const permit = {
        owner: users.alice.address,
        spender: users.merchant.address,
        value: gross,
        nonce: 0n,
        deadline: await deadline(),
      };
      const sig = await signPermit(users.alice, await domainOf(tenge), permit);
      await (await permitWith(tenge.connect(users.outsider), "v, r, s", permit, sig)).wait();
      await (
        await tenge
          .connect(users.merchant)
          .payInvoiceWithPermit(users.alice, users.merchant, ref, gross, permit.deadline, sig.v, sig.r, sig.s)
      ).wait();
      expect((await tenge.invoiceOf(users.merchant, ref)).status).to.equal(2n);
    });

    it("a replayed payInvoiceWithPermit cannot pay the invoice twice: VatInvoiceStatus", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const ref = invoiceRef("replayed");
      const gross = kzt("116");
      await (await tenge.connect(users.merchant).issueInvoice(ref, gross, false, 0, ZeroAddress)).wait();
      // an allowance far above the gross, so only the invoice's status can stop the second payment
      const permit = {
        owner: users.alice.address,
        spender: users.merchant.address,
        value: gross * 10n,
        nonce: 0n,
        deadline: await deadline(),
      };
      const sig = await signPermit(users.alice, await domainOf(tenge), permit);
      const pay = () =>
        tenge
          .connect(users.merchant)
          .payInvoiceWithPermit(users.alice, users.merchant, ref, permit.value, permit.deadline, sig.v, sig.r, sig.s);
      await (await pay()).wait();
      await expect(pay())
        .to.be.revertedWithCustomError(tenge, "VatInvoiceStatus")
        .withArgs(users.merchant.address, ref, 2n);
    });

    it("only the merchant may submit payInvoiceWithAuthorization: SignedTransfersCallerNotPayee", async function () {
      const { tenge, users } = await loadFixture(suiteFixture);
      const ref = invoiceRef("authorization");
      const gross = kzt("116");
      await (await tenge.connect(users.merchant).issueInvoice(ref, gross, false, 0, ZeroAddress)).wait();
      const auth: Authorization = {
        from: users.alice.address,
        to: users.merchant.address,
        value: gross,
        validAfter: 0n,
        validBefore: await deadline(),
        nonce: await tenge.invoiceNonce(users.merchant, ref),
      };
      const sig = await signAuthorization(users.alice, await domainOf(tenge), auth, true);
      await expect(
        tenge
          .connect(users.outsider)
          .payInvoiceWithAuthorization(
            users.merchant,
            ref,
            users.alice,
            gross,
            0n,
            auth.validBefore,
            sig.v,
            sig.r,
            sig.s,
          ),
      )
        .to.be.revertedWithCustomError(tenge, "SignedTransfersCallerNotPayee")
        .withArgs(users.outsider.address, users.merchant.address);
    });
  });
});
