import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { MaxUint256, ZeroAddress } from "ethers";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

describe("DigitalTenge: ERC-20", function () {
  describe("metadata and supply", function () {
    it("is named Digital Tenge", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      expect(await tenge.name()).to.equal("Digital Tenge");
    });

    it("has the symbol DKZT", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      expect(await tenge.symbol()).to.equal("DKZT");
    });

    it("counts in tiyn: 2 decimals", async function () {
      const { tenge } = await loadFixture(tengeFixture);
      expect(await tenge.decimals()).to.equal(2n);
    });

    it("reports the total supply as the sum of all balances", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, bob, carol, merchant, treasury } = users;
      let sum = 0n;
      for (const holder of [alice, bob, carol, merchant, treasury]) sum += await tenge.balanceOf(holder);
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
      expect(sum).to.equal(kzt("17000"));
    });

    it("reports each holder's balance in tiyn", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect(await tenge.balanceOf(users.alice)).to.equal(1_000_000n);
    });

    it("reports zero for a wallet that was never onboarded", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect(await tenge.balanceOf(users.outsider)).to.equal(0n);
    });
  });

  describe("transfer", function () {
    it("moves the value from the sender to the recipient", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, bob } = users;
      await expect(tenge.connect(alice).transfer(bob, kzt("1500.25"))).to.changeTokenBalances(
        tenge,
        [alice, bob],
        [-kzt("1500.25"), kzt("1500.25")],
      );
    });

    it("emits Transfer with the sender, recipient and value", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, bob } = users;
      await expect(tenge.connect(alice).transfer(bob, kzt("1500.25")))
        .to.emit(tenge, "Transfer")
        .withArgs(alice.address, bob.address, kzt("1500.25"));
    });

    it("returns true", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect(await tenge.connect(users.alice).transfer.staticCall(users.bob, kzt("1"))).to.equal(true);
    });

    it("moves value between customers of different banks", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, carol } = users;
      await expect(tenge.connect(alice).transfer(carol, kzt("700"))).to.changeTokenBalances(
        tenge,
        [alice, carol],
        [-kzt("700"), kzt("700")],
      );
    });

    it("keeps the total supply", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await tenge.connect(users.alice).transfer(users.carol, kzt("700"));
      expect(await tenge.totalSupply()).to.equal(kzt("17000"));
    });

    it("reverts with DigitalTengeInsufficientBalance when the value exceeds the balance", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, bob } = users;
      await expect(tenge.connect(alice).transfer(bob, kzt("10000.01")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
        .withArgs(alice.address, kzt("10000"), kzt("10000.01"));
      expect(await tenge.balanceOf(alice)).to.equal(kzt("10000"));
      expect(await tenge.balanceOf(bob)).to.equal(kzt("2000"));
    });

    it("reverts with DigitalTengeNotOnboarded when the recipient is not onboarded", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, outsider } = users;
      await expect(tenge.connect(alice).transfer(outsider, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(outsider.address);
      expect(await tenge.balanceOf(alice)).to.equal(kzt("10000"));
    });

    it("reverts with DigitalTengeNotOnboarded when the sender is not onboarded", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { outsider, bob } = users;
      await expect(tenge.connect(outsider).transfer(bob, 0n))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(outsider.address);
    });

    it("reverts with DigitalTengeNotOnboarded when the recipient is the zero address", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).transfer(ZeroAddress, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(ZeroAddress);
    });

    describe("when the value is zero", function () {
      it("succeeds and leaves both balances unchanged", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, bob } = users;
        await expect(tenge.connect(alice).transfer(bob, 0n)).to.changeTokenBalances(tenge, [alice, bob], [0n, 0n]);
      });

      it("emits Transfer with a zero value", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, bob } = users;
        await expect(tenge.connect(alice).transfer(bob, 0n))
          .to.emit(tenge, "Transfer")
          .withArgs(alice.address, bob.address, 0n);
      });
    });

    describe("when the sender pays itself", function () {
      it("keeps the balance", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice } = users;
        await expect(tenge.connect(alice).transfer(alice, kzt("2500"))).to.changeTokenBalance(tenge, alice, 0n);
        expect(await tenge.balanceOf(alice)).to.equal(kzt("10000"));
      });

      it("emits Transfer from and to the sender", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice } = users;
        await expect(tenge.connect(alice).transfer(alice, kzt("2500")))
          .to.emit(tenge, "Transfer")
          .withArgs(alice.address, alice.address, kzt("2500"));
      });

      it("reverts with DigitalTengeInsufficientBalance when the value exceeds the balance", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice } = users;
        await expect(tenge.connect(alice).transfer(alice, kzt("10000.01")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
          .withArgs(alice.address, kzt("10000"), kzt("10000.01"));
      });
    });
  });

  describe("approve", function () {
    it("sets the allowance", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, merchant } = users;
      await tenge.connect(alice).approve(merchant, kzt("300"));
      expect(await tenge.allowance(alice, merchant)).to.equal(kzt("300"));
    });

    it("emits Approval with the owner, spender and value", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, merchant } = users;
      await expect(tenge.connect(alice).approve(merchant, kzt("300")))
        .to.emit(tenge, "Approval")
        .withArgs(alice.address, merchant.address, kzt("300"));
    });

    it("replaces a previous allowance", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, merchant } = users;
      await tenge.connect(alice).approve(merchant, kzt("300"));
      await tenge.connect(alice).approve(merchant, kzt("40"));
      expect(await tenge.allowance(alice, merchant)).to.equal(kzt("40"));
    });

    it("returns true", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      expect(await tenge.connect(users.alice).approve.staticCall(users.merchant, 1n)).to.equal(true);
    });

    it("moves no funds", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      const { alice, merchant } = users;
      await expect(tenge.connect(alice).approve(merchant, kzt("300"))).to.changeTokenBalances(
        tenge,
        [alice, merchant],
        [0n, 0n],
      );
    });

    it("reverts with DigitalTengeZeroAddress when the spender is the zero address", async function () {
      const { tenge, users } = await loadFixture(tengeFixture);
      await expect(tenge.connect(users.alice).approve(ZeroAddress, kzt("300")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeZeroAddress")
        .withArgs();
      expect(await tenge.allowance(users.alice, ZeroAddress)).to.equal(0n);
    });
  });

  describe("transferFrom", function () {
    describe("with a finite allowance", function () {
      it("moves the value from the owner to the recipient", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("500"));
        await expect(tenge.connect(merchant).transferFrom(alice, carol, kzt("200"))).to.changeTokenBalances(
          tenge,
          [alice, carol, merchant],
          [-kzt("200"), kzt("200"), 0n],
        );
      });

      it("decreases the allowance by the value", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("500"));
        await tenge.connect(merchant).transferFrom(alice, carol, kzt("200"));
        expect(await tenge.allowance(alice, merchant)).to.equal(kzt("300"));
      });

      it("spends the whole allowance when the value equals it", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("500"));
        await tenge.connect(merchant).transferFrom(alice, carol, kzt("500"));
        expect(await tenge.allowance(alice, merchant)).to.equal(0n);
      });

      it("emits Transfer with the owner, recipient and value, and no Approval", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("500"));
        await expect(tenge.connect(merchant).transferFrom(alice, carol, kzt("200")))
          .to.emit(tenge, "Transfer")
          .withArgs(alice.address, carol.address, kzt("200"))
          .and.not.to.emit(tenge, "Approval");
      });

      it("returns true", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("500"));
        expect(await tenge.connect(merchant).transferFrom.staticCall(alice, carol, kzt("200"))).to.equal(true);
      });

      it("lets a spender that is not onboarded move the owner's funds", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, bob, outsider } = users;
        await tenge.connect(alice).approve(outsider, kzt("500"));
        await expect(tenge.connect(outsider).transferFrom(alice, bob, kzt("500"))).to.changeTokenBalances(
          tenge,
          [alice, bob],
          [-kzt("500"), kzt("500")],
        );
      });
    });

    describe("with the maximum allowance", function () {
      it("moves the value", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, MaxUint256);
        await expect(tenge.connect(merchant).transferFrom(alice, carol, kzt("200"))).to.changeTokenBalances(
          tenge,
          [alice, carol],
          [-kzt("200"), kzt("200")],
        );
      });

      it("does not decrease the allowance", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, MaxUint256);
        await tenge.connect(merchant).transferFrom(alice, carol, kzt("200"));
        expect(await tenge.allowance(alice, merchant)).to.equal(MaxUint256);
      });
    });

    describe("when the allowance is too small", function () {
      it("reverts with DigitalTengeInsufficientAllowance carrying the spender, allowance and value", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("199.99"));
        await expect(tenge.connect(merchant).transferFrom(alice, carol, kzt("200")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
          .withArgs(merchant.address, kzt("199.99"), kzt("200"));
      });

      it("leaves the balances and the allowance unchanged", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await tenge.connect(alice).approve(merchant, kzt("199.99"));
        await expect(tenge.connect(merchant).transferFrom(alice, carol, kzt("200")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
          .withArgs(merchant.address, kzt("199.99"), kzt("200"));
        expect(await tenge.allowance(alice, merchant)).to.equal(kzt("199.99"));
        expect(await tenge.balanceOf(alice)).to.equal(kzt("10000"));
        expect(await tenge.balanceOf(carol)).to.equal(kzt("5000"));
      });

      it("reverts with DigitalTengeInsufficientAllowance with a zero allowance when none was given", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { alice, merchant, carol } = users;
        await expect(tenge.connect(merchant).transferFrom(alice, carol, kzt("0.01")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
          .withArgs(merchant.address, 0n, kzt("0.01"));
      });
    });

    describe("when the owner's balance is too small", function () {
      it("reverts with DigitalTengeInsufficientBalance and keeps the allowance", async function () {
        const { tenge, users } = await loadFixture(tengeFixture);
        const { bob, merchant, carol } = users;
        await tenge.connect(bob).approve(merchant, kzt("5000"));
        await expect(tenge.connect(merchant).transferFrom(bob, carol, kzt("2000.01")))
          .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientBalance")
          .withArgs(bob.address, kzt("2000"), kzt("2000.01"));
        expect(await tenge.allowance(bob, merchant)).to.equal(kzt("5000"));
      });
    });
  });
});
