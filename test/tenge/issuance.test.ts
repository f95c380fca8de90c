import { expect } from "chai";
import { setStorageAt } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { AbiCoder, ContractTransactionResponse, encodeBytes32String, id, keccak256, ZeroAddress } from "ethers";
import type { DigitalTenge } from "../../typechain-types";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

const MAX_SUPPLY = 2n ** 64n - 1n;
const REF = encodeBytes32String("SETTLE-0001");
const REASON = encodeBytes32String("COURT-2025-001");

/** ERC-7201 slot of `TengeStorage` (see TengeBase); `bankCount` is its 7th field. */
const STORAGE_BASE =
  BigInt(
    keccak256(AbiCoder.defaultAbiCoder().encode(["uint256"], [BigInt(id("digitaltenge.storage.DigitalTenge")) - 1n])),
  ) & ~0xffn;
const BANK_COUNT_SLOT = STORAGE_BASE + 6n;

/** How many `Issued` events a transaction emitted. */
async function issuedCount(tenge: DigitalTenge, tx: ContractTransactionResponse): Promise<number> {
  const receipt = await tx.wait();
  if (!receipt) throw new Error("no receipt");
  return receipt.logs.filter((log) => tenge.interface.parseLog(log)?.name === "Issued").length;
}

/** Σ outstanding of every registered bank. */
async function sumOutstanding(tenge: DigitalTenge): Promise<bigint> {
  let sum = 0n;
  const count = await tenge.bankCount();
  for (let bankId = 1n; bankId <= count; bankId++) {
    sum += (await tenge.bankOf(await tenge.bankById(bankId))).outstanding;
  }
  return sum;
}

