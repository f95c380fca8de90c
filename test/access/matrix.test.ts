import { expect } from "chai";
import { artifacts } from "hardhat";
import { readFileSync } from "fs";
import { join } from "path";
import { Interface } from "ethers";
import {
  ACCESS_MATRIX,
  DIGITAL_TENGE,
  functionsOfRole,
  functionsOfRule,
  openFunctions,
  renderAccessMatrix,
} from "../../scripts/lib/access-matrix";
import { ACCESS_MATRIX_DOC } from "../../scripts/access-matrix";
import { stateChanging } from "../helpers/access-matrix";

/*
 * The matrix data (scripts/lib/access-matrix.ts) against the compiled ABIs, the committed docs/access-matrix.md and
 * README.md's role matrix. The per-contract behaviour (who is refused with which error) is in the other files here.
 */

const nameOf = (sig: string): string => sig.slice(0, sig.indexOf("("));

/** Names of the state-changing functions of the artifacts' ABIs. */
async function abiNames(names: readonly string[]): Promise<string[]> {
  const all = new Set<string>();
  for (const name of names) {
    const { abi } = await artifacts.readArtifact(name);
    for (const sig of stateChanging(new Interface(abi))) all.add(nameOf(sig));
  }
  return [...all].sort();
}

/** The README role matrix rows: role cell → function names (backticked) of the "may" cell. */
function readmeRoleRows(): { role: string; functions: string[] }[] {
  const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
  const start = readme.indexOf("### Role matrix");
  const section = readme.slice(start, readme.indexOf("\n## ", start));
  return section
    .split("\n")
    .filter((line) => line.startsWith("|") && !line.startsWith("| ---") && !line.includes("who holds it"))
    .map((line) => {
      const [, role, may] = line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim());
      const functions = [...may.matchAll(/`([A-Za-z0-9]+)`/g)].map((m) => m[1]);
      return { role: role.replace(/`/g, ""), functions };
    });
}

describe("access matrix (scripts/lib/access-matrix.ts)", function () {
  for (const contract of ACCESS_MATRIX) {
    describe(contract.contract, function () {
      it("lists every state-changing function of its ABIs", async function () {
        const listed = new Set(contract.functions.map((f) => f.name));
        const missing = (await abiNames(contract.abis)).filter((name) => !listed.has(name));
        expect(missing, "a function nobody reviewed: add it to scripts/lib/access-matrix.ts").to.deep.equal([]);
      });

      it("lists no function its ABIs lack (or that is view or pure)", async function () {
        const abi = new Set(await abiNames(contract.abis));
        expect(contract.functions.map((f) => f.name).filter((name) => !abi.has(name))).to.deep.equal([]);
      });

      it("lists each function once, with at least one gate, and names only roles and rules it defines", function () {
        const names = contract.functions.map((f) => f.name);
        expect(
          names.filter((n, i) => names.indexOf(n) !== i),
          "listed twice",
        ).to.deep.equal([]);
        for (const f of contract.functions) {
          expect(f.gates.length, f.name).to.be.greaterThan(0);
          for (const g of f.gates) {
            if (g.kind === "role") expect(contract.roles, `${f.name}: ${g.role}`).to.have.property(g.role);
            if (g.kind === "rule") expect(contract.rules, `${f.name}: ${g.rule}`).to.have.property(g.rule);
          }
        }
      });
    });
  }

  it("covers the functions DigitalTenge reaches through TengeAdmin: each is in the token's own ABI", async function () {
    const token = new Set(await abiNames(["DigitalTenge"]));
    expect((await abiNames(["TengeAdmin"])).filter((name) => !token.has(name))).to.deep.equal([]);
  });

  it("docs/access-matrix.md is what `npm run access-matrix` generates", function () {
    expect(readFileSync(ACCESS_MATRIX_DOC, "utf8"), "run `npm run access-matrix`").to.equal(renderAccessMatrix());
  });

  describe("README.md's role matrix agrees with the matrix", function () {
    const rows = readmeRoleRows();

    it("has the rows it is read as", function () {
      expect(rows.map((r) => r.role)).to.include.members(["DEFAULT_ADMIN_ROLE", "CENTRAL_BANK_ROLE", "bank", "—"]);
    });

    for (const { role, functions } of rows) {
      if (role === "—") {
        it("every function it gives any holder is open to anyone in the matrix", function () {
          const open = openFunctions(DIGITAL_TENGE);
          expect(functions.filter((f) => !open.includes(f))).to.deep.equal([]);
        });
      } else {
        it(`${role}: the same functions as the matrix`, function () {
          const matrix = role.endsWith("_ROLE")
            ? functionsOfRole(DIGITAL_TENGE, role)
            : functionsOfRule(DIGITAL_TENGE, role);
          expect([...functions].sort()).to.deep.equal([...matrix].sort());
        });
      }
    }

    it("lists every role of the token's matrix", function () {
      expect(rows.map((r) => r.role)).to.include.members(Object.keys(DIGITAL_TENGE.roles));
    });
  });
});
