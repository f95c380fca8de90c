import { expect } from "chai";
import { Interface, Wallet, ZeroAddress, dataLength, dataSlice, getAddress, id, toBeHex } from "ethers";
import type { Log } from "ethers";
import {
  HALF_ORDER,
  OFFLINE_RECORD_SIZE,
  QR_PREFIX,
  checkOfflineFields,
  decodeOfflineQr,
  encodeOfflineBatch,
  encodeOfflineQr,
  encodeOfflineRecord,
  formatResultTable,
  offlineDomain,
  parseOfflineFile,
  parseOfflineSettlement,
  resultRows,
  signOfflinePayment,
  verifyOfflinePayment,
} from "../../scripts/lib/offline";
import type { OfflinePayment, SignedOfflinePayment } from "../../scripts/lib/offline";
import { TengeOffline__factory } from "../../typechain-types";

/* Pure TypeScript: no chain. The contract's side of the format is exercised by the settlement tests. */

const TOKEN = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const DOMAIN = offlineDomain(31337n, TOKEN);
const payer = new Wallet(id("lib test payer"));
const merchant = getAddress("0x90f79bf6eb2c4f870365e785982e1f101e93b906");

function fields(overrides: Partial<OfflinePayment> = {}): OfflinePayment {
  return {
    payee: merchant,
    amount: 150_025n,
    validAfter: 1_000n,
    validBefore: 2_000_000_000n,
    nonce: 42n,
    fromPurse: false,
    ...overrides,
  };
}

