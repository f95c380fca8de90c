import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { expectReservesHeld, kzt, stablecoinFixture } from "../fixtures/stablecoin.fixture";
import {
  PERMIT_VRS,
  TRANSFER_VRS,
  authorizationArgs,
  domainOf,
  randomNonce,
  signAuthorization,
  signPermit,
} from "../../scripts/lib/eip712";

/** The fixture plus alice's signed authorization to pay bob 10 KZTS, valid for a day. */
async function signedFixture() {
  const base = await loadFixture(stablecoinFixture);
  const { coin, users } = base;
  const validBefore = BigInt(await time.latest()) + 86_400n;
  const auth = {
    from: users.alice.address,
    to: users.bob.address,
    value: kzt("10"),
    validAfter: 0n,
    validBefore,
    nonce: randomNonce(),
  };
  const sig = await signAuthorization(users.alice, await domainOf(coin), auth);
  const submit = (relayer = users.relayer) =>
    coin.connect(relayer).getFunction(TRANSFER_VRS)(...authorizationArgs("v, r, s", auth, sig));
  return { ...base, auth, submit };
}

/** The fixture plus 1,000 units of another token sent to the stablecoin by mistake. */
async function strayTokenFixture() {
  const base = await loadFixture(stablecoinFixture);
  const stray = await ethers.deployContract("BaselineERC20");
  await (await stray.mint(base.coin, 1000n)).wait();
  return { ...base, stray };
}

