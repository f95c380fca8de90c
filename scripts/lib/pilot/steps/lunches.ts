import { Interface, Wallet, concat, keccak256, toUtf8Bytes } from "ethers";
import { formatTenge } from "../../amounts";
import { createdProgramId, encodeTerms, programsReport, SPEND_TYPES } from "../../programs";
import type { PilotContext } from "../context";
import { pilotWallet } from "../context";
import type { PipelineJob, PipelineReceipt } from "../pipeline";
import { LUNCH_ALLOWANCE, lunchBudget } from "./core";
import type { InvariantCheck, PilotStep, StateProbe } from "./types";
import { kzt } from "./types";

/** Children enrolled per operator transaction (~25k gas each: 400 stay near 10M gas). */
const ENROL_CHUNK = 400;
/** Lunches per canteen upload (spendBatchFor); a round is one upload per canteen. */
const LUNCH_BATCH = 50;
/** Gas limit of an upload: a base for the call and the tenge transfer, and a margin over ~22k per lunch. */
const BATCH_GAS = 150_000n;
const LUNCH_GAS = 40_000n;
const DAY = 86_400n;

/** Price of child `i`'s lunch on day `d`: 850 to 1,150 KZT, always within the 1,200 KZT daily allowance. */
export function lunchPrice(i: number, d: number): bigint {
  return kzt("850") + BigInt((i * 7 + d * 3) % 31) * kzt("10");
}

/** The first Almaty noon (12:00 UTC+5, 07:00 UTC) strictly after `now`. */
export function nextAlmatyNoon(now: bigint): bigint {
  const noonUtc = 7n * 3_600n;
  const today = now - (now % DAY) + noonUtc;
  return today > now ? today : today + DAY;
}

/** The children's keys (their transit cards), derived from the seed; cached because 10,000 take seconds. */
function childrenOf(ctx: PilotContext): Wallet[] {
  const cached = ctx.facts.get("children") as Wallet[] | undefined;
  if (cached) return cached;
  const bar = ctx.progress("children's cards", ctx.options.children);
  const children: Wallet[] = [];
  for (let i = 0; i < ctx.options.children; i++) {
    children.push(pilotWallet(ctx.options.seed, "child", i));
    bar.increment();
  }
  bar.stop();
  ctx.facts.set("children", children);
  return children;
}

/**
 * Signs child `child`'s spending authorization like {@link signSpend}, without a round trip: the digest is built
 * from the escrow's domain separator (read once) and the spend type hash, then signed with the card's key.
 */
function signLunch(
  domainSeparator: string,
  child: Wallet,
  fields: { programId: bigint; merchant: string; amount: bigint; nonce: bigint; deadline: bigint },
): string {
  // abi.encode of static words, written out: ethers' ABI coder costs more than the signature at 10,000 cards.
  const word = (value: bigint): string => value.toString(16).padStart(64, "0");
  const address = (value: string): string => value.slice(2).toLowerCase().padStart(64, "0");
  const structHash = keccak256(
    SPEND_TYPEHASH +
      word(fields.programId) +
      address(child.address) +
      address(fields.merchant) +
      word(fields.amount) +
      word(fields.nonce) +
      word(fields.deadline),
  );
  const digest = keccak256(concat(["0x1901", domainSeparator, structHash]));
  return child.signingKey.sign(digest).serialized;
}

/** keccak256 of the Spend type string, as SPEND_TYPES encodes it (checked against the contract at run time). */
const SPEND_TYPEHASH = keccak256(
  toUtf8Bytes(`Spend(${SPEND_TYPES.Spend.map((f) => `${f.type} ${f.name}`).join(",")})`),
);

