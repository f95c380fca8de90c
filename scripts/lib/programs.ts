import {
  AbiCoder,
  Interface,
  ZeroHash,
  concat,
  getBytes,
  isHexString,
  keccak256,
  toUtf8Bytes,
  type Signer,
  type TypedDataField,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DigitalTenge, PurposeBoundPrograms } from "../../typechain-types";
import { MAX_SUPPLY_TIYN, kztText } from "./amounts";
import type { BatchOptions, BatchResult } from "./batch";
import { mapLimit, runChunks } from "./batch";
import { CsvError, refusedBatch } from "./csv";
import { domainOf } from "./eip712";
import { execute } from "./tx";
import { parseAddress } from "./validate";

/* DEPLOYMENT */

/** Environment variable that names the programs' operator (Kazpost's address) on any network. */
export const PROGRAMS_OPERATOR_ENV = "PROGRAMS_OPERATOR";
/** Named account that holds OPERATOR_ROLE on local chains unless {@link PROGRAMS_OPERATOR_ENV} is set. */
export const PROGRAMS_OPERATOR_NAMED = "issuanceDesk";

/**
 * The deployed PurposeBoundPrograms on the current network, typed; a one-line error when it is not deployed there.
 * @param hre The Hardhat runtime.
 * @returns The contract.
 */
export async function getPrograms(hre: HardhatRuntimeEnvironment): Promise<PurposeBoundPrograms> {
  const record = await hre.deployments.getOrNull("PurposeBoundPrograms");
  if (!record) {
    throw new Error(
      `PurposeBoundPrograms is not deployed on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\` first`,
    );
  }
  if ((await hre.ethers.provider.getCode(record.address)) === "0x") {
    throw new Error(
      `no contract at the recorded PurposeBoundPrograms address ${record.address} on "${hre.network.name}" (was the node restarted? redeploy)`,
    );
  }
  return await hre.ethers.getContractAt("PurposeBoundPrograms", record.address);
}

/**
 * An interface that decodes the errors of both contracts: a payment from the escrow can fail with the tenge's own
 * error (merchant offboarded or frozen, token paused), which passes through unchanged.
 * @param programs The escrow.
 * @param tenge The token.
 * @returns The escrow's ABI plus the tenge's errors.
 */
export function programsErrorInterface(programs: PurposeBoundPrograms, tenge: DigitalTenge): Interface {
  const own = programs.interface.fragments;
  const names = new Set(own.filter((f) => f.type === "error").map((f) => f.format("sighash")));
  const tengeErrors = tenge.interface.fragments.filter((f) => f.type === "error" && !names.has(f.format("sighash")));
  return new Interface([...own, ...tengeErrors]);
}

/* TERMS */

/** Period kinds in the contract's order (`PeriodKind`). */
export const PERIODS = ["day", "week", "month", "whole"] as const;
export type PeriodName = (typeof PERIODS)[number];
/** Program statuses in the contract's order (`Status`). */
export const PROGRAM_STATUS = ["none", "scheduled", "active", "expired", "closed"] as const;

/** Largest per-period allowance the contract stores, in tiyn (48 bits). */
export const MAX_ALLOWANCE_TIYN = (1n << 48n) - 1n;
/** Largest timestamp a program's expiry may have (32 bits: early 2106). */
export const MAX_EXPIRY = (1n << 32n) - 1n;
/** Almaty time is UTC+5, as the tenge's days and the programs' periods count. */
export const ALMATY_OFFSET_SECONDS = 5n * 3600n;
export const DAY_SECONDS = 86_400n;

/** What a funder chooses (the contract's `ProgramTerms`). */
export interface ProgramTerms {
  /** Tiyn per beneficiary per period. */
  allowance: bigint;
  /** Index into {@link PERIODS}. */
  period: number;
  /** Unix seconds; 0 = when the transaction is mined. */
  start: bigint;
  /** Unix seconds. */
  expiry: bigint;
}

