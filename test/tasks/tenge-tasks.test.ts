import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { refusedTask as refused, runTask as run } from "../helpers/tasks";
import { loadFixture } from "../helpers/fixture";
import { Wallet, decodeBytes32String, id } from "ethers";
import { kzt, restoreDeploymentRecords, tengeFixture, type TengeFixture } from "../fixtures/tenge.fixture";
import { batchMint } from "../../scripts/lib/batch";
import { execute } from "../../scripts/lib/tx";

// Account indices as the fixture hands them out (hardhat's default accounts).
const BANK_A = "5";
const BANK_B = "6";
const ALICE = "7";
const CAROL = "9";
const TREASURY = "11";
const OUTSIDER = "12";

/** Asserts the printed line of one transaction: what, tx hash, block, gas, result. */
function expectTxLine(line: string, what: RegExp, result: RegExp): void {
  expect(line).to.match(what);
  expect(line).to.match(/ \| tx 0x[0-9a-f]{64} \| block \d+ \| gas \d+ \| /);
  expect(line).to.match(result);
}

describe("tenge tasks", function () {
  let ctx: TengeFixture;
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "tenge-tasks-"));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    ctx = await loadFixture(tengeFixture);
    await restoreDeploymentRecords(ctx.records);
  });

  function csv(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  describe("tenge:info", function () {
    it("prints the deployment, supply, tiers, banks and role holders", async function () {
      const { tenge, roles, banks } = ctx;
      const text = (await run("tenge:info")).join("\n");
      expect(text).to.contain(`proxy           ${await tenge.getAddress()}`);
      expect(text).to.contain("total supply    17000.00 KZT");
      expect(text).to.contain("paused          no");
      expect(text).to.contain("tier 1  holding 1000000.00 KZT, daily 500000.00 KZT");
      expect(text).to.contain(`bank #1 ${banks.bankA.address} ceiling 1000000.00 KZT, outstanding 12000.00 KZT`);
      expect(text).to.contain(`bank #2 ${banks.bankB.address}`);
      expect(text).to.match(new RegExp(`CENTRAL_BANK_ROLE +${roles.desk.address} \\(issuanceDesk\\)`));
      expect(text).to.match(new RegExp(`SEIZURE_ROLE +${roles.enforcement.address} \\(enforcement\\)`));
    });
  });

  describe("read tasks", function () {
    it("tenge:balance, tenge:account and tenge:bank show the state", async function () {
      const { users, banks } = ctx;
      expect(await run("tenge:balance", { account: users.alice.address })).to.deep.equal([
        `${users.alice.address} balance 10000.00 KZT (available 10000.00 KZT, frozen amount 0.00 KZT)`,
      ]);
      const account = (await run("tenge:account", { account: users.alice.address })).join("\n");
      expect(account).to.contain(`managed by bank #1 ${banks.bankA.address}`);
      expect(account).to.contain("tier 1 (holding limit 1000000.00 KZT, daily limit 500000.00 KZT)");
      expect(await run("tenge:account", { account: users.outsider.address })).to.deep.equal([
        `${users.outsider.address}: not onboarded (balance 0.00 KZT)`,
      ]);
      const byId = await run("tenge:bank", { bank: "2" });
      const byAddress = await run("tenge:bank", { bank: banks.bankB.address });
      expect(byId).to.deep.equal(byAddress);
      expect(byId[0]).to.contain("ceiling 500000.00 KZT, outstanding 5000.00 KZT, remaining 495000.00 KZT");
    });

    it("refuse bad input in one line", async function () {
      const { users } = ctx;
      await refused("tenge:balance", { account: "0x12" }, users.alice, /^--account "0x12" is not an address$/);
      await refused("tenge:bank", { bank: "3" }, users.alice, /^--bank 3: no bank with that id \(ids 1-2\)$/);
      await refused("tenge:bank", { bank: users.alice.address }, users.alice, /is not a registered bank$/);
    });
  });

  describe("tenge:mint", function () {
    it("issues to a customer and prints tx, block, gas and the new balance", async function () {
      const { tenge, users, banks } = ctx;
      const lines = await run("tenge:mint", { to: users.alice.address, amount: "1500.25", from: BANK_A });
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("11500.25"));
      expect(lines).to.have.length(1);
      expectTxLine(
        lines[0],
        new RegExp(`^mint 1500\\.25 KZT to ${users.alice.address}`),
        /balance 11500\.25 KZT; bank remaining 986499\.75 KZT$/,
      );
      // --from as an address the node holds
      await run("tenge:mint", { to: users.bob.address, amount: "0.01", from: banks.bankA.address.toLowerCase() });
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2000.01"));
    });

    it("simulates only with --dry-run", async function () {
      const { tenge, users, banks } = ctx;
      const nonce = await banks.bankA.getNonce();
      const lines = await run("tenge:mint", { to: users.alice.address, amount: "5", from: BANK_A, dryRun: true });
      expect(lines[0]).to.match(/^dry run: mint 5\.00 KZT to .* \| would succeed \| gas estimate \d+ \| nothing sent$/);
      expect(await banks.bankA.getNonce()).to.equal(nonce);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    const badAmounts: [string, RegExp][] = [
      ["1.234", /^--amount "1\.234" has more than 2 decimals \(1 tenge = 100 tiyn\)$/],
      ["0", /^--amount "0" must be greater than zero$/],
      ["-5", /must not have a sign/],
      ["1e3", /exponent/],
      ["1,500", /comma/],
      ["", /^--amount is empty$/],
    ];
    for (const [amount, message] of badAmounts) {
      it(`refuses --amount ${JSON.stringify(amount)} without sending`, async function () {
        const { users, banks } = ctx;
        await refused("tenge:mint", { to: users.alice.address, amount, from: BANK_A }, banks.bankA, message);
      });
    }

    it("refuses a bad recipient, a stranger, another bank's customer and a frozen wallet", async function () {
      const { tenge, users, banks, roles } = ctx;
      const from = BANK_A;
      await refused("tenge:mint", { to: "0x12", amount: "1", from }, banks.bankA, /^--to "0x12" is not an address$/);
      await refused(
        "tenge:mint",
        { to: ethers.ZeroAddress, amount: "1", from },
        banks.bankA,
        /^--to must not be the zero address$/,
      );
      await refused(
        "tenge:mint",
        { to: users.outsider.address, amount: "1", from },
        banks.bankA,
        new RegExp(`^cannot mint 1\\.00 KZT to ${users.outsider.address}: ${users.outsider.address} is not onboarded$`),
      );
      await refused(
        "tenge:mint",
        { to: users.carol.address, amount: "1", from },
        banks.bankA,
        new RegExp(`is a customer of bank #2 ${banks.bankB.address}, not of the acting bank$`),
      );
      await refused(
        "tenge:mint",
        { to: users.treasury.address, amount: "1", from },
        banks.bankA,
        /is an institution of the central bank, not of the acting bank$/,
      );
      await (await tenge.connect(roles.compliance).freeze(users.bob, id("case-1"))).wait();
      await refused("tenge:mint", { to: users.bob.address, amount: "1", from }, banks.bankA, /is frozen$/);
    });

    it("refuses above the bank's remaining ceiling and above the holding limit", async function () {
      const { tenge, users, banks, roles } = ctx;
      await refused(
        "tenge:mint",
        { to: users.merchant.address, amount: "988000.01", from: BANK_A },
        banks.bankA,
        /amount 988000\.01 KZT exceeds bank #1's remaining ceiling 988000\.00 KZT \(ceiling 1000000\.00 KZT, outstanding 12000\.00 KZT\)$/,
      );
      await (await tenge.connect(roles.desk).setTierLimits(1, kzt("5000"), kzt("5000"))).wait();
      await refused(
        "tenge:mint",
        { to: users.bob.address, amount: "3000.01", from: BANK_A },
        banks.bankA,
        /would hold 5000\.01 KZT, above tier 1's holding limit of 5000\.00 KZT$/,
      );
      await run("tenge:mint", { to: users.bob.address, amount: "3000", from: BANK_A });
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("5000"));
    });

    it("refuses while paused, from a suspended bank and from a non-bank", async function () {
      const { tenge, users, banks, roles } = ctx;
      await (await tenge.connect(roles.desk).setBankSuspended(banks.bankA, true)).wait();
      await refused(
        "tenge:mint",
        { to: users.alice.address, amount: "1", from: BANK_A },
        banks.bankA,
        /bank #1 0x[0-9a-fA-F]{40} is suspended from issuing$/,
      );
      await (await tenge.connect(roles.pauser).pause()).wait();
      await refused(
        "tenge:mint",
        { to: users.carol.address, amount: "1", from: BANK_B },
        banks.bankB,
        /the token is paused/,
      );
      await refused(
        "tenge:mint",
        { to: users.alice.address, amount: "1", from: OUTSIDER },
        users.outsider,
        /^--from #12 \(0x[0-9a-fA-F]{40}\) is not a registered bank$/,
      );
    });

    it("refuses a --from that is not available on the network", async function () {
      const { users, banks } = ctx;
      const args = { to: users.alice.address, amount: "1" };
      await refused(
        "tenge:mint",
        { ...args, from: "bankA" },
        banks.bankA,
        new RegExp(
          `^--from "bankA" is not a named account, an account index or an address \\(named: ${Object.keys(hre.config.namedAccounts).join(", ")}\\)$`,
        ),
      );
      await refused(
        "tenge:mint",
        { ...args, from: "20" },
        banks.bankA,
        /^--from 20: account index out of range on "hardhat" \(20 accounts available\)$/,
      );
      const stranger = Wallet.createRandom().address;
      await refused(
        "tenge:mint",
        { ...args, from: stranger },
        banks.bankA,
        new RegExp(`^--from ${stranger} is not an account this network's config or node can sign for on "hardhat"$`),
      );
    });
  });

  describe("tenge:mint-batch", function () {
    it("issues a CSV in chunks with a progress bar and one line per transaction", async function () {
      const { tenge, users } = ctx;
      const file = csv(
        "payroll.csv",
        `address,amount\n# November\n${users.alice.address},100.50\n\n${users.bob.address},200\n${users.merchant.address},0.01\n`,
      );
      const lines = await run("tenge:mint-batch", { file, from: BANK_A, chunk: "2" });
      expect(lines).to.have.length(2);
      expectTxLine(
        lines[0],
        /^mint-batch 1\/2: 2 recipients, 300\.50 KZT by /,
        /\| 2\/3 rows issued; bank remaining 987699\.50 KZT$/,
      );
      expect(lines[1]).to.match(
        /^mint-batch 2\/2: 1 recipients, 0\.01 KZT by .* \| issued 300\.51 KZT to 3 recipients/,
      );
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10100.50"));
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2200"));
      expect(await tenge.balanceOf(users.merchant)).to.equal(kzt("0.01"));
    });

    it("resumes from --start-line", async function () {
      const { tenge, users } = ctx;
      const file = csv("resume.csv", `${users.alice.address},1\n${users.bob.address},2\n${users.merchant.address},3\n`);
      await run("tenge:mint-batch", { file, from: BANK_A, startLine: "2" });
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect(await tenge.balanceOf(users.merchant)).to.equal(kzt("3"));
      await refused(
        "tenge:mint-batch",
        { file, from: BANK_A, startLine: "4" },
        ctx.banks.bankA,
        /^--start-line 4 is past the last row \(line 3\)$/,
      );
    });

    it("sends nothing when a line is malformed, and lists every bad line", async function () {
      const { users, banks } = ctx;
      const file = csv(
        "bad.csv",
        `${users.alice.address},1.234\n0x12,5\n${users.bob.address},100\n${users.alice.address},1\n`,
      );
      const message = await refused(
        "tenge:mint-batch",
        { file, from: BANK_A },
        banks.bankA,
        /^bad\.csv has 3 problems:/,
        true,
      );
      expect(message.split("\n")).to.deep.equal([
        "bad.csv has 3 problems:",
        '  line 1: amount "1.234" has more than 2 decimals (1 tenge = 100 tiyn)',
        '  line 2: address "0x12" is not an address',
        `  line 4: duplicate address ${users.alice.address} (first on line 1)`,
      ]);
    });

    it("sends nothing when one row fails on chain, even if the others would pass", async function () {
      const { tenge, users, banks } = ctx;
      const rows = [users.alice, users.bob, users.merchant].map((u) => `${u.address},10`);
      const file = csv("mixed.csv", [...rows, `${users.carol.address},10`, `${users.outsider.address},10`].join("\n"));
      const message = await refused(
        "tenge:mint-batch",
        { file, from: BANK_A, chunk: "1" },
        banks.bankA,
        /^cannot mint: 2 problems in 5 rows; nothing was sent:/,
        true,
      );
      expect(message).to.contain(`line 4: ${users.carol.address} is a customer of bank #2`);
      expect(message).to.contain(`line 5: ${users.outsider.address} is not onboarded`);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
    });

    it("sends nothing when the total exceeds the remaining ceiling", async function () {
      const { users, banks } = ctx;
      const file = csv("big.csv", `${users.merchant.address},900000\n${users.bob.address},88000.01\n`);
      await refused(
        "tenge:mint-batch",
        { file, from: BANK_A },
        banks.bankA,
        /total 988000\.01 KZT exceeds bank #1's remaining ceiling 988000\.00 KZT/,
        true,
      );
    });

    it("refuses a missing file, an empty file and a bad --chunk", async function () {
      const { banks } = ctx;
      await refused(
        "tenge:mint-batch",
        { file: join(dir, "missing.csv"), from: BANK_A },
        banks.bankA,
        /^--file ".*missing\.csv": file does not exist$/,
      );
      const empty = csv("empty.csv", "address,amount\n# nothing yet\n");
      await refused(
        "tenge:mint-batch",
        { file: empty, from: BANK_A },
        banks.bankA,
        /^empty\.csv has 1 problem: no rows/,
      );
      const file = csv("one.csv", `${ctx.users.alice.address},1\n`);
      await refused("tenge:mint-batch", { file, from: BANK_A, chunk: "0" }, banks.bankA, /^--chunk "0" must be/);
      await refused("tenge:mint-batch", { file, from: BANK_A, chunk: "501" }, banks.bankA, /from 1 to 500$/);
    });
  });

  describe("tenge:onboard and tenge:onboard-batch", function () {
    it("onboard one wallet and a CSV of wallets in chunks", async function () {
      const { tenge, users, banks } = ctx;
      const lines = await run("tenge:onboard", { account: users.outsider.address, tier: "2", from: BANK_B });
      expectTxLine(lines[0], /^onboard 0x[0-9a-fA-F]{40} tier 2/, /onboarded by bank #2 at tier 2$/);
      expect((await tenge.accountOf(users.outsider)).bank).to.equal(banks.bankB.address);

      const wallets = Array.from({ length: 5 }, () => Wallet.createRandom().address);
      const file = csv("wallets.csv", `address\n${wallets.join("\n")}\n`);
      const batch = await run("tenge:onboard-batch", { file, tier: "0", from: BANK_A, chunk: "2" });
      expect(batch).to.have.length(3);
      expect(batch[2]).to.match(/onboarded 5 wallets at tier 0$/);
      for (const wallet of wallets) expect((await tenge.accountOf(wallet)).onboarded).to.be.true;
    });

    it("resumes an onboarding file from --start-line", async function () {
      const { tenge } = ctx;
      const wallets = Array.from({ length: 3 }, () => Wallet.createRandom().address);
      const file = csv("resume-wallets.csv", `address\n${wallets.join("\n")}\n`);
      await run("tenge:onboard-batch", { file, tier: "1", from: BANK_A, startLine: "3" });
      expect((await tenge.accountOf(wallets[0])).onboarded).to.be.false;
      expect((await tenge.accountOf(wallets[1])).onboarded).to.be.true;
      expect((await tenge.accountOf(wallets[2])).onboarded).to.be.true;
    });

    it("refuse already-onboarded wallets, bad tiers and non-banks without sending", async function () {
      const { users, banks } = ctx;
      await refused(
        "tenge:onboard",
        { account: users.alice.address, tier: "1", from: BANK_A },
        banks.bankA,
        /is already onboarded \(managed by bank #1 0x[0-9a-fA-F]{40}\)$/,
      );
      await refused(
        "tenge:onboard",
        { account: users.outsider.address, tier: "4", from: BANK_A },
        banks.bankA,
        /^--tier "4" is not a KYC tier \(0, 1, 2 or 3\)$/,
      );
      await refused(
        "tenge:onboard",
        { account: users.outsider.address, tier: "1", from: ALICE },
        users.alice,
        /^--from #7 \(0x[0-9a-fA-F]{40}\) is not a registered bank$/,
      );
      const file = csv("wallets.csv", `${Wallet.createRandom().address}\n${users.carol.address}\n`);
      await refused(
        "tenge:onboard-batch",
        { file, tier: "1", from: BANK_A },
        banks.bankA,
        /^cannot onboard: 1 problem in 2 rows; nothing was sent: line 2: .* is already onboarded/,
      );
    });
  });

  describe("central bank tasks", function () {
    it("register-bank, set-ceiling, suspend-bank, resume-bank and set-tier-limits change the state", async function () {
      const { tenge, users, roles } = ctx;
      const bank = users.relayer.address;
      const registered = await run("tenge:register-bank", { bank, ceiling: "250000.50" });
      expectTxLine(registered[0], /^register-bank /, /bank #3 .* ceiling 250000\.50 KZT/);
      await run("tenge:set-ceiling", { bank, ceiling: "0" });
      expect((await tenge.bankOf(bank)).ceiling).to.equal(0n);
      await run("tenge:suspend-bank", { bank });
      expect((await tenge.bankOf(bank)).suspended).to.be.true;
      const nonce = await roles.desk.getNonce();
      expect(await run("tenge:suspend-bank", { bank })).to.deep.equal([
        `bank #3 ${bank} is already suspended; nothing sent`,
      ]);
      expect(await roles.desk.getNonce()).to.equal(nonce);
      await run("tenge:resume-bank", { bank });
      expect((await tenge.bankOf(bank)).suspended).to.be.false;
      await run("tenge:set-tier-limits", { tier: "0", holding: "150000", daily: "60000" });
      expect(await tenge.tierLimits(0)).to.deep.equal([kzt("150000"), kzt("60000")]);
    });

    it("refuse without the role, twice-registered banks and fractional limits", async function () {
      const { banks, roles, users } = ctx;
      await refused(
        "tenge:register-bank",
        { bank: users.relayer.address, ceiling: "1", from: BANK_A },
        banks.bankA,
        /^--from #5 \(0x[0-9a-fA-F]{40}\) does not hold CENTRAL_BANK_ROLE on 0x[0-9a-fA-F]{40}$/,
      );
      await refused(
        "tenge:register-bank",
        { bank: banks.bankA.address, ceiling: "1" },
        roles.desk,
        /is already registered as bank #1$/,
      );
      await refused(
        "tenge:set-ceiling",
        { bank: users.alice.address, ceiling: "1" },
        roles.desk,
        /^--bank 0x[0-9a-fA-F]{40} is not a registered bank$/,
      );
      await refused(
        "tenge:set-tier-limits",
        { tier: "1", holding: "1000.50", daily: "10" },
        roles.desk,
        /^--holding "1000\.50" must be a whole number of tenge$/,
      );
      await refused(
        "tenge:set-tier-limits",
        { tier: "1", holding: "2147483648", daily: "10" },
        roles.desk,
        /^--holding "2147483648" is above the maximum of 2147483647\.00$/,
      );
    });

    it("onboard-institution, set-exempt and offboard an institution", async function () {
      const { tenge, users, roles } = ctx;
      await run("tenge:onboard-institution", { account: users.relayer.address });
      expect((await tenge.accountOf(users.relayer)).exempt).to.be.true;
      await run("tenge:set-exempt", { account: users.relayer.address, revoke: true });
      expect((await tenge.accountOf(users.relayer)).exempt).to.be.false;
      await run("tenge:set-exempt", { account: users.alice.address });
      expect((await tenge.accountOf(users.alice)).exempt).to.be.true;
      await refused(
        "tenge:offboard",
        { account: users.relayer.address, from: BANK_A },
        ctx.banks.bankA,
        /does not manage 0x[0-9a-fA-F]{40}: it is an institution, managed by CENTRAL_BANK_ROLE$/,
      );
      await run("tenge:offboard", { account: users.relayer.address, from: "issuanceDesk" });
      expect((await tenge.accountOf(users.relayer)).onboarded).to.be.false;
      await refused(
        "tenge:onboard-institution",
        { account: users.treasury.address },
        roles.desk,
        /is already onboarded \(managed by the central bank\)$/,
      );
    });
  });

  describe("bank account tasks", function () {
    it("set-tier, offboard and recover", async function () {
      const { tenge, users, banks, roles } = ctx;
      await run("tenge:set-tier", { account: users.alice.address, tier: "2", from: BANK_A });
      expect((await tenge.accountOf(users.alice)).tier).to.equal(2n);

      await (await tenge.connect(roles.desk).setTierLimits(0, kzt("5000"), kzt("5000"))).wait();
      await refused(
        "tenge:set-tier",
        { account: users.alice.address, tier: "0", from: BANK_A },
        banks.bankA,
        /holds 10000\.00 KZT, above tier 0's holding limit of 5000\.00 KZT$/,
      );
      await refused(
        "tenge:set-tier",
        { account: users.alice.address, tier: "1", from: BANK_B },
        banks.bankB,
        /does not manage 0x[0-9a-fA-F]{40}: it is a customer of bank #1/,
      );

      await refused(
        "tenge:offboard",
        { account: users.alice.address, from: BANK_A },
        banks.bankA,
        /is not empty: balance 10000\.00 KZT, frozen amount 0\.00 KZT$/,
      );
      await run("tenge:offboard", { account: users.merchant.address, from: BANK_A });
      expect((await tenge.accountOf(users.merchant)).onboarded).to.be.false;

      const replacement = Wallet.createRandom().address;
      await refused(
        "tenge:recover",
        { lost: users.alice.address, replacement: users.bob.address, from: BANK_A },
        banks.bankA,
        /^--replacement 0x[0-9a-fA-F]{40} is already onboarded/,
      );
      const lines = await run("tenge:recover", { lost: users.alice.address, replacement, from: BANK_A });
      expectTxLine(lines[0], /^recover /, /balance 10000\.00 KZT/);
      expect(await tenge.balanceOf(replacement)).to.equal(kzt("10000"));
      expect((await tenge.accountOf(users.alice)).onboarded).to.be.false;
    });
  });

  describe("tenge:redeem", function () {
    it("burns the holder's tenge and records the settlement reference", async function () {
      const { tenge, users, banks } = ctx;
      const lines = await run("tenge:redeem", { amount: "2500.50", reference: "PAY-2024-001", from: ALICE });
      expectTxLine(lines[0], /^redeem 2500\.50 KZT from .* at bank #1 ref PAY-2024-001/, /balance 7499\.50 KZT/);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("7499.50"));
      expect((await tenge.bankOf(banks.bankA)).outstanding).to.equal(kzt("9499.50"));
      const [event] = await tenge.queryFilter(tenge.filters.Redeemed(users.alice.address));
      expect(decodeBytes32String(event.args.settlementRef)).to.equal("PAY-2024-001");
    });

    it("refuses more than the available balance, frozen funds, institutions and bad references", async function () {
      const { tenge, users, roles } = ctx;
      await refused(
        "tenge:redeem",
        { amount: "10000.01", reference: "r", from: ALICE },
        users.alice,
        /^cannot redeem 10000\.01 KZT from 0x[0-9a-fA-F]{40}: balance is only 10000\.00 KZT$/,
      );
      await (await tenge.connect(roles.compliance).freezeAmount(users.alice, kzt("4000"), id("case"))).wait();
      await refused(
        "tenge:redeem",
        { amount: "6000.01", reference: "r", from: ALICE },
        users.alice,
        /only 6000\.00 KZT is available \(4000\.00 KZT frozen\)$/,
      );
      await refused(
        "tenge:redeem",
        { amount: "1", reference: "r", from: TREASURY },
        users.treasury,
        /is an institution without a commercial bank; it cannot redeem$/,
      );
      await refused(
        "tenge:redeem",
        { amount: "1", reference: "x".repeat(32), from: CAROL },
        users.carol,
        /^--reference "x{32}" is 32 bytes; use at most 31 bytes of text or a 0x-prefixed 32-byte hex$/,
      );
      await refused(
        "tenge:redeem",
        { amount: "1", reference: "r", from: OUTSIDER },
        users.outsider,
        /^--from #12 \(0x[0-9a-fA-F]{40}\) is not onboarded$/,
      );
    });
  });

  describe("compliance and enforcement", function () {
    it("freeze, unfreeze, freeze-amount, unfreeze-amount and seize", async function () {
      const { tenge, users, roles } = ctx;
      const account = users.alice.address;
      await run("tenge:freeze-amount", { account, amount: "3000", reason: "court 2-123/2024" });
      expect((await tenge.accountOf(account)).frozenAmount).to.equal(kzt("3000"));
      await refused(
        "tenge:unfreeze-amount",
        { account, amount: "3000.01", reason: "r" },
        roles.compliance,
        /^cannot unfreeze 3000\.01 KZT of 0x[0-9a-fA-F]{40}: only 3000\.00 KZT is frozen$/,
      );
      await run("tenge:unfreeze-amount", { account, amount: "1000", reason: "appeal" });
      expect((await tenge.accountOf(account)).frozenAmount).to.equal(kzt("2000"));

      const frozen = await run("tenge:freeze", { account, reason: id("order 7") });
      expectTxLine(frozen[0], /^freeze /, /wallet frozen\)$/);
      await refused("tenge:freeze", { account, reason: "again" }, roles.compliance, /is already frozen$/);

      const seized = await run("tenge:seize", {
        account,
        to: users.treasury.address,
        amount: "2500",
        reason: "court 2-123/2024",
      });
      expectTxLine(seized[0], /^seize 2500\.00 KZT/, /balance 7500\.00 KZT; .* balance 2500\.00 KZT$/);
      expect((await tenge.accountOf(account)).frozenAmount).to.equal(0n);

      await run("tenge:unfreeze", { account, reason: "lifted" });
      expect((await tenge.accountOf(account)).frozen).to.be.false;
      await refused("tenge:unfreeze", { account, reason: "lifted" }, roles.compliance, /is already not frozen$/);
    });

    it("refuse seizures that would revert, without sending", async function () {
      const { tenge, users, roles } = ctx;
      const base = { reason: "court", from: "enforcement" };
      await refused(
        "tenge:seize",
        { ...base, account: users.bob.address, to: users.treasury.address, amount: "2000.01" },
        roles.enforcement,
        /balance is only 2000\.00 KZT$/,
      );
      await refused(
        "tenge:seize",
        { ...base, account: users.bob.address, to: users.bob.address, amount: "1" },
        roles.enforcement,
        /^--account and --to are the same wallet$/,
      );
      await (await tenge.connect(roles.compliance).freeze(users.treasury, id("x"))).wait();
      await refused(
        "tenge:seize",
        { ...base, account: users.bob.address, to: users.treasury.address, amount: "1" },
        roles.enforcement,
        /^--to 0x[0-9a-fA-F]{40} is frozen and cannot receive$/,
      );
      await refused(
        "tenge:seize",
        { ...base, account: users.bob.address, to: users.outsider.address, amount: "1" },
        roles.enforcement,
        /^--to 0x[0-9a-fA-F]{40} is not onboarded$/,
      );
      await refused(
        "tenge:seize",
        { ...base, account: users.bob.address, to: users.carol.address, amount: "1", from: "compliance" },
        roles.compliance,
        /does not hold SEIZURE_ROLE/,
      );
    });
  });

  describe("pause and roles", function () {
    it("pause and unpause", async function () {
      const { tenge, roles } = ctx;
      expectTxLine((await run("tenge:pause"))[0], /^pause /, /paused yes$/);
      expect(await tenge.paused()).to.be.true;
      await refused("tenge:pause", {}, roles.pauser, /^the token is already paused$/);
      await run("tenge:unpause");
      expect(await tenge.paused()).to.be.false;
      await refused("tenge:unpause", { from: "compliance" }, roles.compliance, /does not hold PAUSER_ROLE/);
    });

    it("grant-role and revoke-role", async function () {
      const { tenge, users, roles } = ctx;
      const lines = await run("tenge:grant-role", { role: "compliance", account: users.carol.address });
      expectTxLine(lines[0], /^grant COMPLIANCE_ROLE to /, /holds COMPLIANCE_ROLE: yes$/);
      expect(await tenge.hasRole(id("COMPLIANCE_ROLE"), users.carol)).to.be.true;
      await run("tenge:revoke-role", { role: "COMPLIANCE_ROLE", account: users.carol.address });
      expect(await tenge.hasRole(id("COMPLIANCE_ROLE"), users.carol)).to.be.false;

      await refused(
        "tenge:grant-role",
        { role: "MINTER_ROLE", account: users.carol.address },
        roles.centralBank,
        /^--role "MINTER_ROLE" is not a role; use one of DEFAULT_ADMIN_ROLE/,
      );
      await refused(
        "tenge:grant-role",
        { role: "PAUSER_ROLE", account: users.carol.address, from: "issuanceDesk" },
        roles.desk,
        /does not hold DEFAULT_ADMIN_ROLE, the admin role of PAUSER_ROLE$/,
      );
      await refused(
        "tenge:revoke-role",
        { role: "DEFAULT_ADMIN_ROLE", account: roles.centralBank.address },
        roles.centralBank,
        /^refusing to revoke DEFAULT_ADMIN_ROLE from the acting signer itself without --force$/,
      );
    });
  });

  describe("safety net", function () {
    it("stops a batch at the first failing chunk and names the chunks already sent", async function () {
      const { tenge, users, banks, roles } = ctx;
      const items = [
        { address: users.alice.address, amount: kzt("1"), line: 1 },
        { address: users.bob.address, amount: kzt("2"), line: 2 },
        { address: users.merchant.address, amount: kzt("3"), line: 3 },
      ];
      const printed: string[] = [];
      let message = "";
      try {
        await batchMint(tenge.connect(banks.bankA), banks.bankA.address, items, {
          chunkSize: 2,
          confirmations: 1,
          progress: false,
          log: (line) => printed.push(line),
          // the state changes under the batch after its first chunk: compliance freezes a later recipient
          afterChunk: async (index) => {
            if (index === 0) await (await tenge.connect(roles.compliance).freeze(users.merchant, id("x"))).wait();
          },
        });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(printed).to.have.length(1);
      const sent = /tx (0x[0-9a-f]{64})/.exec(printed[0])?.[1];
      expect(message).to.equal(
        `mint-batch stopped at chunk 2/2 (from line 3): mint-batch 2/2: 1 recipients, 3.00 KZT by ${banks.bankA.address} would revert: DigitalTengeAccountFrozen(account=${users.merchant.address}); nothing was sent; already sent: chunk 1 (2 rows, tx ${sent}); resume with --start-line 3`,
      );
      expect(await tenge.balanceOf(users.bob)).to.equal(kzt("2002"));
      expect(await tenge.balanceOf(users.merchant)).to.equal(0n);
    });

    it("simulates before sending and decodes the custom error when a call would revert", async function () {
      const { tenge, users, banks } = ctx;
      const nonce = await banks.bankA.getNonce();
      const bank = tenge.connect(banks.bankA);
      let message = "";
      try {
        await execute(bank.mint, [users.outsider.address, kzt("1")], {
          iface: tenge.interface,
          what: "mint",
          confirmations: 1,
        });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.equal(
        `mint would revert: DigitalTengeNotOnboarded(account=${users.outsider.address}); nothing was sent`,
      );
      try {
        await execute(bank.mint, [users.alice.address, kzt("988000.01")], {
          iface: tenge.interface,
          what: "mint",
          confirmations: 1,
        });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).to.contain("DigitalTengeCeilingExceeded(bank=");
      expect(message).to.contain("remaining=988000.00 KZT, needed=988000.01 KZT)");
      expect(await banks.bankA.getNonce()).to.equal(nonce);
    });

    it("prints one Error line and sets the exit code when the task is the command-line entry", async function () {
      const { banks } = ctx;
      const nonce = await banks.bankA.getNonce();
      const argv = process.argv;
      process.argv = [...argv, "tenge:mint"];
      let lines: string[] = [];
      try {
        lines = await run("tenge:mint", { to: "0x12", amount: "1", from: BANK_A });
        expect(process.exitCode).to.equal(1);
      } finally {
        process.argv = argv;
        process.exitCode = undefined;
      }
      expect(lines).to.deep.equal(['Error: --to "0x12" is not an address']);
      expect(await banks.bankA.getNonce()).to.equal(nonce);
    });

    it("the real CLI prints exactly one line on stderr and exits 1", function () {
      this.timeout(120_000);
      const cli = require.resolve("hardhat/internal/cli/bootstrap");
      const result = spawnSync(
        process.execPath,
        [cli, "tenge:mint", "--to", "0x12", "--amount", "1.234", "--from", BANK_A],
        {
          cwd: hre.config.paths.root,
          encoding: "utf8",
          env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
        },
      );
      expect(result.status).to.equal(1);
      expect(result.stderr.trim().split("\n")).to.deep.equal(['Error: --to "0x12" is not an address']);
    });
  });
});