const schoolLunches: PilotStep = {
  name: "The city funds school lunches; the operator enrols children and canteens; children eat; unspent returns",
  async run(ctx) {
    const { tenge, programs } = ctx.contracts;
    const { cast, options } = ctx;
    const provider = ctx.hre.ethers.provider;
    if (options.schoolDays > 1 && ctx.hre.network.live) {
      throw new Error("--school-days above 1 moves the chain's clock: only development chains allow it");
    }
    if ((await programs.SPEND_TYPEHASH()) !== SPEND_TYPEHASH) {
      throw new Error("the escrow's SPEND_TYPEHASH differs from the pilot's Spend type: rebuild the scripts");
    }
    // 1. The city creates the program and escrows the budget in one tenge transferAndCall.
    const now = await ctx.now();
    const expiry = now + DAY * BigInt(options.schoolDays + 30);
    const budget = lunchBudget(ctx);
    const city = cast.city.wallet.connect(provider);
    const data = encodeTerms({ allowance: LUNCH_ALLOWANCE, period: 0, start: 0n, expiry });
    const created = await ctx.send(
      tenge.connect(city)["transferAndCall(address,uint256,bytes)"](await programs.getAddress(), budget, data),
    );
    const programId = createdProgramId(programs, created.logs);
    ctx.facts.set("programId", programId);

    // 2. The operator lists the canteens and enrols the children (card keys only: no names, no card numbers).
    await ctx.send(
      programs.connect(cast.desk).addMerchants(
        programId,
        cast.canteens.map((c) => c.address),
      ),
    );
    const children = childrenOf(ctx);
    const enrolBar = ctx.progress("enrolment", children.length);
    for (let i = 0; i < children.length; i += ENROL_CHUNK) {
      const chunk = children.slice(i, i + ENROL_CHUNK).map((c) => c.address);
      await ctx.send(programs.connect(cast.desk).enrolBeneficiaries(programId, chunk, []));
      for (let k = 0; k < chunk.length; k++) enrolBar.increment();
    }
    enrolBar.stop();

    // 3. School days: every child's card signs a lunch at the till; each canteen's terminal uploads the lunch
    // break's signatures in batches (spendBatchFor: one tenge transfer per batch), all canteens side by side.
    const [, , , , verifyingContract] = await programs.eip712Domain();
    const domainSeparator = await programs.DOMAIN_SEPARATOR();
    let lunches = 0;
    let spent = 0n;
    let uploads = 0;
    for (let day = 0; day < options.schoolDays; day++) {
      // On a development chain the school day starts at the next noon in Almaty, so the whole lunch break stays
      // within one Almaty day whatever the wall clock says (each block moves the clock a second at least).
      if (!ctx.hre.network.live) {
        const noon = nextAlmatyNoon(await ctx.now());
        await provider.send("evm_setNextBlockTimestamp", [Number(noon)]);
        await provider.send("evm_mine", []);
      }
      // The cards sign at the till; the terminals upload within the school day. Signing is the script's work and
      // executing the uploads the node's: the next round is signed while the node executes the previous one.
      const deadline = (await ctx.now()) + DAY / 2n;
      const signBar = ctx.progress(`day ${day + 1}: cards sign`, children.length);
      let inFlight: Promise<PipelineReceipt[]> | undefined;
      let rejected = 0;
      const round = cast.canteens.length * LUNCH_BATCH;
      for (let first = 0; first < children.length; first += round) {
        const byCanteen = cast.canteens.map(() => [] as SignedLunch[]);
        for (let i = first; i < Math.min(children.length, first + round); i++) {
          const c = i % cast.canteens.length;
          const amount = lunchPrice(i, day);
          const fields = { programId, merchant: cast.canteens[c].address, amount, nonce: BigInt(day), deadline };
          const signature = signLunch(domainSeparator, children[i], fields);
          byCanteen[c].push({ beneficiary: children[i].address, amount, deadline, signature });
          spent += amount;
          signBar.increment();
        }
        const jobs: PipelineJob[] = [];
        for (const [c, canteen] of cast.canteens.entries()) {
          for (let i = 0; i < byCanteen[c].length; i += LUNCH_BATCH) {
            const batch = byCanteen[c].slice(i, i + LUNCH_BATCH);
            jobs.push({
              sender: canteen.wallet,
              to: verifyingContract,
              data: programs.interface.encodeFunctionData("spendBatchFor", [programId, canteen.address, batch]),
              gasLimit: BATCH_GAS + LUNCH_GAS * BigInt(batch.length),
            });
          }
        }
        if (inFlight) rejected += countRejections(await inFlight, programs.interface);
        uploads += jobs.length;
        inFlight = ctx.sendMany(`day ${day + 1}: lunch uploads`, jobs);
      }
      if (inFlight) rejected += countRejections(await inFlight, programs.interface);
      signBar.stop();
      if (rejected > 0) throw new Error(`${rejected} lunches of day ${day + 1} were rejected; every card signed once`);
      lunches += children.length;
    }
    // A card's signature uploaded again (a terminal retrying, or a copied card) is skipped, not paid twice, and
    // does not stop the rest of the upload.
    const replayed = children[0];
    const canteen0 = cast.canteens[0];
    const lastDeadline = (await ctx.now()) + DAY / 2n;
    const replay = {
      beneficiary: replayed.address,
      amount: lunchPrice(0, options.schoolDays - 1),
      deadline: lastDeadline,
      signature: signLunch(domainSeparator, replayed, {
        programId,
        merchant: canteen0.address,
        amount: lunchPrice(0, options.schoolDays - 1),
        nonce: BigInt(options.schoolDays - 1),
        deadline: lastDeadline,
      }),
    };
    const [replayReceipt] = await ctx.sendMany("replayed lunch", [
      {
        sender: canteen0.wallet,
        to: verifyingContract,
        data: programs.interface.encodeFunctionData("spendBatchFor", [programId, canteen0.address, [replay]]),
        gasLimit: BATCH_GAS + LUNCH_GAS,
      },
    ]);
    if (countRejections([replayReceipt], programs.interface) !== 1) {
      throw new Error("a replayed lunch authorization was not rejected");
    }
    ctx.expected("a lunch signature uploaded twice: skipped in its batch (SpendRejected InvalidSignature)");

    // A second lunch the same day is beyond the allowance: refused.
    const hungry = children[children.length - 1];
    const canteen = cast.canteens[0];
    const second = lunchPrice(children.length - 1, options.schoolDays - 1);
    const nonce = (await programs.beneficiaryOf(programId, hungry.address)).nonce;
    const deadline = (await ctx.now()) + DAY / 2n;
    const signature = signLunch(domainSeparator, hungry, {
      programId,
      merchant: canteen.address,
      amount: second,
      nonce,
      deadline,
    });
    await ctx.expectRefusal("a second lunch the same day", "ProgramsAllowanceExceeded", () =>
      programs
        .connect(canteen.wallet.connect(provider))
        .spendFor.staticCall(programId, hungry.address, canteen.address, second, deadline, signature),
    );

    // 4. Term end: the city closes the program and the unspent budget returns to it.
    const before = await tenge.balanceOf(cast.city.address);
    await ctx.send(programs.connect(city).close(programId));
    const returned = (await tenge.balanceOf(cast.city.address)) - before;
    ctx.facts.set("lunches", { budget, spent, returned, lunches });
    ctx.report("School lunches", {
      children: String(children.length),
      canteens: String(cast.canteens.length),
      "lunches paid": String(lunches),
      "canteen uploads (batches)": String(uploads),
      "budget (KZT)": formatTenge(budget),
      "spent at canteens (KZT)": formatTenge(spent),
      "returned to the city (KZT)": formatTenge(returned),
    });
    return (
      `${children.length} children, ${lunches} lunches over ${options.schoolDays} school day(s) in ${uploads} ` +
      `canteen uploads: ` +
      `${formatTenge(spent)} KZT spent, ${formatTenge(returned)} KZT returned to the city`
    );
  },
};

