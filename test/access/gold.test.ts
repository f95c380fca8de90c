import { expect } from "chai";
import { upgrades } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroHash, encodeBytes32String, id } from "ethers";
import type { BaseContract, Interface } from "ethers";
import { GoldDesk__factory, GoldToken__factory } from "../../typechain-types";
import { GOLD_DESK, GOLD_TOKEN, type ContractAccess } from "../../scripts/lib/access-matrix";
import { casesFrom, describeAccessMatrix, type GatedCase } from "../helpers/access-matrix";
import { buyCost, encodeBuyOrder } from "../../scripts/lib/gold";
import { receiveArgs, signMaterial, signedOpenCases } from "../helpers/signed";
import { kzt } from "../fixtures/tenge.fixture";
import { PRICE, barInput, goldFixture, grams, serial } from "../fixtures/gold.fixture";
import { RECEIVE_BYTES, RECEIVE_VRS } from "../../scripts/lib/eip712";

/*
 * ABI-driven access matrices, one per contract. Every state-changing function of GoldToken and GoldDesk must appear
 * in exactly one table of its contract: GATED (who may call it and the exact error everyone else gets) or OPEN (what
 * a holder may do). A function added to a contract and to neither table makes the "is classified" test fail.
 */

const REASON = encodeBytes32String("COURT-2026-7");
type RoleName =
  "DEFAULT_ADMIN_ROLE" | "CUSTODIAN_ROLE" | "PAUSER_ROLE" | "COMPLIANCE_ROLE" | "ORACLE_ROLE" | "MANAGER_ROLE";
const roleId = (role: RoleName): string => (role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role));

const CAST = ["centralBank", "custodian", "oracle", "manager", "pauser", "compliance", "alice", "outsider"] as const;
type CastMember = (typeof CAST)[number];

/** The gold fixture plus signed gold material of alice's, valid for a day, and both implementations' addresses. */
async function accessFixture() {
  const base = await loadFixture(goldFixture);
  const { gold, goldDesk, goldRoles, roles, users } = base;
  const deadline = BigInt(await time.latest()) + 86_400n;
  const cast: Record<CastMember, HardhatEthersSigner> = {
    centralBank: roles.centralBank,
    custodian: goldRoles.custodian,
    oracle: goldRoles.oracle,
    manager: goldRoles.manager,
    pauser: roles.pauser,
    compliance: roles.compliance,
    alice: users.alice,
    outsider: users.outsider,
  };
  return {
    ...base,
    cast,
    deadline,
    goldImplementation: await upgrades.erc1967.getImplementationAddress(await gold.getAddress()),
    deskImplementation: await upgrades.erc1967.getImplementationAddress(await goldDesk.getAddress()),
    signed: await signMaterial(gold, users.alice, users.bob.address, 5n, deadline),
  };
}

type Ctx = Awaited<ReturnType<typeof accessFixture>>;

type Gate = { kind: "self" } | { kind: "payee" } | { kind: "tenge" };

interface GatedFunction {
  /** The file's rule gate; none for a role (or nobody) gate, which the matrix gives. */
  gate?: Gate;
  args: (ctx: Ctx) => unknown[];
  prepare?: (ctx: Ctx) => Promise<void>;
}

interface Matrix {
  access: ContractAccess;
  abi: Interface;
  contract: (ctx: Ctx) => BaseContract;
  rolesHeld: Record<CastMember, readonly RoleName[]>;
  gated: Record<string, GatedFunction>;
  open: Record<string, (ctx: Ctx) => Promise<void>>;
}

const accessControlGates = (implementation: (ctx: Ctx) => string): Record<string, GatedFunction> => ({
  "grantRole(bytes32,address)": {
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.users.relayer.address],
  },
  "revokeRole(bytes32,address)": {
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.roles.pauser.address],
  },
  "renounceRole(bytes32,address)": {
    gate: { kind: "self" },
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.roles.pauser.address],
  },
  "upgradeToAndCall(address,bytes)": {
    args: (ctx) => [implementation(ctx), "0x"],
  },
});