describe("TengeStablecoin compliance controls", function () {
  afterEach(expectReservesHeld);

  describe("blacklist", function () {
    it("flags the account", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      expect(await coin.isBlacklisted(users.alice)).to.equal(true);
    });

    it("emits Blacklisted", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(roles.compliance).blacklist(users.alice))
        .to.emit(coin, "Blacklisted")
        .withArgs(users.alice.address);
    });

    it("keeps the balance that shares the flag's storage word", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      expect(await coin.balanceOf(users.alice)).to.equal(kzt("4000"));
    });

    it("refuses an account blacklisted already: TengeStablecoinBlacklistUnchanged", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(coin.connect(roles.compliance).blacklist(users.alice))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinBlacklistUnchanged")
        .withArgs(users.alice.address, true);
    });

    it("stops the account sending: PackedERC20AccountBlocked", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("1")))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("stops the account receiving: PackedERC20AccountBlocked", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.bob);
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("1")))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.bob.address);
    });

    it("stops the account spending someone else's allowance: PackedERC20AccountBlocked", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).approve(users.relayer, kzt("5"));
      await coin.connect(roles.compliance).blacklist(users.relayer);
      await expect(coin.connect(users.relayer).transferFrom(users.alice, users.bob, kzt("5")))
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.relayer.address);
    });

    it("stops the account relaying a signed payment: PackedERC20AccountBlocked", async function () {
      const { coin, roles, users, submit } = await loadFixture(signedFixture);
      await coin.connect(roles.compliance).blacklist(users.relayer);
      await expect(submit())
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.relayer.address);
    });

    it("stops a signed payment by the account: PackedERC20AccountBlocked", async function () {
      const { coin, roles, users, submit } = await loadFixture(signedFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(submit())
        .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
        .withArgs(users.alice.address);
    });

    it("lets a spender that is the payee itself pull an allowance", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).approve(users.bob, kzt("5"));
      await expect(coin.connect(users.bob).transferFrom(users.alice, users.bob, kzt("5"))).to.changeTokenBalance(
        coin,
        users.bob,
        kzt("5"),
      );
    });
  });

  describe("unBlacklist", function () {
    it("clears the flag", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await coin.connect(roles.compliance).unBlacklist(users.alice);
      expect(await coin.isBlacklisted(users.alice)).to.equal(false);
    });

    it("emits UnBlacklisted", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(coin.connect(roles.compliance).unBlacklist(users.alice))
        .to.emit(coin, "UnBlacklisted")
        .withArgs(users.alice.address);
    });

    it("lets the account pay again", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await coin.connect(roles.compliance).unBlacklist(users.alice);
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("1"))).to.changeTokenBalance(
        coin,
        users.bob,
        kzt("1"),
      );
    });

    it("refuses an account that is not blacklisted: TengeStablecoinBlacklistUnchanged", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(roles.compliance).unBlacklist(users.alice))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinBlacklistUnchanged")
        .withArgs(users.alice.address, false);
    });
  });

  describe("pause", function () {
    it("emits Paused with the pauser", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(roles.pauser).pause()).to.emit(coin, "Paused").withArgs(roles.pauser.address);
    });

    it("stops transfers: EnforcedPause", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("1"))).to.be.revertedWithCustomError(
        coin,
        "EnforcedPause",
      );
    });

    it("stops transferFrom: EnforcedPause", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).approve(users.relayer, kzt("5"));
      await coin.connect(roles.pauser).pause();
      await expect(
        coin.connect(users.relayer).transferFrom(users.alice, users.bob, kzt("5")),
      ).to.be.revertedWithCustomError(coin, "EnforcedPause");
    });

    it("stops signed payments: EnforcedPause", async function () {
      const { coin, roles, submit } = await loadFixture(signedFixture);
      await coin.connect(roles.pauser).pause();
      await expect(submit()).to.be.revertedWithCustomError(coin, "EnforcedPause");
    });

    it("leaves approvals possible (an allowance moves nothing by itself)", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await coin.connect(users.alice).approve(users.relayer, kzt("5"));
      expect(await coin.allowance(users.alice, users.relayer)).to.equal(kzt("5"));
    });

    it("leaves permits possible", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      const deadline = BigInt(await time.latest()) + 3600n;
      const permit = { owner: users.alice.address, spender: users.bob.address, value: kzt("5"), nonce: 0n, deadline };
      const sig = await signPermit(users.alice, await domainOf(coin), permit);
      await coin.connect(users.relayer).getFunction(PERMIT_VRS)(
        permit.owner,
        permit.spender,
        permit.value,
        deadline,
        sig.v,
        sig.r,
        sig.s,
      );
      expect(await coin.allowance(users.alice, users.bob)).to.equal(kzt("5"));
    });

    it("refuses to pause twice: EnforcedPause", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await expect(coin.connect(roles.pauser).pause()).to.be.revertedWithCustomError(coin, "EnforcedPause");
    });
  });

  describe("unpause", function () {
    it("emits Unpaused with the pauser", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await expect(coin.connect(roles.pauser).unpause()).to.emit(coin, "Unpaused").withArgs(roles.pauser.address);
    });

    it("lets value move again", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await coin.connect(roles.pauser).unpause();
      await expect(coin.connect(users.alice).transfer(users.bob, kzt("1"))).to.changeTokenBalance(
        coin,
        users.bob,
        kzt("1"),
      );
    });

    it("refuses when not paused: ExpectedPause", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(roles.pauser).unpause()).to.be.revertedWithCustomError(coin, "ExpectedPause");
    });
  });

  describe("rescueERC20", function () {
    it("returns another token sent by mistake", async function () {
      const { stray, coin, roles, users } = await loadFixture(strayTokenFixture);
      await expect(coin.connect(roles.desk).rescueERC20(stray, users.carol, 1000n)).to.changeTokenBalances(
        stray,
        [coin, users.carol],
        [-1000n, 1000n],
      );
    });

    it("emits TokensRescued", async function () {
      const { stray, coin, roles, users } = await loadFixture(strayTokenFixture);
      await expect(coin.connect(roles.desk).rescueERC20(stray, users.carol, 400n))
        .to.emit(coin, "TokensRescued")
        .withArgs(await stray.getAddress(), users.carol.address, 400n);
    });

    it("works while paused", async function () {
      const { stray, coin, roles, users } = await loadFixture(strayTokenFixture);
      await coin.connect(roles.pauser).pause();
      await expect(coin.connect(roles.desk).rescueERC20(stray, users.carol, 1000n)).to.changeTokenBalance(
        stray,
        users.carol,
        1000n,
      );
    });

    it("never touches the tenge reserve: TengeStablecoinCannotRescueReserve", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(roles.desk).rescueERC20(tenge, users.carol, 1n))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinCannotRescueReserve")
        .withArgs(await tenge.getAddress());
    });
  });
});