/**
 * Parses a period kind: day, week, month or whole (case-insensitive).
 * @param text The period as typed.
 * @param label Name of the input in messages. Default `--period`.
 * @returns The index of the contract's `PeriodKind`.
 */
export function parsePeriod(text: string, label = "--period"): number {
  const index = PERIODS.indexOf(text.trim().toLowerCase() as PeriodName);
  if (index < 0) throw new Error(`${label} "${text}" is not a period; use one of ${PERIODS.join(", ")}`);
  return index;
}

/**
 * Parses a start time: `now`, a date `YYYY-MM-DD` (midnight in Almaty, UTC+5) or unix seconds.
 * @param text The start as typed.
 * @param now The current chain time (unix seconds), returned for `now`.
 * @param label Name of the input in messages. Default `--start`.
 * @returns Unix seconds.
 */
export function parseStart(text: string, now: bigint, label = "--start"): bigint {
  if (text === "now") return now;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const utc = Date.UTC(year, month - 1, day);
    const check = new Date(utc);
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new Error(`${label} "${text}" is not a calendar date`);
    }
    return BigInt(utc / 1000) - ALMATY_OFFSET_SECONDS;
  }
  if (/^[1-9]\d*$/.test(text) && BigInt(text) <= MAX_EXPIRY) return BigInt(text);
  throw new Error(`${label} "${text}" is not "now", a date YYYY-MM-DD (Almaty midnight) or unix seconds`);
}

/**
 * The `data` of a tenge `transferAndCall(programs, budget, data)` that creates a program: `abi.encode(terms)`.
 * @param terms Allowance, period, start and expiry.
 * @returns The ABI-encoded terms (128 bytes).
 */
export function encodeTerms(terms: ProgramTerms): string {
  return AbiCoder.defaultAbiCoder().encode(
    ["tuple(uint256 allowance, uint8 period, uint256 start, uint256 expiry)"],
    [[terms.allowance, terms.period, terms.start, terms.expiry]],
  );
}

/**
 * The `data` of a tenge `transferAndCall(programs, amount, data)` that adds to program `programId`'s budget.
 * @param programId The program.
 * @returns `abi.encode(programId)` (32 bytes).
 */
export function encodeFund(programId: bigint): string {
  return AbiCoder.defaultAbiCoder().encode(["uint256"], [programId]);
}

/**
 * The id of the program a receipt created, from its ProgramCreated event (the tenge's own events in the same receipt
 * are skipped).
 * @param programs The escrow.
 * @param logs The receipt's logs.
 * @returns The new program's id.
 */
export function createdProgramId(
  programs: PurposeBoundPrograms,
  logs: readonly { topics: readonly string[]; data: string }[],
): bigint {
  for (const log of logs) {
    try {
      const parsed = programs.interface.parseLog({ topics: [...log.topics], data: log.data });
      if (parsed?.name === "ProgramCreated") return parsed.args[0] as bigint;
    } catch {
      // another contract's event
    }
  }
  throw new Error("the transaction created no program (no ProgramCreated event)");
}

/* PRIVACY: CARD COMMITMENTS */

/**
 * The salted commitment to a transit card that may go on chain instead of its number:
 * `keccak256(salt ‖ utf8(cardNumber))`. The salt is the operator's secret (32 bytes), so nobody can test guesses
 * of card numbers against the chain; the operator, holding both, can prove which card a wallet is bound to.
 * @param cardNumber The card's number as printed (never sent anywhere).
 * @param salt 0x-prefixed 32-byte secret.
 * @returns The bytes32 commitment.
 */
export function cardCommitment(cardNumber: string, salt: string): string {
  if (!isHexString(salt, 32) || salt.toLowerCase() === ZeroHash) {
    throw new Error("card salt must be a non-zero 0x-prefixed 32-byte hex secret");
  }
  if (cardNumber.trim() === "") throw new Error("card number is empty");
  return keccak256(concat([getBytes(salt), toUtf8Bytes(cardNumber)]));
}

