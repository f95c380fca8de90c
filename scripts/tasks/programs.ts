import { basename } from "node:path";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { Interface } from "ethers";
import type { DigitalTenge, PurposeBoundPrograms } from "../../typechain-types";
import { MAX_SUPPLY_TIYN, kztText, parseTenge } from "../lib/amounts";
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE } from "../lib/batch";
import { cliAction } from "../lib/cli";
import { getTenge } from "../lib/contracts";
import { parseAddressCsv, parseMintCsv, readTextFile } from "../lib/csv";
import { requireNotPaused, requireOnboarded } from "../lib/preflight";
import {
  DAY_SECONDS,
  MAX_ALLOWANCE_TIYN,
  MAX_EXPIRY,
  PERIODS,
  PROGRAM_STATUS,
  addMerchants,
  encodeFund,
  encodeTerms,
  createdProgramId,
  enrolBeneficiaries,
  getPrograms,
  isoTime,
  parseEnrolCsv,
  parsePeriod,
  parseStart,
  programLine,
  programsErrorInterface,
  programsReport,
  requireOpenProgram,
  requireProgram,
  signSpend,
  topUpAllowances,
  type ProgramState,
} from "../lib/programs";
import { resolveSigner } from "../lib/signers";
import { confirmationsFor, dryRunLine, execute, txLine, type Sendable } from "../lib/tx";
import { parseAddress, parsePositiveInt } from "../lib/validate";

/* PLUMBING */

/**
 * The deployed escrow and token. On the in-process `hardhat` network, whose chain lives only as long as the
 * command, a fresh deployment (the real deploy scripts) is made when there is none.
 */
async function loadContracts(
  hre: HardhatRuntimeEnvironment,
): Promise<{ programs: PurposeBoundPrograms; tenge: DigitalTenge }> {
  if (hre.network.name === "hardhat" && !(await hre.deployments.getOrNull("PurposeBoundPrograms"))) {
    await hre.deployments.fixture(["tenge", "programs"], { keepExistingDeployments: true });
    console.log(
      "(in-process hardhat network: deployed a fresh DigitalTenge and PurposeBoundPrograms for this command only)",
    );
  }
  return { programs: await getPrograms(hre), tenge: await getTenge(hre) };
}

/** The contracts connected to the acting signer, and how transactions are to be sent. */
interface Actor {
  programs: PurposeBoundPrograms;
  tenge: DigitalTenge;
  /** Decodes the escrow's and the tenge's errors. */
  iface: Interface;
  address: string;
  /** `--from <what was typed>`, for messages. */
  label: string;
  confirmations: number;
  dryRun: boolean;
}

async function actAs(hre: HardhatRuntimeEnvironment, from: string, dryRun: boolean, label = "--from"): Promise<Actor> {
  const who = await resolveSigner(hre, from, label);
  const { programs, tenge } = await loadContracts(hre);
  return {
    programs: programs.connect(who.signer),
    tenge: tenge.connect(who.signer),
    iface: programsErrorInterface(programs, tenge),
    address: who.address,
    label: `${label} ${who.label}`,
    confirmations: confirmationsFor(hre),
    dryRun,
  };
}

/** Simulates, sends and waits; prints one line with the tx and the resulting state. */
async function send<A extends unknown[]>(
  actor: Actor,
  method: Sendable<A>,
  args: A,
  what: string,
  result: (logs: readonly { topics: readonly string[]; data: string }[]) => Promise<string>,
): Promise<void> {
  const outcome = await execute(method, args, {
    iface: actor.iface,
    what,
    confirmations: actor.confirmations,
    dryRun: actor.dryRun,
  });
  console.log(
    outcome.sent
      ? txLine(what, outcome.receipt, await result(outcome.receipt.logs))
      : dryRunLine(what, outcome.gasEstimate),
  );
}

async function requireOperator(actor: Actor): Promise<void> {
  const role = await actor.programs.OPERATOR_ROLE();
  if (!(await actor.programs.hasRole(role, actor.address))) {
    throw new Error(
      `${actor.label} (${actor.address}) does not hold OPERATOR_ROLE on ${await actor.programs.getAddress()}`,
    );
  }
}

function parseProgramId(text: string): bigint {
  return BigInt(parsePositiveInt(text, "--program", Number.MAX_SAFE_INTEGER));
}

async function chainTime(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  const block = await hre.ethers.provider.getBlock("latest");
  if (!block) throw new Error("no latest block");
  return BigInt(block.timestamp);
}

/**
 * Throws a one-line error unless `actor` may pay `amount` into the escrow: token not paused, payer onboarded and not
 * frozen, funds available, daily limit (unless exempt); and the escrow onboarded in the tenge.
 */
