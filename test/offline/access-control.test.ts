import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { FunctionFragment, ZeroHash, id } from "ethers";
import { DigitalTenge__factory, TengeOffline__factory } from "../../typechain-types";
import { encodeOfflineBatch, signOfflineCancellation } from "../../scripts/lib/offline";
import { kzt } from "../fixtures/tenge.fixture";
import { now, offlineFixture, payment, sign } from "./helpers";

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
const ROLES_HELD: Partial<Record<CastMember, RoleName>> = {
  centralBank: "DEFAULT_ADMIN_ROLE",
  desk: "CENTRAL_BANK_ROLE",
  pauser: "PAUSER_ROLE",
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

type Gate = { kind: "role"; role: RoleName } | { kind: "payee" } | { kind: "self" };
interface GatedFunction {
  gate: Gate;
  args: (ctx: Ctx) => unknown[];
}

const GATED: Record<string, GatedFunction> = {
  "settleOfflinePayments(address,bytes)": {
    gate: { kind: "payee" },
    args: (ctx) => [ctx.users.merchant.address, ctx.batch],
  },
  "setOfflinePurseCaps(uint256[4])": {
    gate: { kind: "role", role: "CENTRAL_BANK_ROLE" },
    args: () => [[1n, 2n, 3n, 4n]],
  },
  // AccessControl, inherited through TengeBase: at the proxy the token itself answers these selectors.
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

function stateChanging(fragments: readonly { type: string }[]): string[] {
  return fragments
    .filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
    .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
    .map((f) => f.format("sighash"))
    .sort();
}

const OFFLINE_ABI = TengeOffline__factory.createInterface();
const ABI_STATE_CHANGING = stateChanging(OFFLINE_ABI.fragments);

function passes(gate: Gate, member: CastMember): boolean {
  if (gate.kind === "role") return ROLES_HELD[member] === gate.role;
  if (gate.kind === "self") return member === "pauser";
  return false; // the payee (merchant) is not in the cast
}

function expectedError(gate: Gate, ctx: Ctx, member: CastMember): { error: string; args: unknown[] } {
  const caller = ctx.cast[member].address;
  if (gate.kind === "role") return { error: "AccessControlUnauthorizedAccount", args: [caller, roleId(gate.role)] };
  if (gate.kind === "self") return { error: "AccessControlBadConfirmation", args: [] };
  return { error: "TengeOfflineCallerNotPayee", args: [caller, ctx.users.merchant.address] };
}

function authorised(gate: Gate, ctx: Ctx): HardhatEthersSigner {
  if (gate.kind === "payee") return ctx.users.merchant;
  const member = CAST.find((m) => passes(gate, m));
  if (member === undefined) throw new Error("no authorised caller");
  return ctx.cast[member];
}

describe("TengeOffline access control (TengeOffline ABI at the token's address)", function () {
  describe("the matrix itself", function () {
    it("classifies every state-changing function of the module's ABI as gated or open", function () {
      const unclassified = ABI_STATE_CHANGING.filter((sig) => !(sig in GATED) && !(sig in OPEN));
      expect(unclassified, "add these functions to GATED or OPEN").to.deep.equal([]);
    });

    it("lists no function as both gated and open, and none the ABI lacks", function () {
      expect(Object.keys(GATED).filter((sig) => sig in OPEN)).to.deep.equal([]);
      const listed = [...Object.keys(GATED), ...Object.keys(OPEN)];
      expect(listed.filter((sig) => !ABI_STATE_CHANGING.includes(sig))).to.deep.equal([]);
    });

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

    it("assumes the role holders the deploy scripts set up", async function () {
      const ctx = await loadFixture(accessFixture);
      for (const member of CAST) {
        for (const role of ["DEFAULT_ADMIN_ROLE", "CENTRAL_BANK_ROLE", "PAUSER_ROLE"] as const) {
          expect(await ctx.tenge.hasRole(roleId(role), ctx.cast[member]), `${member} ${role}`).to.equal(
            ROLES_HELD[member] === role,
          );
        }
      }
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
      const { gate, args } = gated;
      for (const member of CAST) {
        if (passes(gate, member)) continue;
        it(`reverts for the ${member} with the gate's error`, async function () {
          const ctx = await loadFixture(accessFixture);
          const { error, args: errorArgs } = expectedError(gate, ctx, member);
          await expect(ctx.offline.connect(ctx.cast[member]).getFunction(sig)(...args(ctx)))
            .to.be.revertedWithCustomError(ctx.offline, error)
            .withArgs(...errorArgs);
        });
      }
      it("succeeds with the same arguments for the caller the gate admits", async function () {
        const ctx = await loadFixture(accessFixture);
        const receipt = await (await ctx.offline.connect(authorised(gate, ctx)).getFunction(sig)(...args(ctx))).wait();
        expect(receipt?.status).to.equal(1);
      });
    });
  }

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
