import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { FunctionFragment } from "ethers";
import type { BaseContract, ContractTransactionResponse, Interface } from "ethers";
import { accessErrors, roleId, type ContractAccess, type FunctionAccess } from "../../scripts/lib/access-matrix";

/*
 * The shared ABI-driven access-control harness. A test file per contract (test/access/*.test.ts) gives the fixture,
 * the cast it calls as, the roles each cast member holds and, per state-changing function of the ABI, arguments
 * (gated functions) or an effect check (functions anyone may call). Who may call what comes from the matrix in
 * scripts/lib/access-matrix.ts; this harness then
 *   - fails for a function of the ABI the matrix or the file does not cover, and for a case the ABI lacks;
 *   - calls every gated function from every cast member the gate refuses and expects the exact custom error;
 *   - calls it from a member the gate admits and expects no access error (and, unless the case says otherwise,
 *     success);
 *   - runs the effect check of every function anyone may call.
 */

/** The exact error a refused caller gets. */
export interface Refusal {
  error: string;
  args: unknown[];
}

/** A function the matrix gates (some gate is a role, a rule or nobody). */
export interface GatedCase<Ctx, Member extends string> {
  readonly args: (ctx: Ctx) => unknown[] | Promise<unknown[]>;
  /** Brings the contract into a state where the admitted call makes sense (e.g. pause before unpause). */
  readonly prepare?: (ctx: Ctx) => Promise<void>;
  /** Which cast members the gate admits. Default for a single role gate: the role's holders. */
  readonly admits?: (member: Member) => boolean;
  /** The error a refused cast member gets. Default for a single role gate: AccessControlUnauthorizedAccount. */
  readonly refusal?: (ctx: Ctx, member: Member) => Refusal;
  /** The admitted caller when it is not in the cast (e.g. the payee). Default: the first admitted cast member. */
  readonly caller?: (ctx: Ctx) => HardhatEthersSigner | undefined;
  /** Replaces the admitted call: runs the admitted path itself and checks its effect. */
  readonly admitted?: (ctx: Ctx) => Promise<void>;
  /** Why no admitted call is made here (only a contract is admitted, and its path is tested elsewhere). */
  readonly admittedElsewhere?: string;
  /** The admitted call may revert, for a reason other than access (the harness still checks it is not an access error). */
  readonly mayRevertOtherwise?: boolean;
}

/** A function anyone may call: runs as a holder (or relayer) and checks its effect. */
export interface OpenCase<Ctx> {
  readonly open: (ctx: Ctx) => Promise<void>;
}

export type AccessCase<Ctx, Member extends string> = GatedCase<Ctx, Member> | OpenCase<Ctx>;

export interface AccessSuite<Ctx, Member extends string> {
  readonly title: string;
  readonly matrix: ContractAccess;
  /** The ABI under test (one of matrix.abis). */
  readonly abi: Interface;
  readonly fixture: () => Promise<Ctx>;
  /** The contract the ABI is called at. */
  readonly contract: (ctx: Ctx) => BaseContract;
  readonly members: readonly Member[];
  readonly cast: (ctx: Ctx) => Record<Member, HardhatEthersSigner>;
  /** The matrix's roles each cast member holds (checked against the chain). */
  readonly rolesHeld: Record<Member, readonly string[]>;
  /** By function signature (`name(types)`), one per state-changing function of the ABI. */
  readonly cases: Readonly<Record<string, AccessCase<Ctx, Member>>>;
}

/**
 * The cases of a test file that keeps gated functions (arguments and, for rule gates, the file's own gate) and open
 * functions (effect checks) in two tables. `toCase` turns a gated row into a case.
 */
export function casesFrom<Ctx, Member extends string, G>(
  gated: Readonly<Record<string, G>>,
  toCase: (row: G) => GatedCase<Ctx, Member>,
  open: Readonly<Record<string, (ctx: Ctx) => Promise<void>>>,
): Record<string, AccessCase<Ctx, Member>> {
  const cases: Record<string, AccessCase<Ctx, Member>> = {};
  for (const [sig, row] of Object.entries(gated)) cases[sig] = toCase(row);
  for (const [sig, run] of Object.entries(open)) {
    if (sig in cases) throw new Error(`${sig} is both gated and open in the test file`);
    cases[sig] = { open: run };
  }
  return cases;
}

/** Signatures of the ABI's state-changing functions (neither view nor pure), sorted. */
export function stateChanging(abi: Interface): string[] {
  return abi.fragments
    .filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
    .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
    .map((f) => f.format("sighash"))
    .sort();
}

const nameOf = (sig: string): string => sig.slice(0, sig.indexOf("("));
const isOpen = <Ctx, Member extends string>(c: AccessCase<Ctx, Member>): c is OpenCase<Ctx> => "open" in c;
const allAnyone = (entry: FunctionAccess): boolean => entry.gates.every((g) => g.kind === "anyone");

/** The errors the entry's gates give a refused caller. */
function gateErrors(entry: FunctionAccess): string[] {
  return entry.gates.flatMap((g) => {
    switch (g.kind) {
      case "role":
        return ["AccessControlUnauthorizedAccount"];
      case "rule":
        return [...g.errors];
      case "nobody":
        return [g.error];
      case "anyone":
        return [];
    }
  });
}

interface ResolvedGate<Ctx, Member extends string> {
  admits: (member: Member) => boolean;
  refusal: (ctx: Ctx, member: Member) => Refusal;
  nobody: boolean;
}

