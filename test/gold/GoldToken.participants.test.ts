import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { MaxUint256, ZeroAddress, encodeBytes32String } from "ethers";
import {
  PERMIT_VRS,
  TRANSFER_VRS,
  domainOf,
  randomNonce,
  signAuthorization,
  signPermit,
} from "../../scripts/lib/eip712";
import { kzt } from "../fixtures/tenge.fixture";
import { goldFixture, serial } from "../fixtures/gold.fixture";
import { withBackingInvariant } from "./helpers";

const REASON = encodeBytes32String("COURT-2026-7");

/** The fixture with relayer onboarded by bank B in the tenge but never synced in gold. */
async function unsyncedFixture() {
  const base = await loadFixture(goldFixture);
  await (await base.tenge.connect(base.banks.bankB).onboard(base.users.relayer, 1)).wait();
  return base;
}

describe("GoldToken: participants, transfers, freeze and pause", function () {
  const load = withBackingInvariant();

  describe("metadata", function () {
    it("is a 3-decimal token (1 unit = 1 mg of fine gold) named by the deploy config", async function () {
      const { gold, tenge } = await load(goldFixture);
      expect(await gold.decimals()).to.equal(3n);
      expect(await gold.name()).to.equal("Digital Gold");
      expect(await gold.symbol()).to.equal("GOLDKZ");
      expect(await gold.tenge()).to.equal(await tenge.getAddress());
    });

    it("supports ERC-165 for ERC-20, AccessControl and ERC-165, nothing else", async function () {
      const { gold } = await load(goldFixture);
      expect(await gold.supportsInterface("0x36372b07")).to.equal(true); // IERC20
      expect(await gold.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await gold.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await gold.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("syncParticipant", function () {
    it("permits a wallet onboarded in the tenge and emits ParticipantSynced", async function () {
      const { gold, users } = await load(unsyncedFixture);
      expect(await gold.isPermitted(users.relayer)).to.equal(false);
      expect(await gold.syncParticipant.staticCall(users.relayer)).to.equal(true);
      await expect(gold.connect(users.outsider).syncParticipant(users.relayer))
        .to.emit(gold, "ParticipantSynced")
        .withArgs(users.relayer.address, true);
      expect(await gold.isPermitted(users.relayer)).to.equal(true);
    });

    it("emits nothing when the permission does not change", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.syncParticipant(users.alice)).not.to.emit(gold, "ParticipantSynced");
      await expect(gold.syncParticipant(users.outsider)).not.to.emit(gold, "ParticipantSynced");
      expect(await gold.isPermitted(users.outsider)).to.equal(false);
    });

    it("withdraws the permission of a wallet frozen in the tenge, and restores it after the unfreeze", async function () {
      const { gold, tenge, roles, users } = await load(goldFixture);
      await tenge.connect(roles.compliance).freeze(users.bob, REASON);
      await expect(gold.syncParticipant(users.bob))
        .to.emit(gold, "ParticipantSynced")
        .withArgs(users.bob.address, false);
      await expect(gold.connect(users.bob).transfer(users.alice, 1n))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.bob.address);
      await tenge.connect(roles.compliance).unfreeze(users.bob, REASON);
      await expect(gold.syncParticipant(users.bob))
        .to.emit(gold, "ParticipantSynced")
        .withArgs(users.bob.address, true);
      await expect(gold.connect(users.bob).transfer(users.alice, 1n)).to.changeTokenBalances(
        gold,
        [users.bob, users.alice],
        [-1n, 1n],
      );
    });

    it("withdraws the permission of a wallet offboarded from the tenge", async function () {
      const { gold, tenge, banks, users } = await load(goldFixture);
      // carol holds tenge: she pays it all away before her bank offboards her
      await tenge.connect(users.carol).transfer(users.alice, kzt("5000"));
      await tenge.connect(banks.bankB).offboard(users.carol);
      await expect(gold.syncParticipant(users.carol))
        .to.emit(gold, "ParticipantSynced")
        .withArgs(users.carol.address, false);
    });

    it("reverts with GoldTokenZeroAddress for the zero address", async function () {
      const { gold } = await load(goldFixture);
      await expect(gold.syncParticipant(ZeroAddress)).to.be.revertedWithCustomError(gold, "GoldTokenZeroAddress");
    });
  });

  describe("syncParticipants", function () {
    it("syncs every wallet", async function () {
      const { gold, tenge, banks, users } = await load(unsyncedFixture);
      await tenge.connect(banks.bankB).onboard(users.outsider, 0);
      await expect(gold.syncParticipants([users.relayer, users.alice, users.outsider]))
        .to.emit(gold, "ParticipantSynced")
        .withArgs(users.relayer.address, true)
        .and.to.emit(gold, "ParticipantSynced")
        .withArgs(users.outsider.address, true);
      expect(await gold.isPermitted(users.outsider)).to.equal(true);
    });

    it("reverts with GoldTokenEmptyBatch for no wallets", async function () {
      const { gold } = await load(goldFixture);
      await expect(gold.syncParticipants([])).to.be.revertedWithCustomError(gold, "GoldTokenEmptyBatch");
    });

    it("reverts with GoldTokenZeroAddress when one wallet is the zero address", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.syncParticipants([users.alice, ZeroAddress])).to.be.revertedWithCustomError(
        gold,
        "GoldTokenZeroAddress",
      );
    });
  });

  describe("transfer", function () {
    it("moves gold between permitted holders", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.connect(users.alice).transfer(users.carol, 1_234n))
        .to.emit(gold, "Transfer")
        .withArgs(users.alice.address, users.carol.address, 1_234n);
      expect(await gold.balanceOf(users.carol)).to.equal(1_234n);
    });

    it("reverts with GoldTokenNotPermitted for a recipient that is not a participant", async function () {
      const { gold, users } = await load(unsyncedFixture);
      await expect(gold.connect(users.alice).transfer(users.relayer, 1n))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.relayer.address);
    });

    it("reverts with PackedERC20AccountBlocked when either party is frozen in gold", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await gold.connect(roles.compliance).freeze(users.carol, REASON);
      await expect(gold.connect(users.alice).transfer(users.carol, 1n))
        .to.be.revertedWithCustomError(gold, "PackedERC20AccountBlocked")
        .withArgs(users.carol.address);
      await gold.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(gold.connect(users.alice).transfer(users.bob, 1n))
        .to.be.revertedWithCustomError(gold, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("reverts with ERC20InvalidReceiver for the zero address and ERC20InsufficientBalance above the balance", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.connect(users.alice).transfer(ZeroAddress, 1n))
        .to.be.revertedWithCustomError(gold, "ERC20InvalidReceiver")
        .withArgs(ZeroAddress);
      await expect(gold.connect(users.alice).transfer(users.bob, 99_991n))
        .to.be.revertedWithCustomError(gold, "ERC20InsufficientBalance")
        .withArgs(users.alice.address, 99_990n, 99_991n);
    });

    it("transferFrom spends the allowance; an unlimited one is never decreased", async function () {
      const { gold, users } = await load(goldFixture);
      await gold.connect(users.alice).approve(users.bob, 10n);
      await expect(gold.connect(users.bob).transferFrom(users.alice, users.carol, 11n))
        .to.be.revertedWithCustomError(gold, "ERC20InsufficientAllowance")
        .withArgs(users.bob.address, 10n, 11n);
      await gold.connect(users.bob).transferFrom(users.alice, users.carol, 4n);
      expect(await gold.allowance(users.alice, users.bob)).to.equal(6n);
      await gold.connect(users.alice).approve(users.bob, MaxUint256);
      await gold.connect(users.bob).transferFrom(users.alice, users.carol, 4n);
      expect(await gold.allowance(users.alice, users.bob)).to.equal(MaxUint256);
    });

    it("approve refuses the zero spender with ERC20InvalidSpender", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.connect(users.alice).approve(ZeroAddress, 1n))
        .to.be.revertedWithCustomError(gold, "ERC20InvalidSpender")
        .withArgs(ZeroAddress);
    });
  });

  describe("signed payments", function () {
    it("permit sets an allowance from the holder's signature", async function () {
      const { gold, users } = await load(goldFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const p = { owner: users.alice.address, spender: users.bob.address, value: 500n, nonce: 0n, deadline };
      const sig = await signPermit(users.alice, await domainOf(gold), p);
      await expect(
        gold.connect(users.relayer).getFunction(PERMIT_VRS)(p.owner, p.spender, p.value, deadline, sig.v, sig.r, sig.s),
      )
        .to.emit(gold, "Approval")
        .withArgs(users.alice.address, users.bob.address, 500n);
      expect(await gold.nonces(users.alice)).to.equal(1n);
    });

    it("transferWithAuthorization moves gold between permitted holders and refuses a non-participant", async function () {
      const { gold, users } = await load(unsyncedFixture);
      const domain = await domainOf(gold);
      const validBefore = BigInt(await time.latest()) + 3_600n;
      const send = async (to: string) => {
        const auth = { from: users.alice.address, to, value: 700n, validAfter: 0n, validBefore, nonce: randomNonce() };
        const s = await signAuthorization(users.alice, domain, auth);
        return gold.connect(users.relayer).getFunction(TRANSFER_VRS)(
          auth.from,
          auth.to,
          auth.value,
          0n,
          validBefore,
          auth.nonce,
          s.v,
          s.r,
          s.s,
        );
      };
      await expect(send(users.bob.address)).to.changeTokenBalances(gold, [users.alice, users.bob], [-700n, 700n]);
      await expect(send(users.relayer.address))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.relayer.address);
    });
  });

  describe("freeze and unfreeze", function () {
    it("freezes a wallet in gold only, with AccountFrozen", async function () {
      const { gold, tenge, roles, users } = await load(goldFixture);
      await expect(gold.connect(roles.compliance).freeze(users.alice, REASON))
        .to.emit(gold, "AccountFrozen")
        .withArgs(users.alice.address, REASON);
      expect(await gold.isFrozen(users.alice)).to.equal(true);
      expect((await tenge.accountOf(users.alice)).frozen).to.equal(false);
      expect(await gold.isPermitted(users.alice)).to.equal(true);
    });

    it("unfreezes with AccountUnfrozen and lets the wallet pay again", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await gold.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(gold.connect(roles.compliance).unfreeze(users.alice, REASON))
        .to.emit(gold, "AccountUnfrozen")
        .withArgs(users.alice.address, REASON);
      expect(await gold.isFrozen(users.alice)).to.equal(false);
      await expect(gold.connect(users.alice).transfer(users.bob, 1n)).to.changeTokenBalance(gold, users.bob, 1n);
    });

    it("works while paused", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await gold.connect(roles.pauser).pause();
      await expect(gold.connect(roles.compliance).freeze(users.alice, REASON)).to.emit(gold, "AccountFrozen");
    });

    it("reverts with GoldTokenFreezeUnchanged when already frozen or not frozen", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await expect(gold.connect(roles.compliance).unfreeze(users.alice, REASON))
        .to.be.revertedWithCustomError(gold, "GoldTokenFreezeUnchanged")
        .withArgs(users.alice.address, false);
      await gold.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(gold.connect(roles.compliance).freeze(users.alice, REASON))
        .to.be.revertedWithCustomError(gold, "GoldTokenFreezeUnchanged")
        .withArgs(users.alice.address, true);
    });

    it("reverts with GoldTokenZeroAddress when freezing the zero address", async function () {
      const { gold, roles } = await load(goldFixture);
      await expect(gold.connect(roles.compliance).freeze(ZeroAddress, REASON)).to.be.revertedWithCustomError(
        gold,
        "GoldTokenZeroAddress",
      );
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without COMPLIANCE_ROLE", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await expect(gold.connect(roles.pauser).freeze(users.alice, REASON))
        .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
        .withArgs(roles.pauser.address, await gold.COMPLIANCE_ROLE());
    });
  });

  describe("pause and unpause", function () {
    it("stops transfers, signed transfers and redemptions; approvals go on", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await expect(gold.connect(roles.pauser).pause()).to.emit(gold, "Paused").withArgs(roles.pauser.address);
      expect(await gold.paused()).to.equal(true);
      await expect(gold.connect(users.alice).transfer(users.bob, 1n)).to.be.revertedWithCustomError(
        gold,
        "EnforcedPause",
      );
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0002"))).to.be.revertedWithCustomError(
        gold,
        "EnforcedPause",
      );
      await expect(gold.connect(users.alice).approve(users.bob, 1n)).to.emit(gold, "Approval");
    });

    it("unpauses with Unpaused", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await gold.connect(roles.pauser).pause();
      await expect(gold.connect(roles.pauser).unpause()).to.emit(gold, "Unpaused").withArgs(roles.pauser.address);
      await expect(gold.connect(users.alice).transfer(users.bob, 1n)).to.changeTokenBalance(gold, users.bob, 1n);
    });

    it("reverts with EnforcedPause when paused already and ExpectedPause when not paused", async function () {
      const { gold, roles } = await load(goldFixture);
      await expect(gold.connect(roles.pauser).unpause()).to.be.revertedWithCustomError(gold, "ExpectedPause");
      await gold.connect(roles.pauser).pause();
      await expect(gold.connect(roles.pauser).pause()).to.be.revertedWithCustomError(gold, "EnforcedPause");
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without PAUSER_ROLE", async function () {
      const { gold, roles } = await load(goldFixture);
      await expect(gold.connect(roles.compliance).pause())
        .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
        .withArgs(roles.compliance.address, await gold.PAUSER_ROLE());
    });
  });

  describe("construction", function () {
    it("refuses a zero tenge address in the constructor and a zero admin in initialize", async function () {
      const { gold, tenge } = await load(goldFixture);
      const factory = await ethers.getContractFactory("GoldToken");
      await expect(factory.deploy("Digital Gold", "GOLDKZ", ZeroAddress)).to.be.revertedWithCustomError(
        gold,
        "GoldTokenZeroAddress",
      );
      const args = ["Digital Gold", "GOLDKZ", await tenge.getAddress()];
      const implementation = await factory.deploy(...(args as [string, string, string]));
      await expect(implementation.initialize(ZeroAddress)).to.be.revertedWithCustomError(gold, "InvalidInitialization");
      const proxy = await upgrades.deployProxy(factory, [], {
        kind: "uups",
        constructorArgs: args,
        initializer: false,
      });
      await expect((proxy as unknown as typeof gold).initialize(ZeroAddress)).to.be.revertedWithCustomError(
        gold,
        "GoldTokenZeroAddress",
      );
    });
  });
});