/** One lunch as a canteen uploads it: the contract's SignedSpend. */
interface SignedLunch {
  beneficiary: string;
  amount: bigint;
  deadline: bigint;
  signature: string;
}

/** SpendRejected events in the receipts. */
function countRejections(receipts: readonly PipelineReceipt[], iface: Interface): number {
  const topic = iface.getEvent("SpendRejected")?.topicHash;
  return receipts.reduce((n, r) => n + r.logs.filter((log) => log.topics[0] === topic).length, 0);
}

export const LUNCH_STEPS = { schoolLunches };

/** The escrow's invariants (every program balanced, escrow covers what is earmarked) and the lunch program's. */
export const lunchInvariants: InvariantCheck = async (ctx) => {
  const { tenge, programs } = ctx.contracts;
  const report = await programsReport(programs, tenge);
  const results = report.invariants.map((i) => ({ area: "PurposeBoundPrograms", ...i }));
  const facts = ctx.facts.get("lunches") as
    { budget: bigint; spent: bigint; returned: bigint; lunches: number } | undefined;
  const programId = ctx.facts.get("programId") as bigint | undefined;
  if (facts && programId !== undefined) {
    const p = await programs.programOf(programId);
    const paid = (await ctx.events(programs, programs.filters.Spent(programId))).reduce(
      (sum, e) => sum + e.args.amount,
      0n,
    );
    results.push({
      area: "PurposeBoundPrograms",
      name: "lunch program: spent == Σ Spent events and budget − spent returned to the city",
      held: p.spent === paid && p.spent === facts.spent && facts.returned === facts.budget - facts.spent,
      detail: `spent ${formatTenge(p.spent)} (events ${formatTenge(paid)}), returned ${formatTenge(facts.returned)} KZT`,
    });
  }
  return results;
};

/** The escrow's part of the final state. */
export const lunchState: StateProbe = async (ctx) => {
  const { tenge, programs } = ctx.contracts;
  const totals = await programs.totals();
  return {
    "programs.budget": totals.budget.toString(),
    "programs.spent": totals.spent.toString(),
    "programs.returned": totals.returned.toString(),
    "programs.escrow": (await tenge.balanceOf(await programs.getAddress())).toString(),
  };
};
