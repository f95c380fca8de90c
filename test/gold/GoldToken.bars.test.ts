import { expect } from "chai";
import { ZeroAddress, ZeroHash, encodeBytes32String } from "ethers";
import { loadFixture } from "../helpers/fixture";
import { barInput, goldFixture, grams, serial } from "../fixtures/gold.fixture";
import { BarStatus, withBackingInvariant } from "./helpers";

const REASON = encodeBytes32String("COURT-2026-7");
const MAX_WEIGHT = 20_000_000n;

/** The fixture with bar KZ-0002 redeemed by alice (allocated to her, awaiting delivery). */
async function allocatedFixture() {
  const base = await loadFixture(goldFixture);
  await (await base.gold.connect(base.users.alice).redeemBar(serial("KZ-0002"))).wait();
  return base;
}

/** The fixture with bar KZ-0003 removed from the backing by the custodian (Released). */
async function removedFixture() {
  const base = await loadFixture(goldFixture);
  await (await base.gold.connect(base.goldRoles.custodian).removeBar(serial("KZ-0003"))).wait();
  return base;
}

describe("GoldToken: bar registry", function () {
  const load = withBackingInvariant();

  describe("addBar", function () {
    it("registers the bar in the vault and mints exactly its fine weight to the recipient", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bar = barInput("KZ-0100", grams("12.5"), users.carol.address, { fineness: 9995, vault: "NBK-ASTANA-1" });
      await expect(gold.connect(goldRoles.custodian).addBar(bar)).to.changeTokenBalance(
        gold,
        users.carol,
        grams("12.5"),
      );
      const record = await gold.barOf(serial("KZ-0100"));
      expect(record.serial).to.equal(serial("KZ-0100"));
      expect(record.refiner).to.equal(encodeBytes32String("Tau-Ken Altyn"));
      expect(record.vault).to.equal(encodeBytes32String("NBK-ASTANA-1"));
      expect(record.fineWeightMg).to.equal(12_500n);
      expect(record.fineness).to.equal(9995n);
      expect(record.status).to.equal(BarStatus.InVault);
      expect(record.holder).to.equal(goldRoles.custodian.address);
    });

    it("emits BarAdded and a Transfer from zero", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bar = barInput("KZ-0100", 12_500n, users.carol.address);
      await expect(gold.connect(goldRoles.custodian).addBar(bar))
        .to.emit(gold, "BarAdded")
        .withArgs(bar.serial, bar.vault, users.carol.address, bar.refiner, 12_500n, 9999n)
        .and.to.emit(gold, "Transfer")
        .withArgs(ZeroAddress, users.carol.address, 12_500n);
    });

    it("counts the bar in the backing", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const before = await gold.backing();
      await gold.connect(goldRoles.custodian).addBar(barInput("KZ-0100", 12_500n, users.carol.address));
      const after = await gold.backing();
      expect(after.inVaultFineWeightMg - before.inVaultFineWeightMg).to.equal(12_500n);
      expect(after.barsInVault - before.barsInVault).to.equal(1n);
      expect(after.barsRegistered - before.barsRegistered).to.equal(1n);
    });

    it("accepts the bounds: fine weight 1 mg and 20 kg, fineness 995.0 and 1000.0", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const c = gold.connect(goldRoles.custodian);
      await c.addBar(barInput("MIN-W", 1n, users.alice.address));
      await c.addBar(barInput("MAX-W", MAX_WEIGHT, users.alice.address));
      await c.addBar(barInput("MIN-F", 1_000n, users.alice.address, { fineness: 9950 }));
      await c.addBar(barInput("MAX-F", 1_000n, users.alice.address, { fineness: 10_000 }));
      expect((await gold.barOf(serial("MAX-W"))).fineWeightMg).to.equal(MAX_WEIGHT);
    });

    it("re-registers a released bar, once in the list, with its new data", async function () {
      const { gold, goldRoles, users } = await load(removedFixture);
      const before = await gold.backing();
      const bar = barInput("KZ-0003", grams("9.999"), users.bob.address, { vault: "NBK-ALMATY-1" });
      await expect(gold.connect(goldRoles.custodian).addBar(bar)).to.changeTokenBalance(gold, users.bob, 9_999n);
      const after = await gold.backing();
      expect(after.barsRegistered).to.equal(before.barsRegistered);
      expect(after.barsInVault - before.barsInVault).to.equal(1n);
      const record = await gold.barOf(serial("KZ-0003"));
      expect(record.status).to.equal(BarStatus.InVault);
      expect(record.vault).to.equal(encodeBytes32String("NBK-ALMATY-1"));
    });

    it("reverts with GoldTokenInvalidSerial for a zero serial", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bar = { ...barInput("X", 1n, users.alice.address), serial: ZeroHash };
      await expect(gold.connect(goldRoles.custodian).addBar(bar)).to.be.revertedWithCustomError(
        gold,
        "GoldTokenInvalidSerial",
      );
    });

    it("reverts with GoldTokenInvalidRefiner for an empty refiner", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bar = { ...barInput("KZ-0100", 1n, users.alice.address), refiner: ZeroHash };
      await expect(gold.connect(goldRoles.custodian).addBar(bar))
        .to.be.revertedWithCustomError(gold, "GoldTokenInvalidRefiner")
        .withArgs(serial("KZ-0100"));
    });

    it("reverts with GoldTokenInvalidVault for an empty vault", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bar = { ...barInput("KZ-0100", 1n, users.alice.address), vault: ZeroHash };
      await expect(gold.connect(goldRoles.custodian).addBar(bar))
        .to.be.revertedWithCustomError(gold, "GoldTokenInvalidVault")
        .withArgs(serial("KZ-0100"));
    });

    for (const weight of [0n, MAX_WEIGHT + 1n]) {
      it(`reverts with GoldTokenInvalidFineWeight for ${weight} mg`, async function () {
        const { gold, goldRoles, users } = await load(goldFixture);
        await expect(gold.connect(goldRoles.custodian).addBar(barInput("KZ-0100", weight, users.alice.address)))
          .to.be.revertedWithCustomError(gold, "GoldTokenInvalidFineWeight")
          .withArgs(serial("KZ-0100"), weight);
      });
    }

    for (const fineness of [9949, 10_001]) {
      it(`reverts with GoldTokenInvalidFineness for ${fineness} parts per 10,000`, async function () {
        const { gold, goldRoles, users } = await load(goldFixture);
        const bar = barInput("KZ-0100", 1_000n, users.alice.address, { fineness });
        await expect(gold.connect(goldRoles.custodian).addBar(bar))
          .to.be.revertedWithCustomError(gold, "GoldTokenInvalidFineness")
          .withArgs(serial("KZ-0100"), fineness);
      });
    }

    it("reverts with GoldTokenBarExists for a serial in the vault", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      await expect(gold.connect(goldRoles.custodian).addBar(barInput("KZ-0004", 1_000n, users.alice.address)))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarExists")
        .withArgs(serial("KZ-0004"), BarStatus.InVault);
    });

    it("reverts with GoldTokenBarExists for a serial allocated to a holder", async function () {
      const { gold, goldRoles, users } = await load(allocatedFixture);
      await expect(gold.connect(goldRoles.custodian).addBar(barInput("KZ-0002", 1_000n, users.alice.address)))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarExists")
        .withArgs(serial("KZ-0002"), BarStatus.Allocated);
    });

    it("reverts with GoldTokenZeroAddress for a zero recipient", async function () {
      const { gold, goldRoles } = await load(goldFixture);
      await expect(
        gold.connect(goldRoles.custodian).addBar(barInput("KZ-0100", 1_000n, ZeroAddress)),
      ).to.be.revertedWithCustomError(gold, "GoldTokenZeroAddress");
    });

    it("reverts with GoldTokenNotPermitted for a recipient that is not a participant", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      await expect(gold.connect(goldRoles.custodian).addBar(barInput("KZ-0100", 1_000n, users.outsider.address)))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.outsider.address);
    });

    it("reverts with PackedERC20AccountBlocked for a recipient frozen in gold", async function () {
      const { gold, goldRoles, roles, users } = await load(goldFixture);
      await gold.connect(roles.compliance).freeze(users.carol, REASON);
      await expect(gold.connect(goldRoles.custodian).addBar(barInput("KZ-0100", 1_000n, users.carol.address)))
        .to.be.revertedWithCustomError(gold, "PackedERC20AccountBlocked")
        .withArgs(users.carol.address);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { gold, goldRoles, roles, users } = await load(goldFixture);
      await gold.connect(roles.pauser).pause();
      await expect(
        gold.connect(goldRoles.custodian).addBar(barInput("KZ-0100", 1_000n, users.alice.address)),
      ).to.be.revertedWithCustomError(gold, "EnforcedPause");
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without CUSTODIAN_ROLE", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.connect(users.alice).addBar(barInput("KZ-0100", 1_000n, users.alice.address)))
        .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
        .withArgs(users.alice.address, await gold.CUSTODIAN_ROLE());
    });
  });

  describe("addBars", function () {
    it("registers every bar and mints each one's fine weight to its recipient", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bars = [
        barInput("B-1", 1_000n, users.alice.address),
        barInput("B-2", 2_000n, users.bob.address),
        barInput("B-3", 3_000n, users.alice.address),
      ];
      const tx = gold.connect(goldRoles.custodian).addBars(bars);
      await expect(tx).to.changeTokenBalances(gold, [users.alice, users.bob], [4_000n, 2_000n]);
      await expect(tx)
        .to.emit(gold, "BarAdded")
        .withArgs(serial("B-2"), bars[1].vault, users.bob.address, bars[1].refiner, 2_000n, 9999n);
      for (const s of ["B-1", "B-2", "B-3"]) expect((await gold.barOf(serial(s))).status).to.equal(BarStatus.InVault);
    });

    it("reverts with GoldTokenEmptyBatch for no bars", async function () {
      const { gold, goldRoles } = await load(goldFixture);
      await expect(gold.connect(goldRoles.custodian).addBars([])).to.be.revertedWithCustomError(
        gold,
        "GoldTokenEmptyBatch",
      );
    });

    it("reverts with GoldTokenBarExists for a serial twice in one batch, registering none", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bars = [barInput("B-1", 1_000n, users.alice.address), barInput("B-1", 2_000n, users.bob.address)];
      await expect(gold.connect(goldRoles.custodian).addBars(bars))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarExists")
        .withArgs(serial("B-1"), BarStatus.InVault);
      expect((await gold.barOf(serial("B-1"))).status).to.equal(BarStatus.None);
    });

    it("reverts on any bad bar, registering none (all or nothing)", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      const bars = [barInput("B-1", 1_000n, users.alice.address), barInput("B-2", 0n, users.bob.address)];
      await expect(gold.connect(goldRoles.custodian).addBars(bars))
        .to.be.revertedWithCustomError(gold, "GoldTokenInvalidFineWeight")
        .withArgs(serial("B-2"), 0n);
      expect((await gold.barOf(serial("B-1"))).status).to.equal(BarStatus.None);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { gold, goldRoles, roles, users } = await load(goldFixture);
      await gold.connect(roles.pauser).pause();
      await expect(
        gold.connect(goldRoles.custodian).addBars([barInput("B-1", 1_000n, users.alice.address)]),
      ).to.be.revertedWithCustomError(gold, "EnforcedPause");
    });
  });

  describe("removeBar", function () {
    it("burns the bar's fine weight from the custodian and releases the bar", async function () {
      const { gold, goldRoles } = await load(goldFixture);
      const tx = gold.connect(goldRoles.custodian).removeBar(serial("KZ-0003"));
      await expect(tx).to.changeTokenBalance(gold, goldRoles.custodian, -9_999n);
      await expect(tx)
        .to.emit(gold, "BarRemoved")
        .withArgs(serial("KZ-0003"), goldRoles.custodian.address, 9_999n)
        .and.to.emit(gold, "Transfer")
        .withArgs(goldRoles.custodian.address, ZeroAddress, 9_999n);
      const record = await gold.barOf(serial("KZ-0003"));
      expect(record.status).to.equal(BarStatus.Released);
      expect(record.holder).to.equal(goldRoles.custodian.address);
    });

    it("reverts with ERC20InsufficientBalance when the custodian holds less than the bar", async function () {
      const { gold, goldRoles } = await load(goldFixture);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0004")))
        .to.be.revertedWithCustomError(gold, "ERC20InsufficientBalance")
        .withArgs(goldRoles.custodian.address, 9_999n, 49_995n);
    });

    it("removes any bar in the vault once the custodian holds its fine weight", async function () {
      const { gold, goldRoles, users } = await load(goldFixture);
      await gold.connect(users.bob).transfer(goldRoles.custodian, 49_995n);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0004"))).to.changeTokenBalance(
        gold,
        goldRoles.custodian,
        -49_995n,
      );
    });

    it("reverts with GoldTokenBarNotInVault for an unknown serial", async function () {
      const { gold, goldRoles } = await load(goldFixture);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("NOPE")))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarNotInVault")
        .withArgs(serial("NOPE"), BarStatus.None);
    });

    it("reverts with GoldTokenBarNotInVault for an allocated bar", async function () {
      const { gold, goldRoles } = await load(allocatedFixture);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0002")))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarNotInVault")
        .withArgs(serial("KZ-0002"), BarStatus.Allocated);
    });

    it("reverts with GoldTokenBarNotInVault for a released bar", async function () {
      const { gold, goldRoles } = await load(removedFixture);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0003")))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarNotInVault")
        .withArgs(serial("KZ-0003"), BarStatus.Released);
    });

    it("reverts with PackedERC20AccountBlocked when the custodian is frozen in gold", async function () {
      const { gold, goldRoles, roles } = await load(goldFixture);
      await gold.connect(roles.compliance).freeze(goldRoles.custodian, REASON);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0003")))
        .to.be.revertedWithCustomError(gold, "PackedERC20AccountBlocked")
        .withArgs(goldRoles.custodian.address);
    });

    it("reverts with GoldTokenNotPermitted when the custodian is no longer a participant", async function () {
      const { gold, tenge, goldRoles, roles } = await load(goldFixture);
      await tenge.connect(roles.compliance).freeze(goldRoles.custodian, REASON);
      await gold.syncParticipant(goldRoles.custodian);
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0003")))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(goldRoles.custodian.address);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { gold, goldRoles, roles } = await load(goldFixture);
      await gold.connect(roles.pauser).pause();
      await expect(gold.connect(goldRoles.custodian).removeBar(serial("KZ-0003"))).to.be.revertedWithCustomError(
        gold,
        "EnforcedPause",
      );
    });
  });

  describe("redeemBar", function () {
    it("burns exactly the bar's fine weight from the holder and allocates that bar to it", async function () {
      const { gold, users } = await load(goldFixture);
      const tx = gold.connect(users.alice).redeemBar(serial("KZ-0002"));
      await expect(tx).to.changeTokenBalance(gold, users.alice, -99_990n);
      await expect(tx)
        .to.emit(gold, "BarRedeemed")
        .withArgs(serial("KZ-0002"), users.alice.address, 99_990n)
        .and.to.emit(gold, "Transfer")
        .withArgs(users.alice.address, ZeroAddress, 99_990n);
      const record = await gold.barOf(serial("KZ-0002"));
      expect(record.status).to.equal(BarStatus.Allocated);
      expect(record.holder).to.equal(users.alice.address);
      const backing = await gold.backing();
      expect(backing.barsAllocated).to.equal(1n);
    });

    it("redeems any bar in the vault, not only the one minted to the holder", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0004"))).to.changeTokenBalance(
        gold,
        users.alice,
        -49_995n,
      );
      expect((await gold.barOf(serial("KZ-0004"))).holder).to.equal(users.alice.address);
    });

    it("reverts with ERC20InsufficientBalance for a holding smaller than the bar (partial bars go to the desk)", async function () {
      const { gold, users } = await load(goldFixture);
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0001")))
        .to.be.revertedWithCustomError(gold, "ERC20InsufficientBalance")
        .withArgs(users.alice.address, 99_990n, 999_900n);
    });

    it("reverts with GoldTokenBarNotInVault for an unknown or allocated bar", async function () {
      const { gold, users } = await load(allocatedFixture);
      await expect(gold.connect(users.bob).redeemBar(serial("NOPE")))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarNotInVault")
        .withArgs(serial("NOPE"), BarStatus.None);
      await expect(gold.connect(users.bob).redeemBar(serial("KZ-0002")))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarNotInVault")
        .withArgs(serial("KZ-0002"), BarStatus.Allocated);
    });

    it("reverts with PackedERC20AccountBlocked for a holder frozen in gold", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await gold.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0002")))
        .to.be.revertedWithCustomError(gold, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("reverts with GoldTokenNotPermitted for a holder frozen in the tenge and synced", async function () {
      const { gold, tenge, roles, users } = await load(goldFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, REASON);
      await gold.syncParticipant(users.alice);
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0002")))
        .to.be.revertedWithCustomError(gold, "GoldTokenNotPermitted")
        .withArgs(users.alice.address);
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { gold, roles, users } = await load(goldFixture);
      await gold.connect(roles.pauser).pause();
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0002"))).to.be.revertedWithCustomError(
        gold,
        "EnforcedPause",
      );
    });
  });

  describe("releaseBar", function () {
    it("records delivery: the allocated bar becomes Released", async function () {
      const { gold, goldRoles, users } = await load(allocatedFixture);
      await expect(gold.connect(goldRoles.custodian).releaseBar(serial("KZ-0002")))
        .to.emit(gold, "BarReleased")
        .withArgs(serial("KZ-0002"), users.alice.address, goldRoles.custodian.address);
      const record = await gold.barOf(serial("KZ-0002"));
      expect(record.status).to.equal(BarStatus.Released);
      expect(record.holder).to.equal(users.alice.address);
      expect((await gold.backing()).barsAllocated).to.equal(0n);
    });

    it("works while paused (no tokens move)", async function () {
      const { gold, goldRoles, roles } = await load(allocatedFixture);
      await gold.connect(roles.pauser).pause();
      await expect(gold.connect(goldRoles.custodian).releaseBar(serial("KZ-0002"))).to.emit(gold, "BarReleased");
    });

    for (const [label, text, status] of [
      ["unknown", "NOPE", BarStatus.None],
      ["in the vault", "KZ-0004", BarStatus.InVault],
    ] as const) {
      it(`reverts with GoldTokenBarNotAllocated for a bar ${label}`, async function () {
        const { gold, goldRoles } = await load(allocatedFixture);
        await expect(gold.connect(goldRoles.custodian).releaseBar(serial(text)))
          .to.be.revertedWithCustomError(gold, "GoldTokenBarNotAllocated")
          .withArgs(serial(text), status);
      });
    }

    it("reverts with GoldTokenBarNotAllocated for a bar released already", async function () {
      const { gold, goldRoles } = await load(allocatedFixture);
      await gold.connect(goldRoles.custodian).releaseBar(serial("KZ-0002"));
      await expect(gold.connect(goldRoles.custodian).releaseBar(serial("KZ-0002")))
        .to.be.revertedWithCustomError(gold, "GoldTokenBarNotAllocated")
        .withArgs(serial("KZ-0002"), BarStatus.Released);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without CUSTODIAN_ROLE", async function () {
      const { gold, users } = await load(allocatedFixture);
      await expect(gold.connect(users.alice).releaseBar(serial("KZ-0002")))
        .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
        .withArgs(users.alice.address, await gold.CUSTODIAN_ROLE());
    });
  });

  describe("views", function () {
    it("barOf returns all zero for an unknown serial", async function () {
      const { gold } = await load(goldFixture);
      const record = await gold.barOf(serial("NOPE"));
      expect(record.serial).to.equal(ZeroHash);
      expect(record.fineWeightMg).to.equal(0n);
      expect(record.status).to.equal(BarStatus.None);
      expect(record.holder).to.equal(ZeroAddress);
    });

    it("barsPage pages through the bars in registration order", async function () {
      const { gold } = await load(goldFixture);
      const all = await gold.barsPage(0, 100);
      expect(all.map((b) => b.serial)).to.deep.equal(["KZ-0001", "KZ-0002", "KZ-0003", "KZ-0004"].map(serial));
      const middle = await gold.barsPage(1, 2);
      expect(middle.map((b) => b.serial)).to.deep.equal([serial("KZ-0002"), serial("KZ-0003")]);
      expect((await gold.barsPage(3, 5)).length).to.equal(1);
      expect((await gold.barsPage(4, 5)).length).to.equal(0);
      expect((await gold.barsPage(10, 5)).length).to.equal(0);
      expect((await gold.barsPage(0, 0)).length).to.equal(0);
    });

    it("backing counts supply, fine weight in vault and bars by status", async function () {
      const { gold } = await load(allocatedFixture);
      const backing = await gold.backing();
      expect(backing.totalSupply).to.equal(999_900n + 9_999n + 49_995n);
      expect(backing.inVaultFineWeightMg).to.equal(backing.totalSupply);
      expect(backing.barsInVault).to.equal(3n);
      expect(backing.barsAllocated).to.equal(1n);
      expect(backing.barsRegistered).to.equal(4n);
    });
  });
});