async function requireCanPay(actor: Actor, amount: bigint, what: string): Promise<void> {
  const { tenge, programs } = actor;
  await requireNotPaused(tenge, what);
  const payer = await requireOnboarded(tenge, actor.address, actor.label);
  if (payer.frozen) throw new Error(`cannot ${what}: ${actor.label} (${actor.address}) is frozen`);
  if (amount > payer.available) {
    throw new Error(`cannot ${what}: ${actor.label} (${actor.address}) has only ${kztText(payer.available)} available`);
  }
  if (!payer.exempt && amount > payer.dailyRemaining) {
    throw new Error(
      `cannot ${what}: ${actor.label} (${actor.address}) may pay only ${kztText(payer.dailyRemaining)} more today (tier ${payer.tier} daily limit)`,
    );
  }
  const escrow = await programs.getAddress();
  const account = await tenge.accountOf(escrow);
  if (!account.onboarded || account.frozen) {
    throw new Error(
      `cannot ${what}: the escrow ${escrow} cannot receive tenge (${account.onboarded ? "frozen" : "not onboarded; run the deploy scripts"})`,
    );
  }
}

interface DryRunArgs {
  dryRun: boolean;
}
interface ProgramArgs extends DryRunArgs {
  program: string;
  from: string;
}
interface FileArgs extends ProgramArgs {
  file: string;
  chunk: string;
  startLine?: string;
}

const DRY_RUN = "Validate and simulate only; send nothing";
const FROM_OPERATOR = "Signer with OPERATOR_ROLE (Kazpost; issuanceDesk on local chains)";
const PROGRAM = "Program id";
const START_LINE =
  "Skip rows before this file line, to resume a batch that stopped part-way (its error names the line)";

/** The rows at or after `--start-line` (all of them when it is not given); every row was validated already. */
function fromStartLine<T extends { line: number }>(rows: T[], startLine: string | undefined): T[] {
  if (startLine === undefined) return rows;
  const first = parsePositiveInt(startLine, "--start-line", Number.MAX_SAFE_INTEGER);
  const kept = rows.filter((row) => row.line >= first);
  if (kept.length === 0) throw new Error(`--start-line ${first} is past the last row (line ${rows.at(-1)?.line})`);
  return kept;
}

/* FUNDERS */

interface CreateArgs extends DryRunArgs {
  budget: string;
  allowance: string;
  period: string;
  expiryDays: string;
  start: string;
  from: string;
}

task(
  "program:create",
  "Funder: create a purpose-bound program and escrow its budget in one tenge transferAndCall (no approval needed)",
)
  .addParam("budget", "Budget in tenge, exact decimal (e.g. 5000000)")
  .addParam("allowance", "Per-beneficiary allowance per period in tenge (0: top-ups only)")
  .addOptionalParam("period", `How often the allowance renews: ${PERIODS.join(", ")} (Almaty calendar)`, "day")
  .addParam("expiryDays", "Days from the start until expiry (1-36500)")
  .addOptionalParam("start", "now, a date YYYY-MM-DD (Almaty midnight) or unix seconds", "now")
  .addParam("from", "The funder: named account, account index or address the node holds")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:create", async (args: CreateArgs, hre) => {
      const budget = parseTenge(args.budget, { label: "--budget" });
      const allowance = parseTenge(args.allowance, { label: "--allowance", allowZero: true, max: MAX_ALLOWANCE_TIYN });
      const period = parsePeriod(args.period);
      const days = BigInt(parsePositiveInt(args.expiryDays, "--expiry-days", 36_500));
      const now = await chainTime(hre);
      const start = parseStart(args.start, now);
      const expiry = start + days * DAY_SECONDS;
      if (expiry <= now) throw new Error(`--start plus --expiry-days ends at ${isoTime(expiry)}, which is past`);
      if (expiry > MAX_EXPIRY) throw new Error(`expiry ${isoTime(expiry)} is after ${isoTime(MAX_EXPIRY)}`);
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireCanPay(actor, budget, "create a program");
      const { tenge, programs } = actor;
      const escrow = await programs.getAddress();
      // "now" is the chain's time when the task ran: the term is exactly --expiry-days long.
      const data = encodeTerms({ allowance, period, start, expiry });
      await send(
        actor,
        tenge["transferAndCall(address,uint256,bytes)"],
        [escrow, budget, data],
        `program:create budget ${kztText(budget)}, allowance ${kztText(allowance)} per ${PERIODS[period]}, until ${isoTime(expiry)} by ${actor.address}`,
        async (logs) => {
          const id = createdProgramId(programs, logs);
          return programLine(id, await programs.programOf(id));
        },
      );
    }),
  );