const GOLD: Matrix = {
  access: GOLD_TOKEN,
  abi: GoldToken__factory.createInterface(),
  contract: (ctx) => ctx.gold,
  rolesHeld: {
    centralBank: ["DEFAULT_ADMIN_ROLE"],
    custodian: ["CUSTODIAN_ROLE"],
    oracle: [],
    manager: [],
    pauser: ["PAUSER_ROLE"],
    compliance: ["COMPLIANCE_ROLE"],
    alice: [],
    outsider: [],
  },
  gated: {
    ...accessControlGates((ctx) => ctx.goldImplementation),
    "initialize(address)": {
      args: (ctx) => [ctx.users.outsider.address],
    },
    "addBar((bytes32,bytes32,bytes32,address,uint64,uint16))": {
      args: (ctx) => [barInput("AC-1", 1_000n, ctx.users.alice.address)],
    },
    "addBars((bytes32,bytes32,bytes32,address,uint64,uint16)[])": {
      args: (ctx) => [[barInput("AC-1", 1_000n, ctx.users.alice.address)]],
    },
    "removeBar(bytes32)": { args: () => [serial("KZ-0003")] },
    "releaseBar(bytes32)": {
      args: () => [serial("KZ-0002")],
      prepare: async (ctx) => {
        await ctx.gold.connect(ctx.users.alice).redeemBar(serial("KZ-0002"));
      },
    },
    "freeze(address,bytes32)": {
      args: (ctx) => [ctx.users.alice.address, REASON],
    },
    "unfreeze(address,bytes32)": {
      args: (ctx) => [ctx.users.alice.address, REASON],
      prepare: async (ctx) => {
        await ctx.gold.connect(ctx.roles.compliance).freeze(ctx.users.alice, REASON);
      },
    },
    "pause()": { args: () => [] },
    "unpause()": {
      args: () => [],
      prepare: async (ctx) => {
        await ctx.gold.connect(ctx.roles.pauser).pause();
      },
    },
    [RECEIVE_VRS]: {
      gate: { kind: "payee" },
      args: ({ signed }) => receiveArgs("v, r, s", signed),
    },
    [RECEIVE_BYTES]: {
      gate: { kind: "payee" },
      args: ({ signed }) => receiveArgs("bytes", signed),
    },
  },
  open: {
    "approve(address,uint256)": async ({ gold, users }) => {
      await gold.connect(users.alice).approve(users.bob, 7n);
      expect(await gold.allowance(users.alice, users.bob)).to.equal(7n);
    },
    "transfer(address,uint256)": async ({ gold, users }) => {
      await expect(gold.connect(users.alice).transfer(users.bob, 7n)).to.changeTokenBalance(gold, users.bob, 7n);
    },
    "transferFrom(address,address,uint256)": async ({ gold, users }) => {
      await gold.connect(users.alice).approve(users.bob, 7n);
      await expect(gold.connect(users.bob).transferFrom(users.alice, users.carol, 7n)).to.changeTokenBalance(
        gold,
        users.carol,
        7n,
      );
    },
    "redeemBar(bytes32)": async ({ gold, users }) => {
      await expect(gold.connect(users.alice).redeemBar(serial("KZ-0002"))).to.emit(gold, "BarRedeemed");
    },
    "syncParticipant(address)": async ({ gold, tenge, banks, users }) => {
      await tenge.connect(banks.bankB).onboard(users.relayer, 0);
      await expect(gold.connect(users.outsider).syncParticipant(users.relayer)).to.emit(gold, "ParticipantSynced");
    },
    "syncParticipants(address[])": async ({ gold, tenge, banks, users }) => {
      await tenge.connect(banks.bankB).onboard(users.relayer, 0);
      await expect(gold.connect(users.outsider).syncParticipants([users.relayer])).to.emit(gold, "ParticipantSynced");
    },
    // permit, transferWithAuthorization and cancelAuthorization, relayed by the outsider
    ...signedOpenCases<Ctx>(({ gold, users, signed }) => ({
      token: gold,
      owner: users.alice,
      spender: users.bob,
      relayer: users.outsider,
      signed,
    })),
  },
};

const DESK: Matrix = {
  access: GOLD_DESK,
  abi: GoldDesk__factory.createInterface(),
  contract: (ctx) => ctx.goldDesk,
  rolesHeld: {
    centralBank: ["DEFAULT_ADMIN_ROLE"],
    custodian: [],
    oracle: ["ORACLE_ROLE"],
    manager: ["MANAGER_ROLE"],
    pauser: ["PAUSER_ROLE"],
    compliance: [],
    alice: [],
    outsider: [],
  },
  gated: {
    ...accessControlGates((ctx) => ctx.deskImplementation),
    "initialize(address,address,uint256,uint256,uint256)": {
      args: (ctx) => [ctx.users.outsider.address, ctx.users.outsider.address, 900n, 500n, 50n],
    },
    "publishPrice(uint256,uint256)": {
      args: (ctx) => [PRICE + 1n, ctx.deadline - 86_400n],
    },
    "setConfig(uint256,uint256,uint256)": {
      args: () => [600n, 300n, 25n],
    },
    "setTreasury(address)": {
      args: (ctx) => [ctx.users.treasury.address],
    },
    "withdraw(address,address,uint256)": {
      args: (ctx) => [ctx.gold.target, ctx.goldRoles.custodian.address, grams("1")],
    },
    "pause()": { args: () => [] },
    "unpause()": {
      args: () => [],
      prepare: async (ctx) => {
        await ctx.goldDesk.connect(ctx.roles.pauser).pause();
      },
    },
    "onTransferReceived(address,address,uint256,bytes)": {
      gate: { kind: "tenge" },
      args: (ctx) => [
        ctx.users.alice.address,
        ctx.users.alice.address,
        buyCost(grams("1"), PRICE, 50n).total,
        encodeBuyOrder(grams("1"), PRICE, ctx.deadline),
      ],
    },
  },
  open: {
    "buy(uint256,uint256,uint256)": async ({ goldDesk, tenge, gold, users, deadline }) => {
      await tenge.connect(users.alice).approve(goldDesk, kzt("100000"));
      await expect(goldDesk.connect(users.alice).buy(grams("1"), PRICE, deadline)).to.changeTokenBalance(
        gold,
        users.alice,
        grams("1"),
      );
    },
    "sell(uint256,uint256,uint256)": async ({ goldDesk, gold, users, deadline }) => {
      await gold.connect(users.alice).approve(goldDesk, grams("1"));
      await expect(goldDesk.connect(users.alice).sell(grams("1"), PRICE, deadline)).to.changeTokenBalance(
        gold,
        users.alice,
        -grams("1"),
      );
    },
  },
};

