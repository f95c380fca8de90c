import { expect } from "chai";
import { ZeroHash, encodeBytes32String } from "ethers";
import {
  barFieldText,
  buyCost,
  encodeBarField,
  formatGrams,
  formatPrice,
  formatTroyOunces,
  parseGrams,
  parsePricePerGram,
  sellProceeds,
} from "../../scripts/lib/gold";
import { parseBarsCsv } from "../../scripts/lib/gold-csv";
import { CsvError } from "../../scripts/lib/csv";

describe("gold tooling library", function () {
  describe("parseGrams", function () {
    it("reads exact grams into mg", function () {
      expect(parseGrams("1.5")).to.equal(1_500n);
      expect(parseGrams("0.001")).to.equal(1n);
      expect(parseGrams("1000")).to.equal(1_000_000n);
      expect(parseGrams("0", { allowZero: true })).to.equal(0n);
    });

    for (const [text, why] of [
      ["", /is empty/],
      [" 1", /leading or trailing spaces/],
      ["-1", /must not have a sign/],
      ["1e3", /exponent/],
      ["1,5", /contains a comma/],
      [".5", /digit before the decimal point/],
      ["5.", /digits after the decimal point/],
      ["abc", /is not a decimal number of grams of fine gold/],
      ["01", /leading zeros/],
      ["0.0001", /more than 3 decimals \(1 mg is the smallest unit\)/],
      ["0", /must be greater than zero/],
    ] as const) {
      it(`refuses "${text}"`, function () {
        expect(() => parseGrams(text, { label: "--grams" })).to.throw(why);
      });
    }

    it("refuses amounts above the maximum", function () {
      expect(() => parseGrams("21", { maxMg: 20_000n })).to.throw(/above the maximum of 20\.000 g/);
    });
  });

  describe("parsePricePerGram", function () {
    it("reads tenge per gram into tiyn per gram", function () {
      expect(parsePricePerGram("52000")).to.equal(5_200_000n);
      expect(parsePricePerGram("52000.05")).to.equal(5_200_005n);
      expect(() => parsePricePerGram("52000.005")).to.throw(/more than 2 decimals/);
      expect(() => parsePricePerGram("184467440737095516.16")).to.throw(/above the maximum/);
    });
  });

  describe("formatting", function () {
    it("formats grams, troy ounces and prices exactly", function () {
      expect(formatGrams(1_500n)).to.equal("1.500 g");
      expect(formatGrams(-1n)).to.equal("-0.001 g");
      expect(formatTroyOunces(31_103_477n)).to.equal("1000.0000 ozt");
      expect(formatTroyOunces(999_900n)).to.equal("32.1475 ozt");
      expect(formatPrice(5_200_005n)).to.equal("52000.05 KZT/g");
    });
  });

  describe("desk arithmetic", function () {
    it("rounds buys up and sales down, the fee always up, as the contract does", function () {
      expect(buyCost(1n, 5_200_001n, 50n)).to.deep.equal({ cost: 5_201n, fee: 27n, total: 5_228n });
      expect(sellProceeds(1n, 5_200_001n, 50n)).to.deep.equal({ gross: 5_200n, fee: 26n, proceeds: 5_174n });
      expect(buyCost(0n, 5_200_000n, 50n)).to.deep.equal({ cost: 0n, fee: 0n, total: 0n });
      expect(sellProceeds(1n, 1_000n, 50n)).to.deep.equal({ gross: 1n, fee: 1n, proceeds: 0n });
    });

    it("never favours the trader over exact rational arithmetic", function () {
      for (let i = 0n; i < 500n; i++) {
        const amount = 1n + ((i * 7919n) % 250_000n);
        const price = 4_000_000n + ((i * 104_729n) % 3_000_000n);
        const fee = (i * 37n) % 1_001n;
        const b = buyCost(amount, price, fee);
        expect(b.total * 10_000_000n >= amount * price * (10_000n + fee)).to.equal(true);
        const s = sellProceeds(amount, price, fee);
        expect(s.proceeds * 10_000_000n <= amount * price * (10_000n - fee)).to.equal(true);
        expect(s.gross - s.fee).to.equal(s.proceeds);
      }
    });
  });

  describe("bar fields", function () {
    it("encodes short strings and 32-byte hex, and shows them back", function () {
      expect(encodeBarField("KZ-1", "serial")).to.equal(encodeBytes32String("KZ-1"));
      const hex = `0x${"ab".repeat(32)}`;
      expect(encodeBarField(hex.toUpperCase().replace("0X", "0x"), "serial")).to.equal(hex);
      expect(barFieldText(encodeBytes32String("KZ-1"))).to.equal("KZ-1");
      expect(barFieldText(hex)).to.equal(hex);
      expect(() => encodeBarField(ZeroHash, "serial")).to.throw(/not a non-zero 32-byte hex/);
      expect(() => encodeBarField("x".repeat(32), "serial")).to.throw(/is 32 bytes; at most 31/);
      expect(() => encodeBarField(" KZ", "serial")).to.throw(/leading or trailing spaces/);
    });
  });

  describe("parseBarsCsv", function () {
    it("reads mg without a header and grams when the weight has a decimal point", function () {
      const rows = parseBarsCsv("A-1,Kazzinc,999900,9999,V-1\r\nA-2,Kazzinc,99.99,999.9,V-1,0x" + "11".repeat(20));
      expect(rows.map((r) => [r.line, r.fineWeightMg, r.fineness, r.recipient])).to.deep.equal([
        [1, 999_900n, 9999, undefined],
        [2, 99_990n, 9999, "0x" + "11".repeat(20)],
      ]);
    });

    it("reads every weight as grams under a fineGrams header", function () {
      const rows = parseBarsCsv("serial,refiner,fineGrams,fineness,vault\nA-1,Kazzinc,1000,9999,V-1\n");
      expect(rows[0].fineWeightMg).to.equal(1_000_000n);
    });

    it("refuses weights above a bar's maximum, bad fineness and an empty file", function () {
      expect(() => parseBarsCsv("A-1,Kazzinc,20000001,9999,V-1")).to.throw(/above the 20 kg maximum/);
      expect(() => parseBarsCsv("A-1,Kazzinc,1000,99.99,V-1")).to.throw(/is not a number/);
      expect(() => parseBarsCsv("A-1,Kazzinc,1000,10001,V-1")).to.throw(/outside 9950-10000/);
      expect(() => parseBarsCsv("# nothing\n\n", "empty.csv")).to.throw(CsvError, /empty\.csv has 1 problem/);
    });
  });
});
