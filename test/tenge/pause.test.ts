import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { encodeBytes32String, ZeroAddress } from "ethers";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

const REF = encodeBytes32String("SETTLE-0001");
const REASON = encodeBytes32String("COURT-2025-001");

/** The fixture with the token paused; alice has approved the merchant for 500 KZT beforehand. */
async function pausedFixture() {
  const base = await loadFixture(tengeFixture);
  const { tenge, roles, users } = base;
  await (await tenge.connect(users.alice).approve(users.merchant, kzt("500"))).wait();
  await (await tenge.connect(roles.pauser).pause()).wait();
  return base;
}

describe("DigitalTenge: pause", function () {
  describe("pause", function () {
    it("pauses the token", async function () {
      const { tenge } = await loadFixture(pausedFixture);
      expect(await tenge.paused()).to.equal(true);
    });

    it("emits Paused with the pauser", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.pauser).pause()).to.emit(tenge, "Paused").withArgs(roles.pauser.address);
    });

    it("reverts with EnforcedPause when already paused", async function () {
      const { tenge, roles } = await loadFixture(pausedFixture);
      await expect(tenge.connect(roles.pauser).pause())
        .to.be.revertedWithCustomError(tenge, "EnforcedPause")
        .withArgs();
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without PAUSER_ROLE", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).pause())
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, await tenge.PAUSER_ROLE());
      expect(await tenge.paused()).to.equal(false);
    });
  });

  describe("unpause", function () {
    it("unpauses the token", async function () {
      const { tenge, roles } = await loadFixture(pausedFixture);
      await tenge.connect(roles.pauser).unpause();
      expect(await tenge.paused()).to.equal(false);
    });

    it("emits Unpaused with the pauser", async function () {
      const { tenge, roles } = await loadFixture(pausedFixture);
      await expect(tenge.connect(roles.pauser).unpause()).to.emit(tenge, "Unpaused").withArgs(roles.pauser.address);
    });

    it("lets value move again", async function () {
      const { tenge, roles, users } = await loadFixture(pausedFixture);
      await tenge.connect(roles.pauser).unpause();
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1"))).to.changeTokenBalances(
        tenge,
        [users.alice, users.bob],
        [-kzt("1"), kzt("1")],
      );
    });

    it("reverts with ExpectedPause when not paused", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.pauser).unpause())
        .to.be.revertedWithCustomError(tenge, "ExpectedPause")
        .withArgs();
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without PAUSER_ROLE", async function () {
      const { tenge, roles } = await loadFixture(pausedFixture);
      await expect(tenge.connect(roles.compliance).unpause())
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(roles.compliance.address, await tenge.PAUSER_ROLE());
      expect(await tenge.paused()).to.equal(true);
    });
  });

  describe("while paused", function () {
    describe("blocks", function () {
      it("transfer with EnforcedPause", async function () {
        const { tenge, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(users.alice).transfer(users.bob, kzt("1")))
          .to.be.revertedWithCustomError(tenge, "EnforcedPause")
          .withArgs();
        expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
        expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
      });

      it("transferFrom with EnforcedPause, keeping the allowance", async function () {
        const { tenge, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(users.merchant).transferFrom(users.alice, users.bob, kzt("100")))
          .to.be.revertedWithCustomError(tenge, "EnforcedPause")
          .withArgs();
        expect(await tenge.allowance(users.alice, users.merchant)).to.equal(kzt("500"));
        expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      });

      it("mint with EnforcedPause", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("1")))
          .to.be.revertedWithCustomError(tenge, "EnforcedPause")
          .withArgs();
        expect(await tenge.totalSupply()).to.equal(kzt("17000"));
        expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
      });

      it("mintBatch with EnforcedPause", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(banks.bankA).mintBatch([users.alice, users.bob], [kzt("1"), kzt("2")]))
          .to.be.revertedWithCustomError(tenge, "EnforcedPause")
          .withArgs();
        expect(await tenge.totalSupply()).to.equal(kzt("17000"));
      });

      it("redeem with EnforcedPause", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(users.alice).redeem(kzt("1"), REF))
          .to.be.revertedWithCustomError(tenge, "EnforcedPause")
          .withArgs();
        expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
        expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
      });

      it("recoverWallet with EnforcedPause", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(banks.bankA).recoverWallet(users.alice, users.outsider))
          .to.be.revertedWithCustomError(tenge, "EnforcedPause")
          .withArgs();
        expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
        expect((await tenge.accountOf(users.outsider)).onboarded).to.equal(false);
      });
    });

    describe("allows", function () {
      it("approve", async function () {
        const { tenge, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(users.bob).approve(users.merchant, kzt("50")))
          .to.emit(tenge, "Approval")
          .withArgs(users.bob.address, users.merchant.address, kzt("50"));
        expect(await tenge.allowance(users.bob, users.merchant)).to.equal(kzt("50"));
      });

      it("freeze", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.compliance).freeze(users.bob, REASON))
          .to.emit(tenge, "AccountFrozen")
          .withArgs(users.bob.address, REASON);
      });

      it("unfreeze", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await tenge.connect(roles.compliance).freeze(users.bob, REASON);
        await expect(tenge.connect(roles.compliance).unfreeze(users.bob, REASON))
          .to.emit(tenge, "AccountUnfrozen")
          .withArgs(users.bob.address, REASON);
      });

      it("unfreezeAmount", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await tenge.connect(roles.compliance).freezeAmount(users.bob, kzt("100"), REASON);
        await expect(tenge.connect(roles.compliance).unfreezeAmount(users.bob, kzt("40"), REASON))
          .to.emit(tenge, "FrozenAmountChanged")
          .withArgs(users.bob.address, kzt("100"), kzt("60"), REASON);
      });

      it("freezeAmount", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.compliance).freezeAmount(users.bob, kzt("100"), REASON))
          .to.emit(tenge, "FrozenAmountChanged")
          .withArgs(users.bob.address, 0n, kzt("100"), REASON);
      });

      it("seize", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await expect(
          tenge.connect(roles.enforcement).seize(users.bob, users.treasury, kzt("100"), REASON),
        ).to.changeTokenBalances(tenge, [users.bob, users.treasury], [-kzt("100"), kzt("100")]);
      });

      it("onboard", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(banks.bankB).onboard(users.outsider, 1))
          .to.emit(tenge, "AccountOnboarded")
          .withArgs(users.outsider.address, banks.bankB.address, 1n, false);
      });

      it("offboard", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(banks.bankA).offboard(users.merchant))
          .to.emit(tenge, "AccountOffboarded")
          .withArgs(users.merchant.address, banks.bankA.address);
      });

      it("setTier", async function () {
        const { tenge, banks, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(banks.bankA).setTier(users.bob, 2))
          .to.emit(tenge, "TierChanged")
          .withArgs(users.bob.address, 1n, 2n);
      });

      it("onboardInstitution", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.desk).onboardInstitution(users.outsider))
          .to.emit(tenge, "AccountOnboarded")
          .withArgs(users.outsider.address, ZeroAddress, 0n, true);
      });

      it("registerBank", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.desk).registerBank(users.outsider, kzt("1000")))
          .to.emit(tenge, "BankRegistered")
          .withArgs(users.outsider.address, 3n, kzt("1000"));
      });

      it("setIssuanceCeiling", async function () {
        const { tenge, roles, banks } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("2000000")))
          .to.emit(tenge, "IssuanceCeilingSet")
          .withArgs(banks.bankA.address, kzt("1000000"), kzt("2000000"));
      });

      it("setBankSuspended", async function () {
        const { tenge, roles, banks } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.desk).setBankSuspended(banks.bankB, true))
          .to.emit(tenge, "BankIssuanceSuspended")
          .withArgs(banks.bankB.address, true);
      });

      it("setTierLimits", async function () {
        const { tenge, roles } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.desk).setTierLimits(0, kzt("1000"), kzt("500")))
          .to.emit(tenge, "TierLimitsSet")
          .withArgs(0n, kzt("1000"), kzt("500"));
      });

      it("setExempt", async function () {
        const { tenge, roles, users } = await loadFixture(pausedFixture);
        await expect(tenge.connect(roles.desk).setExempt(users.bob, true))
          .to.emit(tenge, "ExemptionSet")
          .withArgs(users.bob.address, true);
      });
    });
  });
});
