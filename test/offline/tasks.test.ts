import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { refusedTask as refused, runTask, type TaskArgs } from "../helpers/tasks";
import { loadFixture } from "../helpers/fixture";
import { id } from "ethers";
import { decodeOfflineQr, encodeOfflineQr, verifyOfflinePayment } from "../../scripts/lib/offline";
import { kzt } from "../fixtures/tenge.fixture";
import { now, offlineFixture, payment, sign } from "./helpers";
import type { OfflineCtx } from "./helpers";

// Account indices as the fixture hands them out (hardhat's default accounts).
const ALICE = "7";
const BOB = "8";
const MERCHANT = "10";
const OUTSIDER = "12";

/** Runs a task and returns what it printed, one entry per line (multi-line prints split). */
async function run(name: string, args: TaskArgs = {}): Promise<string[]> {
  return (await runTask(name, args)).flatMap((l) => l.split("\n"));
}

describe("offline tasks", function () {
  let ctx: OfflineCtx;
  let dir: string;
  let token: string;
  let chainId: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "offline-tasks-"));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    ctx = await loadFixture(offlineFixture);
    token = await ctx.tenge.getAddress();
    chainId = String((await ethers.provider.getNetwork()).chainId);
  });

  function file(name: string, lines: string[]): string {
    const path = join(dir, name);
    writeFileSync(path, lines.join("\n") + "\n");
    return path;
  }

  describe("offline:sign and offline:verify", function () {
    it("sign as a node account with the deployment's domain; the string decodes and verifies", async function () {
      const { users, domain } = ctx;
      const lines = await run("offline:sign", {
        payee: users.merchant.address,
        amount: "1500.25",
        nonce: "12",
        from: ALICE,
        validBefore: "4000000000",
      });
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^dtop1:[A-Za-z0-9_-]{170}$/);
      const p = decodeOfflineQr(lines[0]);
      expect(p).to.include({ payer: users.alice.address, payee: users.merchant.address, fromPurse: false });
      expect([p.amount, p.nonce, p.validAfter, p.validBefore]).to.deep.equal([kzt("1500.25"), 12n, 0n, 4000000000n]);
      expect(verifyOfflinePayment(p, domain).ok).to.equal(true);
    });

    it("sign without a network from a key in an environment variable, with --chain-id and --token", async function () {
      const { users, payers, domain } = ctx;
      process.env.OFFLINE_TEST_KEY = payers.dave.privateKey;
      try {
        const [qr] = await run("offline:sign", {
          payee: users.merchant.address,
          amount: "3",
          nonce: "0",
          keyEnv: "OFFLINE_TEST_KEY",
          chainId,
          token,
          fromPurse: true,
          validFor: "600",
        });
        const p = decodeOfflineQr(qr);
        expect(p.payer).to.equal(payers.dave.address);
        expect(p.fromPurse).to.equal(true);
        expect(verifyOfflinePayment(p, domain).ok).to.equal(true);
      } finally {
        delete process.env.OFFLINE_TEST_KEY;
      }
    });

    for (const [args, message] of [
      [{ amount: "1.001" }, /--amount "1.001" has more than 2 decimals/],
      [{ amount: "0" }, /--amount "0" must be greater than zero/],
      [{ nonce: "255" }, /--nonce 255 is never usable/],
      [{ nonce: "4294967296" }, /--nonce "4294967296" must be a whole number from 0 to 4294967295/],
      [{ nonce: "-1" }, /--nonce "-1" must be a whole number/],
      [{ validAfter: "100", validBefore: "100" }, /--valid-before 100 is not after --valid-after 100/],
      [{ validBefore: "1700000000000" }, /above 2\^40 - 1 \(seconds, not milliseconds\?\)/],
      [{ validFor: "0" }, /--valid-for "0" must be a whole number/],
      [{ payee: "0x12" }, /--payee "0x12" is not an address/],
      [{ keyEnv: "OFFLINE_TEST_UNSET" }, /--key-env OFFLINE_TEST_UNSET: the variable is not set/],
      [{ chainId: "31337" }, /give both --chain-id and --token/],
      [{ chainId: "x", token: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }, /--chain-id "x" is not a chain id/],
    ] as const) {
      it(`offline:sign refuses ${JSON.stringify(args)}`, async function () {
        await refused(
          "offline:sign",
          Object.assign({ payee: ctx.users.merchant.address, amount: "1", nonce: "1", from: ALICE }, args),
          ctx.users.alice,
          message,
        );
      });
    }

    it("offline:sign refuses without --from or --key-env", async function () {
      await refused(
        "offline:sign",
        { payee: ctx.users.merchant.address, amount: "1", nonce: "1" },
        ctx.users.alice,
        /give --from \(an account the node holds\) or --key-env/,
      );
    });

    it("verify prints the payment and accepts a good one; refuses a tampered, misdirected or expired one", async function () {
      const { users, domain } = ctx;
      const p = await sign(users.alice, await payment(users.merchant.address, "25"), domain);
      const qr = encodeOfflineQr(p);
      const text = (await run("offline:verify", { qr, payee: users.merchant.address, chainId, token })).join("\n");
      expect(text).to.contain(`payer        ${users.alice.address}`);
      expect(text).to.contain("amount       25.00 KZT");
      expect(text).to.contain("signature    valid");
      // The deployment's domain when --chain-id and --token are left out.
      expect((await run("offline:verify", { qr, now: String(await now()) })).join("\n")).to.contain("valid");

      const tampered = encodeOfflineQr({ ...p, amount: kzt("2500") });
      await refused("offline:verify", { qr: tampered, chainId, token }, users.alice, /signature is not the payer's/);
      await refused(
        "offline:verify",
        { qr, payee: users.carol.address, chainId, token },
        users.alice,
        /payment is to 0x[0-9a-fA-F]{40}, not to/,
      );
      await refused(
        "offline:verify",
        { qr, now: String(p.validBefore), chainId, token },
        users.alice,
        /expired \(valid before/,
      );
      await refused("offline:verify", { qr: "hello", chainId, token }, users.alice, /expected the prefix "dtop1:"/);
    });
  });

  describe("offline:settle", function () {
    it("settles a file in chunks and prints a result table with every failure's reason", async function () {
      const { tenge, offline, users, payers, domain } = ctx;
      const m = users.merchant.address;
      await (await offline.connect(payers.erin).cancelOfflinePayment(4n)).wait();
      const good = encodeOfflineQr(await sign(payers.dave, await payment(m, "100"), domain));
      const lines = [
        "# takings of terminal 1",
        good,
        encodeOfflineQr(await sign(payers.erin, await payment(m, "2000", { nonce: 3n }), domain)),
        "",
        good,
        encodeOfflineQr(await sign(payers.erin, await payment(m, "50", { nonce: 4n }), domain)),
        encodeOfflineQr(await sign(payers.frank, await payment(m, "10.50"), domain)),
      ];
      const out = await run("offline:settle", { file: file("takings.txt", lines), from: MERCHANT, chunk: "2" });
      expect(out.filter((l) => l.startsWith("settle "))).to.have.length(3);
      expect(out[0]).to.match(
        /^settle 2 offline payments \(lines 2-3\) \| tx 0x[0-9a-f]{64} \| block \d+ \| gas \d+ \| settled 1, failed 1, credited 100.00 KZT$/,
      );
      const table = out.slice(3);
      expect(table[0]).to.match(/^line +payer +nonce +amount KZT +from +result$/);
      expect(table[1]).to.match(new RegExp(`^2 +${payers.dave.address} +0 +100.00 +balance +settled$`));
      expect(table[2]).to.match(/^3 .* 2000.00 +balance +FAILED InsufficientFunds: insufficient funds$/);
      expect(table[3]).to.match(/^5 .*FAILED AlreadyUsed: already used \(double spend\)$/);
      expect(table[4]).to.match(/^6 .*FAILED Cancelled: cancelled by the payer$/);
      expect(table[5]).to.match(/^7 .* 10.50 +balance +settled$/);
      expect(table[6]).to.equal("2 of 5 settled, 110.50 KZT credited; 3 failed");
      expect(await tenge.balanceOf(m)).to.equal(kzt("110.50"));
    });

    it("simulates only with --dry-run", async function () {
      const { tenge, users, payers, domain } = ctx;
      const qr = encodeOfflineQr(await sign(payers.dave, await payment(users.merchant.address, "1"), domain));
      const out = await run("offline:settle", { file: file("dry.txt", [qr]), from: MERCHANT, dryRun: true });
      expect(out).to.have.length(1);
      expect(out[0]).to.match(
        /^dry run: settle 1 offline payment \(lines 1-1\) \| would succeed \| gas estimate \d+ \| nothing sent$/,
      );
      expect(await tenge.balanceOf(users.merchant)).to.equal(0n);
    });

    it("sends nothing when a line does not decode, is to another payee or is not its payer's, and lists the lines", async function () {
      const { users, payers, domain } = ctx;
      const good = await sign(payers.dave, await payment(users.merchant.address, "1"), domain);
      const lines = [
        encodeOfflineQr(good),
        "dtop1:AAAA",
        encodeOfflineQr(await sign(payers.dave, await payment(users.carol.address, "1"), domain)),
        encodeOfflineQr({ ...good, amount: kzt("9") }),
      ];
      const message = await refused(
        "offline:settle",
        { file: file("bad.txt", lines), from: MERCHANT },
        users.merchant,
        /bad.txt has 3 problems/,
        true,
      );
      expect(message.split("\n").slice(1)).to.deep.equal([
        "  line 2: offline payment: 3 bytes after decoding, expected 127",
        `  line 3: payment is to ${users.carol.address}, not to ${users.merchant.address}`,
        `  line 4: signature is not the payer's: it recovers to ${message.match(/recovers to (0x[0-9a-fA-F]{40})/)?.[1]}, not ${payers.dave.address} (tampered, or signed for another chain or token)`,
      ]);
    });

    it("refuses an empty file, a missing file, a frozen or non-onboarded merchant and a paused token", async function () {
      const { tenge, users, payers, roles, domain } = ctx;
      await refused(
        "offline:settle",
        { file: file("empty.txt", ["# nothing"]), from: MERCHANT },
        users.merchant,
        /holds no payments/,
      );
      await refused(
        "offline:settle",
        { file: join(dir, "missing.txt"), from: MERCHANT },
        users.merchant,
        /does not exist/,
      );
      const toOutsider = encodeOfflineQr(await sign(payers.dave, await payment(users.outsider.address, "1"), domain));
      await refused(
        "offline:settle",
        { file: file("o.txt", [toOutsider]), from: OUTSIDER },
        users.outsider,
        /is not onboarded/,
      );
      const qr = encodeOfflineQr(await sign(payers.dave, await payment(users.merchant.address, "1"), domain));
      const path = file("m.txt", [qr]);
      await (await tenge.connect(roles.compliance).freeze(users.merchant, id("x"))).wait();
      await refused("offline:settle", { file: path, from: MERCHANT }, users.merchant, /is frozen: it cannot receive/);
      await (await tenge.connect(roles.compliance).unfreeze(users.merchant, id("x"))).wait();
      await (await tenge.connect(roles.pauser).pause()).wait();
      await refused("offline:settle", { file: path, from: MERCHANT }, users.merchant, /the token is paused/);
    });

    it("a chunk that would revert (payee above its holding limit) is explained and nothing is sent", async function () {
      const { tenge, users, payers, roles, domain } = ctx;
      await (await tenge.connect(roles.desk).setTierLimits(3, kzt("100"), kzt("100"))).wait();
      const qr = encodeOfflineQr(await sign(payers.dave, await payment(users.merchant.address, "200"), domain));
      await refused(
        "offline:settle",
        { file: file("limit.txt", [qr]), from: MERCHANT },
        users.merchant,
        /would revert: DigitalTengeHoldingLimitExceeded\(account=0x[0-9a-fA-F]{40}, limit=100.00 KZT, newBalance=200.00 KZT\); nothing was sent/,
      );
    });
  });

  describe("purses", function () {
    it("reserve-purse, purse, top-up, release after the end", async function () {
      const { tenge, users } = ctx;
      const out = await run("offline:reserve-purse", {
        amount: "300",
        payee: users.merchant.address,
        days: "2",
        from: ALICE,
      });
      expect(out[0]).to.match(
        new RegExp(
          `^reserve-purse 300.00 KZT for ${users.merchant.address} until \\d+ \\| tx 0x[0-9a-f]{64} .* \\| purse 300.00 KZT for ${users.merchant.address} until \\d+ .*\\(in force\\)$`,
        ),
      );
      const top = await run("offline:reserve-purse", { amount: "50", payee: users.merchant.address, from: ALICE });
      expect(top[0]).to.match(/\| purse 350.00 KZT for/);
      const shown = await run("offline:purse", { account: users.alice.address });
      expect(shown[0]).to.match(/purse 350.00 KZT for .* \(in force\)$/);
      expect(shown[1]).to.equal("caps: tier 0 5000.00 KZT, tier 1 20000.00 KZT, tier 2 50000.00 KZT, tier 3 0.00 KZT");
      await refused(
        "offline:release-purse",
        { from: ALICE },
        users.alice,
        /has a purse 350.00 KZT .*: wait for its end/,
      );
      await time.increase(3 * 86_400);
      const released = await run("offline:release-purse", { from: ALICE });
      expect(released[0]).to.match(/^release-purse 350.00 KZT \| tx .* \| balance 10000.00 KZT$/);
      expect(await tenge.balanceOf(users.alice)).to.equal(kzt("10000"));
      expect((await run("offline:purse", { account: users.alice.address }))[0]).to.match(/: no purse$/);
    });

    it("reserve-purse for any payee, with --valid-until, and a dry run", async function () {
      const until = String((await now()) + 1000n);
      const dry = await run("offline:reserve-purse", {
        amount: "1",
        payee: "any",
        validUntil: until,
        from: ALICE,
        dryRun: true,
      });
      expect(dry[0]).to.match(/^dry run: reserve-purse 1.00 KZT for any payee until \d+ \| would succeed/);
      const out = await run("offline:reserve-purse", { amount: "1", payee: "any", validUntil: until, from: ALICE });
      expect(out[0]).to.contain("purse 1.00 KZT for any payee");
    });

    it("reserve-purse refuses what the contract would refuse, without sending", async function () {
      const { tenge, users, roles } = ctx;
      const m = users.merchant.address;
      await refused(
        "offline:reserve-purse",
        { amount: "20000.01", payee: m, from: ALICE },
        users.alice,
        /above tier 1's cap of 20000.00 KZT/,
      );
      await refused(
        "offline:reserve-purse",
        { amount: "2001", payee: m, from: BOB },
        users.bob,
        /has 2000.00 KZT available, not 2001.00 KZT/,
      );
      await refused(
        "offline:reserve-purse",
        { amount: "1", payee: m, from: OUTSIDER },
        users.outsider,
        /is not onboarded/,
      );
      await refused(
        "offline:reserve-purse",
        { amount: "1", payee: m, validUntil: "1", from: ALICE },
        users.alice,
        /is not in the future/,
      );
      await (await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), kzt("10"))).wait();
      await refused(
        "offline:reserve-purse",
        { amount: "11", payee: m, from: ALICE },
        users.alice,
        /only 10.00 KZT left today/,
      );
      await run("offline:reserve-purse", { amount: "5", payee: m, from: ALICE });
      await refused(
        "offline:reserve-purse",
        { amount: "1", payee: "any", from: ALICE },
        users.alice,
        /a top-up must keep its payee and end/,
      );
      await (await tenge.connect(roles.compliance).freeze(users.alice, id("x"))).wait();
      await refused("offline:reserve-purse", { amount: "1", payee: m, from: ALICE }, users.alice, /is frozen$/);
    });

    it("release-purse refuses without a purse", async function () {
      await refused("offline:release-purse", { from: ALICE }, ctx.users.alice, /has no purse/);
    });
  });

  describe("offline:cancel and offline:set-purse-caps", function () {
    it("cancel an unsettled payment; refuse a used or cancelled nonce and a bad one", async function () {
      const { offline, users } = ctx;
      const out = await run("offline:cancel", { nonce: "9", from: ALICE });
      expect(out[0]).to.match(
        new RegExp(`^cancel offline payment 9 of ${users.alice.address} \\| tx .* \\| cancelled$`),
      );
      expect(await offline.offlineNonceStatus(users.alice, 9n)).to.equal(2n);
      await refused("offline:cancel", { nonce: "9", from: ALICE }, users.alice, /nonce 9 of .* is already cancelled/);
      await refused("offline:cancel", { nonce: "255", from: ALICE }, users.alice, /nonce 255 of .* is already used/);
      await refused("offline:cancel", { nonce: "x", from: ALICE }, users.alice, /--nonce "x" must be a whole number/);
    });

    it("set-purse-caps as the desk; refuse another signer and a malformed list", async function () {
      const { offline, users, roles } = ctx;
      const out = await run("offline:set-purse-caps", { caps: "1000, 2000.50,3000,0" });
      expect(out[0]).to.match(/\| caps 1000.00 KZT \/ 2000.50 KZT \/ 3000.00 KZT \/ 0.00 KZT$/);
      expect(await offline.offlinePurseCaps()).to.deep.equal([kzt("1000"), kzt("2000.50"), kzt("3000"), 0n]);
      await refused(
        "offline:set-purse-caps",
        { caps: "1,2,3,4", from: ALICE },
        users.alice,
        /does not hold CENTRAL_BANK_ROLE/,
      );
      await refused("offline:set-purse-caps", { caps: "1,2,3" }, roles.desk, /must list 4 amounts/);
      await refused("offline:set-purse-caps", { caps: "1,2,3,x" }, roles.desk, /--caps tier 3 "x"/);
    });
  });
});
