import { expect } from "chai";
import { upgrades } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Wallet, ZeroHash, id } from "ethers";
import { PurposeBoundPrograms__factory } from "../../typechain-types";
import { PURPOSE_BOUND_PROGRAMS } from "../../scripts/lib/access-matrix";
import { casesFrom, describeAccessMatrix, type GatedCase } from "../helpers/access-matrix";
import { encodeTerms, signSpend } from "../../scripts/lib/programs";
import { kzt, lunchFixture, lunchTerms } from "../fixtures/programs.fixture";

/*
 * An ABI-driven access matrix. Every state-changing function of PurposeBoundPrograms must appear in exactly one of
 * two tables: GATED (who may call it and the exact error everyone else gets) or OPEN (what anyone may do). A function
 * added to the contract and to neither table makes the "is classified" test fail.
 */

type RoleName = "DEFAULT_ADMIN_ROLE" | "OPERATOR_ROLE";
const roleId = (role: RoleName): string => (role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role));

/** Everyone the matrix calls as. */
const CAST = ["centralBank", "desk", "pauser", "compliance", "city", "kid1", "alice", "outsider"] as const;
type CastMember = (typeof CAST)[number];

/** The programs roles the deploy script gives each cast member (checked against the chain below). */
const ROLES_HELD: Record<CastMember, readonly RoleName[]> = {
  centralBank: ["DEFAULT_ADMIN_ROLE"],
  desk: ["OPERATOR_ROLE"],
  pauser: [],
  compliance: [],
  city: [],
  kid1: [],
  alice: [],
  outsider: [],
};
/** The lunch program's funder and its enrolled beneficiary among the cast. */
const FUNDER: CastMember = "city";
const BENEFICIARY: CastMember = "kid1";

/** The lunch fixture plus the live implementation's address and a relayable signed lunch. */
async function accessFixture() {
  const base = await loadFixture(lunchFixture);
  const { programs, roles, users, city, kids, canteens, programId } = base;
  const card = new Wallet(id("access-control card"));
  await (await programs.connect(base.operator).enrolBeneficiaries(programId, [card.address], [])).wait();
  const deadline = BigInt(await time.latest()) + 86_400n;
  const lunch = await signSpend(card, programs, {
    programId,
    beneficiary: card.address,
    merchant: canteens.canteen1,
    amount: kzt("100"),
    deadline,
  });
  const cast: Record<CastMember, HardhatEthersSigner> = {
    centralBank: roles.centralBank,
    desk: roles.desk,
    pauser: roles.pauser,
    compliance: roles.compliance,
    city,
    kid1: kids.kid1,
    alice: users.alice,
    outsider: users.outsider,
  };
  return {
    ...base,
    cast,
    lunch,
    implementation: await upgrades.erc1967.getImplementationAddress(await programs.getAddress()),
  };
}

type Ctx = Awaited<ReturnType<typeof accessFixture>>;

/** Who passes a function's gate, and what everyone else gets. */
type Gate =
  | { kind: "funder" }
  | { kind: "funderOrAdmin" }
  | { kind: "closer" }
  | { kind: "beneficiary" }
  | { kind: "self" }
  | { kind: "tenge" };

interface GatedFunction {
  /** The file's rule gate; none for a role (or nobody) gate, which the matrix gives. */
  gate?: Gate;
  args: (ctx: Ctx) => unknown[];
  /** Brings the escrow into a state where the authorised call makes sense. */
  prepare?: (ctx: Ctx) => Promise<void>;
}

const fresh = (label: string): string => new Wallet(id(`access-control ${label}`)).address;