function base64urlOf(hex: string): string {
  return Buffer.from(hex.slice(2), "hex").toString("base64").replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

describe("offline payments library (scripts/lib/offline.ts)", function () {
  let signed: SignedOfflinePayment;

  before(async function () {
    signed = await signOfflinePayment(payer, DOMAIN, fields());
  });

  describe("checkOfflineFields", function () {
    it("accepts the widest values a record carries", function () {
      checkOfflineFields(
        fields({ amount: 2n ** 64n - 1n, validAfter: 0n, validBefore: 2n ** 40n - 1n, nonce: 2n ** 32n - 1n }),
      );
    });

    for (const [name, overrides, message] of [
      ["a zero payee", { payee: ZeroAddress }, /payee .* is not a non-zero address/],
      ["a malformed payee", { payee: "0x12" }, /payee "0x12" is not a non-zero address/],
      ["a zero amount", { amount: 0n }, /amount 0 tiyn is not between 0.01 and/],
      ["an amount above 2^64 - 1", { amount: 2n ** 64n }, /amount 18446744073709551616 tiyn/],
      ["a time above 2^40 - 1", { validBefore: 2n ** 40n }, /validBefore 1099511627776 is not a Unix time below 2\^40/],
      ["a negative time", { validAfter: -1n }, /validAfter -1 is not a Unix time/],
      [
        "validAfter not before validBefore",
        { validAfter: 5n, validBefore: 5n },
        /validAfter 5 is not before validBefore 5/,
      ],
      ["a nonce above 2^32 - 1", { nonce: 2n ** 32n }, /nonce 4294967296 is not between 0 and 4294967295/],
      ["a negative nonce", { nonce: -1n }, /nonce -1 is not between/],
      ["nonce 255", { nonce: 255n }, /nonce 255 is never usable/],
    ] as const) {
      it(`refuses ${name}`, function () {
        expect(() => checkOfflineFields(fields(overrides))).to.throw(message);
      });
    }
  });

  describe("records and batches", function () {
    it("packs a record as the contract reads it: 87 bytes, big-endian, no padding", function () {
      const record = encodeOfflineRecord(signed);
      expect(dataLength(record)).to.equal(OFFLINE_RECORD_SIZE);
      expect(dataSlice(record, 0, 8)).to.equal(toBeHex(150_025n, 8));
      expect(dataSlice(record, 8, 13)).to.equal(toBeHex(1_000n, 5));
      expect(dataSlice(record, 13, 18)).to.equal(toBeHex(2_000_000_000n, 5));
      expect(dataSlice(record, 18, 22)).to.equal(toBeHex(42n, 4));
      expect(dataSlice(record, 22, 23)).to.equal("0x00");
      expect(dataSlice(record, 23, 55)).to.equal(signed.signature.r);
      expect(dataSlice(record, 55, 87)).to.equal(signed.signature.yParityAndS);
    });

    it("marks purse payments with 0x01", async function () {
      const p = await signOfflinePayment(payer, DOMAIN, fields({ fromPurse: true }));
      expect(dataSlice(encodeOfflineRecord(p), 22, 23)).to.equal("0x01");
    });

    it("a batch is the records back to back; it needs one payee and at least one payment", async function () {
      const other = await signOfflinePayment(payer, DOMAIN, fields({ nonce: 43n }));
      const batch = encodeOfflineBatch([signed, other]);
      expect(dataLength(batch)).to.equal(2 * OFFLINE_RECORD_SIZE);
      expect(dataSlice(batch, OFFLINE_RECORD_SIZE)).to.equal(encodeOfflineRecord(other));
      expect(() => encodeOfflineBatch([])).to.throw("a batch needs at least one payment");
      const elsewhere = await signOfflinePayment(payer, DOMAIN, fields({ payee: TOKEN }));
      expect(() => encodeOfflineBatch([signed, elsewhere])).to.throw(/payment 1 is to .* not to the batch's payee/);
    });
  });

  describe("QR strings", function () {
    it("round-trips: prefix dtop1:, 170 base64url characters, every field back", function () {
      const qr = encodeOfflineQr(signed);
      expect(qr.startsWith(QR_PREFIX)).to.equal(true);
      expect(qr).to.have.length(QR_PREFIX.length + 170);
      expect(qr.slice(QR_PREFIX.length)).to.match(/^[A-Za-z0-9_-]+$/);
      expect(decodeOfflineQr(`  ${qr}\n`)).to.deep.equal(signed);
    });

    it("refuses another prefix, a non-base64url body, a wrong length, a bad fromPurse byte and bad fields", function () {
      const qr = encodeOfflineQr(signed);
      expect(() => decodeOfflineQr(qr.replace("dtop1:", "dtop2:"))).to.throw(/expected the prefix "dtop1:"/);
      expect(() => decodeOfflineQr(`${qr.slice(0, -1)}+`)).to.throw(/not base64url/);
      expect(() => decodeOfflineQr(qr.slice(0, -4))).to.throw(/bytes after decoding, expected 127/);
      const payload = `0x${Buffer.from(
        qr.slice(QR_PREFIX.length).replace(/-/g, "+").replace(/_/g, "/"),
        "base64",
      ).toString("hex")}`;
      const withFlag = (flag: string) => `${payload.slice(0, 2 + 2 * 62)}${flag}${payload.slice(2 + 2 * 63)}`;
      expect(() => decodeOfflineQr(QR_PREFIX + base64urlOf(withFlag("02")))).to.throw(/fromPurse byte is 2/);
      const withNonce = `${payload.slice(0, 2 + 2 * 58)}000000ff${payload.slice(2 + 2 * 62)}`;
      expect(() => decodeOfflineQr(QR_PREFIX + base64urlOf(withNonce))).to.throw(/nonce 255 is never usable/);
    });
  });

  describe("verifyOfflinePayment (no network)", function () {
    it("accepts the payer's signature for this token and chain, to this payee, inside its window", function () {
      expect(verifyOfflinePayment(signed, DOMAIN, { payee: merchant, now: 5_000n })).to.deep.equal({
        ok: true,
        signer: payer.address,
        problems: [],
      });
    });

    it("refuses a tampered payment, another chain, another token and a claimed payer that did not sign", function () {
      const tampered = verifyOfflinePayment({ ...signed, amount: 1n }, DOMAIN);
      expect(tampered.ok).to.equal(false);
      expect(tampered.problems[0]).to.match(/signature is not the payer's: it recovers to 0x[0-9a-fA-F]{40}, not/);
      expect(verifyOfflinePayment(signed, offlineDomain(56n, TOKEN)).ok).to.equal(false);
      expect(verifyOfflinePayment(signed, offlineDomain(31337n, merchant)).ok).to.equal(false);
      expect(verifyOfflinePayment({ ...signed, payer: merchant }, DOMAIN).problems).to.have.length(1);
    });

    it("refuses high s (the malleable twin), s = 0 and a signature that recovers to nothing", function () {
      for (const yParityAndS of [toBeHex(HALF_ORDER + 1n, 32), toBeHex(0n, 32)]) {
        const result = verifyOfflinePayment({ ...signed, signature: { ...signed.signature, yParityAndS } }, DOMAIN);
        expect(result.problems).to.deep.equal([
          "signature is malleable or malformed (s is zero or in the upper half of the curve order)",
        ]);
      }
      const nothing = verifyOfflinePayment(
        { ...signed, signature: { r: toBeHex(0n, 32), yParityAndS: toBeHex(1n, 32) } },
        DOMAIN,
      );
      expect(nothing.ok).to.equal(false);
      expect(nothing.signer).to.equal(ZeroAddress);
    });

    it("reports the payee and the window when the terminal gives them, every problem at once", function () {
      const result = verifyOfflinePayment({ ...signed, amount: 0n }, DOMAIN, { payee: TOKEN, now: 1_000n });
      expect(result.ok).to.equal(false);
      expect(result.problems.some((p) => /amount 0 tiyn/.test(p))).to.equal(true);
      expect(result.problems.some((p) => /payment is to .* not to/.test(p))).to.equal(true);
      expect(result.problems).to.include("not valid yet (valid after 1000)");
      expect(verifyOfflinePayment(signed, DOMAIN, { now: 2_000_000_000n }).problems).to.deep.equal([
        "expired (valid before 2000000000)",
      ]);
    });
  });

  describe("files and results", function () {
    it("reads QR strings one per line, skipping blanks, comments, a BOM and CRs", async function () {
      const other = await signOfflinePayment(payer, DOMAIN, fields({ nonce: 7n }));
      const text = `\uFEFF# terminal 7\r\n${encodeOfflineQr(signed)}\r\n\r\n  ${encodeOfflineQr(other)}  \n`;
      const rows = parseOfflineFile(text, "t.txt", merchant, DOMAIN);
      expect(rows.map((r) => [r.line, r.payment.nonce])).to.deep.equal([
        [2, 42n],
        [4, 7n],
      ]);
    });

    it("lists every bad line in one error and refuses a file without payments", function () {
      const text = ["x", encodeOfflineQr(signed), encodeOfflineQr({ ...signed, nonce: 1n })].join("\n");
      expect(() => parseOfflineFile(text, "t.txt", merchant, DOMAIN)).to.throw(
        /t.txt has 2 problems:\n {2}line 1: .*\n {2}line 3: /,
      );
      expect(() => parseOfflineFile("# none\n", "t.txt", merchant, DOMAIN)).to.throw("t.txt holds no payments");
    });

    it("reads a settlement from logs and formats a result table", function () {
      const iface = TengeOffline__factory.createInterface();
      const log = (name: "OfflinePaymentFailed" | "OfflineBatchSettled", args: unknown[]): Log => {
        const fragment = iface.getEvent(name);
        if (fragment === null) throw new Error(name);
        const encoded = iface.encodeEventLog(fragment, args);
        return { topics: encoded.topics, data: encoded.data } as unknown as Log;
      };
      const foreign = new Interface(["event Other(uint256 x)"]);
      const other = foreign.encodeEventLog(foreign.getEvent("Other") ?? "", [1n]);
      const logs = [
        { topics: other.topics, data: other.data } as unknown as Log,
        log("OfflinePaymentFailed", [merchant, 1n, payer.address, 7n, 6n]),
        log("OfflineBatchSettled", [merchant, 1n, 1n, 150_025n]),
      ];
      const settlement = parseOfflineSettlement(logs, iface);
      expect(settlement).to.deep.equal({
        payee: merchant,
        settled: 1,
        total: 150_025n,
        failed: [{ index: 1, payer: payer.address, nonce: 7n, reason: "InsufficientFunds" }],
      });
      expect(() => parseOfflineSettlement(logs.slice(0, 2), iface)).to.throw("no OfflineBatchSettled event");
      const rows = resultRows(
        [
          { line: 3, payment: signed },
          { line: 9, payment: { ...signed, nonce: 7n, fromPurse: true } },
        ],
        settlement,
      );
      const table = formatResultTable(rows);
      expect(table[0]).to.match(/^line +payer +nonce +amount KZT +from +result$/);
      expect(table[1]).to.match(/^3 +0x[0-9a-fA-F]{40} +42 +1500.25 +balance +settled$/);
      expect(table[2]).to.match(/^9 .* 7 +1500.25 +purse +FAILED InsufficientFunds: insufficient funds$/);
    });
  });
});
