import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, id } from "ethers";
import { expectReservesHeld, kzt, stablecoinFixture } from "../fixtures/stablecoin.fixture";

const REASON = id("case-1");

describe("TengeStablecoin withdrawals", function () {
  afterEach(expectReservesHeld);

  it("burns the holder's stablecoin", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.alice)).to.changeTokenBalance(
      coin,
      users.alice,
      -kzt("100"),
    );
  });

  it("pays the tenge from the reserve to the holder's own wallet", async function () {
    const { tenge, coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.alice)).to.changeTokenBalances(
      tenge,
      [coin, users.alice],
      [-kzt("100"), kzt("100")],
    );
  });

  it("pays another wallet the tenge allows to receive", async function () {
    const { tenge, coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.carol)).to.changeTokenBalances(
      tenge,
      [coin, users.carol],
      [-kzt("100"), kzt("100")],
    );
  });

  it("emits the stablecoin's Transfer to zero", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.carol))
      .to.emit(coin, "Transfer")
      .withArgs(users.alice.address, ZeroAddress, kzt("100"));
  });

  it("emits the tenge's Transfer from the stablecoin to the payee", async function () {
    const { tenge, coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.carol))
      .to.emit(tenge, "Transfer")
      .withArgs(await coin.getAddress(), users.carol.address, kzt("100"));
  });

  it("lets a holder outside the tenge (an exchange customer) withdraw to a permitted wallet", async function () {
    const { tenge, coin, users } = await loadFixture(stablecoinFixture);
    await coin.connect(users.alice).transfer(users.outsider, kzt("100"));
    await expect(coin.connect(users.outsider).withdraw(kzt("100"), users.merchant)).to.changeTokenBalance(
      tenge,
      users.merchant,
      kzt("100"),
    );
  });

  it("refuses a wallet that is not onboarded in the tenge: DigitalTengeNotOnboarded", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.outsider))
      .to.be.revertedWithCustomError(coin, "DigitalTengeNotOnboarded")
      .withArgs(users.outsider.address);
  });

  it("refuses the zero address: DigitalTengeNotOnboarded", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), ZeroAddress))
      .to.be.revertedWithCustomError(coin, "DigitalTengeNotOnboarded")
      .withArgs(ZeroAddress);
  });

  it("refuses a wallet the tenge's compliance froze: DigitalTengeAccountFrozen", async function () {
    const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
    await tenge.connect(roles.compliance).freeze(users.carol, REASON);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.carol))
      .to.be.revertedWithCustomError(coin, "DigitalTengeAccountFrozen")
      .withArgs(users.carol.address);
  });

  it("refuses a credit above the wallet's holding limit: DigitalTengeHoldingLimitExceeded", async function () {
    const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
    await tenge.connect(roles.desk).setTierLimits(1, kzt("7000"), kzt("500000"));
    // alice holds 6,000 KZT of tenge (tier 1)
    await expect(coin.connect(users.alice).withdraw(kzt("2000"), users.alice))
      .to.be.revertedWithCustomError(coin, "DigitalTengeHoldingLimitExceeded")
      .withArgs(users.alice.address, kzt("7000"), kzt("8000"));
  });

  it("refuses the stablecoin itself as payee: TengeStablecoinInvalidRecipient", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), coin))
      .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidRecipient")
      .withArgs(await coin.getAddress());
  });

  it("refuses a zero amount: TengeStablecoinZeroAmount", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.alice).withdraw(0n, users.alice)).to.be.revertedWithCustomError(
      coin,
      "TengeStablecoinZeroAmount",
    );
  });

  it("refuses more than the holder's balance: ERC20InsufficientBalance", async function () {
    const { coin, users } = await loadFixture(stablecoinFixture);
    await expect(coin.connect(users.bob).withdraw(kzt("501"), users.bob))
      .to.be.revertedWithCustomError(coin, "ERC20InsufficientBalance")
      .withArgs(users.bob.address, kzt("500"), kzt("501"));
  });

  it("reverts while the stablecoin is paused: EnforcedPause", async function () {
    const { coin, roles, users } = await loadFixture(stablecoinFixture);
    await coin.connect(roles.pauser).pause();
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.alice)).to.be.revertedWithCustomError(
      coin,
      "EnforcedPause",
    );
  });

  it("reverts while the tenge is paused: TengeStablecoinUnderlyingPaused", async function () {
    const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
    await tenge.connect(roles.pauser).pause();
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.alice)).to.be.revertedWithCustomError(
      coin,
      "TengeStablecoinUnderlyingPaused",
    );
  });

  it("refuses a blacklisted holder: PackedERC20AccountBlocked", async function () {
    const { coin, roles, users } = await loadFixture(stablecoinFixture);
    await coin.connect(roles.compliance).blacklist(users.alice);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.carol))
      .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
      .withArgs(users.alice.address);
  });

  it("refuses a blacklisted payee: PackedERC20AccountBlocked", async function () {
    const { coin, roles, users } = await loadFixture(stablecoinFixture);
    await coin.connect(roles.compliance).blacklist(users.carol);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.carol))
      .to.be.revertedWithCustomError(coin, "PackedERC20AccountBlocked")
      .withArgs(users.carol.address);
  });

  it("stops when the tenge's compliance froze the stablecoin's wallet: DigitalTengeAccountFrozen", async function () {
    const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
    await tenge.connect(roles.compliance).freeze(coin, REASON);
    await expect(coin.connect(users.alice).withdraw(kzt("100"), users.alice))
      .to.be.revertedWithCustomError(coin, "DigitalTengeAccountFrozen")
      .withArgs(await coin.getAddress());
  });
});