/** Every gated state-changing function, with plausible arguments. */
const GATED: Record<string, GatedFunction> = {
  // AccessControl and UUPS
  "grantRole(bytes32,address)": {
    args: (ctx) => [roleId("OPERATOR_ROLE"), ctx.users.relayer.address],
  },
  "revokeRole(bytes32,address)": {
    args: (ctx) => [roleId("OPERATOR_ROLE"), ctx.roles.desk.address],
  },
  "renounceRole(bytes32,address)": {
    gate: { kind: "self" },
    args: (ctx) => [roleId("OPERATOR_ROLE"), ctx.roles.desk.address],
  },
  "upgradeToAndCall(address,bytes)": {
    args: (ctx) => [ctx.implementation, "0x"],
  },
  "initialize(address)": {
    args: (ctx) => [ctx.users.outsider.address],
  },
  "recoverSurplus(address)": {
    args: (ctx) => [ctx.users.bob.address],
    prepare: async (ctx) => {
      await (await ctx.tenge.connect(ctx.users.bob).transfer(ctx.programs, kzt("1"))).wait();
    },
  },
  // Operator
  "addMerchants(uint256,address[])": {
    args: (ctx) => [ctx.programId, [ctx.users.carol.address]],
  },
  "removeMerchants(uint256,address[])": {
    args: (ctx) => [ctx.programId, [ctx.canteens.canteen2]],
  },
  "enrolBeneficiaries(uint256,address[],bytes32[])": {
    args: (ctx) => [ctx.programId, [fresh("child")], []],
  },
  "removeBeneficiaries(uint256,address[])": {
    args: (ctx) => [ctx.programId, [ctx.kids.kid2.address]],
  },
  "topUp(uint256,address[],uint256[])": {
    args: (ctx) => [ctx.programId, [ctx.kids.kid2.address], [kzt("5")]],
  },
  // Funder
  "fund(uint256,uint256)": {
    gate: { kind: "funder" },
    args: (ctx) => [ctx.programId, kzt("1")],
    prepare: async (ctx) => {
      await (await ctx.tenge.connect(ctx.city).approve(ctx.programs, kzt("1"))).wait();
    },
  },
  "close(uint256)": { gate: { kind: "closer" }, args: (ctx) => [ctx.programId] },
  "setFunder(uint256,address)": {
    gate: { kind: "funderOrAdmin" },
    args: (ctx) => [ctx.programId, ctx.users.alice.address],
  },
  // Beneficiary
  "spend(uint256,address,uint256)": {
    gate: { kind: "beneficiary" },
    args: (ctx) => [ctx.programId, ctx.canteens.canteen1, kzt("1")],
  },
  // The tenge's ERC-1363 callback
  "onTransferReceived(address,address,uint256,bytes)": {
    gate: { kind: "tenge" },
    args: (ctx) => [ctx.city.address, ctx.city.address, kzt("1"), encodeTerms(ctx.terms)],
  },
};

/** What anyone may do: each runs and checks its effect. */
const OPEN: Record<string, (ctx: Ctx) => Promise<void>> = {
  "createProgram((uint256,uint8,uint256,uint256),uint256)": async ({ tenge, programs, users }) => {
    await tenge.connect(users.carol).approve(programs, kzt("10"));
    await programs.connect(users.carol).createProgram(await lunchTerms(), kzt("10"));
    expect((await programs.programOf(2)).funder).to.equal(users.carol.address);
  },
  "spendFor(uint256,address,address,uint256,uint256,bytes)": async ({ tenge, programs, users, lunch, canteens }) => {
    const a = lunch.authorization;
    await expect(
      programs
        .connect(users.outsider)
        .spendFor(a.programId, a.beneficiary, a.merchant, a.amount, a.deadline, lunch.signature),
    ).to.changeTokenBalances(tenge, [programs, canteens.canteen1], [-a.amount, a.amount]);
  },
  "spendBatchFor(uint256,address,(address,uint256,uint256,bytes)[])": async ({
    tenge,
    programs,
    users,
    lunch,
    canteens,
  }) => {
    // The canteen's terminal (not a role holder) uploads the child's signed lunch as a batch of one.
    const a = lunch.authorization;
    const item = { beneficiary: a.beneficiary, amount: a.amount, deadline: a.deadline, signature: lunch.signature };
    const upload = programs.connect(users.merchant).spendBatchFor(a.programId, a.merchant, [item]);
    await expect(upload)
      .to.emit(programs, "Spent")
      .withArgs(a.programId, a.beneficiary, canteens.canteen1, a.amount, true);
    await expect(upload).to.changeTokenBalances(tenge, [programs, canteens.canteen1], [-a.amount, a.amount]);
  },
};

/** Whether `member` passes `gate`. */
function passes(gate: Gate, member: CastMember): boolean {
  switch (gate.kind) {
    case "funder":
    case "closer":
      return member === FUNDER;
    case "funderOrAdmin":
      return member === FUNDER || ROLES_HELD[member].includes("DEFAULT_ADMIN_ROLE");
    case "beneficiary":
      return member === BENEFICIARY;
    case "self":
      return member === "desk";
    case "tenge":
      return false;
  }
}

/** The exact error `member` gets from a function behind `gate`. */
function expectedError(gate: Gate, ctx: Ctx, member: CastMember): { error: string; args: unknown[] } {
  const caller = ctx.cast[member].address;
  switch (gate.kind) {
    case "funder":
    case "funderOrAdmin":
      return { error: "ProgramsNotFunder", args: [ctx.programId, caller] };
    case "closer":
      return { error: "ProgramsCloseNotAllowed", args: [ctx.programId, caller, ctx.terms.expiry] };
    case "beneficiary":
      return { error: "ProgramsNotEnrolled", args: [ctx.programId, caller] };
    case "self":
      return { error: "AccessControlBadConfirmation", args: [] };
    case "tenge":
      return { error: "ProgramsCallerNotTenge", args: [caller] };
  }
}

