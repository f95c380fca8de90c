import { expect } from "chai";
import { ZeroAddress, ZeroHash, decodeBytes32String, id } from "ethers";
import {
  parseAddress,
  parsePositiveInt,
  parseReference,
  parseRole,
  parseTier,
  roleId,
} from "../../scripts/lib/validate";

const CHECKSUMMED = "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc";

describe("validate", function () {
  describe("parseAddress", function () {
    it("returns the checksummed form of lowercase, uppercase and checksummed input", function () {
      expect(parseAddress(CHECKSUMMED.toLowerCase(), "--to")).to.equal(CHECKSUMMED);
      expect(parseAddress(`0x${CHECKSUMMED.slice(2).toUpperCase()}`, "--to")).to.equal(CHECKSUMMED);
      expect(parseAddress(CHECKSUMMED, "--to")).to.equal(CHECKSUMMED);
    });

    const bad: [string, RegExp][] = [
      ["0x12", /^--to "0x12" is not an address$/],
      ["", /^--to "" is not an address$/],
      ["9965507D1a55bcC2695C58ba16FB37d819B0A4dc", /is not an address/],
      [`${CHECKSUMMED}00`, /is not an address/],
      [CHECKSUMMED.slice(0, -1), /is not an address/],
      [`0x${"g".repeat(40)}`, /is not an address/],
      [` ${CHECKSUMMED}`, /is not an address/],
      ["XE7338O073KYGTWWZN0F2WZ0R8PX5ZPPZS", /is not an address/],
      ["alice.eth", /is not an address/],
      ["0X9965507D1A55BCC2695C58BA16FB37D819B0A4DC", /is not an address/],
      // one character's case flipped: an EIP-55 checksum error
      [
        "0x9965507d1a55bcC2695C58ba16FB37d819B0A4dc",
        /^--to "0x9965507d1a55bcC2695C58ba16FB37d819B0A4dc" has a wrong checksum/,
      ],
    ];
    for (const [text, message] of bad) {
      it(`rejects ${JSON.stringify(text)}`, function () {
        expect(() => parseAddress(text, "--to")).to.throw(Error, message);
      });
    }

    it("rejects the zero address unless allowed", function () {
      expect(() => parseAddress(ZeroAddress, "--to")).to.throw("--to must not be the zero address");
      expect(parseAddress(ZeroAddress, "--to", { allowZero: true })).to.equal(ZeroAddress);
    });
  });

  describe("parseTier", function () {
    for (const tier of ["0", "1", "2", "3"]) {
      it(`accepts ${tier}`, function () {
        expect(parseTier(tier)).to.equal(Number(tier));
      });
    }
    for (const text of ["4", "-1", "", "1.0", "01", "one", " 1", "255", "0x1"]) {
      it(`rejects ${JSON.stringify(text)}`, function () {
        expect(() => parseTier(text)).to.throw(`--tier "${text}" is not a KYC tier (0, 1, 2 or 3)`);
      });
    }
  });

  describe("parseReference", function () {
    it("stores short text as a bytes32 string", function () {
      const ref = parseReference("PAY-2024-001");
      expect(ref).to.match(/^0x[0-9a-f]{64}$/);
      expect(decodeBytes32String(ref)).to.equal("PAY-2024-001");
    });

    it("accepts exactly 31 bytes of text, multi-byte characters counted in bytes", function () {
      expect(decodeBytes32String(parseReference("a".repeat(31)))).to.equal("a".repeat(31));
      expect(decodeBytes32String(parseReference("Қ".repeat(15)))).to.equal("Қ".repeat(15)); // 30 bytes
      expect(() => parseReference("Қ".repeat(16))).to.throw(/is 32 bytes; use at most 31 bytes/);
    });

    it("passes a 32-byte hex through, lowercased", function () {
      const hash = id("court order 2-123/2024");
      expect(parseReference(hash)).to.equal(hash);
      expect(parseReference(hash.toUpperCase().replace("0X", "0x"))).to.equal(hash);
    });

    const bad: [string, RegExp][] = [
      ["", /^--reference is empty$/],
      ["   ", /^--reference is empty$/],
      ["a".repeat(32), /is 32 bytes; use at most 31 bytes of text or a 0x-prefixed 32-byte hex/],
      ["0x1234", /starts with 0x but is not 32 bytes of hex/],
      [`0x${"a".repeat(63)}`, /starts with 0x but is not 32 bytes/],
      [`0x${"a".repeat(65)}`, /starts with 0x but is not 32 bytes/],
      [`0x${"z".repeat(64)}`, /starts with 0x but is not 32 bytes/],
      [ZeroHash, /must not be the zero bytes32/],
    ];
    for (const [text, message] of bad) {
      it(`rejects ${JSON.stringify(text.length > 40 ? `${text.slice(0, 20)}…` : text)}`, function () {
        expect(() => parseReference(text)).to.throw(Error, message);
      });
    }

    it("names the input with its label", function () {
      expect(() => parseReference("", "--reason")).to.throw("--reason is empty");
    });
  });

  describe("parseRole", function () {
    it("maps DEFAULT_ADMIN_ROLE to zero and the others to keccak256 of their names", function () {
      expect(parseRole("DEFAULT_ADMIN_ROLE")).to.deep.equal({ name: "DEFAULT_ADMIN_ROLE", id: ZeroHash });
      for (const name of ["CENTRAL_BANK_ROLE", "PAUSER_ROLE", "COMPLIANCE_ROLE", "SEIZURE_ROLE"] as const) {
        expect(parseRole(name)).to.deep.equal({ name, id: id(name) });
        expect(roleId(name)).to.equal(id(name));
      }
    });

    it("ignores case and accepts the name without _ROLE", function () {
      expect(parseRole("compliance").name).to.equal("COMPLIANCE_ROLE");
      expect(parseRole("Central_Bank_Role").name).to.equal("CENTRAL_BANK_ROLE");
      expect(parseRole("default_admin").name).to.equal("DEFAULT_ADMIN_ROLE");
    });

    for (const name of ["MINTER_ROLE", "", "ADMIN", "ROLE", "COMPLIANCE ROLE", "0x00"]) {
      it(`rejects ${JSON.stringify(name)} and lists the roles`, function () {
        expect(() => parseRole(name)).to.throw(
          `--role "${name}" is not a role; use one of DEFAULT_ADMIN_ROLE, CENTRAL_BANK_ROLE, PAUSER_ROLE, COMPLIANCE_ROLE, SEIZURE_ROLE`,
        );
      });
    }
  });

  describe("parsePositiveInt", function () {
    it("accepts 1 to max", function () {
      expect(parsePositiveInt("1", "--chunk", 500)).to.equal(1);
      expect(parsePositiveInt("500", "--chunk", 500)).to.equal(500);
    });
    for (const text of ["0", "501", "-1", "1.5", "", "abc", "01", "1e2"]) {
      it(`rejects ${JSON.stringify(text)}`, function () {
        expect(() => parsePositiveInt(text, "--chunk", 500)).to.throw(
          `--chunk "${text}" must be a whole number from 1 to 500`,
        );
      });
    }
  });
});