/** The case's gate, with the defaults a single role (or nobody) gate implies. */
function resolve<Ctx, Member extends string>(
  suite: AccessSuite<Ctx, Member>,
  sig: string,
  entry: FunctionAccess,
  c: GatedCase<Ctx, Member>,
): ResolvedGate<Ctx, Member> {
  const only = entry.gates.length === 1 ? entry.gates[0] : undefined;
  if (only?.kind === "nobody") {
    return { admits: () => false, refusal: () => ({ error: only.error, args: [] }), nobody: true };
  }
  if (only?.kind === "role") {
    return {
      admits: c.admits ?? ((m) => suite.rolesHeld[m].includes(only.role)),
      refusal:
        c.refusal ??
        ((ctx, m) => ({
          error: "AccessControlUnauthorizedAccount",
          args: [suite.cast(ctx)[m].address, roleId(only.role)],
        })),
      nobody: false,
    };
  }
  if (c.admits === undefined || c.refusal === undefined) {
    throw new Error(`${suite.matrix.contract}.${sig}: a rule or multi-gate function needs admits and refusal`);
  }
  return { admits: c.admits, refusal: c.refusal, nobody: false };
}

function call(contract: BaseContract, caller: HardhatEthersSigner, sig: string, args: unknown[]) {
  return contract.connect(caller).getFunction(sig)(...args) as Promise<ContractTransactionResponse>;
}

/** The custom error's name in a revert, or undefined when it is none the contract's ABI knows. */
function revertName(contract: BaseContract, error: unknown): string | undefined {
  const data = (error as { data?: unknown }).data;
  if (typeof data !== "string" || data.length < 10) return undefined;
  return contract.interface.parseError(data)?.name;
}

/** Registers the matrix tests of one ABI of one contract. */
export function describeAccessMatrix<Ctx, Member extends string>(suite: AccessSuite<Ctx, Member>): void {
  const abiFunctions = stateChanging(suite.abi);
  const accessErrorNames = accessErrors(suite.matrix);

  describe(suite.title, function () {
    describe("the matrix itself", function () {
      it("lists every state-changing function of the ABI in the access matrix", function () {
        const names = new Set(suite.matrix.functions.map((f) => f.name));
        expect(
          abiFunctions.filter((sig) => !names.has(nameOf(sig))),
          "add to scripts/lib/access-matrix.ts",
        ).to.deep.equal([]);
      });

      it("has a case for every state-changing function of the ABI, and none the ABI lacks", function () {
        expect(
          abiFunctions.filter((sig) => !(sig in suite.cases)),
          "add cases",
        ).to.deep.equal([]);
        expect(Object.keys(suite.cases).filter((sig) => !abiFunctions.includes(sig))).to.deep.equal([]);
      });

      it("assumes the role holders the deploy scripts actually set up", async function () {
        const ctx = await loadFixture(suite.fixture);
        const contract = suite.contract(ctx) as unknown as {
          hasRole(role: string, account: string): Promise<boolean>;
        };
        const cast = suite.cast(ctx);
        for (const member of suite.members) {
          for (const role of Object.keys(suite.matrix.roles)) {
            expect(await contract.hasRole(roleId(role), cast[member].address), `${member} ${role}`).to.equal(
              suite.rolesHeld[member].includes(role),
            );
          }
        }
      });
    });

    for (const sig of abiFunctions) {
      const entry = suite.matrix.functions.find((f) => f.name === nameOf(sig));
      const c = suite.cases[sig];
      describe(sig, function () {
        if (entry === undefined || c === undefined) {
          it("is covered by the access matrix and has a case", function () {
            expect.fail(`${sig}: ${entry === undefined ? "not in the access matrix" : "no case in the test file"}`);
          });
          return;
        }
        if (isOpen(c)) {
          it(`may be called by anyone (${entry.gates.map((g) => (g.kind === "anyone" ? g.rule : g.kind)).join("; ")})`, async function () {
            expect(allAnyone(entry), "the matrix gates this function: give it a gated case").to.equal(true);
            await c.open(await loadFixture(suite.fixture));
          });
          return;
        }
        if (allAnyone(entry)) {
          it("is gated in the test file as in the matrix", function () {
            expect.fail(`${sig}: the matrix lets anyone call it, the test file gates it`);
          });
          return;
        }
        const gate = resolve(suite, sig, entry, c);
        const allowed = gateErrors(entry);
        for (const member of suite.members) {
          if (gate.admits(member)) continue;
          it(`reverts for the ${member} with the gate's error`, async function () {
            const ctx = await loadFixture(suite.fixture);
            if (c.prepare) await c.prepare(ctx);
            const { error, args } = gate.refusal(ctx, member);
            expect(allowed, `${error} is not an error of ${sig}'s gates in the matrix`).to.include(error);
            const contract = suite.contract(ctx);
            await expect(call(contract, suite.cast(ctx)[member], sig, await c.args(ctx)))
              .to.be.revertedWithCustomError(contract, error)
              .withArgs(...args);
          });
        }
        if (gate.nobody) return;
        if (c.admittedElsewhere !== undefined) return;
        it("does not refuse the caller the gate admits", async function () {
          const ctx = await loadFixture(suite.fixture);
          if (c.prepare) await c.prepare(ctx);
          if (c.admitted) {
            await c.admitted(ctx);
            return;
          }
          const member = suite.members.find((m) => gate.admits(m));
          const caller = c.caller?.(ctx) ?? (member === undefined ? undefined : suite.cast(ctx)[member]);
          if (caller === undefined) throw new Error(`no admitted caller for ${sig}`);
          const contract = suite.contract(ctx);
          try {
            const receipt = await (await call(contract, caller, sig, await c.args(ctx))).wait();
            expect(receipt?.status).to.equal(1);
          } catch (error) {
            const name = revertName(contract, error);
            expect(accessErrorNames, `the admitted caller got an access error`).not.to.include(name);
            if (!c.mayRevertOtherwise) throw error;
          }
        });
      });
    }
  });
}
