import { expect } from "chai";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { loadFixture } from "../helpers/fixture";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { FunctionFragment, ZeroHash, id } from "ethers";
import { DigitalTenge__factory, TengeOffline__factory } from "../../typechain-types";
import { DIGITAL_TENGE } from "../../scripts/lib/access-matrix";
import { casesFrom, describeAccessMatrix, stateChanging, type GatedCase } from "../helpers/access-matrix";
import { encodeOfflineBatch, signOfflineCancellation } from "../../scripts/lib/offline";
import { kzt } from "../fixtures/tenge.fixture";
import { now, offlineFixture, payment, sign } from "../offline/helpers";

/*
 * The ABI-driven access matrix of the TengeOffline ABI, called at the token's (proxy's) address. Every
 * state-changing function of the module's ABI is in exactly one of GATED (who may call it and the exact error
 * everyone else gets) or OPEN (what any holder, or any relayer of a signed message, may do). A function added to
 * the module and to neither table makes the "is classified" test fail.
 */

type RoleName = "DEFAULT_ADMIN_ROLE" | "CENTRAL_BANK_ROLE" | "PAUSER_ROLE";
const roleId = (role: RoleName): string => (role === "DEFAULT_ADMIN_ROLE" ? ZeroHash : id(role));

const CAST = [
  "centralBank",
  "desk",
  "pauser",
  "compliance",
  "enforcement",
  "bankA",
  "bankB",
  "alice",
  "outsider",
] as const;
type CastMember = (typeof CAST)[number];
const ROLES_HELD: Record<CastMember, readonly string[]> = {
  centralBank: ["DEFAULT_ADMIN_ROLE"],
  desk: ["CENTRAL_BANK_ROLE"],
  pauser: ["PAUSER_ROLE"],
  compliance: ["COMPLIANCE_ROLE"],
  enforcement: ["SEIZURE_ROLE"],
  bankA: [],
  bankB: [],
  alice: [],
  outsider: [],
};

/** The offline fixture plus a batch the merchant may settle, a signed cancellation and an ended purse of alice's. */
async function accessFixture() {
  const base = await loadFixture(offlineFixture);
  const { offline, domain, payers, users } = base;
  const batch = encodeOfflineBatch([await sign(payers.dave, await payment(users.merchant.address, "5"), domain)]);
  const cancellation = await signOfflineCancellation(payers.dave, domain, 77n);
  const until = (await now()) + 100n;
  await (await offline.connect(users.alice).reservePurse(kzt("10"), until, users.merchant)).wait();
  await time.increaseTo(until);
  const cast: Record<CastMember, HardhatEthersSigner> = {
    ...base.roles,
    ...base.banks,
    alice: users.alice,
    outsider: users.outsider,
  };
  return { ...base, batch, cancellation, cast };
}
type Ctx = Awaited<ReturnType<typeof accessFixture>>;

type Gate = { kind: "payee" } | { kind: "self" };
interface GatedFunction {
  /** The file's rule gate; none for a role gate, which the matrix gives. */
  gate?: Gate;
  args: (ctx: Ctx) => unknown[];
}

const GATED: Record<string, GatedFunction> = {
  "settleOfflinePayments(address,bytes)": {
    gate: { kind: "payee" },
    args: (ctx) => [ctx.users.merchant.address, ctx.batch],
  },
  "setOfflinePurseCaps(uint256[4])": {
    args: () => [[1n, 2n, 3n, 4n]],
  },
  // AccessControl, inherited through TengeBase: at the proxy the token itself answers these selectors.
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
};