/* CSV */

/** One validated row of an enrolment file: a wallet and, optionally, its card commitment. */
export interface EnrolRow {
  /** 1-based line number in the file, for messages. */
  line: number;
  /** Checksummed wallet. */
  address: string;
  /** bytes32 commitment, or the zero hash for none. */
  cardCommitment: string;
}

/**
 * Parses an enrolment CSV: `address` or `address,card_commitment` per line (the commitment a salted hash: 0x and
 * 64 hex digits). An optional header, blank lines and `#` comments are skipped. A value that looks like a card
 * number is refused: card numbers never go on chain. Every bad line is collected into one {@link CsvError}.
 * @param text The file's content.
 * @param options The file name for messages.
 * @returns The rows in file order.
 */
export function parseEnrolCsv(text: string, options: { source?: string } = {}): EnrolRow[] {
  const source = options.source ?? "CSV";
  const problems: string[] = [];
  const rows: EnrolRow[] = [];
  const seen = new Map<string, number>();
  let seenContent = false;
  text
    .replace(/^\uFEFF/, "")
    .split("\n")
    .forEach((raw, index) => {
      const line = index + 1;
      const trimmed = raw.replace(/\r$/, "").trim();
      if (trimmed === "" || trimmed.startsWith("#")) return;
      const cells = trimmed.split(",").map((cell) => cell.trim());
      const header = cells.join(",").toLowerCase();
      const isHeader = !seenContent && (header === "address" || header === "address,card_commitment");
      seenContent = true;
      if (isHeader) return;
      if (cells.length > 2) {
        problems.push(`line ${line}: expected address or address,card_commitment, found ${cells.length} fields`);
        return;
      }
      let address: string;
      try {
        address = parseAddress(cells[0], "address");
      } catch (error) {
        problems.push(`line ${line}: ${error instanceof Error ? error.message : String(error)}`);
        return;
      }
      let commitment = ZeroHash;
      if (cells.length === 2 && cells[1] !== "") {
        const value = cells[1];
        if (/^\d[\d -]*$/.test(value)) {
          problems.push(
            `line ${line}: card_commitment looks like a card number; only salted hashes (0x + 64 hex) may go on chain`,
          );
          return;
        }
        if (!isHexString(value, 32) || value.toLowerCase() === ZeroHash) {
          problems.push(`line ${line}: card_commitment "${value}" is not a non-zero 0x-prefixed 32-byte hex`);
          return;
        }
        commitment = value.toLowerCase();
      }
      const first = seen.get(address);
      if (first !== undefined) {
        problems.push(`line ${line}: duplicate address ${address} (first on line ${first})`);
        return;
      }
      seen.set(address, line);
      rows.push({ line, address, cardCommitment: commitment });
    });
  if (problems.length === 0 && rows.length === 0) problems.push("no rows (expected one address per line)");
  if (problems.length > 0) throw new CsvError(source, problems);
  return rows;
}

/* PROGRAM STATE */

/** A program as `programOf` returns it. */
export type ProgramState = Awaited<ReturnType<PurposeBoundPrograms["programOf"]>>;
/** A beneficiary as `beneficiaryOf` returns it. */
export type BeneficiaryState = Awaited<ReturnType<PurposeBoundPrograms["beneficiaryOf"]>>;

/**
 * The program `programId`, or a one-line error when there is none.
 * @param programs The escrow.
 * @param programId The program.
 * @param label How to name it in messages. Default `--program`.
 * @returns Its state.
 */
export async function requireProgram(
  programs: PurposeBoundPrograms,
  programId: bigint,
  label = "--program",
): Promise<ProgramState> {
  const program = await programs.programOf(programId);
  if (program.status === 0n) {
    const count = await programs.programCount();
    throw new Error(`${label} ${programId}: no such program (${count === 0n ? "none yet" : `ids 1-${count}`})`);
  }
  return program;
}

