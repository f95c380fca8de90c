import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { refusedTask as refused, runTask as run, type TaskArgs } from "../helpers/tasks";
import { loadFixture } from "../helpers/fixture";
import { Wallet, ZeroHash, id, keccak256, toUtf8Bytes, concat, getBytes } from "ethers";
import {
  PERIODS,
  cardCommitment,
  encodeTerms,
  parseEnrolCsv,
  parsePeriod,
  parseStart,
  programsReport,
} from "../../scripts/lib/programs";
import { CsvError } from "../../scripts/lib/csv";
import {
  ALMATY,
  DAY,
  STATUS,
  expectProgramsInvariant,
  kzt,
  lunchFixture,
  type LunchFixture,
} from "../fixtures/programs.fixture";

// Account indices as the fixtures hand them out (hardhat's default accounts).
const DESK = "1";
const ALICE = "7";
const CITY = "11";
const OUTSIDER = "12";
const RELAYER = "13";
const KID1 = "14";
const KID3 = "19";

const TX = / \| tx 0x[0-9a-f]{64} \| block \d+ \| gas \d+ \| /;

describe("program tasks", function () {
  let ctx: LunchFixture;
  let dir: string;

  before(function () {
    dir = mkdtempSync(join(tmpdir(), "program-tasks-"));
  });

  after(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async function () {
    ctx = await loadFixture(lunchFixture);
  });

  afterEach(async function () {
    await expectProgramsInvariant(ctx.programs, ctx.tenge);
  });

  function csv(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  describe("program:create", function () {
    it("escrows the budget in one transferAndCall and prints the new program", async function () {
      const { programs, tenge, city } = ctx;
      const before = await tenge.balanceOf(city);
      const lines = await run("program:create", {
        budget: "50000.5",
        allowance: "1200",
        period: "day",
        expiryDays: "90",
        start: "now",
        from: CITY,
      });
      expect(lines).to.have.length(1);
      expect(lines[0]).to.match(/^program:create budget 50000\.50 KZT, allowance 1200\.00 KZT per day, until /);
      expect(lines[0]).to.match(TX);
      expect(lines[0]).to.match(/\| program 2 active: funder .* budget 50000\.50 KZT, spent 0\.00 KZT/);
      expect(await tenge.balanceOf(city)).to.equal(before - kzt("50000.5"));
      const p = await programs.programOf(2);
      expect([p.funder, p.budget, p.allowance, p.period]).to.deep.equal([
        city.address,
        kzt("50000.5"),
        kzt("1200"),
        0n,
      ]);
      expect(p.expiry - p.start).to.equal(90n * DAY);
    });

    it("takes a start date (Almaty midnight) and a monthly period", async function () {
      const { programs } = ctx;
      const now = BigInt(await time.latest());
      const local = new Date(Number((now + ALMATY + 40n * DAY) * 1000n));
      const date = local.toISOString().slice(0, 10);
      await run("program:create", {
        budget: "1000",
        allowance: "25000",
        period: "month",
        expiryDays: "30",
        start: date,
        from: CITY,
      });
      const p = await programs.programOf(2);
      expect(p.status).to.equal(STATUS.scheduled);
      expect((p.start + ALMATY) % DAY).to.equal(0n);
      expect(new Date(Number((p.start + ALMATY) * 1000n)).toISOString().slice(0, 10)).to.equal(date);
      expect(p.period).to.equal(2n);
    });

    it("simulates only with --dry-run", async function () {
      const { programs } = ctx;
      const lines = await run("program:create", {
        budget: "10",
        allowance: "1",
        period: "week",
        expiryDays: "7",
        start: "now",
        from: CITY,
        dryRun: true,
      });
      expect(lines[0]).to.match(/^dry run: program:create .* \| would succeed \| gas estimate \d+ \| nothing sent$/);
      expect(await programs.programCount()).to.equal(1n);
    });

    const bad: [TaskArgs, RegExp][] = [
      [{ budget: "1,5" }, /^--budget "1,5" contains a comma/],
      [{ budget: "0" }, /^--budget "0" must be greater than zero$/],
      [{ allowance: "1.001" }, /^--allowance "1.001" has more than 2 decimals/],
      [{ allowance: "2814749767106.56" }, /^--allowance "2814749767106.56" is above the maximum of 2814749767106.55$/],
      [{ period: "fortnight" }, /^--period "fortnight" is not a period; use one of day, week, month, whole$/],
      [{ expiryDays: "0" }, /^--expiry-days "0" must be a whole number from 1 to 36500$/],
      [{ start: "2026-02-30" }, /^--start "2026-02-30" is not a calendar date$/],
      [{ start: "yesterday" }, /^--start "yesterday" is not "now", a date YYYY-MM-DD/],
      [
        { start: "2001-01-01", expiryDays: "10" },
        /^--start plus --expiry-days ends at 2001-01-10T19:00:00Z, which is past$/,
      ],
      [{ start: "2106-01-01" }, /^expiry 2106-03-31T19:00:00Z is after 2106-02-07T06:28:15Z$/],
      [
        { budget: "150001" },
        /^cannot create a program: --from #11 \(0x[0-9a-fA-F]{40}\) has only 100000\.00 KZT available$/,
      ],
      [{ from: OUTSIDER }, /^--from #12 \(0x[0-9a-fA-F]{40}\) is not onboarded$/],
    ];
    for (const [override, message] of bad) {
      it(`refuses ${JSON.stringify(override)} in one line without sending`, async function () {
        const args = { budget: "100", allowance: "10", period: "day", expiryDays: "90", start: "now", from: CITY };
        const actor = override.from === OUTSIDER ? ctx.users.outsider : ctx.city;
        await refused("program:create", { ...args, ...override }, actor, message);
      });
    }

    it("refuses a tier-limited funder above its daily limit, and while the tenge is paused", async function () {
      const { tenge, roles, users } = ctx;
      await tenge.connect(roles.desk).setTierLimits(1, kzt("1000000"), 0n);
      const args = { allowance: "10", period: "day", expiryDays: "9", start: "now", from: ALICE };
      await refused(
        "program:create",
        { ...args, budget: "1" },
        users.alice,
        /^cannot create a program: --from #7 \(0x[0-9a-fA-F]{40}\) may pay only 0\.00 KZT more today \(tier 1 daily limit\)$/,
      );
      await tenge.connect(roles.pauser).pause();
      await refused(
        "program:create",
        { ...args, budget: "1", from: CITY },
        ctx.city,
        /^cannot create a program: the token is paused/,
      );
    });
  });

  describe("program:fund", function () {
    it("adds to the budget; refuses another funder, a closed program and an unknown one", async function () {
      const { programs, city, users } = ctx;
      const lines = await run("program:fund", { program: "1", amount: "500", from: CITY });
      expect(lines[0]).to.match(/^program:fund 500\.00 KZT to program 1/);
      expect((await programs.programOf(1)).budget).to.equal(kzt("50500"));
      await refused(
        "program:fund",
        { program: "1", amount: "5", from: ALICE },
        users.alice,
        new RegExp(`^--from #7 \\(${users.alice.address}\\) is not program 1's funder \\(${city.address}\\)$`),
      );
      await refused(
        "program:fund",
        { program: "3", amount: "5", from: CITY },
        city,
        /^--program 3: no such program \(ids 1-1\)$/,
      );
      await programs.connect(city).close(1);
      await refused(
        "program:fund",
        { program: "1", amount: "5", from: CITY },
        city,
        /^cannot fund: program 1 is closed$/,
      );
    });

    it("refuses an expired program", async function () {
      const { city, terms } = ctx;
      await time.increaseTo(terms.expiry);
      await refused(
        "program:fund",
        { program: "1", amount: "5", from: CITY },
        city,
        /^cannot fund: program 1 expired at .*; it can only be closed$/,
      );
    });
  });

  describe("program:add-merchants", function () {
    it("adds canteens from a CSV after checking each in the tenge", async function () {
      const { programs, tenge, banks } = ctx;
      const canteens = [0, 1, 2].map((i) => new Wallet(id(`task canteen ${i}`)).address);
      await tenge.connect(banks.bankA).onboardBatch(canteens, 3);
      const file = csv("canteens.csv", `address\n${canteens.join("\n")}\n`);
      const lines = await run("program:add-merchants", { program: "1", file, from: DESK, chunk: "2" });
      expect(lines.filter((l) => l.startsWith("add-merchants "))).to.have.length(2);
      expect(lines.at(-1)).to.match(/3\/3 merchants added$/);
      for (const c of canteens) expect(await programs.isMerchant(1, c)).to.equal(true);
    });

    it("refuses the whole file, listing the bad lines, when any canteen could not be paid", async function () {
      const { tenge, roles, canteens, operator, users } = ctx;
      await tenge.connect(roles.compliance).freeze(users.carol, id("x"));
      const stranger = new Wallet(id("stranger")).address;
      const file = csv("bad.csv", `${canteens.canteen1}\n${stranger}\n${users.carol.address}\n`);
      const text = await refused(
        "program:add-merchants",
        { program: "1", file, from: DESK, chunk: "200" },
        operator,
        /^cannot add merchants: 3 problems in 3 rows; nothing was sent:/,
        true,
      );
      expect(text).to.contain(`line 1: ${canteens.canteen1} is already a merchant of program 1`);
      expect(text).to.contain(`line 2: ${stranger} is not onboarded in the tenge, so could not be paid`);
      expect(text).to.contain(`line 3: ${users.carol.address} is frozen in the tenge, so could not be paid`);
    });

    it("refuses a signer without OPERATOR_ROLE", async function () {
      const { users } = ctx;
      const file = csv("one.csv", `${users.carol.address}\n`);
      await refused(
        "program:add-merchants",
        { program: "1", file, from: OUTSIDER, chunk: "200" },
        users.outsider,
        /^--from #12 \(0x[0-9a-fA-F]{40}\) does not hold OPERATOR_ROLE on 0x[0-9a-fA-F]{40}$/,
      );
    });
  });

  describe("program:enrol", function () {
    it("enrols 250 children with card commitments in chunks behind a progress bar", async function () {
      const { programs } = ctx;
      const kids = Array.from({ length: 250 }, (_, i) => new Wallet(id(`task child ${i}`)).address);
      const salt = id("kazpost salt");
      const rows = kids.map((k, i) => `${k},${cardCommitment(`96431045${String(i).padStart(8, "0")}`, salt)}`);
      const file = csv("children.csv", `address,card_commitment\n# term 1\n${rows.join("\n")}\n`);
      const lines = await run("program:enrol", { program: "1", file, from: DESK, chunk: "100" });
      const txLines = lines.filter((l) => l.startsWith("enrol "));
      expect(txLines).to.have.length(3);
      expect(txLines[2]).to.match(TX);
      expect(txLines[2]).to.match(/250\/250 enrolled$/);
      expect((await programs.programOf(1)).beneficiaries).to.equal(252n);
      const last = await programs.beneficiaryOf(1, kids[249]);
      expect([last.enrolled, last.cardCommitment]).to.deep.equal([true, cardCommitment("9643104500000249", salt)]);
    });

    it("enrols wallets without commitments, and resumes from --start-line", async function () {
      const { programs, kids } = ctx;
      const others = [1, 2].map((i) => new Wallet(id(`resume child ${i}`)).address);
      const file = csv("resume.csv", `${kids.kid1.address}\n${others[0]}\n${others[1]}\n`);
      await run("program:enrol", { program: "1", file, from: DESK, chunk: "200", startLine: "2" });
      expect((await programs.beneficiaryOf(1, others[1])).enrolled).to.equal(true);
      expect((await programs.beneficiaryOf(1, others[1])).cardCommitment).to.equal(ZeroHash);
    });

    it("refuses a file with card numbers, bad addresses or duplicates, before reading the chain", async function () {
      const { operator } = ctx;
      const a = new Wallet(id("a")).address;
      const file = csv("bad-children.csv", `${a},9643104512345678\n0x12\n${a}\n${a},0x1234\n${a}\n`);
      const text = await refused(
        "program:enrol",
        { program: "1", file, from: DESK, chunk: "200" },
        operator,
        /^bad-children\.csv has 4 problems:/,
        true,
      );
      expect(text).to.contain(
        "line 1: card_commitment looks like a card number; only salted hashes (0x + 64 hex) may go on chain",
      );
      expect(text).to.contain('line 2: address "0x12" is not an address');
      expect(text).to.contain('line 4: card_commitment "0x1234" is not a non-zero 0x-prefixed 32-byte hex');
      expect(text).to.contain(`line 5: duplicate address ${a} (first on line 3)`);
    });

    it("refuses wallets already enrolled, naming their lines", async function () {
      const { kids, operator } = ctx;
      const file = csv("again.csv", `${kids.kid2.address}\n${kids.kid3.address}\n`);
      const text = await refused(
        "program:enrol",
        { program: "1", file, from: DESK, chunk: "200" },
        operator,
        /^cannot enrol: 1 problem in 2 rows; nothing was sent: line 1: /,
      );
      expect(text).to.contain(`line 1: ${kids.kid2.address} is already enrolled in program 1`);
    });

    it("simulates only with --dry-run", async function () {
      const { programs, kids } = ctx;
      const file = csv("dry.csv", `${kids.kid3.address}\n`);
      const lines = await run("program:enrol", { program: "1", file, from: DESK, chunk: "200", dryRun: true });
      expect(lines.at(-1)).to.match(/^dry run: enrol 1\/1: 1 beneficiaries in program 1 \| would succeed/);
      expect((await programs.beneficiaryOf(1, kids.kid3)).enrolled).to.equal(false);
    });
  });

  describe("program:top-up", function () {
    it("adds extra allowance from an address,amount CSV; refuses a wallet not enrolled", async function () {
      const { programs, kids, operator } = ctx;
      const file = csv("topup.csv", `address,amount\n${kids.kid1.address},150.50\n${kids.kid2.address},20\n`);
      const lines = await run("program:top-up", { program: "1", file, from: DESK, chunk: "200" });
      expect(lines.at(-1)).to.match(/topped up 170\.50 KZT for 2 rows$/);
      expect((await programs.beneficiaryOf(1, kids.kid1)).extra).to.equal(kzt("150.5"));
      const bad = csv("topup-bad.csv", `${kids.kid3.address},1\n`);
      await refused(
        "program:top-up",
        { program: "1", file: bad, from: DESK, chunk: "200" },
        operator,
        /^cannot top up: 1 problem in 1 row; nothing was sent: line 1: 0x[0-9a-fA-F]{40} is not enrolled in program 1$/,
      );
    });
  });

  describe("program:spend", function () {
    it("pays a canteen directly, or on the child's signature relayed by the terminal", async function () {
      const { tenge, kids, canteens, users } = ctx;
      const direct = await run("program:spend", {
        program: "1",
        merchant: canteens.canteen1,
        amount: "450",
        from: KID1,
        validMinutes: "10",
      });
      expect(direct[0]).to.match(
        new RegExp(`^program:spend 450\\.00 KZT from program 1 by ${kids.kid1.address} to ${canteens.canteen1}`),
      );
      expect(direct[0]).to.match(/may spend 750\.00 KZT more; merchant balance 450\.00 KZT$/);
      const relayerNonce = await users.relayer.getNonce();
      const kidNonce = await kids.kid1.getNonce();
      const signed = await run("program:spend", {
        program: "1",
        merchant: canteens.canteen1,
        amount: "750",
        from: KID1,
        relayer: RELAYER,
        validMinutes: "10",
      });
      expect(signed[0]).to.match(/\(signed, relayed by 0x[0-9a-fA-F]{40}\)/);
      expect(await users.relayer.getNonce()).to.equal(relayerNonce + 1);
      expect(await kids.kid1.getNonce(), "the child sent nothing").to.equal(kidNonce);
      expect(await tenge.balanceOf(canteens.canteen1)).to.equal(kzt("1200"));
    });

    it("refuses what the contract would refuse, naming the reason, without sending", async function () {
      const { kids, canteens, users, tenge, roles } = ctx;
      const args = { program: "1", merchant: canteens.canteen1, amount: "1200.01", from: KID1, validMinutes: "10" };
      await refused(
        "program:spend",
        args,
        kids.kid1,
        /^1200\.01 KZT exceeds what 0x[0-9a-fA-F]{40} may spend now: 1200\.00 KZT \(1200\.00 KZT left this day, 0\.00 KZT top-ups\)$/,
      );
      await refused(
        "program:spend",
        { ...args, amount: "1", merchant: users.alice.address },
        kids.kid1,
        /is not an eligible merchant of program 1$/,
      );
      await refused("program:spend", { ...args, amount: "1", from: KID3 }, kids.kid3, /is not enrolled in program 1$/);
      await tenge.connect(roles.compliance).freeze(canteens.canteen1, id("x"));
      await refused("program:spend", { ...args, amount: "1" }, kids.kid1, /is frozen in the tenge$/);
    });

    it("refuses before the start and after the expiry", async function () {
      const { kids, canteens, terms } = ctx;
      await time.increaseTo(terms.expiry);
      await refused(
        "program:spend",
        { program: "1", merchant: canteens.canteen1, amount: "1", from: KID1, validMinutes: "10" },
        kids.kid1,
        /^program 1 is expired; nothing can be spent$/,
      );
    });
  });

  describe("program:close", function () {
    it("lets the funder close early and anyone after expiry; refuses others before", async function () {
      const { tenge, city, users, terms, programs } = ctx;
      await refused(
        "program:close",
        { program: "1", from: OUTSIDER },
        users.outsider,
        /^--from #12 \(0x[0-9a-fA-F]{40}\) may not close program 1 before its expiry at .*: only its funder 0x[0-9a-fA-F]{40} may$/,
      );
      await time.increaseTo(terms.expiry);
      const before = await tenge.balanceOf(city);
      const lines = await run("program:close", { program: "1", from: OUTSIDER });
      expect(lines[0]).to.match(/^program:close 1, returning 50000\.00 KZT to /);
      expect(lines[0]).to.match(/program 1 closed: .* returned 50000\.00 KZT, earmarked 0\.00 KZT$/);
      expect(await tenge.balanceOf(city)).to.equal(before + kzt("50000"));
      await refused(
        "program:close",
        { program: "1", from: CITY },
        city,
        /^program 1 is already closed \(returned 50000\.00 KZT\)$/,
      );
      expect((await programs.programOf(1)).status).to.equal(STATUS.closed);
    });

    it("refuses when the funder could not receive the unspent budget", async function () {
      const { tenge, roles, city } = ctx;
      await tenge.connect(roles.compliance).freeze(city, id("x"));
      await refused(
        "program:close",
        { program: "1", from: CITY },
        city,
        /cannot receive the unspent 50000\.00 KZT \(frozen\); the central bank's admin can re-point the program with setFunder$/,
      );
    });
  });

  describe("program:report and program:beneficiary", function () {
    it("print every program's figures and the invariants as held", async function () {
      const { programs, kids, canteens } = ctx;
      await programs.connect(kids.kid1).spend(1, canteens.canteen1, kzt("1000"));
      const lines = await run("program:report");
      const text = lines.join("\n");
      expect(text).to.contain("program 1 active:");
      expect(text).to.contain("budget 50000.00 KZT, spent 1000.00 KZT, returned 0.00 KZT, earmarked 49000.00 KZT");
      expect(text).to.contain(
        "total: budget 50000.00 KZT, spent 1000.00 KZT, returned 0.00 KZT, earmarked 49000.00 KZT; escrow holds 49000.00 KZT",
      );
      expect(text).to.match(/held {3}every program: budget == spent \+ returned \+ earmarked: 1 programs/);
      expect(text).to.match(/held {3}escrow's tenge balance covers Σ earmarked/);
      const one = await run("program:beneficiary", { program: "1", account: kids.kid1.address });
      expect(one[0]).to.match(
        /enrolled yes, spent this day 1000\.00 KZT, left this day 200\.00 KZT, top-ups 0\.00 KZT, available 200\.00 KZT, next signature nonce 0/,
      );
    });

    it("reports BROKEN and fails when the escrow holds less than is earmarked (a seizure from it)", async function () {
      const { tenge, programs, roles, users } = ctx;
      await tenge.connect(roles.enforcement).seize(programs, users.treasury, kzt("1"), id("court"));
      let caught: unknown;
      const { log } = console;
      const printed: string[] = [];
      console.log = (...parts: unknown[]) => void printed.push(parts.map(String).join(" "));
      try {
        await hre.run("program:report");
      } catch (error) {
        caught = error;
      } finally {
        console.log = log;
      }
      expect(printed.join("\n")).to.match(/BROKEN escrow's tenge balance covers Σ earmarked/);
      expect((caught as Error).message).to.match(/^invariant broken: escrow's tenge balance covers/);
      const report = await programsReport(programs, tenge);
      expect(report.invariants.map((i) => i.held)).to.deep.equal([true, false]);
      // put it back so the afterEach invariant holds
      await tenge.connect(roles.enforcement).seize(users.treasury, programs, kzt("1"), id("court"));
    });
  });

  describe("scripts/lib/programs.ts helpers", function () {
    it("parsePeriod, parseStart and encodeTerms", function () {
      expect(PERIODS.map((p) => parsePeriod(p.toUpperCase()))).to.deep.equal([0, 1, 2, 3]);
      expect(parseStart("now", 123n)).to.equal(123n);
      expect(parseStart("2026-09-01", 0n)).to.equal(BigInt(Date.UTC(2026, 8, 1) / 1000) - 5n * 3600n);
      expect(parseStart("1800000000", 0n)).to.equal(1_800_000_000n);
      expect(ethers.dataLength(encodeTerms({ allowance: 1n, period: 0, start: 0n, expiry: 2n }))).to.equal(128);
    });

    it("cardCommitment is keccak256(salt ‖ card number) and refuses a weak salt", function () {
      const salt = id("salt");
      expect(cardCommitment("9643", salt)).to.equal(keccak256(concat([getBytes(salt), toUtf8Bytes("9643")])));
      expect(() => cardCommitment("9643", ZeroHash)).to.throw(
        "card salt must be a non-zero 0x-prefixed 32-byte hex secret",
      );
      expect(() => cardCommitment("", salt)).to.throw("card number is empty");
    });

    it("parseEnrolCsv skips headers, comments and blank lines and refuses an empty file", function () {
      const a = new Wallet(id("a")).address;
      expect(parseEnrolCsv(`\uFEFFaddress\r\n\r\n# x\n${a.toLowerCase()}\n`)).to.deep.equal([
        { line: 4, address: a, cardCommitment: ZeroHash },
      ]);
      expect(() => parseEnrolCsv("# nothing\n", { source: "empty.csv" })).to.throw(CsvError, /no rows/);
      expect(() => parseEnrolCsv(`${a},${id("c")},extra\n`)).to.throw(/expected address or address,card_commitment/);
    });
  });

  describe("on the command line", function () {
    it("prints exactly one line on stderr and exits 1 for bad input", function () {
      this.timeout(120_000);
      const cli = require.resolve("hardhat/internal/cli/bootstrap");
      const result = spawnSync(
        process.execPath,
        [cli, "program:create", "--budget", "12.345", "--allowance", "1", "--expiry-days", "9", "--from", CITY],
        {
          cwd: hre.config.paths.root,
          encoding: "utf8",
          env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
        },
      );
      expect(result.status).to.equal(1);
      expect(result.stderr.trim().split("\n")).to.deep.equal([
        'Error: --budget "12.345" has more than 2 decimals (1 tenge = 100 tiyn)',
      ]);
    });
  });
});