/** What any holder (or any relayer of a payer's signature) may do; each runs as a holder and checks its effect. */
const OPEN: Record<string, (ctx: Ctx) => Promise<void>> = {
  "cancelOfflinePayment(uint256)": async ({ offline, users }) => {
    await (await offline.connect(users.outsider).cancelOfflinePayment(3n)).wait();
    expect(await offline.offlineNonceStatus(users.outsider, 3n)).to.equal(2n);
  },
  "cancelOfflineNonces(uint256,uint256)": async ({ offline, users }) => {
    await (await offline.connect(users.outsider).cancelOfflineNonces(1n, 6n)).wait();
    expect(await offline.offlineNonceStatus(users.outsider, 257n)).to.equal(2n);
  },
  "cancelOfflinePaymentWithSignature(address,uint256,bytes32,bytes32)": async ({
    offline,
    users,
    payers,
    cancellation,
  }) => {
    await (
      await offline
        .connect(users.outsider)
        .cancelOfflinePaymentWithSignature(payers.dave, 77n, cancellation.r, cancellation.yParityAndS)
    ).wait();
    expect(await offline.offlineNonceStatus(payers.dave, 77n)).to.equal(2n);
  },
  "reservePurse(uint256,uint256,address)": async ({ offline, users }) => {
    await (await offline.connect(users.bob).reservePurse(kzt("1"), (await now()) + 1000n, users.merchant)).wait();
    expect((await offline.purseOf(users.bob)).amount).to.equal(kzt("1"));
  },
  "releasePurse()": async ({ offline, tenge, users }) => {
    await expect(offline.connect(users.alice).releasePurse()).to.changeTokenBalance(tenge, users.alice, kzt("10"));
  },
};

const OFFLINE_ABI = TengeOffline__factory.createInterface();
const ABI_STATE_CHANGING = stateChanging(OFFLINE_ABI);

function passes(gate: Gate, member: CastMember): boolean {
  return gate.kind === "self" && member === "pauser"; // the payee (merchant) is not in the cast
}

function expectedError(gate: Gate, ctx: Ctx, member: CastMember): { error: string; args: unknown[] } {
  const caller = ctx.cast[member].address;
  if (gate.kind === "self") return { error: "AccessControlBadConfirmation", args: [] };
  return { error: "TengeOfflineCallerNotPayee", args: [caller, ctx.users.merchant.address] };
}

/** Role gates come from the matrix; the rule gates are this file's. */
function toCase({ gate, args }: GatedFunction): GatedCase<Ctx, CastMember> {
  if (gate === undefined) return { args };
  return {
    args,
    admits: (m) => passes(gate, m),
    refusal: (ctx, m) => expectedError(gate, ctx, m),
    caller: (ctx) => (gate.kind === "payee" ? ctx.users.merchant : ctx.cast.pauser),
  };
}

describeAccessMatrix({
  title: "TengeOffline access control (TengeOffline ABI at the token's address)",
  matrix: DIGITAL_TENGE,
  abi: OFFLINE_ABI,
  fixture: accessFixture,
  contract: (ctx) => ctx.offline,
  members: CAST,
  cast: (ctx) => ctx.cast,
  rolesHeld: ROLES_HELD,
  cases: casesFrom(GATED, toCase, OPEN),
});

describe("TengeOffline access control", function () {
  it("every offline function reaches the module: the token's own ABI has none of their selectors", function () {
    const token = new Set(
      DigitalTenge__factory.createInterface()
        .fragments.filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
        .map((f) => f.selector),
    );
    const own = [...ABI_STATE_CHANGING, "purseOf(address)", "offlineNonceStatus(address,uint256)"].filter(
      (sig) =>
        !["grantRole(bytes32,address)", "revokeRole(bytes32,address)", "renounceRole(bytes32,address)"].includes(sig),
    );
    for (const sig of own) {
      const fragment = FunctionFragment.from(sig);
      expect(token.has(fragment.selector), sig).to.equal(false);
    }
  });

  describe("the module itself", function () {
    it("called directly (not through the token) it holds no roles and moves nothing", async function () {
      const ctx = await loadFixture(accessFixture);
      const module = TengeOffline__factory.connect(await ctx.tenge.offlineModule(), ctx.roles.desk);
      await expect(module.setOfflinePurseCaps([1n, 1n, 1n, 1n]))
        .to.be.revertedWithCustomError(module, "AccessControlUnauthorizedAccount")
        .withArgs(ctx.roles.desk.address, roleId("CENTRAL_BANK_ROLE"));
      await expect(module.connect(ctx.users.merchant).settleOfflinePayments(ctx.users.merchant, ctx.batch)).to.be
        .reverted;
      await expect(module.connect(ctx.users.alice).reservePurse(1n, (await now()) + 100n, ctx.users.merchant))
        .to.be.revertedWithCustomError(module, "TengeOfflinePurseCapExceeded")
        .withArgs(ctx.users.alice.address, 0n, 1n);
    });
  });
});
