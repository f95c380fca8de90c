import { expect } from "chai";
import { ethers, upgrades } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { FunctionFragment } from "ethers";
import { TengeStablecoin__factory } from "../../typechain-types";
import type { BaselineERC20 } from "../../typechain-types";
import {
  STABLECOIN_ROLES,
  expectReservesHeld,
  kzt,
  roleId,
  stablecoinFixture,
  type StablecoinRole,
} from "../fixtures/stablecoin.fixture";
import { domainOf, randomNonce, signAuthorization, signCancellation, signPermit } from "../../scripts/lib/eip712";

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

const PERMIT_VRS = "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)";
const PERMIT_BYTES = "permit(address,address,uint256,uint256,bytes)";
const TRANSFER_VRS = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
const TRANSFER_BYTES = "transferWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)";
const RECEIVE_VRS = "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,uint8,bytes32,bytes32)";
const RECEIVE_BYTES = "receiveWithAuthorization(address,address,uint256,uint256,uint256,bytes32,bytes)";
const CANCEL_VRS = "cancelAuthorization(address,bytes32,uint8,bytes32,bytes32)";
const CANCEL_BYTES = "cancelAuthorization(address,bytes32,bytes)";

/**
 * The base fixture plus: 25 KZT of surplus tenge; a stray token the stablecoin holds; signed material valid for a
 * day (alice's permit to bob, her transfer and receive authorizations to bob, a cancellation); the implementation.
 */
async function accessFixture() {
  const base = await loadFixture(stablecoinFixture);
  const { tenge, coin, roles, users } = base;
  await (await tenge.connect(users.carol).transfer(coin, kzt("25"))).wait();
  const stray = (await ethers.deployContract("BaselineERC20")) as unknown as BaselineERC20;
  await (await stray.mint(coin, 1000n)).wait();
  const domain = await domainOf(coin);
  const deadline = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0) + 86_400n;
  const permit = { owner: users.alice.address, spender: users.bob.address, value: kzt("5"), nonce: 0n, deadline };
  const auth = {
    from: users.alice.address,
    to: users.bob.address,
    value: kzt("5"),
    validAfter: 0n,
    validBefore: deadline,
    nonce: randomNonce(),
  };
  const cancelNonce = randomNonce();
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
    signed: {
      permit,
      permitSig: await signPermit(users.alice, domain, permit),
      auth,
      transferSig: await signAuthorization(users.alice, domain, auth),
      receiveSig: await signAuthorization(users.alice, domain, auth, true),
      cancelNonce,
      cancelSig: await signCancellation(users.alice, domain, { authorizer: users.alice.address, nonce: cancelNonce }),
    },
  };
}

type Ctx = Awaited<ReturnType<typeof accessFixture>>;

/** Who passes a function's gate. */
type Gate =
  | { kind: "role"; role: StablecoinRole }
  | { kind: "tenge" }
  | { kind: "payee" }
  | { kind: "self" }
  | { kind: "nobody"; error: string };

interface GatedFunction {
  gate: Gate;
  args: (ctx: Ctx) => unknown[] | Promise<unknown[]>;
  /** Brings the token into a state where the authorised call makes sense (e.g. pause before unpause). */
  prepare?: (ctx: Ctx) => Promise<void>;
}