/** The tenge's ERC-1363 callback, as the tenge makes it: transferAndCall creates a program. */
async function tengeCallsBack(ctx: Ctx): Promise<void> {
  const [, , , data] = GATED["onTransferReceived(address,address,uint256,bytes)"].args(ctx) as [
    string,
    string,
    bigint,
    string,
  ];
  await expect(
    ctx.tenge.connect(ctx.city)["transferAndCall(address,uint256,bytes)"](ctx.programs, kzt("1"), data),
  ).to.emit(ctx.programs, "ProgramCreated");
}

/** Role gates come from the matrix; the rule gates are this file's. */
function toCase({ gate, args, prepare }: GatedFunction): GatedCase<Ctx, CastMember> {
  if (gate === undefined) return { args, prepare };
  return {
    args,
    prepare,
    admits: (m) => passes(gate, m),
    refusal: (ctx, m) => expectedError(gate, ctx, m),
    admitted: gate.kind === "tenge" ? tengeCallsBack : undefined,
  };
}

describeAccessMatrix({
  title: "PurposeBoundPrograms access control (the ABI-driven matrix)",
  matrix: PURPOSE_BOUND_PROGRAMS,
  abi: PurposeBoundPrograms__factory.createInterface(),
  fixture: accessFixture,
  contract: (ctx) => ctx.programs,
  members: CAST,
  cast: (ctx) => ctx.cast,
  rolesHeld: ROLES_HELD,
  cases: casesFrom(GATED, toCase, OPEN),
});

describe("PurposeBoundPrograms access control", function () {
  it("assumes the funder and beneficiary the fixture set up", async function () {
    const ctx = await loadFixture(accessFixture);
    for (const member of CAST) {
      expect((await ctx.programs.beneficiaryOf(ctx.programId, ctx.cast[member])).enrolled, member).to.equal(
        member === BENEFICIARY,
      );
    }
    expect((await ctx.programs.programOf(ctx.programId)).funder).to.equal(ctx.cast[FUNDER].address);
  });

  describe("separation of duties", function () {
    it("the central bank's admin can neither enrol nor spend a program's money", async function () {
      const { programs, roles, programId, canteens } = await loadFixture(accessFixture);
      await expect(programs.connect(roles.centralBank).enrolBeneficiaries(programId, [roles.centralBank], []))
        .to.be.revertedWithCustomError(programs, "AccessControlUnauthorizedAccount")
        .withArgs(roles.centralBank.address, roleId("OPERATOR_ROLE"));
      await expect(programs.connect(roles.centralBank).spend(programId, canteens.canteen1, kzt("1")))
        .to.be.revertedWithCustomError(programs, "ProgramsNotEnrolled")
        .withArgs(programId, roles.centralBank.address);
    });

    it("the operator can neither close a program early nor take its money", async function () {
      const { programs, operator, programId, terms } = await loadFixture(accessFixture);
      await expect(programs.connect(operator).close(programId))
        .to.be.revertedWithCustomError(programs, "ProgramsCloseNotAllowed")
        .withArgs(programId, operator.address, terms.expiry);
      await expect(programs.connect(operator).recoverSurplus(operator))
        .to.be.revertedWithCustomError(programs, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, ZeroHash);
    });

    it("the funder cannot enrol itself or add itself as a merchant", async function () {
      const { programs, city, programId } = await loadFixture(accessFixture);
      await expect(programs.connect(city).enrolBeneficiaries(programId, [city], []))
        .to.be.revertedWithCustomError(programs, "AccessControlUnauthorizedAccount")
        .withArgs(city.address, roleId("OPERATOR_ROLE"));
      await expect(programs.connect(city).addMerchants(programId, [city]))
        .to.be.revertedWithCustomError(programs, "AccessControlUnauthorizedAccount")
        .withArgs(city.address, roleId("OPERATOR_ROLE"));
    });

    it("a revoked operator can no longer enrol", async function () {
      const { programs, roles, operator, programId } = await loadFixture(accessFixture);
      await programs.connect(roles.centralBank).revokeRole(roleId("OPERATOR_ROLE"), operator);
      await expect(programs.connect(operator).enrolBeneficiaries(programId, [fresh("late child")], []))
        .to.be.revertedWithCustomError(programs, "AccessControlUnauthorizedAccount")
        .withArgs(operator.address, roleId("OPERATOR_ROLE"));
    });
  });
});
