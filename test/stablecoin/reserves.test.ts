import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { id } from "ethers";
import { expectReservesHeld, kzt, stablecoinFixture, wrap } from "../fixtures/stablecoin.fixture";

const REASON = id("court-order");

describe("TengeStablecoin proof of reserves and surplus", function () {
  afterEach(expectReservesHeld);

  describe("reserves()", function () {
    it("reports the tenge locked and the supply after deposits", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      expect(await coin.reserves()).to.deep.equal([kzt("4500"), kzt("4500")]);
    });

    it("falls by the same amount on both sides after a withdrawal", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await coin.connect(users.alice).withdraw(kzt("1000"), users.alice);
      expect(await coin.reserves()).to.deep.equal([kzt("3500"), kzt("3500")]);
    });

    it("counts tenge sent without a deposit as locked, not as supply", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      expect(await coin.reserves()).to.deep.equal([kzt("4525"), kzt("4500")]);
    });

    it("shows a shortfall if the tenge's enforcement seizes from the reserve", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.enforcement).seize(coin, users.treasury, kzt("500"), REASON);
      const [locked, supply] = await coin.reserves();
      // the court's funds go back before the test ends, so the afterEach invariant is checked on a whole reserve
      await tenge.connect(roles.enforcement).seize(users.treasury, coin, kzt("500"), REASON);
      expect([locked, supply]).to.deep.equal([kzt("4000"), kzt("4500")]);
    });

    it("reports no surplus while the reserve is short", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.enforcement).seize(coin, users.treasury, kzt("500"), REASON);
      const surplus = await coin.surplus();
      await tenge.connect(roles.enforcement).seize(users.treasury, coin, kzt("500"), REASON);
      expect(surplus).to.equal(0n);
    });
  });

  describe("surplus", function () {
    it("is zero when every locked tiyn backs a stablecoin unit", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      expect(await coin.surplus()).to.equal(0n);
    });

    it("is the tenge sent to the contract by plain transfer", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      expect(await coin.surplus()).to.equal(kzt("25"));
    });

    it("is not minted to the next depositor", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await expect(wrap(tenge, coin, users.bob, kzt("10"))).to.changeTokenBalance(coin, users.bob, kzt("10"));
    });
  });

  describe("recoverSurplus(to)", function () {
    it("pays the whole surplus to the given tenge wallet", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await expect(coin.connect(roles.desk).recoverSurplus(users.carol)).to.changeTokenBalances(
        tenge,
        [coin, users.carol],
        [-kzt("25"), kzt("25")],
      );
    });

    it("returns the amount paid", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      expect(await coin.connect(roles.desk).recoverSurplus.staticCall(users.carol)).to.equal(kzt("25"));
    });

    it("emits SurplusRecovered", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await expect(coin.connect(roles.desk).recoverSurplus(users.treasury))
        .to.emit(coin, "SurplusRecovered")
        .withArgs(users.treasury.address, kzt("25"));
    });

    it("leaves the reserve exactly equal to the supply", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await coin.connect(roles.desk).recoverSurplus(users.carol);
      expect(await coin.reserves()).to.deep.equal([kzt("4500"), kzt("4500")]);
    });

    it("works while the stablecoin is paused", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await coin.connect(roles.pauser).pause();
      await expect(coin.connect(roles.desk).recoverSurplus(users.carol)).to.changeTokenBalance(
        tenge,
        users.carol,
        kzt("25"),
      );
    });

    it("refuses when there is no surplus: TengeStablecoinNoSurplus", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await expect(coin.connect(roles.desk).recoverSurplus(users.carol))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinNoSurplus")
        .withArgs(kzt("4500"), kzt("4500"));
    });

    it("refuses the stablecoin itself as payee: TengeStablecoinInvalidRecipient", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await expect(coin.connect(roles.desk).recoverSurplus(coin))
        .to.be.revertedWithCustomError(coin, "TengeStablecoinInvalidRecipient")
        .withArgs(await coin.getAddress());
    });

    it("refuses a wallet that is not onboarded in the tenge: DigitalTengeNotOnboarded", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await expect(coin.connect(roles.desk).recoverSurplus(users.outsider))
        .to.be.revertedWithCustomError(coin, "DigitalTengeNotOnboarded")
        .withArgs(users.outsider.address);
    });

    it("reverts while the tenge is paused: TengeStablecoinUnderlyingPaused", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("25"));
      await tenge.connect(roles.pauser).pause();
      await expect(coin.connect(roles.desk).recoverSurplus(users.carol)).to.be.revertedWithCustomError(
        coin,
        "TengeStablecoinUnderlyingPaused",
      );
    });
  });

  describe("the stablecoin as a tenge participant", function () {
    it("is onboarded by the deploy scripts as an institution exempt from tier limits", async function () {
      const { tenge, coin } = await loadFixture(stablecoinFixture);
      const account = await tenge.accountOf(coin);
      expect([account.onboarded, account.exempt, account.bankId, account.frozen]).to.deep.equal([
        true,
        true,
        0n,
        false,
      ]);
    });

    it("receives deposits above every tier's holding limit", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      for (const tier of [0, 1, 2, 3]) await tenge.connect(roles.desk).setTierLimits(tier, kzt("1000"), kzt("500000"));
      await expect(wrap(tenge, coin, users.alice, kzt("100"))).to.changeTokenBalance(tenge, coin, kzt("100"));
    });
  });
});
