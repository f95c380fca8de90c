import { expect } from "chai";
import { MAX_SUPPLY_TIYN, MAX_TIER_LIMIT_TIYN, formatTenge, kztText, parseTenge } from "../../scripts/lib/amounts";

describe("amounts", function () {
  describe("parseTenge", function () {
    const good: [string, bigint][] = [
      ["1500", 150000n],
      ["1500.25", 150025n],
      ["1500.2", 150020n],
      ["0.01", 1n],
      ["0.1", 10n],
      ["0.10", 10n],
      ["1", 100n],
      ["10", 1000n],
      ["184467440737095516.15", MAX_SUPPLY_TIYN],
      ["12345678901234.99", 1234567890123499n],
    ];
    for (const [text, tiyn] of good) {
      it(`parses "${text}" as ${tiyn} tiyn`, function () {
        expect(parseTenge(text)).to.equal(tiyn);
      });
    }

    it("parses amounts a float would round, exactly", function () {
      // 0.1 + 0.2 and 2^53 + 1 are where Number-based parsing goes wrong.
      expect(parseTenge("0.29")).to.equal(29n);
      expect(parseTenge("90071992547409.93")).to.equal(9007199254740993n);
    });

    const bad: [string, RegExp][] = [
      ["", /^amount is empty$/],
      ["1.234", /^amount "1\.234" has more than 2 decimals \(1 tenge = 100 tiyn\)$/],
      ["0.001", /has more than 2 decimals/],
      ["-5", /^amount "-5" must not have a sign$/],
      ["+5", /must not have a sign/],
      ["-0.01", /must not have a sign/],
      ["1e3", /must not use an exponent/],
      ["1E+3", /must not use an exponent/],
      ["1.5e2", /must not use an exponent/],
      ["1,500", /contains a comma/],
      ["1,5", /contains a comma/],
      ["1 500", /thousands separators or spaces/],
      ["1_500", /thousands separators/],
      ["1'500", /thousands separators/],
      [" 5", /leading or trailing spaces/],
      ["5 ", /leading or trailing spaces/],
      ["\t5", /leading or trailing spaces/],
      [".5", /needs a digit before the decimal point/],
      ["5.", /needs digits after the decimal point/],
      ["1.2.3", /is not a decimal number/],
      ["abc", /is not a decimal number/],
      ["5 KZT", /spaces/],
      ["5KZT", /is not a decimal number/],
      ["0x10", /hex is not accepted/],
      ["NaN", /is not a decimal number/],
      ["Infinity", /is not a decimal number/],
      ["007", /has leading zeros/],
      ["00.50", /has leading zeros/],
      ["٣", /is not a decimal number/],
      ["0", /^amount "0" must be greater than zero$/],
      ["0.00", /must be greater than zero/],
      ["184467440737095516.16", /is above the maximum of 184467440737095516\.15/],
    ];
    for (const [text, message] of bad) {
      it(`rejects ${JSON.stringify(text)}`, function () {
        expect(() => parseTenge(text)).to.throw(Error, message);
      });
    }

    it("names the input with its label", function () {
      expect(() => parseTenge("1.234", { label: "--amount" })).to.throw(
        '--amount "1.234" has more than 2 decimals (1 tenge = 100 tiyn)',
      );
    });

    it("accepts zero only when allowed", function () {
      expect(parseTenge("0", { allowZero: true })).to.equal(0n);
      expect(parseTenge("0.00", { allowZero: true })).to.equal(0n);
    });

    it("requires whole tenge when asked", function () {
      expect(parseTenge("150000", { whole: true })).to.equal(15_000_000n);
      expect(() => parseTenge("1.50", { whole: true })).to.throw(/must be a whole number of tenge/);
    });

    it("enforces a custom maximum", function () {
      expect(parseTenge("2147483647", { max: MAX_TIER_LIMIT_TIYN })).to.equal(MAX_TIER_LIMIT_TIYN);
      expect(() => parseTenge("2147483648", { max: MAX_TIER_LIMIT_TIYN })).to.throw(
        /above the maximum of 2147483647\.00/,
      );
    });

    it("produces one-line messages", function () {
      for (const text of ["1.234", "-1", "1e5", "1,5", "", "x\ny"]) {
        try {
          parseTenge(text);
          expect.fail(`"${text}" was accepted`);
        } catch (error) {
          expect((error as Error).message.split("\n")[0]).to.match(/^amount /);
        }
      }
    });
  });

  describe("formatTenge", function () {
    const cases: [bigint, string][] = [
      [150025n, "1500.25"],
      [150000n, "1500.00"],
      [1n, "0.01"],
      [10n, "0.10"],
      [0n, "0.00"],
      [-300n, "-3.00"],
      [-1n, "-0.01"],
      [MAX_SUPPLY_TIYN, "184467440737095516.15"],
      [-(MAX_SUPPLY_TIYN * 2n), "-368934881474191032.30"],
    ];
    for (const [tiyn, text] of cases) {
      it(`formats ${tiyn} tiyn as "${text}"`, function () {
        expect(formatTenge(tiyn)).to.equal(text);
      });
    }

    it("round-trips with parseTenge", function () {
      for (const text of ["0.01", "1.00", "1500.25", "99999999.99"]) {
        expect(formatTenge(parseTenge(text))).to.equal(text);
      }
    });

    it("adds the currency code in kztText", function () {
      expect(kztText(150025n)).to.equal("1500.25 KZT");
    });
  });
});
