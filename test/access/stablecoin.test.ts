import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { TengeStablecoin__factory } from "../../typechain-types";
import {
  STABLECOIN_ROLES,
  expectReservesHeld,
  kzt,
  roleId,
  stablecoinFixture,
  type StablecoinRole,
} from "../fixtures/stablecoin.fixture";
import { TENGE_STABLECOIN } from "../../scripts/lib/access-matrix";
import { casesFrom, describeAccessMatrix, type GatedCase } from "../helpers/access-matrix";
import { receiveArgs, signMaterial, signedOpenCases } from "../helpers/signed";
import { RECEIVE_BYTES, RECEIVE_VRS } from "../../scripts/lib/eip712";

/*
 * An ABI-driven access matrix. Every state-changing function of TengeStablecoin must appear in exactly one of two
 * tables: GATED (who may call it and the exact error everyone else gets) or OPEN (what any holder may do). A
 * function added to the contract and to neither table makes the "is classified" test fail.
 */

/** Everyone the matrix calls as. */
const CAST = ["centralBank", "desk", "pauser", "compliance", "enforcement", "alice", "outsider"] as const;
type CastMember = (typeof CAST)[number];

/** The stablecoin roles the deploy script gives each cast member (checked against the chain below). */
const ROLES_HELD: Record<CastMember, readonly StablecoinRole[]> = {
  centralBank: ["DEFAULT_ADMIN_ROLE"],
  desk: ["ISSUER_ROLE", "RESCUER_ROLE"],
  pauser: ["PAUSER_ROLE"],
  compliance: ["BLACKLISTER_ROLE"],
  enforcement: [],
  alice: [],
  outsider: [],
};

/**
 * The base fixture plus: 25 KZT of surplus tenge; a stray token the stablecoin holds; signed material valid for a
 * day (alice's permit to bob, her transfer and receive authorizations to bob, a cancellation); the implementation.
 */
async function accessFixture() {
  const base = await loadFixture(stablecoinFixture);
  const { tenge, coin, roles, users } = base;
  await (await tenge.connect(users.carol).transfer(coin, kzt("25"))).wait();
  const stray = await ethers.deployContract("BaselineERC20");
  await (await stray.mint(coin, 1000n)).wait();
  const deadline = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0) + 86_400n;
  const cast: Record<CastMember, HardhatEthersSigner> = {
    centralBank: roles.centralBank,
    desk: roles.desk,
    pauser: roles.pauser,
    compliance: roles.compliance,
    enforcement: roles.enforcement,
    alice: users.alice,
    outsider: users.outsider,
  };
  return {
    ...base,
    cast,
    stray,
    implementation: await upgrades.erc1967.getImplementationAddress(await coin.getAddress()),
    signed: await signMaterial(coin, users.alice, users.bob.address, kzt("5"), deadline),
  };
}

type Ctx = Awaited<ReturnType<typeof accessFixture>>;

/** Who passes a function's gate. */
type Gate = { kind: "tenge" } | { kind: "payee" } | { kind: "self" };

interface GatedFunction {
  /** The file's rule gate; none for a role (or nobody) gate, which the matrix gives. */
  gate?: Gate;
  args: (ctx: Ctx) => unknown[] | Promise<unknown[]>;
  /** Brings the token into a state where the authorised call makes sense (e.g. pause before unpause). */
  prepare?: (ctx: Ctx) => Promise<void>;
}

/** Every gated state-changing function, with plausible arguments. */
const GATED: Record<string, GatedFunction> = {
  // AccessControl and UUPS
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
    args: (ctx) => [ctx.implementation, "0x"],
  },
  "initialize(address)": {
    args: (ctx) => [ctx.users.outsider.address],
  },
  // Operations
  "pause()": { args: () => [] },
  "unpause()": {
    args: () => [],
    prepare: async (ctx) => {
      await ctx.coin.connect(ctx.roles.pauser).pause();
    },
  },
  "blacklist(address)": {
    args: (ctx) => [ctx.users.bob.address],
  },
  "unBlacklist(address)": {
    args: (ctx) => [ctx.users.bob.address],
    prepare: async (ctx) => {
      await ctx.coin.connect(ctx.roles.compliance).blacklist(ctx.users.bob);
    },
  },
  "recoverSurplus(address)": {
    args: (ctx) => [ctx.users.treasury.address],
  },
  "rescueERC20(address,address,uint256)": {
    args: async (ctx) => [await ctx.stray.getAddress(), ctx.users.carol.address, 1000n],
  },
  // Only the digital tenge calls back after moving tenge in
  "onTransferReceived(address,address,uint256,bytes)": {
    gate: { kind: "tenge" },
    args: (ctx) => [ctx.users.alice.address, ctx.users.alice.address, kzt("1"), "0x"],
  },
  // Signed payments only the payee may submit
  [RECEIVE_VRS]: {
    gate: { kind: "payee" },
    args: ({ signed }) => receiveArgs("v, r, s", signed),
  },
  [RECEIVE_BYTES]: {
    gate: { kind: "payee" },
    args: ({ signed }) => receiveArgs("bytes", signed),
  },
};