/** Every gated state-changing function, with plausible arguments. */
const GATED: Record<string, GatedFunction> = {
  // AccessControl and UUPS
  "grantRole(bytes32,address)": {
    gate: { kind: "role", role: "DEFAULT_ADMIN_ROLE" },
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.users.relayer.address],
  },
  "revokeRole(bytes32,address)": {
    gate: { kind: "role", role: "DEFAULT_ADMIN_ROLE" },
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.roles.pauser.address],
  },
  "renounceRole(bytes32,address)": {
    gate: { kind: "self" },
    args: (ctx) => [roleId("PAUSER_ROLE"), ctx.roles.pauser.address],
  },
  "upgradeToAndCall(address,bytes)": {
    gate: { kind: "role", role: "DEFAULT_ADMIN_ROLE" },
    args: (ctx) => [ctx.implementation, "0x"],
  },
  "initialize(address)": {
    gate: { kind: "nobody", error: "InvalidInitialization" },
    args: (ctx) => [ctx.users.outsider.address],
  },
  // Operations
  "pause()": { gate: { kind: "role", role: "PAUSER_ROLE" }, args: () => [] },
  "unpause()": {
    gate: { kind: "role", role: "PAUSER_ROLE" },
    args: () => [],
    prepare: async (ctx) => {
      await ctx.coin.connect(ctx.roles.pauser).pause();
    },
  },
  "blacklist(address)": {
    gate: { kind: "role", role: "BLACKLISTER_ROLE" },
    args: (ctx) => [ctx.users.bob.address],
  },
  "unBlacklist(address)": {
    gate: { kind: "role", role: "BLACKLISTER_ROLE" },
    args: (ctx) => [ctx.users.bob.address],
    prepare: async (ctx) => {
      await ctx.coin.connect(ctx.roles.compliance).blacklist(ctx.users.bob);
    },
  },
  "recoverSurplus(address)": {
    gate: { kind: "role", role: "ISSUER_ROLE" },
    args: (ctx) => [ctx.users.treasury.address],
  },
  "rescueERC20(address,address,uint256)": {
    gate: { kind: "role", role: "RESCUER_ROLE" },
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
    args: ({ signed: { auth: a, receiveSig: s } }) => [
      a.from,
      a.to,
      a.value,
      a.validAfter,
      a.validBefore,
      a.nonce,
      s.v,
      s.r,
      s.s,
    ],
  },
  [RECEIVE_BYTES]: {
    gate: { kind: "payee" },
    args: ({ signed: { auth: a, receiveSig: s } }) => [
      a.from,
      a.to,
      a.value,
      a.validAfter,
      a.validBefore,
      a.nonce,
      s.serialized,
    ],
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
  [PERMIT_VRS]: async ({ coin, users, signed: { permit: p, permitSig: s } }) => {
    await coin.connect(users.outsider).getFunction(PERMIT_VRS)(p.owner, p.spender, p.value, p.deadline, s.v, s.r, s.s);
    expect(await coin.allowance(users.alice, users.bob)).to.equal(p.value);
  },
  [PERMIT_BYTES]: async ({ coin, users, signed: { permit: p, permitSig: s } }) => {
    await coin.connect(users.outsider).getFunction(PERMIT_BYTES)(p.owner, p.spender, p.value, p.deadline, s.serialized);
    expect(await coin.allowance(users.alice, users.bob)).to.equal(p.value);
  },
  [TRANSFER_VRS]: async ({ coin, users, signed: { auth: a, transferSig: s } }) => {
    await expect(
      coin.connect(users.outsider).getFunction(TRANSFER_VRS)(
        a.from,
        a.to,
        a.value,
        a.validAfter,
        a.validBefore,
        a.nonce,
        s.v,
        s.r,
        s.s,
      ),
    ).to.changeTokenBalances(coin, [users.alice, users.bob], [-a.value, a.value]);
  },
  [TRANSFER_BYTES]: async ({ coin, users, signed: { auth: a, transferSig: s } }) => {
    await expect(
      coin.connect(users.outsider).getFunction(TRANSFER_BYTES)(
        a.from,
        a.to,
        a.value,
        a.validAfter,
        a.validBefore,
        a.nonce,
        s.serialized,
      ),
    ).to.changeTokenBalances(coin, [users.alice, users.bob], [-a.value, a.value]);
  },
  [CANCEL_VRS]: async ({ coin, users, signed: { cancelNonce, cancelSig: s } }) => {
    await coin.connect(users.outsider).getFunction(CANCEL_VRS)(users.alice, cancelNonce, s.v, s.r, s.s);
    expect(await coin.authorizationState(users.alice, cancelNonce)).to.equal(true);
  },
  [CANCEL_BYTES]: async ({ coin, users, signed: { cancelNonce, cancelSig: s } }) => {
    await coin.connect(users.outsider).getFunction(CANCEL_BYTES)(users.alice, cancelNonce, s.serialized);
    expect(await coin.authorizationState(users.alice, cancelNonce)).to.equal(true);
  },
};

/** Whether `member` passes `gate`. */
function passes(gate: Gate, member: CastMember): boolean {
  switch (gate.kind) {
    case "role":
      return ROLES_HELD[member].includes(gate.role);
    case "tenge":
    case "payee":
    case "nobody":
      return false; // the tenge and bob (the payee) are not in the cast; nobody re-initializes
    case "self":
      return member === "pauser";
  }
}

