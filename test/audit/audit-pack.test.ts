import { expect } from "chai";
import { artifacts, config } from "hardhat";
import { readFileSync } from "fs";
import { basename, join } from "path";
import { Interface } from "ethers";
import { loadContractDocs, productionArtifacts, renderContractDocs } from "../../scripts/lib/natspec-docs";
import { renderGasTable } from "../../scripts/audit-pack";
import { ACCESS_MATRIX } from "../../scripts/lib/access-matrix";

/* The pieces of `npm run audit-pack` that need neither coverage nor the gas bench. */

const sighashes = (abi: Interface, type: "function" | "event" | "error"): string[] =>
  abi.fragments.filter((f) => f.type === type).map((f) => f.format("sighash"));

describe("audit pack", function () {
  describe("NatSpec API docs (scripts/lib/natspec-docs.ts)", function () {
    const goldDesk = async () => {
      const { sourceName, contractName } = await artifacts.readArtifact("GoldDesk");
      return loadContractDocs(join(config.paths.artifacts, sourceName, `${contractName}.json`));
    };

    it("writes a section for every external function, event and error of GoldDesk", async function () {
      const docs = await goldDesk();
      const markdown = renderContractDocs(docs);
      const abi = new Interface(docs.abi as string[]);
      const items = [...sighashes(abi, "function"), ...sighashes(abi, "event"), ...sighashes(abi, "error")];
      expect(items.length).to.be.greaterThan(30);
      expect(items.filter((sig) => !markdown.includes(`### \`${sig}\``))).to.deep.equal([]);
    });

    it("carries the contract's @notice, @dev, @param and @return text", async function () {
      const docs = await goldDesk();
      const markdown = renderContractDocs(docs);
      const buy = docs.userdoc.methods?.["buy(uint256,uint256,uint256)"]?.notice;
      expect(buy, "GoldDesk.buy has a @notice").to.be.a("string");
      expect(markdown).to.include(String(buy).replace(/\s+/g, " ").trim());
      expect(markdown).to.include("_Dev:_ Roles and who holds them");
      expect(markdown).to.match(/\*\*Parameters\*\*\n\n\| name \| type \| description \|/);
      expect(markdown).to.include("**Returns**");
    });

    it("documents exactly the deployable production contracts (no mocks, interfaces or abstract bases)", function () {
      const names = productionArtifacts(config.paths.artifacts).map((p) => basename(p, ".json"));
      expect(names.sort()).to.deep.equal(
        [
          "DigitalTenge",
          "GoldDesk",
          "GoldToken",
          "PurposeBoundPrograms",
          "TengeAdmin",
          "TengeOffline",
          "TengeStablecoin",
        ].sort(),
      );
    });
  });

  it("renders the gas rows as one table per subject", function () {
    const table = renderGasTable([
      { subject: "DigitalTenge", operation: "transfer", gas: 41_000, baselineGas: 51_000, ratio: 0.8 },
      { subject: "GoldDesk", operation: "buy | allowance", gas: 90_000, baselineGas: 51_000, ratio: 1.76 },
    ]);
    expect(table).to.include("## DigitalTenge\n\n| operation | gas | baseline | ratio |");
    expect(table).to.include("| transfer | 41000 | 51000 | 0.8 |");
    expect(table).to.include("| buy \\| allowance | 90000 | 51000 | 1.76 |");
  });

  it("docs/invariants.md has a section for every contract of the access matrix", function () {
    const invariants = readFileSync(join(__dirname, "..", "..", "docs", "invariants.md"), "utf8");
    for (const c of ACCESS_MATRIX) expect(invariants, c.contract).to.match(new RegExp(`^## ${c.contract}\\b`, "m"));
  });
});