/**
 * The program `programId` when it may still be funded and administered (open, not expired); a one-line error
 * otherwise.
 * @param programs The escrow.
 * @param programId The program.
 * @param what What was about to happen, for messages.
 * @returns Its state.
 */
export async function requireOpenProgram(
  programs: PurposeBoundPrograms,
  programId: bigint,
  what: string,
): Promise<ProgramState> {
  const program = await requireProgram(programs, programId);
  const status = PROGRAM_STATUS[Number(program.status)];
  if (status === "closed") throw new Error(`cannot ${what}: program ${programId} is closed`);
  if (status === "expired") {
    throw new Error(
      `cannot ${what}: program ${programId} expired at ${isoTime(program.expiry)}; it can only be closed`,
    );
  }
  return program;
}

/**
 * A unix time as ISO text in UTC.
 * @param seconds Unix seconds.
 * @returns E.g. `2026-09-01T19:00:00Z`.
 */
export function isoTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/**
 * One line describing a program: status, schedule, allowance and money.
 * @param programId The program.
 * @param p Its state.
 * @returns The line.
 */
export function programLine(programId: bigint, p: ProgramState): string {
  const period = PERIODS[Number(p.period)];
  return (
    `program ${programId} ${PROGRAM_STATUS[Number(p.status)]}: funder ${p.funder}, allowance ${kztText(p.allowance)} per ${period}, ` +
    `${isoTime(p.start)} - ${isoTime(p.expiry)}, ${p.beneficiaries} beneficiaries, ${p.merchants} merchants | ` +
    `budget ${kztText(p.budget)}, spent ${kztText(p.spent)}, returned ${kztText(p.returned)}, earmarked ${kztText(p.earmarked)}`
  );
}

/* SIGNED SPENDING */

