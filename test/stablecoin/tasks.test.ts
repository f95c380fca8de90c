import { expect } from "chai";
import { loadFixture } from "../helpers/fixture";
import { refusedTask as refused, runTask as run } from "../helpers/tasks";
import { id } from "ethers";
import { expectReservesHeld, kzt, stablecoinFixture } from "../fixtures/stablecoin.fixture";
import { reserveReport } from "../../scripts/lib/stablecoin";

// Account indices as the fixture hands them out (hardhat's default accounts).
const ALICE = "7";
const BOB = "8";
const OUTSIDER = "12";

const TX = / \| tx 0x[0-9a-f]{64} \| block \d+ \| gas \d+ \| /;

describe("stablecoin tasks", function () {
  afterEach(expectReservesHeld);

  describe("stablecoin:reserves", function () {
    it("prints locked, supply, surplus, backing ratio and the invariant", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      const text = (await run("stablecoin:reserves")).join("\n");
      expect(text).to.contain(`proxy           ${await coin.getAddress()}`);
      expect(text).to.contain("locked          4500.00 KZT");
      expect(text).to.contain("supply          4500.00 KZTS");
      expect(text).to.contain("surplus         0.00 KZT");
      expect(text).to.contain("backing ratio   100.00%");
      expect(text).to.contain("invariant       locked >= supply: held");
    });

    it("shows a surplus and the backing ratio above 100%", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("45"));
      const text = (await run("stablecoin:reserves")).join("\n");
      expect(text).to.contain("surplus         45.00 KZT (stablecoin:recover-surplus)");
      expect(text).to.contain("backing ratio   101.00%");
    });

    it("reports a broken invariant with the shortfall", async function () {
      const { tenge, coin, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.enforcement).seize(coin, users.treasury, kzt("450"), id("court"));
      const text = (await run("stablecoin:reserves")).join("\n");
      // the court's funds go back before the test ends, so the afterEach invariant is checked on a whole reserve
      await tenge.connect(roles.enforcement).seize(users.treasury, coin, kzt("450"), id("court"));
      expect(text).to.contain("invariant       locked >= supply: BROKEN (shortfall 450.00 KZT)");
    });

    it("derives the report exactly, without floating point", function () {
      expect(reserveReport(1n, 3n)).to.deep.equal({
        locked: 1n,
        supply: 3n,
        surplus: 0n,
        shortfall: 2n,
        backingRatio: "33.33%",
        held: false,
      });
    });

    it("says n/a for the backing ratio of a zero supply", function () {
      expect(reserveReport(0n, 0n).backingRatio).to.equal("n/a");
    });
  });

  describe("stablecoin:balance", function () {
    it("shows the stablecoin and tenge balances and the blacklisting", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      expect(await run("stablecoin:balance", { account: users.alice.address })).to.deep.equal([
        `${users.alice.address} 4000.00 KZTS (blacklisted no); tenge 6000.00 KZT`,
      ]);
    });
  });

  describe("stablecoin:wrap", function () {
    it("deposits by transferAndCall and prints tx, balances and reserves", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      const lines = await run("stablecoin:wrap", { amount: "100.25", from: ALICE });
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(TX);
      expect(lines[0]).to.contain(`${users.alice.address} 4100.25 KZTS, tenge 5899.75 KZT`);
      expect(lines[0]).to.contain("reserves locked 4600.25 KZT, supply 4600.25 KZTS, held");
      expect(await coin.balanceOf(users.alice)).to.equal(kzt("4100.25"));
    });

    it("mints to --to when given", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await run("stablecoin:wrap", { amount: "10", to: users.outsider.address, from: ALICE });
      expect(await coin.balanceOf(users.outsider)).to.equal(kzt("10"));
    });

    it("simulates only with --dry-run", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      const nonce = await users.alice.getNonce();
      const lines = await run("stablecoin:wrap", { amount: "10", from: ALICE, dryRun: true });
      expect(lines[0]).to.match(
        /^dry run: wrap 10\.00 KZT from 0x[0-9a-fA-F]{40} \| would succeed \| gas estimate \d+/,
      );
      expect(await users.alice.getNonce()).to.equal(nonce);
    });

    it("refuses more than the available tenge without sending", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      await refused(
        "stablecoin:wrap",
        { amount: "6000.01", from: ALICE },
        users.alice,
        /its tenge balance is only 6000\.00 KZT$/,
      );
    });

    it("refuses above today's outflow limit without sending", async function () {
      const { tenge, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("4100"));
      await refused(
        "stablecoin:wrap",
        { amount: "200", from: ALICE },
        users.alice,
        /only 100\.00 KZT of today's outflow limit is left$/,
      );
    });

    it("refuses a holder that is not onboarded in the tenge without sending", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      await refused("stablecoin:wrap", { amount: "1", from: OUTSIDER }, users.outsider, /is not onboarded$/);
    });

    it("refuses a blacklisted recipient without sending", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.outsider);
      await refused(
        "stablecoin:wrap",
        { amount: "1", to: users.outsider.address, from: ALICE },
        users.alice,
        /^--to 0x[0-9a-fA-F]{40} is blacklisted on the stablecoin$/,
      );
    });

    it("refuses while the stablecoin is paused without sending", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await refused("stablecoin:wrap", { amount: "1", from: ALICE }, users.alice, /the stablecoin is paused/);
    });

    it("refuses a malformed amount without sending", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      await refused("stablecoin:wrap", { amount: "1,5", from: ALICE }, users.alice, /^--amount "1,5" contains a comma/);
    });
  });

  describe("stablecoin:unwrap", function () {
    it("withdraws to a permitted tenge wallet and prints tx, balances and reserves", async function () {
      const { tenge, users } = await loadFixture(stablecoinFixture);
      const lines = await run("stablecoin:unwrap", { amount: "400", to: users.carol.address, from: ALICE });
      expect(lines[0]).to.match(TX);
      expect(lines[0]).to.contain("reserves locked 4100.00 KZT, supply 4100.00 KZTS, held");
      expect(await tenge.balanceOf(users.carol)).to.equal(kzt("5400"));
    });

    it("refuses a wallet that is not onboarded in the tenge without sending", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      await refused(
        "stablecoin:unwrap",
        { amount: "1", to: users.outsider.address, from: ALICE },
        users.alice,
        /^--to 0x[0-9a-fA-F]{40} is not onboarded$/,
      );
    });

    it("refuses a frozen wallet without sending", async function () {
      const { tenge, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.compliance).freeze(users.carol, id("case"));
      await refused(
        "stablecoin:unwrap",
        { amount: "1", to: users.carol.address, from: ALICE },
        users.alice,
        /is frozen in the digital tenge and cannot receive$/,
      );
    });

    it("refuses a credit above the wallet's holding limit without sending", async function () {
      const { tenge, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.desk).setTierLimits(1, kzt("7000"), kzt("500000"));
      await refused(
        "stablecoin:unwrap",
        { amount: "2000", to: users.alice.address, from: ALICE },
        users.alice,
        /would hold 8000\.00 KZT of tenge, above tier 1's holding limit of 7000\.00 KZT$/,
      );
    });

    it("refuses more than the holder's stablecoin without sending", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      await refused(
        "stablecoin:unwrap",
        { amount: "500.01", to: users.bob.address, from: BOB },
        users.bob,
        /it holds only 500\.00 KZTS$/,
      );
    });

    it("refuses while the digital tenge is paused without sending", async function () {
      const { tenge, roles, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(roles.pauser).pause();
      await refused(
        "stablecoin:unwrap",
        { amount: "1", to: users.alice.address, from: ALICE },
        users.alice,
        /the digital tenge is paused$/,
      );
    });
  });

  describe("stablecoin:recover-surplus", function () {
    it("pays the surplus to the given wallet", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("45"));
      const lines = await run("stablecoin:recover-surplus", { to: users.treasury.address });
      expect(lines[0]).to.match(/^recover-surplus 45\.00 KZT to 0x[0-9a-fA-F]{40} \| tx /);
      expect(await coin.surplus()).to.equal(0n);
    });

    it("refuses when there is no surplus without sending", async function () {
      const { roles, users } = await loadFixture(stablecoinFixture);
      await refused(
        "stablecoin:recover-surplus",
        { to: users.treasury.address },
        roles.desk,
        /^no surplus to recover: locked 4500\.00 KZT, supply 4500\.00 KZTS$/,
      );
    });

    it("refuses a signer without ISSUER_ROLE without sending", async function () {
      const { tenge, coin, users } = await loadFixture(stablecoinFixture);
      await tenge.connect(users.carol).transfer(coin, kzt("45"));
      await refused(
        "stablecoin:recover-surplus",
        { to: users.treasury.address, from: ALICE },
        users.alice,
        /does not hold ISSUER_ROLE on 0x[0-9a-fA-F]{40}$/,
      );
    });
  });

  describe("stablecoin:blacklist, stablecoin:unblacklist", function () {
    it("blacklist flags the account", async function () {
      const { coin, users } = await loadFixture(stablecoinFixture);
      await run("stablecoin:blacklist", { account: users.bob.address });
      expect(await coin.isBlacklisted(users.bob)).to.equal(true);
    });

    it("unblacklist clears the flag", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.bob);
      await run("stablecoin:unblacklist", { account: users.bob.address });
      expect(await coin.isBlacklisted(users.bob)).to.equal(false);
    });

    it("refuses an account blacklisted already without sending", async function () {
      const { coin, roles, users } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.compliance).blacklist(users.bob);
      await refused(
        "stablecoin:blacklist",
        { account: users.bob.address },
        roles.compliance,
        /is already blacklisted$/,
      );
    });
  });

  describe("stablecoin:pause, stablecoin:unpause", function () {
    it("pause stops the stablecoin", async function () {
      const { coin } = await loadFixture(stablecoinFixture);
      const lines = await run("stablecoin:pause");
      expect(lines[0]).to.match(/^stablecoin pause \| tx .* \| paused yes$/);
      expect(await coin.paused()).to.equal(true);
    });

    it("unpause lifts the pause", async function () {
      const { coin, roles } = await loadFixture(stablecoinFixture);
      await coin.connect(roles.pauser).pause();
      await run("stablecoin:unpause");
      expect(await coin.paused()).to.equal(false);
    });

    it("refuses a signer without PAUSER_ROLE without sending", async function () {
      const { users } = await loadFixture(stablecoinFixture);
      await refused("stablecoin:pause", { from: ALICE }, users.alice, /does not hold PAUSER_ROLE/);
    });
  });
});