task("program:fund", "Funder: add tenge to a program's budget (tenge transferAndCall)")
  .addParam("program", PROGRAM)
  .addParam("amount", "Tenge to add, exact decimal")
  .addParam("from", "The program's funder")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:fund", async (args: ProgramArgs & { amount: string }, hre) => {
      const id = parseProgramId(args.program);
      const amount = parseTenge(args.amount, { label: "--amount" });
      const actor = await actAs(hre, args.from, args.dryRun);
      const { programs, tenge } = actor;
      const program = await requireOpenProgram(programs, id, "fund");
      if (program.funder.toLowerCase() !== actor.address.toLowerCase()) {
        throw new Error(`${actor.label} (${actor.address}) is not program ${id}'s funder (${program.funder})`);
      }
      if (program.budget + amount > MAX_SUPPLY_TIYN) {
        throw new Error(`program ${id}'s budget would exceed ${kztText(MAX_SUPPLY_TIYN)}`);
      }
      await requireCanPay(actor, amount, "fund");
      await send(
        actor,
        tenge["transferAndCall(address,uint256,bytes)"],
        [await programs.getAddress(), amount, encodeFund(id)],
        `program:fund ${kztText(amount)} to program ${id}`,
        async () => programLine(id, await programs.programOf(id)),
      );
    }),
  );

task(
  "program:close",
  "Funder (any time) or anyone (after expiry): close a program; unspent budget returns to the funder",
)
  .addParam("program", PROGRAM)
  .addParam("from", "The funder, or anyone once the program has expired")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:close", async (args: ProgramArgs, hre) => {
      const id = parseProgramId(args.program);
      const actor = await actAs(hre, args.from, args.dryRun);
      const { programs, tenge } = actor;
      const program = await requireProgram(programs, id);
      const status = PROGRAM_STATUS[Number(program.status)];
      if (status === "closed")
        throw new Error(`program ${id} is already closed (returned ${kztText(program.returned)})`);
      const isFunder = program.funder.toLowerCase() === actor.address.toLowerCase();
      if (!isFunder && status !== "expired") {
        throw new Error(
          `${actor.label} (${actor.address}) may not close program ${id} before its expiry at ${isoTime(program.expiry)}: only its funder ${program.funder} may`,
        );
      }
      if (program.earmarked > 0n) {
        await requireNotPaused(tenge, "return the unspent budget");
        const funder = await tenge.accountOf(program.funder);
        if (!funder.onboarded || funder.frozen) {
          throw new Error(
            `the funder ${program.funder} cannot receive the unspent ${kztText(program.earmarked)} (${funder.onboarded ? "frozen" : "not onboarded"}); the central bank's admin can re-point the program with setFunder`,
          );
        }
      }
      await send(
        actor,
        programs.close,
        [id],
        `program:close ${id}, returning ${kztText(program.earmarked)} to ${program.funder}`,
        async () => programLine(id, await programs.programOf(id)),
      );
    }),
  );

/* OPERATOR */

task(
  "program:add-merchants",
  "Operator: make merchants (school canteens) eligible in a program, from a CSV of addresses",
)
  .addParam("program", PROGRAM)
  .addParam("file", "CSV file: one address per line; optional `address` header; # comments and blank lines skipped")
  .addOptionalParam("from", FROM_OPERATOR, "issuanceDesk")
  .addOptionalParam("chunk", `Merchants per transaction (1-${MAX_CHUNK_SIZE})`, String(DEFAULT_CHUNK_SIZE))
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:add-merchants", async (args: FileArgs, hre) => {
      const id = parseProgramId(args.program);
      const chunkSize = parsePositiveInt(args.chunk, "--chunk", MAX_CHUNK_SIZE);
      const rows = parseAddressCsv(readTextFile(args.file, "--file"), { source: basename(args.file) });
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireOperator(actor);
      await requireOpenProgram(actor.programs, id, "add merchants");
      await addMerchants(actor.programs, actor.tenge, id, rows, {
        chunkSize,
        confirmations: actor.confirmations,
        dryRun: actor.dryRun,
      });
    }),
  );

