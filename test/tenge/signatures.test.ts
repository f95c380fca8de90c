import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { TypedDataEncoder, Wallet, ZeroHash, concat, getAddress, id, toBeHex, zeroPadValue } from "ethers";
import type { Signer, TypedDataDomain } from "ethers";
import type { DigitalTenge } from "../../typechain-types";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";
import { authorization, authorizationWith, cancelWith, permitWith } from "../helpers/signed";
import {
  CANCEL_AUTHORIZATION_TYPES,
  PERMIT_TYPES,
  RECEIVE_WITH_AUTHORIZATION_TYPES,
  SIGNATURE_FORMS as FORMS,
  SplitSignature,
  TRANSFER_BYTES,
  TRANSFER_WITH_AUTHORIZATION_TYPES,
  domainOf,
  malleableTwin,
  randomNonce,
  signAuthorization,
  signCancellation,
  signPermit,
  type PermitArgs,
} from "../../scripts/lib/eip712";

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** A permit for `owner`'s current nonce, valid for an hour. */
async function permitFor(tenge: DigitalTenge, owner: string, spender: string, value: bigint): Promise<PermitArgs> {
  return { owner, spender, value, nonce: await tenge.nonces(owner), deadline: (await now()) + 3600n };
}

/**
 * The base fixture plus: the token's EIP-712 domain; an ERC-1271 contract wallet owned by a fixed key, onboarded
 * by bank A (tier 1) and holding 1,000 KZT; a key that owns nothing.
 */
async function signaturesFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, banks } = base;
  const domain = await domainOf(tenge);
  const walletOwner = new Wallet(id("DigitalTenge signatures: ERC-1271 wallet owner"));
  const stranger = new Wallet(id("DigitalTenge signatures: stranger"));
  const contractWallet = await ethers.deployContract("ERC1271WalletMock", [walletOwner.address]);
  await contractWallet.waitForDeployment();
  await (await tenge.connect(banks.bankA).onboard(contractWallet, 1)).wait();
  await (await tenge.connect(banks.bankA).mint(contractWallet, kzt("1000"))).wait();
  return {
    ...base,
    domain,
    keys: { walletOwner, stranger },
    contractWallet: { contract: contractWallet, address: await contractWallet.getAddress() },
  };
}

/** A second, independent DigitalTenge proxy with the same name (and so the same EIP-712 name and version). */
async function twinDeploymentFixture() {
  const base = await loadFixture(signaturesFixture);
  const factory = await ethers.getContractFactory("DigitalTenge", base.roles.centralBank);
  const proxy = await upgrades.deployProxy(factory, [base.roles.centralBank.address], {
    kind: "uups",
    constructorArgs: ["Digital Tenge", "DKZT", await base.tenge.adminModule(), await base.tenge.offlineModule()],
    initializer: "initialize",
  });
  await proxy.waitForDeployment();
  const other = await ethers.getContractAt("DigitalTenge", await proxy.getAddress());
  return { ...base, other, otherDomain: await domainOf(other) };
}