/** What any holder (or, for signed messages, any relayer) may do: each runs and checks its effect. */
const OPEN: Record<string, (ctx: Ctx) => Promise<void>> = {
  "approve(address,uint256)": async ({ coin, users }) => {
    await coin.connect(users.alice).approve(users.bob, kzt("7"));
    expect(await coin.allowance(users.alice, users.bob)).to.equal(kzt("7"));
  },
  "transfer(address,uint256)": async ({ coin, users }) => {
    await expect(coin.connect(users.alice).transfer(users.bob, kzt("7"))).to.changeTokenBalances(
      coin,
      [users.alice, users.bob],
      [-kzt("7"), kzt("7")],
    );
  },
  "transferFrom(address,address,uint256)": async ({ coin, users }) => {
    await coin.connect(users.alice).approve(users.bob, kzt("7"));
    await expect(coin.connect(users.bob).transferFrom(users.alice, users.carol, kzt("7"))).to.changeTokenBalances(
      coin,
      [users.alice, users.carol],
      [-kzt("7"), kzt("7")],
    );
  },
  "deposit(uint256,address)": async ({ tenge, coin, users }) => {
    await tenge.connect(users.carol).approve(coin, kzt("7"));
    await expect(coin.connect(users.carol).deposit(kzt("7"), users.carol)).to.changeTokenBalance(
      coin,
      users.carol,
      kzt("7"),
    );
  },
  "withdraw(uint256,address)": async ({ tenge, coin, users }) => {
    await expect(coin.connect(users.alice).withdraw(kzt("7"), users.alice)).to.changeTokenBalance(
      tenge,
      users.alice,
      kzt("7"),
    );
  },
  // permit, transferWithAuthorization and cancelAuthorization, relayed by the outsider
  ...signedOpenCases<Ctx>(({ coin, users, signed }) => ({
    token: coin,
    owner: users.alice,
    spender: users.bob,
    relayer: users.outsider,
    signed,
  })),
};

/** Whether `member` passes `gate`. */
function passes(gate: Gate, member: CastMember): boolean {
  switch (gate.kind) {
    case "tenge":
    case "payee":
      return false; // the tenge and bob (the payee) are not in the cast
    case "self":
      return member === "pauser";
  }
}

/** The exact error `caller` gets from a function behind `gate`. */
function expectedError(gate: Gate, ctx: Ctx, member: CastMember): { error: string; args: unknown[] } {
  const caller = ctx.cast[member].address;
  switch (gate.kind) {
    case "tenge":
      return { error: "TengeStablecoinCallerNotTenge", args: [caller] };
    case "payee":
      return { error: "SignedTransfersCallerNotPayee", args: [caller, ctx.users.bob.address] };
    case "self":
      return { error: "AccessControlBadConfirmation", args: [] };
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
    admittedElsewhere: gate.kind === "tenge" ? "the tenge's callback: test/stablecoin/deposit.test.ts" : undefined,
  };
}

describe("TengeStablecoin access control", function () {
  afterEach(expectReservesHeld);

  describeAccessMatrix({
    title: "the ABI-driven matrix",
    matrix: TENGE_STABLECOIN,
    abi: TengeStablecoin__factory.createInterface(),
    fixture: accessFixture,
    contract: (ctx) => ctx.coin,
    members: CAST,
    cast: (ctx) => ctx.cast,
    rolesHeld: ROLES_HELD,
    cases: casesFrom(GATED, toCase, OPEN),
  });

  it("knows every stablecoin role the fixture does", function () {
    expect([...STABLECOIN_ROLES].sort()).to.deep.equal(Object.keys(TENGE_STABLECOIN.roles).sort());
  });

  describe("separation of duties", function () {
    it("the blacklister cannot move a blacklisted account's funds", async function () {
      const { coin, roles, users } = await loadFixture(accessFixture);
      await coin.connect(roles.compliance).blacklist(users.alice);
      await expect(coin.connect(roles.compliance).transferFrom(users.alice, roles.compliance, kzt("1")))
        .to.be.revertedWithCustomError(coin, "ERC20InsufficientAllowance")
        .withArgs(roles.compliance.address, 0n, kzt("1"));
    });

    it("the tenge's central bank desk holds no stablecoin admin role: it cannot grant roles", async function () {
      const { coin, roles, users } = await loadFixture(accessFixture);
      await expect(coin.connect(roles.desk).grantRole(roleId("PAUSER_ROLE"), users.outsider))
        .to.be.revertedWithCustomError(coin, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, roleId("DEFAULT_ADMIN_ROLE"));
    });

    it("the central bank admin holds no operational role: it cannot pause", async function () {
      const { coin, roles } = await loadFixture(accessFixture);
      await expect(coin.connect(roles.centralBank).pause())
        .to.be.revertedWithCustomError(coin, "AccessControlUnauthorizedAccount")
        .withArgs(roles.centralBank.address, roleId("PAUSER_ROLE"));
    });

    it("a revoked issuer can no longer recover surplus", async function () {
      const { coin, roles, users } = await loadFixture(accessFixture);
      await coin.connect(roles.centralBank).revokeRole(roleId("ISSUER_ROLE"), roles.desk);
      await expect(coin.connect(roles.desk).recoverSurplus(users.treasury))
        .to.be.revertedWithCustomError(coin, "AccessControlUnauthorizedAccount")
        .withArgs(roles.desk.address, roleId("ISSUER_ROLE"));
    });
  });
});
