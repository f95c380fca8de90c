import { expect } from "chai";
import hre, { ethers, upgrades } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import { ZeroAddress, ZeroHash, getAddress, id, keccak256 } from "ethers";
import type { PurposeBoundPrograms } from "../../typechain-types";
import { PROGRAMS_OPERATOR_ENV } from "../../scripts/lib/programs";
import { implementationHash } from "../../scripts/lib/deploy";
import {
  CARD_COMMITMENT,
  deployedProgramsFixture,
  expectProgramsInvariant,
  kzt,
  lunchFixture,
} from "../fixtures/programs.fixture";

const OPERATOR_ROLE = id("OPERATOR_ROLE");

/** The lunch fixture with state in every field an upgrade could lose: spending, top-ups, a removed merchant, a nonce. */
async function populatedFixture() {
  const base = await loadFixture(lunchFixture);
  const { programs, operator, programId, kids, canteens } = base;
  await (await programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("700"))).wait();
  await (await programs.connect(operator).topUp(programId, [kids.kid2], [kzt("300")])).wait();
  await (await programs.connect(operator).removeMerchants(programId, [canteens.canteen2])).wait();
  return base;
}

type Ctx = Awaited<ReturnType<typeof populatedFixture>>;

async function readState(programs: PurposeBoundPrograms, ctx: Ctx) {
  const { programId, kids, canteens } = ctx;
  return {
    count: await programs.programCount(),
    program: [...(await programs.programOf(programId))],
    kid1: [...(await programs.beneficiaryOf(programId, kids.kid1))],
    kid2: [...(await programs.beneficiaryOf(programId, kids.kid2))],
    merchants: [
      await programs.isMerchant(programId, canteens.canteen1),
      await programs.isMerchant(programId, canteens.canteen2),
    ],
    roles: [
      await programs.hasRole(ZeroHash, ctx.roles.centralBank),
      await programs.hasRole(OPERATOR_ROLE, ctx.operator),
    ],
    tenge: await programs.tenge(),
  };
}

/** The populated escrow upgraded by the central bank's admin to a freshly deployed implementation. */
async function upgradedFixture() {
  const ctx = await loadFixture(populatedFixture);
  const before = await readState(ctx.programs, ctx);
  const previous = await upgrades.erc1967.getImplementationAddress(await ctx.programs.getAddress());
  const factory = await ethers.getContractFactory("PurposeBoundPrograms", ctx.roles.centralBank);
  await upgrades.upgradeProxy(ctx.programs, factory, {
    kind: "uups",
    constructorArgs: [await ctx.tenge.getAddress()],
    redeployImplementation: "always",
  });
  return { ...ctx, before, previous };
}