describe("DigitalTenge signatures", function () {
  describe("EIP-712 domain", function () {
    it("publishes fields 0x0f, the token name, version 1, the chain id and the proxy address via eip712Domain()", async function () {
      const { tenge } = await loadFixture(signaturesFixture);
      const [fields, name, version, chainId, verifyingContract, salt, extensions] = await tenge.eip712Domain();
      expect({ fields, name, version, chainId, verifyingContract, salt, extensions }).to.deep.equal({
        fields: "0x0f",
        name: "Digital Tenge",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await tenge.getAddress(),
        salt: ZeroHash,
        extensions: [],
      });
    });

    it("uses the proxy, not the implementation, as verifying contract", async function () {
      const { tenge } = await loadFixture(signaturesFixture);
      const implementation = await upgrades.erc1967.getImplementationAddress(await tenge.getAddress());
      expect((await tenge.eip712Domain()).verifyingContract).to.not.equal(getAddress(implementation));
    });

    it("returns a DOMAIN_SEPARATOR equal to ethers' TypedDataEncoder.hashDomain of that domain", async function () {
      const { tenge, domain } = await loadFixture(signaturesFixture);
      expect(await tenge.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(domain));
    });

    it("has PERMIT_TYPEHASH equal to keccak256 of the EIP-2612 Permit type string", async function () {
      const { tenge } = await loadFixture(signaturesFixture);
      const type = "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)";
      expect(TypedDataEncoder.from(PERMIT_TYPES).encodeType("Permit")).to.equal(type);
      expect(await tenge.PERMIT_TYPEHASH()).to.equal(id(type));
    });

    it("has TRANSFER_WITH_AUTHORIZATION_TYPEHASH equal to keccak256 of the EIP-3009 type string", async function () {
      const { tenge } = await loadFixture(signaturesFixture);
      const type =
        "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
      expect(TypedDataEncoder.from(TRANSFER_WITH_AUTHORIZATION_TYPES).encodeType("TransferWithAuthorization")).to.equal(
        type,
      );
      expect(await tenge.TRANSFER_WITH_AUTHORIZATION_TYPEHASH()).to.equal(id(type));
    });

    it("has RECEIVE_WITH_AUTHORIZATION_TYPEHASH equal to keccak256 of the EIP-3009 type string", async function () {
      const { tenge } = await loadFixture(signaturesFixture);
      const type =
        "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)";
      expect(TypedDataEncoder.from(RECEIVE_WITH_AUTHORIZATION_TYPES).encodeType("ReceiveWithAuthorization")).to.equal(
        type,
      );
      expect(await tenge.RECEIVE_WITH_AUTHORIZATION_TYPEHASH()).to.equal(id(type));
    });

    it("has CANCEL_AUTHORIZATION_TYPEHASH equal to keccak256 of the EIP-3009 type string", async function () {
      const { tenge } = await loadFixture(signaturesFixture);
      const type = "CancelAuthorization(address authorizer,bytes32 nonce)";
      expect(TypedDataEncoder.from(CANCEL_AUTHORIZATION_TYPES).encodeType("CancelAuthorization")).to.equal(type);
      expect(await tenge.CANCEL_AUTHORIZATION_TYPEHASH()).to.equal(id(type));
    });
  });

  for (const form of FORMS) {
    describe(`permit (${form})`, function () {
      it("sets the allowance and emits Approval", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("250"));
        const sig = await signPermit(users.alice, domain, p);
        await expect(permitWith(tenge.connect(users.relayer), form, p, sig))
          .to.emit(tenge, "Approval")
          .withArgs(users.alice.address, users.bob.address, kzt("250"));
        expect(await tenge.allowance(users.alice, users.bob)).to.equal(kzt("250"));
      });

      it("increments the owner's nonce", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("250"));
        await permitWith(tenge.connect(users.relayer), form, p, await signPermit(users.alice, domain, p));
        expect(await tenge.nonces(users.alice)).to.equal(p.nonce + 1n);
      });

      it("accepts a permit used in the block whose timestamp equals its deadline", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        await time.setNextBlockTimestamp(p.deadline);
        await permitWith(tenge.connect(users.relayer), form, p, await signPermit(users.alice, domain, p));
        expect(await tenge.allowance(users.alice, users.bob)).to.equal(kzt("1"));
      });

      it("reverts with SignedTransfersPermitExpired(deadline) after the deadline", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = {
          ...(await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"))),
          deadline: await now(),
        };
        const sig = await signPermit(users.alice, domain, p);
        await time.setNextBlockTimestamp(p.deadline + 1n);
        await expect(permitWith(tenge.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersPermitExpired")
          .withArgs(p.deadline);
      });

      it("reverts with SignedTransfersInvalidSignature(owner) when another key signed", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        const sig = await signPermit(users.bob, domain, p);
        await expect(permitWith(tenge.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it("reverts with SignedTransfersInvalidSignature(owner) when the value differs from the signed one", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        const sig = await signPermit(users.alice, domain, p);
        await expect(permitWith(tenge.connect(users.relayer), form, { ...p, value: kzt("1000") }, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it("reverts with SignedTransfersInvalidSignature(owner) when replayed", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        const sig = await signPermit(users.alice, domain, p);
        await permitWith(tenge.connect(users.relayer), form, p, sig);
        await expect(permitWith(tenge.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    });

    describe(`transferWithAuthorization (${form})`, function () {
      it("moves the value from the payer to the payee, submitted by a relayer", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("150.25"));
        const sig = await signAuthorization(users.alice, domain, a);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig)).to.changeTokenBalances(
          tenge,
          [users.alice, users.bob, users.relayer],
          [-kzt("150.25"), kzt("150.25"), 0n],
        );
      });

      it("emits AuthorizationUsed(authorizer, nonce) and Transfer", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const tx = authorizationWith(
          tenge.connect(users.relayer),
          form,
          false,
          a,
          await signAuthorization(users.alice, domain, a),
        );
        await expect(tx).to.emit(tenge, "AuthorizationUsed").withArgs(users.alice.address, a.nonce);
        await expect(tx).to.emit(tenge, "Transfer").withArgs(users.alice.address, users.bob.address, kzt("1"));
      });

      it("marks the nonce used in authorizationState", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        expect(await tenge.authorizationState(users.alice, a.nonce)).to.equal(false);
        await authorizationWith(
          tenge.connect(users.relayer),
          form,
          false,
          a,
          await signAuthorization(users.alice, domain, a),
        );
        expect(await tenge.authorizationState(users.alice, a.nonce)).to.equal(true);
      });

      it("reverts with SignedTransfersNotYetValid(validAfter) when block.timestamp == validAfter", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const validAfter = (await now()) + 100n;
        const a = { ...(await authorization(users.alice.address, users.bob.address, kzt("1"))), validAfter };
        const sig = await signAuthorization(users.alice, domain, a);
        await time.setNextBlockTimestamp(validAfter);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNotYetValid")
          .withArgs(validAfter);
      });

      it("accepts the authorization in the first second after validAfter", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const validAfter = (await now()) + 100n;
        const a = { ...(await authorization(users.alice.address, users.bob.address, kzt("1"))), validAfter };
        const sig = await signAuthorization(users.alice, domain, a);
        await time.setNextBlockTimestamp(validAfter + 1n);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig)).to.changeTokenBalance(
          tenge,
          users.bob,
          kzt("1"),
        );
      });

      it("reverts with SignedTransfersExpired(validBefore) when block.timestamp == validBefore", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await time.setNextBlockTimestamp(a.validBefore);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersExpired")
          .withArgs(a.validBefore);
      });

      it("accepts the authorization in the last second before validBefore", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await time.setNextBlockTimestamp(a.validBefore - 1n);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig)).to.changeTokenBalance(
          tenge,
          users.bob,
          kzt("1"),
        );
      });

      it("reverts with SignedTransfersNonceUsed(authorizer, nonce) when the nonce is reused", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await authorizationWith(tenge.connect(users.relayer), form, false, a, sig);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
          .withArgs(users.alice.address, a.nonce);
      });

      it("reverts with SignedTransfersNonceUsed when the nonce was signed again for a different payment", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        await authorizationWith(
          tenge.connect(users.relayer),
          form,
          false,
          a,
          await signAuthorization(users.alice, domain, a),
        );
        const again = { ...a, to: users.carol.address, value: kzt("2") };
        await expect(
          authorizationWith(
            tenge.connect(users.relayer),
            form,
            false,
            again,
            await signAuthorization(users.alice, domain, again),
          ),
        )
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
          .withArgs(users.alice.address, a.nonce);
      });

      it("reverts with SignedTransfersNonceUsed(authorizer, nonce) when the nonce was cancelled", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const cancel = await signCancellation(users.alice, domain, { authorizer: a.from, nonce: a.nonce });
        await cancelWith(tenge.connect(users.relayer), form, a.from, a.nonce, cancel);
        await expect(
          authorizationWith(
            tenge.connect(users.relayer),
            form,
            false,
            a,
            await signAuthorization(users.alice, domain, a),
          ),
        )
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
          .withArgs(users.alice.address, a.nonce);
      });

      it("reverts with SignedTransfersInvalidSignature(from) when another key signed", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        await expect(
          authorizationWith(
            tenge.connect(users.relayer),
            form,
            false,
            a,
            await signAuthorization(users.bob, domain, a),
          ),
        )
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it("reverts with SignedTransfersInvalidSignature(from) when the payee differs from the signed one", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await expect(
          authorizationWith(tenge.connect(users.relayer), form, false, { ...a, to: users.carol.address }, sig),
        )
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it("reverts with SignedTransfersInvalidSignature(from) for a ReceiveWithAuthorization signature", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a, true);
        await expect(authorizationWith(tenge.connect(users.bob), form, false, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    });

    describe(`receiveWithAuthorization (${form})`, function () {
      it("moves the value when the payee submits it", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("99.99"));
        const sig = await signAuthorization(users.alice, domain, a, true);
        await expect(authorizationWith(tenge.connect(users.bob), form, true, a, sig)).to.changeTokenBalances(
          tenge,
          [users.alice, users.bob],
          [-kzt("99.99"), kzt("99.99")],
        );
      });

      it("emits AuthorizationUsed(authorizer, nonce)", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a, true);
        await expect(authorizationWith(tenge.connect(users.bob), form, true, a, sig))
          .to.emit(tenge, "AuthorizationUsed")
          .withArgs(users.alice.address, a.nonce);
      });

      it("reverts with SignedTransfersCallerNotPayee(caller, payee) when a third party front-runs the payee", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a, true);
        await expect(authorizationWith(tenge.connect(users.relayer), form, true, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersCallerNotPayee")
          .withArgs(users.relayer.address, users.bob.address);
      });

      it("reverts with SignedTransfersInvalidSignature(from) for a TransferWithAuthorization signature", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await expect(authorizationWith(tenge.connect(users.bob), form, true, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it("reverts with SignedTransfersNotYetValid(validAfter) when block.timestamp == validAfter", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const validAfter = (await now()) + 100n;
        const a = { ...(await authorization(users.alice.address, users.bob.address, kzt("1"))), validAfter };
        const sig = await signAuthorization(users.alice, domain, a, true);
        await time.setNextBlockTimestamp(validAfter);
        await expect(authorizationWith(tenge.connect(users.bob), form, true, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNotYetValid")
          .withArgs(validAfter);
      });

      it("reverts with SignedTransfersExpired(validBefore) when block.timestamp == validBefore", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a, true);
        await time.setNextBlockTimestamp(a.validBefore);
        await expect(authorizationWith(tenge.connect(users.bob), form, true, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersExpired")
          .withArgs(a.validBefore);
      });

      it("reverts with SignedTransfersNonceUsed when the nonce was used by transferWithAuthorization", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        await authorizationWith(
          tenge.connect(users.relayer),
          form,
          false,
          a,
          await signAuthorization(users.alice, domain, a),
        );
        await expect(
          authorizationWith(
            tenge.connect(users.bob),
            form,
            true,
            a,
            await signAuthorization(users.alice, domain, a, true),
          ),
        )
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
          .withArgs(users.alice.address, a.nonce);
      });
    });

    describe(`cancelAuthorization (${form})`, function () {
      it("emits AuthorizationCanceled(authorizer, nonce)", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce });
        await expect(cancelWith(tenge.connect(users.relayer), form, users.alice.address, nonce, sig))
          .to.emit(tenge, "AuthorizationCanceled")
          .withArgs(users.alice.address, nonce);
      });

      it("marks the nonce spent in authorizationState", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce });
        await cancelWith(tenge.connect(users.relayer), form, users.alice.address, nonce, sig);
        expect(await tenge.authorizationState(users.alice, nonce)).to.equal(true);
      });

      it("reverts with SignedTransfersNonceUsed(authorizer, nonce) when the nonce was already used", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        await authorizationWith(
          tenge.connect(users.relayer),
          form,
          false,
          a,
          await signAuthorization(users.alice, domain, a),
        );
        const sig = await signCancellation(users.alice, domain, { authorizer: a.from, nonce: a.nonce });
        await expect(cancelWith(tenge.connect(users.relayer), form, a.from, a.nonce, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
          .withArgs(users.alice.address, a.nonce);
      });

      it("reverts with SignedTransfersNonceUsed(authorizer, nonce) when cancelled twice", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce });
        await cancelWith(tenge.connect(users.relayer), form, users.alice.address, nonce, sig);
        await expect(cancelWith(tenge.connect(users.relayer), form, users.alice.address, nonce, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersNonceUsed")
          .withArgs(users.alice.address, nonce);
      });

      it("reverts with SignedTransfersInvalidSignature(authorizer) when another key signed", async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.bob, domain, { authorizer: users.alice.address, nonce });
        await expect(cancelWith(tenge.connect(users.bob), form, users.alice.address, nonce, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    });
  }

  describe("replay across chains", function () {
    for (const form of FORMS) {
      it(`refuses a permit signed for another chain id with SignedTransfersInvalidSignature (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        const sig = await signPermit(users.alice, { ...domain, chainId: 56n }, p);
        await expect(permitWith(tenge.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`refuses an authorization signed for another chain id with SignedTransfersInvalidSignature (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, { ...domain, chainId: 97n }, a);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    }
  });

  describe("replay across deployments", function () {
    it("gives a second proxy with the same name a domain that differs only in verifyingContract", async function () {
      const { domain, otherDomain, other } = await loadFixture(twinDeploymentFixture);
      expect(otherDomain).to.deep.equal({ ...domain, verifyingContract: await other.getAddress() });
      expect(otherDomain.verifyingContract).to.not.equal(domain.verifyingContract);
    });

    for (const form of FORMS) {
      it(`refuses on the second proxy a permit signed for the first (${form})`, async function () {
        const { tenge, other, domain, users } = await loadFixture(twinDeploymentFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        expect(await other.nonces(users.alice)).to.equal(p.nonce);
        const sig = await signPermit(users.alice, domain, p);
        await expect(permitWith(other.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(other, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`refuses on the second proxy an authorization signed for the first (${form})`, async function () {
        const { other, domain, users } = await loadFixture(twinDeploymentFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await expect(authorizationWith(other.connect(users.relayer), form, false, a, sig))
          .to.be.revertedWithCustomError(other, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`refuses on the first proxy an authorization signed for the second (${form})`, async function () {
        const { tenge, otherDomain, users } = await loadFixture(twinDeploymentFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, otherDomain, a);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    }
  });

  describe("malleable signatures", function () {
    it("builds a high-s twin that plain ecrecover attributes to the same signer", async function () {
      const { tenge, domain, users } = await loadFixture(signaturesFixture);
      const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
      const twin = malleableTwin(await signPermit(users.alice, domain, p));
      const digest = TypedDataEncoder.hash(domain, PERMIT_TYPES, p);
      const recovered = await ethers.provider.call({
        to: "0x0000000000000000000000000000000000000001",
        data: concat([digest, zeroPadValue(toBeHex(twin.v), 32), twin.r, twin.s]),
      });
      expect(getAddress(`0x${recovered.slice(-40)}`)).to.equal(users.alice.address);
    });

    for (const form of FORMS) {
      it(`refuses the high-s twin of a valid permit with SignedTransfersInvalidSignature (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        const twin = malleableTwin(await signPermit(users.alice, domain, p));
        await expect(permitWith(tenge.connect(users.relayer), form, p, twin))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`refuses the high-s twin of a valid authorization with SignedTransfersInvalidSignature (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const twin = malleableTwin(await signAuthorization(users.alice, domain, a));
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, twin))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`refuses the high-s twin of a valid receive authorization with SignedTransfersInvalidSignature (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const twin = malleableTwin(await signAuthorization(users.alice, domain, a, true));
        await expect(authorizationWith(tenge.connect(users.bob), form, true, a, twin))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`refuses the high-s twin of a valid cancellation with SignedTransfersInvalidSignature (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce });
        await expect(cancelWith(tenge.connect(users.relayer), form, users.alice.address, nonce, malleableTwin(sig)))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });

      it(`still accepts the original signature after its twin was refused (${form})`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, malleableTwin(sig)))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
        await expect(authorizationWith(tenge.connect(users.relayer), form, false, a, sig)).to.changeTokenBalance(
          tenge,
          users.bob,
          kzt("1"),
        );
      });
    }
  });

  describe("malformed signatures", function () {
    const malformed: { label: string; bytes: (sig: SplitSignature) => string }[] = [
      { label: "empty", bytes: () => "0x" },
      { label: "64 bytes (r || s, no v)", bytes: (sig) => concat([sig.r, sig.s]) },
      { label: "66 bytes (a trailing byte)", bytes: (sig) => concat([sig.serialized, "0x00"]) },
      { label: "v = 29", bytes: (sig) => concat([sig.r, sig.s, "0x1d"]) },
      { label: "v = 0", bytes: (sig) => concat([sig.r, sig.s, "0x00"]) },
      { label: "r = 0", bytes: (sig) => concat([ZeroHash, sig.s, toBeHex(sig.v, 1)]) },
    ];
    for (const { label, bytes } of malformed) {
      it(`refuses ${label} signature bytes with SignedTransfersInvalidSignature(from)`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
        const sig = await signAuthorization(users.alice, domain, a);
        await expect(
          tenge.connect(users.relayer).getFunction(TRANSFER_BYTES)(
            a.from,
            a.to,
            a.value,
            a.validAfter,
            a.validBefore,
            a.nonce,
            bytes(sig),
          ),
        )
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    }

    const badSplit: { label: string; patch: (sig: SplitSignature) => SplitSignature }[] = [
      { label: "v = 29", patch: (sig) => ({ ...sig, v: 29 }) },
      { label: "v = 0", patch: (sig) => ({ ...sig, v: 0 }) },
      { label: "r = 0", patch: (sig) => ({ ...sig, r: ZeroHash }) },
      { label: "s = 0", patch: (sig) => ({ ...sig, s: ZeroHash }) },
    ];
    for (const { label, patch } of badSplit) {
      it(`refuses a v, r, s signature with ${label} with SignedTransfersInvalidSignature(owner)`, async function () {
        const { tenge, domain, users } = await loadFixture(signaturesFixture);
        const p = await permitFor(tenge, users.alice.address, users.bob.address, kzt("1"));
        const sig = patch(await signPermit(users.alice, domain, p));
        await expect(permitWith(tenge.connect(users.relayer), "v, r, s", p, sig))
          .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    }
  });

  describe("ERC-1271 contract wallets", function () {
    it("accept a permit signed by the wallet's owner key through the bytes overload", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const p = await permitFor(tenge, contractWallet.address, users.bob.address, kzt("10"));
      await permitWith(tenge.connect(users.relayer), "bytes", p, await signPermit(keys.walletOwner, domain, p));
      expect(await tenge.allowance(contractWallet.address, users.bob)).to.equal(kzt("10"));
    });

    it("refuse a permit signed by another key with SignedTransfersInvalidSignature(wallet)", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const p = await permitFor(tenge, contractWallet.address, users.bob.address, kzt("10"));
      await expect(permitWith(tenge.connect(users.relayer), "bytes", p, await signPermit(keys.stranger, domain, p)))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(contractWallet.address);
    });

    it("cannot use the v, r, s permit, even with the owner key's signature", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const p = await permitFor(tenge, contractWallet.address, users.bob.address, kzt("10"));
      await expect(
        permitWith(tenge.connect(users.relayer), "v, r, s", p, await signPermit(keys.walletOwner, domain, p)),
      )
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(contractWallet.address);
    });

    it("pay through transferWithAuthorization (bytes) signed by the wallet's owner key", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const a = await authorization(contractWallet.address, users.bob.address, kzt("40"));
      const sig = await signAuthorization(keys.walletOwner, domain, a);
      await expect(authorizationWith(tenge.connect(users.relayer), "bytes", false, a, sig)).to.changeTokenBalances(
        tenge,
        [contractWallet.address, users.bob],
        [-kzt("40"), kzt("40")],
      );
    });

    it("refuse transferWithAuthorization (bytes) signed by another key with SignedTransfersInvalidSignature(wallet)", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const a = await authorization(contractWallet.address, users.bob.address, kzt("40"));
      const sig = await signAuthorization(keys.stranger, domain, a);
      await expect(authorizationWith(tenge.connect(users.relayer), "bytes", false, a, sig))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(contractWallet.address);
    });

    it("cannot use transferWithAuthorization (v, r, s), even with the owner key's signature", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const a = await authorization(contractWallet.address, users.bob.address, kzt("40"));
      const sig = await signAuthorization(keys.walletOwner, domain, a);
      await expect(authorizationWith(tenge.connect(users.relayer), "v, r, s", false, a, sig))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(contractWallet.address);
    });

    it("pay through receiveWithAuthorization (bytes) submitted by the payee", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const a = await authorization(contractWallet.address, users.bob.address, kzt("5"));
      const sig = await signAuthorization(keys.walletOwner, domain, a, true);
      await expect(authorizationWith(tenge.connect(users.bob), "bytes", true, a, sig)).to.changeTokenBalance(
        tenge,
        users.bob,
        kzt("5"),
      );
    });

    it("cancel an authorization through cancelAuthorization (bytes)", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const nonce = randomNonce();
      const sig = await signCancellation(keys.walletOwner, domain, { authorizer: contractWallet.address, nonce });
      await expect(cancelWith(tenge.connect(users.relayer), "bytes", contractWallet.address, nonce, sig))
        .to.emit(tenge, "AuthorizationCanceled")
        .withArgs(contractWallet.address, nonce);
    });

    it("cannot use cancelAuthorization (v, r, s), even with the owner key's signature", async function () {
      const { tenge, domain, users, keys, contractWallet } = await loadFixture(signaturesFixture);
      const nonce = randomNonce();
      const sig = await signCancellation(keys.walletOwner, domain, { authorizer: contractWallet.address, nonce });
      await expect(cancelWith(tenge.connect(users.relayer), "v, r, s", contractWallet.address, nonce, sig))
        .to.be.revertedWithCustomError(tenge, "SignedTransfersInvalidSignature")
        .withArgs(contractWallet.address);
    });
  });

  describe("transfer rules on signed transfers", function () {
    /** Alice's signed payment to `to`, relayed by the relayer (v, r, s form). */
    async function signedPayment(
      ctx: { tenge: DigitalTenge; domain: TypedDataDomain; users: { alice: Signer; relayer: Signer } },
      to: string,
      value: bigint,
    ) {
      const a = await authorization(await ctx.users.alice.getAddress(), to, value);
      const sig = await signAuthorization(ctx.users.alice, ctx.domain, a);
      return { a, send: () => authorizationWith(ctx.tenge.connect(ctx.users.relayer), "v, r, s", false, a, sig) };
    }

    it("reverts with EnforcedPause while paused", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("1"));
      await ctx.tenge.connect(ctx.roles.pauser).pause();
      await expect(send()).to.be.revertedWithCustomError(ctx.tenge, "EnforcedPause").withArgs();
    });

    it("reverts with EnforcedPause on receiveWithAuthorization while paused", async function () {
      const { tenge, domain, users, roles } = await loadFixture(signaturesFixture);
      const a = await authorization(users.alice.address, users.bob.address, kzt("1"));
      const sig = await signAuthorization(users.alice, domain, a, true);
      await tenge.connect(roles.pauser).pause();
      await expect(authorizationWith(tenge.connect(users.bob), "bytes", true, a, sig))
        .to.be.revertedWithCustomError(tenge, "EnforcedPause")
        .withArgs();
    });

    it("leaves the nonce unused when the transfer is refused", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { a, send } = await signedPayment(ctx, ctx.users.bob.address, kzt("1"));
      await ctx.tenge.connect(ctx.roles.pauser).pause();
      await expect(send()).to.be.revertedWithCustomError(ctx.tenge, "EnforcedPause").withArgs();
      expect(await ctx.tenge.authorizationState(ctx.users.alice, a.nonce)).to.equal(false);
    });

    it("reverts with DigitalTengeAccountFrozen(from) when the payer is frozen", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("1"));
      await ctx.tenge.connect(ctx.roles.compliance).freeze(ctx.users.alice, id("order-1"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeAccountFrozen")
        .withArgs(ctx.users.alice.address);
    });

    it("reverts with DigitalTengeAccountFrozen(to) when the payee is frozen", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("1"));
      await ctx.tenge.connect(ctx.roles.compliance).freeze(ctx.users.bob, id("order-1"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeAccountFrozen")
        .withArgs(ctx.users.bob.address);
    });

    it("reverts with DigitalTengeNotOnboarded(to) when the payee is not onboarded", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.outsider.address, kzt("1"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeNotOnboarded")
        .withArgs(ctx.users.outsider.address);
    });

    it("reverts with DigitalTengeFundsFrozen(from, available, value) when part of the balance is frozen", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("3000"));
      await ctx.tenge.connect(ctx.roles.compliance).freezeAmount(ctx.users.alice, kzt("8000"), id("order-2"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeFundsFrozen")
        .withArgs(ctx.users.alice.address, kzt("2000"), kzt("3000"));
    });

    it("reverts with DigitalTengeInsufficientBalance(from, balance, value) above the balance", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("10000.01"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeInsufficientBalance")
        .withArgs(ctx.users.alice.address, kzt("10000"), kzt("10000.01"));
    });

    it("reverts with DigitalTengeDailyLimitExceeded(from, limit, spentToday) above the payer's daily limit", async function () {
      const ctx = await loadFixture(signaturesFixture);
      await ctx.tenge.connect(ctx.roles.desk).setTierLimits(1, kzt("1000000"), kzt("1000"));
      await ctx.tenge.connect(ctx.users.alice).transfer(ctx.users.bob, kzt("600"));
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("500"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeDailyLimitExceeded")
        .withArgs(ctx.users.alice.address, kzt("1000"), kzt("1100"));
    });

    it("counts a signed transfer against the payer's daily outflow", async function () {
      const ctx = await loadFixture(signaturesFixture);
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("700"));
      await send();
      expect((await ctx.tenge.accountOf(ctx.users.alice)).spentToday).to.equal(kzt("700"));
    });

    it("reverts with DigitalTengeHoldingLimitExceeded(to, limit, newBalance) above the payee's holding limit", async function () {
      const ctx = await loadFixture(signaturesFixture);
      await ctx.tenge.connect(ctx.roles.desk).setTierLimits(1, kzt("5000"), kzt("500000"));
      const { send } = await signedPayment(ctx, ctx.users.bob.address, kzt("4000"));
      await expect(send())
        .to.be.revertedWithCustomError(ctx.tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(ctx.users.bob.address, kzt("5000"), kzt("6000"));
    });
  });
});
