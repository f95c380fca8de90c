import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import { kzt, tengeFixture } from "../fixtures/tenge.fixture";

const TRANSFER_AND_CALL = "transferAndCall(address,uint256,bytes)";
const TRANSFER_FROM_AND_CALL = "transferFromAndCall(address,address,uint256,bytes)";
const APPROVE_AND_CALL = "approveAndCall(address,uint256,bytes)";

/** The tenge fixture plus an ERC-1363 receiver contract onboarded as an institution. */
async function receiverFixture() {
  const base = await loadFixture(tengeFixture);
  const receiver = await ethers.deployContract("ERC1363ReceiverMock");
  await (await base.tenge.connect(base.roles.desk).onboardInstitution(receiver)).wait();
  return { ...base, receiver };
}

describe("DigitalTenge ERC-1363", function () {
  describe("transferAndCall", function () {
    it("pays the receiver contract and calls it with operator, payer, value and data", async function () {
      const { tenge, users, receiver } = await loadFixture(receiverFixture);
      await expect(tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(receiver, kzt("12.34"), "0xbeef"))
        .to.emit(receiver, "Received")
        .withArgs(users.alice.address, users.alice.address, kzt("12.34"), "0xbeef");
      expect(await tenge.balanceOf(receiver)).to.equal(kzt("12.34"));
    });

    it("reverts with ERC1363InvalidReceiver when the payee has no code", async function () {
      const { tenge, users } = await loadFixture(receiverFixture);
      await expect(tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(users.bob, kzt("1"), "0x"))
        .to.be.revertedWithCustomError(tenge, "ERC1363InvalidReceiver")
        .withArgs(users.bob.address);
    });

    it("reverts with ERC1363InvalidReceiver and moves nothing when the receiver answers wrongly", async function () {
      const { tenge, users, receiver } = await loadFixture(receiverFixture);
      await receiver.setReject(true);
      await expect(tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(receiver, kzt("1"), "0x"))
        .to.be.revertedWithCustomError(tenge, "ERC1363InvalidReceiver")
        .withArgs(await receiver.getAddress());
      expect(await tenge.balanceOf(receiver)).to.equal(0n);
    });

    it("applies every payment rule: a receiver that is not onboarded is refused", async function () {
      const { tenge, users } = await loadFixture(receiverFixture);
      const stranger = await ethers.deployContract("ERC1363ReceiverMock");
      await expect(tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(stranger, kzt("1"), "0x"))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeNotOnboarded")
        .withArgs(await stranger.getAddress());
    });

    it("reverts with EnforcedPause while paused", async function () {
      const { tenge, roles, users, receiver } = await loadFixture(receiverFixture);
      await tenge.connect(roles.pauser).pause();
      await expect(
        tenge.connect(users.alice).getFunction(TRANSFER_AND_CALL)(receiver, kzt("1"), "0x"),
      ).to.be.revertedWithCustomError(tenge, "EnforcedPause");
    });
  });

  describe("transferFromAndCall", function () {
    it("spends the allowance and calls the receiver with the spender as operator", async function () {
      const { tenge, users, receiver } = await loadFixture(receiverFixture);
      await tenge.connect(users.alice).approve(users.bob, kzt("10"));
      await expect(tenge.connect(users.bob).getFunction(TRANSFER_FROM_AND_CALL)(users.alice, receiver, kzt("4"), "0x"))
        .to.emit(receiver, "Received")
        .withArgs(users.bob.address, users.alice.address, kzt("4"), "0x");
      expect(await tenge.allowance(users.alice, users.bob)).to.equal(kzt("6"));
    });

    it("reverts with DigitalTengeInsufficientAllowance above the allowance", async function () {
      const { tenge, users, receiver } = await loadFixture(receiverFixture);
      await tenge.connect(users.alice).approve(users.bob, kzt("1"));
      await expect(tenge.connect(users.bob).getFunction(TRANSFER_FROM_AND_CALL)(users.alice, receiver, kzt("2"), "0x"))
        .to.be.revertedWithCustomError(tenge, "DigitalTengeInsufficientAllowance")
        .withArgs(users.bob.address, kzt("1"), kzt("2"));
    });
  });

  describe("approveAndCall", function () {
    it("sets the allowance and calls the spender contract", async function () {
      const { tenge, users, receiver } = await loadFixture(receiverFixture);
      await expect(tenge.connect(users.alice).getFunction(APPROVE_AND_CALL)(receiver, kzt("3"), "0x01"))
        .to.emit(receiver, "Approved")
        .withArgs(users.alice.address, kzt("3"), "0x01");
      expect(await tenge.allowance(users.alice, receiver)).to.equal(kzt("3"));
    });

    it("reverts with ERC1363InvalidSpender when the spender has no code", async function () {
      const { tenge, users } = await loadFixture(receiverFixture);
      await expect(tenge.connect(users.alice).getFunction(APPROVE_AND_CALL)(users.bob, kzt("3"), "0x"))
        .to.be.revertedWithCustomError(tenge, "ERC1363InvalidSpender")
        .withArgs(users.bob.address);
    });
  });

  describe("supportsInterface", function () {
    it("reports ERC-1363, ERC-20, ERC-165 and AccessControl, and nothing else", async function () {
      const { tenge } = await loadFixture(receiverFixture);
      expect(await tenge.supportsInterface("0xb0202a11")).to.equal(true); // IERC1363
      expect(await tenge.supportsInterface("0x36372b07")).to.equal(true); // IERC20
      expect(await tenge.supportsInterface("0x01ffc9a7")).to.equal(true); // IERC165
      expect(await tenge.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await tenge.supportsInterface("0xffffffff")).to.equal(false);
    });
  });
});