describe("DigitalTenge: issuance", function () {
  describe("registerBank", function () {
    it("gave the first registered bank id 1", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      expect((await tenge.bankOf(banks.bankA)).id).to.equal(1n);
      expect(await tenge.bankById(1)).to.equal(banks.bankA.address);
    });

    it("gave the second registered bank id 2", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      expect((await tenge.bankOf(banks.bankB)).id).to.equal(2n);
      expect(await tenge.bankById(2)).to.equal(banks.bankB.address);
    });

    it("gives a new bank the next id and counts it", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).registerBank(users.outsider, kzt("1000"));
      expect((await tenge.bankOf(users.outsider)).id).to.equal(3n);
      expect(await tenge.bankById(3)).to.equal(users.outsider.address);
      expect(await tenge.bankCount()).to.equal(3n);
    });

    it("emits BankRegistered with the bank, its id and ceiling", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).registerBank(users.outsider, kzt("1000")))
        .to.emit(tenge, "BankRegistered")
        .withArgs(users.outsider.address, 3n, kzt("1000"));
    });

    it("records an unsuspended bank with its ceiling, nothing outstanding and the whole ceiling remaining", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).registerBank(users.outsider, kzt("1000"));
      const bank = await tenge.bankOf(users.outsider);
      expect([bank.id, bank.suspended, bank.ceiling, bank.outstanding, bank.remaining]).to.deep.equal([
        3n,
        false,
        kzt("1000"),
        0n,
        kzt("1000"),
      ]);
    });

    it("accepts a ceiling of exactly MAX_SUPPLY", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).registerBank(users.outsider, MAX_SUPPLY);
      expect((await tenge.bankOf(users.outsider)).ceiling).to.equal(MAX_SUPPLY);
    });

    it("reverts with DigitalTengeBankAlreadyRegistered for a registered bank", async function () {
      const { tenge, roles, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).registerBank(banks.bankA, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeBankAlreadyRegistered")
        .withArgs(banks.bankA.address);
      expect(await tenge.bankCount()).to.equal(2n);
      expect((await tenge.bankOf(banks.bankA)).ceiling).to.equal(kzt("1000000"));
    });

    it("reverts with DigitalTengeZeroAddress for the zero address", async function () {
      const { tenge, roles } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).registerBank(ZeroAddress, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeZeroAddress")
        .withArgs();
      expect(await tenge.bankCount()).to.equal(2n);
    });

    it("reverts with DigitalTengeInvalidAmount for a ceiling above MAX_SUPPLY", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).registerBank(users.outsider, MAX_SUPPLY + 1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(MAX_SUPPLY + 1n);
      expect(await tenge.bankCount()).to.equal(2n);
      expect((await tenge.bankOf(users.outsider)).id).to.equal(0n);
    });

    it("reverts with AccessControlUnauthorizedAccount for a caller without CENTRAL_BANK_ROLE", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).registerBank(users.outsider, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "AccessControlUnauthorizedAccount")
        .withArgs(banks.bankA.address, await tenge.CENTRAL_BANK_ROLE());
    });

    // The storage write stands in for 65,534 registrations.
    it("admits a 65,535th bank with id 65,535", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await setStorageAt(await tenge.getAddress(), BANK_COUNT_SLOT, 65_534n);
      await tenge.connect(roles.desk).registerBank(users.outsider, kzt("1"));
      expect((await tenge.bankOf(users.outsider)).id).to.equal(65_535n);
      expect(await tenge.bankCount()).to.equal(65_535n);
    });

    it("reverts with DigitalTengeTooManyBanks once 65,535 banks are registered", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await setStorageAt(await tenge.getAddress(), BANK_COUNT_SLOT, 65_535n);
      await expect(tenge.connect(roles.desk).registerBank(users.outsider, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeTooManyBanks")
        .withArgs();
    });
  });

  describe("setIssuanceCeiling", function () {
    it("sets the ceiling and the remaining room", async function () {
      const { tenge, roles, banks } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("50000"));
      const bank = await tenge.bankOf(banks.bankA);
      expect(bank.ceiling).to.equal(kzt("50000"));
      expect(bank.remaining).to.equal(kzt("38000"));
    });

    it("emits IssuanceCeilingSet with the previous and new ceilings", async function () {
      const { tenge, roles, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("50000")))
        .to.emit(tenge, "IssuanceCeilingSet")
        .withArgs(banks.bankA.address, kzt("1000000"), kzt("50000"));
    });

    it("reverts with DigitalTengeInvalidAmount for a ceiling above MAX_SUPPLY", async function () {
      const { tenge, roles, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, MAX_SUPPLY + 1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(MAX_SUPPLY + 1n);
      expect((await tenge.bankOf(banks.bankA)).ceiling).to.equal(kzt("1000000"));
    });

    it("reverts with DigitalTengeNotBank for an unregistered bank", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setIssuanceCeiling(users.outsider, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(users.outsider.address);
    });

    describe("when the ceiling is set below the outstanding issuance", function () {
      it("reports no remaining room", async function () {
        const { tenge, roles, banks } = await loadFixture(tengeFixture);
        await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("11000"));
        expect((await tenge.bankOf(banks.bankA)).remaining).to.equal(0n);
      });

      it("keeps the outstanding issuance", async function () {
        const { tenge, roles, banks } = await loadFixture(tengeFixture);
        await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("11000"));
        expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
      });

      it("stops new issuance with DigitalTengeCeilingExceeded and zero remaining", async function () {
        const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
        await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("11000"));
        await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("0.01")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeCeilingExceeded")
          .withArgs(banks.bankA.address, 0n, kzt("0.01"));
      });

      it("allows issuance again once redemptions bring the outstanding back under", async function () {
        const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
        await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("11000"));
        await tenge.connect(users.alice).redeem(kzt("1500"), REF);
        await expect(tenge.connect(banks.bankA).mint(users.bob, kzt("500"))).to.changeTokenBalance(
          tenge,
          users.bob,
          kzt("500"),
        );
      });
    });
  });

  describe("setBankSuspended", function () {
    it("marks the bank suspended with no remaining room", async function () {
      const { tenge, roles, banks } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      const bank = await tenge.bankOf(banks.bankA);
      expect(bank.suspended).to.equal(true);
      expect(bank.remaining).to.equal(0n);
    });

    it("emits BankIssuanceSuspended", async function () {
      const { tenge, roles, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setBankSuspended(banks.bankA, true))
        .to.emit(tenge, "BankIssuanceSuspended")
        .withArgs(banks.bankA.address, true);
    });

    it("lets the suspended bank's customers keep paying", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      await expect(tenge.connect(users.alice).transfer(users.bob, kzt("100"))).to.changeTokenBalances(
        tenge,
        [users.alice, users.bob],
        [-kzt("100"), kzt("100")],
      );
    });

    it("resumes issuance when lifted", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      await expect(tenge.connect(roles.desk).setBankSuspended(banks.bankA, false))
        .to.emit(tenge, "BankIssuanceSuspended")
        .withArgs(banks.bankA.address, false);
      await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("1"))).to.changeTokenBalance(
        tenge,
        users.alice,
        kzt("1"),
      );
    });

    it("reverts with DigitalTengeNotBank for an unregistered bank", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).setBankSuspended(users.outsider, true))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(users.outsider.address);
    });
  });

  describe("mint", function () {
    it("credits the customer", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("250.50"))).to.changeTokenBalance(
        tenge,
        users.alice,
        kzt("250.50"),
      );
    });

    it("raises the total supply and the bank's outstanding issuance", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).mint(users.alice, kzt("250.50"));
      expect(await tenge.totalSupply()).to.equal(kzt("17250.50"));
      const bank = await tenge.bankOf(banks.bankA);
      expect(bank.outstanding).to.equal(kzt("12250.50"));
      expect(bank.remaining).to.equal(kzt("987749.50"));
    });

    it("emits Transfer from the zero address", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("250.50")))
        .to.emit(tenge, "Transfer")
        .withArgs(ZeroAddress, users.alice.address, kzt("250.50"));
    });

    it("emits Issued with the bank, one recipient and the amount", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("250.50")))
        .to.emit(tenge, "Issued")
        .withArgs(banks.bankA.address, 1n, kzt("250.50"));
    });

    it("issues exactly up to the ceiling", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).mint(users.merchant, kzt("988000"));
      const bank = await tenge.bankOf(banks.bankA);
      expect(bank.outstanding).to.equal(kzt("1000000"));
      expect(bank.remaining).to.equal(0n);
    });

    it("reverts with DigitalTengeCeilingExceeded carrying the bank, remaining room and amount", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.merchant, kzt("988000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeCeilingExceeded")
        .withArgs(banks.bankA.address, kzt("988000"), kzt("988000.01"));
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
    });

    it("reverts with DigitalTengeBankSuspended for a suspended bank", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeBankSuspended")
        .withArgs(banks.bankA.address);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeNotBank for a caller that is not a bank", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(roles.desk).mint(users.treasury, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(roles.desk.address);
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
    });

    it("reverts with DigitalTengeNotAccountManager when the recipient is another bank's customer", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.carol, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankA.address, users.carol.address);
      expect(await tenge.balanceOf(users.carol)).to.equal(kzt("5000"));
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
    });

    it("reverts with DigitalTengeNotAccountManager when the recipient is an institution", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.treasury, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
        .withArgs(banks.bankA.address, users.treasury.address);
    });

    it("reverts with DigitalTengeNotOnboarded when the recipient is not onboarded", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.outsider, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
    });

    it("reverts with DigitalTengeAccountFrozen when the recipient is frozen", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(tenge.connect(banks.bankA).mint(users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeHoldingLimitExceeded when the credit takes the recipient above its limit", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(banks.bankA).setTier(users.bob, 0); // holding limit 100,000 KZT; bob holds 2,000
      await expect(tenge.connect(banks.bankA).mint(users.bob, kzt("98000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeHoldingLimitExceeded")
        .withArgs(users.bob.address, kzt("100000"), kzt("100000.01"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
    });

    it("reverts with DigitalTengeInvalidAmount for a zero amount", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.alice, 0n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("reverts with DigitalTengeInvalidAmount for an amount above MAX_SUPPLY", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mint(users.alice, MAX_SUPPLY + 1n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(MAX_SUPPLY + 1n);
    });

    describe("at the supply cap", function () {
      async function uncappedBankFixture() {
        const base = await loadFixture(tengeFixture);
        const { tenge, roles, banks, users } = base;
        await (await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, MAX_SUPPLY)).wait();
        await (await tenge.connect(roles.desk).setExempt(users.merchant, true)).wait();
        return base;
      }

      it("issues up to MAX_SUPPLY exactly", async function () {
        const { tenge, banks, users } = await loadFixture(uncappedBankFixture);
        await tenge.connect(banks.bankA).mint(users.merchant, MAX_SUPPLY - kzt("17000"));
        expect(await tenge.totalSupply()).to.equal(MAX_SUPPLY);
      });

      it("reverts with DigitalTengeSupplyCapExceeded carrying the cap and the new supply", async function () {
        const { tenge, banks, users } = await loadFixture(uncappedBankFixture);
        await expect(tenge.connect(banks.bankA).mint(users.merchant, MAX_SUPPLY - kzt("17000") + 1n))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeSupplyCapExceeded")
          .withArgs(MAX_SUPPLY, MAX_SUPPLY + 1n);
        expect(await tenge.totalSupply()).to.equal(kzt("17000"));
      });
    });
  });

  describe("mintBatch", function () {
    it("credits every recipient", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      const { alice, bob, merchant } = users;
      await expect(
        tenge.connect(banks.bankA).mintBatch([alice, bob, merchant], [kzt("100"), kzt("200"), kzt("300")]),
      ).to.changeTokenBalances(tenge, [alice, bob, merchant], [kzt("100"), kzt("200"), kzt("300")]);
    });

    it("books the total against the bank's outstanding and the total supply", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      const { alice, bob, merchant } = users;
      await tenge.connect(banks.bankA).mintBatch([alice, bob, merchant], [kzt("100"), kzt("200"), kzt("300")]);
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12600"));
      expect(await tenge.totalSupply()).to.equal(kzt("17600"));
    });

    it("emits Transfer from the zero address for each recipient", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      const { alice, bob } = users;
      const tx = tenge.connect(banks.bankA).mintBatch([alice, bob], [kzt("100"), kzt("200")]);
      await expect(tx).to.emit(tenge, "Transfer").withArgs(ZeroAddress, alice.address, kzt("100"));
      await expect(tx).to.emit(tenge, "Transfer").withArgs(ZeroAddress, bob.address, kzt("200"));
    });

    it("emits Issued with the bank, the number of recipients and the total", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      const { alice, bob, merchant } = users;
      await expect(tenge.connect(banks.bankA).mintBatch([alice, bob, merchant], [kzt("100"), kzt("200"), kzt("300")]))
        .to.emit(tenge, "Issued")
        .withArgs(banks.bankA.address, 3n, kzt("600"));
    });

    it("emits Issued only once", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      const { alice, bob, merchant } = users;
      const tx = await tenge
        .connect(banks.bankA)
        .mintBatch([alice, bob, merchant], [kzt("100"), kzt("200"), kzt("300")]);
      expect(await issuedCount(tenge, tx)).to.equal(1);
    });

    it("reverts with DigitalTengeLengthMismatch when the arrays differ in length", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mintBatch([users.alice, users.bob], [kzt("100")]))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeLengthMismatch")
        .withArgs(2n, 1n);
    });

    it("reverts with DigitalTengeEmptyBatch for an empty batch", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mintBatch([], []))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeEmptyBatch")
        .withArgs();
    });

    it("reverts with DigitalTengeNotBank for a caller that is not a bank", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.outsider).mintBatch([users.alice], [kzt("1")]))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotBank")
        .withArgs(users.outsider.address);
    });

    it("reverts with DigitalTengeInvalidAmount when one amount is zero", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(banks.bankA).mintBatch([users.alice, users.bob], [kzt("1"), 0n]))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    describe("when the total exceeds the ceiling although each amount fits", function () {
      it("reverts with DigitalTengeCeilingExceeded carrying the remaining room and the total", async function () {
        const { tenge, banks, users } = await loadFixture(tengeFixture);
        await expect(tenge.connect(banks.bankA).mintBatch([users.merchant, users.bob], [kzt("987000"), kzt("1000.01")]))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeCeilingExceeded")
          .withArgs(banks.bankA.address, kzt("988000"), kzt("988000.01"));
      });

      it("changes no balance, supply or outstanding", async function () {
        const { tenge, banks, users } = await loadFixture(tengeFixture);
        await expect(tenge.connect(banks.bankA).mintBatch([users.merchant, users.bob], [kzt("987000"), kzt("1000.01")]))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeCeilingExceeded")
          .withArgs(banks.bankA.address, kzt("988000"), kzt("988000.01"));
        expect(await tenge.balanceOf(users.merchant)).to.equal(0n);
        expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000"));
        expect(await tenge.totalSupply()).to.equal(kzt("17000"));
        expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
      });
    });

    describe("when one recipient is refused", function () {
      it("reverts the whole batch with that recipient's error", async function () {
        const { tenge, banks, users } = await loadFixture(tengeFixture);
        const { alice, carol, bob } = users;
        await expect(tenge.connect(banks.bankA).mintBatch([alice, carol, bob], [kzt("100"), kzt("200"), kzt("300")]))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
          .withArgs(banks.bankA.address, carol.address);
      });

      it("changes no balance, supply or outstanding", async function () {
        const { tenge, banks, users } = await loadFixture(tengeFixture);
        const { alice, carol, bob } = users;
        await expect(tenge.connect(banks.bankA).mintBatch([alice, carol, bob], [kzt("100"), kzt("200"), kzt("300")]))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeNotAccountManager")
          .withArgs(banks.bankA.address, carol.address);
        expect(await tenge.balanceOf(alice)).to.equal(kzt("10000"));
        expect(await tenge.balanceOf(bob)).to.equal(kzt("2000"));
        expect(await tenge.balanceOf(carol)).to.equal(kzt("5000"));
        expect(await tenge.totalSupply()).to.equal(kzt("17000"));
        expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
      });
    });

    it("reverts with DigitalTengeBankSuspended for a suspended bank", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      await expect(tenge.connect(banks.bankA).mintBatch([users.alice], [kzt("1")]))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeBankSuspended")
        .withArgs(banks.bankA.address);
    });
  });

  describe("redeem", function () {
    it("burns the holder's tenge", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).redeem(kzt("1500"), REF)).to.changeTokenBalance(
        tenge,
        users.alice,
        -kzt("1500"),
      );
    });

    it("lowers the total supply", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).redeem(kzt("1500"), REF);
      expect(await tenge.totalSupply()).to.equal(kzt("15500"));
    });

    it("lowers the holder's bank's outstanding issuance", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).redeem(kzt("1500"), REF);
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("10500"));
    });

    it("emits Transfer to the zero address", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).redeem(kzt("1500"), REF))
        .to.emit(tenge, "Transfer")
        .withArgs(users.alice.address, ZeroAddress, kzt("1500"));
    });

    it("emits Redeemed with the holder, its bank, the amount and the settlement reference", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).redeem(kzt("1500"), REF))
        .to.emit(tenge, "Redeemed")
        .withArgs(users.alice.address, banks.bankA.address, kzt("1500"), REF);
    });

    it("frees the bank's ceiling by the amount redeemed", async function () {
      const { tenge, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).redeem(kzt("1500"), REF);
      expect((await tenge.bankOf(banks.bankA)).remaining).to.equal(kzt("989500"));
    });

    it("lets a bank at its ceiling issue again up to the amount redeemed", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setIssuanceCeiling(banks.bankA, kzt("12000"));
      await tenge.connect(users.alice).redeem(kzt("1500"), REF);
      await expect(tenge.connect(banks.bankA).mint(users.bob, kzt("1500"))).to.changeTokenBalance(
        tenge,
        users.bob,
        kzt("1500"),
      );
      expect((await tenge.bankOf(banks.bankA)).remaining).to.equal(0n);
    });

    describe("when a customer of bank B redeems tenge bank A issued", function () {
      async function crossBankRedemptionFixture() {
        const base = await loadFixture(tengeFixture);
        const { tenge, users } = base;
        await (await tenge.connect(users.alice).transfer(users.carol, kzt("8000"))).wait();
        await (await tenge.connect(users.carol).redeem(kzt("13000"), REF)).wait();
        return base;
      }

      it("takes bank B's outstanding below zero", async function () {
        const { tenge, banks } = await loadFixture(crossBankRedemptionFixture);
        expect((await tenge.bankOf(banks.bankB)).outstanding).to.equal(-kzt("8000"));
      });

      it("leaves bank A's outstanding unchanged", async function () {
        const { tenge, banks } = await loadFixture(crossBankRedemptionFixture);
        expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
      });

      it("keeps the sum of the banks' outstanding equal to the total supply", async function () {
        const { tenge } = await loadFixture(crossBankRedemptionFixture);
        expect(await tenge.totalSupply()).to.equal(kzt("4000"));
        expect(await sumOutstanding(tenge)).to.equal(await tenge.totalSupply());
      });

      it("counts the negative outstanding as extra room under bank B's ceiling", async function () {
        const { tenge, banks } = await loadFixture(crossBankRedemptionFixture);
        expect((await tenge.bankOf(banks.bankB)).remaining).to.equal(kzt("508000"));
      });
    });

    it("reverts with DigitalTengeNoRedeemingBank for an institution", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).transfer(users.treasury, kzt("100"));
      await expect(tenge.connect(users.treasury).redeem(kzt("100"), REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNoRedeemingBank")
        .withArgs(users.treasury.address);
      expect(await tenge.balanceOf(users.treasury)).to.equal(kzt("100"));
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
    });

    it("reverts with DigitalTengeFundsFrozen when the amount reaches into frozen funds", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("9000"), REASON);
      await expect(tenge.connect(users.alice).redeem(kzt("1000.01"), REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeFundsFrozen")
        .withArgs(users.alice.address, kzt("1000"), kzt("1000.01"));
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("12000"));
    });

    it("redeems the available part of a partly frozen balance", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("9000"), REASON);
      await expect(tenge.connect(users.alice).redeem(kzt("1000"), REF)).to.changeTokenBalance(
        tenge,
        users.alice,
        -kzt("1000"),
      );
    });

    it("reverts with DigitalTengeAccountFrozen for a frozen wallet", async function () {
      const { tenge, roles, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(tenge.connect(users.alice).redeem(kzt("1"), REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
    });

    it("reverts with DigitalTengeInsufficientBalance when the amount exceeds the balance", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.bob).redeem(kzt("2000.01"), REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(users.bob.address, kzt("2000"), kzt("2000.01"));
    });

    it("reverts with DigitalTengeNotOnboarded for a wallet that is not onboarded", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.outsider).redeem(kzt("1"), REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts with DigitalTengeInvalidAmount for a zero amount", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).redeem(0n, REF))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInvalidAmount")
        .withArgs(0n);
    });

    it("works for a customer of a suspended bank", async function () {
      const { tenge, roles, banks, users } = await loadFixture(tengeFixture);
      await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true);
      await expect(tenge.connect(users.alice).redeem(kzt("1"), REF)).to.changeTokenBalance(
        tenge,
        users.alice,
        -kzt("1"),
      );
    });
  });

  describe("views", function () {
    it("bankOf returns all zero for an address that is not a bank", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const bank = await tenge.bankOf(users.outsider);
      expect([bank.id, bank.suspended, bank.ceiling, bank.outstanding, bank.remaining]).to.deep.equal([
        0n,
        false,
        0n,
        0n,
        0n,
      ]);
    });

    it("bankOf reports the ceiling minus the outstanding as remaining", async function () {
      const { tenge, banks } = await loadFixture(tengeFixture);
      const bank = await tenge.bankOf(banks.bankB);
      expect([bank.id, bank.suspended, bank.ceiling, bank.outstanding, bank.remaining]).to.deep.equal([
        2n,
        false,
        kzt("500000"),
        kzt("5000"),
        kzt("495000"),
      ]);
    });

    it("bankById returns the zero address for id 0, the central bank", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      expect(await tenge.bankById(0)).to.equal(ZeroAddress);
    });

    it("bankById returns the zero address for an id not yet given", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      expect(await tenge.bankById(3)).to.equal(ZeroAddress);
    });

    it("keeps Σ outstanding equal to the total supply after issuance", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      expect(await sumOutstanding(tenge)).to.equal(await tenge.totalSupply());
    });
  });
});
