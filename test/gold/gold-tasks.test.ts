import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import { refusedTask as refused, runTask as run } from "../helpers/tasks";
import { buyCost, sellProceeds } from "../../scripts/lib/gold";
import { kzt } from "../fixtures/tenge.fixture";
import { PRICE, goldFixture, grams, serial } from "../fixtures/gold.fixture";
import type { GoldFixture } from "../fixtures/gold.fixture";
import { BarStatus, expectFullyBacked } from "./helpers";

// Account indices as the fixtures hand them out (hardhat's default accounts).
const ALICE = "7";
const BOB = "8";
const RELAYER = "13";
const DATA = join(__dirname, "data");

const TX = / \| tx 0x[0-9a-f]{64} \| block \d+ \| gas \d+/;

describe("gold tasks", function () {
  let ctx: GoldFixture;
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "gold-tasks-"));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    ctx = await loadFixture(goldFixture);
  });

  afterEach(async function () {
    await expectFullyBacked(ctx.gold);
  });

  function csv(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  describe("gold:add-bars", function () {
    it("registers every bar of the example file and mints to the custodian", async function () {
      const { gold, goldRoles } = ctx;
      const before = await gold.balanceOf(goldRoles.custodian);
      const lines = await run("gold:add-bars", { file: join(DATA, "bars.csv") });
      expect(lines.filter((l) => TX.test(l))).to.have.length(1);
      expect(lines.join("\n")).to.contain("add-bars 1/1: 7 bars, 15101.334 g fine");
      expect(await gold.balanceOf(goldRoles.custodian)).to.equal(before + 15_101_334n);
      expect((await gold.barOf(serial("KAZ-GD-4471"))).fineWeightMg).to.equal(12_441_600n);
    });

    it("reads weights in grams and fineness per mille, sends in chunks, and mints to --to", async function () {
      const { gold, users } = ctx;
      const lines = await run("gold:add-bars", {
        file: join(DATA, "bars-grams.csv"),
        to: users.bob.address,
        chunk: "2",
      });
      expect(lines.filter((l) => TX.test(l))).to.have.length(2);
      const bar = await gold.barOf(serial("TK-2026-000201"));
      expect([bar.fineWeightMg, bar.fineness]).to.deep.equal([999_900n, 9999n]);
      expect(await gold.balanceOf(users.bob)).to.equal(grams("49.995") + grams("1109.889"));
    });

    it("resumes from --start-line", async function () {
      const { gold } = ctx;
      await run("gold:add-bars", { file: join(DATA, "bars.csv"), startLine: "9" });
      expect((await gold.barOf(serial("TK-2026-000105"))).status).to.equal(BarStatus.None);
      expect((await gold.barOf(serial("TK-2026-000106"))).status).to.equal(BarStatus.InVault);
    });

    it("refuses a bad file, listing every bad line, and sends nothing", async function () {
      const text = await refused(
        "gold:add-bars",
        { file: join(DATA, "bars-bad.csv") },
        ctx.goldRoles.custodian,
        /^bars-bad\.csv has 7 problems:/,
        true,
      );
      expect(text).to.contain('line 2: fine weight (mg) "0" is not a whole number of milligrams');
      expect(text).to.contain('line 3: fineness "9900" is outside 9950-10000');
      expect(text).to.contain("line 5: duplicate serial TK-BAD-3 (first on line 4)");
      expect(text).to.contain("line 6: refiner is empty");
      expect(text).to.contain("line 7: expected 5 or 6 comma-separated fields");
      expect(text).to.contain('line 8: recipient "0x12" is not an address');
    });

    it("refuses rows the chain would refuse: a serial already in the vault, a recipient who is not a participant", async function () {
      const file = csv(
        "taken.csv",
        `KZ-0001,Tau-Ken Altyn,1000,9999,NBK-ALMATY-1\nNEW-1,Tau-Ken Altyn,1000,9999,NBK-ALMATY-1,${ctx.users.outsider.address}\n`,
      );
      const text = await refused(
        "gold:add-bars",
        { file },
        ctx.goldRoles.custodian,
        /^cannot add bars: 2 problems/,
        true,
      );
      expect(text).to.contain("line 1: bar KZ-0001 is already registered (in vault)");
      expect(text).to.contain(`line 2: recipient ${ctx.users.outsider.address} is not a gold participant`);
    });

    it("refuses a signer without CUSTODIAN_ROLE and sends nothing in a dry run", async function () {
      await refused(
        "gold:add-bars",
        { file: join(DATA, "bars.csv"), from: ALICE },
        ctx.users.alice,
        /does not hold CUSTODIAN_ROLE/,
      );
      const lines = await run("gold:add-bars", { file: join(DATA, "bars.csv"), dryRun: true });
      expect(lines.join("\n")).to.match(/dry run: add-bars 1\/1: 7 bars/);
      expect((await ctx.gold.barOf(serial("KAZ-GD-4471"))).status).to.equal(BarStatus.None);
    });
  });

  describe("custodian and holder bar tasks", function () {
    it("gold:redeem-bar allocates a whole bar and gold:release-bar records its delivery", async function () {
      const { gold, users } = ctx;
      const redeemed = await run("gold:redeem-bar", { serial: "KZ-0002", from: ALICE });
      expect(redeemed[0]).to.match(/^redeem-bar KZ-0002 \(99\.990 g\)/);
      expect(redeemed[0]).to.contain(`allocated to ${users.alice.address}`);
      const released = await run("gold:release-bar", { serial: "KZ-0002" });
      expect(released[0]).to.match(/bar KZ-0002 released$/);
      expect((await gold.barOf(serial("KZ-0002"))).status).to.equal(BarStatus.Released);
    });

    it("gold:redeem-bar refuses a holding smaller than the bar, pointing to the desk", async function () {
      await refused(
        "gold:redeem-bar",
        { serial: "KZ-0001", from: ALICE },
        ctx.users.alice,
        /sell partial holdings with gold:sell/,
      );
      await refused(
        "gold:redeem-bar",
        { serial: "NOPE", from: ALICE },
        ctx.users.alice,
        /the bar is not registered, not in vault/,
      );
    });

    it("gold:remove-bar burns the custodian's tokens; refuses when it holds too little", async function () {
      const lines = await run("gold:remove-bar", { serial: "KZ-0003" });
      expect(lines[0]).to.match(/^remove-bar KZ-0003 \(9\.999 g\)/);
      await refused(
        "gold:remove-bar",
        { serial: "KZ-0004" },
        ctx.goldRoles.custodian,
        /the bars weigh 49\.995 g; the custodian holds 0\.000 g to burn/,
      );
      await refused(
        "gold:release-bar",
        { serial: "KZ-0004" },
        ctx.goldRoles.custodian,
        /the bar is in vault, not allocated/,
      );
      await refused("gold:remove-bar", {}, ctx.goldRoles.custodian, /^give either --serial or --file$/);
    });

    it("gold:remove-bar --file removes every bar of a bars file, after checking them all", async function () {
      const { gold, goldRoles } = ctx;
      await run("gold:add-bars", { file: join(DATA, "bars-grams.csv") });
      const lines = await run("gold:remove-bar", { file: join(DATA, "bars-grams.csv") });
      expect(lines.filter((l) => TX.test(l))).to.have.length(3);
      expect((await gold.barOf(serial("TK-2026-000202"))).status).to.equal(BarStatus.Released);
      const file = csv("serials.csv", "serial\nKZ-0003\nKZ-0002\nNOPE\n");
      const text = await refused(
        "gold:remove-bar",
        { file },
        goldRoles.custodian,
        /^cannot remove bars: 2 problems in 3 rows/,
        true,
      );
      expect(text).to.contain("line 4: bar NOPE is not registered, not in vault");
      expect(text).to.contain("the bars weigh 109.989 g; the custodian holds 9.999 g to burn");
    });
  });

  describe("gold:publish-price", function () {
    it("publishes tenge per gram as tiyn per gram", async function () {
      await time.increase(5);
      const lines = await run("gold:publish-price", { price: "52100.50" });
      expect(lines[0]).to.match(/^publish-price 52100\.50 KZT\/g/);
      expect((await ctx.goldDesk.price()).priceTiynPerGram).to.equal(5_210_050n);
    });

    it("refuses a move beyond the bound, a stale or old observation, bad input and a non-oracle", async function () {
      const oracle = ctx.goldRoles.oracle;
      await time.increase(5);
      await refused("gold:publish-price", { price: "60000" }, oracle, /beyond the desk's bound of 500 bps/);
      await refused(
        "gold:publish-price",
        { price: "52000", observedAt: "1" },
        oracle,
        /is not after the price in force/,
      );
      await refused("gold:publish-price", { price: "52,000" }, oracle, /contains a comma/);
      await refused("gold:publish-price", { price: "52000.001" }, oracle, /more than 2 decimals/);
      await refused(
        "gold:publish-price",
        { price: "52000", from: ALICE },
        ctx.users.alice,
        /does not hold ORACLE_ROLE/,
      );
      await time.increase(3_600);
      const stale = String((await time.latest()) - 1_000);
      await refused("gold:publish-price", { price: "52000", observedAt: stale }, oracle, /older than the desk's 900 s/);
    });
  });

  describe("gold:buy and gold:sell", function () {
    it("buys in one transferAndCall at the current price, refunding what --max-price reserved", async function () {
      const { gold, tenge, users } = ctx;
      const before = await tenge.balanceOf(users.alice);
      const lines = await run("gold:buy", { grams: "1.5", maxPrice: "52500", from: ALICE });
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(
        /^buy 1\.500 g at 52000\.00 KZT\/g \(max 52500\.00 KZT\/g\): cost 78000\.00 KZT \+ fee 390\.00 KZT/,
      );
      expect(await gold.balanceOf(users.alice)).to.equal(grams("99.99") + grams("1.5"));
      expect(before - (await tenge.balanceOf(users.alice))).to.equal(buyCost(grams("1.5"), PRICE, 50n).total);
    });

    it("buys with --via allowance: approve, then buy", async function () {
      const lines = await run("gold:buy", { grams: "0.5", maxPrice: "52000", via: "allowance", from: ALICE });
      expect(lines).to.have.length(2);
      expect(lines[0]).to.match(/^approve the desk for 26130\.00 KZT/);
      expect(await ctx.gold.balanceOf(ctx.users.alice)).to.equal(grams("99.99") + grams("0.5"));
    });

    it("refuses a price above --max-price, a stale price, a non-participant and bad input", async function () {
      const { users, tenge, banks } = ctx;
      await refused(
        "gold:buy",
        { grams: "1", maxPrice: "51999.99", from: ALICE },
        users.alice,
        /above --max-price 51999\.99/,
      );
      await refused(
        "gold:buy",
        { grams: "1.0001", maxPrice: "52000", from: ALICE },
        users.alice,
        /more than 3 decimals/,
      );
      await refused(
        "gold:buy",
        { grams: "1", maxPrice: "52000", via: "pigeon", from: ALICE },
        users.alice,
        /is not call or allowance/,
      );
      await refused("gold:buy", { grams: "2000", maxPrice: "52000", from: "10" }, users.merchant, /needs|holds/);
      await tenge.connect(banks.bankB).onboard(users.relayer, 2);
      await tenge.connect(banks.bankB).mint(users.relayer, kzt("100000"));
      await refused(
        "gold:buy",
        { grams: "1", maxPrice: "52000", from: RELAYER },
        users.relayer,
        /is not a gold participant/,
      );
      await time.increase(901);
      await refused("gold:buy", { grams: "1", maxPrice: "52000", from: ALICE }, users.alice, /is stale/);
    });

    it("sells, approving the desk first", async function () {
      const { tenge, users } = ctx;
      const before = await tenge.balanceOf(users.alice);
      const lines = await run("gold:sell", { grams: "1", minPrice: "51000", from: ALICE });
      expect(lines).to.have.length(2);
      expect(lines[1]).to.match(
        /^sell 1\.000 g at 52000\.00 KZT\/g \(min 51000\.00 KZT\/g\): proceeds 51740\.00 KZT, fee 260\.00 KZT/,
      );
      expect((await tenge.balanceOf(users.alice)) - before).to.equal(sellProceeds(grams("1"), PRICE, 50n).proceeds);
    });

    it("refuses a price below --min-price and more gold than held", async function () {
      await refused(
        "gold:sell",
        { grams: "1", minPrice: "52000.01", from: ALICE },
        ctx.users.alice,
        /below --min-price/,
      );
      await refused(
        "gold:sell",
        { grams: "100", minPrice: "1", from: ALICE },
        ctx.users.alice,
        /holds 99\.990 g; the order sells 100\.000 g/,
      );
    });
  });

  describe("participants, compliance and pause", function () {
    it("gold:sync permits a new tenge participant", async function () {
      const { tenge, banks, users, gold } = ctx;
      await tenge.connect(banks.bankB).onboard(users.relayer, 1);
      const lines = await run("gold:sync", { account: `${users.relayer.address},${users.alice.address}` });
      expect(lines[0]).to.contain(`${users.relayer.address} permitted yes; ${users.alice.address} permitted yes`);
      expect(await gold.isPermitted(users.relayer)).to.equal(true);
    });

    it("gold:freeze and gold:unfreeze", async function () {
      const { gold, users } = ctx;
      await run("gold:freeze", { account: users.bob.address, reason: "case 7" });
      expect(await gold.isFrozen(users.bob)).to.equal(true);
      await refused(
        "gold:freeze",
        { account: users.bob.address, reason: "case 7" },
        ctx.roles.compliance,
        /already frozen/,
      );
      await refused("gold:redeem-bar", { serial: "KZ-0004", from: BOB }, users.bob, /is frozen in gold/);
      await run("gold:unfreeze", { account: users.bob.address, reason: "case 7" });
      expect(await gold.isFrozen(users.bob)).to.equal(false);
    });

    it("gold:pause and gold:unpause, for the token and with --desk for trading", async function () {
      const { gold, goldDesk, roles } = ctx;
      await run("gold:pause");
      expect(await gold.paused()).to.equal(true);
      await refused("gold:pause", {}, roles.pauser, /already paused/);
      await run("gold:unpause");
      await run("gold:pause", { desk: true });
      expect((await goldDesk.config()).paused).to.equal(true);
      await refused(
        "gold:buy",
        { grams: "1", maxPrice: "52000", from: ALICE },
        ctx.users.alice,
        /trading at the desk is paused/,
      );
      await run("gold:unpause", { desk: true });
      expect((await goldDesk.config()).paused).to.equal(false);
    });
  });

  describe("read tasks", function () {
    it("gold:backing reports bars by vault and the backing held", async function () {
      await run("gold:redeem-bar", { serial: "KZ-0002", from: ALICE });
      const text = (await run("gold:backing", { list: true })).join("\n");
      expect(text).to.match(/NBK-ALMATY-1 +2 bars +1049\.895 g/);
      expect(text).to.match(/NBK-ASTANA-1 +1 bars +9\.999 g/);
      expect(text).to.contain("allocated to holders, awaiting delivery: 1");
      expect(text).to.contain(`KZ-0002 99.990 g → ${ctx.users.alice.address}`);
      expect(text).to.match(/total supply +1059\.894 g \(34\.0763 ozt\)/);
      expect(text).to.contain("full backing: held");
      expect(text).to.match(/KZ-0003 +Tau-Ken Altyn +9\.999 g 999\.9 NBK-ASTANA-1 +in vault/);
    });

    it("gold:balance and gold:price", async function () {
      const { users } = ctx;
      const balance = await run("gold:balance", { account: users.alice.address });
      expect(balance[0]).to.equal(
        `${users.alice.address} gold 99.990 g (3.2147 ozt); permitted yes, frozen no; tenge 210000.00 KZT`,
      );
      const price = (await run("gold:price", { grams: "1" })).join("\n");
      expect(price).to.match(/^price 52000\.00 KZT\/g \(fresh;/);
      expect(price).to.contain("fee 50 bps, max age 900 s, max move 500 bps, trading open");
      expect(price).to.contain("buy 1.000 g: 52000.00 KZT + fee 260.00 KZT = 52260.00 KZT");
      expect(price).to.contain("sell 1.000 g: 52000.00 KZT - fee 260.00 KZT = 51740.00 KZT");
    });
  });

  describe("command line", function () {
    it("prints exactly one line on stderr and exits 1 on bad input", function () {
      this.timeout(120_000);
      const cli = require.resolve("hardhat/internal/cli/bootstrap");
      const result = spawnSync(
        process.execPath,
        [cli, "gold:buy", "--grams", "1.0001", "--max-price", "52000", "--from", ALICE],
        {
          cwd: hre.config.paths.root,
          encoding: "utf8",
          env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
        },
      );
      expect(result.status).to.equal(1);
      expect(result.stderr.trim().split("\n")).to.deep.equal([
        'Error: --grams "1.0001" has more than 3 decimals (1 mg is the smallest unit)',
      ]);
    });
  });
});
