import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  CsvError,
  MAX_LISTED_PROBLEMS,
  ProblemsError,
  parseAddressCsv,
  parseMintCsv,
  readTextFile,
} from "../../scripts/lib/csv";

const DATA = join(__dirname, "data");
const ALICE = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
const BOB = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
const MERCHANT = "0x71bE63f3384f5fb98995898A86B02Fb2426c5788";

/** The CsvError `fn` throws; fails the test when it throws nothing or something else. */
function csvError(fn: () => unknown): CsvError {
  try {
    fn();
  } catch (error) {
    expect(error).to.be.instanceOf(CsvError);
    expect(error).to.be.instanceOf(ProblemsError);
    return error as CsvError;
  }
  expect.fail("no error thrown");
}

describe("csv", function () {
  describe("parseMintCsv", function () {
    it("reads a file with header, comments, blank lines, CRLF and padded cells", function () {
      const rows = parseMintCsv(readFileSync(join(DATA, "payroll.csv"), "utf8"));
      expect(rows).to.deep.equal([
        { line: 4, address: ALICE, amount: 150025n },
        { line: 5, address: BOB, amount: 1n },
        { line: 8, address: MERCHANT, amount: 2_000_000n },
      ]);
    });

    it("works without a header and keeps file line numbers", function () {
      const rows = parseMintCsv(`\n${ALICE},5\n${BOB},6.5`);
      expect(rows).to.deep.equal([
        { line: 2, address: ALICE, amount: 500n },
        { line: 3, address: BOB, amount: 650n },
      ]);
    });

    it("accepts the header in any case, and a UTF-8 BOM before it (Excel)", function () {
      expect(parseMintCsv(`\uFEFFAddress, Amount\n${ALICE},5`)).to.have.length(1);
    });

    it("treats a header-like line after the first data line as a bad line", function () {
      const error = csvError(() => parseMintCsv(`${ALICE},5\naddress,amount`));
      expect(error.problems).to.deep.equal([
        'line 2: address "address" is not an address',
        'line 2: amount "amount" is not a decimal number of tenge',
      ]);
    });

    it("reports every bad line with its number, listing the first 10 and counting the rest", function () {
      const error = csvError(() =>
        parseMintCsv(readFileSync(join(DATA, "payroll-bad.csv"), "utf8"), { source: "payroll-bad.csv" }),
      );
      expect(error.problems).to.deep.equal([
        'line 2: amount "1.234" has more than 2 decimals (1 tenge = 100 tiyn)',
        'line 3: address "0x12" is not an address',
        'line 4: amount "-5" must not have a sign',
        "line 5: expected 2 comma-separated fields (address,amount), found 3; amounts must not contain thousands separators",
        "line 6: expected 2 comma-separated fields (address,amount), found 1; separate fields with commas",
        'line 7: amount "0" must be greater than zero',
        'line 8: amount "1e3" must not use an exponent; write the digits',
        "line 9: amount is empty",
        'line 10: amount ".5" needs a digit before the decimal point',
        'line 11: amount "abc" is not a decimal number of tenge',
        "line 12: address must not be the zero address",
        `line 13: duplicate address ${ALICE} (first on line 2)`,
      ]);
      const lines = error.message.split("\n");
      expect(lines[0]).to.equal("payroll-bad.csv has 12 problems (first 10 listed):");
      expect(lines).to.have.length(1 + MAX_LISTED_PROBLEMS);
      expect(lines[1]).to.equal('  line 2: amount "1.234" has more than 2 decimals (1 tenge = 100 tiyn)');
    });

    it("rejects duplicate addresses whatever their case, a single problem on one line", function () {
      const error = csvError(() => parseMintCsv(`${ALICE},5\n${BOB},1\n${ALICE.toLowerCase()},2`));
      expect(error.message).to.equal(`CSV has 1 problem: line 3: duplicate address ${ALICE} (first on line 1)`);
    });

    it("reports both cells of a line when both are bad", function () {
      const error = csvError(() => parseMintCsv("0xnope,1.001"));
      expect(error.problems).to.deep.equal([
        'line 1: address "0xnope" is not an address',
        'line 1: amount "1.001" has more than 2 decimals (1 tenge = 100 tiyn)',
      ]);
    });

    for (const [name, text] of [
      ["an empty file", ""],
      ["only a header", "address,amount\n"],
      ["only comments and blank lines", "# nothing\n\n  \n#"],
    ] as const) {
      it(`rejects ${name}`, function () {
        const error = csvError(() => parseMintCsv(text, { source: "empty.csv" }));
        expect(error.message).to.equal("empty.csv has 1 problem: no rows (expected lines of address,amount)");
      });
    }

    it("rejects quoted cells and tab-separated lines", function () {
      expect(csvError(() => parseMintCsv(`"${ALICE}","5"`)).problems[0]).to.match(/^line 1: address ""0x/);
      expect(csvError(() => parseMintCsv(`${ALICE}\t5`)).problems[0]).to.match(/found 1; separate fields with commas/);
    });

    it("rejects trailing comments on data lines (only whole-line comments exist)", function () {
      expect(csvError(() => parseMintCsv(`${ALICE},5 # alice`)).problems[0]).to.match(/spaces/);
    });
  });

  describe("parseAddressCsv", function () {
    it("reads one address per line with an optional header", function () {
      const rows = parseAddressCsv(`address\n# bank A customers\n${ALICE}\n\n${BOB.toLowerCase()}\r\n`);
      expect(rows).to.deep.equal([
        { line: 3, address: ALICE },
        { line: 5, address: BOB },
      ]);
    });

    it("lists bad lines, extra columns and duplicates", function () {
      const error = csvError(() => parseAddressCsv(`${ALICE}\n0x12\n${BOB},5\n${ALICE}`, { source: "wallets.csv" }));
      expect(error.message).to.equal(
        [
          "wallets.csv has 3 problems:",
          '  line 2: address "0x12" is not an address',
          "  line 3: expected 1 comma-separated field (address), found 2",
          `  line 4: duplicate address ${ALICE} (first on line 1)`,
        ].join("\n"),
      );
    });

    it("rejects a file without addresses", function () {
      expect(csvError(() => parseAddressCsv("address\n")).problems).to.deep.equal([
        "no rows (expected one address per line)",
      ]);
    });
  });

  describe("readTextFile", function () {
    it("reads a file", function () {
      expect(readTextFile(join(DATA, "payroll.csv"), "--file")).to.contain("address,amount");
    });

    it("explains a missing file or a directory in one line", function () {
      expect(() => readTextFile(join(DATA, "missing.csv"), "--file")).to.throw(
        /^--file ".*missing\.csv": file does not exist$/,
      );
      expect(() => readTextFile(DATA, "--file")).to.throw(/": file is a directory$/);
    });
  });
});