describe("PurposeBoundPrograms upgrades and deployment", function () {
  describe("upgrading the proxy by the central bank admin", function () {
    it("runs a new implementation and keeps every program, beneficiary, merchant and role", async function () {
      const ctx = await loadFixture(upgradedFixture);
      const now = await upgrades.erc1967.getImplementationAddress(await ctx.programs.getAddress());
      expect(now).not.to.equal(ctx.previous);
      expect(await readState(ctx.programs, ctx)).to.deep.equal(ctx.before);
      expect((await ctx.programs.beneficiaryOf(ctx.programId, ctx.kids.kid1)).cardCommitment).to.equal(CARD_COMMITMENT);
      await expectProgramsInvariant(ctx.programs, ctx.tenge);
    });

    it("keeps working after the upgrade: a lunch is paid and the program closes", async function () {
      const { programs, tenge, programId, kids, canteens, city } = await loadFixture(upgradedFixture);
      await expect(programs.connect(kids.kid1).spend(programId, canteens.canteen1, kzt("500"))).to.changeTokenBalance(
        tenge,
        canteens.canteen1,
        kzt("500"),
      );
      await expect(programs.connect(city).close(programId)).to.changeTokenBalance(tenge, city, kzt("48800"));
      await expectProgramsInvariant(programs, tenge);
    });

    it("refuses an upgrade by anyone but DEFAULT_ADMIN_ROLE (the operator included)", async function () {
      const { programs, operator } = await loadFixture(lunchFixture);
      const implementation = await upgrades.erc1967.getImplementationAddress(await programs.getAddress());
      await expect(programs.connect(operator).upgradeToAndCall(implementation, "0x"))
        .to.be.revertedWithCustomError(programs, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, ZeroHash);
    });

    it("refuses initialize on the proxy and on the implementation", async function () {
      const { programs, users } = await loadFixture(lunchFixture);
      await expect(programs.initialize(users.outsider)).to.be.revertedWithCustomError(
        programs,
        "InvalidInitialization",
      );
      const implementation = await ethers.getContractAt(
        "PurposeBoundPrograms",
        await upgrades.erc1967.getImplementationAddress(await programs.getAddress()),
      );
      await expect(implementation.initialize(users.outsider)).to.be.revertedWithCustomError(
        programs,
        "InvalidInitialization",
      );
    });

    it("refuses a zero tenge at construction and a zero admin at initialisation", async function () {
      const { programs, tenge } = await loadFixture(deployedProgramsFixture);
      const factory = await ethers.getContractFactory("PurposeBoundPrograms");
      await expect(factory.deploy(ZeroAddress)).to.be.revertedWithCustomError(programs, "ProgramsZeroAddress");
      await expect(
        upgrades.deployProxy(factory, [ZeroAddress], {
          kind: "uups",
          constructorArgs: [await tenge.getAddress()],
          initializer: "initialize",
        }),
      ).to.be.revertedWithCustomError(programs, "ProgramsZeroAddress");
    });

    it("passes OpenZeppelin's storage-layout validation against the deployed proxy", async function () {
      const { programs, tenge } = await loadFixture(deployedProgramsFixture);
      const options = { kind: "uups" as const, constructorArgs: [await tenge.getAddress()] };
      const factory = await ethers.getContractFactory("PurposeBoundPrograms");
      expect(await upgrades.validateUpgrade(await programs.getAddress(), factory, options)).to.equal(undefined);
      expect(await upgrades.validateImplementation(factory, options)).to.equal(undefined);
    });
  });

  describe("deploy/005_programs.ts", function () {
    it("records the proxy with its implementation's constructor argument and code hash", async function () {
      const { programs, tenge } = await loadFixture(deployedProgramsFixture);
      const record = await hre.deployments.get("PurposeBoundPrograms");
      expect(record.address).to.equal(await programs.getAddress());
      expect(record.args).to.deep.equal([await tenge.getAddress()]);
      expect(record.implementation).to.equal(await upgrades.erc1967.getImplementationAddress(record.address));
      const artifact = await hre.deployments.getArtifact("PurposeBoundPrograms");
      expect(record.solcInputHash).to.equal(
        implementationHash(artifact.deployedBytecode, ["address"], [await tenge.getAddress()]),
      );
    });

    it("gives DEFAULT_ADMIN_ROLE to the central bank and OPERATOR_ROLE to the issuance desk, nothing else", async function () {
      const { programs, roles, users } = await loadFixture(deployedProgramsFixture);
      expect(await programs.hasRole(ZeroHash, roles.centralBank)).to.equal(true);
      expect(await programs.hasRole(OPERATOR_ROLE, roles.desk)).to.equal(true);
      for (const other of [roles.pauser, roles.compliance, users.treasury, users.outsider]) {
        expect(await programs.hasRole(ZeroHash, other)).to.equal(false);
        expect(await programs.hasRole(OPERATOR_ROLE, other)).to.equal(false);
      }
      expect(await programs.hasRole(ZeroHash, roles.desk)).to.equal(false);
    });

    it("onboards the escrow in the tenge as an exempt institution", async function () {
      const { programs, tenge } = await loadFixture(deployedProgramsFixture);
      const account = await tenge.accountOf(programs);
      expect([account.onboarded, account.exempt, account.bankId, account.balance]).to.deep.equal([true, true, 0n, 0n]);
    });

    it("sends nothing when re-run with everything in place", async function () {
      const { programs } = await loadFixture(deployedProgramsFixture);
      const block = await ethers.provider.getBlockNumber();
      await hre.deployments.run(["programs"], { resetMemory: false });
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
      expect((await hre.deployments.get("PurposeBoundPrograms")).address).to.equal(await programs.getAddress());
    });

    it("restores a revoked operator role and a revoked exemption on a re-run", async function () {
      const { programs, tenge, roles } = await loadFixture(deployedProgramsFixture);
      await programs.connect(roles.centralBank).revokeRole(OPERATOR_ROLE, roles.desk);
      await tenge.connect(roles.desk).setExempt(programs, false);
      await hre.deployments.run(["programs"], { resetMemory: false });
      expect(await programs.hasRole(OPERATOR_ROLE, roles.desk)).to.equal(true);
      expect((await tenge.accountOf(programs)).exempt).to.equal(true);
    });

    it(`grants OPERATOR_ROLE to the ${PROGRAMS_OPERATOR_ENV} address when it is set`, async function () {
      const { programs, users } = await loadFixture(deployedProgramsFixture);
      process.env[PROGRAMS_OPERATOR_ENV] = users.carol.address;
      try {
        await hre.deployments.run(["programs"], { resetMemory: false });
      } finally {
        delete process.env[PROGRAMS_OPERATOR_ENV];
      }
      expect(await programs.hasRole(OPERATOR_ROLE, users.carol)).to.equal(true);
    });

    it("upgrades in place, keeping the programs, when the recorded code hash differs", async function () {
      const ctx = await loadFixture(populatedFixture);
      const { programs } = ctx;
      const before = await readState(programs, ctx);
      const record = await hre.deployments.get("PurposeBoundPrograms");
      const implementation = await upgrades.erc1967.getImplementationAddress(await programs.getAddress());
      const blockBefore = await ethers.provider.getBlockNumber();
      await hre.deployments.save("PurposeBoundPrograms", { ...record, solcInputHash: keccak256("0x00") });
      await hre.deployments.run(["programs"], { resetMemory: false });
      const upgraded = await programs.queryFilter(programs.filters.Upgraded(), blockBefore + 1);
      expect(upgraded.map((e) => e.args.implementation)).to.deep.equal([getAddress(implementation)]);
      expect((await hre.deployments.get("PurposeBoundPrograms")).solcInputHash).to.equal(record.solcInputHash);
      expect(await readState(programs, ctx)).to.deep.equal(before);
    });

    it("refuses to go on when the recorded escrow holds another tenge than the recorded DigitalTenge", async function () {
      const { programs, roles, users } = await loadFixture(deployedProgramsFixture);
      const factory = await ethers.getContractFactory("PurposeBoundPrograms", roles.centralBank);
      const foreign = await upgrades.deployProxy(factory, [roles.centralBank.address], {
        kind: "uups",
        constructorArgs: [users.outsider.address],
        initializer: "initialize",
      });
      const record = await hre.deployments.get("PurposeBoundPrograms");
      const tengeRecord = await hre.deployments.get("DigitalTenge");
      const foreignAddress = await foreign.getAddress();
      await hre.deployments.save("PurposeBoundPrograms", { ...record, address: foreignAddress });
      try {
        await expect(hre.deployments.run(["programs"], { resetMemory: false })).to.be.rejectedWith(
          `PurposeBoundPrograms at ${foreignAddress} escrows ${users.outsider.address}, not the recorded DigitalTenge ${tengeRecord.address}`,
        );
      } finally {
        await hre.deployments.save("PurposeBoundPrograms", record);
      }
      expect((await hre.deployments.get("PurposeBoundPrograms")).address).to.equal(await programs.getAddress());
    });
  });
});