/** EIP-712 types of a beneficiary's spending authorization (the contract's SPEND_TYPEHASH). */
export const SPEND_TYPES: Record<string, TypedDataField[]> = {
  Spend: [
    { name: "programId", type: "uint256" },
    { name: "beneficiary", type: "address" },
    { name: "merchant", type: "address" },
    { name: "amount", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** A spending authorization as the beneficiary signs it. */
export interface SpendAuthorization {
  programId: bigint;
  beneficiary: string;
  merchant: string;
  amount: bigint;
  nonce: bigint;
  deadline: bigint;
}

/**
 * Signs a spending authorization with the beneficiary's key (the card or its custodian), for the canteen's terminal
 * to submit with `spendFor`. The domain is read from the escrow (EIP-5267), so the signature matches this chain and
 * proxy. Pass `nonce` to sign offline; otherwise the beneficiary's current nonce is read from the chain.
 * @param signer The beneficiary's signer.
 * @param programs The escrow.
 * @param authorization What is authorised; `nonce` optional.
 * @returns The authorization with its nonce, and the 65-byte signature.
 */
export async function signSpend(
  signer: Signer,
  programs: PurposeBoundPrograms,
  authorization: Omit<SpendAuthorization, "nonce"> & { nonce?: bigint },
): Promise<{ authorization: SpendAuthorization; signature: string }> {
  const nonce =
    authorization.nonce ?? (await programs.beneficiaryOf(authorization.programId, authorization.beneficiary)).nonce;
  const full: SpendAuthorization = { ...authorization, nonce };
  const signature = await signer.signTypedData(await domainOf(programs), SPEND_TYPES, full);
  return { authorization: full, signature };
}

/* PRECONDITIONS OF BATCHES */

/** Parallel reads while validating a batch. */
const READ_CONCURRENCY = 16;

function where(item: { address: string; line?: number }): string {
  return item.line === undefined ? item.address : `line ${item.line}: ${item.address}`;
}

/** One wallet to enrol; `line` is its CSV line, for messages. */
export interface EnrolItem {
  address: string;
  /** bytes32, zero for none. */
  cardCommitment: string;
  line?: number;
}

/** One wallet of an address batch (merchants, removals); `line` is its CSV line. */
export interface AddressItem {
  address: string;
  line?: number;
}

/** One top-up; `line` is its CSV line. */
export interface TopUpItem {
  address: string;
  amount: bigint;
  line?: number;
}

/**
 * Checks every precondition of `enrolBeneficiaries` without sending: no zero address, no duplicate, no wallet
 * enrolled already. (The program's state and the operator role are checked by the caller.)
 * @param programs The escrow.
 * @param programId The program.
 * @param items The wallets.
 * @returns Every problem found, empty when all would succeed.
 */
export async function checkEnrol(
  programs: PurposeBoundPrograms,
  programId: bigint,
  items: readonly EnrolItem[],
): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = item.address.toLowerCase();
    if (/^0x0{40}$/.test(key)) problems.push(`${where(item)} is the zero address`);
    if (seen.has(key)) problems.push(`${where(item)} appears twice`);
    seen.add(key);
  }
  const states = await mapLimit(items, READ_CONCURRENCY, (item) => programs.beneficiaryOf(programId, item.address));
  items.forEach((item, i) => {
    if (states[i].enrolled) problems.push(`${where(item)} is already enrolled in program ${programId}`);
  });
  return problems;
}

/**
 * Checks every precondition of `addMerchants`: each merchant onboarded in the tenge (a canteen is a bank's tier-3
 * customer), not listed yet and not repeated. A frozen merchant is reported too: it could not be paid.
 * @param programs The escrow.
 * @param tenge The token.
 * @param programId The program.
 * @param items The merchants.
 * @returns Every problem found, empty when all would succeed.
 */
export async function checkMerchants(
  programs: PurposeBoundPrograms,
  tenge: DigitalTenge,
  programId: bigint,
  items: readonly AddressItem[],
): Promise<string[]> {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = item.address.toLowerCase();
    if (seen.has(key)) problems.push(`${where(item)} appears twice`);
    seen.add(key);
  }
  const states = await mapLimit(items, READ_CONCURRENCY, async (item) => ({
    listed: await programs.isMerchant(programId, item.address),
    account: await tenge.accountOf(item.address),
  }));
  items.forEach((item, i) => {
    const { listed, account } = states[i];
    if (listed) problems.push(`${where(item)} is already a merchant of program ${programId}`);
    else if (!account.onboarded) problems.push(`${where(item)} is not onboarded in the tenge, so could not be paid`);
    else if (account.frozen) problems.push(`${where(item)} is frozen in the tenge, so could not be paid`);
  });
  return problems;
}

/**
 * Checks every precondition of `topUp`: each amount non-zero, each wallet enrolled, each one's extra allowance
 * (repeated wallets summed) within 2^64 - 1 tiyn.
 * @param programs The escrow.
 * @param programId The program.
 * @param items The top-ups.
 * @returns Every problem found, empty when all would succeed.
 */
export async function checkTopUp(
  programs: PurposeBoundPrograms,
  programId: bigint,
  items: readonly TopUpItem[],
): Promise<string[]> {
  const problems: string[] = [];
  const unique = [...new Set(items.map((item) => item.address.toLowerCase()))];
  const states = await mapLimit(unique, READ_CONCURRENCY, (address) => programs.beneficiaryOf(programId, address));
  const stateOf = new Map<string, BeneficiaryState>(unique.map((address, i) => [address, states[i]]));
  const extra = new Map<string, bigint>();
  for (const item of items) {
    const key = item.address.toLowerCase();
    const state = stateOf.get(key);
    if (item.amount === 0n) problems.push(`${where(item)}: amount must be greater than zero`);
    if (!state?.enrolled) {
      problems.push(`${where(item)} is not enrolled in program ${programId}`);
      continue;
    }
    const after = (extra.get(key) ?? state.extra) + item.amount;
    extra.set(key, after);
    if (after > MAX_SUPPLY_TIYN)
      problems.push(`${where(item)}: extra allowance would exceed ${kztText(MAX_SUPPLY_TIYN)}`);
  }
  return problems;
}