task(
  "program:enrol",
  "Operator: enrol beneficiaries (children's wallets) from a CSV of address[,card_commitment]; validated, then batched",
)
  .addParam("program", PROGRAM)
  .addParam("file", "CSV file: address or address,card_commitment (salted hash, 0x + 64 hex; never a card number)")
  .addOptionalParam("from", FROM_OPERATOR, "issuanceDesk")
  .addOptionalParam("chunk", `Wallets per transaction (1-${MAX_CHUNK_SIZE})`, String(DEFAULT_CHUNK_SIZE))
  .addOptionalParam("startLine", START_LINE)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:enrol", async (args: FileArgs, hre) => {
      const id = parseProgramId(args.program);
      const chunkSize = parsePositiveInt(args.chunk, "--chunk", MAX_CHUNK_SIZE);
      const rows = fromStartLine(
        parseEnrolCsv(readTextFile(args.file, "--file"), { source: basename(args.file) }),
        args.startLine,
      );
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireOperator(actor);
      await requireOpenProgram(actor.programs, id, "enrol");
      await enrolBeneficiaries(actor.programs, id, rows, {
        chunkSize,
        confirmations: actor.confirmations,
        dryRun: actor.dryRun,
      });
    }),
  );

task("program:top-up", "Operator: add extra allowance to beneficiaries from a CSV of address,amount (tenge); batched")
  .addParam("program", PROGRAM)
  .addParam("file", "CSV file of address,amount lines; optional header; # comments and blank lines skipped")
  .addOptionalParam("from", FROM_OPERATOR, "issuanceDesk")
  .addOptionalParam("chunk", `Beneficiaries per transaction (1-${MAX_CHUNK_SIZE})`, String(DEFAULT_CHUNK_SIZE))
  .addOptionalParam("startLine", START_LINE)
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:top-up", async (args: FileArgs, hre) => {
      const id = parseProgramId(args.program);
      const chunkSize = parsePositiveInt(args.chunk, "--chunk", MAX_CHUNK_SIZE);
      const rows = fromStartLine(
        parseMintCsv(readTextFile(args.file, "--file"), { source: basename(args.file) }),
        args.startLine,
      );
      const actor = await actAs(hre, args.from, args.dryRun);
      await requireOperator(actor);
      await requireOpenProgram(actor.programs, id, "top up");
      await topUpAllowances(actor.programs, id, rows, {
        chunkSize,
        confirmations: actor.confirmations,
        dryRun: actor.dryRun,
      });
    }),
  );

/* BENEFICIARIES */

interface SpendArgs extends ProgramArgs {
  merchant: string;
  amount: string;
  relayer?: string;
  validMinutes: string;
}

/** Throws a one-line error unless `beneficiary` could pay `merchant` `amount` from program `id` right now. */
async function requireCanSpend(
  programs: PurposeBoundPrograms,
  tenge: DigitalTenge,
  id: bigint,
  program: ProgramState,
  beneficiary: string,
  merchant: string,
  amount: bigint,
): Promise<void> {
  const status = PROGRAM_STATUS[Number(program.status)];
  if (status === "scheduled")
    throw new Error(`program ${id} starts at ${isoTime(program.start)}; nothing can be spent yet`);
  if (status !== "active") throw new Error(`program ${id} is ${status}; nothing can be spent`);
  if (!(await programs.isMerchant(id, merchant))) {
    throw new Error(`--merchant ${merchant} is not an eligible merchant of program ${id}`);
  }
  const b = await programs.beneficiaryOf(id, beneficiary);
  if (!b.enrolled) throw new Error(`${beneficiary} is not enrolled in program ${id}`);
  if (amount > b.available) {
    throw new Error(
      `${kztText(amount)} exceeds what ${beneficiary} may spend now: ${kztText(b.available)} (${kztText(b.periodLeft)} left this ${PERIODS[Number(program.period)]}, ${kztText(b.extra)} top-ups)`,
    );
  }
  if (amount > program.earmarked) {
    throw new Error(`${kztText(amount)} exceeds program ${id}'s budget left: ${kztText(program.earmarked)}`);
  }
  await requireNotPaused(tenge, "spend");
  const m = await tenge.accountOf(merchant);
  if (!m.onboarded) throw new Error(`--merchant ${merchant} is no longer onboarded in the tenge`);
  if (m.frozen) throw new Error(`--merchant ${merchant} is frozen in the tenge`);
  const [holding] = await tenge.tierLimits(m.tier);
  if (!m.exempt && m.balance + amount > holding) {
    throw new Error(
      `--merchant ${merchant} would hold ${kztText(m.balance + amount)}, above its tier's limit ${kztText(holding)}`,
    );
  }
}

