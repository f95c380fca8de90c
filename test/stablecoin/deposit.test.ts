import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import { MaxUint256, ZeroAddress, id, toBeHex, zeroPadValue } from "ethers";
import {
  expectReservesHeld,
  feeUnderlyingFixture,
  kzt,
  recipientData,
  stablecoinFixture,
  trackReserves,
  wrap,
} from "../fixtures/stablecoin.fixture";

const TRANSFER_AND_CALL = "transferAndCall(address,uint256,bytes)";
const TRANSFER_FROM_AND_CALL = "transferFromAndCall(address,address,uint256,bytes)";
const REASON = id("case-1");

describe("TengeStablecoin deposits", function () {
  afterEach(expectReservesHeld);

  describe("by ERC-1363 transferAndCall", function () {
    it("mints to the payer when no data is given", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("100"))).to.changeTokenBalances(
        coin,
        [users.alice],
        [kzt("100")],
      );
    });

    it("locks the payer's tenge in the stablecoin contract", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("100"))).to.changeTokenBalances(
        tenge,
        [users.alice, coin],
        [-kzt("100"), kzt("100")],
      );
    });

    it("emits the stablecoin's Transfer from zero to the payer", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("100")))
        .to.emit(coin, "Transfer")
        .withArgs(ZeroAddress, users.alice.address, kzt("100"));
    });

    it("emits the tenge's Transfer from the payer to the stablecoin", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("100")))
        .to.emit(tenge, "Transfer")
        .withArgs(users.alice.address, await coin.getAddress(), kzt("100"));
    });

    it("mints to the recipient ABI-encoded in the data", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("100"), users.outsider)).to.changeTokenBalances(
        coin,
        [users.alice, users.outsider],
        [0n, kzt("100")],
      );
    });

    it("mints to the owner when a spender deposits by transferFromAndCall without data", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(users.relayer, kzt("100"));
      await expect(
        tenge.connect(users.relayer).getFunction(TRANSFER_FROM_AND_CALL)(users.alice, coin, kzt("100"), "0x"),
      ).to.changeTokenBalances(coin, [users.alice, users.relayer], [kzt("100"), 0n]);
    });

    it("mints to the data's recipient when a spender deposits by transferFromAndCall", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(users.relayer, kzt("100"));
      await expect(
        tenge.connect(users.relayer).getFunction(TRANSFER_FROM_AND_CALL)(
          users.alice,
          coin,
          kzt("100"),
          await recipientData(users.relayer),
        ),
      ).to.changeTokenBalances(coin, [users.alice, users.relayer], [0n, kzt("100")]);
    });

    it("mints the value and leaves surplus tenge (sent without a deposit) unminted", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("50"));
      await wrap(tenge, coin, users.alice, kzt("100"));
      expect(await coin.surplus()).to.equal(kzt("50"));
    });

    it("reverts when anyone but the tenge calls the callback: TengeStablecoinCallerNotTenge", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).onTransferReceived(users.alice, users.alice, kzt("100"), "0x"))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinCallerNotTenge")
        .withArgs(users.alice.address);
    });

    it("reverts while the stablecoin is paused: EnforcedPause", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await expect(wrap(tenge, coin, users.alice, kzt("100"))).to.be.revertedWithCustomError(coin, "EnforcedPause");
    });

    it("reverts for a zero amount: TengeStablecoinZeroAmount", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, 0n)).to.be.revertedWithCustomError(coin, "TengeStablecoinZeroAmount");
    });

    it("reverts for data that is not one ABI-encoded word: TengeStablecoinInvalidDepositData", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(coin, kzt("1"), "0x01"))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidDepositData")
        .withArgs("0x01");
    });

    it("reverts for a data word that is not an address: TengeStablecoinInvalidDepositData", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      const dirty = zeroPadValue(toBeHex(1n << 160n), 32);
      await expect(tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(coin, kzt("1"), dirty))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidDepositData")
        .withArgs(dirty);
    });

    it("reverts for the zero address as recipient: ERC20InvalidReceiver", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("1"), ZeroAddress))
        .to.be.revertedWithCustomError(coin, "ERC20InvalidReceiver")
        .withArgs(ZeroAddress);
    });

    it("reverts for the stablecoin itself as recipient: TengeStablecoinInvalidRecipient", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await expect(wrap(tenge, coin, users.alice, kzt("1"), coin))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidRecipient")
        .withArgs(await coin.getAddress());
    });

    it("reverts for a blacklisted recipient: PackedERC20AccountBlocked", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.outsider);
      await expect(wrap(tenge, coin, users.alice, kzt("1"), users.outsider))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.outsider.address);
    });

    it("reverts for a blacklisted payer minting to itself: PackedERC20AccountBlocked", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(wrap(tenge, coin, users.alice, kzt("1")))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("reverts for a blacklisted payer minting to someone else: PackedERC20AccountBlocked", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(wrap(tenge, coin, users.alice, kzt("1"), users.outsider))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("reverts for a blacklisted spender depositing an owner's tenge: PackedERC20AccountBlocked", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(users.relayer, kzt("100"));
      await coin.connect(roles.compliance).blacklist(users.relayer);
      await expect(
        tenge.connect(users.relayer).getFunction(TRANSFER_FROM_AND_CALL)(users.alice, coin, kzt("100"), "0x"),
      )
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.relayer.address);
    });

    it("reverts when the tenge's rules refuse the payer: DigitalTengeAccountFrozen", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.compliance).freeze(users.alice, REASON);
      await expect(wrap(tenge, coin, users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(users.alice.address);
    });

    it("reverts when the tenge's compliance froze the stablecoin's wallet: DigitalTengeAccountFrozen", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.compliance).freeze(coin, REASON);
      await expect(wrap(tenge, coin, users.alice, kzt("1")))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeAccountFrozen")
        .withArgs(await coin.getAddress());
    });

    it("refuses a deposit the underlying credited short: TengeStablecoinUnbackedDeposit", async function () {
      const { underlying, feeCoin, users } = await loadFixture(feeUnderlyingFixture);
      trackReserves(feeCoin);
      // 1% fee: 1,000.00 reported, 990.00 credited, nothing held before
      await expect(
        underlying.connect(users.alice).getFunction("transferAndCall(address,uint256)")(feeCoin, kzt("1000")),
      )
        .to.be.revertedWithCustomError(feeCoin, "TengeStablecoinUnbackedDeposit")
        .withArgs(kzt("990"), 0n, kzt("1000"));
    });
  });

  describe("by allowance: deposit(amount, to)", function () {
    it("pulls the approved tenge and mints it to `to`", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.outsider)).to.changeTokenBalances(
        coin,
        [users.alice, users.outsider],
        [0n, kzt("100")],
      );
    });

    it("moves the tenge from the caller to the stablecoin", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.alice)).to.changeTokenBalances(
        tenge,
        [users.alice, coin],
        [-kzt("100"), kzt("100")],
      );
    });

    it("returns the amount minted", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      expect(await coin.connect(users.alice).deposit.staticCall(kzt("100"), users.alice)).to.equal(kzt("100"));
    });

    it("mints what arrived, not the amount claimed, from an underlying that takes a fee", async function () {
      const { underlying, feeCoin, users } = await loadFixture(feeUnderlyingFixture);
      trackReserves(feeCoin);
      await underlying.connect(users.alice).approve(feeCoin, kzt("1000"));
      await expect(feeCoin.connect(users.alice).deposit(kzt("1000"), users.alice)).to.changeTokenBalance(
        feeCoin,
        users.alice,
        kzt("990"),
      );
    });

    it("refuses when nothing arrived: TengeStablecoinNothingReceived", async function () {
      const { underlying, feeCoin, users } = await loadFixture(feeUnderlyingFixture);
      trackReserves(feeCoin);
      await underlying.setFee(10_000);
      await underlying.connect(users.alice).approve(feeCoin, kzt("1000"));
      await expect(feeCoin.connect(users.alice).deposit(kzt("1000"), users.alice))
        .to.be.revertedWithCustomError(feeCoin, "TengeStablecoinNothingReceived")
        .withArgs(kzt("1000"));
    });

    it("leaves surplus tenge unminted", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("50"));
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await coin.connect(users.alice).deposit(kzt("100"), users.alice);
      expect(await coin.surplus()).to.equal(kzt("50"));
    });

    it("passes the tenge's allowance error through: DigitalTengeInsufficientAllowance", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.alice))
        .to.be.revertedWithCustomError(coin, "DigitalTengeInsufficientAllowance")
        .withArgs(await coin.getAddress(), 0n, kzt("100"));
    });

    it("passes the tenge's daily-limit error through: DigitalTengeDailyLimitExceeded", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("4100"));
      await tenge.connect(users.alice).approve(coin, MaxUint256);
      // alice paid 4,000 into the stablecoin today already
      await expect(coin.connect(users.alice).deposit(kzt("200"), users.alice))
        .to.be.revertedWithCustomError(coin, "DigitalTengeDailyLimitExceeded")
        .withArgs(users.alice.address, kzt("4100"), kzt("4200"));
    });

    it("reverts while the tenge is paused: TengeStablecoinUnderlyingPaused", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await tenge.connect(roles.pauser).pause();
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.alice)).to.be.revertedWithCustomError(
        coin,
        "TengeStablecoinUnderlyingPaused",
      );
    });

    it("reverts while the stablecoin is paused: EnforcedPause", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await coin.connect(roles.pauser).pause();
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.alice)).to.be.revertedWithCustomError(
        coin,
        "EnforcedPause",
      );
    });

    it("reverts for a zero amount: TengeStablecoinZeroAmount", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(users.alice).deposit(0n, users.alice)).to.be.revertedWithCustomError(
        coin,
        "TengeStablecoinZeroAmount",
      );
    });

    it("reverts for a blacklisted caller: PackedERC20AccountBlocked", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.outsider))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("reverts for a blacklisted recipient: PackedERC20AccountBlocked", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await coin.connect(roles.compliance).blacklist(users.outsider);
      await expect(coin.connect(users.alice).deposit(kzt("100"), users.outsider))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.outsider.address);
    });

    it("reverts for the stablecoin itself as recipient: TengeStablecoinInvalidRecipient", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await expect(coin.connect(users.alice).deposit(kzt("100"), coin))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidRecipient")
        .withArgs(await coin.getAddress());
    });

    it("reverts for the zero address as recipient: ERC20InvalidReceiver", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.alice).approve(coin, kzt("100"));
      await expect(coin.connect(users.alice).deposit(kzt("100"), ZeroAddress))
        .to.be.revertedWithCustomError(coin, "ERC20InvalidReceiver")
        .withArgs(ZeroAddress);
    });

    it("reverts when the supply would pass 2^128 - 1: PackedERC20SupplyOverflow", async function () {
      const { underlying, feeCoin, users } = await loadFixture(feeUnderlyingFixture);
      trackReserves(feeCoin);
      const huge = 1n << 128n;
      await underlying.setFee(0);
      await underlying.mint(users.alice, huge);
      await underlying.connect(users.alice).approve(feeCoin, huge);
      await expect(feeCoin.connect(users.alice).deposit(huge, users.alice))
        .to.be.revertedWithCustomError(feeCoin, "PackedERC20SupplyOverflow")
        .withArgs(huge);
    });
  });

  describe("the implementation's constructor", function () {
    it("refuses the zero address as the tenge: TengeStablecoinZeroAddress", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      const factory = await ethers.getContractFactory("TengeStablecoin");
      await expect(factory.deploy(ZeroAddress, "Tenge Stablecoin", "KZTS")).to.be.revertedWithCustomError(
        coin,
        "TengeStablecoinZeroAddress",
      );
    });
  });
});