/* BATCHES */

/**
 * Enrols beneficiaries in chunks of `enrolBeneficiaries` transactions after checking every row ({@link checkEnrol}):
 * when any fails, a {@link refusedBatch} error lists them and nothing is sent. Card commitments are sent only when at
 * least one row of a chunk has one. Shared by the `program:enrol` task and the pilot (thousands of children).
 * @param programs The escrow, connected to the operator's signer.
 * @param programId The program (open, checked by the caller).
 * @param items The wallets and commitments.
 * @param options Chunk size, confirmations, dry run, progress bar.
 * @returns The transactions sent and one line per transaction.
 */
export async function enrolBeneficiaries(
  programs: PurposeBoundPrograms,
  programId: bigint,
  items: readonly EnrolItem[],
  options: BatchOptions,
): Promise<BatchResult> {
  if (items.length === 0) throw new Error("nothing to enrol: no rows");
  const problems = await checkEnrol(programs, programId, items);
  if (problems.length > 0) throw refusedBatch("enrol", problems, items.length);
  return runChunks({
    kind: "enrol",
    items,
    options,
    describe: (chunk, index, count) =>
      `enrol ${index + 1}/${count}: ${chunk.length} beneficiaries in program ${programId}`,
    send: (chunk, what) => {
      const commitments = chunk.some((item) => item.cardCommitment !== ZeroHash)
        ? chunk.map((item) => item.cardCommitment)
        : [];
      return execute(programs.enrolBeneficiaries, [programId, chunk.map((item) => item.address), commitments], {
        iface: programs.interface,
        what,
        confirmations: options.confirmations,
        dryRun: options.dryRun,
      });
    },
    result: (_index, _count, done) => `${done}/${items.length} enrolled`,
  });
}

/**
 * Adds merchants in chunks of `addMerchants` transactions after checking every row ({@link checkMerchants}).
 * @param programs The escrow, connected to the operator's signer.
 * @param tenge The token (read only).
 * @param programId The program (open, checked by the caller).
 * @param items The merchants.
 * @param options Chunk size, confirmations, dry run, progress bar.
 * @returns The transactions sent and one line per transaction.
 */
export async function addMerchants(
  programs: PurposeBoundPrograms,
  tenge: DigitalTenge,
  programId: bigint,
  items: readonly AddressItem[],
  options: BatchOptions,
): Promise<BatchResult> {
  if (items.length === 0) throw new Error("nothing to add: no rows");
  const problems = await checkMerchants(programs, tenge, programId, items);
  if (problems.length > 0) throw refusedBatch("add merchants", problems, items.length);
  return runChunks({
    kind: "add-merchants",
    items,
    options,
    describe: (chunk, index, count) => `add-merchants ${index + 1}/${count}: ${chunk.length} in program ${programId}`,
    send: (chunk, what) =>
      execute(programs.addMerchants, [programId, chunk.map((item) => item.address)], {
        iface: programs.interface,
        what,
        confirmations: options.confirmations,
        dryRun: options.dryRun,
      }),
    result: (_index, _count, done) => `${done}/${items.length} merchants added`,
  });
}

/**
 * Tops up allowances in chunks of `topUp` transactions after checking every row ({@link checkTopUp}).
 * @param programs The escrow, connected to the operator's signer.
 * @param programId The program (open, checked by the caller).
 * @param items The top-ups.
 * @param options Chunk size, confirmations, dry run, progress bar.
 * @returns The transactions sent and one line per transaction.
 */