task(
  "program:spend",
  "Beneficiary: pay an eligible merchant from a program (with --relayer, the beneficiary signs and the relayer, e.g. the canteen's terminal, submits and pays the gas)",
)
  .addParam("program", PROGRAM)
  .addParam("merchant", "An eligible merchant's tenge wallet")
  .addParam("amount", "Tenge, exact decimal")
  .addParam("from", "The beneficiary (its key signs; it sends only without --relayer)")
  .addOptionalParam("relayer", "Submitter of the signed authorization (spendFor); it pays the gas")
  .addOptionalParam("validMinutes", "Minutes the signed authorization stays valid (1-1440)", "10")
  .addFlag("dryRun", DRY_RUN)
  .setAction(
    cliAction("program:spend", async (args: SpendArgs, hre) => {
      const id = parseProgramId(args.program);
      const merchant = parseAddress(args.merchant, "--merchant");
      const amount = parseTenge(args.amount, { label: "--amount" });
      const minutes = BigInt(parsePositiveInt(args.validMinutes, "--valid-minutes", 1_440));
      const beneficiary = await resolveSigner(hre, args.from);
      const actor =
        args.relayer === undefined
          ? await actAs(hre, args.from, args.dryRun)
          : await actAs(hre, args.relayer, args.dryRun, "--relayer");
      const { programs, tenge } = actor;
      const program = await requireProgram(programs, id);
      await requireCanSpend(programs, tenge, id, program, beneficiary.address, merchant, amount);
      const what = `program:spend ${kztText(amount)} from program ${id} by ${beneficiary.address} to ${merchant}`;
      const result = async () => {
        const [b, balance] = await Promise.all([
          programs.beneficiaryOf(id, beneficiary.address),
          tenge.balanceOf(merchant),
        ]);
        return `${beneficiary.address} may spend ${kztText(b.available)} more; merchant balance ${kztText(balance)}`;
      };
      if (args.relayer === undefined) {
        await send(actor, programs.spend, [id, merchant, amount], what, result);
        return;
      }
      const deadline = (await chainTime(hre)) + minutes * 60n;
      const { signature } = await signSpend(beneficiary.signer, programs, {
        programId: id,
        beneficiary: beneficiary.address,
        merchant,
        amount,
        deadline,
      });
      await send(
        actor,
        programs.spendFor,
        [id, beneficiary.address, merchant, amount, deadline, signature],
        `${what} (signed, relayed by ${actor.address})`,
        result,
      );
    }),
  );

/* READ */

task("program:report", "Show programs' budgets, spent, returned and earmarked funds, and whether the invariants hold")
  .addOptionalParam("program", "Only this program (the invariants always cover all)")
  .setAction(
    cliAction("program:report", async (args: { program?: string }, hre) => {
      const { programs, tenge } = await loadContracts(hre);
      const ids = args.program === undefined ? undefined : [parseProgramId(args.program)];
      if (ids) await requireProgram(programs, ids[0]);
      const report = await programsReport(programs, tenge, ids);
      console.log(`PurposeBoundPrograms ${await programs.getAddress()} on ${hre.network.name}`);
      for (const { id, state } of report.programs) console.log(`  ${programLine(id, state)}`);
      const t = report.totals;
      console.log(
        `  total: budget ${kztText(t.budget)}, spent ${kztText(t.spent)}, returned ${kztText(t.returned)}, earmarked ${kztText(t.earmarked)}; escrow holds ${kztText(report.balance)}`,
      );
      console.log("invariants");
      for (const inv of report.invariants)
        console.log(`  ${inv.held ? "held  " : "BROKEN"} ${inv.name}: ${inv.detail}`);
      const broken = report.invariants.filter((inv) => !inv.held);
      if (broken.length > 0) throw new Error(`invariant broken: ${broken.map((inv) => inv.name).join("; ")}`);
    }),
  );

task(
  "program:beneficiary",
  "Show a beneficiary's state in a program: enrolment, this period's spending, top-ups, nonce",
)
  .addParam("program", PROGRAM)
  .addParam("account", "The beneficiary's wallet")
  .setAction(
    cliAction("program:beneficiary", async (args: { program: string; account: string }, hre) => {
      const id = parseProgramId(args.program);
      const account = parseAddress(args.account, "--account");
      const { programs } = await loadContracts(hre);
      const program = await requireProgram(programs, id);
      const b = await programs.beneficiaryOf(id, account);
      const period = PERIODS[Number(program.period)];
      console.log(
        `${account} in program ${id}: enrolled ${b.enrolled ? "yes" : "no"}, spent this ${period} ${kztText(b.spentThisPeriod)}, ` +
          `left this ${period} ${kztText(b.periodLeft)}, top-ups ${kztText(b.extra)}, available ${kztText(b.available)}, ` +
          `next signature nonce ${b.nonce}, card commitment ${b.cardCommitment}`,
      );
    }),
  );