function passes(gate: Gate, member: CastMember): boolean {
  switch (gate.kind) {
    case "self":
      return member === "pauser";
    case "payee": // bob, the payee, is not in the cast
    case "tenge": // only the tenge contract itself
      return false;
  }
}

function expectedError(gate: Gate, ctx: Ctx, member: CastMember): { error: string; args: unknown[] } {
  const caller = ctx.cast[member].address;
  switch (gate.kind) {
    case "self":
      return { error: "AccessControlBadConfirmation", args: [] };
    case "payee":
      return { error: "SignedTransfersCallerNotPayee", args: [caller, ctx.users.bob.address] };
    case "tenge":
      return { error: "GoldDeskNotTenge", args: [caller] };
  }
}

/** Role gates come from the matrix; the rule gates are this file's. */
function toCase({ gate, args, prepare }: GatedFunction): GatedCase<Ctx, CastMember> {
  if (gate === undefined) return { args, prepare };
  return {
    args,
    prepare,
    admits: (m) => passes(gate, m),
    refusal: (ctx, m) => expectedError(gate, ctx, m),
    caller: (ctx) => (gate.kind === "payee" ? ctx.users.bob : ctx.cast.pauser),
    admittedElsewhere: gate.kind === "tenge" ? "the tenge's callback: test/gold/GoldDesk.trading.test.ts" : undefined,
  };
}

for (const m of [GOLD, DESK]) {
  describeAccessMatrix({
    title: `${m.access.contract} access control`,
    matrix: m.access,
    abi: m.abi,
    fixture: accessFixture,
    contract: m.contract,
    members: CAST,
    cast: (ctx) => ctx.cast,
    rolesHeld: m.rolesHeld,
    cases: casesFrom(m.gated, toCase, m.open),
  });
}

describe("gold separation of duties", function () {
  it("the custodian cannot freeze, pause or publish a price", async function () {
    const { gold, goldDesk, goldRoles, users } = await loadFixture(accessFixture);
    await expect(gold.connect(goldRoles.custodian).freeze(users.alice, REASON))
      .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
      .withArgs(goldRoles.custodian.address, roleId("COMPLIANCE_ROLE"));
    await expect(gold.connect(goldRoles.custodian).pause())
      .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
      .withArgs(goldRoles.custodian.address, roleId("PAUSER_ROLE"));
    await expect(goldDesk.connect(goldRoles.custodian).publishPrice(PRICE, 1n))
      .to.be.revertedWithCustomError(goldDesk, "AccessControlUnauthorizedAccount")
      .withArgs(goldRoles.custodian.address, roleId("ORACLE_ROLE"));
  });

  it("the oracle cannot change the bounds it is held to", async function () {
    const { goldDesk, goldRoles } = await loadFixture(accessFixture);
    await expect(goldDesk.connect(goldRoles.oracle).setConfig(900n, 10_000n, 50n))
      .to.be.revertedWithCustomError(goldDesk, "AccessControlUnauthorizedAccount")
      .withArgs(goldRoles.oracle.address, roleId("MANAGER_ROLE"));
  });

  it("the manager cannot register bars or publish prices", async function () {
    const { gold, goldDesk, goldRoles, users } = await loadFixture(accessFixture);
    await expect(gold.connect(goldRoles.manager).addBar(barInput("X-1", 1n, users.alice.address)))
      .to.be.revertedWithCustomError(gold, "AccessControlUnauthorizedAccount")
      .withArgs(goldRoles.manager.address, roleId("CUSTODIAN_ROLE"));
    await expect(goldDesk.connect(goldRoles.manager).publishPrice(PRICE, 1n))
      .to.be.revertedWithCustomError(goldDesk, "AccessControlUnauthorizedAccount")
      .withArgs(goldRoles.manager.address, roleId("ORACLE_ROLE"));
  });
});
