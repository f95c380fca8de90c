import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { MaxUint256, TypedDataEncoder, Wallet, ZeroAddress, id } from "ethers";
import type { TengeStablecoin } from "../../typechain-types";
import { expectReservesHeld, kzt, stablecoinFixture } from "../fixtures/stablecoin.fixture";
import { authorizationWith, cancelWith, permitWith } from "../helpers/signed";
import {
  SIGNATURE_FORMS as FORMS,
  domainOf,
  malleableTwin,
  randomNonce,
  signAuthorization,
  signCancellation,
  signPermit,
  type Authorization,
  type PermitArgs,
} from "../../scripts/lib/eip712";

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The fixture plus the stablecoin's EIP-712 domain and an ERC-1271 wallet holding 100 KZTS. */
async function signedFixture() {
  const base = await loadFixture(stablecoinFixture);
  const { coin, users } = base;
  const walletOwner = new Wallet(id("TengeStablecoin: ERC-1271 wallet owner"));
  const wallet = await ethers.deployContract("ERC1271WalletMock", [walletOwner.address]);
  await (await coin.connect(users.alice).transfer(wallet, kzt("100"))).wait();
  return { ...base, domain: await domainOf(coin), walletOwner, wallet: await wallet.getAddress() };
}

describe("TengeStablecoin as an ERC-20", function () {
  afterEach(expectReservesHeld);

  describe("metadata", function () {
    it("has the configured name", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      expect(await coin.name()).to.equal("Tenge Stablecoin");
    });

    it("has the configured symbol", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      expect(await coin.symbol()).to.equal("KZTS");
    });

    it("has the tenge's decimals, so one unit is backed by one tiyn", async function () {
      const { tenge, coin } = await loadFixture(stablecoinFixture);
      expect(await coin.decimals()).to.equal(await tenge.decimals());
    });

    it("names the tenge as its underlying", async function () {
      const { tenge, coin } = await loadFixture(stablecoinFixture);
      expect(await coin.underlying()).to.equal(await tenge.getAddress());
    });

    it("supports ERC-165 and IAccessControl", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      expect([await coin.supportsInterface("0x01ffc9a7"), await coin.supportsInterface("0x7965db0b")]).to.deep.equal([
        true,
        true,
      ]);
    });
  });

  describe("transfer", function () {
    it("moves stablecoin between holders", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("10"))).to.changeTokenBalances(
        coin,
        [users.alice, users.bob],
        [-kzt("10"), kzt("10")],
      );
    });

    it("pays an address that is no tenge participant (an exchange's customer)", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).transfer(users.outsider, kzt("10"))).to.changeTokenBalance(
        coin,
        users.outsider,
        kzt("10"),
      );
    });

    it("emits Transfer", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("10")))
        .to.emit(coin, "Transfer")
        .withArgs(users.alice.address, users.bob.address, kzt("10"));
    });

    it("refuses the stablecoin contract itself: TengeStablecoinInvalidRecipient", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).transfer(coin, kzt("10")))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidRecipient")
        .withArgs(await coin.getAddress());
    });

    it("refuses the zero address: ERC20InvalidReceiver", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).transfer(ZeroAddress, kzt("10")))
        .to.be.revertedWithCustomError(coin, "ERC20InvalidReceiver")
        .withArgs(ZeroAddress);
    });

    it("refuses more than the balance: ERC20InsufficientBalance", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.bob).transfer(users.alice, kzt("500.01")))
        .to.be.revertedWithCustomError(coin, "ERC20InsufficientBalance")
        .withArgs(users.bob.address, kzt("500"), kzt("500.01"));
    });
  });

  describe("allowances", function () {
    it("approve sets the allowance and emits Approval", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).approve(users.relayer, kzt("7")))
        .to.emit(coin, "Approval")
        .withArgs(users.alice.address, users.relayer.address, kzt("7"));
    });

    it("approve refuses the zero spender: ERC20InvalidSpender", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).approve(ZeroAddress, kzt("7")))
        .to.be.revertedWithCustomError(coin, "ERC20InvalidSpender")
        .withArgs(ZeroAddress);
    });

    it("transferFrom moves the value and spends the allowance", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).approve(users.relayer, kzt("7"));
      await coin.connect(users.relayer).transferFrom(users.alice, users.bob, kzt("5"));
      expect(await coin.allowance(users.alice, users.relayer)).to.equal(kzt("2"));
    });

    it("transferFrom never decreases an unlimited allowance", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).approve(users.relayer, MaxUint256);
      await coin.connect(users.relayer).transferFrom(users.alice, users.bob, kzt("5"));
      expect(await coin.allowance(users.alice, users.relayer)).to.equal(MaxUint256);
    });

    it("transferFrom refuses more than the allowance: ERC20InsufficientAllowance", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).approve(users.relayer, kzt("4"));
      await expect(coin.connect(users.relayer).transferFrom(users.alice, users.bob, kzt("5")))
        .to.be.revertedWithCustomError(coin, "ERC20InsufficientAllowance")
        .withArgs(users.relayer.address, kzt("4"), kzt("5"));
    });
  });

  describe("EIP-712 domain", function () {
    it("publishes the token name, version 1, the chain id and the proxy address", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      const [fields, name, version, chainId, verifyingContract] = await coin.eip712Domain();
      expect([fields, name, version, chainId, verifyingContract]).to.deep.equal([
        "0x0f",
        "Tenge Stablecoin",
        "1",
        (await ethers.provider.getNetwork()).chainId,
        await coin.getAddress(),
      ]);
    });

    it("returns a DOMAIN_SEPARATOR equal to ethers' hash of that domain", async function () {
      const { coin, domain } = await loadFixture(signedFixture);
      expect(await coin.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(domain));
    });
  });

  for (const form of FORMS) {
    describe(`permit (${form})`, function () {
      async function permitFor(coin: TengeStablecoin, owner: string, spender: string): Promise<PermitArgs> {
        return { owner, spender, value: kzt("5"), nonce: await coin.nonces(owner), deadline: (await now()) + 3600n };
      }

      it("sets the allowance, relayed by anyone", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const p = await permitFor(coin, users.alice.address, users.bob.address);
        await permitWith(coin.connect(users.relayer), form, p, await signPermit(users.alice, domain, p));
        expect(await coin.allowance(users.alice, users.bob)).to.equal(kzt("5"));
      });

      it("increments the owner's nonce", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const p = await permitFor(coin, users.alice.address, users.bob.address);
        await permitWith(coin.connect(users.relayer), form, p, await signPermit(users.alice, domain, p));
        expect(await coin.nonces(users.alice)).to.equal(1n);
      });

      it("reverts after the deadline: SignedTransfersPermitExpired", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const p = { ...(await permitFor(coin, users.alice.address, users.bob.address)), deadline: await now() };
        const sig = await signPermit(users.alice, domain, p);
        await expect(permitWith(coin.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(coin, "SignedTransfersPermitExpired")
          .withArgs(p.deadline);
      });

      it("reverts when another key signed: SignedTransfersInvalidSignature", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const p = await permitFor(coin, users.alice.address, users.bob.address);
        const sig = await signPermit(users.bob, domain, p);
        await expect(permitWith(coin.connect(users.relayer), form, p, sig))
          .to.be.revertedWithCustomError(coin, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    });

    for (const receive of [false, true]) {
      const kind = receive ? "receiveWithAuthorization" : "transferWithAuthorization";
      describe(`${kind} (${form})`, function () {
        async function authorized(from: string, to: string): Promise<Authorization> {
          return {
            from,
            to,
            value: kzt("10"),
            validAfter: 0n,
            validBefore: (await now()) + 3600n,
            nonce: randomNonce(),
          };
        }

        it("moves the value from the payer to the payee", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = await authorized(users.alice.address, users.bob.address);
          const sig = await signAuthorization(users.alice, domain, a, receive);
          await expect(
            authorizationWith(coin.connect(receive ? users.bob : users.relayer), form, receive, a, sig),
          ).to.changeTokenBalances(coin, [users.alice, users.bob], [-a.value, a.value]);
        });

        it("emits AuthorizationUsed", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = await authorized(users.alice.address, users.bob.address);
          const sig = await signAuthorization(users.alice, domain, a, receive);
          await expect(authorizationWith(coin.connect(users.bob), form, receive, a, sig))
            .to.emit(coin, "AuthorizationUsed")
            .withArgs(users.alice.address, a.nonce);
        });

        it("marks the nonce used in authorizationState", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = await authorized(users.alice.address, users.bob.address);
          const sig = await signAuthorization(users.alice, domain, a, receive);
          await authorizationWith(coin.connect(users.bob), form, receive, a, sig);
          expect(await coin.authorizationState(users.alice, a.nonce)).to.equal(true);
        });

        it("reverts at validAfter: SignedTransfersNotYetValid", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = { ...(await authorized(users.alice.address, users.bob.address)), validAfter: (await now()) + 10n };
          const sig = await signAuthorization(users.alice, domain, a, receive);
          await time.setNextBlockTimestamp(a.validAfter);
          await expect(authorizationWith(coin.connect(users.bob), form, receive, a, sig))
            .to.be.revertedWithCustomError(coin, "SignedTransfersNotYetValid")
            .withArgs(a.validAfter);
        });

        it("reverts at validBefore: SignedTransfersExpired", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = { ...(await authorized(users.alice.address, users.bob.address)), validBefore: (await now()) + 10n };
          const sig = await signAuthorization(users.alice, domain, a, receive);
          await time.setNextBlockTimestamp(a.validBefore);
          await expect(authorizationWith(coin.connect(users.bob), form, receive, a, sig))
            .to.be.revertedWithCustomError(coin, "SignedTransfersExpired")
            .withArgs(a.validBefore);
        });

        it("reverts when the nonce was used: SignedTransfersNonceUsed", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = await authorized(users.alice.address, users.bob.address);
          const sig = await signAuthorization(users.alice, domain, a, receive);
          await authorizationWith(coin.connect(users.bob), form, receive, a, sig);
          await expect(authorizationWith(coin.connect(users.bob), form, receive, a, sig))
            .to.be.revertedWithCustomError(coin, "SignedTransfersNonceUsed")
            .withArgs(users.alice.address, a.nonce);
        });

        it("reverts when another key signed: SignedTransfersInvalidSignature", async function () {
          const { coin, users, domain } = await loadFixture(signedFixture);
          const a = await authorized(users.alice.address, users.bob.address);
          const sig = await signAuthorization(users.carol, domain, a, receive);
          await expect(authorizationWith(coin.connect(users.bob), form, receive, a, sig))
            .to.be.revertedWithCustomError(coin, "SignedTransfersInvalidSignature")
            .withArgs(users.alice.address);
        });

        if (receive) {
          it("reverts when someone other than the payee submits: SignedTransfersCallerNotPayee", async function () {
            const { coin, users, domain } = await loadFixture(signedFixture);
            const a = await authorized(users.alice.address, users.bob.address);
            const sig = await signAuthorization(users.alice, domain, a, true);
            await expect(authorizationWith(coin.connect(users.relayer), form, true, a, sig))
              .to.be.revertedWithCustomError(coin, "SignedTransfersCallerNotPayee")
              .withArgs(users.relayer.address, users.bob.address);
          });
        }
      });
    }

    describe(`cancelAuthorization (${form})`, function () {
      it("emits AuthorizationCanceled", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce });
        await expect(cancelWith(coin.connect(users.relayer), form, users.alice.address, nonce, sig))
          .to.emit(coin, "AuthorizationCanceled")
          .withArgs(users.alice.address, nonce);
      });

      it("spends the nonce, so the authorization can never be used", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce });
        await cancelWith(coin.connect(users.relayer), form, users.alice.address, nonce, sig);
        expect(await coin.authorizationState(users.alice, nonce)).to.equal(true);
      });

      it("reverts when another key signed: SignedTransfersInvalidSignature", async function () {
        const { coin, users, domain } = await loadFixture(signedFixture);
        const nonce = randomNonce();
        const sig = await signCancellation(users.bob, domain, { authorizer: users.alice.address, nonce });
        await expect(cancelWith(coin.connect(users.relayer), form, users.alice.address, nonce, sig))
          .to.be.revertedWithCustomError(coin, "SignedTransfersInvalidSignature")
          .withArgs(users.alice.address);
      });
    });
  }

  describe("malleable signatures", function () {
    it("refuses the high-s twin of a valid v, r, s permit signature: SignedTransfersInvalidSignature", async function () {
      const { coin, users, domain } = await loadFixture(signedFixture);
      const p = {
        owner: users.alice.address,
        spender: users.bob.address,
        value: kzt("5"),
        nonce: 0n,
        deadline: (await now()) + 3600n,
      };
      const twin = malleableTwin(await signPermit(users.alice, domain, p));
      await expect(permitWith(coin.connect(users.relayer), "v, r, s", p, twin))
        .to.be.revertedWithCustomError(coin, "SignedTransfersInvalidSignature")
        .withArgs(users.alice.address);
    });
  });

  describe("ERC-1271 contract wallets (bytes form)", function () {
    it("pay by transferWithAuthorization signed by the wallet's owner key", async function () {
      const { coin, users, domain, wallet, walletOwner } = await loadFixture(signedFixture);
      const a = {
        from: wallet,
        to: users.bob.address,
        value: kzt("10"),
        validAfter: 0n,
        validBefore: (await now()) + 3600n,
        nonce: randomNonce(),
      };
      const sig = await signAuthorization(walletOwner, domain, a);
      await expect(authorizationWith(coin.connect(users.relayer), "bytes", false, a, sig)).to.changeTokenBalances(
        coin,
        [wallet, users.bob.address],
        [-a.value, a.value],
      );
    });
  });
});