/** The exact error `caller` gets from a function behind `gate`. */
function expectedError(gate: Gate, ctx: Ctx, member: CastMember): { error: string; args: unknown[] } {
  const caller = ctx.cast[member].address;
  switch (gate.kind) {
    case "role":
      return { error: "AccessControlUnauthorizedAccount", args: [caller, roleId(gate.role)] };
    case "tenge":
      return { error: "TengeStablecoinCallerNotTenge", args: [caller] };
    case "payee":
      return { error: "SignedTransfersCallerNotPayee", args: [caller, ctx.users.bob.address] };
    case "self":
      return { error: "AccessControlBadConfirmation", args: [] };
    case "nobody":
      return { error: gate.error, args: [] };
  }
}

/** The signer the gate lets through, for the positive control (none for the tenge: its callback is tested apart). */
function authorisedCaller(gate: Gate, ctx: Ctx): HardhatEthersSigner | undefined {
  if (gate.kind === "payee") return ctx.users.bob;
  const member = CAST.find((m) => passes(gate, m));
  return member === undefined ? undefined : ctx.cast[member];
}

/** Signatures of the ABI's state-changing functions (neither view nor pure). */
function stateChanging(fragments: readonly { type: string }[]): string[] {
  return fragments
    .filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
    .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
    .map((f) => f.format("sighash"))
    .sort();
}

const ABI_STATE_CHANGING = stateChanging(TengeStablecoin__factory.createInterface().fragments);

describe("TengeStablecoin access control", function () {
  afterEach(expectReservesHeld);

  describe("the matrix itself", function () {
    it("classifies every state-changing function of the deployed token as gated or open", async function () {
      const { coin } = await loadFixture(accessFixture);
      const unclassified = stateChanging(coin.interface.fragments).filter((sig) => !(sig in GATED) && !(sig in OPEN));
      expect(unclassified, "add these functions to GATED or OPEN").to.deep.equal([]);
    });

    it("lists no function as both gated and open", function () {
      expect(Object.keys(GATED).filter((sig) => sig in OPEN)).to.deep.equal([]);
    });

    it("lists no function the ABI lacks (or that is view or pure)", function () {
      const listed = [...Object.keys(GATED), ...Object.keys(OPEN)];
      expect(listed.filter((sig) => !ABI_STATE_CHANGING.includes(sig))).to.deep.equal([]);
    });

    it("assumes the role holders the deploy script actually set up", async function () {
      const ctx = await loadFixture(accessFixture);
      const held: Record<string, StablecoinRole[]> = {};
      for (const member of CAST) {
        held[member] = [];
        for (const role of STABLECOIN_ROLES) {
          if (await ctx.coin.hasRole(roleId(role), ctx.cast[member])) held[member].push(role);
        }
      }
      expect(held).to.deep.equal(ROLES_HELD);
    });
  });

  for (const sig of ABI_STATE_CHANGING) {
    const gated = GATED[sig];
    const open = OPEN[sig];
    describe(sig, function () {
      if (gated === undefined && open === undefined) {
        it("is classified in the access matrix", function () {
          expect.fail(`${sig} is neither in GATED nor in OPEN`);
        });
        return;
      }
      if (open !== undefined) {
        it("may be called by a holder without any role (or relayed by anyone, for signed messages)", async function () {
          await open(await loadFixture(accessFixture));
        });
        return;
      }
      const { gate, args, prepare } = gated;
      for (const member of CAST) {
        if (passes(gate, member)) continue;
        it(`reverts for the ${member} with the gate's error`, async function () {
          const ctx = await loadFixture(accessFixture);
          if (prepare) await prepare(ctx);
          const { error, args: errorArgs } = expectedError(gate, ctx, member);
          await expect(ctx.coin.connect(ctx.cast[member]).getFunction(sig)(...(await args(ctx))))
            .to.be.revertedWithCustomError(ctx.coin, error)
            .withArgs(...errorArgs);
        });
      }
      if (gate.kind !== "nobody" && gate.kind !== "tenge") {
        it("succeeds with the same arguments for the caller the gate admits", async function () {
          const ctx = await loadFixture(accessFixture);
          if (prepare) await prepare(ctx);
          const caller = authorisedCaller(gate, ctx);
          if (caller === undefined) throw new Error(`no authorised caller for ${sig}`);
          const receipt = await (await ctx.coin.connect(caller).getFunction(sig)(...(await args(ctx)))).wait();
          expect(receipt?.status).to.equal(1);
        });
      }
    });
  }

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