export async function topUpAllowances(
  programs: PurposeBoundPrograms,
  programId: bigint,
  items: readonly TopUpItem[],
  options: BatchOptions,
): Promise<BatchResult> {
  if (items.length === 0) throw new Error("nothing to top up: no rows");
  const problems = await checkTopUp(programs, programId, items);
  if (problems.length > 0) throw refusedBatch("top up", problems, items.length);
  const total = items.reduce((sum, item) => sum + item.amount, 0n);
  return runChunks({
    kind: "top-up",
    items,
    options,
    describe: (chunk, index, count) => {
      const sum = chunk.reduce((s, item) => s + item.amount, 0n);
      return `top-up ${index + 1}/${count}: ${chunk.length} beneficiaries, ${kztText(sum)} in program ${programId}`;
    },
    send: (chunk, what) =>
      execute(programs.topUp, [programId, chunk.map((item) => item.address), chunk.map((item) => item.amount)], {
        iface: programs.interface,
        what,
        confirmations: options.confirmations,
        dryRun: options.dryRun,
      }),
    result: (_index, _count, done) =>
      done < items.length ? `${done}/${items.length} topped up` : `topped up ${kztText(total)} for ${done} rows`,
  });
}

/* REPORT */

/** One invariant, checked against the chain. */
export interface ProgramInvariant {
  name: string;
  held: boolean;
  detail: string;
}

/** Every program's state, the totals and the invariants. */
export interface ProgramsReport {
  programs: { id: bigint; state: ProgramState }[];
  totals: { budget: bigint; spent: bigint; returned: bigint; earmarked: bigint };
  balance: bigint;
  invariants: ProgramInvariant[];
}

/**
 * Reads every program (or the ones given) and checks the invariants: per program
 * `budget == spent + returned + earmarked` and `earmarked == 0` once closed; in total the escrow's tenge balance
 * covers `Σ earmarked` (equal unless tenge arrived outside any program: the surplus is shown).
 * @param programs The escrow.
 * @param tenge The token.
 * @param ids Programs to list (all when omitted); the totals and balance check always cover every program.
 * @returns The report.
 */
export async function programsReport(
  programs: PurposeBoundPrograms,
  tenge: DigitalTenge,
  ids?: readonly bigint[],
): Promise<ProgramsReport> {
  const count = await programs.programCount();
  const all = Array.from({ length: Number(count) }, (_, i) => BigInt(i + 1));
  const states = await mapLimit(all, READ_CONCURRENCY, (id) => programs.programOf(id));
  const totals = { budget: 0n, spent: 0n, returned: 0n, earmarked: 0n };
  const broken: string[] = [];
  states.forEach((p, i) => {
    totals.budget += p.budget;
    totals.spent += p.spent;
    totals.returned += p.returned;
    totals.earmarked += p.earmarked;
    const closedHoldsNothing = PROGRAM_STATUS[Number(p.status)] !== "closed" || p.earmarked === 0n;
    if (p.budget !== p.spent + p.returned + p.earmarked || !closedHoldsNothing) broken.push(String(all[i]));
  });
  const balance = await tenge.balanceOf(await programs.getAddress());
  const surplus = balance - totals.earmarked;
  const listed = ids ?? all;
  return {
    programs: listed.map((id) => ({ id, state: states[Number(id) - 1] })),
    totals,
    balance,
    invariants: [
      {
        name: "every program: budget == spent + returned + earmarked",
        held: broken.length === 0,
        detail: broken.length === 0 ? `${count} programs` : `broken for program ${broken.join(", ")}`,
      },
      {
        name: "escrow's tenge balance covers Σ earmarked (equal unless tenge arrived outside any program)",
        held: surplus >= 0n,
        detail:
          `${kztText(balance)} held, ${kztText(totals.earmarked)} earmarked` +
          (surplus > 0n ? ` (surplus ${kztText(surplus)} sent outside any program)` : ""),
      },
    ],
  };
}
